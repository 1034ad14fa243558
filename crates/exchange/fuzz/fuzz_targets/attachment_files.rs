//! Any bytes as an uploaded file: the sniffer (PDF, images, Office Open XML and
//! OpenDocument zips, OLE containers), the file-name cleaner and, for what looks like a
//! PDF, the text extraction. Nothing may panic, hang or grow without bound; a file is
//! either refused with a reason or kept with a text state.
//!
//! The PDF parser is a third-party crate that `pdf_text` runs behind `catch_unwind`: its
//! panics are silenced here so that only a panic that escapes Minbar's own code counts.
#![no_main]
use libfuzzer_sys::fuzz_target;
use minbar_core::{FileKind, TextState};

fuzz_target!(|data: &[u8]| {
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    // the first line names the file, the rest is its content
    let (name, bytes) = match data.iter().position(|b| *b == b'\n') {
        Some(i) => (String::from_utf8_lossy(&data[..i]).into_owned(), data[i + 1..].to_vec()),
        None => (String::new(), data.to_vec()),
    };
    match minbar_exchange::files::prepare(&name, bytes, "") {
        Ok(f) => {
            assert_eq!(FileKind::sniff(&f.bytes, &name), Ok(f.kind));
            assert!(f.name.ends_with(f.kind.extension()));
            assert!(!f.name.contains('/') && !f.name.contains('\\'));
            if let Some(t) = &f.text {
                assert_eq!(f.text_state, TextState::Extracted);
                assert!(t.chars().count() <= minbar_exchange::files::MAX_TEXT_CHARS);
            }
        }
        Err(_) => {}
    }
});
