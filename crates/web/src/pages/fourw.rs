//! 4W pages: the coverage dashboard (matrix, gaps, map, trend, downloads), the reporting
//! round (a focal point's activities for a month, copy forward, submit), the coordinator's
//! review of the rounds, activity editing, and the 4W upload.

use super::directory::Labels;
use super::{render, Chrome};
use crate::charts;
use crate::ctx::Ctx;
use crate::error::PageError;
use crate::map::{self, Shade};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use minbar_core::*;
use minbar_store::fourw::ActivityFilter;
use minbar_store::StoreError;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// The dashboard's filters, as they appear in the URL.
#[derive(Debug, Default, Deserialize, Clone)]
pub struct FwQuery {
    period: Option<String>,
    sector: Option<String>,
    area: Option<String>,
    org: Option<String>,
    status: Option<String>,
}

impl FwQuery {
    fn filter(&self, cal: &Calendar, default_period: Option<Period>) -> ActivityFilter {
        let nonempty = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        ActivityFilter {
            period: nonempty(&self.period)
                .and_then(|p| cal.parse(&p).ok())
                .or(default_period),
            sector: nonempty(&self.sector),
            area: nonempty(&self.area),
            org: nonempty(&self.org).and_then(|o| o.parse().ok()).map(OrgId),
            status: nonempty(&self.status).and_then(|s| ActivityStatus::parse(&s).ok()),
            page: 1,
            per_page: ActivityFilter::MAX_PER_PAGE,
        }
    }

    /// The filters as a query string, for links that keep them.
    fn to_query(f: &ActivityFilter) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        if let Some(p) = f.period {
            q.append_pair("period", &p.to_string());
        }
        if let Some(s) = &f.sector {
            q.append_pair("sector", s);
        }
        if let Some(a) = &f.area {
            q.append_pair("area", a);
        }
        if let Some(o) = f.org {
            q.append_pair("org", &o.0.to_string());
        }
        if let Some(s) = f.status {
            q.append_pair("status", s.code());
        }
        q.finish()
    }
}

/// The current month, as the server's clock has it.
fn this_month() -> Period {
    Period::parse(&minbar_store::util::today()).expect("today is a valid date")
}

/// The network's reporting calendar (monthly, quarterly, … and since when).
async fn calendar(st: &AppState, lang: Lang) -> Result<Calendar, PageError> {
    crate::figures::calendar(st)
        .await
        .map_err(|e| PageError::store(lang, e))
}

/// The current period of the calendar.
fn now_in(cal: &Calendar) -> Period {
    cal.period_of(this_month())
}

/// The period asked for (`2026-03`, `2026-Q1`, a month inside a quarter, …), or the
/// current one.
fn period_or_now(cal: &Calendar, asked: Option<&str>) -> Period {
    asked
        .and_then(|p| cal.parse(p).ok())
        .unwrap_or_else(|| now_in(cal))
}

/// Periods to choose from: those with data and the last twelve periods, newest first,
/// as (value, label, chosen) for a `<select>`.
async fn period_choices(
    st: &AppState,
    lang: Lang,
    cal: &Calendar,
    chosen: Period,
) -> Result<Vec<(String, String, bool)>, PageError> {
    let mut v: Vec<Period> = crate::figures::periods(st)
        .await
        .map_err(|e| PageError::store(lang, e))?
        .iter()
        .map(|p| cal.period_of(*p))
        .collect();
    v.extend(cal.back_from(now_in(cal), 12));
    v.push(chosen);
    v.sort();
    v.dedup();
    v.reverse();
    // an `<option>` cannot be isolated with `<bdi>`: left-to-right marks keep `2027-Q1`
    // from reading `Q1-2027` in a right-to-left page
    Ok(v.into_iter()
        .map(|p| {
            (
                p.to_string(),
                format!("\u{200E}{}\u{200E}", cal.label(p)),
                p == chosen,
            )
        })
        .collect())
}

fn pct(c: Option<f64>) -> String {
    match c {
        Some(c) if c >= 10.0 => format!("{c:.0}%"),
        Some(c) => format!("{c:.1}%"),
        None => "—".into(),
    }
}

/// A coverage percentage's shade: 1 (under a quarter) to 4 (three quarters and more).
fn coverage_bucket(c: Option<f64>) -> u8 {
    match c {
        None => 0,
        Some(c) if c < 25.0 => 1,
        Some(c) if c < 50.0 => 2,
        Some(c) if c < 75.0 => 3,
        Some(_) => 4,
    }
}

pub struct MatrixCell {
    reached: String,
    coverage: String,
    /// "two organisations", in the reader's language
    orgs: String,
    class: &'static str,
}

pub struct MatrixRow {
    area: String,
    area_label: String,
    cells: Vec<Option<MatrixCell>>,
}

pub struct GapRow {
    area: String,
    sector: String,
    severity: u8,
    pin: String,
    reached: String,
    coverage: String,
    orgs: i64,
}

#[derive(Template)]
#[template(path = "fourw.html")]
struct Dashboard {
    c: Chrome,
    period_label: String,
    periods: Vec<(String, String, bool)>,
    sectors: Vec<(String, String, bool)>,
    areas: Vec<(String, String, bool)>,
    org_value: String,
    statuses: Vec<(String, String, bool)>,
    totals: Vec<(String, String)>,
    matrix_sectors: Vec<(String, String)>,
    matrix: Vec<MatrixRow>,
    gaps: Vec<GapRow>,
    map_svg: String,
    map_rows: Vec<(String, String, String, String)>,
    trend_svg: String,
    trend: Vec<(String, String, String)>,
    rounds: Vec<(String, i64)>,
    query: String,
    can_report: bool,
    can_review: bool,
    can_import: bool,
}

/// Everything the dashboard and its downloads are computed from.
struct Figures {
    cal: Calendar,
    filter: ActivityFilter,
    cells: Arc<Vec<CoverageCell>>,
    trend: Arc<Vec<(Period, i64, i64)>>,
}

async fn figures(st: &AppState, lang: Lang, q: &FwQuery) -> Result<Figures, PageError> {
    let cal = calendar(st, lang).await?;
    let latest = crate::figures::periods(st)
        .await
        .map_err(|e| PageError::store(lang, e))?
        .iter()
        .copied()
        .find(|p| *p <= this_month());
    let mut filter = q.filter(&cal, latest.or(Some(now_in(&cal))));
    // an organisation may be given by acronym (the filter box) as well as by id
    if let Some(a) = q
        .org
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty() && a.parse::<i64>().is_err())
    {
        let found = st
            .store
            .find_org_by_acronym(a)
            .await
            .map_err(|e| PageError::store(lang, e))?;
        filter.org = Some(found.map(|o| o.id).unwrap_or(OrgId(-1)));
    }
    let cells = crate::figures::coverage(st, &filter)
        .await
        .map_err(|e| PageError::store(lang, e))?;
    let trend = crate::figures::trend(st, &filter)
        .await
        .map_err(|e| PageError::store(lang, e))?;
    Ok(Figures {
        cal,
        filter,
        cells,
        trend,
    })
}

/// Per first-level area over all sectors: (reached, people in need).
fn per_area(cells: &[CoverageCell]) -> BTreeMap<String, (i64, Option<i64>)> {
    let mut m: BTreeMap<String, (i64, Option<i64>)> = BTreeMap::new();
    for c in cells {
        let e = m.entry(c.area.clone()).or_insert((0, None));
        e.0 += c.reached;
        if let Some(p) = c.people_in_need {
            e.1 = Some(e.1.unwrap_or(0) + p);
        }
    }
    m
}

fn area_coverage(reached: i64, pin: Option<i64>) -> Option<f64> {
    pin.filter(|p| *p > 0)
        .map(|p| 100.0 * reached as f64 / p as f64)
}

fn coverage_map(
    st_outlines: &map::Outlines,
    f: &Figures,
    labels: &Labels,
    t: crate::i18n::Tr,
) -> String {
    let shades: HashMap<String, Shade> = per_area(&f.cells)
        .into_iter()
        .map(|(area, (reached, pin))| {
            let cov = area_coverage(reached, pin);
            let title = format!(
                "{}: {} {} · {} {} · {} {}",
                labels.area(&area),
                t.get("fw-reached"),
                charts::group(reached),
                t.get("fw-pin"),
                pin.map(charts::group).unwrap_or_else(|| "—".into()),
                t.get("fw-coverage"),
                pct(cov)
            );
            (
                area,
                Shade {
                    bucket: coverage_bucket(cov).max(u8::from(reached > 0 && cov.is_none())),
                    title,
                },
            )
        })
        .collect();
    let legend: Vec<(u8, String)> = (0..=4u8)
        .map(|b| (b, t.get(&format!("fw-legend-{b}"))))
        .collect();
    let q = FwQuery::to_query(&ActivityFilter {
        area: None,
        ..f.filter.clone()
    });
    map::choropleth(
        st_outlines,
        &shades,
        &t.get("fw-map-title"),
        &|code| format!("/4w?{q}&area={code}"),
        &legend,
        f.filter.area.as_deref(),
    )
}

fn trend_svg(f: &Figures, t: crate::i18n::Tr) -> String {
    let items: Vec<(String, i64, String)> = f
        .trend
        .iter()
        .map(|(p, n, r)| {
            let p = f.cal.label(*p);
            (
                p.clone(),
                *r,
                format!(
                    "{p}: {} {} · {} {}",
                    t.get("fw-reached"),
                    charts::group(*r),
                    t.get("fw-activities"),
                    charts::group(*n)
                ),
            )
        })
        .collect();
    charts::columns(&t.get("fw-trend-title"), &items)
}

pub async fn dashboard(
    ctx: Ctx,
    State(st): State<AppState>,
    Query(q): Query<FwQuery>,
) -> Result<Response, PageError> {
    ctx.require(Action::CoverageRead, None)?;
    let (lang, t) = (ctx.lang, ctx.t());
    let labels = Labels::load(&st, lang).await?;
    let f = figures(&st, lang, &q).await?;
    let period = f.filter.period.unwrap_or_else(|| now_in(&f.cal));
    let opt = |code: &str, label: String, sel: bool| (code.to_string(), label, sel);
    let periods = period_choices(&st, lang, &f.cal, period).await?;
    let sectors = labels
        .sectors
        .iter()
        .map(|(c, l)| opt(c, l.clone(), f.filter.sector.as_deref() == Some(c)))
        .collect();
    let areas = labels
        .areas
        .iter()
        .filter(|a| a.2.is_some())
        .map(|(c, l, _)| opt(c, l.clone(), f.filter.area.as_deref() == Some(c)))
        .collect();
    let members = crate::figures::rounds(&st, period)
        .await
        .map_err(|e| PageError::store(lang, e))?;
    let org_value = match f.filter.org {
        Some(id) => members
            .iter()
            .find(|m| m.0 == id)
            .map(|m| m.1.clone())
            .or_else(|| q.org.clone())
            .unwrap_or_default(),
        None => String::new(),
    };
    let statuses = ActivityStatus::ALL
        .iter()
        .map(|s| {
            opt(
                s.code(),
                t.get(&format!("fw-status-{}", s.code())),
                f.filter.status == Some(*s),
            )
        })
        .collect();
    // the matrix: areas down, sectors across
    let mut sector_codes: Vec<String> = f.cells.iter().map(|c| c.sector.clone()).collect();
    sector_codes.sort();
    sector_codes.dedup();
    let mut area_codes: Vec<String> = f.cells.iter().map(|c| c.area.clone()).collect();
    area_codes.sort();
    area_codes.dedup();
    let area_names: HashMap<String, String> = area_codes
        .iter()
        .map(|a| (a.clone(), labels.area(a)))
        .collect();
    area_codes.sort_by_cached_key(|a| minbar_text::name_key(&area_names[a]));
    // one lookup per cell, and each organisation count phrased once
    let by_cell: HashMap<(&str, &str), &CoverageCell> = f
        .cells
        .iter()
        .map(|c| ((c.area.as_str(), c.sector.as_str()), c))
        .collect();
    let mut org_phrases: HashMap<i64, String> = HashMap::new();
    let mut phrase = |n: i64| {
        org_phrases
            .entry(n)
            .or_insert_with(|| t.count("fw-orgs-count", n))
            .clone()
    };
    let matrix = area_codes
        .iter()
        .map(|a| MatrixRow {
            area: a.clone(),
            area_label: area_names[a].clone(),
            cells: sector_codes
                .iter()
                .map(|s| {
                    by_cell.get(&(a.as_str(), s.as_str())).map(|c| {
                        let cov = c.coverage();
                        MatrixCell {
                            reached: charts::group(c.reached),
                            coverage: pct(cov),
                            orgs: phrase(c.organisations),
                            class: if c.is_gap() {
                                "gap"
                            } else {
                                ["none", "low", "mid", "good", "high"]
                                    [coverage_bucket(cov) as usize]
                            },
                        }
                    })
                })
                .collect(),
        })
        .collect();
    let mut gaps: Vec<&CoverageCell> = f.cells.iter().filter(|c| c.is_gap()).collect();
    gaps.sort_by(|a, b| {
        b.severity.cmp(&a.severity).then(
            a.coverage()
                .unwrap_or(0.0)
                .total_cmp(&b.coverage().unwrap_or(0.0)),
        )
    });
    let gaps = gaps
        .into_iter()
        .map(|c| GapRow {
            area: labels.area(&c.area),
            sector: labels.sector(&c.sector),
            severity: c.severity.unwrap_or(0),
            pin: c.people_in_need.map(charts::group).unwrap_or_default(),
            reached: charts::group(c.reached),
            coverage: pct(c.coverage()),
            orgs: c.organisations,
        })
        .collect();
    let (targeted, reached) = f
        .cells
        .iter()
        .fold((0, 0), |(t, r), c| (t + c.targeted, r + c.reached));
    let n_activities: i64 = f.cells.iter().map(|c| c.activities).sum();
    let reporting_orgs = members
        .iter()
        .filter(|m| m.2 != RoundState::NotStarted)
        .count();
    let totals = vec![
        (t.get("fw-activities"), charts::group(n_activities)),
        (t.get("fw-targeted"), charts::group(targeted)),
        (t.get("fw-reached"), charts::group(reached)),
        (
            t.get("fw-reporting-orgs"),
            format!("{reporting_orgs} / {}", members.len()),
        ),
    ];
    let mut counts: BTreeMap<&'static str, i64> = BTreeMap::new();
    for m in members.iter() {
        *counts.entry(m.2.code()).or_default() += 1;
    }
    let rounds = [
        RoundState::NotStarted,
        RoundState::Draft,
        RoundState::Submitted,
        RoundState::Returned,
        RoundState::Validated,
    ]
    .iter()
    .map(|s| {
        (
            t.get(&format!("fw-round-{}", s.code())),
            counts.get(s.code()).copied().unwrap_or(0),
        )
    })
    .collect();
    let outlines = super::directory::outlines_for(&st, lang, None).await?;
    let map_rows = per_area(&f.cells)
        .into_iter()
        .map(|(a, (r, pin))| {
            (
                labels.area(&a),
                charts::group(r),
                pin.map(charts::group).unwrap_or_else(|| "—".into()),
                pct(area_coverage(r, pin)),
            )
        })
        .collect();
    let view = Dashboard {
        c: Chrome::new(&ctx, &t.get("fw-title")),
        period_label: f.cal.label(period),
        periods,
        sectors,
        areas,
        org_value,
        statuses,
        totals,
        matrix_sectors: sector_codes
            .iter()
            .map(|s| (s.clone(), labels.sector(s)))
            .collect(),
        matrix,
        gaps,
        map_svg: coverage_map(&outlines, &f, &labels, t),
        map_rows,
        trend_svg: trend_svg(&f, t),
        trend: f
            .trend
            .iter()
            .map(|(p, n, r)| (f.cal.label(*p), charts::group(*n), charts::group(*r)))
            .collect(),
        rounds,
        query: FwQuery::to_query(&f.filter),
        can_report: ctx.actor().org.is_some() && ctx.may(Action::ActivityReport, ctx.actor().org)
            || ctx.may(Action::ActivityReport, None),
        can_review: ctx.may(Action::RoundReview, None),
        can_import: ctx.may(Action::ActivityReport, ctx.actor().org)
            || ctx.may(Action::ActivityReport, None),
    };
    Ok(render(&ctx, StatusCode::OK, &view))
}

fn download(body: Vec<u8>, mime: &'static str, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

/// The dashboard's pieces as files: `matrix.csv`, `map.svg`, `trend.svg`, `trend.csv`.
pub async fn dashboard_file(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(file): Path<String>,
    Query(q): Query<FwQuery>,
) -> Result<Response, PageError> {
    ctx.require(Action::CoverageRead, None)?;
    let (lang, t) = (ctx.lang, ctx.t());
    let f = figures(&st, lang, &q).await?;
    let labels = Labels::load(&st, lang).await?;
    let period = f.filter.period.map(|p| f.cal.label(p)).unwrap_or_default();
    let tagged = |cols: &[(&str, &str)], rows: Vec<Vec<String>>| -> Result<Vec<u8>, PageError> {
        let table = minbar_hxl::Table {
            columns: cols
                .iter()
                .map(|(h, tag)| minbar_hxl::Column {
                    header: Some(t.get(h)),
                    tag: minbar_hxl::Hashtag::parse(tag),
                })
                .collect(),
            rows: rows
                .into_iter()
                .enumerate()
                .map(|(i, values)| minbar_hxl::Row {
                    source_row: i + 3,
                    values,
                })
                .collect(),
            ..Default::default()
        };
        let mut out = Vec::new();
        minbar_hxl::csv_io::write_csv(&table, &mut out)
            .map_err(|e| PageError::internal(lang, e))?;
        Ok(out)
    };
    Ok(match file.as_str() {
        "matrix.csv" => {
            let rows = f
                .cells
                .iter()
                .map(|c| {
                    vec![
                        period.clone(),
                        c.area.clone(),
                        labels.area(&c.area),
                        c.sector.clone(),
                        c.organisations.to_string(),
                        c.activities.to_string(),
                        c.targeted.to_string(),
                        c.reached.to_string(),
                        c.people_in_need.map(|p| p.to_string()).unwrap_or_default(),
                        c.severity.map(|s| s.to_string()).unwrap_or_default(),
                        c.coverage().map(|c| format!("{c:.1}")).unwrap_or_default(),
                        if c.is_gap() {
                            "1".into()
                        } else {
                            String::new()
                        },
                    ]
                })
                .collect();
            let cols = [
                ("fw-period", "#date+period"),
                ("fw-area-code", "#adm1+code"),
                ("fw-area", "#adm1+name"),
                ("fw-sector", "#sector+code"),
                ("fw-orgs", "#org+num"),
                ("fw-activities", "#activity+num"),
                ("fw-targeted", "#targeted+total"),
                ("fw-reached", "#reached+total"),
                ("fw-pin", "#inneed+total"),
                ("fw-severity", "#severity"),
                ("fw-coverage", "#indicator+coverage+pct"),
                ("fw-gap", "#indicator+gap"),
            ];
            download(
                tagged(&cols, rows)?,
                "text/csv; charset=utf-8",
                &format!("4w-matrix-{period}.csv"),
            )
        }
        "trend.csv" => {
            let rows = f
                .trend
                .iter()
                .map(|(p, n, r)| vec![f.cal.label(*p), n.to_string(), r.to_string()])
                .collect();
            let cols = [
                ("fw-period", "#date+period"),
                ("fw-activities", "#activity+num"),
                ("fw-reached", "#reached+total"),
            ];
            download(
                tagged(&cols, rows)?,
                "text/csv; charset=utf-8",
                "4w-trend.csv",
            )
        }
        "map.svg" => {
            let outlines = super::directory::outlines_for(&st, lang, None).await?;
            let svg = coverage_map(&outlines, &f, &labels, t);
            download(
                svg.into_bytes(),
                "image/svg+xml",
                &format!("4w-map-{period}.svg"),
            )
        }
        "trend.svg" => download(
            trend_svg(&f, t).into_bytes(),
            "image/svg+xml",
            "4w-trend.svg",
        ),
        _ => return Err(PageError::not_found(lang)),
    })
}

// ------------------------------------------------------------------ the reporting round

/// The activity form's values and errors, by field name.
#[derive(Default)]
pub struct ActForm {
    values: HashMap<String, String>,
    errors: HashMap<String, String>,
}

impl ActForm {
    pub fn val(&self, name: &str) -> &str {
        self.values.get(name).map(String::as_str).unwrap_or("")
    }
    pub fn err(&self, name: &str) -> &str {
        self.errors.get(name).map(String::as_str).unwrap_or("")
    }
    pub fn is(&self, name: &str, value: &str) -> bool {
        self.val(name) == value
    }
    fn from_input(i: &ActivityInput) -> ActForm {
        let mut v = HashMap::new();
        let mut put = |k: &str, s: &str| {
            v.insert(k.to_string(), s.to_string());
        };
        put("period", &i.period);
        put("sector", &i.sector);
        put("activity_type", &i.activity_type);
        put("area", &i.area);
        put("partners", &i.partners);
        put("donor", &i.donor);
        put("start", &i.start);
        put("end", &i.end);
        put("status", &i.status);
        put("modality", &i.modality);
        for (k, p) in [("targeted", &i.targeted), ("reached", &i.reached)] {
            for (n, s) in ["women", "men", "girls", "boys", "total"]
                .iter()
                .zip(p.iter())
            {
                put(&format!("{k}.{n}"), s);
            }
        }
        put("households", &i.households);
        put("notes", &i.notes);
        ActForm {
            values: v,
            errors: HashMap::new(),
        }
    }
}

/// The form as posted: flat names (`targeted.women` …).
#[derive(Deserialize, Default)]
pub struct ActPost {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    version: i64,
    #[serde(default)]
    org: String,
    #[serde(flatten)]
    fields: HashMap<String, String>,
}

impl ActPost {
    fn input(&self) -> ActivityInput {
        let g = |k: &str| self.fields.get(k).cloned().unwrap_or_default();
        let five =
            |p: &str| ["women", "men", "girls", "boys", "total"].map(|n| g(&format!("{p}.{n}")));
        ActivityInput {
            period: g("period"),
            sector: g("sector"),
            activity_type: g("activity_type"),
            area: g("area"),
            partners: g("partners"),
            donor: g("donor"),
            start: g("start"),
            end: g("end"),
            status: g("status"),
            modality: g("modality"),
            targeted: five("targeted"),
            reached: five("reached"),
            households: g("households"),
            notes: g("notes"),
        }
    }
}

pub struct ActRow {
    id: i64,
    version: i64,
    sector: String,
    activity_type: String,
    area: String,
    targeted: String,
    reached: String,
    status: String,
}

#[derive(Template)]
#[template(path = "fourw_report.html")]
struct ReportPage {
    c: Chrome,
    org: i64,
    org_label: String,
    orgs: Vec<(String, String, bool)>,
    period: String,
    periods: Vec<(String, String, bool)>,
    state: String,
    state_code: &'static str,
    comment: String,
    editable: bool,
    can_submit: bool,
    rows: Vec<ActRow>,
    totals: (String, String),
    form: ActForm,
    form_action: String,
    form_version: i64,
    has_errors: bool,
    notice: String,
    sectors: Vec<(String, String)>,
    areas: Vec<(String, String, String)>,
    statuses: Vec<(String, String)>,
    modalities: Vec<(String, String)>,
    /// the sectors' activity types: (name in the page's language, sector code)
    types: Vec<(String, String)>,
}

#[derive(Deserialize, Default)]
pub struct ReportQuery {
    period: Option<String>,
    org: Option<i64>,
    notice: Option<String>,
    /// Why the reporting cycle was not changed (an error code), on the rounds page.
    cycle_error: Option<String>,
}

/// Whose round a request is about: the actor's organisation, or (for coordinators) the
/// one named in the request.
fn report_org(ctx: &Ctx, asked: Option<i64>) -> Result<OrgId, PageError> {
    let actor = ctx.actor();
    let org = match (asked, actor.org) {
        (Some(o), _) => OrgId(o),
        (None, Some(o)) => o,
        (None, None) => {
            ctx.require(Action::ActivityReport, None)?;
            return Err(PageError::new(
                ctx.lang,
                StatusCode::BAD_REQUEST,
                "org_unknown",
            ));
        }
    };
    ctx.require(Action::ActivityReport, Some(org))?;
    Ok(org)
}

/// Areas for the picker: first-level areas, then the levels below under their parent.
pub(crate) async fn area_choices(
    st: &AppState,
    lang: Lang,
) -> Result<Vec<(String, String, String)>, PageError> {
    let areas = st
        .store
        .list_areas(None, None, None)
        .await
        .map_err(|e| PageError::store(lang, e))?;
    let name = |code: &str| {
        areas
            .iter()
            .find(|a| a.code == code)
            .map(|a| a.name.get(lang).to_string())
            .unwrap_or_else(|| code.to_string())
    };
    let mut v: Vec<(String, String, String)> = areas
        .iter()
        .filter(|a| a.level >= 1)
        .map(|a| {
            let group = match (&a.parent, a.level) {
                (Some(p), 1) => name(p),
                (Some(p), _) => name(p),
                (None, _) => String::new(),
            };
            (a.code.clone(), a.name.get(lang).to_string(), group)
        })
        .collect();
    v.sort_by_cached_key(|a| (minbar_text::name_key(&a.2), minbar_text::name_key(&a.1)));
    Ok(v)
}

#[allow(clippy::too_many_arguments)]
async fn report_page(
    ctx: &Ctx,
    st: &AppState,
    org: OrgId,
    period: Period,
    mut form: ActForm,
    form_action: String,
    form_version: i64,
    notice: String,
) -> Result<ReportPage, PageError> {
    let (lang, t) = (ctx.lang, ctx.t());
    let labels = Labels::load(st, lang).await?;
    let cal = calendar(st, lang).await?;
    let period = cal.period_of(period);
    let listed = st
        .store
        .activity_types()
        .await
        .map_err(|e| PageError::store(lang, e))?;
    // a listed type is shown (and sent back) by its name in the page's language
    let sector = form.val("sector").to_string();
    if let Some(v) = form.values.get_mut("activity_type") {
        *v = listed.label(&sector, v, lang).to_string();
    }
    let o = st
        .store
        .get_org(org)
        .await
        .map_err(|e| PageError::store(lang, e))?;
    let (state, comment) = st
        .store
        .round(org, period)
        .await
        .map_err(|e| PageError::store(lang, e))?;
    let list = st
        .store
        .list_activities(&ActivityFilter {
            period: Some(period),
            org: Some(org),
            per_page: ActivityFilter::MAX_PER_PAGE,
            ..Default::default()
        })
        .await
        .map_err(|e| PageError::store(lang, e))?;
    let (mut tt, mut rt) = (0, 0);
    let rows = list
        .items
        .iter()
        .map(|a| {
            tt += a.targeted.total_or_zero();
            rt += a.reached.total_or_zero();
            ActRow {
                id: a.id.0,
                version: a.version,
                sector: labels.sector(&a.sector),
                activity_type: a
                    .activity_type
                    .as_deref()
                    .map(|t| listed.label(&a.sector, t, lang).to_string())
                    .unwrap_or_default(),
                area: labels.area(&a.area),
                targeted: a.targeted.total.map(charts::group).unwrap_or_default(),
                reached: a.reached.total.map(charts::group).unwrap_or_default(),
                status: t.get(&format!("fw-status-{}", a.status.code())),
            }
        })
        .collect();
    let orgs = if ctx.may(Action::ActivityReport, None) {
        st.store
            .rounds(period)
            .await
            .map_err(|e| PageError::store(lang, e))?
            .into_iter()
            .map(|(id, acr, _, _)| (id.0.to_string(), acr, id == org))
            .collect()
    } else {
        vec![]
    };
    let has_errors = !form.errors.is_empty();
    Ok(ReportPage {
        c: Chrome::new(ctx, &t.get("fw-report-title")),
        org: org.0,
        org_label: o.acronym.clone(),
        orgs,
        period: cal.label(period),
        periods: period_choices(st, lang, &cal, period).await?,
        state: t.get(&format!("fw-round-{}", state.code())),
        state_code: state.code(),
        comment: comment.unwrap_or_default(),
        editable: state.editable(),
        can_submit: state.editable()
            && !list.items.is_empty()
            && ctx.may(Action::RoundSubmit, Some(org)),
        rows,
        totals: (charts::group(tt), charts::group(rt)),
        form,
        form_action,
        form_version,
        has_errors,
        notice,
        sectors: labels.sectors.clone(),
        areas: area_choices(st, lang).await?,
        statuses: ActivityStatus::ALL
            .iter()
            .map(|s| {
                (
                    s.code().to_string(),
                    t.get(&format!("fw-status-{}", s.code())),
                )
            })
            .collect(),
        modalities: Modality::ALL
            .iter()
            .map(|m| {
                (
                    m.code().to_string(),
                    t.get(&format!("fw-modality-{}", m.code())),
                )
            })
            .collect(),
        types: listed
            .all()
            .iter()
            .map(|ty| {
                (
                    ty.name.get(lang).to_string(),
                    ty.sector.as_str().to_string(),
                )
            })
            .collect(),
    })
}

fn report_link(org: OrgId, period: Period, notice: &str) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("period", &period.to_string());
    q.append_pair("org", &org.0.to_string());
    if !notice.is_empty() {
        q.append_pair("notice", notice);
    }
    format!("/4w/report?{}", q.finish())
}

pub async fn report(
    ctx: Ctx,
    State(st): State<AppState>,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let org = report_org(&ctx, q.org)?;
    let cal = calendar(&st, ctx.lang).await?;
    let period = period_or_now(&cal, q.period.as_deref());
    let form = ActForm::from_input(&ActivityInput {
        period: period.to_string(),
        status: ActivityStatus::Ongoing.code().into(),
        ..Default::default()
    });
    let notice = q
        .notice
        .as_deref()
        .filter(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        .map(|n| ctx.t().get(&format!("fw-notice-{n}")))
        .unwrap_or_default();
    let page = report_page(
        &ctx,
        &st,
        org,
        period,
        form,
        "/4w/activities".into(),
        0,
        notice,
    )
    .await?;
    Ok(render(&ctx, StatusCode::OK, &page))
}

fn field_errors(t: crate::i18n::Tr, e: &FieldErrors) -> HashMap<String, String> {
    e.0.iter().map(|(f, c)| (f.clone(), t.err(c))).collect()
}

/// Record an activity from the report page's form.
pub async fn create_activity(
    ctx: Ctx,
    State(st): State<AppState>,
    Form(p): Form<ActPost>,
) -> Result<Response, PageError> {
    let org = report_org(&ctx, p.org.parse().ok())?;
    if !ctx.csrf_ok(&p.csrf) {
        return Err(PageError::new(ctx.lang, StatusCode::FORBIDDEN, "csrf"));
    }
    let input = p.input();
    let cal = calendar(&st, ctx.lang).await?;
    let period = cal.parse(&input.period).unwrap_or_else(|_| now_in(&cal));
    let types = st
        .store
        .activity_types()
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    let result = match input.parse(org, &types) {
        Ok((d, _)) => ctx.store(&st).create_activity(&d).await.map(|_| ()),
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(()) => {
            st.cache.clear();
            Ok(Redirect::to(&report_link(org, period, "saved")).into_response())
        }
        Err(StoreError::Invalid(e)) => {
            let mut form = ActForm::from_input(&input);
            form.errors = field_errors(ctx.t(), &e);
            let page = report_page(
                &ctx,
                &st,
                org,
                period,
                form,
                "/4w/activities".into(),
                0,
                String::new(),
            )
            .await?;
            Ok(render(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}

/// An activity's edit form (on the report page of its organisation and period).
pub async fn edit_activity(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let a = st
        .store
        .get_activity(ActivityId(id))
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    ctx.require(Action::ActivityReport, Some(a.org))?;
    let form = ActForm::from_input(&a.to_input());
    let page = report_page(
        &ctx,
        &st,
        a.org,
        a.period,
        form,
        format!("/4w/activities/{id}"),
        a.version,
        String::new(),
    )
    .await?;
    Ok(render(&ctx, StatusCode::OK, &page))
}

/// The activity a form changes, once the reader may report for its organisation and the
/// form's CSRF token is theirs.
async fn activity_to_change(
    ctx: &Ctx,
    st: &AppState,
    id: i64,
    csrf: &str,
) -> Result<Activity, PageError> {
    let a = st
        .store
        .get_activity(ActivityId(id))
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    ctx.require(Action::ActivityReport, Some(a.org))?;
    if !ctx.csrf_ok(csrf) {
        return Err(PageError::new(ctx.lang, StatusCode::FORBIDDEN, "csrf"));
    }
    Ok(a)
}

/// Save an edit: refused with the form again on errors, with a conflict on a stale version.
pub async fn update_activity(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(p): Form<ActPost>,
) -> Result<Response, PageError> {
    let lang = ctx.lang;
    let a = activity_to_change(&ctx, &st, id, &p.csrf).await?;
    let input = p.input();
    let types = st
        .store
        .activity_types()
        .await
        .map_err(|e| PageError::store(lang, e))?;
    let round = st
        .store
        .round(a.org, a.period)
        .await
        .map_err(|e| PageError::store(lang, e))?
        .0;
    let result = if !round.editable() {
        let mut e = FieldErrors::default();
        e.push("period", "round_locked");
        Err(StoreError::Invalid(e))
    } else {
        match input.parse(a.org, &types) {
            Ok((d, _)) => ctx
                .store(&st)
                .update_activity(a.id, p.version, &d)
                .await
                .map(|_| ()),
            Err(e) => Err(StoreError::Invalid(e)),
        }
    };
    match result {
        Ok(()) => {
            st.cache.clear();
            let period = calendar(&st, ctx.lang)
                .await?
                .parse(&input.period)
                .unwrap_or(a.period);
            Ok(Redirect::to(&report_link(a.org, period, "saved")).into_response())
        }
        Err(StoreError::Invalid(e)) => {
            let mut form = ActForm::from_input(&input);
            form.errors = field_errors(ctx.t(), &e);
            let page = report_page(
                &ctx,
                &st,
                a.org,
                a.period,
                form,
                format!("/4w/activities/{id}"),
                p.version,
                String::new(),
            )
            .await?;
            Ok(render(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(StoreError::Conflict { .. }) => {
            let mut form = ActForm::from_input(&a.to_input());
            form.errors
                .insert("conflict".into(), ctx.t().err("conflict"));
            let page = report_page(
                &ctx,
                &st,
                a.org,
                a.period,
                form,
                format!("/4w/activities/{id}"),
                a.version,
                String::new(),
            )
            .await?;
            Ok(render(&ctx, StatusCode::CONFLICT, &page))
        }
        Err(e) => Err(PageError::store(lang, e)),
    }
}

#[derive(Deserialize)]
pub struct SimplePost {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    version: i64,
}

pub async fn delete_activity(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(p): Form<SimplePost>,
) -> Result<Response, PageError> {
    let lang = ctx.lang;
    let a = activity_to_change(&ctx, &st, id, &p.csrf).await?;
    let (state, _) = st
        .store
        .round(a.org, a.period)
        .await
        .map_err(|e| PageError::store(lang, e))?;
    if !state.editable() {
        return Err(PageError::new(lang, StatusCode::CONFLICT, "round_locked"));
    }
    ctx.store(&st)
        .delete_activity(a.id, p.version)
        .await
        .map_err(|e| PageError::store(lang, e))?;
    st.cache.clear();
    Ok(Redirect::to(&report_link(a.org, a.period, "deleted")).into_response())
}

#[derive(Deserialize)]
pub struct RoundPost {
    #[serde(default)]
    csrf: String,
    org: i64,
    period: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    decision: String,
}

/// Copy the previous period's activities into this one.
pub async fn copy_forward(
    ctx: Ctx,
    State(st): State<AppState>,
    Form(p): Form<RoundPost>,
) -> Result<Response, PageError> {
    let org = report_org(&ctx, Some(p.org))?;
    if !ctx.csrf_ok(&p.csrf) {
        return Err(PageError::new(ctx.lang, StatusCode::FORBIDDEN, "csrf"));
    }
    let cal = calendar(&st, ctx.lang).await?;
    let period = cal
        .parse(&p.period)
        .map_err(|_| PageError::bad_request(ctx.lang))?;
    let n = ctx
        .store(&st)
        .copy_activities_forward(org, cal.previous(period), period)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    st.cache.clear();
    let notice = if n == 0 { "copied-none" } else { "copied" };
    Ok(Redirect::to(&report_link(org, period, notice)).into_response())
}

/// Submit the round (focal point), or validate / return it (coordinator).
pub async fn move_round(
    ctx: Ctx,
    State(st): State<AppState>,
    Form(p): Form<RoundPost>,
) -> Result<Response, PageError> {
    let lang = ctx.lang;
    let org = OrgId(p.org);
    let cal = calendar(&st, lang).await?;
    let period = cal
        .parse(&p.period)
        .map_err(|_| PageError::bad_request(lang))?;
    let (to, back) = match p.decision.as_str() {
        "submit" => {
            ctx.require(Action::RoundSubmit, Some(org))?;
            (RoundState::Submitted, report_link(org, period, "submitted"))
        }
        "validate" | "return" => {
            ctx.require(Action::RoundReview, None)?;
            let to = if p.decision == "validate" {
                RoundState::Validated
            } else {
                RoundState::Returned
            };
            (to, format!("/4w/rounds?period={}", cal.label(period)))
        }
        _ => return Err(PageError::bad_request(lang)),
    };
    if !ctx.csrf_ok(&p.csrf) {
        return Err(PageError::new(lang, StatusCode::FORBIDDEN, "csrf"));
    }
    let comment = p.comment.trim();
    ctx.store(&st)
        .set_round(org, period, to, (!comment.is_empty()).then_some(comment))
        .await
        .map_err(|e| PageError::store(lang, e))?;
    st.cache.clear();
    Ok(Redirect::to(&back).into_response())
}

#[derive(Template)]
#[template(path = "fourw_rounds.html")]
struct RoundsPage {
    c: Chrome,
    period: String,
    periods: Vec<(String, String, bool)>,
    /// (org id, acronym, state label, state code, comment, activities, reached)
    rows: Vec<(i64, String, String, &'static str, String, i64, String)>,
    notice: String,
    /// The cycle in force now, by name.
    cycle_now: String,
    /// The changes of cycle: (cycle name, first period's label), oldest first.
    changes: Vec<(String, String)>,
    can_cycle: bool,
    /// (code, name) of every cycle
    cycles: Vec<(&'static str, String)>,
    /// The month the form suggests for a new cycle (`YYYY-MM`).
    cycle_from: String,
    cycle_error: String,
}

/// A cycle's name in the page's language.
fn cycle_name(t: crate::i18n::Tr, c: Cycle) -> String {
    t.get(&format!("fw-cycle-{}", c.code()))
}

pub async fn rounds(
    ctx: Ctx,
    State(st): State<AppState>,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    ctx.require(Action::RoundReview, None)?;
    let (lang, t) = (ctx.lang, ctx.t());
    let cal = calendar(&st, lang).await?;
    let period = period_or_now(&cal, q.period.as_deref());
    let mut per_org: HashMap<OrgId, (i64, i64)> = HashMap::new();
    st.store
        .each_activity(
            &ActivityFilter {
                period: Some(period),
                ..Default::default()
            },
            |a| {
                let e = per_org.entry(a.org).or_default();
                e.0 += 1;
                e.1 += a.reached.total_or_zero();
                Ok(())
            },
        )
        .await
        .map_err(|e| PageError::store(lang, e))?;
    let rows = st
        .store
        .rounds(period)
        .await
        .map_err(|e| PageError::store(lang, e))?
        .into_iter()
        .map(|(id, acr, s, comment)| {
            let (n, r) = per_org.get(&id).copied().unwrap_or_default();
            (
                id.0,
                acr,
                t.get(&format!("fw-round-{}", s.code())),
                s.code(),
                comment.unwrap_or_default(),
                n,
                charts::group(r),
            )
        })
        .collect();
    let now = now_in(&cal);
    let code_only = |s: &Option<String>| {
        s.as_deref()
            .filter(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
            .map(str::to_string)
    };
    let page = RoundsPage {
        c: Chrome::new(&ctx, &t.get("fw-rounds-title")),
        period: cal.label(period),
        periods: period_choices(&st, lang, &cal, period).await?,
        rows,
        notice: code_only(&q.notice)
            .map(|n| t.get(&format!("fw-notice-{n}")))
            .unwrap_or_default(),
        cycle_now: cycle_name(t, cal.cycle_at(now)),
        changes: cal
            .changes()
            .iter()
            .map(|(from, c)| (cycle_name(t, *c), cal.label(*from)))
            .collect(),
        can_cycle: ctx.may(Action::CycleManage, None),
        cycles: Cycle::ALL
            .iter()
            .map(|c| (c.code(), cycle_name(t, *c)))
            .collect(),
        cycle_from: cal.next(now).to_string(),
        cycle_error: code_only(&q.cycle_error)
            .map(|c| t.err(&c))
            .unwrap_or_default(),
    };
    Ok(render(&ctx, StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub struct CyclePost {
    #[serde(default)]
    csrf: String,
    cycle: String,
    from: String,
    /// The period the rounds page showed, to go back to.
    #[serde(default)]
    period: String,
}

/// Change the reporting cycle from a month on (coordinators).
pub async fn set_cycle(
    ctx: Ctx,
    State(st): State<AppState>,
    Form(p): Form<CyclePost>,
) -> Result<Response, PageError> {
    let lang = ctx.lang;
    ctx.require(Action::CycleManage, None)?;
    if !ctx.csrf_ok(&p.csrf) {
        return Err(PageError::new(lang, StatusCode::FORBIDDEN, "csrf"));
    }
    let outcome = match (Cycle::parse(&p.cycle), Period::parse(&p.from)) {
        (Err(e), _) | (_, Err(e)) => Err(e.code().to_string()),
        (Ok(cycle), Ok(from)) => match ctx.store(&st).set_cycle(from, cycle).await {
            Ok(_) => Ok(()),
            Err(StoreError::Invalid(e)) => {
                Err(e.0.first().map(|(_, c)| c.clone()).unwrap_or_default())
            }
            Err(e) => return Err(PageError::store(lang, e)),
        },
    };
    let mut back = form_urlencoded::Serializer::new(String::new());
    back.append_pair("period", &p.period);
    match outcome {
        Ok(()) => {
            st.cache.clear();
            back.append_pair("notice", "cycle");
        }
        Err(code) => {
            back.append_pair("cycle_error", &code);
        }
    }
    Ok(Redirect::to(&format!("/4w/rounds?{}#cycle", back.finish())).into_response())
}

// ------------------------------------------------------------------ upload

#[derive(Template)]
#[template(path = "fourw_import.html")]
struct ImportPage {
    c: Chrome,
    summary: String,
    refused: bool,
    issues: Vec<(usize, String, String, String)>,
    warnings: Vec<(usize, String, String, String)>,
    /// (row, what it does), at most [`PREVIEW_ROWS`]
    changes: Vec<(usize, String)>,
    more_changes: i64,
    can_needs: bool,
    can_any_org: bool,
    /// The checked file, kept for importing without a second upload (empty: none).
    kept: Option<KeptForm>,
}

/// The form under a checked file: its columns (a sheet without hashtags) and the buttons
/// that check it again or import it.
struct KeptForm {
    token: String,
    name: String,
    what: String,
    period: String,
    valid_rows_only: bool,
    /// (header cell, chosen field; empty: not read), one per column
    columns: Vec<(String, String)>,
    /// (field, name in the reader's language)
    choices: Vec<(String, String)>,
}

/// Rows listed in an upload's preview.
const PREVIEW_ROWS: usize = 500;

fn import_page(ctx: &Ctx) -> ImportPage {
    ImportPage {
        c: Chrome::new(ctx, &ctx.t().get("fw-import-title")),
        summary: String::new(),
        refused: false,
        issues: vec![],
        warnings: vec![],
        changes: vec![],
        more_changes: 0,
        can_needs: ctx.may(Action::NeedEdit, None),
        can_any_org: ctx.may(Action::ActivityReport, None),
        kept: None,
    }
}

pub async fn import_form(ctx: Ctx) -> Result<Response, PageError> {
    if !(ctx.may(Action::ActivityReport, None) || ctx.may(Action::ActivityReport, ctx.actor().org))
    {
        return Err(ctx.refusal());
    }
    Ok(render(&ctx, StatusCode::OK, &import_page(&ctx)))
}

/// What the upload form sent.
#[derive(Default)]
struct UploadForm {
    csrf: String,
    file: Vec<u8>,
    file_name: String,
    what: String,
    period: String,
    /// A kept upload's token, when the form was the one under a checked file.
    token: String,
    /// `check` or `import` from the kept file's form.
    go: String,
    /// `col{i}`: the field chosen for column `i`
    columns: Vec<(usize, String)>,
    opts: minbar_exchange::directory::ImportOptions,
}

async fn read_upload(
    ctx: &Ctx,
    form: &mut axum::extract::Multipart,
) -> Result<UploadForm, PageError> {
    let mut f = UploadForm::default();
    while let Ok(Some(field)) = form.next_field().await {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            f.file_name = field
                .file_name()
                .unwrap_or_default()
                .chars()
                .take(200)
                .collect();
        }
        let Ok(data) = field.bytes().await else {
            return Err(PageError::bad_request(ctx.lang));
        };
        let text = || String::from_utf8_lossy(&data).trim().to_string();
        match name.as_str() {
            "csrf" => f.csrf = text(),
            "file" => f.file = data.to_vec(),
            "what" => f.what = text(),
            "period" => f.period = text(),
            "upload" => f.token = text(),
            "go" => f.go = text(),
            "dry_run" => f.opts.dry_run = true,
            "valid_rows_only" => f.opts.valid_rows_only = true,
            _ => {
                let col = name
                    .strip_prefix("col")
                    .and_then(|i| i.parse::<usize>().ok());
                // a sheet wider than any 4W sheet is not a choice anyone made
                if let Some(i) = col.filter(|i| *i < 1000) {
                    f.columns.push((i, text()));
                }
            }
        }
    }
    // a month, quarter, half or year: the import puts it into the network's calendar
    f.opts.period = Period::parse_span(&f.period).ok().map(|(p, _)| p);
    if !f.columns.is_empty() {
        let width = f.columns.iter().map(|(i, _)| i + 1).max().unwrap_or(0);
        let mut cols = vec![String::new(); width];
        for (i, v) in &f.columns {
            cols[*i] = v.clone();
        }
        f.opts.columns = Some(cols);
    }
    Ok(f)
}

/// Upload a 4W file: activities (a focal point's own organisation only) or needs
/// (coordinators). A check shows what would be added and changed and keeps the file, so
/// that it can be imported (with the columns the person chose, for a sheet without
/// hashtags) without a second upload.
pub async fn import_upload(
    ctx: Ctx,
    State(st): State<AppState>,
    mut form: axum::extract::Multipart,
) -> Result<Response, PageError> {
    let actor = ctx.actor();
    let any_org = ctx.may(Action::ActivityReport, None);
    if !(any_org || ctx.may(Action::ActivityReport, actor.org)) {
        return Err(ctx.refusal());
    }
    let Some(user) = actor.user else {
        return Err(ctx.refusal());
    };
    let t = ctx.t();
    let mut f = read_upload(&ctx, &mut form).await?;
    let mut page = import_page(&ctx);
    let refuse = |mut page: ImportPage, summary: String| {
        page.refused = true;
        page.summary = summary;
        Ok(render(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &page))
    };
    if !ctx.csrf_ok(&f.csrf) {
        return refuse(page, t.err("csrf"));
    }
    let store = ctx.store(&st);
    let internal = |e: minbar_store::StoreError| PageError::internal(ctx.lang, e);
    // the file: a new upload, or the one kept by the check before
    let (bytes, token) = if !f.file.is_empty() || f.token.is_empty() {
        (std::mem::take(&mut f.file), None)
    } else {
        match st
            .store
            .kept_upload(user, &f.token)
            .await
            .map_err(internal)?
        {
            Some(k) => {
                f.what = k.kind;
                f.file_name = k.name;
                f.opts.dry_run = f.go != "import";
                (k.content, Some(f.token.clone()))
            }
            None => return refuse(page, t.get("fw-import-kept-gone")),
        }
    };
    let needs = f.what == "needs";
    if needs {
        ctx.require(Action::NeedEdit, None)?;
    }
    if !any_org {
        f.opts.only_org = actor.org;
    }
    let kind = if needs { "needs" } else { "activities" };
    // what a column can be read as: (field, its name in the reader's language)
    let choices: Vec<(String, String)> = minbar_exchange::activities::column_choices(needs)
        .into_iter()
        .map(|(field, en, ar)| {
            let name = if ctx.lang == Lang::Ar { ar } else { en };
            (field.to_string(), name.to_string())
        })
        .collect();
    let label = |field: &str| {
        choices
            .iter()
            .find(|(c, _)| c == field)
            .map(|(_, n)| n.clone())
    };
    let kept_form = |columns: Vec<(String, String)>, token: String| KeptForm {
        token,
        name: f.file_name.clone(),
        what: kind.into(),
        period: f.period.clone(),
        valid_rows_only: f.opts.valid_rows_only,
        columns,
        choices: choices.clone(),
    };
    // keep the file for the next step, unless it was kept already
    let keep = |bytes: Vec<u8>| async {
        match &token {
            Some(t) => Ok(t.clone()),
            None => {
                let upload = minbar_store::uploads::KeptUpload {
                    kind: kind.into(),
                    name: f.file_name.clone(),
                    content: bytes,
                };
                st.store.keep_upload(user, &upload).await
            }
        }
    };
    // (header cell, field) for the columns form: the fields the person chose, else the
    // suggestions
    let form_columns = |mapping: Vec<(String, String)>| -> Vec<(String, String)> {
        mapping
            .into_iter()
            .enumerate()
            .map(|(i, (header, tag))| {
                let field = match &f.opts.columns {
                    Some(c) => c.get(i).cloned().unwrap_or_default(),
                    None => minbar_exchange::activities::field_of_tag(&tag, needs)
                        .unwrap_or_default()
                        .to_string(),
                };
                (header, field)
            })
            .collect()
    };
    if let Some(cols) = &f.opts.columns {
        let mut seen = std::collections::HashSet::new();
        if let Some(twice) = cols
            .iter()
            .find(|c| !c.is_empty() && !seen.insert(c.as_str()))
        {
            let name = label(twice).unwrap_or_else(|| twice.clone());
            let summary = t.arg("fw-import-column-twice", "field", &name);
            let columns = form_columns(
                minbar_exchange::activities::untagged_columns(&bytes)
                    .ok()
                    .flatten()
                    .unwrap_or_default(),
            );
            let token = keep(bytes).await.map_err(internal)?;
            page.kept = Some(kept_form(columns, token));
            return refuse(page, summary);
        }
    }
    let result = if needs {
        minbar_exchange::activities::import_needs(&store, &bytes, f.opts.clone()).await
    } else {
        minbar_exchange::activities::import_activities(&store, &bytes, f.opts.clone()).await
    };
    let issue = |i: &minbar_exchange::RowIssue| {
        let mut reason = t.err(&i.code);
        if !i.candidates.is_empty() {
            reason.push_str(&format!(" ({})", i.candidates.join("، ")));
        }
        (
            i.row,
            super::column_for_display(&i.column),
            i.value.clone(),
            reason,
        )
    };
    match result {
        Ok(r) => {
            st.cache.clear();
            let n = |k: &str| {
                crate::i18n::translate(
                    ctx.lang,
                    k,
                    &[
                        ("created", (r.created as i64).into()),
                        ("updated", (r.updated as i64).into()),
                    ],
                )
            };
            let dry_run = f.opts.dry_run;
            page.refused = !r.written && !dry_run;
            page.summary = if r.written {
                n("import-result-written")
            } else if dry_run && r.issues.is_empty() {
                n("import-result-dry")
            } else {
                crate::i18n::translate(
                    ctx.lang,
                    "import-result-refused",
                    &[("count", (r.issues.len() as i64).into())],
                )
            };
            page.issues = r.issues.iter().map(issue).collect();
            page.warnings = r.row_warnings.iter().map(issue).collect();
            if r.issues.is_empty() || f.opts.valid_rows_only {
                let (add, change) = if r.written {
                    (t.get("fw-row-added"), t.get("fw-row-changed"))
                } else {
                    (t.get("fw-row-will-add"), t.get("fw-row-will-change"))
                };
                page.changes = r
                    .row_changes
                    .iter()
                    .take(PREVIEW_ROWS)
                    .map(|(row, new)| (*row, if *new { add.clone() } else { change.clone() }))
                    .collect();
                page.more_changes = r.row_changes.len().saturating_sub(PREVIEW_ROWS) as i64;
            }
            if r.written {
                if let Some(token) = &token {
                    st.store.drop_upload(user, token).await.map_err(internal)?;
                }
            } else {
                let columns = form_columns(r.mapping.clone());
                let token = keep(bytes).await.map_err(internal)?;
                page.kept = Some(kept_form(columns, token));
            }
            let status = if page.refused {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::OK
            };
            Ok(render(&ctx, status, &page))
        }
        Err(e) => {
            let mut summary = match &e {
                minbar_exchange::ExchangeError::MissingColumns(cols) => {
                    t.arg("fw-import-missing", "columns", cols)
                }
                minbar_exchange::ExchangeError::Hxl(h) => h.to_string(),
                minbar_exchange::ExchangeError::Store(_) => {
                    return Err(PageError::internal(ctx.lang, e))
                }
            };
            // a sheet whose columns were not all recognised: let the person say what they are
            if let Ok(Some(cols)) = minbar_exchange::activities::untagged_columns(&bytes) {
                if !cols.is_empty() {
                    let token = keep(bytes).await.map_err(internal)?;
                    let form = kept_form(form_columns(cols), token);
                    // what is missing, named as the form names it
                    let fields: Vec<Option<&str>> =
                        form.columns.iter().map(|(_, f)| Some(f.as_str())).collect();
                    let missing: Vec<String> =
                        minbar_exchange::activities::missing_fields(&fields, needs, &f.opts)
                            .into_iter()
                            .filter_map(|(m, _)| label(m))
                            .collect();
                    if !missing.is_empty() {
                        let sep = if ctx.lang == Lang::Ar { "، " } else { ", " };
                        summary = t.arg("fw-import-missing", "columns", &missing.join(sep));
                    }
                    page.kept = Some(form);
                }
            }
            refuse(page, summary)
        }
    }
}

/// A blank 4W workbook for the reporter's organisation and a period, with drop-down lists.
pub async fn template(
    ctx: Ctx,
    State(st): State<AppState>,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let org = report_org(&ctx, q.org)?;
    let cal = calendar(&st, ctx.lang).await?;
    let period = period_or_now(&cal, q.period.as_deref());
    let headers = minbar_exchange::activities::Headers::for_lang(ctx.lang);
    let bytes = minbar_exchange::activities::activity_template(
        &st.store,
        Some(org),
        Some(period),
        headers,
        100,
    )
    .await
    .map_err(|e| PageError::internal(ctx.lang, e))?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("4w-template-{}.xlsx", cal.label(period)),
    ))
}

/// Activities as HXL-tagged CSV (streamed) or Excel, with the dashboard's filters.
pub async fn export_activities(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(file): Path<String>,
    Query(q): Query<FwQuery>,
) -> Result<Response, PageError> {
    ctx.require(Action::ActivityRead, None)?;
    let lang = ctx.lang;
    let cal = calendar(&st, lang).await?;
    let filter = q.filter(&cal, None);
    let headers = minbar_exchange::activities::Headers::for_lang(lang);
    let name = |ext: &str| match filter.period {
        Some(p) => format!("4w-{}.{ext}", cal.label(p)),
        None => format!("4w.{ext}"),
    };
    match file.as_str() {
        "export.csv" => {
            let mut out = Vec::new();
            minbar_exchange::activities::write_activities_csv(
                &st.store, &filter, headers, &mut out,
            )
            .await
            .map_err(|e| PageError::internal(lang, e))?;
            Ok(download(out, "text/csv; charset=utf-8", &name("csv")))
        }
        "export.xlsx" => {
            let table = minbar_exchange::activities::activities_table(&st.store, &filter, headers)
                .await
                .map_err(|e| PageError::internal(lang, e))?;
            let bytes = minbar_hxl::xlsx::write_xlsx(&table, "4W", lang.is_rtl())
                .map_err(|e| PageError::internal(lang, e))?;
            Ok(download(
                bytes,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                &name("xlsx"),
            ))
        }
        _ => Err(PageError::not_found(lang)),
    }
}

// ------------------------------------------------------------------ needs

#[derive(Template)]
#[template(path = "fourw_needs.html")]
struct NeedsPage {
    c: Chrome,
    period: String,
    periods: Vec<(String, String, bool)>,
    /// (area, sector, people in need, women/men/girls/boys, severity, source)
    rows: Vec<(String, String, String, String, u8, String)>,
    can_edit: bool,
    form: ActForm,
    sectors: Vec<(String, String)>,
    areas: Vec<(String, String, String)>,
    notice: String,
}

#[derive(Deserialize, Default)]
pub struct NeedsQuery {
    period: Option<String>,
    notice: Option<String>,
}

async fn needs_page(
    ctx: &Ctx,
    st: &AppState,
    period: Period,
    form: ActForm,
    notice: String,
) -> Result<NeedsPage, PageError> {
    let (lang, t) = (ctx.lang, ctx.t());
    let labels = Labels::load(st, lang).await?;
    let cal = calendar(st, lang).await?;
    let period = cal.period_of(period);
    let n = |v: Option<i64>| v.map(charts::group).unwrap_or_else(|| "—".into());
    let rows = st
        .store
        .list_needs(Some(period), None, None)
        .await
        .map_err(|e| PageError::store(lang, e))?
        .into_iter()
        .map(|need| {
            let p = need.in_need;
            (
                labels.area(&need.area),
                labels.sector(&need.sector),
                n(p.total),
                format!(
                    "{} / {} / {} / {}",
                    n(p.women),
                    n(p.men),
                    n(p.girls),
                    n(p.boys)
                ),
                need.severity.get(),
                need.source.unwrap_or_default(),
            )
        })
        .collect();
    Ok(NeedsPage {
        c: Chrome::new(ctx, &t.get("fw-needs-title")),
        period: cal.label(period),
        periods: period_choices(st, lang, &cal, period).await?,
        rows,
        can_edit: ctx.may(Action::NeedEdit, None),
        form,
        sectors: labels.sectors.clone(),
        areas: area_choices(st, lang).await?,
        notice,
    })
}

/// People in need for a month, and (for the secretariat) a form to record them.
pub async fn needs(
    ctx: Ctx,
    State(st): State<AppState>,
    Query(q): Query<NeedsQuery>,
) -> Result<Response, PageError> {
    ctx.require(Action::ActivityRead, None)?;
    let cal = calendar(&st, ctx.lang).await?;
    let period = period_or_now(&cal, q.period.as_deref());
    let mut form = ActForm::default();
    form.values.insert("period".into(), period.to_string());
    let notice = match q.notice.as_deref() {
        Some("saved") => ctx.t().get("fw-notice-saved"),
        _ => String::new(),
    };
    let page = needs_page(&ctx, &st, period, form, notice).await?;
    Ok(render(&ctx, StatusCode::OK, &page))
}

/// Record people in need (the same area, sector and month again replaces the figure).
pub async fn save_need(
    ctx: Ctx,
    State(st): State<AppState>,
    Form(p): Form<ActPost>,
) -> Result<Response, PageError> {
    ctx.require(Action::NeedEdit, None)?;
    if !ctx.csrf_ok(&p.csrf) {
        return Err(PageError::new(ctx.lang, StatusCode::FORBIDDEN, "csrf"));
    }
    let g = |k: &str| p.fields.get(k).cloned().unwrap_or_default();
    let input = NeedInput {
        area: g("area"),
        sector: g("sector"),
        period: g("period"),
        in_need: ["women", "men", "girls", "boys", "total"].map(|n| g(&format!("in_need.{n}"))),
        severity: g("severity"),
        source: g("source"),
    };
    let cal = calendar(&st, ctx.lang).await?;
    let period = cal.parse(&input.period).unwrap_or_else(|_| now_in(&cal));
    let result = match input.parse() {
        Ok(d) => ctx.store(&st).save_need(&d).await.map(|_| ()),
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(()) => {
            st.cache.clear();
            Ok(Redirect::to(&format!(
                "/4w/needs?period={}&notice=saved",
                cal.label(period)
            ))
            .into_response())
        }
        Err(StoreError::Invalid(e)) => {
            let mut form = ActForm {
                values: p.fields.clone(),
                errors: field_errors(ctx.t(), &e),
            };
            form.values.insert("period".into(), input.period.clone());
            let page = needs_page(&ctx, &st, period, form, String::new()).await?;
            Ok(render(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}
