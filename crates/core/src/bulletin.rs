//! Bulletins: short posts by the secretariat or a member organisation (news, calls,
//! alerts), pinned or not, with an optional expiry and the same visibility as every
//! other record.

use crate::error::{DomainError, FieldErrors};
use crate::ids::OrgId;
use crate::lang::Lang;
use crate::values::{Date, LongText, Name, Visibility};
use serde::{Deserialize, Serialize};

code_enum!(
    /// What a bulletin is.
    BulletinKind, DomainError::KindInvalid, {
    News => "news",
    Call => "call",
    Alert => "alert",
});

/// A bulletin form or API body, as typed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct BulletinInput {
    pub title: String,
    /// Markdown, up to 10,000 characters.
    pub body: String,
    /// news, call or alert
    pub kind: String,
    /// The posting organisation (a focal point's own); none for the secretariat.
    pub org_id: Option<i64>,
    /// ar, en or tr: the language it is written in.
    pub lang: String,
    /// `YYYY-MM-DD`: from the day after, it is no longer listed.
    pub expires: String,
    pub pinned: bool,
    pub visibility: String,
}

/// A bulletin's fields, valid.
#[derive(Debug, Clone, PartialEq)]
pub struct BulletinDraft {
    pub title: Name,
    pub body: String,
    pub kind: BulletinKind,
    pub org: Option<OrgId>,
    pub lang: Lang,
    pub expires: Option<Date>,
    pub pinned: bool,
    pub visibility: Visibility,
}

impl BulletinDraft {
    pub fn parse(i: &BulletinInput) -> Result<BulletinDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let title = e.take("title", Name::parse(&i.title));
        let body = match LongText::parse_optional(&i.body) {
            Ok(Some(b)) => Some(b.into_inner()),
            Ok(None) => {
                e.push("body", DomainError::NameRequired.code());
                None
            }
            Err(x) => {
                e.push("body", x.code());
                None
            }
        };
        let kind = e.take(
            "kind",
            BulletinKind::parse(if i.kind.trim().is_empty() {
                "news"
            } else {
                &i.kind
            }),
        );
        let lang = if i.lang.trim().is_empty() {
            Some(Lang::Ar)
        } else {
            let l = Lang::parse(i.lang.trim());
            if l.is_none() {
                e.push("lang", "lang_invalid");
            }
            l
        };
        let expires = e.take("expires", Date::parse_optional(&i.expires));
        let visibility = e.take(
            "visibility",
            Visibility::parse(if i.visibility.trim().is_empty() {
                "members"
            } else {
                &i.visibility
            }),
        );
        match (title, body, kind, lang, expires, visibility) {
            (Some(title), Some(body), Some(kind), Some(lang), Some(expires), Some(visibility))
                if e.is_empty() =>
            {
                Ok(BulletinDraft {
                    title,
                    body,
                    kind,
                    org: i.org_id.filter(|o| *o > 0).map(OrgId),
                    lang,
                    expires,
                    pinned: i.pinned,
                    visibility,
                })
            }
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bulletin_needs_a_title_and_a_text_and_a_real_expiry() {
        let ok = BulletinInput {
            title: "دعوة لتقديم مقترحات".into(),
            body: "تفاصيل **الدعوة**".into(),
            kind: "call".into(),
            expires: "2026-12-31".into(),
            ..Default::default()
        };
        let d = BulletinDraft::parse(&ok).unwrap();
        assert_eq!(d.kind, BulletinKind::Call);
        assert_eq!(d.lang, Lang::Ar);
        assert_eq!(d.visibility, Visibility::Members);
        let bad = BulletinInput {
            title: String::new(),
            body: " ".into(),
            kind: "gossip".into(),
            expires: "2026-02-30".into(),
            lang: "fr".into(),
            ..Default::default()
        };
        let e = BulletinDraft::parse(&bad).unwrap_err();
        for f in ["title", "body", "kind", "expires", "lang"] {
            assert!(e.get(f).is_some(), "{f}: {e}");
        }
    }
}
