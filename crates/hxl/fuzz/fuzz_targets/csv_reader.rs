//! Any bytes through the text readers (CSV/TSV/SSV with encoding detection, JSON) and the
//! streaming select/cut: an error is fine, a panic is a bug.
#![no_main]
use libfuzzer_sys::fuzz_target;
use minbar_hxl::{csv_io, filters, json, stream, tag::TagPattern};

fuzz_target!(|data: &[u8]| {
    if let Ok(t) = csv_io::read_csv(data) {
        let mut out = Vec::new();
        let _ = csv_io::write_csv(&t, &mut out);
        let org = TagPattern::parse("org").unwrap();
        let t = filters::sort(t, &[org.clone()], false);
        let t = filters::dedup(t, &[]);
        let _ = filters::count(t, &[org], &[]);
    }
    let _ = json::read_json(data);
    let q = filters::Query::parse("sector=wash").unwrap();
    let _ = stream::run(
        data,
        std::io::sink(),
        &stream::Op::Select {
            queries: &[q],
            reverse: false,
        },
    );
});
