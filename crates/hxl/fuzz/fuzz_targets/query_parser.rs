//! Any text as a row query, tag pattern, aggregator, rename or add spec, and any query
//! that parses applied to a value: an error is fine, a panic is a bug.
#![no_main]
use libfuzzer_sys::fuzz_target;
use minbar_hxl::{filters, tag};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let (q, value) = s.split_once('\n').unwrap_or((s, "10"));
    if let Ok(query) = filters::Query::parse(q) {
        let _ = query.matches_value(value);
    }
    let _ = tag::TagPattern::parse_list(q);
    let _ = tag::Hashtag::parse(q);
    let _ = filters::Aggregate::parse(q);
    let _ = filters::parse_rename(q);
    let _ = filters::parse_add(q);
});
