//! An organisation's page, its create and edit forms, the conflict page, logo upload.

use super::directory::{status_label, Labels};
use super::form::{FormPage, Groups, Options, SelectField, TextField};
use super::{name_in, other_names, render, Chrome};
use crate::ctx::Ctx;
use crate::error::PageError;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use minbar_core::*;
use minbar_store::StoreError;

#[derive(Template)]
#[template(path = "org.html")]
struct OrgPage {
    c: Chrome,
    id: i64,
    version: i64,
    name_lang: &'static str,
    acronym: String,
    kind: String,
    status: String,
    status_code: &'static str,
    founded: String,
    other_names: Vec<(String, String, String)>,
    description: String,
    description_lang: &'static str,
    facts: Vec<(String, String)>,
    contacts: Vec<(String, String, String)>,
    history: Vec<(String, String)>,
    people: Vec<(i64, String, String)>,
    has_logo: bool,
    can_edit: bool,
    can_delete: bool,
    can_add_person: bool,
    logo_error: String,
}

fn parse_id(ctx: &Ctx, raw: &str) -> Result<OrgId, PageError> {
    raw.parse::<i64>()
        .map(OrgId)
        .map_err(|_| PageError::not_found(ctx.lang))
}

async fn org_page(
    ctx: &Ctx,
    st: &AppState,
    id: OrgId,
    logo_error: String,
) -> Result<Response, PageError> {
    ctx.require(Action::DirectoryRead, None)?;
    let lang = ctx.lang;
    let t = ctx.t();
    let o = st
        .store
        .get_org(id)
        .await
        .map_err(|e| PageError::store(lang, e))?;
    let labels = Labels::load(st, lang).await?;
    let (name, name_lang) = name_in(&o.name, lang);
    let (description, description_lang) = name_in(&o.description, lang);
    let sep = if lang == Lang::Ar { "، " } else { ", " };
    let mut facts = Vec::new();
    if !o.sectors.is_empty() {
        facts.push((
            t.get("field-sectors"),
            o.sectors
                .iter()
                .map(|s| labels.sector(s))
                .collect::<Vec<_>>()
                .join(sep),
        ));
    }
    if !o.areas.is_empty() {
        facts.push((
            t.get("field-areas"),
            o.areas
                .iter()
                .map(|s| labels.area(s))
                .collect::<Vec<_>>()
                .join(sep),
        ));
    }
    if let Some(h) = &o.hq_area {
        facts.push((t.get("field-hq_area"), labels.area(h)));
    }
    if let Some(c) = &o.registration_country {
        let mut r = labels.area(c);
        for v in [&o.registration_number, &o.registration_date]
            .into_iter()
            .flatten()
        {
            r.push_str(" · ");
            r.push_str(v);
        }
        facts.push((t.get("org-registration"), r));
    }
    let mut contacts = Vec::new();
    if let Some(w) = &o.website {
        contacts.push((t.get("field-website"), w.clone(), w.clone()));
    }
    if let Some(e) = &o.email {
        contacts.push((t.get("field-email"), e.clone(), format!("mailto:{e}")));
    }
    if let Some(p) = &o.phone {
        contacts.push((t.get("field-phone"), p.clone(), String::new()));
    }
    let history = st
        .store
        .membership_history(id)
        .await
        .map_err(|e| PageError::store(lang, e))?
        .into_iter()
        .filter(|h| h.status != MembershipStatus::NotApplicable)
        .map(|h| {
            (
                status_label(t, h.status),
                t.arg("org-history-since", "date", &h.since),
            )
        })
        .collect();
    let people = st
        .store
        .people_of_org(id)
        .await
        .map_err(|e| PageError::store(lang, e))?
        .into_iter()
        .map(|(p, title)| (p.id.0, name_in(&p.name, lang).0, name_in(&title, lang).0))
        .collect();
    let view = OrgPage {
        c: Chrome::new(ctx, &name),
        id: o.id.0,
        version: o.version,
        name_lang,
        other_names: other_names(&o.name, name_lang),
        acronym: o.acronym.clone(),
        kind: t.get(&format!("kind-{}", o.kind.code())),
        status: status_label(t, o.membership_status),
        status_code: o.membership_status.code(),
        founded: o
            .founding_year
            .map(|y| t.arg("org-founded", "year", &y.to_string()))
            .unwrap_or_default(),
        description,
        description_lang,
        facts,
        contacts,
        history,
        people,
        has_logo: o.has_logo,
        can_edit: ctx.may(Action::OrgEdit, Some(id)),
        can_delete: ctx.may(Action::OrgDelete, Some(id)),
        can_add_person: ctx.may(Action::PersonCreate, Some(id)),
        logo_error,
    };
    let status = if view.logo_error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(ctx, status, &view))
}

pub async fn show(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&ctx, &id)?;
    org_page(&ctx, &st, id, String::new()).await
}

/// Where a form is for: its title, where it posts, where "cancel" goes, the version read.
struct Target {
    title: String,
    action: String,
    cancel: String,
    version: i64,
}

impl Target {
    fn new_org(t: crate::i18n::Tr) -> Target {
        Target {
            title: t.get("org-new-title"),
            action: "/organisations".into(),
            cancel: "/directory".into(),
            version: 0,
        }
    }
    fn edit_org(title: String, id: OrgId, version: i64) -> Target {
        Target {
            title,
            action: format!("/organisations/{id}"),
            cancel: format!("/organisations/{id}"),
            version,
        }
    }
}

async fn form_page(
    ctx: &Ctx,
    st: &AppState,
    target: Target,
    input: &OrgInput,
    errors: &FieldErrors,
) -> Result<FormPage, PageError> {
    let t = ctx.t();
    let labels = Labels::load(st, ctx.lang).await?;
    let err = |f: &str| errors.get(f).map(|c| t.err(c)).unwrap_or_default();
    let text = |name: &'static str,
                value: &str,
                kind: &'static str,
                dir: &'static str,
                hint: &str,
                multiline: bool| TextField {
        name,
        label: t.get(&format!("field-{name}")),
        value: value.to_string(),
        kind,
        dir,
        hint: if hint.is_empty() {
            String::new()
        } else {
            t.get(hint)
        },
        error: err(name),
        multiline,
    };
    let fields = vec![
        text("acronym", &input.acronym, "text", "ltr", "", false),
        text("name_ar", &input.name_ar, "text", "rtl", "", false),
        text("name_en", &input.name_en, "text", "ltr", "", false),
        text("name_tr", &input.name_tr, "text", "ltr", "", false),
        text(
            "founding_year",
            &input.founding_year,
            "text",
            "ltr",
            "",
            false,
        ),
        text(
            "registration_number",
            &input.registration_number,
            "text",
            "ltr",
            "",
            false,
        ),
        text(
            "registration_date",
            &input.registration_date,
            "text",
            "ltr",
            "hint-date",
            false,
        ),
        text("website", &input.website, "url", "ltr", "", false),
        text("email", &input.email, "email", "ltr", "", false),
        text("phone", &input.phone, "tel", "ltr", "", false),
        text(
            "description_ar",
            &input.description_ar,
            "text",
            "rtl",
            "",
            true,
        ),
        text(
            "description_en",
            &input.description_en,
            "text",
            "ltr",
            "",
            true,
        ),
        text(
            "description_tr",
            &input.description_tr,
            "text",
            "ltr",
            "",
            true,
        ),
    ];
    let flat = |opts: Options| vec![(String::new(), opts)];
    let by_country = |selected: &dyn Fn(&str) -> bool| -> Groups {
        labels
            .areas
            .iter()
            .filter(|a| a.2.is_none())
            .map(|country| {
                let opts = labels
                    .areas
                    .iter()
                    .filter(|a| a.2.as_deref() == Some(country.0.as_str()))
                    .map(|a| (a.0.clone(), a.1.clone(), selected(&a.0)))
                    .collect();
                (country.1.clone(), opts)
            })
            .collect()
    };
    let areas_selected = |c: &str| input.areas.iter().any(|a| a.eq_ignore_ascii_case(c));
    let hq_selected = |c: &str| input.hq_area.eq_ignore_ascii_case(c);
    let selects = vec![
        SelectField {
            name: "kind",
            label: t.get("field-kind"),
            multiple: false,
            groups: flat(
                OrgKind::ALL
                    .iter()
                    .map(|k| {
                        (
                            k.code().into(),
                            t.get(&format!("kind-{}", k.code())),
                            input.kind == k.code(),
                        )
                    })
                    .collect(),
            ),
            error: err("kind"),
        },
        SelectField {
            name: "membership_status",
            label: t.get("field-membership_status"),
            multiple: false,
            groups: flat(
                MembershipStatus::ALL
                    .iter()
                    .map(|k| {
                        (
                            k.code().into(),
                            t.get(&format!("status-{}", k.code())),
                            input.membership_status == k.code(),
                        )
                    })
                    .collect(),
            ),
            error: err("membership_status"),
        },
        SelectField {
            name: "sectors",
            label: t.get("field-sectors"),
            multiple: true,
            groups: flat(
                labels
                    .sectors
                    .iter()
                    .map(|(c, n)| (c.clone(), n.clone(), input.sectors.contains(c)))
                    .collect(),
            ),
            error: err("sectors"),
        },
        SelectField {
            name: "areas",
            label: t.get("field-areas"),
            multiple: true,
            groups: by_country(&areas_selected),
            error: err("areas"),
        },
        SelectField {
            name: "hq_area",
            label: t.get("field-hq_area"),
            multiple: false,
            groups: by_country(&hq_selected),
            error: err("hq_area"),
        },
        SelectField {
            name: "registration_country",
            label: t.get("field-registration_country"),
            multiple: false,
            groups: flat(
                labels
                    .areas
                    .iter()
                    .filter(|a| a.2.is_none())
                    .map(|a| {
                        (
                            a.0.clone(),
                            a.1.clone(),
                            input.registration_country.eq_ignore_ascii_case(&a.0),
                        )
                    })
                    .collect(),
            ),
            error: err("registration_country"),
        },
    ];
    Ok(FormPage {
        c: Chrome::new(ctx, &target.title),
        action: target.action,
        cancel: target.cancel,
        version: target.version,
        has_errors: !errors.is_empty(),
        intro: t.get("hint-names"),
        fields,
        selects,
    })
}

/// The fields of a submitted form: the organisation, the CSRF token, the version read.
fn parse_form(body: &[u8]) -> (OrgInput, String, i64) {
    let mut i = OrgInput::default();
    let mut csrf = String::new();
    let mut version = 0;
    for (k, v) in form_urlencoded::parse(body) {
        let v = v.into_owned();
        match k.as_ref() {
            "csrf" => csrf = v,
            "version" => version = v.trim().parse().unwrap_or(0),
            "acronym" => i.acronym = v,
            "name_ar" => i.name_ar = v,
            "name_en" => i.name_en = v,
            "name_tr" => i.name_tr = v,
            "kind" => i.kind = v,
            "membership_status" => i.membership_status = v,
            "founding_year" => i.founding_year = v,
            "registration_country" => i.registration_country = v,
            "registration_number" => i.registration_number = v,
            "registration_date" => i.registration_date = v,
            "hq_area" => i.hq_area = v,
            "website" => i.website = v,
            "email" => i.email = v,
            "phone" => i.phone = v,
            "description_ar" => i.description_ar = v,
            "description_en" => i.description_en = v,
            "description_tr" => i.description_tr = v,
            "sectors" => i.sectors.push(v),
            "areas" => i.areas.push(v),
            _ => {}
        }
    }
    (i, csrf, version)
}

pub async fn new_form(ctx: Ctx, State(st): State<AppState>) -> Result<Response, PageError> {
    ctx.require(Action::OrgCreate, None)?;
    let input = OrgInput {
        kind: OrgKind::Member.code().into(),
        membership_status: MembershipStatus::Member.code().into(),
        ..Default::default()
    };
    let t = ctx.t();
    let page = form_page(
        &ctx,
        &st,
        Target::new_org(t),
        &input,
        &FieldErrors::default(),
    )
    .await?;
    Ok(render(&ctx, StatusCode::OK, &page))
}

pub async fn create(
    ctx: Ctx,
    State(st): State<AppState>,
    body: Bytes,
) -> Result<Response, PageError> {
    ctx.require(Action::OrgCreate, None)?;
    let (input, csrf, _) = parse_form(&body);
    let t = ctx.t();
    let again = |errors: FieldErrors| {
        let (ctx, st, input) = (&ctx, &st, &input);
        async move {
            let page = form_page(ctx, st, Target::new_org(t), input, &errors).await?;
            Ok::<Response, PageError>(render(ctx, StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    };
    if !ctx.csrf_ok(&csrf) {
        let mut e = FieldErrors::default();
        e.push("acronym", "csrf");
        return again(e).await;
    }
    let draft = match OrgDraft::parse(&input) {
        Ok(d) => d,
        Err(e) => return again(e).await,
    };
    match ctx.store(&st).create_org(&draft).await {
        Ok(id) => {
            st.cache.clear();
            Ok(Redirect::to(&format!("/organisations/{id}")).into_response())
        }
        Err(StoreError::Invalid(e)) => again(e).await,
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}

pub async fn edit_form(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&ctx, &id)?;
    ctx.require(Action::OrgEdit, Some(id))?;
    let o = st
        .store
        .get_org(id)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    let title = ctx
        .t()
        .arg("org-edit-title", "name", &name_in(&o.name, ctx.lang).0);
    let page = form_page(
        &ctx,
        &st,
        Target::edit_org(title, id, o.version),
        &OrgInput::from_org(&o),
        &FieldErrors::default(),
    )
    .await?;
    Ok(render(&ctx, StatusCode::OK, &page))
}

/// Both versions of a record, side by side: what the reader sent and what is saved now.
#[derive(Template)]
#[template(path = "conflict.html")]
pub(super) struct ConflictPage {
    pub c: Chrome,
    pub explain: String,
    /// (field label, theirs, saved, differs)
    pub rows: Vec<(String, String, String, bool)>,
    pub edit_link: String,
}

fn field_rows(
    t: crate::i18n::Tr,
    mine: &OrgInput,
    saved: &OrgInput,
) -> Vec<(String, String, String, bool)> {
    let pairs: Vec<(&str, String, String)> = vec![
        ("acronym", mine.acronym.clone(), saved.acronym.clone()),
        ("name_ar", mine.name_ar.clone(), saved.name_ar.clone()),
        ("name_en", mine.name_en.clone(), saved.name_en.clone()),
        ("name_tr", mine.name_tr.clone(), saved.name_tr.clone()),
        ("kind", mine.kind.clone(), saved.kind.clone()),
        (
            "membership_status",
            mine.membership_status.clone(),
            saved.membership_status.clone(),
        ),
        (
            "founding_year",
            mine.founding_year.clone(),
            saved.founding_year.clone(),
        ),
        (
            "registration_number",
            mine.registration_number.clone(),
            saved.registration_number.clone(),
        ),
        (
            "registration_date",
            mine.registration_date.clone(),
            saved.registration_date.clone(),
        ),
        ("hq_area", mine.hq_area.clone(), saved.hq_area.clone()),
        ("website", mine.website.clone(), saved.website.clone()),
        ("email", mine.email.clone(), saved.email.clone()),
        ("phone", mine.phone.clone(), saved.phone.clone()),
        ("sectors", mine.sectors.join(", "), saved.sectors.join(", ")),
        ("areas", mine.areas.join(", "), saved.areas.join(", ")),
        (
            "description_ar",
            mine.description_ar.clone(),
            saved.description_ar.clone(),
        ),
        (
            "description_en",
            mine.description_en.clone(),
            saved.description_en.clone(),
        ),
        (
            "description_tr",
            mine.description_tr.clone(),
            saved.description_tr.clone(),
        ),
    ];
    pairs
        .into_iter()
        .map(|(f, a, b)| {
            let differs = a.trim() != b.trim();
            (t.get(&format!("field-{f}")), a, b, differs)
        })
        .collect()
}

pub async fn update(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let id = parse_id(&ctx, &id)?;
    ctx.require(Action::OrgEdit, Some(id))?;
    let (input, csrf, version) = parse_form(&body);
    let t = ctx.t();
    let again = |errors: FieldErrors| {
        let (ctx, st, input) = (&ctx, &st, &input);
        async move {
            let title = t.arg("org-edit-title", "name", &input.acronym);
            let page = form_page(
                ctx,
                st,
                Target::edit_org(title, id, version),
                input,
                &errors,
            )
            .await?;
            Ok::<Response, PageError>(render(ctx, StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    };
    if !ctx.csrf_ok(&csrf) {
        let mut e = FieldErrors::default();
        e.push("acronym", "csrf");
        return again(e).await;
    }
    let draft = match OrgDraft::parse(&input) {
        Ok(d) => d,
        Err(e) => return again(e).await,
    };
    match ctx.store(&st).update_org(id, version, &draft).await {
        Ok(_) => {
            st.cache.clear();
            Ok(Redirect::to(&format!("/organisations/{id}")).into_response())
        }
        Err(StoreError::Invalid(e)) => again(e).await,
        Err(StoreError::Conflict { current }) => {
            let saved = st
                .store
                .get_org(id)
                .await
                .map_err(|e| PageError::store(ctx.lang, e))?;
            let view = ConflictPage {
                c: Chrome::new(&ctx, &t.get("conflict-title")),
                explain: t.arg("conflict-explain", "current", &current.to_string()),
                rows: field_rows(t, &input, &OrgInput::from_org(&saved)),
                edit_link: format!("/organisations/{id}/edit"),
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
    let id = parse_id(&ctx, &id)?;
    ctx.require(Action::OrgDelete, Some(id))?;
    let (_, csrf, version) = parse_form(&body);
    if !ctx.csrf_ok(&csrf) {
        return Err(PageError::bad_request(ctx.lang));
    }
    match ctx.store(&st).delete_org(id, version).await {
        Ok(()) => {
            st.cache.clear();
            Ok(Redirect::to("/directory").into_response())
        }
        Err(StoreError::Conflict { .. }) => {
            Ok(Redirect::to(&format!("/organisations/{id}")).into_response())
        }
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}

pub async fn logo(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&ctx, &id)?;
    let (bytes, mime) = st
        .store
        .get_logo(id)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    // only PNG, JPEG and WebP are ever stored (checked by content on upload); the name
    // is ours, never the uploader's
    let ext = mime.rsplit('/').next().unwrap_or("img").to_string();
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "public, max-age=300".into()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"logo-{}.{ext}\"", id.0),
            ),
        ],
        bytes,
    )
        .into_response())
}

pub async fn upload_logo(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    req: axum::extract::Request,
) -> Result<Response, PageError> {
    let id = parse_id(&ctx, &id)?;
    // who may, before reading a byte of the upload
    ctx.require(Action::OrgEdit, Some(id))?;
    let t = ctx.t();
    let Ok(mut form) = Multipart::from_request(req, &st).await else {
        return Err(PageError::bad_request(ctx.lang));
    };
    let mut csrf = String::new();
    let mut file: Option<Vec<u8>> = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_string();
                let data = match field.bytes().await {
                    Ok(d) => d,
                    Err(_) => return org_page(&ctx, &st, id, t.err("logo_too_large")).await,
                };
                match name.as_str() {
                    "csrf" => csrf = String::from_utf8_lossy(&data).into_owned(),
                    "logo" => file = Some(data.to_vec()),
                    _ => {}
                }
            }
            Ok(None) => break,
            Err(_) => return org_page(&ctx, &st, id, t.err("logo_too_large")).await,
        }
    }
    if !ctx.csrf_ok(&csrf) {
        return org_page(&ctx, &st, id, t.err("csrf")).await;
    }
    let bytes = file.unwrap_or_default();
    match ImageKind::sniff(&bytes) {
        Ok(kind) => {
            ctx.store(&st)
                .set_logo(id, bytes, kind)
                .await
                .map_err(|e| PageError::store(ctx.lang, e))?;
            Ok(Redirect::to(&format!("/organisations/{id}")).into_response())
        }
        Err(e) => org_page(&ctx, &st, id, t.err(e.code())).await,
    }
}
