//! The library: documents with tags, and the files attached to them with every earlier
//! revision kept. Every write is audited ("who changed what" is the document's history)
//! and goes through the outbox into search, extracted PDF text included.

use crate::audit::{AuditEntry, AuditFilter, Key, Table};
use crate::meetings::{org_cols, org_ref, push_visible, OrgRef};
use crate::util::now;
use crate::{Store, StoreError};
use minbar_core::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// A document as shown.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    pub id: DocumentId,
    pub title: I18nText,
    pub summary: I18nText,
    /// Markdown.
    pub body: String,
    /// The author organisation; none for the secretariat.
    pub org: Option<OrgRef>,
    pub tags: Vec<String>,
    pub sector: Option<String>,
    pub area: Option<String>,
    /// ar, en or tr.
    pub lang: String,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    pub visibility: Visibility,
    pub author: String,
    /// The latest revision of each attached file, by name.
    pub files: Vec<Attachment>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One revision of an attached file (without its bytes).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attachment {
    pub id: AttachmentId,
    pub name: String,
    /// 1 for the first upload under this name, then 2, 3 …
    pub revision: i64,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    /// extracted, not_extracted, empty (a PDF with no text), encrypted, malformed
    pub text_state: String,
    /// What changed, as the uploader said.
    pub note: String,
    pub uploaded_by: String,
    pub uploaded_at: i64,
}

/// What a file is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Document(DocumentId),
    /// A policy item's archived sources.
    Policy(PolicyId),
    /// Papers for an agenda item of a meeting.
    AgendaItem(AgendaItemId),
    /// Papers attached to a proposal.
    Proposal(ProposalId),
}

impl Owner {
    fn parts(self) -> (&'static str, i64) {
        match self {
            Owner::Document(d) => ("document", d.0),
            Owner::Policy(p) => ("policy", p.0),
            Owner::AgendaItem(a) => ("agenda_item", a.0),
            Owner::Proposal(p) => ("proposal", p.0),
        }
    }
}

/// A file to attach, already checked: its kind sniffed from its content, its text
/// extracted (or why not).
#[derive(Debug, Clone)]
pub struct NewFile {
    pub name: String,
    pub kind: FileKind,
    pub bytes: Vec<u8>,
    pub text: Option<String>,
    pub text_state: TextState,
    pub note: String,
}

/// Which documents to list.
#[derive(Debug, Clone, Default)]
pub struct DocumentFilter {
    /// The reader's visibility codes ([`crate::meetings::visible_codes`]).
    pub visible: Option<Vec<String>>,
    /// A tag, compared by its key (Arabic-normalised).
    pub tag: Option<String>,
    pub sector: Option<String>,
    /// This area or any area below it.
    pub area: Option<String>,
    pub lang: Option<String>,
    pub org: Option<OrgId>,
    /// `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Only these (search hits), in no particular order.
    pub ids: Option<Vec<i64>>,
    pub limit: i64,
}

fn i18n(r: &AnyRow, prefix: &str) -> Result<I18nText, sqlx::Error> {
    Ok(I18nText {
        ar: r.try_get(format!("{prefix}_ar").as_str())?,
        en: r.try_get(format!("{prefix}_en").as_str())?,
        tr: r.try_get(format!("{prefix}_tr").as_str())?,
    })
}

fn from_row(r: &AnyRow) -> Result<Document, StoreError> {
    let vis: String = r.try_get("visibility")?;
    Ok(Document {
        id: DocumentId(r.try_get("id")?),
        title: i18n(r, "title")?,
        summary: i18n(r, "summary")?,
        body: r.try_get("body")?,
        org: org_ref(r, "o_")?,
        tags: vec![],
        sector: r.try_get("sector_code")?,
        area: r.try_get("area_code")?,
        lang: r.try_get("lang")?,
        date: r.try_get("doc_date")?,
        visibility: Visibility::parse(&vis).unwrap_or(Visibility::Coordinators),
        author: r.try_get("author_email")?,
        files: vec![],
        version: r.try_get("version")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn attachment(r: &AnyRow) -> Result<Attachment, StoreError> {
    Ok(Attachment {
        id: AttachmentId(r.try_get("id")?),
        name: r.try_get("name")?,
        revision: r.try_get("revision")?,
        media_type: r.try_get("media_type")?,
        size: r.try_get("size")?,
        sha256: r.try_get("sha256")?,
        text_state: r.try_get("text_state")?,
        note: r.try_get("note")?,
        uploaded_by: r.try_get("uploaded_by")?,
        uploaded_at: r.try_get("uploaded_at")?,
    })
}

const ATTACHMENT_COLS: &str =
    "id, name, revision, media_type, size, sha256, text_state, note, uploaded_by, uploaded_at";

fn select() -> String {
    format!(
        "SELECT d.*, {} FROM documents d LEFT JOIN organisations o ON o.id = d.org_id",
        org_cols("o", "o_")
    )
}

impl Store {
    /// Sector and area codes must exist; an error names the field.
    async fn check_document_refs(
        tx: &mut Transaction<'static, Any>,
        d: &DocumentDraft,
    ) -> Result<(), StoreError> {
        if let Some(s) = &d.sector {
            let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM sectors WHERE code = $1")
                .bind(s.as_str().to_string())
                .fetch_one(&mut **tx)
                .await?
                .try_get("n")?;
            if n == 0 {
                return Err(StoreError::Invalid(FieldErrors::one(
                    "sector",
                    "sector_unknown",
                )));
            }
        }
        if let Some(a) = &d.area {
            let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM areas WHERE code = $1")
                .bind(a.as_str().to_string())
                .fetch_one(&mut **tx)
                .await?
                .try_get("n")?;
            if n == 0 {
                return Err(StoreError::Invalid(FieldErrors::one(
                    "area",
                    "area_unknown",
                )));
            }
        }
        if let Some(o) = d.org {
            let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM organisations WHERE id = $1")
                .bind(o.0)
                .fetch_one(&mut **tx)
                .await?
                .try_get("n")?;
            if n == 0 {
                return Err(StoreError::Invalid(FieldErrors::one(
                    "org_id",
                    "org_unknown",
                )));
            }
        }
        Ok(())
    }

    async fn write_tags(
        tx: &mut Transaction<'static, Any>,
        id: i64,
        tags: &[Tag],
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM document_tags WHERE document_id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
        for t in tags {
            sqlx::query(
                "INSERT INTO document_tags (document_id, tag, tag_key) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(t.as_str().to_string())
            .bind(t.key())
            .execute(&mut **tx)
            .await?;
        }
        Ok(())
    }

    /// Put a document in the library.
    pub async fn create_document(&self, d: &DocumentDraft) -> Result<DocumentId, StoreError> {
        let mut tx = self.writer().begin().await?;
        Self::check_document_refs(&mut tx, d).await?;
        let t = now();
        let r = sqlx::query(
            "INSERT INTO documents (title_ar, title_en, title_tr, summary_ar, summary_en, summary_tr, body, org_id,
             sector_code, area_code, lang, doc_date, visibility, author_email, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id",
        )
        .bind(d.title.ar.clone())
        .bind(d.title.en.clone())
        .bind(d.title.tr.clone())
        .bind(d.summary.ar.clone())
        .bind(d.summary.en.clone())
        .bind(d.summary.tr.clone())
        .bind(d.body.clone())
        .bind(d.org.map(|o| o.0))
        .bind(d.sector.as_ref().map(|s| s.as_str().to_string()))
        .bind(d.area.as_ref().map(|a| a.as_str().to_string()))
        .bind(d.lang.code())
        .bind(d.date.as_ref().map(|x| x.as_str().to_string()))
        .bind(d.visibility.code())
        .bind(self.who().email)
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = r.try_get("id")?;
        Self::write_tags(&mut tx, id, &d.tags).await?;
        let mut targets = Vec::new();
        if let Some(s) = &d.sector {
            targets.push(("sector", s.as_str().to_string()));
        }
        if let Some(a) = &d.area {
            targets.push(("area", a.as_str().to_string()));
        }
        if let Some(o) = d.org {
            targets.push(("org", o.0.to_string()));
        }
        let title = d.title.get(Lang::Ar).to_string();
        crate::notifications::to_followers(
            &mut tx,
            d.visibility,
            &targets,
            &format!("/library/{id}"),
            &title,
        )
        .await?;
        self.audit_row(&mut tx, "create", Table::Documents, Key::Int(id), None)
            .await?;
        crate::outbox::record(&mut tx, "document", &id.to_string()).await?;
        tx.commit().await?;
        Ok(DocumentId(id))
    }

    /// Replace a document's fields, if nobody changed it since `version` was read.
    pub async fn update_document(
        &self,
        id: DocumentId,
        version: i64,
        d: &DocumentDraft,
    ) -> Result<i64, StoreError> {
        let mut tx = self.writer().begin().await?;
        let before = Self::snapshot(&mut tx, Table::Documents, Key::Int(id.0))
            .await?
            .ok_or(StoreError::NotFound)?;
        Self::check_document_refs(&mut tx, d).await?;
        let done = sqlx::query(
            "UPDATE documents SET title_ar = $1, title_en = $2, title_tr = $3, summary_ar = $4, summary_en = $5,
             summary_tr = $6, body = $7, org_id = $8, sector_code = $9, area_code = $10, lang = $11, doc_date = $12,
             visibility = $13, version = version + 1, updated_at = $14 WHERE id = $15 AND version = $16",
        )
        .bind(d.title.ar.clone())
        .bind(d.title.en.clone())
        .bind(d.title.tr.clone())
        .bind(d.summary.ar.clone())
        .bind(d.summary.en.clone())
        .bind(d.summary.tr.clone())
        .bind(d.body.clone())
        .bind(d.org.map(|o| o.0))
        .bind(d.sector.as_ref().map(|s| s.as_str().to_string()))
        .bind(d.area.as_ref().map(|a| a.as_str().to_string()))
        .bind(d.lang.code())
        .bind(d.date.as_ref().map(|x| x.as_str().to_string()))
        .bind(d.visibility.code())
        .bind(now())
        .bind(id.0)
        .bind(version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            let current = before["version"].as_i64().unwrap_or(0);
            return Err(StoreError::Conflict { current });
        }
        Self::write_tags(&mut tx, id.0, &d.tags).await?;
        self.audit_row(
            &mut tx,
            "update",
            Table::Documents,
            Key::Int(id.0),
            Some(before),
        )
        .await?;
        crate::outbox::record(&mut tx, "document", &id.to_string()).await?;
        tx.commit().await?;
        Ok(version + 1)
    }

    /// Remove a document and its files, if nobody changed it since `version` was read.
    pub async fn delete_document(&self, id: DocumentId, version: i64) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        let before = Self::snapshot(&mut tx, Table::Documents, Key::Int(id.0))
            .await?
            .ok_or(StoreError::NotFound)?;
        let current = before["version"].as_i64().unwrap_or(0);
        if current != version {
            return Err(StoreError::Conflict { current });
        }
        sqlx::query("DELETE FROM attachments WHERE owner_kind = 'document' AND owner_id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM document_tags WHERE document_id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM documents WHERE id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        self.audit(
            &mut tx,
            "delete",
            "document",
            &id.to_string(),
            Some(before),
            None,
        )
        .await?;
        crate::outbox::record(&mut tx, "document", &id.to_string()).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn get_document(&self, id: DocumentId) -> Result<Document, StoreError> {
        let r = sqlx::query(&format!("{} WHERE d.id = $1", select()))
            .bind(id.0)
            .fetch_optional(self.reader())
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut d = from_row(&r)?;
        d.tags = self.document_tags(id.0).await?;
        d.files = self.latest_attachments(Owner::Document(id)).await?;
        Ok(d)
    }

    async fn document_tags(&self, id: i64) -> Result<Vec<String>, StoreError> {
        Ok(
            sqlx::query("SELECT tag FROM document_tags WHERE document_id = $1 ORDER BY tag")
                .bind(id)
                .fetch_all(self.reader())
                .await?
                .iter()
                .map(|r| r.try_get("tag"))
                .collect::<Result<_, _>>()?,
        )
    }

    /// Documents matching `f`, the newest first (by their own date, then by when they
    /// were added). Tags are filled in; files are not.
    pub async fn list_documents(&self, f: &DocumentFilter) -> Result<Vec<Document>, StoreError> {
        let mut q = crate::sql::Sql::new(&format!("{} WHERE 1 = 1", select()));
        if let Some(t) = f.tag.as_deref().map(tag_key) {
            q.push(" AND d.id IN (SELECT document_id FROM document_tags WHERE tag_key = ")
                .bind(t)
                .push(")");
        }
        if let Some(s) = &f.sector {
            q.push(" AND d.sector_code = ").bind(s.clone());
        }
        if let Some(a) = &f.area {
            // the area itself, its children and grandchildren (three levels below adm0)
            q.push(" AND (d.area_code = ")
                .bind(a.clone())
                .push(" OR d.area_code IN (SELECT code FROM areas WHERE parent_code = ")
                .bind(a.clone())
                .push(" OR parent_code IN (SELECT code FROM areas WHERE parent_code = ")
                .bind(a.clone())
                .push(")))");
        }
        if let Some(l) = &f.lang {
            q.push(" AND d.lang = ").bind(l.clone());
        }
        if let Some(o) = f.org {
            q.push(" AND d.org_id = ").bind(o.0);
        }
        if let Some(from) = &f.from {
            q.push(" AND d.doc_date >= ").bind(from.clone());
        }
        if let Some(to) = &f.to {
            q.push(" AND d.doc_date <= ").bind(to.clone());
        }
        if let Some(ids) = &f.ids {
            if ids.is_empty() {
                return Ok(vec![]);
            }
            q.push(" AND d.id IN (");
            for (i, id) in ids.iter().enumerate() {
                if i > 0 {
                    q.push(", ");
                }
                q.bind(*id);
            }
            q.push(")");
        }
        push_visible(&mut q, "d.visibility", &f.visible);
        let limit = if f.limit <= 0 { 200 } else { f.limit.min(5000) };
        q.push(" ORDER BY COALESCE(d.doc_date, '') DESC, d.created_at DESC, d.id DESC LIMIT ")
            .bind(limit);
        let mut out: Vec<Document> = q
            .query()
            .fetch_all(self.reader())
            .await?
            .iter()
            .map(from_row)
            .collect::<Result<_, _>>()?;
        for d in &mut out {
            d.tags = self.document_tags(d.id.0).await?;
        }
        Ok(out)
    }

    /// Every tag in use with how many documents carry it, the most used first.
    pub async fn document_tag_counts(
        &self,
        visible: &Option<Vec<String>>,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        let mut q = crate::sql::Sql::new(
            "SELECT MIN(t.tag) AS tag, COUNT(*) AS n FROM document_tags t JOIN documents d ON d.id = t.document_id WHERE 1 = 1",
        );
        push_visible(&mut q, "d.visibility", visible);
        q.push(" GROUP BY t.tag_key ORDER BY n DESC, tag LIMIT 100");
        q.query()
            .fetch_all(self.reader())
            .await?
            .iter()
            .map(|r| Ok((r.try_get("tag")?, r.try_get("n")?)))
            .collect()
    }

    /// Attach a file. A file under a name already attached becomes its next revision;
    /// the earlier ones stay. The owner's version moves on, so a form opened before the
    /// upload learns of it.
    pub async fn add_attachment(
        &self,
        owner: Owner,
        f: &NewFile,
    ) -> Result<AttachmentId, StoreError> {
        let (kind, owner_id) = owner.parts();
        let mut tx = self.writer().begin().await?;
        // documents and policy items move their version on (a form opened before the
        // upload learns of it); agenda items and proposals must only exist
        let (table, versioned) = match owner {
            Owner::Document(_) => ("documents", true),
            Owner::Policy(_) => ("policy_items", true),
            Owner::AgendaItem(_) => ("agenda_items", false),
            Owner::Proposal(_) => ("proposals", false),
        };
        let found = if versioned {
            sqlx::query(&format!(
                "UPDATE {table} SET version = version + 1, updated_at = $1 WHERE id = $2"
            ))
            .bind(now())
            .bind(owner_id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                > 0
        } else {
            sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table} WHERE id = $1"))
                .bind(owner_id)
                .fetch_one(&mut *tx)
                .await?
                .try_get::<i64, _>("n")?
                > 0
        };
        if !found {
            return Err(StoreError::NotFound);
        }
        let revision: i64 = sqlx::query(
            "SELECT COALESCE(MAX(revision), 0) + 1 AS r FROM attachments WHERE owner_kind = $1 AND owner_id = $2 AND name = $3",
        )
        .bind(kind)
        .bind(owner_id)
        .bind(f.name.clone())
        .fetch_one(&mut *tx)
        .await?
        .try_get("r")?;
        let sha = hex::encode(Sha256::digest(&f.bytes));
        let r = sqlx::query(
            "INSERT INTO attachments (owner_kind, owner_id, name, revision, media_type, size, sha256, content, text_state, text, note, uploaded_by, uploaded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(kind)
        .bind(owner_id)
        .bind(f.name.clone())
        .bind(revision)
        .bind(f.kind.mime())
        .bind(f.bytes.len() as i64)
        .bind(sha.clone())
        .bind(f.bytes.clone())
        .bind(f.text_state.code())
        .bind(f.text.clone())
        .bind(f.note.clone())
        .bind(self.who().email)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = r.try_get("id")?;
        let after = serde_json::json!({
            "file": f.name,
            "revision": revision,
            "media_type": f.kind.mime(),
            "size": f.bytes.len(),
            "sha256": sha,
            "text_state": f.text_state.code(),
            "note": f.note,
        });
        self.audit(
            &mut tx,
            "upload",
            kind,
            &owner_id.to_string(),
            None,
            Some(after),
        )
        .await?;
        // the text goes into search with what it is attached to (an agenda item: its meeting)
        match owner {
            Owner::AgendaItem(a) => {
                let m: i64 = sqlx::query("SELECT meeting_id FROM agenda_items WHERE id = $1")
                    .bind(a.0)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("meeting_id")?;
                crate::outbox::record(&mut tx, "meeting", &m.to_string()).await?;
            }
            _ => crate::outbox::record(&mut tx, kind, &owner_id.to_string()).await?,
        }
        tx.commit().await?;
        Ok(AttachmentId(id))
    }

    /// Every revision of every file attached to `owner`: by name, the newest first.
    pub async fn attachments(&self, owner: Owner) -> Result<Vec<Attachment>, StoreError> {
        let (kind, id) = owner.parts();
        sqlx::query(&format!(
            "SELECT {ATTACHMENT_COLS} FROM attachments WHERE owner_kind = $1 AND owner_id = $2 ORDER BY name, revision DESC"
        ))
        .bind(kind)
        .bind(id)
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(attachment)
        .collect()
    }

    /// The latest revision of each file attached to `owner`, by name.
    pub async fn latest_attachments(&self, owner: Owner) -> Result<Vec<Attachment>, StoreError> {
        let mut latest: Vec<Attachment> = Vec::new();
        for a in self.attachments(owner).await? {
            if !latest.iter().any(|l| l.name == a.name) {
                latest.push(a);
            }
        }
        Ok(latest)
    }

    /// One file's description, its bytes and what it is attached to.
    pub async fn get_attachment(
        &self,
        id: AttachmentId,
    ) -> Result<(Attachment, Owner, Vec<u8>), StoreError> {
        let r = sqlx::query(&format!(
            "SELECT {ATTACHMENT_COLS}, owner_kind, owner_id, content FROM attachments WHERE id = $1"
        ))
        .bind(id.0)
        .fetch_optional(self.reader())
        .await?
        .ok_or(StoreError::NotFound)?;
        let kind: String = r.try_get("owner_kind")?;
        let owner = match kind.as_str() {
            "document" => Owner::Document(DocumentId(r.try_get("owner_id")?)),
            "policy" => Owner::Policy(PolicyId(r.try_get("owner_id")?)),
            "agenda_item" => Owner::AgendaItem(AgendaItemId(r.try_get("owner_id")?)),
            "proposal" => Owner::Proposal(ProposalId(r.try_get("owner_id")?)),
            _ => return Err(StoreError::NotFound),
        };
        Ok((attachment(&r)?, owner, r.try_get("content")?))
    }

    /// The extracted text of the latest revision of each file attached to `owner`, for
    /// search.
    pub async fn attachment_texts(&self, owner: Owner) -> Result<Vec<String>, StoreError> {
        let (kind, id) = owner.parts();
        let rows = sqlx::query(
            "SELECT name, text FROM attachments WHERE owner_kind = $1 AND owner_id = $2 AND text IS NOT NULL ORDER BY name, revision DESC",
        )
        .bind(kind)
        .bind(id)
        .fetch_all(self.reader())
        .await?;
        let mut seen: Vec<String> = Vec::new();
        let mut out = Vec::new();
        for r in rows {
            let name: String = r.try_get("name")?;
            if seen.contains(&name) {
                continue;
            }
            seen.push(name);
            out.push(r.try_get("text")?);
        }
        Ok(out)
    }

    /// Who may see what a file is attached to (and so the file).
    pub async fn owner_visibility(&self, owner: Owner) -> Result<Visibility, StoreError> {
        let (sql, id) = match owner {
            Owner::Document(d) => ("SELECT visibility FROM documents WHERE id = $1", d.0),
            Owner::Policy(p) => ("SELECT visibility FROM policy_items WHERE id = $1", p.0),
            Owner::Proposal(p) => ("SELECT visibility FROM proposals WHERE id = $1", p.0),
            Owner::AgendaItem(a) => (
                "SELECT m.visibility FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id WHERE a.id = $1",
                a.0,
            ),
        };
        let r = sqlx::query(sql)
            .bind(id)
            .fetch_optional(self.reader())
            .await?
            .ok_or(StoreError::NotFound)?;
        let v: String = r.try_get("visibility")?;
        Ok(Visibility::parse(&v).unwrap_or(Visibility::Coordinators))
    }

    /// The meeting an agenda item belongs to.
    pub async fn agenda_item_meeting(&self, item: AgendaItemId) -> Result<MeetingId, StoreError> {
        let r = sqlx::query("SELECT meeting_id FROM agenda_items WHERE id = $1")
            .bind(item.0)
            .fetch_optional(self.reader())
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(MeetingId(r.try_get("meeting_id")?))
    }

    /// Who changed what in a document: its audit entries, the newest first.
    pub async fn document_history(&self, id: DocumentId) -> Result<Vec<AuditEntry>, StoreError> {
        Ok(self
            .audit_entries(&AuditFilter {
                entity: Some("document".into()),
                entity_id: Some(id.to_string()),
                per_page: 200,
                ..Default::default()
            })
            .await?
            .items)
    }
}
