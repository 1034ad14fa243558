//! The library: documents (title and summary per language, a Markdown body, tags,
//! sector, area, language, date, visibility) and the files attached to them, whose type
//! is found from their content, never from their name.

use crate::error::{DomainError, FieldErrors};
use crate::ids::OrgId;
use crate::lang::{I18nText, Lang};
use crate::meeting::MinutesText;
use crate::values::{AreaCode, Date, LongText, Name, SectorCode, Visibility};
use serde::{Deserialize, Serialize};

/// A document form or API body, as typed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct DocumentInput {
    pub title_ar: String,
    pub title_en: String,
    pub title_tr: String,
    pub summary_ar: String,
    pub summary_en: String,
    pub summary_tr: String,
    /// Markdown, up to 200,000 characters.
    pub body: String,
    /// The author organisation (a focal point's own); none for the secretariat.
    pub org_id: Option<i64>,
    /// Free tags; in a form, separated by commas (`,` or `،`).
    pub tags: Vec<String>,
    /// A sector code, or empty.
    pub sector: String,
    /// An area code (any level), or empty.
    pub area: String,
    /// ar, en or tr: the language the document is written in.
    pub lang: String,
    /// `YYYY-MM-DD`: the document's own date (issued, published), or empty.
    pub date: String,
    pub visibility: String,
}

/// A tag: 1–40 characters, no commas; compared by [`tag_key`], so "الحماية" and
/// "حماية" are one tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Tag(String);

impl Tag {
    pub const MAX: usize = 40;
    pub fn parse(s: &str) -> Result<Tag, DomainError> {
        let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if t.is_empty() {
            return Err(DomainError::NameRequired);
        }
        if t.chars().any(|c| c.is_control() || c == ',' || c == '،') {
            return Err(DomainError::TagInvalid);
        }
        if t.chars().count() > Self::MAX {
            return Err(DomainError::NameTooLong);
        }
        Ok(Tag(t))
    }
    /// The comparison key.
    pub fn key(&self) -> String {
        tag_key(&self.0)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Tags as typed in one form field: split on `,` and `،`, blanks dropped.
    pub fn split(s: &str) -> Vec<String> {
        s.split([',', '،'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(String::from)
            .collect()
    }
}

/// What tags are compared by: the search analysis of titles (normalised, folded and
/// stemmed, so the article, hamza and teh marbuta variants and Turkish case meet).
pub fn tag_key(s: &str) -> String {
    minbar_text::analyze(s, minbar_text::FieldKind::Text)
        .into_iter()
        .map(|t| t.text)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A document's fields, valid.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentDraft {
    pub title: I18nText,
    pub summary: I18nText,
    pub body: String,
    pub org: Option<OrgId>,
    pub tags: Vec<Tag>,
    pub sector: Option<SectorCode>,
    pub area: Option<AreaCode>,
    pub lang: Lang,
    pub date: Option<Date>,
    pub visibility: Visibility,
}

/// At most this many tags on one document.
pub const MAX_TAGS: usize = 20;

impl DocumentDraft {
    pub fn parse(i: &DocumentInput) -> Result<DocumentDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let mut title = I18nText::default();
        let mut summary = I18nText::default();
        for (lang, t, s) in [
            (Lang::Ar, &i.title_ar, &i.summary_ar),
            (Lang::En, &i.title_en, &i.summary_en),
            (Lang::Tr, &i.title_tr, &i.summary_tr),
        ] {
            let tv = e
                .take(&format!("title_{}", lang.code()), Name::parse_optional(t))
                .flatten()
                .map(Name::into_inner);
            let sv = e
                .take(
                    &format!("summary_{}", lang.code()),
                    LongText::parse_optional(s),
                )
                .flatten()
                .map(LongText::into_inner);
            match lang {
                Lang::Ar => (title.ar, summary.ar) = (tv, sv),
                Lang::En => (title.en, summary.en) = (tv, sv),
                Lang::Tr => (title.tr, summary.tr) = (tv, sv),
            }
        }
        if title.is_empty()
            && ["title_ar", "title_en", "title_tr"]
                .iter()
                .all(|f| e.get(f).is_none())
        {
            e.push("title_ar", DomainError::NameRequired.code());
        }
        let body = e
            .take("body", MinutesText::parse(&i.body))
            .map(|b| b.as_str().to_string());
        let mut tags: Vec<Tag> = Vec::new();
        for raw in i.tags.iter().flat_map(|t| Tag::split(t)) {
            if let Some(t) = e.take("tags", Tag::parse(&raw)) {
                if !tags.iter().any(|x| x.key() == t.key()) {
                    tags.push(t);
                }
            }
        }
        if tags.len() > MAX_TAGS {
            e.push("tags", "too_many_tags");
        }
        let sector = e
            .take("sector", opt(&i.sector, SectorCode::parse))
            .flatten();
        let area = e.take("area", opt(&i.area, AreaCode::parse)).flatten();
        let lang = if i.lang.trim().is_empty() {
            Some(Lang::Ar)
        } else {
            let l = Lang::parse(i.lang.trim());
            if l.is_none() {
                e.push("lang", "lang_invalid");
            }
            l
        };
        let date = e.take("date", Date::parse_optional(&i.date)).flatten();
        let visibility = e.take(
            "visibility",
            Visibility::parse(if i.visibility.trim().is_empty() {
                "members"
            } else {
                &i.visibility
            }),
        );
        match (body, lang, visibility) {
            (Some(body), Some(lang), Some(visibility)) if e.is_empty() => Ok(DocumentDraft {
                title,
                summary,
                body,
                org: i.org_id.filter(|o| *o > 0).map(OrgId),
                tags,
                sector,
                area,
                lang,
                date,
                visibility,
            }),
            _ => Err(e),
        }
    }
}

fn opt<T>(s: &str, f: impl Fn(&str) -> Result<T, DomainError>) -> Result<Option<T>, DomainError> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        f(s.trim()).map(Some)
    }
}

// ------------------------------------------------------------------ files

/// What an attached file is, found from its first bytes (and, for zip and OLE
/// containers, from what they hold), never from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
    Gif,
    Webp,
    /// Word, Excel or PowerPoint since 2007 (Office Open XML).
    Docx,
    Xlsx,
    Pptx,
    /// OpenDocument text, spreadsheet, presentation.
    Odt,
    Ods,
    Odp,
    /// Word, Excel or PowerPoint 97–2003 (an OLE compound file); which one is told by
    /// the name's extension, since the container looks the same for all three.
    Doc,
    Xls,
    Ppt,
}

/// Files above this size are refused.
pub const MAX_FILE_BYTES: usize = 25 * 1024 * 1024;

impl FileKind {
    /// What `bytes` are, or why they are refused. `name` only tells apart the three
    /// 97–2003 Office formats, which share one container.
    pub fn sniff(bytes: &[u8], name: &str) -> Result<FileKind, DomainError> {
        if bytes.is_empty() {
            return Err(DomainError::FileEmpty);
        }
        if bytes.len() > MAX_FILE_BYTES {
            return Err(DomainError::FileTooLarge);
        }
        let head = &bytes[..bytes.len().min(1024)];
        // a PDF header may follow a little garbage, as readers allow (within 1 KiB)
        if head.windows(5).any(|w| w == b"%PDF-") {
            return Ok(FileKind::Pdf);
        }
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Ok(FileKind::Png);
        }
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return Ok(FileKind::Jpeg);
        }
        if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            return Ok(FileKind::Gif);
        }
        if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            return Ok(FileKind::Webp);
        }
        if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            let ext = name.rsplit('.').next().unwrap_or("").to_lowercase();
            return match ext.as_str() {
                "xls" => Ok(FileKind::Xls),
                "ppt" | "pps" => Ok(FileKind::Ppt),
                "doc" | "dot" => Ok(FileKind::Doc),
                _ => Err(DomainError::FileTypeRefused),
            };
        }
        if bytes.starts_with(b"PK\x03\x04") {
            return zip_kind(bytes).ok_or(DomainError::FileTypeRefused);
        }
        Err(DomainError::FileTypeRefused)
    }

    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Gif => "image/gif",
            FileKind::Webp => "image/webp",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            FileKind::Odt => "application/vnd.oasis.opendocument.text",
            FileKind::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            FileKind::Odp => "application/vnd.oasis.opendocument.presentation",
            FileKind::Doc => "application/msword",
            FileKind::Xls => "application/vnd.ms-excel",
            FileKind::Ppt => "application/vnd.ms-powerpoint",
        }
    }

    pub fn from_mime(m: &str) -> Option<FileKind> {
        use FileKind::*;
        [
            Pdf, Png, Jpeg, Gif, Webp, Docx, Xlsx, Pptx, Odt, Ods, Odp, Doc, Xls, Ppt,
        ]
        .into_iter()
        .find(|k| k.mime() == m)
    }

    /// The extension a file of this kind is saved with.
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Png => "png",
            FileKind::Jpeg => "jpg",
            FileKind::Gif => "gif",
            FileKind::Webp => "webp",
            FileKind::Docx => "docx",
            FileKind::Xlsx => "xlsx",
            FileKind::Pptx => "pptx",
            FileKind::Odt => "odt",
            FileKind::Ods => "ods",
            FileKind::Odp => "odp",
            FileKind::Doc => "doc",
            FileKind::Xls => "xls",
            FileKind::Ppt => "ppt",
        }
    }

    /// Shown in the browser (PDF and images) rather than downloaded.
    pub fn inline(self) -> bool {
        matches!(
            self,
            FileKind::Pdf | FileKind::Png | FileKind::Jpeg | FileKind::Gif | FileKind::Webp
        )
    }
}

fn u16le(b: &[u8], at: usize) -> Option<usize> {
    Some(u16::from_le_bytes([*b.get(at)?, *b.get(at + 1)?]) as usize)
}

/// OpenDocument (its first entry is an uncompressed `mimetype`) or Office Open XML (the
/// central directory names `word/`, `xl/` or `ppt/` parts); any other zip is refused.
fn zip_kind(b: &[u8]) -> Option<FileKind> {
    let name_len = u16le(b, 26)?;
    let extra_len = u16le(b, 28)?;
    let name = b.get(30..30 + name_len)?;
    if name == b"mimetype" {
        let data = b.get(30 + name_len + extra_len..)?;
        let data = &data[..data.len().min(80)];
        for (prefix, kind) in [
            (
                &b"application/vnd.oasis.opendocument.text"[..],
                FileKind::Odt,
            ),
            (
                b"application/vnd.oasis.opendocument.spreadsheet",
                FileKind::Ods,
            ),
            (
                b"application/vnd.oasis.opendocument.presentation",
                FileKind::Odp,
            ),
        ] {
            if data.starts_with(prefix) {
                return Some(kind);
            }
        }
        return None;
    }
    // the central directory: entries "PK\x01\x02" with the name at offset 46
    let mut i = 0;
    let mut seen_types = false;
    // lengths come from the file: the next entry may claim to be past the end
    while let Some(p) = b.get(i..).and_then(|rest| find(rest, b"PK\x01\x02")) {
        let at = i + p;
        let (Some(n), Some(x), Some(c)) = (u16le(b, at + 28), u16le(b, at + 30), u16le(b, at + 32))
        else {
            break;
        };
        let Some(entry) = b.get(at + 46..at + 46 + n) else {
            break;
        };
        if entry == b"[Content_Types].xml" {
            seen_types = true;
        }
        for (prefix, kind) in [
            (&b"word/"[..], FileKind::Docx),
            (b"xl/", FileKind::Xlsx),
            (b"ppt/", FileKind::Pptx),
        ] {
            if entry.starts_with(prefix) && seen_or_later(b, at, seen_types) {
                return Some(kind);
            }
        }
        i = at + 46 + n + x + c;
    }
    None
}

/// An OOXML package must list `[Content_Types].xml`; it may come after the parts.
fn seen_or_later(b: &[u8], at: usize, seen: bool) -> bool {
    seen || find(&b[at..], b"[Content_Types].xml").is_some()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A file's name as kept and offered on download: the last path component, no control
/// characters or quotes, at most 120 characters, with the extension of what the file
/// really is.
pub fn file_name(raw: &str, kind: FileKind) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '|' | '*' | '?' | ':'))
        .collect();
    let clean = clean.trim().trim_start_matches('.').trim().to_string();
    let ext = kind.extension();
    let stem = match clean.rsplit_once('.') {
        Some((s, e))
            if e.eq_ignore_ascii_case(ext) || (ext == "jpg" && e.eq_ignore_ascii_case("jpeg")) =>
        {
            s.to_string()
        }
        _ => clean.clone(),
    };
    let stem: String = stem.chars().take(120).collect();
    let stem = if stem.trim().is_empty() {
        "file".to_string()
    } else {
        stem.trim().to_string()
    };
    format!("{stem}.{ext}")
}

/// What became of the text of an attached file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TextState {
    /// Text was extracted and is searchable.
    Extracted,
    /// Not a kind text is extracted from (images, Office files).
    NotExtracted,
    /// A PDF with no text (a scan, say).
    Empty,
    /// An encrypted PDF: stored, not read.
    Encrypted,
    /// A PDF that could not be read: stored as it came.
    Malformed,
}

impl TextState {
    pub fn code(self) -> &'static str {
        match self {
            TextState::Extracted => "extracted",
            TextState::NotExtracted => "not_extracted",
            TextState::Empty => "empty",
            TextState::Encrypted => "encrypted",
            TextState::Malformed => "malformed",
        }
    }
    pub fn parse(s: &str) -> TextState {
        match s {
            "extracted" => TextState::Extracted,
            "empty" => TextState::Empty,
            "encrypted" => TextState::Encrypted,
            "malformed" => TextState::Malformed,
            _ => TextState::NotExtracted,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_needs_a_title_in_some_language_and_real_codes() {
        let ok = DocumentInput {
            title_en: "Child protection referral pathways".into(),
            tags: vec!["حماية، إحالة".into(), "protection".into(), "الحماية".into()],
            sector: "PRO".into(),
            date: "2026-10-01".into(),
            ..Default::default()
        };
        let d = DocumentDraft::parse(&ok).unwrap();
        assert_eq!(
            d.title.en.as_deref(),
            Some("Child protection referral pathways")
        );
        // "الحماية" is the same tag as "حماية" (the article aside)
        let tags: Vec<&str> = d.tags.iter().map(Tag::as_str).collect();
        assert_eq!(tags, ["حماية", "إحالة", "protection"]);
        assert_eq!(d.visibility, Visibility::Members);
        assert_eq!(d.lang, Lang::Ar);
        let bad = DocumentInput {
            date: "2026-13-01".into(),
            lang: "fr".into(),
            area: "not a code!".into(),
            visibility: "everyone".into(),
            ..Default::default()
        };
        let e = DocumentDraft::parse(&bad).unwrap_err();
        for f in ["title_ar", "date", "lang", "area", "visibility"] {
            assert!(e.get(f).is_some(), "{f}: {e}");
        }
    }

    #[test]
    fn files_are_known_by_their_content_not_their_name() {
        assert_eq!(
            FileKind::sniff(b"%PDF-1.7\n...", "x.docx"),
            Ok(FileKind::Pdf)
        );
        assert_eq!(
            FileKind::sniff(b"\x89PNG\r\n\x1a\n....", "photo.pdf"),
            Ok(FileKind::Png)
        );
        // a text file named .pdf is refused
        assert_eq!(
            FileKind::sniff(b"hello, I am not a PDF", "report.pdf"),
            Err(DomainError::FileTypeRefused)
        );
        assert_eq!(FileKind::sniff(b"", "a.pdf"), Err(DomainError::FileEmpty));
        assert_eq!(
            FileKind::sniff(&vec![b'%'; MAX_FILE_BYTES + 1], "a.pdf"),
            Err(DomainError::FileTooLarge)
        );
        // an executable with an Office name
        assert_eq!(
            FileKind::sniff(b"MZ\x90\x00\x03", "budget.xlsx"),
            Err(DomainError::FileTypeRefused)
        );
        // an OLE container is told apart by its extension, and refused without one
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        assert_eq!(FileKind::sniff(&ole, "old.XLS"), Ok(FileKind::Xls));
        assert_eq!(
            FileKind::sniff(&ole, "old.msi"),
            Err(DomainError::FileTypeRefused)
        );
    }

    fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        // a stored (uncompressed) zip, enough for the sniffer
        let mut out = Vec::new();
        let mut central = Vec::new();
        for (name, data) in entries {
            let off = out.len() as u32;
            out.extend_from_slice(b"PK\x03\x04");
            out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            out.extend_from_slice(&[0; 4]); // crc (unchecked here)
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&[0, 0]);
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(data);
            central.extend_from_slice(b"PK\x01\x02");
            central.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            central.extend_from_slice(&[0; 4]);
            central.extend_from_slice(&(data.len() as u32).to_le_bytes());
            central.extend_from_slice(&(data.len() as u32).to_le_bytes());
            central.extend_from_slice(&(name.len() as u16).to_le_bytes());
            central.extend_from_slice(&[0; 12]);
            central.extend_from_slice(&off.to_le_bytes());
            central.extend_from_slice(name.as_bytes());
        }
        out.extend_from_slice(&central);
        out.extend_from_slice(b"PK\x05\x06");
        out.extend_from_slice(&[0; 18]);
        out
    }

    #[test]
    fn office_files_are_told_by_what_their_zip_holds() {
        let docx = zip(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"<w:document/>"),
        ]);
        assert_eq!(FileKind::sniff(&docx, "x.pdf"), Ok(FileKind::Docx));
        let xlsx = zip(&[
            ("xl/workbook.xml", b"<workbook/>"),
            ("[Content_Types].xml", b"<Types/>"),
        ]);
        assert_eq!(FileKind::sniff(&xlsx, "x"), Ok(FileKind::Xlsx));
        let odt = zip(&[("mimetype", b"application/vnd.oasis.opendocument.text")]);
        assert_eq!(FileKind::sniff(&odt, "x"), Ok(FileKind::Odt));
        // any other zip is not an Office file
        let other = zip(&[("payload.exe", b"MZ")]);
        assert_eq!(
            FileKind::sniff(&other, "x.docx"),
            Err(DomainError::FileTypeRefused)
        );
        // a truncated zip is refused, not read past its end
        assert_eq!(
            FileKind::sniff(&docx[..20], "x.docx"),
            Err(DomainError::FileTypeRefused)
        );
        // found by fuzzing: a central-directory entry whose extra and comment lengths
        // point past the end of the file
        let mut lying = docx.clone();
        let at = lying.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
        lying[at + 30] = 0xfb;
        lying[at + 31] = 0xfb;
        assert_eq!(
            FileKind::sniff(&lying, "x.docx"),
            Err(DomainError::FileTypeRefused),
            "refused, not a panic"
        );
    }

    #[test]
    fn file_names_are_cleaned_and_carry_the_real_extension() {
        assert_eq!(
            file_name("C:\\Users\\a\\تقرير.pdf", FileKind::Pdf),
            "تقرير.pdf"
        );
        assert_eq!(file_name("../../etc/passwd", FileKind::Pdf), "passwd.pdf");
        assert_eq!(file_name("photo.JPEG", FileKind::Jpeg), "photo.jpg");
        assert_eq!(file_name("\"bad\"\u{0}.png", FileKind::Png), "bad.png");
        assert_eq!(file_name("", FileKind::Docx), "file.docx");
        assert_eq!(file_name("budget.pdf", FileKind::Xlsx), "budget.pdf.xlsx");
    }
}
