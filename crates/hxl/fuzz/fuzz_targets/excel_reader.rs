//! Any bytes through the Excel reader (the zip-bomb and sheet-size guards first, then
//! calamine): an error is fine, a panic is a bug.
#![no_main]
use libfuzzer_sys::fuzz_target;
use minbar_hxl::xlsx;

fuzz_target!(|data: &[u8]| {
    let _ = xlsx::read_excel(data, &xlsx::Sheet::default());
    let _ = xlsx::check_zip(data, xlsx::MAX_UNZIPPED);
});
