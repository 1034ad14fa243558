//! Organisations, people, sectors and areas: the directory.

use crate::error::{DomainError, FieldErrors};
use crate::ids::{OrgId, PersonId};
use crate::lang::{I18nText, Lang};
use crate::values::*;
use serde::{Deserialize, Serialize};

code_enum!(
    /// What kind of body an organisation is.
    OrgKind, DomainError::KindInvalid, {
    Member => "member",
    PartnerBody => "partner_body",
    Ingo => "ingo",
    UnAgency => "un_agency",
    Donor => "donor",
    Authority => "authority",
});

code_enum!(
    /// Where an organisation stands with the network.
    MembershipStatus, DomainError::StatusInvalid, {
    Applicant => "applicant",
    Member => "member",
    Suspended => "suspended",
    Former => "former",
    NotApplicable => "not_applicable",
});

/// An organisation as read from the directory.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Organisation {
    pub id: OrgId,
    pub acronym: String,
    pub name: I18nText,
    pub kind: OrgKind,
    pub membership_status: MembershipStatus,
    pub founding_year: Option<i64>,
    pub registration_country: Option<String>,
    pub registration_number: Option<String>,
    pub registration_date: Option<String>,
    pub hq_area: Option<String>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub description: I18nText,
    pub sectors: Vec<String>,
    pub areas: Vec<String>,
    pub has_logo: bool,
    pub version: i64,
    pub updated_at: i64,
}

/// One dated step in an organisation's membership history.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MembershipEvent {
    pub status: MembershipStatus,
    pub since: String,
}

/// The raw fields of an organisation form or API body, as typed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct OrgInput {
    pub acronym: String,
    pub name_ar: String,
    pub name_en: String,
    pub name_tr: String,
    pub kind: String,
    pub membership_status: String,
    #[serde(deserialize_with = "string_or_number")]
    pub founding_year: String,
    pub registration_country: String,
    pub registration_number: String,
    pub registration_date: String,
    pub hq_area: String,
    pub website: String,
    pub email: String,
    pub phone: String,
    pub description_ar: String,
    pub description_en: String,
    pub description_tr: String,
    pub sectors: Vec<String>,
    pub areas: Vec<String>,
}

impl OrgInput {
    pub fn from_org(o: &Organisation) -> OrgInput {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        OrgInput {
            acronym: o.acronym.clone(),
            name_ar: s(&o.name.ar),
            name_en: s(&o.name.en),
            name_tr: s(&o.name.tr),
            kind: o.kind.code().into(),
            membership_status: o.membership_status.code().into(),
            founding_year: o.founding_year.map(|y| y.to_string()).unwrap_or_default(),
            registration_country: s(&o.registration_country),
            registration_number: s(&o.registration_number),
            registration_date: s(&o.registration_date),
            hq_area: s(&o.hq_area),
            website: s(&o.website),
            email: s(&o.email),
            phone: s(&o.phone),
            description_ar: s(&o.description.ar),
            description_en: s(&o.description.en),
            description_tr: s(&o.description.tr),
            sectors: o.sectors.clone(),
            areas: o.areas.clone(),
        }
    }
}

/// Accept `2012` as well as `"2012"` (and `null` as empty) for fields typed as text.
fn string_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum V {
        S(String),
        N(i64),
        Null(()),
    }
    Ok(match V::deserialize(d)? {
        V::S(s) => s,
        V::N(n) => n.to_string(),
        V::Null(_) => String::new(),
    })
}

/// A valid organisation, ready to be stored. Whether its sector and area codes exist is
/// the store's to check.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgDraft {
    pub acronym: Acronym,
    pub name: I18nText,
    pub kind: OrgKind,
    pub membership_status: MembershipStatus,
    pub founding_year: Option<i64>,
    pub registration_country: Option<AreaCode>,
    pub registration_number: Option<Name>,
    pub registration_date: Option<Date>,
    pub hq_area: Option<AreaCode>,
    pub website: Option<WebUrl>,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    pub description: I18nText,
    pub sectors: Vec<SectorCode>,
    pub areas: Vec<AreaCode>,
}

impl OrgDraft {
    /// Parse every field, collecting every error with the field it belongs to.
    pub fn parse(i: &OrgInput) -> Result<OrgDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let acronym = e.take("acronym", Acronym::parse(&i.acronym));
        let name_ar = e
            .take("name_ar", Name::parse_optional(&i.name_ar))
            .flatten();
        let name_en = e
            .take("name_en", Name::parse_optional(&i.name_en))
            .flatten();
        let name_tr = e
            .take("name_tr", Name::parse_optional(&i.name_tr))
            .flatten();
        if name_ar.is_none()
            && name_en.is_none()
            && name_tr.is_none()
            && e.get("name_ar").is_none()
            && e.get("name_en").is_none()
            && e.get("name_tr").is_none()
        {
            e.push("name_ar", DomainError::NameRequired.code());
        }
        let kind = e.take("kind", OrgKind::parse(&i.kind));
        let status = if i.membership_status.trim().is_empty() {
            Some(MembershipStatus::NotApplicable)
        } else {
            e.take(
                "membership_status",
                MembershipStatus::parse(&i.membership_status),
            )
        };
        let founding_year = e
            .take("founding_year", parse_year_optional(&i.founding_year))
            .flatten();
        let registration_country = e
            .take(
                "registration_country",
                opt(&i.registration_country, AreaCode::parse),
            )
            .flatten();
        let registration_number = e
            .take(
                "registration_number",
                Name::parse_optional(&i.registration_number),
            )
            .flatten();
        let registration_date = e
            .take(
                "registration_date",
                Date::parse_optional(&i.registration_date),
            )
            .flatten();
        let hq_area = e
            .take("hq_area", opt(&i.hq_area, AreaCode::parse))
            .flatten();
        let website = e
            .take("website", WebUrl::parse_optional(&i.website))
            .flatten();
        let email = e.take("email", Email::parse_optional(&i.email)).flatten();
        let phone = e.take("phone", Phone::parse_optional(&i.phone)).flatten();
        let mut description = I18nText::default();
        for (lang, raw) in [
            (Lang::Ar, &i.description_ar),
            (Lang::En, &i.description_en),
            (Lang::Tr, &i.description_tr),
        ] {
            let field = format!("description_{}", lang.code());
            let v = e
                .take(&field, LongText::parse_optional(raw))
                .flatten()
                .map(LongText::into_inner);
            match lang {
                Lang::Ar => description.ar = v,
                Lang::En => description.en = v,
                Lang::Tr => description.tr = v,
            }
        }
        let mut sectors = Vec::new();
        for s in i.sectors.iter().filter(|s| !s.trim().is_empty()) {
            if let Some(c) = e.take("sectors", SectorCode::parse(s)) {
                if !sectors.contains(&c) {
                    sectors.push(c);
                }
            }
        }
        let mut areas = Vec::new();
        for a in i.areas.iter().filter(|s| !s.trim().is_empty()) {
            if let Some(c) = e.take("areas", AreaCode::parse(a)) {
                if !areas.contains(&c) {
                    areas.push(c);
                }
            }
        }
        match (acronym, kind, status) {
            (Some(acronym), Some(kind), Some(membership_status)) if e.is_empty() => Ok(OrgDraft {
                acronym,
                name: I18nText {
                    ar: name_ar.map(Name::into_inner),
                    en: name_en.map(Name::into_inner),
                    tr: name_tr.map(Name::into_inner),
                },
                kind,
                membership_status,
                founding_year,
                registration_country,
                registration_number,
                registration_date,
                hq_area,
                website,
                email,
                phone,
                description,
                sectors,
                areas,
            }),
            _ => Err(e),
        }
    }

    /// The text the directory's name filter matches against.
    pub fn search_key(&self) -> String {
        let mut parts = vec![self.acronym.key()];
        for l in Lang::ALL {
            if let Some(n) = self.name.get_exact(l) {
                parts.push(minbar_text::name_key(n));
            }
        }
        format!(" {} ", parts.join(" "))
    }
}

fn opt<T>(s: &str, f: impl Fn(&str) -> Result<T, DomainError>) -> Result<Option<T>, DomainError> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        f(s).map(Some)
    }
}

/// A sector (humanitarian cluster or a network's own).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sector {
    pub code: String,
    pub name: I18nText,
    pub custom: bool,
}

/// A network's own sector, parsed: a code and a name in at least one language.
pub fn parse_sector(code: &str, name: &I18nText) -> Result<(SectorCode, I18nText), FieldErrors> {
    let mut e = FieldErrors::default();
    let code = e.take("code", SectorCode::parse(code));
    let mut out = I18nText::default();
    for l in Lang::ALL {
        let raw = name.get_exact(l).unwrap_or("");
        let v = e
            .take(&format!("name_{}", l.code()), Name::parse_optional(raw))
            .flatten()
            .map(Name::into_inner);
        match l {
            Lang::Ar => out.ar = v,
            Lang::En => out.en = v,
            Lang::Tr => out.tr = v,
        }
    }
    if out.is_empty() && e.get("name_ar").is_none() {
        e.push("name_ar", DomainError::NameRequired.code());
    }
    match code {
        Some(c) if e.is_empty() => Ok((c, out)),
        _ => Err(e),
    }
}

/// An area of the gazetteer.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Area {
    pub code: String,
    pub level: i64,
    pub parent: Option<String>,
    pub name: I18nText,
}

/// A valid area to add to the gazetteer (or to update, by code).
#[derive(Debug, Clone, PartialEq)]
pub struct AreaDraft {
    pub code: AreaCode,
    pub level: i64,
    pub parent: Option<AreaCode>,
    pub name: I18nText,
}

/// A person in the directory.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    pub id: PersonId,
    pub name: I18nText,
    pub email: Option<String>,
    pub email_visibility: Visibility,
    pub phone: Option<String>,
    pub phone_visibility: Visibility,
    pub committees: Vec<String>,
    pub affiliations: Vec<Affiliation>,
    pub version: i64,
}

/// A person's role at an organisation.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Affiliation {
    pub org_id: OrgId,
    pub org_acronym: String,
    pub title: I18nText,
    pub from: Option<String>,
    pub to: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> OrgInput {
        OrgInput {
            acronym: "AMAL".into(),
            name_ar: "جمعية الأمل للإغاثة".into(),
            kind: "member".into(),
            membership_status: "member".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_form_parses() {
        let d = OrgDraft::parse(&input()).unwrap();
        assert_eq!(d.acronym.as_str(), "AMAL");
        assert!(d.search_key().contains("amal"));
    }

    #[test]
    fn every_bad_field_is_reported_beside_its_name() {
        let mut i = input();
        i.name_ar = String::new();
        i.email = "not-an-email".into();
        i.kind = "bank".into();
        i.areas = vec!["SY ID".into()];
        let e = OrgDraft::parse(&i).unwrap_err();
        assert_eq!(e.get("name_ar"), Some("name_required"));
        assert_eq!(e.get("email"), Some("email_invalid"));
        assert_eq!(e.get("kind"), Some("kind_invalid"));
        assert_eq!(e.get("areas"), Some("area_code_invalid"));
    }

    #[test]
    fn one_name_in_any_language_is_enough() {
        let mut i = input();
        i.name_ar = String::new();
        i.name_tr = "Umut Derneği".into();
        assert!(OrgDraft::parse(&i).is_ok());
    }
}

/// The raw fields of a person form or API body.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct PersonInput {
    pub name_ar: String,
    pub name_en: String,
    pub email: String,
    pub email_visibility: String,
    pub phone: String,
    pub phone_visibility: String,
    /// One committee per line.
    pub committees: String,
    pub org_id: Option<i64>,
    pub title_ar: String,
    pub title_en: String,
    pub title_tr: String,
    pub from: String,
    pub to: String,
}

/// A valid person with (at most) one new affiliation.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonDraft {
    pub name: I18nText,
    pub email: Option<Email>,
    pub email_visibility: Visibility,
    pub phone: Option<Phone>,
    pub phone_visibility: Visibility,
    pub committees: Vec<String>,
    pub affiliation: Option<AffiliationDraft>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AffiliationDraft {
    pub org_id: OrgId,
    pub title: I18nText,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

impl PersonDraft {
    pub fn parse(i: &PersonInput) -> Result<PersonDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let ar = e
            .take("name_ar", Name::parse_optional(&i.name_ar))
            .flatten();
        let en = e
            .take("name_en", Name::parse_optional(&i.name_en))
            .flatten();
        if ar.is_none() && en.is_none() && e.get("name_ar").is_none() && e.get("name_en").is_none()
        {
            e.push("name_ar", DomainError::NameRequired.code());
        }
        let vis = |s: &str, d: Visibility| {
            if s.trim().is_empty() {
                Ok(d)
            } else {
                Visibility::parse(s)
            }
        };
        let email = e.take("email", Email::parse_optional(&i.email)).flatten();
        let email_visibility = e
            .take(
                "email_visibility",
                vis(&i.email_visibility, Visibility::Members),
            )
            .unwrap_or(Visibility::Coordinators);
        let phone = e.take("phone", Phone::parse_optional(&i.phone)).flatten();
        let phone_visibility = e
            .take(
                "phone_visibility",
                vis(&i.phone_visibility, Visibility::Coordinators),
            )
            .unwrap_or(Visibility::Coordinators);
        let mut committees = Vec::new();
        for line in i.committees.lines().filter(|l| !l.trim().is_empty()) {
            if let Some(n) = e.take("committees", Name::parse(line)) {
                committees.push(n.into_inner());
            }
        }
        let affiliation = match i.org_id {
            None => None,
            Some(org) => {
                let t = |f: &str, s: &str, e: &mut FieldErrors| {
                    e.take(f, Name::parse_optional(s))
                        .flatten()
                        .map(Name::into_inner)
                };
                let title = I18nText {
                    ar: t("title_ar", &i.title_ar, &mut e),
                    en: t("title_en", &i.title_en, &mut e),
                    tr: t("title_tr", &i.title_tr, &mut e),
                };
                let from = e.take("from", Date::parse_optional(&i.from)).flatten();
                let to = e.take("to", Date::parse_optional(&i.to)).flatten();
                if let (Some(f), Some(t)) = (&from, &to) {
                    if t < f {
                        e.push("to", DomainError::DateInvalid.code());
                    }
                }
                Some(AffiliationDraft {
                    org_id: OrgId(org),
                    title,
                    from,
                    to,
                })
            }
        };
        if !e.is_empty() {
            return Err(e);
        }
        Ok(PersonDraft {
            name: I18nText {
                ar: ar.map(Name::into_inner),
                en: en.map(Name::into_inner),
                tr: None,
            },
            email,
            email_visibility,
            phone,
            phone_visibility,
            committees,
            affiliation,
        })
    }

    pub fn search_key(&self) -> String {
        let mut parts = Vec::new();
        for l in [Lang::Ar, Lang::En] {
            if let Some(n) = self.name.get_exact(l) {
                parts.push(minbar_text::name_key(n));
            }
        }
        format!(" {} ", parts.join(" "))
    }
}
