//! Attached files: what they are (sniffed from their content by
//! [`minbar_core::FileKind::sniff`]) and, for PDFs, their text for search.
//!
//! A PDF that cannot be read is still stored: the text state says why it was not
//! (encrypted, malformed, or a scan with no text), and the page shows a notice. The PDF
//! parser is a third-party crate; it runs with a bound on the text kept and behind
//! `catch_unwind`, so a hostile file costs a notice, never the process.

use minbar_core::{file_name, DomainError, FileKind, TextState};
use minbar_store::documents::NewFile;

/// At most this many characters of text are kept per file.
pub const MAX_TEXT_CHARS: usize = 1_000_000;

/// Check an uploaded file and read its text: the kind from its bytes, a clean name with
/// the real extension, and the text of a PDF.
pub fn prepare(raw_name: &str, bytes: Vec<u8>, note: &str) -> Result<NewFile, DomainError> {
    let kind = FileKind::sniff(&bytes, raw_name)?;
    let (text, text_state) = match kind {
        FileKind::Pdf => pdf_text(&bytes),
        _ => (None, TextState::NotExtracted),
    };
    Ok(NewFile {
        name: file_name(raw_name, kind),
        kind,
        bytes,
        text,
        text_state,
        note: note.trim().chars().take(500).collect(),
    })
}

/// The text of a PDF, or why there is none.
pub fn pdf_text(bytes: &[u8]) -> (Option<String>, TextState) {
    // an encrypted PDF is kept as it is: its text is not ours to read
    if find(bytes, b"/Encrypt").is_some() {
        return (None, TextState::Encrypted);
    }
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let doc = lopdf::Document::load_mem(bytes).ok()?;
        if doc.is_encrypted() {
            return Some(Err(TextState::Encrypted));
        }
        let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
        let mut text = String::new();
        for p in pages {
            // one unreadable page does not lose the others
            if let Ok(t) = doc.extract_text(&[p]) {
                text.push_str(&t);
                text.push('\n');
            }
            if text.len() > MAX_TEXT_CHARS * 4 {
                break;
            }
        }
        Some(Ok(text))
    }));
    match parsed {
        Ok(Some(Ok(text))) => {
            let text: String = fold_presentation_forms(&text)
                .chars()
                .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
                .take(MAX_TEXT_CHARS)
                .collect();
            if text.trim().is_empty() {
                (None, TextState::Empty)
            } else {
                (Some(text), TextState::Extracted)
            }
        }
        Ok(Some(Err(state))) => (None, state),
        Ok(None) | Err(_) => (None, TextState::Malformed),
    }
}

/// Arabic text taken from PDFs often comes as presentation forms (the shaped glyphs,
/// U+FB50–U+FDFF and U+FE70–U+FEFF); search wants the letters.
pub fn fold_presentation_forms(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FE80}' => 'ء',
            '\u{FE81}' | '\u{FE82}' => 'آ',
            '\u{FE83}' | '\u{FE84}' => 'أ',
            '\u{FE85}' | '\u{FE86}' => 'ؤ',
            '\u{FE87}' | '\u{FE88}' => 'إ',
            '\u{FE89}'..='\u{FE8C}' => 'ئ',
            '\u{FE8D}' | '\u{FE8E}' => 'ا',
            '\u{FE8F}'..='\u{FE92}' => 'ب',
            '\u{FE93}' | '\u{FE94}' => 'ة',
            '\u{FE95}'..='\u{FE98}' => 'ت',
            '\u{FE99}'..='\u{FE9C}' => 'ث',
            '\u{FE9D}'..='\u{FEA0}' => 'ج',
            '\u{FEA1}'..='\u{FEA4}' => 'ح',
            '\u{FEA5}'..='\u{FEA8}' => 'خ',
            '\u{FEA9}' | '\u{FEAA}' => 'د',
            '\u{FEAB}' | '\u{FEAC}' => 'ذ',
            '\u{FEAD}' | '\u{FEAE}' => 'ر',
            '\u{FEAF}' | '\u{FEB0}' => 'ز',
            '\u{FEB1}'..='\u{FEB4}' => 'س',
            '\u{FEB5}'..='\u{FEB8}' => 'ش',
            '\u{FEB9}'..='\u{FEBC}' => 'ص',
            '\u{FEBD}'..='\u{FEC0}' => 'ض',
            '\u{FEC1}'..='\u{FEC4}' => 'ط',
            '\u{FEC5}'..='\u{FEC8}' => 'ظ',
            '\u{FEC9}'..='\u{FECC}' => 'ع',
            '\u{FECD}'..='\u{FED0}' => 'غ',
            '\u{FED1}'..='\u{FED4}' => 'ف',
            '\u{FED5}'..='\u{FED8}' => 'ق',
            '\u{FED9}'..='\u{FEDC}' => 'ك',
            '\u{FEDD}'..='\u{FEE0}' => 'ل',
            '\u{FEE1}'..='\u{FEE4}' => 'م',
            '\u{FEE5}'..='\u{FEE8}' => 'ن',
            '\u{FEE9}'..='\u{FEEC}' => 'ه',
            '\u{FEED}' | '\u{FEEE}' => 'و',
            '\u{FEEF}' | '\u{FEF0}' => 'ى',
            '\u{FEF1}'..='\u{FEF4}' => 'ي',
            c => c,
        })
        .flat_map(|c| {
            // the lam-alef ligatures are two letters
            let pair: Option<[char; 2]> = match c {
                '\u{FEF5}' | '\u{FEF6}' => Some(['ل', 'آ']),
                '\u{FEF7}' | '\u{FEF8}' => Some(['ل', 'أ']),
                '\u{FEF9}' | '\u{FEFA}' => Some(['ل', 'إ']),
                '\u{FEFB}' | '\u{FEFC}' => Some(['ل', 'ا']),
                _ => None,
            };
            match pair {
                Some(p) => p.to_vec(),
                None => vec![c],
            }
        })
        .collect()
}

/// A one-page PDF with `text` (Latin letters) in Helvetica: for tests and the demo.
pub fn sample_pdf(text: &str) -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let content = Content {
        operations: vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 24.into()]),
            Operation::new("Td", vec![72.into(), 700.into()]),
            Operation::new("Tj", vec![Object::string_literal(text)]),
            Operation::new("ET", vec![]),
        ],
    };
    let content_id = doc.add_object(Stream::new(
        dictionary! {},
        content.encode().unwrap_or_default(),
    ));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap_or_default();
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdfs_text_is_read_for_search() {
        let f = prepare(
            "report.pdf",
            sample_pdf("Complaints mechanism in Gaziantep"),
            " v2 ",
        )
        .unwrap();
        assert_eq!(f.kind, FileKind::Pdf);
        assert_eq!(f.text_state, TextState::Extracted);
        assert!(f.text.unwrap().contains("Complaints mechanism"));
        assert_eq!(f.note, "v2");
    }

    #[test]
    fn a_pdf_that_cannot_be_read_is_kept_with_the_reason() {
        // a truncated PDF: stored, marked malformed
        let whole = sample_pdf("Hello");
        let (t, s) = pdf_text(&whole[..whole.len() / 2]);
        assert_eq!((t, s), (None, TextState::Malformed));
        let (t, s) = pdf_text(b"%PDF-1.4\n garbage \x00\x01\x02");
        assert_eq!((t, s), (None, TextState::Malformed));
        // an encrypted one is not read
        let mut enc = whole.clone();
        let at = enc.len() - 10;
        enc.splice(at..at, b"/Encrypt 9 0 R".iter().copied());
        assert_eq!(pdf_text(&enc), (None, TextState::Encrypted));
        // a file that is not a PDF is refused before any of this
        assert_eq!(
            prepare("x.pdf", b"just text".to_vec(), "").unwrap_err(),
            DomainError::FileTypeRefused
        );
    }

    #[test]
    fn shaped_arabic_from_pdfs_is_folded_to_letters() {
        // "السلام" as presentation forms
        let shaped = "\u{FE8D}\u{FEDF}\u{FEB4}\u{FEFC}\u{FEE1}";
        assert_eq!(fold_presentation_forms(shaped), "السلام");
    }
}
