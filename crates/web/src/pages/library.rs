//! The library: documents filtered by words (the Arabic-aware search), tag, sector, area,
//! language and date; one document with its files, their earlier versions and who changed
//! what; the forms; file upload and download; the Atom feeds.

use super::form::{fields, value};
use super::fourw::area_choices;
use super::meetings::{org_label, Opt};
use super::{render, visibility_label, visibility_options, Chrome};
use crate::ctx::Ctx;
use crate::error::PageError;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use minbar_core::*;
use minbar_store::documents::{Attachment, Document, DocumentFilter, Owner};
use minbar_store::meetings::visible_codes;
use minbar_store::StoreError;
use std::collections::HashMap;

/// May `actor` put a document in the library (or edit one) on behalf of `org` (none: the
/// secretariat)?
pub fn may_post(actor: &Actor, org: Option<OrgId>) -> bool {
    actor.may(Action::DocumentManage, None)
        || (org.is_some() && actor.may(Action::DocumentPost, org))
}

/// A document as the list shows it.
pub struct Row {
    pub id: i64,
    pub title: String,
    pub title_lang: String,
    pub summary: String,
    pub by: String,
    pub date: String,
    pub lang: String,
    /// Each tag with the link that lists its documents.
    pub tags: Vec<(String, String)>,
    pub sector: String,
}

/// The list of documents with this tag.
fn tag_link(tag: &str) -> String {
    format!(
        "/library?tag={}",
        form_urlencoded::byte_serialize(tag.as_bytes()).collect::<String>()
    )
}

fn row(ctx: &Ctx, d: &Document, sectors: &[Sector]) -> Row {
    let (title, title_lang) = d
        .title
        .get_with_lang(ctx.lang)
        .map(|(t, l)| (t.to_string(), l.code().to_string()))
        .unwrap_or_default();
    Row {
        id: d.id.0,
        title,
        title_lang,
        summary: d.summary.get(ctx.lang).to_string(),
        by: d
            .org
            .as_ref()
            .map(|o| o.label(ctx.lang))
            .unwrap_or_else(|| ctx.t().get("bulletin-secretariat")),
        date: d
            .date
            .clone()
            .unwrap_or_else(|| minbar_store::util::date_of(d.created_at)),
        lang: d.lang.clone(),
        tags: d.tags.iter().map(|t| (t.clone(), tag_link(t))).collect(),
        sector: d
            .sector
            .as_deref()
            .map(|s| sector_name(sectors, s, ctx.lang))
            .unwrap_or_default(),
    }
}

fn sector_name(sectors: &[Sector], code: &str, lang: Lang) -> String {
    sectors
        .iter()
        .find(|s| s.code == code)
        .map(|s| s.name.get(lang).to_string())
        .unwrap_or_else(|| code.to_string())
}

#[derive(Template)]
#[template(path = "library.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<Row>,
    can_post: bool,
    q: ListQuery,
    tags: Vec<(String, i64, String)>,
    sectors: Vec<(String, String)>,
    areas: Vec<(String, String, String)>,
    filtered: bool,
}

#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub tag: String,
    pub sector: String,
    pub area: String,
    pub lang: String,
    pub from: String,
    pub to: String,
}

fn some(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// The documents a reader may see that match the filters (and the words, through search).
pub async fn find(
    st: &AppState,
    actor: &Actor,
    q: &ListQuery,
    lang: Lang,
    limit: i64,
) -> Result<Vec<Document>, crate::search_sync::SyncError> {
    let ids = match some(&q.q) {
        Some(words) => Some(
            crate::search_sync::search_ids(st, actor, &words, "document", lang)
                .await?
                .iter()
                .filter_map(|i| i.parse().ok())
                .collect::<Vec<i64>>(),
        ),
        None => None,
    };
    let date = |s: &str| {
        Date::parse_optional(s)
            .ok()
            .flatten()
            .map(|d| d.as_str().to_string())
    };
    let mut docs = st
        .store
        .list_documents(&DocumentFilter {
            visible: visible_codes(actor),
            tag: some(&q.tag),
            sector: some(&q.sector),
            area: some(&q.area),
            lang: some(&q.lang),
            from: date(&q.from),
            to: date(&q.to),
            ids: ids.clone(),
            limit,
            ..Default::default()
        })
        .await?;
    // with words, the best match first
    if let Some(ids) = ids {
        docs.sort_by_key(|d| ids.iter().position(|i| *i == d.id.0).unwrap_or(usize::MAX));
    }
    Ok(docs)
}

pub async fn list(
    ctx: Ctx,
    State(st): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let actor = ctx.actor();
    let docs = find(&st, &actor, &q, ctx.lang, 200)
        .await
        .map_err(|e| PageError::internal(ctx.lang, e))?;
    let sectors = st
        .store
        .list_sectors()
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    let tags = st
        .store
        .document_tag_counts(&visible_codes(&actor))
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?
        .into_iter()
        .map(|(t, n)| {
            let link = tag_link(&t);
            (t, n, link)
        })
        .collect();
    let p = ListPage {
        c: Chrome::new(&ctx, &ctx.t().get("library-title")),
        rows: docs.iter().map(|d| row(&ctx, d, &sectors)).collect(),
        can_post: actor.may_some(Action::DocumentPost),
        filtered: [&q.q, &q.tag, &q.sector, &q.area, &q.lang, &q.from, &q.to]
            .iter()
            .any(|s| !s.trim().is_empty()),
        q,
        tags,
        sectors: sectors
            .iter()
            .map(|s| (s.code.clone(), s.name.get(ctx.lang).to_string()))
            .collect(),
        areas: area_choices(&st, ctx.lang).await?,
    };
    Ok(render(&ctx, StatusCode::OK, &p))
}

async fn visible(ctx: &Ctx, st: &AppState, id: i64) -> Result<Document, PageError> {
    let d = st
        .store
        .get_document(DocumentId(id))
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    if !ctx.actor().may_see(d.visibility) {
        return Err(ctx.not_shown());
    }
    Ok(d)
}

/// A file as the page lists it, with its earlier revisions.
pub struct FileRow {
    pub id: i64,
    pub name: String,
    pub revision: i64,
    pub size: String,
    pub kind: String,
    pub by: String,
    pub at: String,
    pub note: String,
    /// A notice when the text could not be read (encrypted, malformed, a scan).
    pub notice: String,
    pub earlier: Vec<FileRow>,
}

pub fn human_size(n: i64) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    } else if n >= 1024 {
        format!("{} KB", n / 1024)
    } else {
        format!("{n} B")
    }
}

fn file_row(ctx: &Ctx, a: &Attachment, show_who: bool) -> FileRow {
    let t = ctx.t();
    FileRow {
        id: a.id.0,
        name: a.name.clone(),
        revision: a.revision,
        size: human_size(a.size),
        kind: FileKind::from_mime(&a.media_type)
            .map(|k| k.extension().to_uppercase())
            .unwrap_or_default(),
        by: if show_who {
            a.uploaded_by.clone()
        } else {
            String::new()
        },
        at: minbar_store::util::date_of(a.uploaded_at),
        note: a.note.clone(),
        notice: match a.text_state.as_str() {
            "encrypted" | "malformed" | "empty" => t.get(&format!("file-text-{}", a.text_state)),
            _ => String::new(),
        },
        earlier: vec![],
    }
}

/// The files attached to `owner` as pages list them: the latest revision of each, with
/// the earlier ones beneath it (uploaders named to signed-in readers only).
pub async fn file_rows(ctx: &Ctx, st: &AppState, owner: Owner) -> Result<Vec<FileRow>, PageError> {
    let signed_in = ctx.session.is_some();
    let mut files: Vec<FileRow> = Vec::new();
    for a in st
        .store
        .attachments(owner)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?
    {
        let r = file_row(ctx, &a, signed_in);
        match files.last_mut() {
            Some(last) if last.name == a.name => last.earlier.push(r),
            _ => files.push(r),
        }
    }
    Ok(files)
}

/// One line of a document's history: when, who, what.
pub struct HistoryRow {
    pub at: String,
    pub who: String,
    pub what: String,
}

/// `created`: the message key for the record's creation ("added the document").
pub fn history_row(ctx: &Ctx, e: &minbar_store::audit::AuditEntry, created: &str) -> HistoryRow {
    let t = ctx.t();
    let parse = |s: &Option<String>| -> serde_json::Map<String, serde_json::Value> {
        s.as_deref()
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or_default()
    };
    let (before, after) = (parse(&e.before), parse(&e.after));
    let what = match e.action.as_str() {
        "upload" => t.arg(
            "doc-history-upload",
            "file",
            &format!(
                "{} ({})",
                after.get("file").and_then(|v| v.as_str()).unwrap_or(""),
                after.get("revision").and_then(|v| v.as_i64()).unwrap_or(1)
            ),
        ),
        "update" => {
            let mut changed: Vec<String> = after
                .iter()
                .filter(|(k, v)| {
                    !matches!(k.as_str(), "version" | "updated_at") && before.get(*k) != Some(*v)
                })
                .map(|(k, _)| t.get(&format!("doc-field-{}", field_group(k))))
                .collect();
            changed.dedup();
            t.arg("doc-history-update", "fields", &changed.join("، "))
        }
        "create" => t.get(created),
        "advocacy" => t.arg(
            "policy-history-advocacy",
            "with",
            after
                .get("raised_with")
                .and_then(|v| v.as_str())
                .unwrap_or(""),
        ),
        other => other.to_string(),
    };
    HistoryRow {
        at: minbar_store::audit::iso_time(e.at)
            .replace('T', " ")
            .replace('Z', ""),
        // the demo and the command line write as no account
        who: if e.user_email.is_empty() {
            t.get("history-system")
        } else {
            e.user_email.clone()
        },
        what,
    }
}

/// The label group of a stored column (`title_ar` → `title`).
fn field_group(col: &str) -> &str {
    match col {
        "issued_on" | "effective_on" | "expires_on" => "date",
        "authority_id" | "instrument" | "reference" | "status" | "impact" | "topics"
        | "affected_groups" | "sources" | "analysis" | "proposal_id" | "policy_areas"
        | "policy_documents" => col,
        c if c.starts_with("title_") => "title",
        c if c.starts_with("summary_") => "summary",
        "sector_code" => "sector",
        "area_code" => "area",
        "doc_date" => "date",
        "org_id" => "org",
        "body" | "tags" | "lang" | "visibility" => col,
        _ => "other",
    }
}

#[derive(Template)]
#[template(path = "document.html")]
struct ShowPage {
    c: Chrome,
    d: Row,
    body_html: String,
    area: String,
    visibility: String,
    files: Vec<FileRow>,
    history: Vec<HistoryRow>,
    can_edit: bool,
    version: i64,
    upload_error: String,
}

async fn show_page(
    ctx: &Ctx,
    st: &AppState,
    d: Document,
    upload_error: String,
) -> Result<Response, PageError> {
    let options = visibility_options(st, ctx.t())
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    let sectors = st
        .store
        .list_sectors()
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    let signed_in = ctx.session.is_some();
    let files = file_rows(ctx, st, Owner::Document(d.id)).await?;
    let history = if signed_in {
        st.store
            .document_history(d.id)
            .await
            .map_err(|e| PageError::store(ctx.lang, e))?
            .iter()
            .map(|e| history_row(ctx, e, "doc-history-create"))
            .collect()
    } else {
        vec![]
    };
    let area = match &d.area {
        Some(a) => st
            .store
            .get_area(a)
            .await
            .map(|x| x.name.get(ctx.lang).to_string())
            .unwrap_or_else(|_| a.clone()),
        None => String::new(),
    };
    let r = row(ctx, &d, &sectors);
    let status = if upload_error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let p = ShowPage {
        c: Chrome::new(ctx, &r.title),
        visibility: visibility_label(&options, d.visibility),
        can_edit: may_post(&ctx.actor(), d.org.as_ref().map(|o| o.id)),
        version: d.version,
        body_html: crate::markdown::to_html(&d.body),
        area,
        files,
        history,
        d: r,
        upload_error,
    };
    Ok(render(ctx, status, &p))
}

pub async fn show(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let d = visible(&ctx, &st, id).await?;
    show_page(&ctx, &st, d, String::new()).await
}

#[derive(Template)]
#[template(path = "document_form.html")]
struct FormPage {
    c: Chrome,
    action: String,
    version: i64,
    i: DocumentInput,
    tags: String,
    errors: FieldErrors,
    orgs: Vec<Opt>,
    secretariat: bool,
    sectors: Vec<(String, String)>,
    areas: Vec<(String, String, String)>,
    visibilities: Vec<(String, String)>,
    cancel: String,
}

impl FormPage {
    fn err(&self, field: &str) -> String {
        self.errors
            .get(field)
            .map(|c| self.c.t.err(c))
            .unwrap_or_default()
    }
    fn org(&self) -> i64 {
        self.i.org_id.unwrap_or(0)
    }
}

async fn form(
    ctx: &Ctx,
    st: &AppState,
    action: String,
    version: i64,
    i: DocumentInput,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let t = ctx.t();
    let actor = ctx.actor();
    let orgs = st
        .store
        .org_refs()
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?
        .into_iter()
        .filter(|(o, _, s)| s != "former" && may_post(&actor, Some(o.id)))
        .map(|(o, _, _)| (o.id.0, org_label(&o, ctx.lang)))
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let title = if version == 0 {
        t.get("doc-new")
    } else {
        t.get("doc-edit")
    };
    let sectors = st
        .store
        .list_sectors()
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?
        .iter()
        .map(|s| (s.code.clone(), s.name.get(ctx.lang).to_string()))
        .collect();
    let cancel = if version == 0 {
        "/library".to_string()
    } else {
        action.clone()
    };
    let p = FormPage {
        c: Chrome::new(ctx, &title),
        action,
        version,
        tags: i.tags.join("، "),
        orgs,
        secretariat: actor.may(Action::DocumentManage, None),
        sectors,
        areas: area_choices(st, ctx.lang).await?,
        visibilities: visibility_options(st, t)
            .await
            .map_err(|e| PageError::store(ctx.lang, e))?,
        i,
        errors,
        cancel,
    };
    Ok(render(ctx, status, &p))
}

pub async fn new_form(ctx: Ctx, State(st): State<AppState>) -> Result<Response, PageError> {
    let actor = ctx.actor();
    let i = DocumentInput {
        lang: ctx.lang.code().into(),
        visibility: "members".into(),
        org_id: if actor.may(Action::DocumentManage, None) {
            None
        } else {
            actor.org.map(|o| o.0)
        },
        ..Default::default()
    };
    form(&ctx, &st, "/library".into(), 0, i, FieldErrors::default()).await
}

fn input(f: &HashMap<String, String>) -> DocumentInput {
    DocumentInput {
        title_ar: value(f, "title_ar").into(),
        title_en: value(f, "title_en").into(),
        title_tr: value(f, "title_tr").into(),
        summary_ar: value(f, "summary_ar").into(),
        summary_en: value(f, "summary_en").into(),
        summary_tr: value(f, "summary_tr").into(),
        body: value(f, "body").into(),
        org_id: value(f, "org_id").parse().ok().filter(|o: &i64| *o > 0),
        tags: Tag::split(value(f, "tags")),
        sector: value(f, "sector").into(),
        area: value(f, "area").into(),
        lang: value(f, "lang").into(),
        date: value(f, "date").into(),
        visibility: value(f, "visibility").into(),
    }
}

fn allowed(ctx: &Ctx, d: DocumentDraft) -> Result<DocumentDraft, FieldErrors> {
    if !may_post(&ctx.actor(), d.org) {
        return Err(FieldErrors::one("org_id", "proposer_not_yours"));
    }
    Ok(d)
}

pub async fn create(
    ctx: Ctx,
    State(st): State<AppState>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let i = input(&f);
    let d = match DocumentDraft::parse(&i).and_then(|d| allowed(&ctx, d)) {
        Ok(d) => d,
        Err(e) => return form(&ctx, &st, "/library".into(), 0, i, e).await,
    };
    match ctx.store(&st).create_document(&d).await {
        Ok(id) => Ok(Redirect::to(&format!("/library/{id}")).into_response()),
        Err(StoreError::Invalid(e)) => form(&ctx, &st, "/library".into(), 0, i, e).await,
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}

pub fn input_of(d: &Document) -> DocumentInput {
    DocumentInput {
        title_ar: d.title.ar.clone().unwrap_or_default(),
        title_en: d.title.en.clone().unwrap_or_default(),
        title_tr: d.title.tr.clone().unwrap_or_default(),
        summary_ar: d.summary.ar.clone().unwrap_or_default(),
        summary_en: d.summary.en.clone().unwrap_or_default(),
        summary_tr: d.summary.tr.clone().unwrap_or_default(),
        body: d.body.clone(),
        org_id: d.org.as_ref().map(|o| o.id.0),
        tags: d.tags.clone(),
        sector: d.sector.clone().unwrap_or_default(),
        area: d.area.clone().unwrap_or_default(),
        lang: d.lang.clone(),
        date: d.date.clone().unwrap_or_default(),
        visibility: d.visibility.code(),
    }
}

pub async fn edit_form(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let d = visible(&ctx, &st, id).await?;
    if !may_post(&ctx.actor(), d.org.as_ref().map(|o| o.id)) {
        return Err(ctx.refusal());
    }
    let i = input_of(&d);
    form(
        &ctx,
        &st,
        format!("/library/{id}"),
        d.version,
        i,
        FieldErrors::default(),
    )
    .await
}

pub async fn update(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let d = visible(&ctx, &st, id).await?;
    if !may_post(&ctx.actor(), d.org.as_ref().map(|o| o.id)) {
        return Err(ctx.refusal());
    }
    let version: i64 = value(&f, "version").parse().unwrap_or(0);
    let i = input(&f);
    let action = format!("/library/{id}");
    let draft = match DocumentDraft::parse(&i).and_then(|d| allowed(&ctx, d)) {
        Ok(d) => d,
        Err(e) => return form(&ctx, &st, action, version, i, e).await,
    };
    match ctx.store(&st).update_document(d.id, version, &draft).await {
        Ok(_) => Ok(Redirect::to(&action).into_response()),
        Err(StoreError::Conflict { current }) => {
            // the form keeps what was typed; saving again is a deliberate overwrite
            let e = FieldErrors::one("title_ar", "conflict");
            form(&ctx, &st, action, current, i, e).await
        }
        Err(StoreError::Invalid(e)) => form(&ctx, &st, action, version, i, e).await,
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}

pub async fn delete(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let d = visible(&ctx, &st, id).await?;
    if !may_post(&ctx.actor(), d.org.as_ref().map(|o| o.id)) {
        return Err(ctx.refusal());
    }
    let version: i64 = value(&f, "version").parse().unwrap_or(0);
    ctx.store(&st)
        .delete_document(d.id, version)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    Ok(Redirect::to("/library").into_response())
}

/// Check a file and read its text off the async threads (a large PDF takes a while).
pub async fn prepare_file(
    name: String,
    bytes: Vec<u8>,
    note: String,
) -> Result<minbar_store::documents::NewFile, DomainError> {
    tokio::task::spawn_blocking(move || minbar_exchange::files::prepare(&name, bytes, &note))
        .await
        .unwrap_or(Err(DomainError::FileTypeRefused))
}

/// Read a file upload form (`csrf`, `note`, `file`) and check the file: the file ready to
/// store, or the message to show beside the form. A form without the session's CSRF
/// token is refused before the file is looked at.
pub async fn read_upload(
    ctx: &Ctx,
    st: &AppState,
    req: axum::extract::Request,
) -> Result<Result<minbar_store::documents::NewFile, String>, PageError> {
    let t = ctx.t();
    let Ok(mut form) = Multipart::from_request(req, st).await else {
        return Err(PageError::bad_request(ctx.lang));
    };
    let (mut csrf, mut note, mut name) = (String::new(), String::new(), String::new());
    let mut file: Option<Vec<u8>> = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let field_name = field.name().unwrap_or_default().to_string();
                if field_name == "file" {
                    name = field.file_name().unwrap_or_default().to_string();
                }
                let Ok(data) = field.bytes().await else {
                    return Ok(Err(t.err("file_too_large")));
                };
                match field_name.as_str() {
                    "csrf" => csrf = String::from_utf8_lossy(&data).into_owned(),
                    "note" => note = String::from_utf8_lossy(&data).into_owned(),
                    "file" => file = Some(data.to_vec()),
                    _ => {}
                }
            }
            Ok(None) => break,
            Err(_) => return Ok(Err(t.err("file_too_large"))),
        }
    }
    if !ctx.csrf_ok(&csrf) {
        return Ok(Err(t.err("csrf")));
    }
    Ok(prepare_file(name, file.unwrap_or_default(), note)
        .await
        .map_err(|e| t.err(e.code())))
}

pub async fn upload(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    req: axum::extract::Request,
) -> Result<Response, PageError> {
    let d = visible(&ctx, &st, id).await?;
    // who may, before reading a byte of the upload
    if !may_post(&ctx.actor(), d.org.as_ref().map(|o| o.id)) {
        return Err(ctx.refusal());
    }
    let f = match read_upload(&ctx, &st, req).await? {
        Ok(f) => f,
        Err(message) => return show_page(&ctx, &st, d, message).await,
    };
    ctx.store(&st)
        .add_attachment(Owner::Document(d.id), &f)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    Ok(Redirect::to(&format!("/library/{id}#files")).into_response())
}

/// `Content-Disposition` with the real name (RFC 6266 / 5987) and an ASCII fallback.
pub fn disposition(inline: bool, name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b".-_".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!(
        "{}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}",
        if inline { "inline" } else { "attachment" }
    )
}

/// A file, if the reader may see what it is attached to.
pub async fn download(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (a, owner, bytes) = st
        .store
        .get_attachment(AttachmentId(id))
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    let shown = st
        .store
        .owner_visibility(owner)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    if !ctx.actor().may_see(shown) {
        return Err(ctx.not_shown());
    }
    let inline = FileKind::from_mime(&a.media_type).is_some_and(FileKind::inline);
    Ok((
        [
            (header::CONTENT_TYPE, a.media_type.clone()),
            (header::CACHE_CONTROL, "private, max-age=3600".into()),
            (header::CONTENT_DISPOSITION, disposition(inline, &a.name)),
            (header::ETAG, format!("\"{}\"", a.sha256)),
        ],
        bytes,
    )
        .into_response())
}

// ------------------------------------------------------------------ Atom

async fn atom(
    ctx: &Ctx,
    st: &AppState,
    actor: &Actor,
    self_url: String,
) -> Result<Response, PageError> {
    let base = st.base_url.trim_end_matches('/');
    let items = st
        .store
        .list_documents(&DocumentFilter {
            visible: visible_codes(actor),
            limit: 100,
            ..Default::default()
        })
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    let t = ctx.t();
    let entries: Vec<crate::atom::Entry> = items
        .iter()
        .map(|d| {
            let summary = d.summary.get(ctx.lang);
            crate::atom::Entry {
                id: format!("{base}/library/{}", d.id),
                title: d.title.get(ctx.lang).to_string(),
                author: d
                    .org
                    .as_ref()
                    .map(|o| o.label(ctx.lang))
                    .unwrap_or_else(|| t.get("bulletin-secretariat")),
                published: d.created_at,
                updated: d.updated_at,
                content: crate::markdown::to_html(if summary.is_empty() {
                    &d.body
                } else {
                    summary
                }),
                category: d.sector.clone().unwrap_or_else(|| "document".into()),
            }
        })
        .collect();
    let body = crate::atom::feed(
        &self_url,
        &format!("{base}/library"),
        &format!("{} — {}", t.get("site-name"), t.get("library-title")),
        ctx.lang.code(),
        &entries,
        minbar_store::util::now(),
    );
    Ok(crate::atom::response(body))
}

/// The public feed: documents anyone may see.
pub async fn feed(ctx: Ctx, State(st): State<AppState>) -> Result<Response, PageError> {
    let url = format!("{}/library/feed.atom", st.base_url.trim_end_matches('/'));
    atom(&ctx, &st, &Actor::VISITOR, url).await
}

/// A personal feed behind the feed secret (the calendar's). A wrong secret is a 404.
pub async fn personal_feed(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let owner = crate::atom::owner(&ctx, &st, &token).await?;
    let url = format!(
        "{}/feeds/{token}/library.atom",
        st.base_url.trim_end_matches('/')
    );
    atom(&ctx, &st, &owner, url).await
}
