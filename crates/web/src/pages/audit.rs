//! The audit trail for coordinators: who changed what, when, through which session or
//! token, with the values before and after; filtered by user, organisation, entity and
//! date, and exported as CSV with the same filters.

use super::{render, Chrome};
use crate::ctx::Ctx;
use crate::error::PageError;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use minbar_core::Period;
use minbar_store::audit::{iso_time, AuditFilter, CSV_HEADER};
use serde::Deserialize;

/// The entities entries name, for the filter.
const ENTITIES: &[&str] = &[
    "organisation",
    "person",
    "sector",
    "activity",
    "activities",
    "need",
    "needs",
    "round",
    "user",
    "organisations",
    "people",
    "areas",
];

const PER_PAGE: i64 = 50;

#[derive(Deserialize, Default, Clone)]
pub struct AuditQuery {
    #[serde(default)]
    user: String,
    /// The author's organisation, by acronym.
    #[serde(default)]
    org: String,
    #[serde(default)]
    entity: String,
    #[serde(default)]
    entity_id: String,
    /// `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    from: String,
    /// `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    to: String,
    #[serde(default)]
    page: Option<i64>,
}

/// What one entry changed: (field, before, after).
type Changes = Vec<(String, String, String)>;

/// One entry as shown: id, time, author, via, action, entity, entity id, changes.
type Row = (i64, String, String, String, String, String, String, Changes);

/// A value as a short line of text.
fn short(v: Option<&serde_json::Value>) -> String {
    let s = match v {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    if s.chars().count() > 120 {
        format!("{}…", s.chars().take(120).collect::<String>())
    } else {
        s
    }
}

/// What an entry changed, field by field: for an edit only the fields that differ, for
/// a creation or a deletion the fields that have a value. Bookkeeping fields (version,
/// times) are left to the CSV.
fn changes(before: Option<&str>, after: Option<&str>) -> Changes {
    let parse = |s: Option<&str>| s.and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok());
    let (b, a) = (parse(before), parse(after));
    let obj = |v: &Option<serde_json::Value>| match v {
        Some(serde_json::Value::Object(m)) => Some(m.clone()),
        _ => None,
    };
    match (obj(&b), obj(&a)) {
        (None, None) => {
            let (b, a) = (short(b.as_ref()), short(a.as_ref()));
            if b.is_empty() && a.is_empty() {
                vec![]
            } else {
                vec![(String::new(), b, a)]
            }
        }
        (bo, ao) => {
            let (bo, ao) = (bo.unwrap_or_default(), ao.unwrap_or_default());
            let mut keys: Vec<&String> = bo.keys().chain(ao.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter()
                .filter(|k| !matches!(k.as_str(), "version" | "created_at" | "updated_at"))
                .filter_map(|k| {
                    let (x, y) = (short(bo.get(k)), short(ao.get(k)));
                    (x != y).then(|| (k.clone(), x, y))
                })
                .collect()
        }
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    c: Chrome,
    q: AuditQuery,
    entities: Vec<(&'static str, bool)>,
    rows: Vec<Row>,
    count_label: String,
    export_link: String,
    prev_link: Option<String>,
    next_link: Option<String>,
    problem: String,
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (proleptic Gregorian).
fn day_number(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.len() != 10 {
        return None;
    }
    let period = Period::parse(&s[..7]).ok()?;
    let d: i64 = s.get(8..10)?.parse().ok()?;
    if s.as_bytes()[7] != b'-' || !(1..=31).contains(&d) {
        return None;
    }
    let (y, m) = (period.year() as i64, period.month() as i64);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

async fn filter(ctx: &Ctx, st: &AppState, q: &AuditQuery) -> Result<AuditFilter, PageError> {
    let org = match q.org.trim() {
        "" => None,
        a => Some(
            st.store
                .find_org_by_acronym(a)
                .await
                .map_err(|e| PageError::store(ctx.lang, e))?
                .map(|o| o.id)
                .unwrap_or(minbar_core::OrgId(-1)),
        ),
    };
    Ok(AuditFilter {
        user: Some(q.user.clone()).filter(|u| !u.trim().is_empty()),
        org,
        entity: Some(q.entity.clone()).filter(|e| !e.is_empty()),
        entity_id: Some(q.entity_id.trim().to_string()).filter(|e| !e.is_empty()),
        from: day_number(&q.from).map(|d| d * 86_400),
        to: day_number(&q.to).map(|d| (d + 1) * 86_400),
        page: q.page.unwrap_or(1).max(1),
        per_page: PER_PAGE,
    })
}

fn query_string(q: &AuditQuery, page: Option<i64>) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in [
        ("user", &q.user),
        ("org", &q.org),
        ("entity", &q.entity),
        ("entity_id", &q.entity_id),
        ("from", &q.from),
        ("to", &q.to),
    ] {
        if !v.is_empty() {
            s.append_pair(k, v);
        }
    }
    if let Some(p) = page {
        s.append_pair("page", &p.to_string());
    }
    s.finish()
}

pub async fn show(
    ctx: Ctx,
    State(st): State<AppState>,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let lang = ctx.lang;
    let t = ctx.t();
    let f = filter(&ctx, &st, &q).await?;
    let entries = st
        .store
        .audit_entries(&f)
        .await
        .map_err(|e| PageError::store(lang, e))?;
    // the chain is checked on every visit: it is what the page is for
    let check = st
        .store
        .verify_audit()
        .await
        .map_err(|e| PageError::store(lang, e))?;
    let problem = check
        .problem
        .map(|p| t.arg("audit-broken", "problem", &p.to_string()))
        .unwrap_or_default();
    let rows = entries
        .items
        .iter()
        .map(|e| {
            let who = if e.user_email.is_empty() {
                e.via.clone()
            } else {
                e.user_email.clone()
            };
            (
                e.id,
                iso_time(e.at).replace('T', " ").replace('Z', ""),
                who,
                e.via.clone(),
                e.action.clone(),
                e.entity.clone(),
                e.entity_id.clone(),
                changes(e.before.as_deref(), e.after.as_deref()),
            )
        })
        .collect();
    let page = entries.page;
    let prev_link = (page > 1).then(|| format!("/audit?{}", query_string(&q, Some(page - 1))));
    let next_link = (page * PER_PAGE < entries.total)
        .then(|| format!("/audit?{}", query_string(&q, Some(page + 1))));
    let p = AuditPage {
        c: Chrome::new(&ctx, &t.get("audit-title")),
        entities: ENTITIES.iter().map(|e| (*e, *e == q.entity)).collect(),
        rows,
        count_label: t.count("audit-count", entries.total),
        export_link: format!("/audit/export.csv?{}", query_string(&q, None)),
        prev_link,
        next_link,
        problem,
        q,
    };
    Ok(render(&ctx, StatusCode::OK, &p))
}

/// The filtered trail as CSV, every matching entry (not only a page), newest first.
pub async fn export(
    ctx: Ctx,
    State(st): State<AppState>,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let lang = ctx.lang;
    let mut f = filter(&ctx, &st, &q).await?;
    f.per_page = 10_000;
    let mut w = csv::Writer::from_writer(Vec::new());
    let internal = |e: csv::Error| PageError::internal(lang, e);
    w.write_record(CSV_HEADER).map_err(internal)?;
    let mut page = 1;
    loop {
        f.page = page;
        let p = st
            .store
            .audit_entries(&f)
            .await
            .map_err(|e| PageError::store(lang, e))?;
        for e in &p.items {
            w.write_record(e.csv_record()).map_err(internal)?;
        }
        if page * p.per_page >= p.total {
            break;
        }
        page += 1;
    }
    let bytes = w.into_inner().map_err(|e| PageError::internal(lang, e))?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"minbar-audit.csv\""),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_edit_shows_only_what_changed() {
        let c = super::changes(
            Some(r#"{"name_en": "Hope", "phone": null, "version": 1}"#),
            Some(r#"{"name_en": "Hope Relief", "phone": null, "version": 2}"#),
        );
        assert_eq!(
            c,
            vec![("name_en".into(), "Hope".into(), "Hope Relief".into())]
        );
        let created = super::changes(None, Some(r#"{"code": "legal", "custom": 1}"#));
        assert_eq!(created.len(), 2);
        assert_eq!(super::changes(None, None), vec![]);
    }

    #[test]
    fn days_since_the_epoch() {
        assert_eq!(super::day_number("2000-01-01"), Some(10_957));
        assert_eq!(super::day_number("2024-02-29"), Some(19_782));
        assert_eq!(super::day_number("2024-13-01"), None);
        assert_eq!(super::day_number("yesterday"), None);
    }
}
