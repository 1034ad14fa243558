//! Finding known names in free text: the organisations, people and places of a
//! directory, in a press release or in minutes, matched the way Arabic is written — with
//! or without the article (الأمل / أمل), with any hamza or teh marbuta spelling, after a
//! conjunction or preposition written onto the word (وجمعية، لمنبر، والائتلاف), after a
//! title (السيدة، الدكتور), and English and Turkish names case- and dot-insensitively.
//!
//! Offsets are in characters (Unicode scalar values) of the text given, as the API
//! promises; the longest name wins where names overlap, and names never overlap in the
//! answer.

use crate::analyze::{analyze, FieldKind};
use crate::arabic::strip_article;
use std::collections::HashMap;

/// One known name: who it is, as the caller names them.
#[derive(Debug, Clone)]
struct Entry<K> {
    kind: K,
    id: String,
    keys: Vec<String>,
}

/// A name found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention<K> {
    pub kind: K,
    pub id: String,
    /// Character offset of the first character of the name.
    pub start: usize,
    /// Character offset just past the name.
    pub end: usize,
    /// The text as written there.
    pub surface: String,
}

/// The names to look for.
#[derive(Debug, Clone)]
pub struct Gazetteer<K> {
    entries: Vec<Entry<K>>,
    by_first: HashMap<String, Vec<usize>>,
}

impl<K> Default for Gazetteer<K> {
    fn default() -> Self {
        Gazetteer {
            entries: Vec::new(),
            by_first: HashMap::new(),
        }
    }
}

/// The form a word is compared in: normalised, without its article.
fn key(normalised: &str) -> String {
    strip_article(normalised).unwrap_or(normalised).to_string()
}

/// Letters written onto the front of an Arabic word: and, so, with, for, like.
const CLITICS: [char; 5] = ['و', 'ف', 'ب', 'ل', 'ك'];

impl<K: Clone> Gazetteer<K> {
    pub fn new() -> Self {
        Gazetteer::default()
    }

    /// Add a name for (`kind`, `id`). A name of one word needs three letters or more
    /// (two-letter words are too often something else). A name with a hamza on a seat
    /// is also added as commonly typed without it (عائشة as عايشة, مؤمن as مومن), which the
    /// normal form alone does not bring together.
    pub fn add(&mut self, kind: K, id: &str, name: &str) {
        if name.contains(['ئ', 'ؤ']) {
            let bare: String = name
                .chars()
                .map(|c| match c {
                    'ئ' => 'ي',
                    'ؤ' => 'و',
                    c => c,
                })
                .collect();
            self.add_one(kind.clone(), id, &bare);
        }
        self.add_one(kind, id, name);
    }

    fn add_one(&mut self, kind: K, id: &str, name: &str) {
        let keys: Vec<String> = analyze(name, FieldKind::Name)
            .iter()
            .map(|t| key(&t.text))
            .collect();
        if keys.is_empty() || (keys.len() == 1 && keys[0].chars().count() < 3) {
            return;
        }
        let i = self.entries.len();
        self.by_first.entry(keys[0].clone()).or_default().push(i);
        self.entries.push(Entry {
            kind,
            id: id.to_string(),
            keys,
        });
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every name of the gazetteer in `text`, in order.
    pub fn find(&self, text: &str) -> Vec<Mention<K>> {
        let tokens = analyze(text, FieldKind::Name);
        let keys: Vec<String> = tokens.iter().map(|t| key(&t.text)).collect();
        // byte offset → character offset
        let mut chars_before = Vec::with_capacity(text.len() + 1);
        let mut n = 0;
        for (i, c) in text.char_indices() {
            while chars_before.len() < i {
                chars_before.push(n);
            }
            chars_before.push(n);
            n += 1;
            for _ in 1..c.len_utf8() {
                chars_before.push(n);
            }
        }
        while chars_before.len() <= text.len() {
            chars_before.push(n);
        }
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            // the word as it is, or without a letter written onto its front
            let mut firsts = vec![(keys[i].clone(), 0usize)];
            // (one or two of them: و + ل in ولمنبر), leaving three letters or more
            let raw = &text[tokens[i].start..tokens[i].end];
            let mut skip = 0;
            for c in raw.chars().take(2) {
                if !CLITICS.contains(&c) || raw[skip + c.len_utf8()..].chars().count() < 3 {
                    break;
                }
                skip += c.len_utf8();
                firsts.push((key(&crate::analyze::normalize_word(&raw[skip..])), skip));
            }
            let mut best: Option<(usize, usize, usize)> = None; // (entry, words, skip)
            for (first, skip) in &firsts {
                for &e in self.by_first.get(first).into_iter().flatten() {
                    let entry = &self.entries[e];
                    let len = entry.keys.len();
                    if i + len <= tokens.len()
                        && entry.keys[1..]
                            .iter()
                            .zip(&keys[i + 1..i + len])
                            .all(|(a, b)| a == b)
                        && best.is_none_or(|(_, l, _)| len > l)
                    {
                        best = Some((e, len, *skip));
                    }
                }
            }
            match best {
                Some((e, len, skip)) => {
                    let entry = &self.entries[e];
                    let (s, end) = (tokens[i].start + skip, tokens[i + len - 1].end);
                    out.push(Mention {
                        kind: entry.kind.clone(),
                        id: entry.id.clone(),
                        start: chars_before[s],
                        end: chars_before[end],
                        surface: text[s..end].to_string(),
                    });
                    i += len;
                }
                None => i += 1,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gazetteer() -> Gazetteer<&'static str> {
        let mut g = Gazetteer::new();
        g.add("organisation", "1", "منبر الجمعيات السورية");
        g.add("organisation", "1", "منبر الجمعيات");
        g.add("organisation", "2", "الائتلاف الوطني السوري");
        g.add("organisation", "2", "الائتلاف");
        g.add("person", "7", "عائشة الدبس");
        g.add("person", "8", "راتب الدبس");
        g.add("area", "TR", "تركيا");
        g.add("area", "SY-ID", "إدلب");
        g.add("organisation", "3", "SAMS");
        g.add("area", "TR-27", "Gaziantep");
        g.add("person", "9", "ab"); // too short to find alone
        g
    }

    fn found(text: &str) -> Vec<(&'static str, String, String)> {
        gazetteer()
            .find(text)
            .into_iter()
            .map(|m| (m.kind, m.id, m.surface))
            .collect()
    }

    #[test]
    fn names_are_found_however_they_are_written() {
        let text = "عقدت دائرة منظمات المجتمع المدني في الائتلاف الوطني السوري، اجتماعاً مع منبر الجمعيات السورية في تركيا، ورئيس مجلس الإدارة السيدة عائشة الدبس، ورئيس لجنة العلاقات العربية راتب الدبس.";
        assert_eq!(
            found(text),
            vec![
                ("organisation", "2".into(), "الائتلاف الوطني السوري".into()),
                ("organisation", "1".into(), "منبر الجمعيات السورية".into()),
                ("area", "TR".into(), "تركيا".into()),
                ("person", "7".into(), "عائشة الدبس".into()),
                ("person", "8".into(), "راتب الدبس".into()),
            ]
        );
        // hamza, teh marbuta, no article, letters written onto the word
        assert_eq!(found("عائشه الدبس")[0].1, "7"); // teh marbuta written as heh
        assert_eq!(found("منبر الجمعيات السوريه في تركيا").len(), 2);
        assert_eq!(found("وعائشة الدبس")[0].2, "عائشة الدبس");
        assert_eq!(found("ولمنبر الجمعيات")[0].1, "1"); // two letters written onto it
        assert_eq!(found("بين الائتلاف ومنبر الجمعيات").len(), 2);
        assert_eq!(found("sams and GAZİANTEP").len(), 2);
        assert_eq!(found("في ادلب")[0].1, "SY-ID"); // alef without its hamza
        assert!(found("ab ab").is_empty());
        // the hamza's seat written as a bare letter, as people often type it
        assert_eq!(found("السيدة عايشة الدبس")[0].1, "7");
        assert_eq!(found("والايتلاف الوطني السوري")[0].1, "2");
    }

    /// Pasted text is anything: random mixtures of Arabic letters, clitics, marks,
    /// tatweel, digits, Latin, Turkish dotted letters, emoji and bidi controls never panic,
    /// and every offset answered points at its surface.
    #[test]
    fn any_text_gives_answers_that_hold() {
        let pool: Vec<char> = "منبرالجمعياتسوريةتركياعائشةالدبسوبلكفأإآءئؤةىـًٌٍَُِّْ ،.؛٠١٢0123 SAMSgaziantepİıŞş\u{200f}\u{202e}\u{2066}😀\n\t"
            .chars()
            .collect();
        let g = gazetteer();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..3000 {
            let mut s = String::new();
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 60) as usize;
            for _ in 0..len {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                s.push(pool[(x % pool.len() as u64) as usize]);
            }
            let chars: Vec<char> = s.chars().collect();
            let mut last_end = 0;
            for m in g.find(&s) {
                assert!(m.start < m.end && m.end <= chars.len(), "{s:?}");
                assert!(m.start >= last_end, "no overlaps: {s:?}");
                assert_eq!(chars[m.start..m.end].iter().collect::<String>(), m.surface);
                last_end = m.end;
            }
        }
    }

    #[test]
    fn offsets_are_in_characters() {
        let text = "مع منبر الجمعيات اليوم";
        let m = &gazetteer().find(text)[0];
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(chars[m.start..m.end].iter().collect::<String>(), m.surface);
        assert_eq!((m.start, m.end), (3, 16));
    }
}
