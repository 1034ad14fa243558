//! Server-rendered pages. One module per area of the site; the routes are in one place.

mod account;
mod activity_types;
mod audit;
mod auth;
mod bulletins;
mod expertise;
pub(crate) mod library;
pub(crate) mod policy;
mod preferences;
pub use bulletins::may_post as bulletins_may_post;
pub use policy::{find as policy_find, ListQuery as PolicyListQuery};
mod directory;
mod form;
mod fourw;
mod groups;
mod invite;
mod meetings;
mod misc;
mod notifications;
mod person;
mod proposals;

pub use directory::Labels;
mod org;

use crate::ctx::{Ctx, LANG_COOKIE};
use crate::error::PageError;
use crate::i18n::Tr;
use crate::routes::{Guard, RouteEntry, Routes};
use crate::AppState;
use askama::Template;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Router;
use minbar_core::{Action, I18nText, Lang};

/// The pages' routes, each with its guard, and the table of them.
pub fn routes(state: &AppState) -> (Router<AppState>, Vec<RouteEntry>) {
    use Action::*;
    let read: Guard = Guard::May(&[DirectoryRead]);
    let report: Guard = Guard::May(&[ActivityReport]);
    Routes::new(state, "")
        .get("/", Guard::Open, |ctx: Ctx| async move {
            if ctx.session.is_some() {
                Redirect::to("/home")
            } else {
                Redirect::to("/directory")
            }
        })
        .get("/home", Guard::SignedIn, meetings::home)
        .get("/notifications", Guard::SignedIn, notifications::list)
        .post(
            "/notifications/read-all",
            Guard::SignedIn,
            notifications::read_all,
        )
        .get("/notifications/{id}", Guard::SignedIn, notifications::open)
        .get("/meetings", Guard::May(&[MeetingRead]), meetings::list)
        .post("/meetings", Guard::May(&[MeetingManage]), meetings::create)
        .get(
            "/meetings/new",
            Guard::May(&[MeetingManage]),
            meetings::new_form,
        )
        .post(
            "/meetings/calendar-feed",
            Guard::May(&[MeetingRead]),
            meetings::new_feed,
        )
        .get("/meetings/{id}", Guard::May(&[MeetingRead]), meetings::show)
        .post(
            "/meetings/{id}",
            Guard::May(&[MeetingManage]),
            meetings::update,
        )
        .get(
            "/meetings/{id}/edit",
            Guard::May(&[MeetingManage]),
            meetings::edit_form,
        )
        .get(
            "/meetings/{id}/calendar.ics",
            Guard::May(&[MeetingRead]),
            meetings::ics,
        )
        .get("/meetings/{id}/summary", Guard::Open, meetings::summary)
        .post(
            "/meetings/{id}/attendees",
            Guard::May(&[MeetingManage]),
            meetings::add_attendee,
        )
        .post(
            "/meetings/{id}/invitations",
            Guard::May(&[MeetingManage]),
            meetings::invite,
        )
        .post(
            "/meetings/{id}/attendees/{attendee}/remove",
            Guard::May(&[MeetingManage]),
            meetings::remove_attendee,
        )
        .post(
            "/meetings/{id}/agenda",
            Guard::May(&[MeetingManage]),
            meetings::add_agenda_item,
        )
        .post(
            "/meetings/{id}/decisions",
            Guard::May(&[MeetingManage]),
            meetings::add_decision,
        )
        .post(
            "/meetings/{id}/decisions/{decision}",
            Guard::May(&[MeetingManage]),
            meetings::update_decision,
        )
        .post(
            "/meetings/{id}/decisions/{decision}/remove",
            Guard::May(&[MeetingManage]),
            meetings::remove_decision,
        )
        .post(
            "/meetings/{id}/agenda/{item}",
            Guard::May(&[MeetingManage]),
            meetings::update_agenda_item,
        )
        .post(
            "/meetings/{id}/agenda/{item}/move",
            Guard::May(&[MeetingManage]),
            meetings::move_agenda_item,
        )
        .post_upload(
            "/meetings/{id}/agenda/{item}/files",
            Guard::May(&[MeetingManage]),
            UPLOAD_LIMIT,
            meetings::upload_agenda_file,
        )
        .post(
            "/meetings/{id}/agenda/{item}/remove",
            Guard::May(&[MeetingManage]),
            meetings::remove_agenda_item,
        )
        .post(
            "/meetings/{id}/actions",
            Guard::May(&[MeetingManage]),
            meetings::add_action,
        )
        .post_upload(
            "/meetings/{id}/minutes",
            Guard::May(&[MinutesEdit]),
            TEXT_LIMIT,
            meetings::save_minutes,
        )
        .post(
            "/meetings/{id}/minutes/state",
            Guard::May(&[MeetingManage]),
            meetings::move_minutes,
        )
        .post_upload(
            "/meetings/{id}/minutes/amend",
            Guard::May(&[MeetingManage]),
            TEXT_LIMIT,
            meetings::amend_minutes,
        )
        .post_upload(
            "/meetings/{id}/summary",
            Guard::May(&[MeetingManage]),
            TEXT_LIMIT,
            meetings::set_summary,
        )
        .get("/calendar/{token}", Guard::Open, meetings::feed)
        .get("/bulletins", Guard::Open, bulletins::list)
        .post("/bulletins", Guard::May(&[BulletinPost]), bulletins::create)
        .get(
            "/bulletins/new",
            Guard::May(&[BulletinPost]),
            bulletins::new_form,
        )
        .get("/bulletins/feed.atom", Guard::Open, bulletins::feed)
        .get(
            "/feeds/{token}/bulletins.atom",
            Guard::Open,
            bulletins::personal_feed,
        )
        .get("/bulletins/{id}", Guard::Open, bulletins::show)
        .post(
            "/bulletins/{id}",
            Guard::May(&[BulletinPost]),
            bulletins::update,
        )
        .get(
            "/bulletins/{id}/edit",
            Guard::May(&[BulletinPost]),
            bulletins::edit_form,
        )
        .post(
            "/bulletins/{id}/delete",
            Guard::May(&[BulletinPost]),
            bulletins::delete,
        )
        .get("/library", Guard::Open, library::list)
        .post("/library", Guard::May(&[DocumentPost]), library::create)
        .get(
            "/library/new",
            Guard::May(&[DocumentPost]),
            library::new_form,
        )
        .get("/library/feed.atom", Guard::Open, library::feed)
        .get(
            "/feeds/{token}/library.atom",
            Guard::Open,
            library::personal_feed,
        )
        .get("/library/{id}", Guard::Open, library::show)
        .post(
            "/library/{id}",
            Guard::May(&[DocumentPost]),
            library::update,
        )
        .get(
            "/library/{id}/edit",
            Guard::May(&[DocumentPost]),
            library::edit_form,
        )
        .post(
            "/library/{id}/delete",
            Guard::May(&[DocumentPost]),
            library::delete,
        )
        .post_upload(
            "/library/{id}/files",
            Guard::May(&[DocumentPost]),
            UPLOAD_LIMIT,
            library::upload,
        )
        .get("/files/{id}", Guard::Open, library::download)
        .get("/policy", Guard::Open, policy::list)
        .post("/policy", Guard::May(&[PolicyEdit]), policy::create)
        .get("/policy/new", Guard::May(&[PolicyEdit]), policy::new_form)
        .get("/policy/timeline", Guard::Open, policy::timeline)
        .get("/policy/changes", Guard::Open, policy::changes)
        .get("/policy/feed.atom", Guard::Open, policy::feed)
        .get("/policy/data/{format}", Guard::Open, policy::export)
        .get(
            "/feeds/{token}/policy.atom",
            Guard::Open,
            policy::personal_feed,
        )
        .get("/policy/{id}", Guard::Open, policy::show)
        .post("/policy/{id}", Guard::May(&[PolicyEdit]), policy::update)
        .get(
            "/policy/{id}/edit",
            Guard::May(&[PolicyEdit]),
            policy::edit_form,
        )
        .post(
            "/policy/{id}/delete",
            Guard::May(&[PolicyEdit]),
            policy::delete,
        )
        .post(
            "/policy/{id}/advocacy",
            Guard::May(&[PolicyEdit]),
            policy::add_advocacy,
        )
        .post_upload(
            "/policy/{id}/files",
            Guard::May(&[PolicyEdit]),
            UPLOAD_LIMIT,
            policy::upload,
        )
        .get("/expertise", Guard::Open, expertise::list)
        .post(
            "/expertise",
            Guard::May(&[ExpertisePost]),
            expertise::create,
        )
        .get(
            "/expertise/new",
            Guard::May(&[ExpertisePost]),
            expertise::new_form,
        )
        .get(
            "/expertise/organisations/{org}",
            Guard::Open,
            expertise::org_record,
        )
        .get("/expertise/{id}", Guard::Open, expertise::show)
        .post(
            "/expertise/{id}",
            Guard::May(&[ExpertisePost]),
            expertise::update,
        )
        .get(
            "/expertise/{id}/edit",
            Guard::May(&[ExpertisePost]),
            expertise::edit_form,
        )
        .post(
            "/expertise/{id}/status",
            Guard::May(&[ExpertisePost]),
            expertise::set_status,
        )
        .post(
            "/expertise/{id}/accept",
            Guard::May(&[ExpertisePost]),
            expertise::accept,
        )
        .post(
            "/expertise/{id}/exchange",
            Guard::May(&[ExpertisePost]),
            expertise::record,
        )
        .get("/actions", Guard::May(&[MeetingRead]), meetings::actions)
        .post(
            "/actions/{id}",
            Guard::May(&[ActionUpdate]),
            meetings::update_action,
        )
        .get(
            "/actions/{id}/edit",
            Guard::May(&[MeetingManage]),
            meetings::edit_action_form,
        )
        .post(
            "/actions/{id}/edit",
            Guard::May(&[MeetingManage]),
            meetings::edit_action,
        )
        .get("/proposals", Guard::May(&[ProposalRead]), proposals::list)
        .post_upload(
            "/proposals",
            Guard::May(&[ProposalCreate]),
            TEXT_LIMIT,
            proposals::create,
        )
        .get(
            "/proposals/new",
            Guard::May(&[ProposalCreate]),
            proposals::new_form,
        )
        .get(
            "/proposals/rules",
            Guard::May(&[ProposalManage]),
            proposals::rules,
        )
        .post(
            "/proposals/rules",
            Guard::May(&[ProposalManage]),
            proposals::set_rules,
        )
        .get("/proposals/{id}", Guard::Open, proposals::show)
        .post_upload(
            "/proposals/{id}/files",
            Guard::May(&[ProposalCreate]),
            UPLOAD_LIMIT,
            proposals::upload,
        )
        .post(
            "/proposals/{id}/answer",
            Guard::May(&[Endorse]),
            proposals::answer,
        )
        .post(
            "/proposals/{id}/comments",
            Guard::May(&[ProposalComment]),
            proposals::comment,
        )
        .get("/directory", read, directory::directory)
        .get(
            "/directory/{format}",
            Guard::May(&[DirectoryExport]),
            directory::export,
        )
        .get(
            "/directory/import",
            Guard::May(&[DirectoryImport]),
            directory::import_form,
        )
        .post_upload(
            "/directory/import",
            Guard::May(&[DirectoryImport]),
            UPLOAD_LIMIT,
            directory::import_upload,
        )
        .post("/organisations", Guard::May(&[OrgCreate]), org::create)
        .get(
            "/organisations/new",
            Guard::May(&[OrgCreate]),
            org::new_form,
        )
        .get("/organisations/{id}", read, org::show)
        .post("/organisations/{id}", Guard::May(&[OrgEdit]), org::update)
        .get(
            "/organisations/{id}/edit",
            Guard::May(&[OrgEdit]),
            org::edit_form,
        )
        .post(
            "/organisations/{id}/delete",
            Guard::May(&[OrgDelete]),
            org::delete,
        )
        .get("/organisations/{id}/logo", read, org::logo)
        .post_upload(
            "/organisations/{id}/logo",
            Guard::May(&[OrgEdit]),
            3 * 1024 * 1024,
            org::upload_logo,
        )
        .get("/people", read, misc::people)
        .post("/people", Guard::May(&[PersonCreate]), person::create)
        .get("/people/new", Guard::May(&[PersonCreate]), person::new_form)
        .get(
            "/people/export.csv",
            Guard::May(&[DirectoryExport]),
            |ctx, st| directory::export_people(ctx, st, "export.csv"),
        )
        .get(
            "/people/export.xlsx",
            Guard::May(&[DirectoryExport]),
            |ctx, st| directory::export_people(ctx, st, "export.xlsx"),
        )
        .get("/people/{id}", read, misc::person)
        .post("/people/{id}", Guard::May(&[PersonEdit]), person::update)
        .get(
            "/people/{id}/edit",
            Guard::May(&[PersonEdit]),
            person::edit_form,
        )
        .post(
            "/people/{id}/delete",
            Guard::May(&[PersonDelete]),
            person::delete,
        )
        .post(
            "/people/{id}/affiliations/{org}/delete",
            Guard::May(&[PersonEdit]),
            person::remove_affiliation,
        )
        .get("/sectors", read, misc::sectors)
        .post("/sectors", Guard::May(&[SectorEdit]), misc::create_sector)
        .get("/sectors/new", Guard::May(&[SectorEdit]), misc::new_sector)
        .get("/sectors/{code}", read, misc::sector)
        .get("/sectors/{code}/activity-types", read, activity_types::show)
        .post(
            "/sectors/{code}/activity-types",
            Guard::May(&[SectorEdit]),
            activity_types::add,
        )
        .post(
            "/sectors/{code}/activity-types/{type}/delete",
            Guard::May(&[SectorEdit]),
            activity_types::remove,
        )
        .get("/areas", read, misc::areas)
        .get("/areas/{code}", read, misc::area)
        .get("/api", Guard::Open, misc::api_docs)
        .get("/search", read, misc::search)
        .get("/4w", Guard::May(&[CoverageRead]), fourw::dashboard)
        .get("/4w/report", report, fourw::report)
        .post("/4w/report/copy", report, fourw::copy_forward)
        .post(
            "/4w/report/round",
            Guard::May(&[RoundSubmit, RoundReview]),
            fourw::move_round,
        )
        .get("/4w/rounds", Guard::May(&[RoundReview]), fourw::rounds)
        .post("/4w/cycle", Guard::May(&[CycleManage]), fourw::set_cycle)
        .get("/4w/template.xlsx", report, fourw::template)
        .get("/4w/needs", Guard::May(&[ActivityRead]), fourw::needs)
        .post("/4w/needs", Guard::May(&[NeedEdit]), fourw::save_need)
        .post("/4w/activities", report, fourw::create_activity)
        .post("/4w/activities/{id}", report, fourw::update_activity)
        .get("/4w/activities/{id}/edit", report, fourw::edit_activity)
        .post("/4w/activities/{id}/delete", report, fourw::delete_activity)
        .get("/4w/import", report, fourw::import_form)
        .post_upload("/4w/import", report, UPLOAD_LIMIT, fourw::import_upload)
        .get(
            "/4w/data/{file}",
            Guard::May(&[ActivityRead]),
            fourw::export_activities,
        )
        .get(
            "/4w/charts/{file}",
            Guard::May(&[CoverageRead]),
            fourw::dashboard_file,
        )
        .get("/account", Guard::SignedIn, account::show)
        .get("/account/notifications", Guard::SignedIn, preferences::show)
        .post("/account/notifications", Guard::SignedIn, preferences::save)
        .post(
            "/account/sessions/{id}/revoke",
            Guard::SignedIn,
            account::revoke_session,
        )
        .post("/account/tokens", Guard::SignedIn, account::create_token)
        .post(
            "/account/tokens/{id}/revoke",
            Guard::SignedIn,
            account::revoke_token,
        )
        .post(
            "/account/password",
            Guard::SignedIn,
            account::change_password,
        )
        .post(
            "/account/two-factor/start",
            Guard::SignedIn,
            account::two_factor_start,
        )
        .post(
            "/account/two-factor/confirm",
            Guard::SignedIn,
            account::two_factor_confirm,
        )
        .post(
            "/account/two-factor/disable",
            Guard::SignedIn,
            account::two_factor_disable,
        )
        .post(
            "/account/two-factor/roles",
            Guard::May(&[UserManage]),
            account::two_factor_roles,
        )
        .post("/sign-in/code", Guard::Open, auth::sign_in_code)
        .get("/groups", Guard::May(&[GroupManage]), groups::show)
        .post("/groups", Guard::May(&[GroupManage]), groups::create)
        .post(
            "/groups/{id}/members",
            Guard::May(&[GroupManage]),
            groups::add_member,
        )
        .post(
            "/groups/{id}/members/{user}/remove",
            Guard::May(&[GroupManage]),
            groups::remove_member,
        )
        .get("/audit", Guard::May(&[AuditRead]), audit::show)
        .get("/audit/export.csv", Guard::May(&[AuditRead]), audit::export)
        .get(
            "/invitations",
            Guard::May(&[UserInvite]),
            invite::invite_form,
        )
        .post("/invitations", Guard::May(&[UserInvite]), invite::invite)
        .get("/invitation/{token}", Guard::Open, invite::invitation_form)
        .post(
            "/invitation/{token}",
            Guard::Open,
            invite::accept_invitation,
        )
        .get("/password-reset", Guard::Open, invite::reset_request_form)
        .post("/password-reset", Guard::Open, invite::reset_request)
        .get("/password-reset/{token}", Guard::Open, invite::reset_form)
        .post("/password-reset/{token}", Guard::Open, invite::reset)
        .get("/sign-in", Guard::Open, auth::sign_in_form)
        .post("/sign-in", Guard::Open, auth::sign_in)
        .post("/sign-out", Guard::Open, auth::sign_out)
        .finish()
}

/// The largest form of long text (minutes up to 200,000 characters, which a browser sends
/// percent-encoded: six bytes for an Arabic letter).
pub const TEXT_LIMIT: usize = 4 * 1024 * 1024;

/// The largest file an import page accepts.
pub const UPLOAD_LIMIT: usize = 50 * 1024 * 1024;

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
    pub can_audit: bool,
    pub can_invite: bool,
    pub can_meetings: bool,
    pub can_manage_meetings: bool,
    /// Unread notifications.
    pub unread: i64,
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
            can_audit: ctx.may(Action::AuditRead, None),
            can_invite: ctx.actor().may_some(Action::UserInvite),
            can_meetings: ctx.may(Action::MeetingRead, None),
            can_manage_meetings: ctx.may(Action::MeetingManage, None),
            unread: ctx.unread,
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
            can_audit: false,
            can_invite: false,
            can_meetings: false,
            can_manage_meetings: false,
            unread: 0,
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

/// Every visibility a record can be given, with its name in the reader's language: the
/// fixed levels, then the named groups ("Group: Protection working group").
pub async fn visibility_options(
    st: &AppState,
    t: Tr,
) -> Result<Vec<(String, String)>, minbar_store::StoreError> {
    let mut v: Vec<(String, String)> = minbar_core::Visibility::ALL
        .iter()
        .map(|v| (v.code(), t.get(&format!("visibility-{}", v.code()))))
        .collect();
    for g in st.store.list_groups().await? {
        v.push((
            minbar_core::Visibility::Group(g.id).code(),
            t.arg("visibility-group", "name", &g.name),
        ));
    }
    Ok(v)
}

/// The name of visibility `v` among `options` (its code when it is a group that is gone).
pub fn visibility_label(options: &[(String, String)], v: minbar_core::Visibility) -> String {
    let code = v.code();
    options
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| l.clone())
        .unwrap_or(code)
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
