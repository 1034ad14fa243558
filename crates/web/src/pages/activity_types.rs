//! A sector's list of activity types, kept by the secretariat: what a focal point picks
//! for an activity of that sector (in the report form, the Excel template and imports).

use super::form::fields;
use super::{render, Chrome};
use crate::ctx::Ctx;
use crate::error::PageError;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minbar_core::{Action, ActivityType, FieldErrors, I18nText, Lang, SectorCode};
use minbar_store::StoreError;

#[derive(Template)]
#[template(path = "activity_types.html")]
struct TypesPage {
    c: Chrome,
    sector: String,
    /// (code, name in the page's language, the other names)
    types: Vec<(String, String, String)>,
    may_edit: bool,
    error: String,
    /// what was typed, kept when refused: code, ar, en, tr
    typed: [String; 4],
    /// the fields refused
    bad: Vec<String>,
}

impl TypesPage {
    fn bad(&self, field: &str) -> bool {
        self.bad.iter().any(|f| f == field)
    }
}

/// What was typed into the form, and which of its fields were refused.
#[derive(Default)]
struct Typed {
    values: [String; 4],
    bad: Vec<String>,
}

async fn page(
    ctx: &Ctx,
    st: &AppState,
    code: &str,
    status: StatusCode,
    error: String,
    typed: Typed,
) -> Result<Response, PageError> {
    let lang = ctx.lang;
    let sector = st
        .store
        .list_sectors()
        .await
        .map_err(|e| PageError::store(lang, e))?
        .into_iter()
        .find(|s| s.code == code)
        .ok_or_else(|| PageError::not_found(lang))?;
    let listed = st
        .store
        .activity_types()
        .await
        .map_err(|e| PageError::store(lang, e))?;
    let types = listed
        .of(code)
        .map(|t| {
            let others: Vec<String> = Lang::ALL
                .into_iter()
                .filter(|l| *l != lang)
                .filter_map(|l| t.name.get_exact(l))
                .map(|n| format!("\u{2068}{n}\u{2069}"))
                .collect();
            (
                t.code.clone(),
                t.name.get(lang).to_string(),
                others.join(" · "),
            )
        })
        .collect();
    let title = format!("{}: {}", ctx.t().get("types-title"), sector.name.get(lang));
    let p = TypesPage {
        c: Chrome::new(ctx, &title),
        sector: sector.code,
        types,
        may_edit: ctx.may(Action::SectorEdit, None),
        error,
        typed: typed.values,
        bad: typed.bad,
    };
    Ok(render(ctx, status, &p))
}

/// `/sectors/{code}/activity-types`: the list, and (for the secretariat) the form to add.
pub async fn show(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let code = code.to_ascii_lowercase();
    page(
        &ctx,
        &st,
        &code,
        StatusCode::OK,
        String::new(),
        Default::default(),
    )
    .await
}

fn first_error(ctx: &Ctx, e: &FieldErrors) -> String {
    let t = ctx.t();
    e.0.iter()
        .map(|(f, c)| format!("{}: {}", t.get(&format!("types-field-{f}")), t.err(c)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// After a change: figures kept in the cache may name types, so they go; back to the list.
fn changed(st: &AppState, code: &str) -> Response {
    st.cache.clear();
    Redirect::to(&format!("/sectors/{code}/activity-types")).into_response()
}

/// Add a type at the end of the sector's list.
pub async fn add(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    ctx.require(Action::SectorEdit, None)?;
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let code = code.to_ascii_lowercase();
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    let typed = [get("code"), get("name_ar"), get("name_en"), get("name_tr")];
    let sector = SectorCode::parse(&code).map_err(|_| PageError::not_found(ctx.lang))?;
    let name = I18nText {
        ar: Some(typed[1].clone()),
        en: Some(typed[2].clone()),
        tr: Some(typed[3].clone()),
    };
    let result = match ActivityType::parse(sector, &typed[0], &name) {
        Ok(t) => ctx.store(&st).add_activity_type(&t).await,
        Err(mut e) => {
            // with what the list refuses too, so that one round trip shows every problem
            let listed = st
                .store
                .activity_types()
                .await
                .map_err(|e| PageError::store(ctx.lang, e))?;
            for (f, c) in listed.clashes(&code, &typed[0], &name).0 {
                if !e.0.iter().any(|(g, _)| *g == f) {
                    e.push(&f, &c);
                }
            }
            Err(StoreError::Invalid(e))
        }
    };
    match result {
        Ok(()) => Ok(changed(&st, &code)),
        Err(StoreError::Invalid(e)) => {
            let msg = first_error(&ctx, &e);
            let bad = e.0.into_iter().map(|(f, _)| f).collect();
            page(
                &ctx,
                &st,
                &code,
                StatusCode::UNPROCESSABLE_ENTITY,
                msg,
                Typed { values: typed, bad },
            )
            .await
        }
        Err(StoreError::NotFound) => Err(PageError::not_found(ctx.lang)),
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}

/// Take a type off the list (refused while activities use it).
pub async fn remove(
    ctx: Ctx,
    State(st): State<AppState>,
    Path((code, ty)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, PageError> {
    ctx.require(Action::SectorEdit, None)?;
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let code = code.to_ascii_lowercase();
    match ctx.store(&st).remove_activity_type(&code, &ty).await {
        Ok(()) => Ok(changed(&st, &code)),
        Err(StoreError::Invalid(e)) => {
            let msg = ctx
                .t()
                .err(e.0.first().map(|(_, c)| c.as_str()).unwrap_or(""));
            page(
                &ctx,
                &st,
                &code,
                StatusCode::UNPROCESSABLE_ENTITY,
                msg,
                Default::default(),
            )
            .await
        }
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}
