//! Creating, editing and deleting people, and their affiliations.

use super::form::{FormPage, SelectField, TextField};
use super::{name_in, render, Chrome};
use crate::ctx::Ctx;
use crate::error::PageError;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minbar_core::*;
use minbar_store::directory::OrgFilter;
use minbar_store::StoreError;

fn person_id(ctx: &Ctx, raw: &str) -> Result<PersonId, PageError> {
    raw.parse::<i64>()
        .map(PersonId)
        .map_err(|_| PageError::not_found(ctx.lang))
}

/// May the reader do `action` to this person? Scope "own" holds when the person is
/// affiliated with the reader's organisation.
pub(super) fn require_for(ctx: &Ctx, action: Action, p: &Person) -> Result<(), PageError> {
    if p.affiliations
        .iter()
        .any(|a| ctx.may(action, Some(a.org_id)))
        || ctx.may(action, None)
    {
        Ok(())
    } else {
        Err(ctx.refusal())
    }
}

fn parse_form(body: &[u8]) -> (PersonInput, String, i64) {
    let mut i = PersonInput::default();
    let (mut csrf, mut version) = (String::new(), 0);
    for (k, v) in form_urlencoded::parse(body) {
        let v = v.into_owned();
        match k.as_ref() {
            "csrf" => csrf = v,
            "version" => version = v.trim().parse().unwrap_or(0),
            "name_ar" => i.name_ar = v,
            "name_en" => i.name_en = v,
            "email" => i.email = v,
            "email_visibility" => i.email_visibility = v,
            "phone" => i.phone = v,
            "phone_visibility" => i.phone_visibility = v,
            "committees" => i.committees = v,
            "org_id" => i.org_id = v.trim().parse().ok(),
            "title_ar" => i.title_ar = v,
            "title_en" => i.title_en = v,
            "title_tr" => i.title_tr = v,
            "from" => i.from = v,
            "to" => i.to = v,
            _ => {}
        }
    }
    (i, csrf, version)
}

fn input_of(p: &Person, org: Option<OrgId>) -> PersonInput {
    let a = org.and_then(|o| p.affiliations.iter().find(|a| a.org_id == o));
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    PersonInput {
        name_ar: s(&p.name.ar),
        name_en: s(&p.name.en),
        email: s(&p.email),
        email_visibility: p.email_visibility.code(),
        phone: s(&p.phone),
        phone_visibility: p.phone_visibility.code(),
        committees: p.committees.join("\n"),
        org_id: a.map(|a| a.org_id.0),
        title_ar: a.and_then(|a| a.title.ar.clone()).unwrap_or_default(),
        title_en: a.and_then(|a| a.title.en.clone()).unwrap_or_default(),
        title_tr: a.and_then(|a| a.title.tr.clone()).unwrap_or_default(),
        from: a.and_then(|a| a.from.clone()).unwrap_or_default(),
        to: a.and_then(|a| a.to.clone()).unwrap_or_default(),
    }
}

struct Target {
    title: String,
    action: String,
    cancel: String,
    version: i64,
}

async fn form(
    ctx: &Ctx,
    st: &AppState,
    target: Target,
    input: &PersonInput,
    errors: &FieldErrors,
) -> Result<FormPage, PageError> {
    let t = ctx.t();
    let err = |f: &str| errors.get(f).map(|c| t.err(c)).unwrap_or_default();
    let text = |name: &'static str,
                value: &str,
                kind: &'static str,
                dir: &'static str,
                multiline: bool| TextField {
        name,
        label: t.get(&format!("field-{name}")),
        value: value.to_string(),
        kind,
        dir,
        hint: if matches!(name, "from" | "to") {
            t.get("hint-date")
        } else {
            String::new()
        },
        error: err(name),
        multiline,
    };
    let fields = vec![
        text("name_ar", &input.name_ar, "text", "rtl", false),
        text("name_en", &input.name_en, "text", "ltr", false),
        text("email", &input.email, "email", "ltr", false),
        text("phone", &input.phone, "tel", "ltr", false),
        text("committees", &input.committees, "text", "auto", true),
        text("title_ar", &input.title_ar, "text", "rtl", false),
        text("title_en", &input.title_en, "text", "ltr", false),
        text("title_tr", &input.title_tr, "text", "ltr", false),
        text("from", &input.from, "text", "ltr", false),
        text("to", &input.to, "text", "ltr", false),
    ];
    let options = super::visibility_options(st, t)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    let vis = |name: &'static str, current: &str, default: Visibility| SelectField {
        name,
        label: t.get(&format!("field-{name}")),
        multiple: false,
        groups: vec![(
            String::new(),
            options
                .iter()
                .map(|(code, label)| {
                    let selected = if current.is_empty() {
                        *code == default.code()
                    } else {
                        current == code
                    };
                    (code.clone(), label.clone(), selected)
                })
                .collect(),
        )],
        error: err(name),
    };
    // the organisations the reader may attach people to
    let orgs = st
        .store
        .list_orgs(&OrgFilter {
            per_page: OrgFilter::MAX_PER_PAGE,
            sort: Some(ctx.lang),
            ..Default::default()
        })
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    let org_options = orgs
        .items
        .iter()
        .filter(|o| ctx.may(Action::PersonEdit, Some(o.id)))
        .map(|o| {
            let label = format!("{} ({})", name_in(&o.name, ctx.lang).0, o.acronym);
            (o.id.0.to_string(), label, input.org_id == Some(o.id.0))
        })
        .collect();
    let selects = vec![
        vis(
            "email_visibility",
            &input.email_visibility,
            Visibility::Members,
        ),
        vis(
            "phone_visibility",
            &input.phone_visibility,
            Visibility::Coordinators,
        ),
        SelectField {
            name: "org_id",
            label: t.get("field-org_id"),
            multiple: false,
            groups: vec![(String::new(), org_options)],
            error: err("org_id"),
        },
    ];
    Ok(FormPage {
        c: Chrome::new(ctx, &target.title),
        action: target.action,
        cancel: target.cancel,
        version: target.version,
        has_errors: !errors.is_empty(),
        intro: t.get("person-names-hint"),
        fields,
        selects,
    })
}

pub async fn new_form(ctx: Ctx, State(st): State<AppState>) -> Result<Response, PageError> {
    let org = form_urlencoded::parse(ctx.query.as_bytes())
        .find(|(k, _)| k == "org")
        .and_then(|(_, v)| v.parse::<i64>().ok());
    if !ctx.may(Action::PersonCreate, org.map(OrgId)) && !ctx.may(Action::PersonCreate, None) {
        return Err(ctx.refusal());
    }
    let input = PersonInput {
        org_id: org,
        ..Default::default()
    };
    let t = ctx.t();
    let target = Target {
        title: t.get("person-new-title"),
        action: "/people".into(),
        cancel: org
            .map(|o| format!("/organisations/{o}"))
            .unwrap_or_else(|| "/people".into()),
        version: 0,
    };
    let page = form(&ctx, &st, target, &input, &FieldErrors::default()).await?;
    Ok(render(&ctx, StatusCode::OK, &page))
}

pub async fn create(
    ctx: Ctx,
    State(st): State<AppState>,
    body: Bytes,
) -> Result<Response, PageError> {
    let (input, csrf, _) = parse_form(&body);
    let org = input.org_id.map(OrgId);
    if !ctx.may(Action::PersonCreate, org) {
        return Err(ctx.refusal());
    }
    let t = ctx.t();
    let again = |errors: FieldErrors| {
        let (ctx, st, input) = (&ctx, &st, &input);
        async move {
            let target = Target {
                title: t.get("person-new-title"),
                action: "/people".into(),
                cancel: "/people".into(),
                version: 0,
            };
            let page = form(ctx, st, target, input, &errors).await?;
            Ok::<Response, PageError>(render(ctx, StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    };
    if !ctx.csrf_ok(&csrf) {
        let mut e = FieldErrors::default();
        e.push("name_ar", "csrf");
        return again(e).await;
    }
    let draft = match PersonDraft::parse(&input) {
        Ok(d) => d,
        Err(e) => return again(e).await,
    };
    match ctx.store(&st).create_person(&draft).await {
        Ok(id) => Ok(Redirect::to(&format!("/people/{id}")).into_response()),
        Err(StoreError::Invalid(e)) => again(e).await,
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}

pub async fn edit_form(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = person_id(&ctx, &id)?;
    let p = st
        .store
        .get_person(id)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    require_for(&ctx, Action::PersonEdit, &p)?;
    // edit the affiliation with the reader's organisation, else the first one
    let org = ctx
        .actor()
        .org
        .filter(|o| p.affiliations.iter().any(|a| a.org_id == *o))
        .or_else(|| p.affiliations.first().map(|a| a.org_id));
    let target = Target {
        title: ctx
            .t()
            .arg("person-edit-title", "name", &name_in(&p.name, ctx.lang).0),
        action: format!("/people/{id}"),
        cancel: format!("/people/{id}"),
        version: p.version,
    };
    let page = form(
        &ctx,
        &st,
        target,
        &input_of(&p, org),
        &FieldErrors::default(),
    )
    .await?;
    Ok(render(&ctx, StatusCode::OK, &page))
}

pub async fn update(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let id = person_id(&ctx, &id)?;
    let p = st
        .store
        .get_person(id)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    require_for(&ctx, Action::PersonEdit, &p)?;
    let (input, csrf, version) = parse_form(&body);
    // a focal point may attach the person only to their own organisation
    if let Some(o) = input.org_id {
        if !ctx.may(Action::PersonEdit, Some(OrgId(o))) {
            return Err(PageError::forbidden(ctx.lang));
        }
    }
    let t = ctx.t();
    let again = |errors: FieldErrors, status: StatusCode| {
        let (ctx, st, input, p) = (&ctx, &st, &input, &p);
        async move {
            let target = Target {
                title: t.arg("person-edit-title", "name", &name_in(&p.name, ctx.lang).0),
                action: format!("/people/{id}"),
                cancel: format!("/people/{id}"),
                version,
            };
            let page = form(ctx, st, target, input, &errors).await?;
            Ok::<Response, PageError>(render(ctx, status, &page))
        }
    };
    if !ctx.csrf_ok(&csrf) {
        let mut e = FieldErrors::default();
        e.push("name_ar", "csrf");
        return again(e, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let draft = match PersonDraft::parse(&input) {
        Ok(d) => d,
        Err(e) => return again(e, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    match ctx.store(&st).update_person(id, version, &draft).await {
        Ok(_) => Ok(Redirect::to(&format!("/people/{id}")).into_response()),
        Err(StoreError::Invalid(e)) => again(e, StatusCode::UNPROCESSABLE_ENTITY).await,
        Err(StoreError::Conflict { current }) => {
            // never overwrite: show both versions side by side
            let saved = st
                .store
                .get_person(id)
                .await
                .map_err(|e| PageError::store(ctx.lang, e))?;
            let saved = input_of(&saved, input.org_id.map(OrgId));
            let pairs = [
                ("name_ar", &input.name_ar, &saved.name_ar),
                ("name_en", &input.name_en, &saved.name_en),
                ("email", &input.email, &saved.email),
                (
                    "email_visibility",
                    &input.email_visibility,
                    &saved.email_visibility,
                ),
                ("phone", &input.phone, &saved.phone),
                (
                    "phone_visibility",
                    &input.phone_visibility,
                    &saved.phone_visibility,
                ),
                ("committees", &input.committees, &saved.committees),
                ("title_ar", &input.title_ar, &saved.title_ar),
                ("title_en", &input.title_en, &saved.title_en),
                ("title_tr", &input.title_tr, &saved.title_tr),
                ("from", &input.from, &saved.from),
                ("to", &input.to, &saved.to),
            ];
            let view = super::org::ConflictPage {
                c: Chrome::new(&ctx, &t.get("conflict-title-record")),
                explain: t.arg("conflict-explain-record", "current", &current.to_string()),
                rows: pairs
                    .iter()
                    .map(|(f, a, b)| {
                        (
                            t.get(&format!("field-{f}")),
                            a.to_string(),
                            b.to_string(),
                            a.trim() != b.trim(),
                        )
                    })
                    .collect(),
                edit_link: format!("/people/{id}/edit"),
            };
            Ok(render(&ctx, StatusCode::CONFLICT, &view))
        }
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}

pub async fn delete(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let id = person_id(&ctx, &id)?;
    let p = st
        .store
        .get_person(id)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    require_for(&ctx, Action::PersonDelete, &p)?;
    let (_, csrf, version) = parse_form(&body);
    if !ctx.csrf_ok(&csrf) {
        return Err(PageError::bad_request(ctx.lang));
    }
    match ctx.store(&st).delete_person(id, version).await {
        Ok(()) => Ok(Redirect::to("/people").into_response()),
        Err(StoreError::Conflict { .. }) => {
            Ok(Redirect::to(&format!("/people/{id}")).into_response())
        }
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}

pub async fn remove_affiliation(
    ctx: Ctx,
    State(st): State<AppState>,
    Path((id, org)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, PageError> {
    let id = person_id(&ctx, &id)?;
    let org = org
        .parse::<i64>()
        .map(OrgId)
        .map_err(|_| PageError::not_found(ctx.lang))?;
    ctx.require(Action::PersonEdit, Some(org))?;
    let (_, csrf, _) = parse_form(&body);
    if !ctx.csrf_ok(&csrf) {
        return Err(PageError::bad_request(ctx.lang));
    }
    ctx.store(&st)
        .remove_affiliation(id, org)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    Ok(Redirect::to(&format!("/people/{id}")).into_response())
}
