//! Server-rendered pages. One module per area of the site; the routes are in one place.

mod auth;
mod directory;
mod form;
mod fourw;
mod misc;
mod person;

pub use directory::Labels;
mod org;

use crate::ctx::{Ctx, LANG_COOKIE};
use crate::error::PageError;
use crate::i18n::Tr;
use crate::AppState;
use askama::Template;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use minbar_core::{Action, I18nText, Lang};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/directory") }))
        .route("/directory", get(directory::directory))
        .route("/directory/{format}", get(directory::export))
        .route(
            "/directory/import",
            get(directory::import_form).post(directory::import_upload),
        )
        .route("/organisations", post(org::create))
        .route("/organisations/new", get(org::new_form))
        .route("/organisations/{id}", get(org::show).post(org::update))
        .route("/organisations/{id}/edit", get(org::edit_form))
        .route("/organisations/{id}/delete", post(org::delete))
        .route(
            "/organisations/{id}/logo",
            get(org::logo)
                .post(org::upload_logo)
                .layer(axum::extract::DefaultBodyLimit::max(3 * 1024 * 1024)),
        )
        .route("/people", get(misc::people).post(person::create))
        .route("/people/new", get(person::new_form))
        .route(
            "/people/export.csv",
            get(|ctx, st| directory::export_people(ctx, st, "export.csv")),
        )
        .route(
            "/people/export.xlsx",
            get(|ctx, st| directory::export_people(ctx, st, "export.xlsx")),
        )
        .route("/people/{id}", get(misc::person).post(person::update))
        .route("/people/{id}/edit", get(person::edit_form))
        .route("/people/{id}/delete", post(person::delete))
        .route(
            "/people/{id}/affiliations/{org}/delete",
            post(person::remove_affiliation),
        )
        .route("/sectors", get(misc::sectors).post(misc::create_sector))
        .route("/sectors/new", get(misc::new_sector))
        .route("/sectors/{code}", get(misc::sector))
        .route("/areas", get(misc::areas))
        .route("/areas/{code}", get(misc::area))
        .route("/api", get(misc::api_docs))
        .route("/search", get(misc::search))
        .route("/4w", get(fourw::dashboard))
        .route("/4w/report", get(fourw::report))
        .route("/4w/report/copy", post(fourw::copy_forward))
        .route("/4w/report/round", post(fourw::move_round))
        .route("/4w/rounds", get(fourw::rounds))
        .route("/4w/template.xlsx", get(fourw::template))
        .route("/4w/needs", get(fourw::needs).post(fourw::save_need))
        .route("/4w/activities", post(fourw::create_activity))
        .route("/4w/activities/{id}", post(fourw::update_activity))
        .route("/4w/activities/{id}/edit", get(fourw::edit_activity))
        .route("/4w/activities/{id}/delete", post(fourw::delete_activity))
        .route(
            "/4w/import",
            get(fourw::import_form)
                .post(fourw::import_upload)
                .layer(axum::extract::DefaultBodyLimit::max(50 * 1024 * 1024)),
        )
        .route("/4w/data/{file}", get(fourw::export_activities))
        .route("/4w/charts/{file}", get(fourw::dashboard_file))
        .route("/sign-in", get(auth::sign_in_form).post(auth::sign_in))
        .route("/sign-out", post(auth::sign_out))
}

/// What every page shows around its content.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub lang: Lang,
    pub t: Tr,
    pub title: String,
    pub user: Option<String>,
    pub csrf: String,
    pub path: String,
    pub query: String,
    pub can_create_org: bool,
    pub can_4w: bool,
}

impl Chrome {
    pub fn new(ctx: &Ctx, title: &str) -> Chrome {
        Chrome {
            lang: ctx.lang,
            t: ctx.t(),
            title: title.to_string(),
            user: ctx.session.as_ref().map(|s| s.user.email.clone()),
            csrf: ctx.csrf(),
            path: ctx.path.clone(),
            query: ctx.query.clone(),
            can_create_org: ctx.may(Action::OrgCreate, None),
            can_4w: ctx.may(Action::CoverageRead, None),
        }
    }

    /// For error pages, where the request context may be unavailable.
    pub fn bare(lang: Lang, title: &str) -> Chrome {
        Chrome {
            lang,
            t: Tr(lang),
            title: title.to_string(),
            user: None,
            csrf: String::new(),
            path: "/directory".into(),
            query: String::new(),
            can_create_org: false,
            can_4w: false,
        }
    }

    pub fn dir(&self) -> &'static str {
        if self.lang.is_rtl() {
            "rtl"
        } else {
            "ltr"
        }
    }

    /// This page in another language.
    pub fn lang_link(&self, code: &str) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in form_urlencoded::parse(self.query.as_bytes()) {
            if k != "lang" {
                q.append_pair(&k, &v);
            }
        }
        q.append_pair("lang", code);
        format!("{}?{}", self.path, q.finish())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub c: Chrome,
    pub message: String,
    pub sign_in: bool,
}

/// Render a template as the response, remembering a language chosen with `?lang=`.
pub fn render<T: Template>(ctx: &Ctx, status: StatusCode, t: &T) -> Response {
    let html = match t.render() {
        Ok(h) => h,
        Err(e) => return PageError::internal(ctx.lang, e).into_response(),
    };
    let mut res = (status, Html(html)).into_response();
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(ctx.lang.code()) {
        h.insert(header::CONTENT_LANGUAGE, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if ctx.remember_lang {
        let c = format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            ctx.lang.code()
        );
        if let Ok(v) = HeaderValue::from_str(&c) {
            h.append(header::SET_COOKIE, v);
        }
    }
    res
}

pub async fn not_found(ctx: Ctx) -> PageError {
    PageError::not_found(ctx.lang)
}

/// A name in the reader's language, with the language it is actually in.
pub fn name_in(n: &I18nText, lang: Lang) -> (String, &'static str) {
    match n.get_with_lang(lang) {
        Some((s, l)) => (s.to_string(), l.code()),
        None => (String::new(), lang.code()),
    }
}

fn dir_of(l: Lang) -> &'static str {
    if l.is_rtl() {
        "rtl"
    } else {
        "ltr"
    }
}

/// An imported file's column as an error table shows it: `الواصلون #reached`, with the
/// hashtag isolated left to right so that it reads `#reached`, not `reached#`, beside
/// Arabic.
pub fn column_for_display(label: &str) -> String {
    match label.rfind(" #") {
        Some(i) => format!("{} \u{2066}{}\u{2069}", &label[..i], &label[i + 1..]),
        None if label.starts_with('#') => format!("\u{2066}{label}\u{2069}"),
        None => label.to_string(),
    }
}

/// A cell's value as an error table shows it: with no right-to-left letter in it (`-3`,
/// `SY-XX`), isolated left to right so that an Arabic page does not show `3-`.
pub fn value_for_display(v: &str) -> String {
    let rtl = v
        .chars()
        .any(|c| matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FEFC}'));
    if rtl || v.is_empty() {
        v.to_string()
    } else {
        format!("\u{2066}{v}\u{2069}")
    }
}

/// The names in the other languages: (lang code, name, dir).
pub fn other_names(n: &I18nText, shown: &str) -> Vec<(String, String, String)> {
    Lang::ALL
        .into_iter()
        .filter(|l| l.code() != shown)
        .filter_map(|l| {
            n.get_exact(l)
                .map(|s| (l.code().to_string(), s.to_string(), dir_of(l).to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_hashtag_beside_arabic_is_isolated_left_to_right() {
        assert_eq!(
            super::column_for_display("الواصلون #reached"),
            "الواصلون \u{2066}#reached\u{2069}"
        );
        assert_eq!(
            super::column_for_display("#adm1+code"),
            "\u{2066}#adm1+code\u{2069}"
        );
        assert_eq!(super::column_for_display("activity"), "activity");
        assert_eq!(super::value_for_display("-3"), "\u{2066}-3\u{2069}");
        assert_eq!(super::value_for_display("مكان مجهول"), "مكان مجهول");
    }
}
