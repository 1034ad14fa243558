//! The policy tracker: policy items with where they apply, who they affect and what
//! about; the library's documents that analyse them, the proposal for a joint position,
//! and the advocacy steps. Every write is audited and goes through the outbox into
//! search.

use crate::audit::{Key, Table};
use crate::meetings::{org_cols, org_ref, push_visible, OrgRef};
use crate::util::now;
use crate::{Store, StoreError};
use minbar_core::*;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// A record another names: its id and title.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Linked {
    pub id: i64,
    pub title: I18nText,
    pub visibility: Visibility,
}

/// One advocacy step.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Advocacy {
    pub id: AdvocacyId,
    pub raised_with: String,
    pub raised_on: String,
    pub ask: Option<String>,
    pub answer: Option<String>,
    pub answered_on: Option<String>,
    pub author: String,
}

/// A policy item as shown.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyItem {
    pub id: PolicyId,
    pub title: I18nText,
    pub summary: I18nText,
    pub authority: Option<OrgRef>,
    pub instrument: Instrument,
    pub reference: Option<String>,
    pub issued: Option<String>,
    pub effective: Option<String>,
    pub expires: Option<String>,
    pub status: PolicyStatus,
    pub impact: Impact,
    pub areas: Vec<String>,
    pub groups: Vec<AffectedGroup>,
    pub topics: Vec<Topic>,
    pub sources: Vec<String>,
    /// The network's analysis, in Markdown.
    pub analysis: String,
    /// Library documents that analyse it (all of them: callers show those the reader
    /// may see).
    pub documents: Vec<Linked>,
    /// The proposal for a joint position.
    pub proposal: Option<Linked>,
    pub advocacy: Vec<Advocacy>,
    pub visibility: Visibility,
    pub author: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Which policy items to list.
#[derive(Debug, Clone, Default)]
pub struct PolicyFilter {
    pub visible: Option<Vec<String>>,
    pub topic: Option<Topic>,
    pub group: Option<AffectedGroup>,
    /// Items applying to any of these areas (callers pass an area with the areas above
    /// it, so a national rule shows under each province).
    pub areas: Option<Vec<String>>,
    pub status: Option<PolicyStatus>,
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

fn codes<T>(s: &str, parse: impl Fn(&str) -> Result<T, DomainError>) -> Vec<T> {
    s.split(',')
        .filter(|c| !c.is_empty())
        .filter_map(|c| parse(c).ok())
        .collect()
}

fn joined(codes: impl Iterator<Item = &'static str>) -> String {
    let v: Vec<&str> = codes.collect();
    format!(",{},", v.join(","))
}

fn from_row(r: &AnyRow) -> Result<PolicyItem, StoreError> {
    let vis: String = r.try_get("visibility")?;
    let instrument: String = r.try_get("instrument")?;
    let status: String = r.try_get("status")?;
    let impact: String = r.try_get("impact")?;
    let groups: String = r.try_get("affected_groups")?;
    let topics: String = r.try_get("topics")?;
    let sources: String = r.try_get("sources")?;
    let proposal = match r.try_get::<Option<i64>, _>("proposal_id")? {
        Some(id) => {
            let title: Option<String> = r.try_get("pr_title")?;
            let vis: Option<String> = r.try_get("pr_visibility")?;
            Some(Linked {
                id,
                title: I18nText {
                    ar: title.clone(),
                    en: title.clone(),
                    tr: title,
                },
                visibility: vis
                    .and_then(|v| Visibility::parse(&v).ok())
                    .unwrap_or(Visibility::Coordinators),
            })
        }
        None => None,
    };
    Ok(PolicyItem {
        id: PolicyId(r.try_get("id")?),
        title: i18n(r, "title")?,
        summary: i18n(r, "summary")?,
        authority: org_ref(r, "o_")?,
        instrument: Instrument::parse(&instrument).unwrap_or(Instrument::Announcement),
        reference: r.try_get("reference")?,
        issued: r.try_get("issued_on")?,
        effective: r.try_get("effective_on")?,
        expires: r.try_get("expires_on")?,
        status: PolicyStatus::parse(&status).unwrap_or(PolicyStatus::Proposed),
        impact: Impact::parse(&impact).unwrap_or(Impact::Medium),
        areas: vec![],
        groups: codes(&groups, AffectedGroup::parse),
        topics: codes(&topics, Topic::parse),
        sources: sources.lines().map(str::to_string).collect(),
        analysis: r.try_get("analysis")?,
        documents: vec![],
        proposal,
        advocacy: vec![],
        visibility: Visibility::parse(&vis).unwrap_or(Visibility::Coordinators),
        author: r.try_get("author_email")?,
        version: r.try_get("version")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn select() -> String {
    format!(
        "SELECT p.*, {}, pr.title AS pr_title, pr.visibility AS pr_visibility FROM policy_items p
         LEFT JOIN organisations o ON o.id = p.authority_id LEFT JOIN proposals pr ON pr.id = p.proposal_id",
        org_cols("o", "o_")
    )
}

/// How many rows `sql` (a `COUNT(*) AS n` with one parameter) counts for `key`.
async fn count(
    tx: &mut Transaction<'static, Any>,
    sql: &str,
    key: Key<'_>,
) -> Result<i64, StoreError> {
    let q = sqlx::query(sql);
    let q = match key {
        Key::Int(i) => q.bind(i),
        Key::Text(t) => q.bind(t.to_string()),
    };
    Ok(q.fetch_one(&mut **tx).await?.try_get("n")?)
}

impl Store {
    /// The authority must be an organisation of kind `authority`; areas, documents and
    /// the proposal must exist. An error names the field.
    async fn check_policy_refs(
        tx: &mut Transaction<'static, Any>,
        d: &PolicyDraft,
    ) -> Result<(), StoreError> {
        let bad = |f: &str, c: &str| Err(StoreError::Invalid(FieldErrors::one(f, c)));
        if let Some(a) = d.authority {
            let n = count(
                tx,
                "SELECT COUNT(*) AS n FROM organisations WHERE id = $1 AND kind = 'authority'",
                Key::Int(a.0),
            )
            .await?;
            if n == 0 {
                return bad("authority_id", "not_an_authority");
            }
        }
        for a in &d.areas {
            let n = count(
                tx,
                "SELECT COUNT(*) AS n FROM areas WHERE code = $1",
                Key::Text(a.as_str()),
            )
            .await?;
            if n == 0 {
                return bad("areas", "area_unknown");
            }
        }
        for doc in &d.documents {
            let n = count(
                tx,
                "SELECT COUNT(*) AS n FROM documents WHERE id = $1",
                Key::Int(doc.0),
            )
            .await?;
            if n == 0 {
                return bad("documents", "reference_unknown");
            }
        }
        if let Some(p) = d.proposal {
            let n = count(
                tx,
                "SELECT COUNT(*) AS n FROM proposals WHERE id = $1",
                Key::Int(p.0),
            )
            .await?;
            if n == 0 {
                return bad("proposal_id", "reference_unknown");
            }
        }
        Ok(())
    }

    async fn write_policy_links(
        tx: &mut Transaction<'static, Any>,
        id: i64,
        d: &PolicyDraft,
    ) -> Result<(), StoreError> {
        for t in ["policy_areas", "policy_documents"] {
            sqlx::query(&format!("DELETE FROM {t} WHERE policy_id = $1"))
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
        for a in &d.areas {
            sqlx::query("INSERT INTO policy_areas (policy_id, area_code) VALUES ($1, $2)")
                .bind(id)
                .bind(a.as_str().to_string())
                .execute(&mut **tx)
                .await?;
        }
        for doc in &d.documents {
            sqlx::query("INSERT INTO policy_documents (policy_id, document_id) VALUES ($1, $2)")
                .bind(id)
                .bind(doc.0)
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    /// Record a policy item.
    pub async fn create_policy(&self, d: &PolicyDraft) -> Result<PolicyId, StoreError> {
        let mut tx = self.writer().begin().await?;
        Self::check_policy_refs(&mut tx, d).await?;
        let t = now();
        let r = sqlx::query(
            "INSERT INTO policy_items (title_ar, title_en, title_tr, summary_ar, summary_en, summary_tr, authority_id,
             instrument, reference, issued_on, effective_on, expires_on, status, impact, affected_groups, topics,
             sources, analysis, proposal_id, visibility, author_email, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $22)
             RETURNING id",
        );
        let r = bind_policy(r, d)
            .bind(self.who().email)
            .bind(t)
            .fetch_one(&mut *tx)
            .await?;
        let id: i64 = r.try_get("id")?;
        Self::write_policy_links(&mut tx, id, d).await?;
        let mut targets: Vec<(&str, String)> = d
            .topics
            .iter()
            .map(|t| ("topic", t.code().to_string()))
            .chain(d.areas.iter().map(|a| ("area", a.as_str().to_string())))
            .collect();
        if let Some(a) = d.authority {
            targets.push(("org", a.0.to_string()));
        }
        crate::notifications::to_followers(
            &mut tx,
            d.visibility,
            &targets,
            &format!("/policy/{id}"),
            d.title.get(Lang::Ar),
        )
        .await?;
        self.audit_row(&mut tx, "create", Table::Policy, Key::Int(id), None)
            .await?;
        crate::outbox::record(&mut tx, "policy", &id.to_string()).await?;
        tx.commit().await?;
        Ok(PolicyId(id))
    }

    /// Replace a policy item's fields, if nobody changed it since `version` was read.
    pub async fn update_policy(
        &self,
        id: PolicyId,
        version: i64,
        d: &PolicyDraft,
    ) -> Result<i64, StoreError> {
        let mut tx = self.writer().begin().await?;
        let before = Self::snapshot(&mut tx, Table::Policy, Key::Int(id.0))
            .await?
            .ok_or(StoreError::NotFound)?;
        Self::check_policy_refs(&mut tx, d).await?;
        let q = sqlx::query(
            "UPDATE policy_items SET title_ar = $1, title_en = $2, title_tr = $3, summary_ar = $4, summary_en = $5,
             summary_tr = $6, authority_id = $7, instrument = $8, reference = $9, issued_on = $10, effective_on = $11,
             expires_on = $12, status = $13, impact = $14, affected_groups = $15, topics = $16, sources = $17,
             analysis = $18, proposal_id = $19, visibility = $20, version = version + 1, updated_at = $21
             WHERE id = $22 AND version = $23",
        );
        let done = bind_policy(q, d)
            .bind(now())
            .bind(id.0)
            .bind(version)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            let current = before["version"].as_i64().unwrap_or(0);
            return Err(StoreError::Conflict { current });
        }
        Self::write_policy_links(&mut tx, id.0, d).await?;
        self.audit_row(
            &mut tx,
            "update",
            Table::Policy,
            Key::Int(id.0),
            Some(before),
        )
        .await?;
        crate::outbox::record(&mut tx, "policy", &id.to_string()).await?;
        tx.commit().await?;
        Ok(version + 1)
    }

    /// Remove a policy item with its advocacy and archived copies.
    pub async fn delete_policy(&self, id: PolicyId, version: i64) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        let before = Self::snapshot(&mut tx, Table::Policy, Key::Int(id.0))
            .await?
            .ok_or(StoreError::NotFound)?;
        let current = before["version"].as_i64().unwrap_or(0);
        if current != version {
            return Err(StoreError::Conflict { current });
        }
        sqlx::query("DELETE FROM attachments WHERE owner_kind = 'policy' AND owner_id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        for t in ["policy_areas", "policy_documents", "policy_advocacy"] {
            sqlx::query(&format!("DELETE FROM {t} WHERE policy_id = $1"))
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM policy_items WHERE id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        self.audit(
            &mut tx,
            "delete",
            "policy",
            &id.to_string(),
            Some(before),
            None,
        )
        .await?;
        crate::outbox::record(&mut tx, "policy", &id.to_string()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Record an advocacy step on a policy item.
    pub async fn add_advocacy(
        &self,
        id: PolicyId,
        a: &AdvocacyDraft,
    ) -> Result<AdvocacyId, StoreError> {
        let mut tx = self.writer().begin().await?;
        let touched = sqlx::query("UPDATE policy_items SET updated_at = $1 WHERE id = $2")
            .bind(now())
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        if touched.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let r = sqlx::query(
            "INSERT INTO policy_advocacy (policy_id, raised_with, raised_on, ask, answer, answered_on, author_email, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(id.0)
        .bind(a.raised_with.clone())
        .bind(a.raised_on.as_str().to_string())
        .bind(a.ask.clone())
        .bind(a.answer.clone())
        .bind(a.answered_on.as_ref().map(|d| d.as_str().to_string()))
        .bind(self.who().email)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        let aid: i64 = r.try_get("id")?;
        let after = serde_json::json!({
            "advocacy": aid, "raised_with": a.raised_with, "raised_on": a.raised_on.as_str(),
            "ask": a.ask, "answer": a.answer,
            "answered_on": a.answered_on.as_ref().map(|d| d.as_str().to_string()),
        });
        self.audit(
            &mut tx,
            "advocacy",
            "policy",
            &id.to_string(),
            None,
            Some(after),
        )
        .await?;
        crate::outbox::record(&mut tx, "policy", &id.to_string()).await?;
        tx.commit().await?;
        Ok(AdvocacyId(aid))
    }

    pub async fn get_policy(&self, id: PolicyId) -> Result<PolicyItem, StoreError> {
        let r = sqlx::query(&format!("{} WHERE p.id = $1", select()))
            .bind(id.0)
            .fetch_optional(self.reader())
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut p = from_row(&r)?;
        self.fill_policy(&mut p).await?;
        let rows = sqlx::query(
            "SELECT d.id, d.title_ar, d.title_en, d.title_tr, d.visibility FROM policy_documents pd
             JOIN documents d ON d.id = pd.document_id WHERE pd.policy_id = $1 ORDER BY d.id",
        )
        .bind(id.0)
        .fetch_all(self.reader())
        .await?;
        for r in rows {
            let vis: String = r.try_get("visibility")?;
            p.documents.push(Linked {
                id: r.try_get("id")?,
                title: i18n(&r, "title")?,
                visibility: Visibility::parse(&vis).unwrap_or(Visibility::Coordinators),
            });
        }
        let rows = sqlx::query(
            "SELECT * FROM policy_advocacy WHERE policy_id = $1 ORDER BY raised_on DESC, id DESC",
        )
        .bind(id.0)
        .fetch_all(self.reader())
        .await?;
        for r in rows {
            p.advocacy.push(Advocacy {
                id: AdvocacyId(r.try_get("id")?),
                raised_with: r.try_get("raised_with")?,
                raised_on: r.try_get("raised_on")?,
                ask: r.try_get("ask")?,
                answer: r.try_get("answer")?,
                answered_on: r.try_get("answered_on")?,
                author: r.try_get("author_email")?,
            });
        }
        Ok(p)
    }

    async fn fill_policy(&self, p: &mut PolicyItem) -> Result<(), StoreError> {
        p.areas = sqlx::query(
            "SELECT area_code FROM policy_areas WHERE policy_id = $1 ORDER BY area_code",
        )
        .bind(p.id.0)
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(|r| r.try_get("area_code"))
        .collect::<Result<_, _>>()?;
        Ok(())
    }

    /// Policy items matching `f`, the most recently issued (or effective, or recorded)
    /// first, with their areas and advocacy (for timelines); documents and proposal are
    /// on [`Store::get_policy`].
    pub async fn list_policies(&self, f: &PolicyFilter) -> Result<Vec<PolicyItem>, StoreError> {
        let mut q = crate::sql::Sql::new(&format!("{} WHERE 1 = 1", select()));
        if let Some(t) = f.topic {
            q.push(" AND p.topics LIKE ")
                .bind(format!("%,{},%", t.code()));
        }
        if let Some(g) = f.group {
            q.push(" AND p.affected_groups LIKE ")
                .bind(format!("%,{},%", g.code()));
        }
        if let Some(s) = f.status {
            q.push(" AND p.status = ").bind(s.code());
        }
        if let Some(areas) = &f.areas {
            if areas.is_empty() {
                return Ok(vec![]);
            }
            q.push(" AND p.id IN (SELECT policy_id FROM policy_areas WHERE area_code IN (");
            for (i, a) in areas.iter().enumerate() {
                if i > 0 {
                    q.push(", ");
                }
                q.bind(a.clone());
            }
            q.push("))");
        }
        if let Some(ids) = &f.ids {
            if ids.is_empty() {
                return Ok(vec![]);
            }
            q.push(" AND p.id IN (");
            for (i, id) in ids.iter().enumerate() {
                if i > 0 {
                    q.push(", ");
                }
                q.bind(*id);
            }
            q.push(")");
        }
        push_visible(&mut q, "p.visibility", &f.visible);
        let limit = if f.limit <= 0 { 500 } else { f.limit.min(5000) };
        q.push(" ORDER BY COALESCE(p.issued_on, p.effective_on, '') DESC, p.created_at DESC, p.id DESC LIMIT ")
            .bind(limit);
        let mut out: Vec<PolicyItem> = q
            .query()
            .fetch_all(self.reader())
            .await?
            .iter()
            .map(from_row)
            .collect::<Result<_, _>>()?;
        for p in &mut out {
            self.fill_policy(p).await?;
            let rows = sqlx::query(
                "SELECT * FROM policy_advocacy WHERE policy_id = $1 ORDER BY raised_on DESC, id DESC",
            )
            .bind(p.id.0)
            .fetch_all(self.reader())
            .await?;
            for r in rows {
                p.advocacy.push(Advocacy {
                    id: AdvocacyId(r.try_get("id")?),
                    raised_with: r.try_get("raised_with")?,
                    raised_on: r.try_get("raised_on")?,
                    ask: r.try_get("ask")?,
                    answer: r.try_get("answer")?,
                    answered_on: r.try_get("answered_on")?,
                    author: r.try_get("author_email")?,
                });
            }
        }
        Ok(out)
    }

    /// The policy items that name `proposal` as their joint position.
    pub async fn policies_of_proposal(
        &self,
        proposal: ProposalId,
    ) -> Result<Vec<Linked>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, title_ar, title_en, title_tr, visibility FROM policy_items WHERE proposal_id = $1 ORDER BY id",
        )
        .bind(proposal.0)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| {
                let vis: String = r.try_get("visibility")?;
                Ok(Linked {
                    id: r.try_get("id")?,
                    title: i18n(r, "title")?,
                    visibility: Visibility::parse(&vis).unwrap_or(Visibility::Coordinators),
                })
            })
            .collect()
    }

    /// An area and the areas above it, for "what applies here".
    pub async fn area_with_ancestors(&self, code: &str) -> Result<Vec<String>, StoreError> {
        let mut out = Vec::new();
        let mut next = Some(code.trim().to_ascii_uppercase());
        while let Some(c) = next.take() {
            if out.contains(&c) || out.len() > 6 {
                break;
            }
            match self.get_area(&c).await {
                Ok(a) => {
                    next = a.parent.clone();
                    out.push(a.code);
                }
                Err(StoreError::NotFound) => break,
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }
}

fn bind_policy<'q>(
    q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    d: &PolicyDraft,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    q.bind(d.title.ar.clone())
        .bind(d.title.en.clone())
        .bind(d.title.tr.clone())
        .bind(d.summary.ar.clone())
        .bind(d.summary.en.clone())
        .bind(d.summary.tr.clone())
        .bind(d.authority.map(|a| a.0))
        .bind(d.instrument.code())
        .bind(d.reference.clone())
        .bind(d.issued.as_ref().map(|x| x.as_str().to_string()))
        .bind(d.effective.as_ref().map(|x| x.as_str().to_string()))
        .bind(d.expires.as_ref().map(|x| x.as_str().to_string()))
        .bind(d.status.code())
        .bind(d.impact.code())
        .bind(joined(d.groups.iter().map(|g| g.code())))
        .bind(joined(d.topics.iter().map(|t| t.code())))
        .bind(
            d.sources
                .iter()
                .map(|s| s.as_str().to_string())
                .collect::<Vec<_>>()
                .join("\n"),
        )
        .bind(d.analysis.clone())
        .bind(d.proposal.map(|p| p.0))
        .bind(d.visibility.code())
}
