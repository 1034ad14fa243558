//! Turkish lower-casing and folding to ASCII.
//!
//! `str::to_lowercase` turns `İ` into `i` + U+0307 and `I` into `i`; Turkish wants `i` and
//! `ı`. [`lowercase`] follows Lucene's `TurkishLowerCaseFilter`: `I` followed (possibly
//! after other non-spacing marks) by a combining dot above becomes `i` and the dot goes.

const COMBINING_DOT_ABOVE: char = '\u{0307}';

fn is_nonspacing_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// Lower-case with Turkish rules.
pub fn lowercase(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut skip_dot_at: Option<usize> = None;
    for (i, &c) in chars.iter().enumerate() {
        if skip_dot_at == Some(i) {
            skip_dot_at = None;
            continue;
        }
        match c {
            'I' => {
                // look past other non-spacing marks for a combining dot above
                let mut j = i + 1;
                while j < chars.len() && is_nonspacing_mark(chars[j]) {
                    if chars[j] == COMBINING_DOT_ABOVE {
                        break;
                    }
                    j += 1;
                }
                if j < chars.len() && chars[j] == COMBINING_DOT_ABOVE {
                    out.push('i');
                    skip_dot_at = Some(j);
                } else {
                    out.push('ı');
                }
            }
            'İ' => out.push('i'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Fold a lower-cased Latin letter with diacritics to its ASCII base (ş→s, ı→i, ğ→g, é→e).
/// Returns the character itself when there is nothing to fold.
pub fn fold_char(c: char) -> char {
    match c {
        'ç' | 'ć' | 'č' => 'c',
        'ğ' => 'g',
        'ı' | 'î' | 'ï' | 'í' | 'ì' => 'i',
        'ö' | 'ô' | 'ó' | 'ò' | 'õ' | 'ø' => 'o',
        'ş' | 'ś' | 'š' => 's',
        'ü' | 'û' | 'ú' | 'ù' => 'u',
        'â' | 'ä' | 'á' | 'à' | 'ã' | 'å' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'ñ' => 'n',
        'ž' | 'ź' | 'ż' => 'z',
        _ => c,
    }
}

/// Fold to ASCII, dropping combining marks left over from decomposed input.
pub fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !is_nonspacing_mark(*c))
        .map(fold_char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_and_dotless() {
        assert_eq!(lowercase("İSTANBUL"), "istanbul");
        assert_eq!(lowercase("ISPARTA"), "ısparta");
        assert_eq!(lowercase("I\u{0307}ZMI\u{0307}R"), "izmir");
    }

    #[test]
    fn typed_without_turkish_letters_still_meets() {
        assert_eq!(fold(&lowercase("Şanlıurfa")), "sanliurfa");
        assert_eq!(fold(&lowercase("IĞDIR")), fold(&lowercase("igdir")));
    }
}
