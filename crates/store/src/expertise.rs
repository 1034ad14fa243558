//! The expertise exchange: offers and requests, ranked matches, accepted matches and the
//! exchanges recorded from them (which make each organisation's record of expertise
//! given and received). Every write is audited and goes through the outbox into search.

use crate::audit::{Key, Table};
use crate::meetings::{org_cols, org_ref, push_visible, OrgRef};
use crate::util::now;
use crate::{Store, StoreError};
use minbar_core::*;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::HashMap;

/// An offer or a request as shown.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expertise {
    pub id: ExpertiseId,
    pub kind: ExpertiseKind,
    pub org: OrgRef,
    pub title: String,
    pub description: String,
    pub sector: Option<String>,
    pub topics: Vec<String>,
    pub languages: Vec<String>,
    pub areas: Vec<String>,
    pub format: DeliveryFormat,
    pub from: Option<String>,
    pub to: Option<String>,
    pub status: ExpertiseStatus,
    pub visibility: Visibility,
    pub author: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// An exchange: a request answered by an organisation (through one of its offers, or
/// directly).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exchange {
    pub id: ExchangeId,
    pub request: ExpertiseId,
    pub request_title: String,
    /// Who may see the request (and so this exchange).
    pub visibility: Visibility,
    pub offer: Option<ExpertiseId>,
    pub provider: OrgRef,
    pub receiver: OrgRef,
    pub held_on: Option<String>,
    pub people: Option<i64>,
    pub feedback: Option<String>,
    pub recorded_by: String,
    pub created_at: i64,
}

/// Which offers and requests to list.
#[derive(Debug, Clone, Default)]
pub struct ExpertiseFilter {
    pub visible: Option<Vec<String>>,
    pub kind: Option<ExpertiseKind>,
    pub status: Option<ExpertiseStatus>,
    pub org: Option<OrgId>,
    pub sector: Option<String>,
    /// A topic, compared by its key.
    pub topic: Option<String>,
    pub language: Option<String>,
    pub ids: Option<Vec<i64>>,
    pub limit: i64,
}

fn between_commas(s: &str) -> Vec<String> {
    s.split(',')
        .filter(|c| !c.is_empty())
        .map(String::from)
        .collect()
}

fn commas<'a>(v: impl Iterator<Item = &'a str>) -> String {
    let v: Vec<&str> = v.collect();
    format!(",{},", v.join(","))
}

fn from_row(r: &AnyRow) -> Result<Expertise, StoreError> {
    let kind: String = r.try_get("kind")?;
    let format: String = r.try_get("format")?;
    let status: String = r.try_get("status")?;
    let vis: String = r.try_get("visibility")?;
    let topics: String = r.try_get("topics")?;
    let languages: String = r.try_get("languages")?;
    let areas: String = r.try_get("areas")?;
    Ok(Expertise {
        id: ExpertiseId(r.try_get("id")?),
        kind: ExpertiseKind::parse(&kind).unwrap_or(ExpertiseKind::Offer),
        org: org_ref(r, "o_")?.ok_or(StoreError::NotFound)?,
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        sector: r.try_get("sector_code")?,
        topics: topics.lines().map(String::from).collect(),
        languages: between_commas(&languages),
        areas: between_commas(&areas),
        format: DeliveryFormat::parse(&format).unwrap_or(DeliveryFormat::Either),
        from: r.try_get("available_from")?,
        to: r.try_get("available_to")?,
        status: ExpertiseStatus::parse(&status).unwrap_or(ExpertiseStatus::Closed),
        visibility: Visibility::parse(&vis).unwrap_or(Visibility::Coordinators),
        author: r.try_get("author_email")?,
        version: r.try_get("version")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn select() -> String {
    format!(
        "SELECT e.*, {} FROM expertise e JOIN organisations o ON o.id = e.org_id",
        org_cols("o", "o_")
    )
}

fn exchange_from_row(r: &AnyRow) -> Result<Exchange, StoreError> {
    Ok(Exchange {
        id: ExchangeId(r.try_get("id")?),
        request: ExpertiseId(r.try_get("request_id")?),
        request_title: r.try_get("request_title")?,
        visibility: Visibility::parse(&r.try_get::<String, _>("request_visibility")?)
            .unwrap_or(Visibility::Coordinators),
        offer: r.try_get::<Option<i64>, _>("offer_id")?.map(ExpertiseId),
        provider: org_ref(r, "p_")?.ok_or(StoreError::NotFound)?,
        receiver: org_ref(r, "r_")?.ok_or(StoreError::NotFound)?,
        held_on: r.try_get("held_on")?,
        people: r.try_get("people")?,
        feedback: r.try_get("feedback")?,
        recorded_by: r.try_get("recorded_by")?,
        created_at: r.try_get("created_at")?,
    })
}

fn exchange_select() -> String {
    format!(
        "SELECT x.*, q.title AS request_title, q.visibility AS request_visibility, {}, {} FROM expertise_exchanges x
         JOIN expertise q ON q.id = x.request_id
         JOIN organisations p ON p.id = x.provider_org_id JOIN organisations r ON r.id = x.receiver_org_id",
        org_cols("p", "p_"),
        org_cols("r", "r_")
    )
}

impl Store {
    async fn check_expertise_refs(
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        d: &ExpertiseDraft,
    ) -> Result<(), StoreError> {
        let bad = |f: &str, c: &str| Err(StoreError::Invalid(FieldErrors::one(f, c)));
        let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM organisations WHERE id = $1")
            .bind(d.org.0)
            .fetch_one(&mut **tx)
            .await?
            .try_get("n")?;
        if n == 0 {
            return bad("org_id", "org_unknown");
        }
        if let Some(s) = &d.sector {
            let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM sectors WHERE code = $1")
                .bind(s.as_str().to_string())
                .fetch_one(&mut **tx)
                .await?
                .try_get("n")?;
            if n == 0 {
                return bad("sector", "sector_unknown");
            }
        }
        for a in &d.areas {
            let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM areas WHERE code = $1")
                .bind(a.as_str().to_string())
                .fetch_one(&mut **tx)
                .await?
                .try_get("n")?;
            if n == 0 && !matches!(a.as_str(), "TR" | "SY") {
                return bad("areas", "area_unknown");
            }
        }
        Ok(())
    }

    fn expertise_binds<'q>(
        q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
        d: &ExpertiseDraft,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        q.bind(d.kind.code())
            .bind(d.org.0)
            .bind(d.title.clone())
            .bind(d.description.clone())
            .bind(d.sector.as_ref().map(|s| s.as_str().to_string()))
            .bind(
                d.topics
                    .iter()
                    .map(|t| t.as_str())
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
            .bind(format!(
                ",{},",
                d.topics.iter().map(Tag::key).collect::<Vec<_>>().join(",")
            ))
            .bind(commas(d.languages.iter().map(|l| l.code())))
            .bind(commas(d.areas.iter().map(|a| a.as_str())))
            .bind(d.format.code())
            .bind(d.from.as_ref().map(|x| x.as_str().to_string()))
            .bind(d.to.as_ref().map(|x| x.as_str().to_string()))
            .bind(d.visibility.code())
    }

    /// Post an offer or a request.
    pub async fn create_expertise(&self, d: &ExpertiseDraft) -> Result<ExpertiseId, StoreError> {
        let mut tx = self.writer().begin().await?;
        Self::check_expertise_refs(&mut tx, d).await?;
        let q = sqlx::query(
            "INSERT INTO expertise (kind, org_id, title, description, sector_code, topics, topic_keys, languages, areas,
             format, available_from, available_to, visibility, author_email, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id",
        );
        let r = Self::expertise_binds(q, d)
            .bind(self.who().email)
            .bind(now())
            .fetch_one(&mut *tx)
            .await?;
        let id: i64 = r.try_get("id")?;
        let mut targets = vec![("org", d.org.0.to_string())];
        if let Some(s) = &d.sector {
            targets.push(("sector", s.as_str().to_string()));
        }
        targets.extend(d.areas.iter().map(|a| ("area", a.as_str().to_string())));
        crate::notifications::to_followers(
            &mut tx,
            d.visibility,
            &targets,
            &format!("/expertise/{id}"),
            &d.title,
        )
        .await?;
        self.audit_row(&mut tx, "create", Table::Expertise, Key::Int(id), None)
            .await?;
        crate::outbox::record(&mut tx, "expertise", &id.to_string()).await?;
        tx.commit().await?;
        Ok(ExpertiseId(id))
    }

    /// Replace an offer's or request's fields, if nobody changed it since `version`.
    pub async fn update_expertise(
        &self,
        id: ExpertiseId,
        version: i64,
        d: &ExpertiseDraft,
    ) -> Result<i64, StoreError> {
        let mut tx = self.writer().begin().await?;
        let before = Self::snapshot(&mut tx, Table::Expertise, Key::Int(id.0))
            .await?
            .ok_or(StoreError::NotFound)?;
        Self::check_expertise_refs(&mut tx, d).await?;
        let q = sqlx::query(
            "UPDATE expertise SET kind = $1, org_id = $2, title = $3, description = $4, sector_code = $5, topics = $6,
             topic_keys = $7, languages = $8, areas = $9, format = $10, available_from = $11, available_to = $12,
             visibility = $13, version = version + 1, updated_at = $14 WHERE id = $15 AND version = $16",
        );
        let done = Self::expertise_binds(q, d)
            .bind(now())
            .bind(id.0)
            .bind(version)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            let current = before["version"].as_i64().unwrap_or(0);
            return Err(StoreError::Conflict { current });
        }
        self.audit_row(
            &mut tx,
            "update",
            Table::Expertise,
            Key::Int(id.0),
            Some(before),
        )
        .await?;
        crate::outbox::record(&mut tx, "expertise", &id.to_string()).await?;
        tx.commit().await?;
        Ok(version + 1)
    }

    /// Close an offer or request (no longer listed as open), or open it again.
    pub async fn set_expertise_status(
        &self,
        id: ExpertiseId,
        version: i64,
        status: ExpertiseStatus,
    ) -> Result<i64, StoreError> {
        let mut tx = self.writer().begin().await?;
        let before = Self::snapshot(&mut tx, Table::Expertise, Key::Int(id.0))
            .await?
            .ok_or(StoreError::NotFound)?;
        let done = sqlx::query(
            "UPDATE expertise SET status = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4",
        )
        .bind(status.code())
        .bind(now())
        .bind(id.0)
        .bind(version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            let current = before["version"].as_i64().unwrap_or(0);
            return Err(StoreError::Conflict { current });
        }
        self.audit_row(
            &mut tx,
            "status",
            Table::Expertise,
            Key::Int(id.0),
            Some(before),
        )
        .await?;
        crate::outbox::record(&mut tx, "expertise", &id.to_string()).await?;
        tx.commit().await?;
        Ok(version + 1)
    }

    pub async fn get_expertise(&self, id: ExpertiseId) -> Result<Expertise, StoreError> {
        let r = sqlx::query(&format!("{} WHERE e.id = $1", select()))
            .bind(id.0)
            .fetch_optional(self.reader())
            .await?
            .ok_or(StoreError::NotFound)?;
        from_row(&r)
    }

    /// Offers and requests matching `f`, the newest first.
    pub async fn list_expertise(&self, f: &ExpertiseFilter) -> Result<Vec<Expertise>, StoreError> {
        let mut q = crate::sql::Sql::new(&format!("{} WHERE 1 = 1", select()));
        if let Some(k) = f.kind {
            q.push(" AND e.kind = ").bind(k.code());
        }
        if let Some(s) = f.status {
            q.push(" AND e.status = ").bind(s.code());
        }
        if let Some(o) = f.org {
            q.push(" AND e.org_id = ").bind(o.0);
        }
        if let Some(s) = &f.sector {
            q.push(" AND e.sector_code = ").bind(s.clone());
        }
        if let Some(t) = &f.topic {
            q.push(" AND e.topic_keys LIKE ")
                .bind(format!("%,{},%", MatchProfile::topic_key(t)));
        }
        if let Some(l) = &f.language {
            q.push(" AND e.languages LIKE ").bind(format!("%,{l},%"));
        }
        if let Some(ids) = &f.ids {
            if ids.is_empty() {
                return Ok(vec![]);
            }
            q.push(" AND e.id IN (");
            for (i, id) in ids.iter().enumerate() {
                if i > 0 {
                    q.push(", ");
                }
                q.bind(*id);
            }
            q.push(")");
        }
        push_visible(&mut q, "e.visibility", &f.visible);
        let limit = if f.limit <= 0 { 500 } else { f.limit.min(5000) };
        q.push(" ORDER BY e.created_at DESC, e.id DESC LIMIT ")
            .bind(limit);
        q.query()
            .fetch_all(self.reader())
            .await?
            .iter()
            .map(from_row)
            .collect()
    }

    /// Each area with the areas above it (one query for the gazetteer).
    async fn area_parents(&self) -> Result<HashMap<String, Option<String>>, StoreError> {
        Ok(self
            .list_areas(None, None, None)
            .await?
            .into_iter()
            .map(|a| (a.code, a.parent))
            .collect())
    }

    fn profile(e: &Expertise, parents: &HashMap<String, Option<String>>) -> MatchProfile {
        let mut areas = Vec::new();
        for a in &e.areas {
            let mut next = Some(a.clone());
            while let Some(c) = next.take() {
                if areas.contains(&c) || areas.len() > 50 {
                    break;
                }
                next = parents.get(&c).cloned().flatten();
                areas.push(c);
            }
        }
        MatchProfile {
            sector: e.sector.clone(),
            topics: MatchProfile::words_of(&e.topics.join(" ")),
            languages: e.languages.clone(),
            areas,
            online: matches!(e.format, DeliveryFormat::Online | DeliveryFormat::Either),
            in_person: matches!(e.format, DeliveryFormat::InPerson | DeliveryFormat::Either),
            words: MatchProfile::words_of(&format!("{} {}", e.title, e.description)),
        }
    }

    /// The open items of the other kind that answer `id` (offers for a request, requests
    /// for an offer), best first, among those `visible` admits, other organisations' only.
    pub async fn expertise_matches(
        &self,
        id: ExpertiseId,
        visible: &Option<Vec<String>>,
        limit: usize,
    ) -> Result<Vec<(Expertise, MatchScore)>, StoreError> {
        let e = self.get_expertise(id).await?;
        let other = match e.kind {
            ExpertiseKind::Offer => ExpertiseKind::Request,
            ExpertiseKind::Request => ExpertiseKind::Offer,
        };
        let parents = self.area_parents().await?;
        let me = Self::profile(&e, &parents);
        let mut scored: Vec<(Expertise, MatchScore)> = self
            .list_expertise(&ExpertiseFilter {
                visible: visible.clone(),
                kind: Some(other),
                status: Some(ExpertiseStatus::Open),
                limit: 5000,
                ..Default::default()
            })
            .await?
            .into_iter()
            .filter(|x| x.org.id != e.org.id)
            .map(|x| {
                let s = match_score(&me, &Self::profile(&x, &parents));
                (x, s)
            })
            .filter(|(_, s)| s.score > 0)
            .collect();
        scored.sort_by(|a, b| b.1.score.cmp(&a.1.score).then(b.0.id.cmp(&a.0.id)));
        scored.truncate(limit);
        Ok(scored)
    }

    /// Accept `offer` for `request`: the request is matched, and an exchange between the
    /// two organisations is opened for recording. A request is matched once.
    pub async fn accept_offer(
        &self,
        request: ExpertiseId,
        offer: ExpertiseId,
    ) -> Result<ExchangeId, StoreError> {
        let q = self.get_expertise(request).await?;
        let o = self.get_expertise(offer).await?;
        if q.kind != ExpertiseKind::Request || o.kind != ExpertiseKind::Offer {
            return Err(StoreError::Invalid(FieldErrors::one(
                "offer_id",
                "kind_invalid",
            )));
        }
        if o.org.id == q.org.id {
            return Err(StoreError::Invalid(FieldErrors::one(
                "offer_id",
                "own_offer",
            )));
        }
        let mut tx = self.writer().begin().await?;
        let before = Self::snapshot(&mut tx, Table::Expertise, Key::Int(request.0))
            .await?
            .ok_or(StoreError::NotFound)?;
        let done = sqlx::query(
            "UPDATE expertise SET status = 'matched', version = version + 1, updated_at = $1 WHERE id = $2 AND status = 'open'",
        )
        .bind(now())
        .bind(request.0)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Invalid(FieldErrors::one(
                "offer_id",
                "already_matched",
            )));
        }
        let t = now();
        let r = sqlx::query(
            "INSERT INTO expertise_exchanges (request_id, offer_id, provider_org_id, receiver_org_id, recorded_by, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(request.0)
        .bind(offer.0)
        .bind(o.org.id.0)
        .bind(q.org.id.0)
        .bind(self.who().email)
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
        let xid: i64 = r.try_get("id")?;
        self.audit_row(
            &mut tx,
            "match",
            Table::Expertise,
            Key::Int(request.0),
            Some(before),
        )
        .await?;
        // the providing organisation hears of it, if it may see the request
        if crate::notifications::reaches_members(q.visibility) {
            let link = format!("/expertise/{}", request.0);
            crate::notifications::to_org(&mut tx, o.org.id.0, "expertise", &link, &q.title).await?;
        }
        crate::outbox::record(&mut tx, "expertise", &request.to_string()).await?;
        tx.commit().await?;
        Ok(ExchangeId(xid))
    }

    /// Record how an exchange went.
    pub async fn record_exchange(
        &self,
        id: ExchangeId,
        d: &ExchangeDraft,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        let r = sqlx::query("SELECT request_id FROM expertise_exchanges WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let request: i64 = r.try_get("request_id")?;
        sqlx::query(
            "UPDATE expertise_exchanges SET held_on = $1, people = $2, feedback = $3, updated_at = $4 WHERE id = $5",
        )
        .bind(d.held_on.as_ref().map(|x| x.as_str().to_string()))
        .bind(d.people)
        .bind(d.feedback.clone())
        .bind(now())
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        let after = serde_json::json!({
            "exchange": id.0,
            "held_on": d.held_on.as_ref().map(|x| x.as_str().to_string()),
            "people": d.people, "feedback": d.feedback,
        });
        self.audit(
            &mut tx,
            "exchange",
            "expertise",
            &request.to_string(),
            None,
            Some(after),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The exchange of a request, if it was matched.
    pub async fn exchange_of(&self, request: ExpertiseId) -> Result<Option<Exchange>, StoreError> {
        sqlx::query(&format!("{} WHERE x.request_id = $1", exchange_select()))
            .bind(request.0)
            .fetch_optional(self.reader())
            .await?
            .as_ref()
            .map(exchange_from_row)
            .transpose()
    }

    /// An organisation's record: the exchanges it gave, and those it received.
    pub async fn expertise_record(
        &self,
        org: OrgId,
    ) -> Result<(Vec<Exchange>, Vec<Exchange>), StoreError> {
        let mut out = (Vec::new(), Vec::new());
        for (col, list) in [
            ("provider_org_id", &mut out.0),
            ("receiver_org_id", &mut out.1),
        ] {
            let rows = sqlx::query(&format!(
                "{} WHERE x.{col} = $1 ORDER BY COALESCE(x.held_on, '') DESC, x.id DESC",
                exchange_select()
            ))
            .bind(org.0)
            .fetch_all(self.reader())
            .await?;
            for r in &rows {
                list.push(exchange_from_row(r)?);
            }
        }
        Ok(out)
    }
}
