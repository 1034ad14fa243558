//! Interface strings, from the Fluent files in `locales/` (embedded in the binary).

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use minbar_core::Lang;
use std::sync::LazyLock;

struct Locales {
    ar: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
    tr: FluentBundle<FluentResource>,
}

fn bundle(tag: &str, src: &str) -> FluentBundle<FluentResource> {
    let res = FluentResource::try_new(src.to_string()).expect("locale file parses");
    let lang = tag.parse().expect("language tag");
    let mut b = FluentBundle::new_concurrent(vec![lang]);
    // Values are wrapped in <bdi> by the templates where direction matters.
    b.set_use_isolating(false);
    b.add_resource(res).expect("no duplicate messages");
    b
}

static LOCALES: LazyLock<Locales> = LazyLock::new(|| Locales {
    ar: bundle("ar", include_str!("../locales/ar.ftl")),
    en: bundle("en", include_str!("../locales/en.ftl")),
    tr: bundle("tr", include_str!("../locales/tr.ftl")),
});

fn bundle_for(lang: Lang) -> &'static FluentBundle<FluentResource> {
    match lang {
        Lang::Ar => &LOCALES.ar,
        Lang::En => &LOCALES.en,
        Lang::Tr => &LOCALES.tr,
    }
}

/// Translate `key` into `lang`, with arguments; falls back to English, then to the key.
pub fn translate(lang: Lang, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    for b in [bundle_for(lang), &LOCALES.en] {
        if let Some(pattern) = b.get_message(key).and_then(|m| m.value()) {
            let mut fa = FluentArgs::new();
            for (k, v) in args {
                fa.set(*k, v.clone());
            }
            let mut errors = vec![];
            let s = b.format_pattern(pattern, Some(&fa), &mut errors);
            return s.into_owned();
        }
    }
    key.to_string()
}

/// A translator bound to one language, handed to templates.
#[derive(Debug, Clone, Copy)]
pub struct Tr(pub Lang);

impl Tr {
    pub fn get(&self, key: &str) -> String {
        translate(self.0, key, &[])
    }
    /// A message with one argument.
    pub fn arg(&self, key: &str, name: &str, value: &str) -> String {
        translate(self.0, key, &[(name, FluentValue::from(value.to_string()))])
    }
    /// A message with one number argument (plurals follow the language's rules).
    pub fn count(&self, key: &str, n: i64) -> String {
        translate(self.0, key, &[("count", FluentValue::from(n))])
    }
    /// The translated message of an error code (`err-…`).
    pub fn err(&self, code: &str) -> String {
        self.get(&format!("err-{code}"))
    }
}

/// Every message key of the English file (the reference set).
pub fn keys() -> Vec<String> {
    include_str!("../locales/en.ftl")
        .lines()
        .filter_map(|l| l.split_once(" = ").map(|(k, _)| k))
        .filter(|k| !k.starts_with(' ') && !k.is_empty())
        .map(str::to_string)
        .collect()
}

/// Has `lang` its own translation of `key`?
pub fn has(lang: Lang, key: &str) -> bool {
    bundle_for(lang).has_message(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_translated_in_every_language() {
        let keys = keys();
        assert!(keys.len() > 100);
        for l in Lang::ALL {
            for k in &keys {
                assert!(has(l, k), "{} lacks {k}", l.code());
            }
        }
    }

    #[test]
    fn arabic_plurals_follow_arabic_rules() {
        let t = Tr(Lang::Ar);
        assert_eq!(t.count("directory-count", 1), "منظمة واحدة");
        assert_eq!(t.count("directory-count", 2), "منظمتان");
        assert_eq!(t.count("directory-count", 5), "5 منظمات");
        assert_eq!(t.count("directory-count", 42), "42 منظمة");
        assert_eq!(Tr(Lang::En).count("directory-count", 1), "One organisation");
    }
}
