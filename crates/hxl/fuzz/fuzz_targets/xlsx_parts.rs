//! Any bytes through the fast `.xlsx` reader's own parsers (sheet data, shared strings,
//! styles, string items), as if a workbook's parts held them: the zip layer would reject
//! most mutated archives before their XML is read, so the XML scanners are fuzzed here
//! directly. An answer or `None` is fine; a panic is a bug.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = minbar_hxl::xlsx::fuzz_parts(data);
});
