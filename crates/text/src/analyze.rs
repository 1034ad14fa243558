//! Tokenising and the two field kinds.
//!
//! - [`FieldKind::Text`] (titles, bodies): Turkish-aware lower-casing, ASCII folding of
//!   Latin letters, Arabic normalisation, Arabic stop words removed, Arabic light stemming
//!   (stacked proclitics included), English Porter2 stemming of Latin-script words.
//! - [`FieldKind::Name`] (people, organisations, places): the same normalisation and
//!   folding, never stemmed, and compound-aware: `عبد الله` and `عبدالله` give the same
//!   token, and so do `نور الدين` and `نورالدين`.
//!
//! Every [`Token`] carries byte offsets into the original text, so a highlight lands on the
//! characters the reader typed, whatever their direction.

use crate::arabic::{self, Normalizer, Stemmer};
use crate::turkish;

/// The kind of field being analysed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Titles and bodies: normalise, fold, stem.
    Text,
    /// Names of people, organisations and places: normalise, fold, never stem.
    Name,
}

/// One analysed token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The indexed form.
    pub text: String,
    /// Byte offset of the first character in the original text.
    pub start: usize,
    /// Byte offset just past the last character in the original text.
    pub end: usize,
    /// Position in the token stream (compounds take the position of their first part).
    pub position: usize,
}

fn is_token_char(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(c, '\u{0640}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0300}'..='\u{036F}')
}

/// Split into raw words: runs of letters, digits and combining marks, with byte offsets.
pub fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if is_token_char(c) {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(s) = start.take() {
            out.push((s, i));
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// Lower-case, fold and normalise one word, without stemming.
pub fn normalize_word(word: &str) -> String {
    let lower = turkish::lowercase(word);
    let folded = turkish::fold(&lower);
    Normalizer::MINBAR.normalize(&folded)
}

fn has_arabic(s: &str) -> bool {
    s.chars().any(arabic::is_arabic)
}

/// Words that begin a compound name (عبد الله) and words that end one (نور الدين).
const COMPOUND_HEADS: &[&str] = &["عبد", "ابو", "ابي"];
const COMPOUND_TAILS: &[&str] = &["الله", "الدين", "الرحمن", "الرحيم"];

fn english() -> &'static rust_stemmers::Stemmer {
    static S: std::sync::OnceLock<rust_stemmers::Stemmer> = std::sync::OnceLock::new();
    S.get_or_init(|| rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English))
}

/// Analyse `text` as a field of the given kind.
pub fn analyze(text: &str, kind: FieldKind) -> Vec<Token> {
    let mut normed: Vec<Token> = words(text)
        .into_iter()
        .map(|(start, end)| Token {
            text: normalize_word(&text[start..end]),
            start,
            end,
            position: 0,
        })
        .filter(|t| !t.text.is_empty())
        .collect();

    {
        // join compounds written with a space (both kinds: عبد الله is a name in a body too)
        let mut joined: Vec<Token> = Vec::with_capacity(normed.len());
        for t in normed.drain(..) {
            if let Some(prev) = joined.last_mut() {
                let gap_is_space = text[prev.end..t.start].chars().all(char::is_whitespace);
                if gap_is_space
                    && (COMPOUND_HEADS.contains(&prev.text.as_str())
                        || COMPOUND_TAILS.contains(&t.text.as_str()))
                {
                    prev.text.push_str(&t.text);
                    prev.end = t.end;
                    continue;
                }
            }
            joined.push(t);
        }
        normed = joined;
    }

    let mut out = Vec::with_capacity(normed.len());
    for (position, mut t) in normed.into_iter().enumerate() {
        t.position = position;
        match kind {
            FieldKind::Name => out.push(t),
            FieldKind::Text => {
                if has_arabic(&t.text) {
                    if arabic::is_stopword(&t.text) {
                        continue;
                    }
                    // compound names are never stemmed (Lucene: عبدالله → عبدالل)
                    if !is_compound(&t.text) {
                        t.text = Stemmer::Minbar.stem(&t.text);
                    }
                } else if t.text.chars().all(|c| c.is_ascii_alphabetic()) {
                    t.text = english().stem(&t.text).into_owned();
                }
                out.push(t);
            }
        }
    }
    out
}

/// Does this normalised token start with a compound head or end with a compound tail?
fn is_compound(t: &str) -> bool {
    COMPOUND_HEADS
        .iter()
        .any(|h| t.starts_with(h) && t.chars().count() > h.chars().count() + 1)
        || COMPOUND_TAILS
            .iter()
            .any(|tail| t.ends_with(tail) && t.chars().count() > tail.chars().count() + 1)
}

/// [`analyze`], plus variant tokens at the same positions, for an index: the spellings
/// people also type, which a single normal form cannot bring together.
///
/// - Hamza seats written as their bare letters: مسؤول is also مسوول, عائشة also عايشة (the
///   normal form folds ؤ and ئ to ء, so مسؤول and مسئول already meet).
/// - *Name* fields: the name without its article (الأمل → امل).
/// - *Text* fields: a single proclitic ب ل ك ف taken off a word that keeps three letters
///   (بإدلب → ادلب, لفاطمة → فاطمه), which Lucene's stemmer leaves on.
pub fn analyze_with_variants(text: &str, kind: FieldKind) -> Vec<Token> {
    let primary = analyze(text, kind);
    let mut out = Vec::with_capacity(primary.len() * 2);
    let finish = |w: &str| -> String {
        match kind {
            FieldKind::Text if has_arabic(w) && !is_compound(w) => Stemmer::Minbar.stem(w),
            _ => w.to_string(),
        }
    };
    for t in primary {
        let raw = &text[t.start..t.end];
        let mut variants: Vec<String> = Vec::new();
        if raw.contains(['ؤ', 'ئ']) {
            let bare: String = raw
                .chars()
                .map(|c| match c {
                    'ؤ' => 'و',
                    'ئ' => 'ي',
                    _ => c,
                })
                .collect();
            let w = normalize_word(&bare);
            // compounds span several raw words: only single words get this variant
            if !w.contains(' ') && !w.is_empty() {
                variants.push(finish(&w));
            }
        }
        let normal = normalize_word(raw);
        match kind {
            FieldKind::Name => {
                if let Some(v) = arabic::strip_article(&t.text) {
                    variants.push(v.to_string());
                }
            }
            FieldKind::Text => {
                let mut chars = normal.chars();
                if let Some('ب' | 'ل' | 'ك' | 'ف') = chars.next() {
                    let rest: String = chars.collect();
                    if rest.chars().count() >= 3
                        && !rest.starts_with("ال")
                        && !arabic::is_stopword(&rest)
                    {
                        variants.push(finish(&rest));
                    }
                }
            }
        }
        let pos = t.position;
        let (start, end) = (t.start, t.end);
        let primary_text = t.text.clone();
        out.push(t);
        variants.sort();
        variants.dedup();
        for v in variants
            .into_iter()
            .filter(|v| *v != primary_text && !v.is_empty())
        {
            out.push(Token {
                text: v,
                start,
                end,
                position: pos,
            });
        }
    }
    out
}

/// A single string for equality and prefix matching of names (directory filters, import
/// matching): the name field's tokens joined by spaces.
pub fn name_key(text: &str) -> String {
    analyze(text, FieldKind::Name)
        .into_iter()
        .map(|t| t.text)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str, kind: FieldKind) -> Vec<String> {
        analyze(s, kind).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn compound_names_meet() {
        assert_eq!(name_key("عبد الله"), name_key("عبدالله"));
        assert_eq!(name_key("نور الدين"), name_key("نورالدين"));
        assert_eq!(name_key("أبو بكر"), name_key("ابوبكر"));
    }

    #[test]
    fn names_are_never_stemmed() {
        assert_eq!(texts("عبدالله", FieldKind::Name), vec!["عبدالله"]);
        assert_eq!(
            texts("عائشة الدبس", FieldKind::Name),
            vec!["عاءشه", "الدبس"]
        );
    }

    #[test]
    fn offsets_point_at_the_original_characters() {
        let s = "منظمة «الأمل» للإغاثة";
        let toks = analyze(s, FieldKind::Text);
        assert_eq!(&s[toks[1].start..toks[1].end], "الأمل");
        assert_eq!(&s[toks[2].start..toks[2].end], "للإغاثة");
    }

    #[test]
    fn turkish_without_its_letters_finds_the_place() {
        assert_eq!(name_key("Şanlıurfa"), name_key("sanliurfa"));
        assert_eq!(name_key("IĞDIR"), name_key("igdir"));
    }

    #[test]
    fn english_is_stemmed_in_text_fields() {
        assert_eq!(
            texts("Schools reopened", FieldKind::Text),
            vec!["school", "reopen"]
        );
    }

    #[test]
    fn variants_cover_what_people_type() {
        let v = |s: &str, k| {
            analyze_with_variants(s, k)
                .into_iter()
                .map(|t| t.text)
                .collect::<Vec<_>>()
        };
        assert!(v("مسؤول", FieldKind::Text).contains(&"مسوول".to_string()));
        assert!(v("عائشة", FieldKind::Name).contains(&"عايشه".to_string()));
        assert!(v("بإدلب", FieldKind::Text).contains(&"ادلب".to_string()));
        assert!(v("الأمل", FieldKind::Name).contains(&"امل".to_string()));
        // variants share the position of the word they come from
        let toks = analyze_with_variants("في بإدلب", FieldKind::Text);
        assert!(toks.iter().all(|t| t.position == toks[0].position));
        // short words keep their letters: باب is not ب + اب
        assert_eq!(v("باب", FieldKind::Text), vec!["باب"]);
    }

    #[test]
    fn compounds_in_text_are_joined_and_not_stemmed() {
        assert_eq!(texts("عبد الله", FieldKind::Text), vec!["عبدالله"]);
        assert_eq!(texts("عبدالله", FieldKind::Text), vec!["عبدالله"]);
    }

    #[test]
    fn arabic_stopwords_go_and_words_stem() {
        assert_eq!(texts("في المدارس", FieldKind::Text), vec!["مدارس"]);
    }
}
