//! The three languages and text kept in each of them.

use serde::{Deserialize, Serialize};

/// A language of the interface and of entity names. Arabic comes first.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Ar,
    En,
    Tr,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Ar, Lang::En, Lang::Tr];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::En => "en",
            Lang::Tr => "tr",
        }
    }

    /// Parse `ar`, `en`, `tr` (also `ar-SY`, `tr-TR`, any case).
    pub fn parse(s: &str) -> Option<Lang> {
        let primary = s.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "ar" => Some(Lang::Ar),
            "en" => Some(Lang::En),
            "tr" => Some(Lang::Tr),
            _ => None,
        }
    }

    pub fn is_rtl(self) -> bool {
        self == Lang::Ar
    }

    /// The order in which to fall back when a text is missing in this language.
    pub fn fallbacks(self) -> [Lang; 3] {
        match self {
            Lang::Ar => [Lang::Ar, Lang::En, Lang::Tr],
            Lang::En => [Lang::En, Lang::Tr, Lang::Ar],
            Lang::Tr => [Lang::Tr, Lang::En, Lang::Ar],
        }
    }
}

/// Text in up to three languages; at least one is usually required by the caller.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct I18nText {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ar: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tr: Option<String>,
}

impl I18nText {
    pub fn get_exact(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::Ar => self.ar.as_deref(),
            Lang::En => self.en.as_deref(),
            Lang::Tr => self.tr.as_deref(),
        }
    }

    /// The text in `lang`, or in the next language that has it, with the language used.
    pub fn get_with_lang(&self, lang: Lang) -> Option<(&str, Lang)> {
        lang.fallbacks()
            .into_iter()
            .find_map(|l| self.get_exact(l).map(|s| (s, l)))
    }

    /// The text in `lang` with fallback, or the empty string.
    pub fn get(&self, lang: Lang) -> &str {
        self.get_with_lang(lang).map(|(s, _)| s).unwrap_or("")
    }

    pub fn is_empty(&self) -> bool {
        self.ar.is_none() && self.en.is_none() && self.tr.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_to_another_language() {
        let t = I18nText {
            ar: Some("الأمل".into()),
            en: None,
            tr: None,
        };
        assert_eq!(t.get(Lang::En), "الأمل");
        assert_eq!(t.get_with_lang(Lang::Tr).unwrap().1, Lang::Ar);
    }

    #[test]
    fn parses_language_tags() {
        assert_eq!(Lang::parse("tr-TR"), Some(Lang::Tr));
        assert_eq!(Lang::parse("AR"), Some(Lang::Ar));
        assert_eq!(Lang::parse("de"), None);
    }
}
