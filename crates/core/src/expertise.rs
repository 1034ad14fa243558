//! The expertise exchange: offers ("we can train on case management") and requests ("we
//! need help with a complaints mechanism"), matched by sector, topic, language, area and
//! text, and the exchanges that followed.

use crate::document::{tag_key, Tag};
use crate::error::{DomainError, FieldErrors};
use crate::ids::OrgId;
use crate::lang::Lang;
use crate::values::{AreaCode, Date, LongText, Name, SectorCode, Visibility};
use serde::{Deserialize, Serialize};

code_enum!(
    /// An offer of expertise or a request for it.
    ExpertiseKind, DomainError::KindInvalid, {
    Offer => "offer",
    Request => "request",
});

code_enum!(
    /// How the expertise is given.
    DeliveryFormat, DomainError::FormatInvalid, {
    Online => "online",
    InPerson => "in_person",
    Either => "either",
});

code_enum!(
    /// Where an offer or request stands.
    ExpertiseStatus, DomainError::StatusInvalid, {
    Open => "open",
    Matched => "matched",
    Closed => "closed",
});

/// An offer or request form or API body, as typed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExpertiseInput {
    /// offer or request
    pub kind: String,
    /// The offering or requesting organisation (a focal point's own).
    pub org_id: Option<i64>,
    pub title: String,
    pub description: String,
    /// A sector code, or empty.
    pub sector: String,
    /// Free topics ("case management", "إدارة الحالة"); in a form, separated by commas.
    pub topics: Vec<String>,
    /// ar, en, tr: languages it can be given (or is needed) in.
    pub languages: Vec<String>,
    /// Area codes where it can be given (or is needed).
    pub areas: Vec<String>,
    /// online, in_person or either
    pub format: String,
    /// `YYYY-MM-DD`: the period it is available (or needed) in.
    pub from: String,
    pub to: String,
    pub visibility: String,
}

/// An offer or request, valid.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpertiseDraft {
    pub kind: ExpertiseKind,
    pub org: OrgId,
    pub title: String,
    pub description: String,
    pub sector: Option<SectorCode>,
    pub topics: Vec<Tag>,
    pub languages: Vec<Lang>,
    pub areas: Vec<AreaCode>,
    pub format: DeliveryFormat,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub visibility: Visibility,
}

impl ExpertiseDraft {
    pub fn parse(i: &ExpertiseInput) -> Result<ExpertiseDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let kind = e.take("kind", ExpertiseKind::parse(&i.kind));
        let org = match i.org_id.filter(|o| *o > 0) {
            Some(o) => Some(OrgId(o)),
            None => {
                e.push("org_id", "org_unknown");
                None
            }
        };
        let title = e.take("title", Name::parse(&i.title)).map(Name::into_inner);
        let description = e
            .take("description", LongText::parse_optional(&i.description))
            .flatten()
            .map(LongText::into_inner)
            .unwrap_or_default();
        let sector = if i.sector.trim().is_empty() {
            None
        } else {
            e.take("sector", SectorCode::parse(&i.sector))
        };
        let mut topics: Vec<Tag> = Vec::new();
        for raw in i.topics.iter().flat_map(|t| Tag::split(t)) {
            if let Some(t) = e.take("topics", Tag::parse(&raw)) {
                if !topics.iter().any(|x| x.key() == t.key()) {
                    topics.push(t);
                }
            }
        }
        let mut languages = Vec::new();
        for l in i.languages.iter().filter(|l| !l.trim().is_empty()) {
            match Lang::parse(l.trim()) {
                Some(l) if !languages.contains(&l) => languages.push(l),
                Some(_) => {}
                None => e.push("languages", "lang_invalid"),
            }
        }
        let mut areas = Vec::new();
        for a in i.areas.iter().filter(|a| !a.trim().is_empty()) {
            if let Some(c) = e.take("areas", AreaCode::parse(a)) {
                if !areas.contains(&c) {
                    areas.push(c);
                }
            }
        }
        let format = e.take(
            "format",
            DeliveryFormat::parse(if i.format.trim().is_empty() {
                "either"
            } else {
                &i.format
            }),
        );
        let from = e.take("from", Date::parse_optional(&i.from)).flatten();
        let to = e.take("to", Date::parse_optional(&i.to)).flatten();
        if let (Some(f), Some(t)) = (&from, &to) {
            if t.as_str() < f.as_str() {
                e.push("to", DomainError::EndBeforeStart.code());
            }
        }
        let visibility = e.take(
            "visibility",
            Visibility::parse(if i.visibility.trim().is_empty() {
                "members"
            } else {
                &i.visibility
            }),
        );
        match (kind, org, title, format, visibility) {
            (Some(kind), Some(org), Some(title), Some(format), Some(visibility))
                if e.is_empty() =>
            {
                Ok(ExpertiseDraft {
                    kind,
                    org,
                    title,
                    description,
                    sector,
                    topics,
                    languages,
                    areas,
                    format,
                    from,
                    to,
                    visibility,
                })
            }
            _ => Err(e),
        }
    }
}

/// What matching looks at in an offer or a request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MatchProfile {
    pub sector: Option<String>,
    /// The analysed words of the topics ([`MatchProfile::words_of`]), so "آلية الشكاوى"
    /// and "آليات الشكاوي" share a word.
    pub topics: Vec<String>,
    pub languages: Vec<String>,
    /// Areas with the areas above them (a provider in Türkiye covers Gaziantep).
    pub areas: Vec<String>,
    pub online: bool,
    pub in_person: bool,
    /// Analysed words of the title and description.
    pub words: Vec<String>,
}

impl MatchProfile {
    /// The words matching compares: the search analysis of titles (normalised, folded,
    /// stemmed), so "الشكاوى" meets "شكاوي".
    pub fn words_of(text: &str) -> Vec<String> {
        let mut w: Vec<String> = minbar_text::analyze(text, minbar_text::FieldKind::Text)
            .into_iter()
            .map(|t| t.text)
            .filter(|t| t.chars().count() > 2)
            .collect();
        w.sort();
        w.dedup();
        w
    }
    pub fn topic_key(s: &str) -> String {
        tag_key(s)
    }
}

/// Why two profiles match, and how well: the score and the reasons, as message keys.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchScore {
    pub score: u32,
    /// sector, topic, language, area, online, words
    pub reasons: Vec<&'static str>,
}

/// How well `a` answers `b` (symmetric). Sector 30, each shared topic word 20 (at most 40),
/// a shared language 15 (none shared and both given: no match at all, since a training
/// nobody understands helps nobody), a shared area or both online 10, and up to 30 for
/// shared words (Jaccard). Zero when nothing is shared.
pub fn match_score(a: &MatchProfile, b: &MatchProfile) -> MatchScore {
    let mut score = 0;
    let mut reasons = Vec::new();
    if !a.languages.is_empty()
        && !b.languages.is_empty()
        && !a.languages.iter().any(|l| b.languages.contains(l))
    {
        return MatchScore { score: 0, reasons };
    }
    if a.sector.is_some() && a.sector == b.sector {
        score += 30;
        reasons.push("sector");
    }
    let shared_topics = a.topics.iter().filter(|t| b.topics.contains(t)).count() as u32;
    if shared_topics > 0 {
        score += 20 * shared_topics.min(2);
        reasons.push("topic");
    }
    if a.languages.iter().any(|l| b.languages.contains(l)) {
        score += 15;
        reasons.push("language");
    }
    if a.areas.iter().any(|x| b.areas.contains(x)) && (a.in_person && b.in_person) {
        score += 10;
        reasons.push("area");
    } else if a.online && b.online {
        score += 10;
        reasons.push("online");
    }
    let shared = a.words.iter().filter(|w| b.words.contains(w)).count();
    let union = a.words.len() + b.words.len() - shared;
    if shared > 0 && union > 0 {
        score += ((30 * shared) / union).max(1) as u32;
        reasons.push("words");
    }
    // only a language or a format in common is not a match
    if !reasons
        .iter()
        .any(|r| matches!(*r, "sector" | "topic" | "words"))
    {
        return MatchScore {
            score: 0,
            reasons: vec![],
        };
    }
    MatchScore { score, reasons }
}

/// An exchange that took place, as typed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExchangeInput {
    /// `YYYY-MM-DD`.
    pub held_on: String,
    /// How many people were trained (or helped).
    pub people: String,
    pub feedback: String,
}

/// An exchange record, valid.
#[derive(Debug, Clone, PartialEq)]
pub struct ExchangeDraft {
    pub held_on: Option<Date>,
    pub people: Option<i64>,
    pub feedback: Option<String>,
}

impl ExchangeDraft {
    pub fn parse(i: &ExchangeInput) -> Result<ExchangeDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let held_on = e
            .take("held_on", Date::parse_optional(&i.held_on))
            .flatten();
        let raw = minbar_text::arabic::normalize(i.people.trim());
        let people = if raw.is_empty() {
            None
        } else {
            match raw.parse::<i64>() {
                Ok(n) if (0..=1_000_000).contains(&n) => Some(n),
                Ok(_) => {
                    e.push("people", DomainError::CountNegative.code());
                    None
                }
                Err(_) => {
                    e.push("people", DomainError::CountInvalid.code());
                    None
                }
            }
        };
        let feedback = e
            .take("feedback", LongText::parse_optional(&i.feedback))
            .flatten()
            .map(LongText::into_inner);
        if e.is_empty() {
            Ok(ExchangeDraft {
                held_on,
                people,
                feedback,
            })
        } else {
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(sector: &str, topics: &[&str], langs: &[&str], text: &str) -> MatchProfile {
        MatchProfile {
            sector: (!sector.is_empty()).then(|| sector.to_string()),
            topics: MatchProfile::words_of(&topics.join(" ")),
            languages: langs.iter().map(|l| l.to_string()).collect(),
            areas: vec!["TR".into(), "TR-27".into()],
            online: true,
            in_person: false,
            words: MatchProfile::words_of(text),
        }
    }

    #[test]
    fn a_request_ranks_the_offers_that_answer_it_first() {
        let request = profile(
            "protection",
            &["آلية الشكاوى"],
            &["ar"],
            "نحتاج مساعدة في إنشاء آلية الشكاوى والملاحظات",
        );
        let close = profile(
            "protection",
            &["آليات الشكاوي"],
            &["ar", "en"],
            "تدريب على آليات الشكاوي والتغذية الراجعة",
        );
        let far = profile("", &["wash"], &["ar"], "صيانة شبكات المياه");
        let english_only = profile("protection", &["آلية الشكاوى"], &["en"], "complaints");
        let s_close = match_score(&request, &close);
        let s_far = match_score(&request, &far);
        assert!(s_close.score > 60, "{s_close:?}");
        assert!(
            s_close.reasons.contains(&"topic"),
            "ى/ي and the plural meet"
        );
        assert_eq!(s_far.score, 0, "a language in common is not a match");
        assert_eq!(
            match_score(&request, &english_only).score,
            0,
            "no shared language"
        );
        assert_eq!(match_score(&request, &close), match_score(&close, &request));
    }

    #[test]
    fn an_offer_needs_an_organisation_a_title_and_a_sensible_period() {
        let e = ExpertiseDraft::parse(&ExpertiseInput {
            kind: "gift".into(),
            from: "2026-12-01".into(),
            to: "2026-11-01".into(),
            languages: vec!["fr".into()],
            ..Default::default()
        })
        .unwrap_err();
        for f in ["kind", "org_id", "title", "to", "languages"] {
            assert!(e.get(f).is_some(), "{f}: {e}");
        }
        let ok = ExpertiseDraft::parse(&ExpertiseInput {
            kind: "offer".into(),
            org_id: Some(3),
            title: "تدريب على إدارة الحالة".into(),
            topics: vec!["إدارة الحالة، حماية الطفل".into()],
            languages: vec!["ar".into(), "tr".into(), "ar".into()],
            ..Default::default()
        })
        .unwrap();
        assert_eq!(ok.languages, vec![Lang::Ar, Lang::Tr]);
        assert_eq!(ok.topics.len(), 2);
        assert_eq!(ok.format, DeliveryFormat::Either);
        let x = ExchangeDraft::parse(&ExchangeInput {
            people: "٢٥".into(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(x.people, Some(25), "Arabic-Indic digits");
        assert!(ExchangeDraft::parse(&ExchangeInput {
            people: "-3".into(),
            ..Default::default()
        })
        .is_err());
    }
}
