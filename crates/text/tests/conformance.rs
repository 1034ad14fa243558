//! Lucene's own test vectors (copied verbatim from `shared/conformance/arabic`), run
//! against the strict Lucene modes, and Minbar's modes checked not to regress them.

use minbar_text::arabic::{Normalizer, Stemmer};
use minbar_text::turkish;
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/conformance")
}

/// Data rows of a TSV file: comments and the header line dropped.
fn rows(name: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(dir().join(name)).expect("conformance file");
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

#[test]
fn copies_match_the_shared_originals() {
    let shared =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/arabic");
    if !shared.exists() {
        eprintln!("shared/ not beside the checkout; skipping the drift check");
        return;
    }
    for f in [
        "lucene_arabic_vectors.tsv",
        "lucene_arabic_analyzer_vectors.tsv",
        "turkish_lowercase_vectors.tsv",
    ] {
        assert_eq!(
            std::fs::read(dir().join(f)).unwrap(),
            std::fs::read(shared.join(f)).unwrap(),
            "{f} differs from shared/conformance"
        );
    }
}

#[test]
fn lucene_normalizer_and_stemmer_vectors() {
    let rows = rows("lucene_arabic_vectors.tsv");
    assert!(rows.len() > 30, "expected the full vector set");
    let mut checked = 0;
    for r in &rows {
        let (kind, input, expected) = (&r[0], &r[1], &r[2]);
        let got = match kind.as_str() {
            "normalize" => Normalizer::LUCENE.normalize(input),
            "stem" => Stemmer::Lucene.stem(input),
            other => panic!("unknown kind {other}"),
        };
        assert_eq!(&got, expected, "{kind} {input} ({})", r[3]);
        // Minbar's modes are supersets: on Lucene's vectors they agree
        let minbar = match kind.as_str() {
            "normalize" => Normalizer::MINBAR.normalize(input),
            _ => Stemmer::Minbar.stem(input),
        };
        assert_eq!(&minbar, expected, "minbar {kind} {input}");
        checked += 1;
    }
    println!("{checked} Lucene normalizer/stemmer vectors checked");
}

/// Lucene's ArabicAnalyzer chain, rebuilt from minbar-text's parts: tokenise, lower-case,
/// decimal digits, stop words (before normalising), normalise, stem.
fn lucene_chain(text: &str, stop: &[&str], exclusions: &[&str]) -> Vec<String> {
    minbar_text::analyze::words(text)
        .into_iter()
        .map(|(s, e)| text[s..e].to_lowercase())
        .map(|w| {
            w.chars()
                .map(|c| match c {
                    '\u{0660}'..='\u{0669}' => char::from_digit(c as u32 - 0x660, 10).unwrap(),
                    _ => c,
                })
                .collect::<String>()
        })
        .filter(|w| !stop.contains(&w.as_str()))
        .map(|w| Normalizer::LUCENE.normalize(&w))
        .map(|w| {
            if exclusions.contains(&w.as_str()) {
                w
            } else {
                Stemmer::Lucene.stem(&w)
            }
        })
        .collect()
}

fn parse_set(spec: &str, key: &str) -> Option<Vec<String>> {
    spec.split(';').find_map(|part| {
        let v = part.strip_prefix(key)?.strip_prefix('=')?;
        Some(if v == "EMPTY" {
            vec![]
        } else {
            v.trim_matches(|c| c == '{' || c == '}')
                .split(',')
                .map(str::to_string)
                .collect()
        })
    })
}

#[test]
fn lucene_analyzer_vectors() {
    let rows = rows("lucene_arabic_analyzer_vectors.tsv");
    let default_stop: Vec<&str> = vec!["ما", "الذين"]; // of Lucene's list, the words its tests use
    for r in &rows {
        let (input, expected, config) = (&r[0], &r[1], &r[2]);
        let stop_owned = if config == "default" {
            None
        } else {
            parse_set(config, "stopwords")
        };
        let stop: Vec<&str> = match &stop_owned {
            Some(v) => v.iter().map(String::as_str).collect(),
            None => default_stop.clone(),
        };
        let excl_owned = parse_set(config, "stemExclusion").unwrap_or_default();
        let excl: Vec<&str> = excl_owned.iter().map(String::as_str).collect();
        let got = lucene_chain(input, &stop, &excl).join(" ");
        assert_eq!(&got, expected, "{input} [{config}]");
        // Minbar's text field agrees on the Arabic stems of the default rows
        if config == "default" && input.chars().any(minbar_text::arabic::is_arabic) {
            let minbar: Vec<String> = minbar_text::analyze(input, minbar_text::FieldKind::Text)
                .into_iter()
                .map(|t| t.text)
                .collect();
            assert_eq!(minbar.join(" "), *expected, "minbar text field: {input}");
        }
    }
}

#[test]
fn turkish_lowercase_vectors() {
    let rows = rows("turkish_lowercase_vectors.tsv");
    assert!(rows.len() >= 12);
    for r in &rows {
        let expected = r.get(1).cloned().unwrap_or_default();
        assert_eq!(turkish::lowercase(&r[0]), expected, "{:?}", r[0]);
    }
}
