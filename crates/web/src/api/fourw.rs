//! 4W over JSON: activities, needs, and the coverage report. `?format=hxl` on any list
//! answers HXL-tagged CSV instead.

use super::openapi::ErrorBody;
use super::{if_match, with_etag, ApiCtx, ApiJson};
use crate::error::ApiError;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use minbar_core::*;
use minbar_store::directory::Page;
use minbar_store::fourw::ActivityFilter;
use minbar_store::StoreError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ActivityQuery {
    /// A month, `YYYY-MM`.
    pub period: Option<String>,
    /// A sector code, e.g. `wash`.
    pub sector: Option<String>,
    /// An area code: activities in it, or anywhere below a first-level area.
    pub area: Option<String>,
    /// An organisation's id.
    pub org: Option<i64>,
    /// planned, ongoing, completed or suspended.
    pub status: Option<String>,
    /// Page number, from 1.
    pub page: Option<i64>,
    /// Items per page, 1 to 500 (default 100).
    pub per_page: Option<i64>,
    /// `hxl` for HXL-tagged CSV (every matching row, no paging).
    pub format: Option<String>,
    /// ar, en or tr: the language of messages and HXL headers.
    #[allow(dead_code)]
    pub lang: Option<String>,
}

fn bad_filter(lang: Lang) -> ApiError {
    ApiError::new(lang, StatusCode::BAD_REQUEST, "invalid_filter")
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The period asked for, in the network's calendar (`2026-05` where the network reports
/// quarterly is the second quarter; `2026-Q2` is read too).
async fn period_of(
    st: &AppState,
    lang: Lang,
    p: &Option<String>,
) -> Result<Option<Period>, ApiError> {
    let Some(p) = nonempty(p) else {
        return Ok(None);
    };
    calendar(st, lang)
        .await?
        .parse(p)
        .map(Some)
        .map_err(|_| bad_filter(lang))
}

/// The network's reporting calendar.
async fn calendar(st: &AppState, lang: Lang) -> Result<minbar_core::Calendar, ApiError> {
    crate::figures::calendar(st)
        .await
        .map_err(|e| ApiError::store(lang, e))
}

/// A body's period as the domain reads it, put into the network's calendar (a month
/// inside a quarter is the quarter; `2026-Q2` is read); a span longer than the period in
/// force is 422 `period_not_in_cycle`. Text that is no period is left for the domain.
async fn body_period(st: &AppState, lang: Lang, period: &str) -> Result<String, ApiError> {
    match calendar(st, lang).await?.parse(period) {
        Ok(p) => Ok(p.to_string()),
        Err(minbar_core::DomainError::PeriodNotInCycle) => {
            let mut e = FieldErrors::default();
            e.push("period", "period_not_in_cycle");
            Err(ApiError::invalid(lang, e))
        }
        Err(_) => Ok(period.to_string()),
    }
}

async fn filter_of(
    st: &AppState,
    lang: Lang,
    q: &ActivityQuery,
) -> Result<ActivityFilter, ApiError> {
    Ok(ActivityFilter {
        period: period_of(st, lang, &q.period).await?,
        sector: nonempty(&q.sector).map(str::to_string),
        area: nonempty(&q.area).map(str::to_string),
        org: q.org.map(OrgId),
        status: nonempty(&q.status)
            .map(ActivityStatus::parse)
            .transpose()
            .map_err(|_| bad_filter(lang))?,
        page: q.page.unwrap_or(1),
        per_page: q.per_page.unwrap_or(100),
    })
}

fn wants_hxl(lang: Lang, f: &Option<String>) -> Result<bool, ApiError> {
    match f.as_deref() {
        None | Some("") | Some("json") => Ok(false),
        Some("hxl") | Some("csv") => Ok(true),
        Some(_) => Err(bad_filter(lang)),
    }
}

fn csv_response(body: Vec<u8>, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// List activities, newest month first. `?format=hxl` answers every matching row as
/// HXL-tagged CSV.
#[utoipa::path(get, path = "/activities", tag = "4w", params(ActivityQuery),
    responses((status = 200, body = Page<Activity>, description = "or text/csv with ?format=hxl"),
        (status = 400, description = "invalid_filter", body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list_activities(
    ctx: ApiCtx,
    State(st): State<AppState>,
    q: Result<Query<ActivityQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    ctx.require(Action::ActivityRead, None)?;
    let Query(q) = q.map_err(|_| bad_filter(ctx.lang))?;
    let f = filter_of(&st, ctx.lang, &q).await?;
    if wants_hxl(ctx.lang, &q.format)? {
        let mut out = Vec::new();
        minbar_exchange::activities::write_activities_csv(
            &st.store,
            &f,
            minbar_exchange::activities::Headers::for_lang(ctx.lang),
            &mut out,
        )
        .await
        .map_err(|e| ApiError::internal(ctx.lang, e))?;
        return Ok(csv_response(out, "activities.csv"));
    }
    let page = st
        .store
        .list_activities(&f)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    Ok(Json(page).into_response())
}

fn activity_id(lang: Lang, raw: &str) -> Result<ActivityId, ApiError> {
    raw.parse::<i64>()
        .map(ActivityId)
        .map_err(|_| ApiError::new(lang, StatusCode::NOT_FOUND, "not_found"))
}

/// One activity; its version in the `ETag` header.
#[utoipa::path(get, path = "/activities/{id}", tag = "4w", params(("id" = i64, Path)),
    responses((status = 200, body = Activity), (status = 404, body = ErrorBody)))]
pub async fn get_activity(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    ctx.require(Action::ActivityRead, None)?;
    let a = st
        .store
        .get_activity(activity_id(ctx.lang, &id)?)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    Ok(with_etag(StatusCode::OK, a.version, &a))
}

/// People counted: any of the four groups, and the total (the sum of the groups when absent).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PeopleBody {
    pub women: Option<i64>,
    pub men: Option<i64>,
    pub girls: Option<i64>,
    pub boys: Option<i64>,
    pub total: Option<i64>,
}

impl PeopleBody {
    fn strings(&self) -> [String; 5] {
        [self.women, self.men, self.girls, self.boys, self.total]
            .map(|v| v.map(|n| n.to_string()).unwrap_or_default())
    }
}

/// An activity to record or replace.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityBody {
    /// The reporting organisation's id (a focal point's own).
    pub org: i64,
    /// `YYYY-MM`, a month inside the period, or `2026-Q2` / `2026-H1` where the network
    /// reports by quarter or half year; answered as the period's first month.
    pub period: String,
    pub sector: String,
    pub area: String,
    pub activity_type: Option<String>,
    pub partners: Option<String>,
    pub donor: Option<String>,
    /// `YYYY-MM-DD`, or as people write dates (`01/03/2026`).
    pub start: Option<String>,
    pub end: Option<String>,
    /// planned, ongoing (default), completed, suspended.
    pub status: Option<String>,
    /// in_kind, cash, service.
    pub modality: Option<String>,
    #[serde(default)]
    pub targeted: PeopleBody,
    #[serde(default)]
    pub reached: PeopleBody,
    pub households: Option<i64>,
    pub notes: Option<String>,
}

impl ActivityBody {
    fn input(&self) -> ActivityInput {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        ActivityInput {
            period: self.period.clone(),
            sector: self.sector.clone(),
            activity_type: s(&self.activity_type),
            area: self.area.clone(),
            partners: s(&self.partners),
            donor: s(&self.donor),
            start: s(&self.start),
            end: s(&self.end),
            status: s(&self.status),
            modality: s(&self.modality),
            targeted: self.targeted.strings(),
            reached: self.reached.strings(),
            households: self.households.map(|n| n.to_string()).unwrap_or_default(),
            notes: s(&self.notes),
        }
    }
}

/// Record an activity for an organisation (a focal point or member: their own; a
/// coordinator: any). Refused with `round_locked` once the month's report is submitted.
#[utoipa::path(post, path = "/activities", tag = "4w", request_body = ActivityBody,
    responses((status = 201, body = Activity), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, description = "a field is invalid, the activity exists (activity_duplicate), or the month is locked (round_locked)", body = ErrorBody)))]
pub async fn create_activity(
    ctx: ApiCtx,
    State(st): State<AppState>,
    ApiJson(body): ApiJson<ActivityBody>,
) -> Result<Response, ApiError> {
    let org = OrgId(body.org);
    ctx.require(Action::ActivityReport, Some(org))?;
    let types = st
        .store
        .activity_types()
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    let mut input = body.input();
    input.period = body_period(&st, ctx.lang, &input.period).await?;
    let (draft, _) = input
        .parse(org, &types)
        .map_err(|e| ApiError::invalid(ctx.lang, e))?;
    let id = ctx
        .store(&st)
        .create_activity(&draft)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    st.cache.clear();
    let a = st
        .store
        .get_activity(id)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    let mut res = with_etag(StatusCode::CREATED, a.version, &a);
    if let Ok(v) = format!("/api/v1/activities/{}", id.0).parse() {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

/// Replace an activity; send the version read in `If-Match`.
#[utoipa::path(put, path = "/activities/{id}", tag = "4w", request_body = ActivityBody,
    params(("id" = i64, Path), ("If-Match" = String, Header, description = "the version read, e.g. \"3\"")),
    responses((status = 200, body = Activity), (status = 409, description = "conflict: changed since read", body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 428, description = "version_required", body = ErrorBody)))]
pub async fn update_activity(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    raw: axum::body::Bytes,
) -> Result<Response, ApiError> {
    ctx.require(Action::ActivityRead, None)?;
    let lang = ctx.lang;
    let id = activity_id(lang, &id)?;
    let current = st
        .store
        .get_activity(id)
        .await
        .map_err(|e| ApiError::store(lang, e))?;
    // both the organisation it belongs to and the one it would move to
    ctx.require(Action::ActivityReport, Some(current.org))?;
    let body: ActivityBody = super::parse_json(lang, &headers, &raw)?;
    ctx.require(Action::ActivityReport, Some(OrgId(body.org)))?;
    let version = if_match(lang, &headers)?;
    let types = st
        .store
        .activity_types()
        .await
        .map_err(|e| ApiError::store(lang, e))?;
    let mut input = body.input();
    input.period = body_period(&st, lang, &input.period).await?;
    let (draft, _) = input
        .parse(OrgId(body.org), &types)
        .map_err(|e| ApiError::invalid(lang, e))?;
    let (state, _) = st
        .store
        .round(current.org, current.period)
        .await
        .map_err(|e| ApiError::store(lang, e))?;
    if !state.editable() {
        let mut e = FieldErrors::default();
        e.push("period", "round_locked");
        return Err(ApiError::store(lang, StoreError::Invalid(e)));
    }
    ctx.store(&st)
        .update_activity(id, version, &draft)
        .await
        .map_err(|e| ApiError::store(lang, e))?;
    st.cache.clear();
    let a = st
        .store
        .get_activity(id)
        .await
        .map_err(|e| ApiError::store(lang, e))?;
    Ok(with_etag(StatusCode::OK, a.version, &a))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct NeedQuery {
    /// A month, `YYYY-MM`.
    pub period: Option<String>,
    /// An area code (a first-level area includes the areas below it).
    pub area: Option<String>,
    pub sector: Option<String>,
    /// `hxl` for HXL-tagged CSV.
    pub format: Option<String>,
    #[allow(dead_code)]
    pub lang: Option<String>,
}

/// A list without paging.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Items<T> {
    pub items: Vec<T>,
}

/// List needs, latest month first.
#[utoipa::path(get, path = "/needs", tag = "4w", params(NeedQuery),
    responses((status = 200, body = Items<Need>, description = "or text/csv with ?format=hxl"), (status = 400, body = ErrorBody)))]
pub async fn list_needs(
    ctx: ApiCtx,
    State(st): State<AppState>,
    q: Result<Query<NeedQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    ctx.require(Action::ActivityRead, None)?;
    let lang = ctx.lang;
    let Query(q) = q.map_err(|_| bad_filter(lang))?;
    let period = period_of(&st, lang, &q.period).await?;
    if wants_hxl(lang, &q.format)? {
        let table = minbar_exchange::activities::needs_table(
            &st.store,
            period,
            minbar_exchange::activities::Headers::for_lang(lang),
        )
        .await
        .map_err(|e| ApiError::internal(lang, e))?;
        let mut out = Vec::new();
        minbar_hxl::csv_io::write_csv(&table, &mut out).map_err(|e| ApiError::internal(lang, e))?;
        return Ok(csv_response(out, "needs.csv"));
    }
    let items = st
        .store
        .list_needs(period, q.area.as_deref(), q.sector.as_deref())
        .await
        .map_err(|e| ApiError::store(lang, e))?;
    Ok(Json(Items { items }).into_response())
}

/// A need to record: the same area, sector and month again replaces the figure.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NeedBody {
    pub area: String,
    pub sector: String,
    /// `YYYY-MM` (or a quarter, as for activities).
    pub period: String,
    pub in_need: PeopleBody,
    /// 1 to 5.
    pub severity: i64,
    pub source: Option<String>,
}

/// Record people in need (coordinators).
#[utoipa::path(post, path = "/needs", tag = "4w", request_body = NeedBody,
    responses((status = 201, description = "created"), (status = 200, description = "replaced an earlier figure"),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_need(
    ctx: ApiCtx,
    State(st): State<AppState>,
    ApiJson(body): ApiJson<NeedBody>,
) -> Result<StatusCode, ApiError> {
    ctx.require(Action::NeedEdit, None)?;
    let input = NeedInput {
        period: body_period(&st, ctx.lang, &body.period).await?,
        area: body.area,
        sector: body.sector,
        in_need: body.in_need.strings(),
        severity: body.severity.to_string(),
        source: body.source.unwrap_or_default(),
    };
    let d = input.parse().map_err(|e| ApiError::invalid(ctx.lang, e))?;
    let created = ctx
        .store(&st)
        .save_need(&d)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    st.cache.clear();
    Ok(if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    })
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CoverageQuery {
    /// A month, `YYYY-MM` (default: the latest with data).
    pub period: Option<String>,
    /// `adm1`, the only level so far.
    pub level: Option<String>,
    pub sector: Option<String>,
    /// A first-level area code.
    pub area: Option<String>,
    pub org: Option<i64>,
    pub status: Option<String>,
    /// `hxl` for HXL-tagged CSV.
    pub format: Option<String>,
    #[allow(dead_code)]
    pub lang: Option<String>,
}

/// One cell of the coverage report.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CoverageItem {
    pub area: String,
    pub sector: String,
    pub organisations: i64,
    pub activities: i64,
    pub targeted: i64,
    pub reached: i64,
    pub people_in_need: Option<i64>,
    pub severity: Option<u8>,
    /// Reached as a percentage of people in need.
    pub coverage: Option<f64>,
    /// Severity 4 or 5 and under half reached.
    pub gap: bool,
}

/// The 4W matrix for a month: per first-level area and sector, organisations present,
/// activities, people targeted and reached, and people in need.
#[utoipa::path(get, path = "/reports/coverage", tag = "4w", params(CoverageQuery),
    responses((status = 200, body = Items<CoverageItem>, description = "or text/csv with ?format=hxl"), (status = 400, body = ErrorBody)))]
pub async fn coverage(
    ctx: ApiCtx,
    State(st): State<AppState>,
    q: Result<Query<CoverageQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    ctx.require(Action::CoverageRead, None)?;
    let lang = ctx.lang;
    let Query(q) = q.map_err(|_| bad_filter(lang))?;
    if !matches!(q.level.as_deref(), None | Some("") | Some("adm1")) {
        return Err(bad_filter(lang));
    }
    let aq = ActivityQuery {
        period: q.period.clone(),
        sector: q.sector.clone(),
        area: q.area.clone(),
        org: q.org,
        status: q.status.clone(),
        ..Default::default()
    };
    let mut f = filter_of(&st, lang, &aq).await?;
    if f.period.is_none() {
        f.period = st
            .store
            .periods()
            .await
            .map_err(|e| ApiError::store(lang, e))?
            .first()
            .copied();
    }
    let cells = crate::figures::coverage(&st, &f)
        .await
        .map_err(|e| ApiError::store(lang, e))?;
    let items: Vec<CoverageItem> = cells
        .iter()
        .map(|c| CoverageItem {
            area: c.area.clone(),
            sector: c.sector.clone(),
            organisations: c.organisations,
            activities: c.activities,
            targeted: c.targeted,
            reached: c.reached,
            people_in_need: c.people_in_need,
            severity: c.severity,
            coverage: c.coverage().map(|x| (x * 10.0).round() / 10.0),
            gap: c.is_gap(),
        })
        .collect();
    if wants_hxl(lang, &q.format)? {
        let tags = [
            "#date+period",
            "#adm1+code",
            "#sector+code",
            "#org+num",
            "#activity+num",
            "#targeted+total",
            "#reached+total",
            "#inneed+total",
            "#severity",
            "#indicator+coverage+pct",
            "#indicator+gap",
        ];
        let period = f.period.map(|p| p.to_string()).unwrap_or_default();
        let table = minbar_hxl::Table {
            columns: tags
                .iter()
                .map(|t| minbar_hxl::Column {
                    header: None,
                    tag: minbar_hxl::Hashtag::parse(t),
                })
                .collect(),
            rows: items
                .iter()
                .enumerate()
                .map(|(i, c)| minbar_hxl::Row {
                    source_row: i + 2,
                    values: vec![
                        period.clone(),
                        c.area.clone(),
                        c.sector.clone(),
                        c.organisations.to_string(),
                        c.activities.to_string(),
                        c.targeted.to_string(),
                        c.reached.to_string(),
                        c.people_in_need.map(|p| p.to_string()).unwrap_or_default(),
                        c.severity.map(|s| s.to_string()).unwrap_or_default(),
                        c.coverage.map(|x| x.to_string()).unwrap_or_default(),
                        if c.gap { "1".into() } else { String::new() },
                    ],
                })
                .collect(),
            ..Default::default()
        };
        let mut out = Vec::new();
        minbar_hxl::csv_io::write_csv(&table, &mut out).map_err(|e| ApiError::internal(lang, e))?;
        return Ok(csv_response(out, &format!("coverage-{period}.csv")));
    }
    Ok(Json(Items { items }).into_response())
}
