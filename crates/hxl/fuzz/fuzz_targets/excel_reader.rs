//! Any bytes through the Excel reader (the zip-bomb and sheet-size guards first, then
//! our own sheet reader or calamine), and through `select` straight from a workbook: an
//! error is fine, a panic is a bug.
//!
//! Panics inside calamine itself are turned into errors by `read_excel` (its cell
//! reference arithmetic overflows on some inputs, found here); they are let through so
//! that fuzzing goes on past them. A panic anywhere else still aborts and is reported.
#![no_main]
use libfuzzer_sys::fuzz_target;
use minbar_hxl::xlsx;
use std::sync::Once;

static HOOK: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    HOOK.call_once(|| {
        let abort = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_calamine = info
                .location()
                .is_some_and(|l| l.file().contains("/calamine-"));
            if !in_calamine {
                abort(info);
            }
        }));
    });
    let _ = xlsx::read_excel(data, &xlsx::Sheet::default());
    let _ = xlsx::fuzz_select(data);
    let _ = xlsx::check_zip(data, xlsx::MAX_UNZIPPED);
});
