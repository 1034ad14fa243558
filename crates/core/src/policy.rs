//! The policy tracker: host-country decisions and proposals that affect refugees, with
//! the network's analysis, position and advocacy.

use crate::error::{DomainError, FieldErrors};
use crate::ids::{DocumentId, OrgId, ProposalId};
use crate::lang::{I18nText, Lang};
use crate::values::{AreaCode, Date, LongText, Name, Visibility, WebUrl};
use serde::{Deserialize, Serialize};

code_enum!(
    /// What kind of instrument a policy item is.
    Instrument, DomainError::KindInvalid, {
    Law => "law",
    Regulation => "regulation",
    Circular => "circular",
    Announcement => "announcement",
    DraftProposal => "draft_proposal",
});

code_enum!(
    /// Where a policy item stands.
    PolicyStatus, DomainError::StatusInvalid, {
    Proposed => "proposed",
    InForce => "in_force",
    Suspended => "suspended",
    Repealed => "repealed",
});

code_enum!(
    /// How much it changes for the people concerned.
    Impact, DomainError::ImpactInvalid, {
    Low => "low",
    Medium => "medium",
    High => "high",
    Critical => "critical",
});

code_enum!(
    /// What a policy item is about.
    Topic, DomainError::TopicInvalid, {
    Residence => "residence",
    WorkPermits => "work_permits",
    Registration => "registration",
    Movement => "movement",
    Health => "health",
    Education => "education",
    Return => "return",
    Assistance => "assistance",
});

code_enum!(
    /// Who a policy item affects.
    AffectedGroup, DomainError::GroupInvalid, {
    TemporaryProtection => "temporary_protection",
    InternationalProtection => "international_protection",
    ResidencePermit => "residence_permit",
    Students => "students",
    Workers => "workers",
    NewArrivals => "new_arrivals",
    Children => "children",
    Returnees => "returnees",
});

/// A policy item form or API body, as typed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct PolicyInput {
    pub title_ar: String,
    pub title_en: String,
    pub title_tr: String,
    pub summary_ar: String,
    pub summary_en: String,
    pub summary_tr: String,
    /// The issuing authority: an organisation of kind `authority` in the directory.
    pub authority_id: Option<i64>,
    /// law, regulation, circular, announcement, draft_proposal
    pub instrument: String,
    /// The instrument's own number, e.g. "2026/14".
    pub reference: String,
    /// `YYYY-MM-DD` dates, each optional; expiry cannot precede issue or effect.
    pub issued: String,
    pub effective: String,
    pub expires: String,
    /// proposed, in_force, suspended, repealed
    pub status: String,
    /// Area codes where it applies (a country for a national rule).
    pub areas: Vec<String>,
    /// temporary_protection, international_protection, residence_permit, students,
    /// workers, new_arrivals, children, returnees
    pub groups: Vec<String>,
    /// residence, work_permits, registration, movement, health, education, return,
    /// assistance
    pub topics: Vec<String>,
    /// low, medium, high, critical
    pub impact: String,
    /// Links to the text or the announcement (one per line in a form).
    pub sources: Vec<String>,
    /// The network's analysis, in Markdown.
    pub analysis: String,
    /// Documents of the library that analyse it.
    pub documents: Vec<i64>,
    /// The proposal for a joint position on it.
    pub proposal_id: Option<i64>,
    pub visibility: String,
}

/// A policy item's fields, valid.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyDraft {
    pub title: I18nText,
    pub summary: I18nText,
    pub authority: Option<OrgId>,
    pub instrument: Instrument,
    pub reference: Option<String>,
    pub issued: Option<Date>,
    pub effective: Option<Date>,
    pub expires: Option<Date>,
    pub status: PolicyStatus,
    pub areas: Vec<AreaCode>,
    pub groups: Vec<AffectedGroup>,
    pub topics: Vec<Topic>,
    pub impact: Impact,
    pub sources: Vec<WebUrl>,
    pub analysis: String,
    pub documents: Vec<DocumentId>,
    pub proposal: Option<ProposalId>,
    pub visibility: Visibility,
}

fn list<T: PartialEq>(
    e: &mut FieldErrors,
    field: &str,
    raw: &[String],
    parse: impl Fn(&str) -> Result<T, DomainError>,
) -> Vec<T> {
    let mut out = Vec::new();
    for r in raw.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if let Some(v) = e.take(field, parse(r)) {
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

impl PolicyDraft {
    pub fn parse(i: &PolicyInput) -> Result<PolicyDraft, FieldErrors> {
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
        let instrument = e.take(
            "instrument",
            Instrument::parse(if i.instrument.trim().is_empty() {
                "announcement"
            } else {
                &i.instrument
            }),
        );
        let reference = e
            .take("reference", Name::parse_optional(&i.reference))
            .flatten()
            .map(Name::into_inner);
        let issued = e.take("issued", Date::parse_optional(&i.issued)).flatten();
        let effective = e
            .take("effective", Date::parse_optional(&i.effective))
            .flatten();
        let expires = e
            .take("expires", Date::parse_optional(&i.expires))
            .flatten();
        // ISO dates compare as text
        if let Some(x) = &expires {
            if issued.as_ref().is_some_and(|d| x.as_str() < d.as_str())
                || effective.as_ref().is_some_and(|d| x.as_str() < d.as_str())
            {
                e.push("expires", DomainError::ExpiryBeforeIssue.code());
            }
        }
        if let (Some(i), Some(f)) = (&issued, &effective) {
            if f.as_str() < i.as_str() {
                e.push("effective", DomainError::EffectBeforeIssue.code());
            }
        }
        let status = e.take(
            "status",
            PolicyStatus::parse(if i.status.trim().is_empty() {
                "in_force"
            } else {
                &i.status
            }),
        );
        let areas = list(&mut e, "areas", &i.areas, AreaCode::parse);
        let groups = list(&mut e, "groups", &i.groups, AffectedGroup::parse);
        let topics = list(&mut e, "topics", &i.topics, Topic::parse);
        let impact = e.take(
            "impact",
            Impact::parse(if i.impact.trim().is_empty() {
                "medium"
            } else {
                &i.impact
            }),
        );
        let sources = list(&mut e, "sources", &i.sources, |s| {
            WebUrl::parse_optional(s).and_then(|u| u.ok_or(DomainError::UrlInvalid))
        });
        if sources.len() > 20 {
            e.push("sources", "too_many_sources");
        }
        let analysis = e
            .take("analysis", crate::meeting::MinutesText::parse(&i.analysis))
            .map(|a| a.as_str().to_string());
        let visibility = e.take(
            "visibility",
            Visibility::parse(if i.visibility.trim().is_empty() {
                "members"
            } else {
                &i.visibility
            }),
        );
        let mut documents: Vec<DocumentId> = Vec::new();
        for d in i.documents.iter().filter(|d| **d > 0) {
            if !documents.contains(&DocumentId(*d)) {
                documents.push(DocumentId(*d));
            }
        }
        match (instrument, status, impact, analysis, visibility) {
            (Some(instrument), Some(status), Some(impact), Some(analysis), Some(visibility))
                if e.is_empty() =>
            {
                Ok(PolicyDraft {
                    title,
                    summary,
                    authority: i.authority_id.filter(|a| *a > 0).map(OrgId),
                    instrument,
                    reference,
                    issued,
                    effective,
                    expires,
                    status,
                    areas,
                    groups,
                    topics,
                    impact,
                    sources,
                    analysis,
                    documents,
                    proposal: i.proposal_id.filter(|p| *p > 0).map(ProposalId),
                    visibility,
                })
            }
            _ => Err(e),
        }
    }
}

/// One step of advocacy: raised with whom, when, and the answer if any.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct AdvocacyInput {
    /// The body or person it was raised with.
    pub raised_with: String,
    /// `YYYY-MM-DD`.
    pub raised_on: String,
    /// What was asked, briefly.
    pub ask: String,
    /// The answer received, if any.
    pub answer: String,
    /// `YYYY-MM-DD`, when the answer came.
    pub answered_on: String,
}

/// An advocacy step, valid.
#[derive(Debug, Clone, PartialEq)]
pub struct AdvocacyDraft {
    pub raised_with: String,
    pub raised_on: Date,
    pub ask: Option<String>,
    pub answer: Option<String>,
    pub answered_on: Option<Date>,
}

impl AdvocacyDraft {
    pub fn parse(i: &AdvocacyInput) -> Result<AdvocacyDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let with = e.take("raised_with", Name::parse(&i.raised_with));
        let on = e.take("raised_on", Date::parse(&i.raised_on));
        let ask = e
            .take("ask", LongText::parse_optional(&i.ask))
            .flatten()
            .map(LongText::into_inner);
        let answer = e
            .take("answer", LongText::parse_optional(&i.answer))
            .flatten()
            .map(LongText::into_inner);
        let answered_on = e
            .take("answered_on", Date::parse_optional(&i.answered_on))
            .flatten();
        if let (Some(r), Some(a)) = (&on, &answered_on) {
            if a.as_str() < r.as_str() {
                e.push("answered_on", DomainError::EndBeforeStart.code());
            }
        }
        match (with, on) {
            (Some(w), Some(o)) if e.is_empty() => Ok(AdvocacyDraft {
                raised_with: w.into_inner(),
                raised_on: o,
                ask,
                answer,
                answered_on,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok() -> PolicyInput {
        PolicyInput {
            title_ar: "تعميم بشأن نقل القيد بين الولايات".into(),
            instrument: "circular".into(),
            reference: "2026/14".into(),
            issued: "2026-10-01".into(),
            effective: "2026-10-15".into(),
            expires: "2027-10-15".into(),
            areas: vec!["TR".into(), "TR-27".into(), "TR-27".into()],
            groups: vec!["temporary_protection".into()],
            topics: vec!["movement".into(), "registration".into()],
            impact: "high".into(),
            sources: vec!["https://example.gov.tr/duyuru".into()],
            ..Default::default()
        }
    }

    #[test]
    fn a_policy_item_is_parsed_with_its_lists_deduplicated() {
        let d = PolicyDraft::parse(&ok()).unwrap();
        assert_eq!(d.instrument, Instrument::Circular);
        assert_eq!(d.status, PolicyStatus::InForce);
        assert_eq!(d.areas.len(), 2);
        assert_eq!(d.topics, vec![Topic::Movement, Topic::Registration]);
        assert_eq!(d.visibility, Visibility::Members);
    }

    #[test]
    fn an_expiry_before_the_issue_date_is_refused() {
        let mut i = ok();
        i.expires = "2026-09-30".into();
        let e = PolicyDraft::parse(&i).unwrap_err();
        assert_eq!(e.get("expires"), Some("expiry_before_issue"));
        let mut i = ok();
        i.effective = "2026-09-01".into();
        i.expires = String::new();
        assert_eq!(
            PolicyDraft::parse(&i).unwrap_err().get("effective"),
            Some("effect_before_issue")
        );
        let mut i = ok();
        i.title_ar = String::new();
        i.topics = vec!["weather".into()];
        i.groups = vec!["tourists".into()];
        i.sources = vec!["javascript:alert(1)".into()];
        let e = PolicyDraft::parse(&i).unwrap_err();
        for f in ["title_ar", "topics", "groups", "sources"] {
            assert!(e.get(f).is_some(), "{f}: {e}");
        }
    }

    #[test]
    fn an_answer_cannot_come_before_the_question() {
        let a = AdvocacyDraft::parse(&AdvocacyInput {
            raised_with: "مديرية الهجرة في غازي عنتاب".into(),
            raised_on: "2026-11-01".into(),
            answered_on: "2026-10-01".into(),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(a.get("answered_on"), Some("end_before_start"));
    }
}
