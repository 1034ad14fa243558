//! Arabic normalisation and light stemming.
//!
//! Strict modes reproduce Lucene's `ArabicNormalizer` and `ArabicStemmer` rule for rule
//! (tested against Lucene's own vectors in `tests/conformance`). The default modes add
//! what Minbar's users need; each addition is listed in the crate README.

const ALEF: char = '\u{0627}';
const ALEF_MADDA: char = '\u{0622}';
const ALEF_HAMZA_ABOVE: char = '\u{0623}';
const ALEF_HAMZA_BELOW: char = '\u{0625}';
const ALEF_WASLA: char = '\u{0671}';
const YEH: char = '\u{064A}';
const DOTLESS_YEH: char = '\u{0649}';
const TEH_MARBUTA: char = '\u{0629}';
const HEH: char = '\u{0647}';
const TATWEEL: char = '\u{0640}';
const HAMZA: char = '\u{0621}';
const WAW_HAMZA: char = '\u{0624}';
const YEH_HAMZA: char = '\u{0626}';
const FARSI_YEH: char = '\u{06CC}';
const KEHEH: char = '\u{06A9}';
const KAF: char = '\u{0643}';

/// Which rules the normaliser applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Normalizer {
    /// Fold Persian-keyboard letters ی and ک to Arabic ي and ك.
    pub persian_letters: bool,
    /// Arabic-Indic (٠-٩) and Persian (۰-۹) digits to ASCII.
    pub digits: bool,
    /// Hamza on a seat (ؤ ئ) to bare hamza, so مسؤول and مسئول meet.
    pub hamza_seats: bool,
}

impl Normalizer {
    /// Exactly Lucene's `ArabicNormalizer`.
    pub const LUCENE: Normalizer = Normalizer {
        persian_letters: false,
        digits: false,
        hamza_seats: false,
    };
    /// Minbar's normaliser: Lucene's rules plus Persian letters, digits and hamza seats.
    pub const MINBAR: Normalizer = Normalizer {
        persian_letters: true,
        digits: true,
        hamza_seats: true,
    };

    /// Normalise one character; `None` means the character is dropped.
    pub fn map_char(&self, c: char) -> Option<char> {
        match c {
            ALEF_MADDA | ALEF_HAMZA_ABOVE | ALEF_HAMZA_BELOW => Some(ALEF),
            ALEF_WASLA if self.hamza_seats => Some(ALEF),
            DOTLESS_YEH => Some(YEH),
            TEH_MARBUTA => Some(HEH),
            TATWEEL => None,
            // fathatan .. sukun
            '\u{064B}'..='\u{0652}' => None,
            // superscript alef and the extended harakat Lucene leaves alone
            '\u{0653}'..='\u{065F}' | '\u{0670}' if self.hamza_seats => None,
            WAW_HAMZA | YEH_HAMZA if self.hamza_seats => Some(HAMZA),
            FARSI_YEH if self.persian_letters => Some(YEH),
            KEHEH if self.persian_letters => Some(KAF),
            '\u{0660}'..='\u{0669}' if self.digits => char::from_digit(c as u32 - 0x0660, 10),
            '\u{06F0}'..='\u{06F9}' if self.digits => char::from_digit(c as u32 - 0x06F0, 10),
            _ => Some(c),
        }
    }

    /// Normalise a string.
    pub fn normalize(&self, s: &str) -> String {
        s.chars().filter_map(|c| self.map_char(c)).collect()
    }
}

/// Normalise with Minbar's rules (see [`Normalizer::MINBAR`]).
pub fn normalize(s: &str) -> String {
    Normalizer::MINBAR.normalize(s)
}

const LUCENE_PREFIXES: [&str; 7] = ["ال", "وال", "بال", "كال", "فال", "لل", "و"];
const SUFFIXES: [&str; 10] = ["ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي"];

/// Which prefix rules the stemmer applies (suffix rules are Lucene's in both modes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stemmer {
    /// Exactly Lucene's `ArabicStemmer`.
    Lucene,
    /// Lucene's rules, but stacked proclitics (و/ف + ب/ك/ل + ال, وبالمدارس) are removed
    /// as a whole instead of one layer.
    Minbar,
}

fn starts_with_check_length(s: &[char], prefix: &[char]) -> bool {
    if prefix.len() == 1 && s.len() < 4 {
        return false;
    }
    if s.len() < prefix.len() + 2 {
        return false;
    }
    s.starts_with(prefix)
}

fn ends_with_check_length(s: &[char], suffix: &[char]) -> bool {
    if s.len() < suffix.len() + 2 {
        return false;
    }
    s.ends_with(suffix)
}

/// Length of a stacked proclitic at the start of `s` (conjunction, preposition, article),
/// or 0. Only stacks that end in the article count, so a bare ب or ك is never taken for a
/// preposition: that would damage too many words (بيت, كتاب).
fn stacked_prefix_len(s: &[char]) -> usize {
    let mut i = 0;
    if matches!(s.first(), Some('و' | 'ف')) {
        i = 1;
    }
    let rest = &s[i..];
    let len = if rest.starts_with(&['ل', 'ل']) {
        // لِ + ال is written لل
        i + 2
    } else if matches!(rest.first(), Some('ب' | 'ك' | 'ل')) && rest[1..].starts_with(&['ا', 'ل'])
    {
        i + 3
    } else if rest.starts_with(&['ا', 'ل']) {
        i + 2
    } else {
        return 0;
    };
    if s.len() >= len + 2 {
        len
    } else {
        0
    }
}

impl Stemmer {
    /// Stem one token (which should already be normalised, as in Lucene's analyser).
    pub fn stem(&self, token: &str) -> String {
        let chars: Vec<char> = token.chars().collect();
        let mut s: &[char] = &chars;
        let stacked = match self {
            Stemmer::Minbar => stacked_prefix_len(s),
            Stemmer::Lucene => 0,
        };
        if stacked > 0 {
            s = &s[stacked..];
        } else {
            for p in LUCENE_PREFIXES {
                let p: Vec<char> = p.chars().collect();
                if starts_with_check_length(s, &p) {
                    s = &s[p.len()..];
                    break;
                }
            }
        }
        for suf in SUFFIXES {
            let suf: Vec<char> = suf.chars().collect();
            if ends_with_check_length(s, &suf) {
                s = &s[..s.len() - suf.len()];
            }
        }
        s.iter().collect()
    }
}

/// A normalised word without its definite article (الامل → امل), when what remains is
/// still a word of three letters or more. Names keep their article in the index; this is
/// the variant that lets a search without the article find them.
pub fn strip_article(normalised: &str) -> Option<&str> {
    let rest = normalised.strip_prefix("ال")?;
    (rest.chars().count() >= 3).then_some(rest)
}

/// Is this character an Arabic-script letter or mark?
pub fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// Arabic function words removed from *text* fields, in normalised form. Includes
/// `ما` and `الذين`, the two of Lucene's default list its tests exercise.
pub const STOPWORDS: &[&str] = &[
    "في",
    "من",
    "الي",
    "علي",
    "عن",
    "مع",
    "ان",
    "او",
    "ثم",
    "هذا",
    "هذه",
    "ذلك",
    "تلك",
    "التي",
    "الذي",
    "الذين",
    "اللذين",
    "اللتين",
    "اللواتي",
    "ما",
    "ماذا",
    "لا",
    "لم",
    "لن",
    "قد",
    "كان",
    "كانت",
    "هو",
    "هي",
    "هم",
    "هن",
    "نحن",
    "انا",
    "انت",
    "انتم",
    "كل",
    "بين",
    "حتي",
    "اذا",
    "لكن",
    "بل",
    "عند",
    "منذ",
    "حيث",
    "كما",
    "لقد",
    "و",
    "ف",
    "ب",
    "ل",
    "ك",
    "يا",
    "اي",
    "اما",
    "غير",
    "بعد",
    "قبل",
    "فيه",
    "فيها",
    "منه",
    "منها",
    "عليه",
    "عليها",
    "به",
    "بها",
    "له",
    "لها",
];

/// Is `normalised` an Arabic stop word?
pub fn is_stopword(normalised: &str) -> bool {
    STOPWORDS.contains(&normalised)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hamza_seats_meet() {
        assert_eq!(normalize("مسؤول"), normalize("مسئول"));
        assert_ne!(
            Normalizer::LUCENE.normalize("مسؤول"),
            Normalizer::LUCENE.normalize("مسئول")
        );
    }

    #[test]
    fn persian_letters_and_digits_fold() {
        assert_eq!(normalize("کتابی"), "كتابي");
        assert_eq!(normalize("٢٠٢٦ ۱۹"), "2026 19");
    }

    #[test]
    fn stacked_proclitics_are_removed_whole() {
        assert_eq!(Stemmer::Minbar.stem("وبالمدارس"), "مدارس");
        assert_eq!(Stemmer::Minbar.stem("فللاطفال"), "اطفال");
        assert_eq!(Stemmer::Lucene.stem("وبالمدارس"), "بالمدارس");
        // no article, no stripping of ب: بيت stays a house
        assert_eq!(Stemmer::Minbar.stem("بيت"), "بيت");
    }

    #[test]
    fn the_article_comes_off_names_only_when_a_word_remains() {
        assert_eq!(strip_article("الامل"), Some("امل"));
        assert_eq!(strip_article("الله"), None);
        assert_eq!(strip_article("امل"), None);
    }

    #[test]
    fn short_words_keep_their_article() {
        assert_eq!(Stemmer::Minbar.stem("الو"), "الو");
    }
}
