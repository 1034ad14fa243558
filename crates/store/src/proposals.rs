//! Proposals and their endorsement by the member organisations: the rules per kind, the
//! discussion, the answers (one per organisation, changeable until closing), and the
//! outcome sealed at closing.
//!
//! Sealing happens once, in [`Store::seal_due`]: the background loop of `minbar serve`
//! calls it, and so does every read of a proposal, so nobody sees a closed proposal
//! without its outcome. A sealed row is never updated again (every update is guarded by
//! `outcome IS NULL`).

use crate::audit::{Key, Table};
use crate::meetings::{org_cols, org_ref, push_visible, OrgRef};
use crate::util::now;
use crate::{Store, StoreError};
use minbar_core::endorsement::{Outcome, Tally, Window};
use minbar_core::*;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

/// A proposal as shown.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposal {
    pub id: ProposalId,
    pub title: String,
    /// Markdown.
    pub body: String,
    pub kind: ProposalKind,
    pub meeting: Option<MeetingId>,
    pub agenda_item: Option<AgendaItemId>,
    pub proposers: Vec<OrgRef>,
    /// UTC seconds: answers are taken from `opens_at` until `closes_at`.
    pub opens_at: i64,
    pub closes_at: i64,
    pub time_zone: String,
    pub visibility: Visibility,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub rules: KindRules,
    /// Set at closing, never changed after.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub outcome: Option<Outcome>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub tally: Option<Tally>,
    pub sealed_at: Option<i64>,
    pub version: i64,
}

impl Proposal {
    pub fn window(&self) -> Option<Window> {
        Window::new(self.opens_at, self.closes_at).ok()
    }
    /// Open for answers at `now`?
    pub fn open_at(&self, now: i64) -> bool {
        self.outcome.is_none() && self.window().is_some_and(|w| w.accepts(now).is_ok())
    }
    /// May the answers be shown at `now`?
    pub fn answers_visible(&self, now: i64) -> bool {
        self.outcome.is_some()
            || self
                .window()
                .is_some_and(|w| w.answers_visible(&self.rules.rules, now))
    }
}

/// One organisation's answer.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Endorsement {
    pub org: OrgRef,
    pub answer: AnswerCode,
    pub reason: Option<String>,
    pub by: String,
    pub at: i64,
}

/// A comment in a proposal's discussion; replies are one level deep.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProposalComment {
    pub id: CommentId,
    pub parent: Option<CommentId>,
    pub by: String,
    pub org: Option<OrgRef>,
    pub body: String,
    pub at: i64,
}

fn proposal_from_row(r: &AnyRow) -> Result<Proposal, StoreError> {
    let kind: String = r.try_get("kind")?;
    let vis: String = r.try_get("visibility")?;
    let rules: String = r.try_get("rules")?;
    let outcome: Option<String> = r.try_get("outcome")?;
    let outcome = outcome.and_then(|o| serde_json::from_value(serde_json::Value::String(o)).ok());
    let tally = match (
        r.try_get::<Option<i64>, _>("members")?,
        r.try_get::<Option<i64>, _>("support")?,
        r.try_get::<Option<i64>, _>("object")?,
        r.try_get::<Option<i64>, _>("abstain")?,
    ) {
        (Some(m), Some(s), Some(o), Some(a)) => Some(Tally {
            members: m as u32,
            support: s as u32,
            object: o as u32,
            abstain: a as u32,
        }),
        _ => None,
    };
    Ok(Proposal {
        id: ProposalId(r.try_get("id")?),
        title: r.try_get("title")?,
        body: r.try_get("body")?,
        kind: ProposalKind::parse(&kind).unwrap_or(ProposalKind::JointPosition),
        meeting: r.try_get::<Option<i64>, _>("meeting_id")?.map(MeetingId),
        agenda_item: r
            .try_get::<Option<i64>, _>("agenda_item_id")?
            .map(AgendaItemId),
        proposers: Vec::new(),
        opens_at: r.try_get("opens_at")?,
        closes_at: r.try_get("closes_at")?,
        time_zone: r.try_get("time_zone")?,
        visibility: Visibility::parse(&vis).unwrap_or(Visibility::Coordinators),
        rules: serde_json::from_str(&rules).unwrap_or_default(),
        outcome,
        tally,
        sealed_at: r.try_get("sealed_at")?,
        version: r.try_get("version")?,
    })
}

fn outcome_code(o: Outcome) -> &'static str {
    match o {
        Outcome::Adopted => "adopted",
        Outcome::Rejected => "rejected",
        Outcome::NoQuorum => "no_quorum",
    }
}

/// A proposal due a reminder: who has not answered yet.
#[derive(Debug, Clone)]
pub struct Reminder {
    pub proposal: ProposalId,
    pub title: String,
    pub closes_at: i64,
    pub time_zone: String,
    /// Focal points of member organisations that have not answered: (address, the
    /// language of their e-mail).
    pub to: Vec<(String, String)>,
}

impl Store {
    /// The rules of `kind` (the defaults until a coordinator sets them).
    pub async fn kind_rules(&self, kind: ProposalKind) -> Result<KindRules, StoreError> {
        Ok(
            sqlx::query("SELECT rules FROM proposal_rules WHERE kind = $1")
                .bind(kind.code())
                .fetch_optional(self.reader())
                .await?
                .and_then(|r| r.try_get::<String, _>("rules").ok())
                .and_then(|s| serde_json::from_str(&s).ok())
                .unwrap_or_default(),
        )
    }

    /// Set the rules of `kind`, for proposals put forward from now on.
    pub async fn set_kind_rules(
        &self,
        kind: ProposalKind,
        rules: &KindRules,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(rules).map_err(|e| StoreError::Other(e.to_string()))?;
        let before = self.kind_rules(kind).await?;
        let mut tx = self.writer().begin().await?;
        sqlx::query("DELETE FROM proposal_rules WHERE kind = $1")
            .bind(kind.code())
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO proposal_rules (kind, rules, updated_at) VALUES ($1, $2, $3)")
            .bind(kind.code())
            .bind(json)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        self.audit(
            &mut tx,
            "set_rules",
            "proposal_kind",
            kind.code(),
            serde_json::to_value(before).ok(),
            serde_json::to_value(rules).ok(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Put a proposal forward, under its kind's rules as they are now.
    pub async fn create_proposal(&self, d: &ProposalDraft) -> Result<ProposalId, StoreError> {
        let rules = self.kind_rules(d.kind).await?;
        let json = serde_json::to_string(&rules).map_err(|e| StoreError::Other(e.to_string()))?;
        let mut tx = self.writer().begin().await?;
        if let (Some(m), Some(a)) = (d.meeting, d.agenda_item) {
            sqlx::query("SELECT 1 AS x FROM agenda_items WHERE id = $1 AND meeting_id = $2")
                .bind(a.0)
                .bind(m.0)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| StoreError::invalid("agenda_item", "reference_unknown"))?;
        }
        let t = now();
        let r = sqlx::query(
            "INSERT INTO proposals (title, body, kind, meeting_id, agenda_item_id, opens_at, closes_at, time_zone, visibility, rules, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
        )
        .bind(d.title.as_str().to_string())
        .bind(d.body.as_str().to_string())
        .bind(d.kind.code())
        .bind(d.meeting.map(|m| m.0))
        .bind(d.agenda_item.map(|a| a.0))
        .bind(d.window.opens())
        .bind(d.window.closes())
        .bind(d.time_zone.clone())
        .bind(d.visibility.code())
        .bind(json)
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = r.try_get("id")?;
        for o in &d.proposers {
            sqlx::query("INSERT INTO proposal_orgs (proposal_id, org_id) VALUES ($1, $2)")
                .bind(id)
                .bind(o.0)
                .execute(&mut *tx)
                .await?;
        }
        // the member organisations' focal points hear of it, if members may see it
        if crate::notifications::reaches_members(d.visibility) {
            let link = format!("/proposals/{id}");
            crate::notifications::to_members(&mut tx, false, "proposal", &link, d.title.as_str())
                .await?;
        }
        self.audit_row(&mut tx, "create", Table::Proposals, Key::Int(id), None)
            .await?;
        crate::outbox::record(&mut tx, "proposal", &id.to_string()).await?;
        tx.commit().await?;
        Ok(ProposalId(id))
    }

    async fn proposers(&self, ids: &[i64]) -> Result<Vec<(i64, OrgRef)>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = crate::sql::Sql::new(&format!(
            "SELECT po.proposal_id, {} FROM proposal_orgs po JOIN organisations o ON o.id = po.org_id WHERE po.proposal_id IN (",
            org_cols("o", "o_")
        ));
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(*id);
        }
        q.push(") ORDER BY o.acronym");
        q.query()
            .fetch_all(self.reader())
            .await?
            .iter()
            .filter_map(
                |r| match (r.try_get::<i64, _>("proposal_id"), org_ref(r, "o_")) {
                    (Ok(p), Ok(Some(o))) => Some(Ok((p, o))),
                    (Err(e), _) | (_, Err(e)) => Some(Err(StoreError::from(e))),
                    _ => None,
                },
            )
            .collect()
    }

    /// One proposal (sealed first if its window has closed).
    pub async fn get_proposal(&self, id: ProposalId) -> Result<Proposal, StoreError> {
        self.seal_due(now()).await?;
        let r = sqlx::query("SELECT * FROM proposals WHERE id = $1")
            .bind(id.0)
            .fetch_optional(self.reader())
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut p = proposal_from_row(&r)?;
        p.proposers = self
            .proposers(&[id.0])
            .await?
            .into_iter()
            .map(|(_, o)| o)
            .collect();
        Ok(p)
    }

    /// Proposals the reader may see, the latest closing first; `meeting` narrows them to
    /// one meeting's.
    pub async fn list_proposals(
        &self,
        visible: &Option<Vec<String>>,
        meeting: Option<MeetingId>,
    ) -> Result<Vec<Proposal>, StoreError> {
        self.seal_due(now()).await?;
        let mut q = crate::sql::Sql::new("SELECT * FROM proposals WHERE 1 = 1");
        if let Some(m) = meeting {
            q.push(" AND meeting_id = ").bind(m.0);
        }
        push_visible(&mut q, "visibility", visible);
        q.push(" ORDER BY closes_at DESC, id DESC LIMIT 2000");
        let mut items = q
            .query()
            .fetch_all(self.reader())
            .await?
            .iter()
            .map(proposal_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        let ids: Vec<i64> = items.iter().map(|p| p.id.0).collect();
        for (pid, o) in self.proposers(&ids).await? {
            if let Some(p) = items.iter_mut().find(|p| p.id.0 == pid) {
                p.proposers.push(o);
            }
        }
        Ok(items)
    }

    /// The answers given so far, by organisation.
    pub async fn endorsements(&self, id: ProposalId) -> Result<Vec<Endorsement>, StoreError> {
        sqlx::query(&format!(
            "SELECT e.answer, e.reason, e.user_email, e.answered_at, {} FROM endorsements e JOIN organisations o ON o.id = e.org_id WHERE e.proposal_id = $1 ORDER BY o.acronym",
            org_cols("o", "o_")
        ))
        .bind(id.0)
        .fetch_all(self.reader())
        .await?
        .iter()
        .filter_map(|r| {
            let answer: String = r.try_get("answer").ok()?;
            Some(Ok(Endorsement {
                org: org_ref(r, "o_").ok()??,
                answer: AnswerCode::parse(&answer).ok()?,
                reason: r.try_get("reason").ok()?,
                by: r.try_get("user_email").ok()?,
                at: r.try_get("answered_at").ok()?,
            }))
        })
        .collect()
    }

    /// `org`'s answer to a proposal, given (or changed) at `at`. Refused outside the
    /// window (`endorsement_not_open`, `endorsement_closed`), once sealed, and for an
    /// organisation that is not a member (`not_a_member`).
    pub async fn answer_proposal(
        &self,
        id: ProposalId,
        org: OrgId,
        answer: AnswerCode,
        reason: &str,
        at: i64,
    ) -> Result<(), StoreError> {
        let reason = LongText::parse_optional(reason)
            .map_err(|e| StoreError::invalid("reason", e.code()))?;
        let mut tx = self.writer().begin().await?;
        let r = sqlx::query("SELECT opens_at, closes_at, outcome FROM proposals WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if r.try_get::<Option<String>, _>("outcome")?.is_some() {
            return Err(StoreError::invalid(
                "answer",
                DomainError::EndorsementClosed.code(),
            ));
        }
        let window = Window::new(r.try_get("opens_at")?, r.try_get("closes_at")?)
            .map_err(|e| StoreError::invalid("answer", e.code()))?;
        window
            .accepts(at)
            .map_err(|e| StoreError::invalid("answer", e.code()))?;
        let status: String =
            sqlx::query("SELECT membership_status FROM organisations WHERE id = $1")
                .bind(org.0)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?
                .try_get("membership_status")?;
        if status != MembershipStatus::Member.code() {
            return Err(StoreError::invalid(
                "answer",
                DomainError::NotAMember.code(),
            ));
        }
        let before = sqlx::query(
            "SELECT answer, reason FROM endorsements WHERE proposal_id = $1 AND org_id = $2",
        )
        .bind(id.0)
        .bind(org.0)
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| {
            serde_json::json!({
                "org_id": org.0,
                "answer": r.try_get::<String, _>("answer").ok(),
                "reason": r.try_get::<Option<String>, _>("reason").ok().flatten(),
            })
        });
        sqlx::query("DELETE FROM endorsements WHERE proposal_id = $1 AND org_id = $2")
            .bind(id.0)
            .bind(org.0)
            .execute(&mut *tx)
            .await?;
        let reason = reason.map(LongText::into_inner);
        sqlx::query(
            "INSERT INTO endorsements (proposal_id, org_id, answer, reason, user_email, answered_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id.0)
        .bind(org.0)
        .bind(answer.code())
        .bind(reason.clone())
        .bind(self.who().email)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        let after =
            serde_json::json!({ "org_id": org.0, "answer": answer.code(), "reason": reason });
        self.audit(
            &mut tx,
            "answer",
            "proposal",
            &id.to_string(),
            before,
            Some(after),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Seal every proposal whose window has closed by `at`: count the answers against
    /// the member organisations, compute the outcome under the rules the proposal was put
    /// forward with, and store both for good. Returns how many were sealed.
    pub async fn seal_due(&self, at: i64) -> Result<usize, StoreError> {
        let due: Vec<i64> = sqlx::query(
            "SELECT id FROM proposals WHERE outcome IS NULL AND closes_at <= $1 ORDER BY id",
        )
        .bind(at)
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<Result<_, _>>()?;
        let mut sealed = 0;
        for id in due {
            let mut tx = self.writer().begin().await?;
            let Some(r) =
                sqlx::query("SELECT rules FROM proposals WHERE id = $1 AND outcome IS NULL")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?
            else {
                continue; // sealed meanwhile
            };
            let rules: KindRules =
                serde_json::from_str(&r.try_get::<String, _>("rules")?).unwrap_or_default();
            let members: i64 = sqlx::query(
                "SELECT COUNT(*) AS n FROM organisations WHERE membership_status = 'member'",
            )
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
            let mut tally = Tally {
                members: members as u32,
                support: 0,
                object: 0,
                abstain: 0,
            };
            for a in sqlx::query(
                "SELECT e.answer FROM endorsements e JOIN organisations o ON o.id = e.org_id WHERE e.proposal_id = $1 AND o.membership_status = 'member'",
            )
            .bind(id)
            .fetch_all(&mut *tx)
            .await?
            {
                match a.try_get::<String, _>("answer")?.as_str() {
                    "support" => tally.support += 1,
                    "object" => tally.object += 1,
                    _ => tally.abstain += 1,
                }
            }
            let outcome = tally.outcome(&rules.rules);
            let before = Self::snapshot(&mut tx, Table::Proposals, Key::Int(id)).await?;
            sqlx::query(
                "UPDATE proposals SET outcome = $1, members = $2, support = $3, object = $4, abstain = $5, sealed_at = $6 WHERE id = $7 AND outcome IS NULL",
            )
            .bind(outcome_code(outcome))
            .bind(i64::from(tally.members))
            .bind(i64::from(tally.support))
            .bind(i64::from(tally.object))
            .bind(i64::from(tally.abstain))
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            self.audit_row(&mut tx, "seal", Table::Proposals, Key::Int(id), before)
                .await?;
            tx.commit().await?;
            sealed += 1;
        }
        Ok(sealed)
    }

    /// Comment in a proposal's discussion (until it closes). A reply to a reply is
    /// attached to the comment that started the thread: threads are one level deep.
    pub async fn comment_proposal(
        &self,
        id: ProposalId,
        parent: Option<CommentId>,
        org: Option<OrgId>,
        body: &str,
        at: i64,
    ) -> Result<CommentId, StoreError> {
        let body = LongText::parse_optional(body)
            .map_err(|e| StoreError::invalid("body", e.code()))?
            .ok_or_else(|| StoreError::invalid("body", DomainError::NameRequired.code()))?;
        let mut tx = self.writer().begin().await?;
        let r = sqlx::query("SELECT closes_at, outcome FROM proposals WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if r.try_get::<Option<String>, _>("outcome")?.is_some()
            || at >= r.try_get::<i64, _>("closes_at")?
        {
            return Err(StoreError::invalid(
                "body",
                DomainError::EndorsementClosed.code(),
            ));
        }
        let parent = match parent {
            None => None,
            Some(p) => {
                let r = sqlx::query(
                    "SELECT id, parent_id FROM proposal_comments WHERE id = $1 AND proposal_id = $2",
                )
                .bind(p.0)
                .bind(id.0)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| StoreError::invalid("parent", "reference_unknown"))?;
                Some(
                    r.try_get::<Option<i64>, _>("parent_id")?
                        .unwrap_or(r.try_get("id")?),
                )
            }
        };
        let body = body.into_inner();
        let c = sqlx::query(
            "INSERT INTO proposal_comments (proposal_id, parent_id, user_email, org_id, body, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(id.0)
        .bind(parent)
        .bind(self.who().email)
        .bind(org.map(|o| o.0))
        .bind(body.clone())
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        let cid: i64 = c.try_get("id")?;
        let after = serde_json::json!({ "comment": cid, "parent": parent, "body": body });
        self.audit(
            &mut tx,
            "comment",
            "proposal",
            &id.to_string(),
            None,
            Some(after),
        )
        .await?;
        tx.commit().await?;
        Ok(CommentId(cid))
    }

    /// The discussion: threads in order, each reply after its thread's first comment.
    pub async fn proposal_comments(
        &self,
        id: ProposalId,
    ) -> Result<Vec<ProposalComment>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT c.id, c.parent_id, c.user_email, c.body, c.created_at, {} FROM proposal_comments c LEFT JOIN organisations o ON o.id = c.org_id WHERE c.proposal_id = $1 ORDER BY COALESCE(c.parent_id, c.id), c.id",
            org_cols("o", "o_")
        ))
        .bind(id.0)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ProposalComment {
                    id: CommentId(r.try_get("id")?),
                    parent: r.try_get::<Option<i64>, _>("parent_id")?.map(CommentId),
                    by: r.try_get("user_email")?,
                    org: org_ref(r, "o_")?,
                    body: r.try_get("body")?,
                    at: r.try_get("created_at")?,
                })
            })
            .collect()
    }

    /// Open proposals closing within `ahead` seconds of `at` that have not been reminded
    /// of, with the focal points of member organisations that have not answered.
    pub async fn reminders_due(&self, at: i64, ahead: i64) -> Result<Vec<Reminder>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, title, closes_at, time_zone FROM proposals WHERE outcome IS NULL AND reminded_at IS NULL AND opens_at <= $1 AND closes_at > $1 AND closes_at <= $2 ORDER BY id",
        )
        .bind(at)
        .bind(at + ahead)
        .fetch_all(self.reader())
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let id: i64 = r.try_get("id")?;
            let to = sqlx::query(
                "SELECT u.email, u.lang FROM users u JOIN organisations o ON o.id = u.org_id
                 WHERE u.role = 'focal_point' AND u.disabled = 0 AND o.membership_status = 'member'
                   AND NOT EXISTS (SELECT 1 FROM endorsements e WHERE e.proposal_id = $1 AND e.org_id = o.id)
                 ORDER BY u.email_key",
            )
            .bind(id)
            .fetch_all(self.reader())
            .await?
            .iter()
            .map(|r| Ok((r.try_get("email")?, r.try_get("lang")?)))
            .collect::<Result<_, sqlx::Error>>()?;
            out.push(Reminder {
                proposal: ProposalId(id),
                title: r.try_get("title")?,
                closes_at: r.try_get("closes_at")?,
                time_zone: r.try_get("time_zone")?,
                to,
            });
        }
        Ok(out)
    }

    /// Queue a reminder's messages and mark the proposal reminded, in one transaction (a
    /// reminder goes out once).
    pub async fn send_reminder(
        &self,
        id: ProposalId,
        messages: &[(String, String, String)],
    ) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        let done = sqlx::query(
            "UPDATE proposals SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL",
        )
        .bind(now())
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(());
        }
        for (to, subject, body) in messages {
            crate::mail::queue_in(&mut tx, to, subject, body).await?;
        }
        self.audit(
            &mut tx,
            "remind",
            "proposal",
            &id.to_string(),
            None,
            Some(serde_json::json!({ "recipients": messages.len() })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Open proposals `org` has not answered yet (for its focal point's home page); none
    /// for an organisation that is not a member, which may not answer.
    pub async fn awaiting_answer(&self, org: OrgId, at: i64) -> Result<Vec<Proposal>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM proposals p WHERE p.outcome IS NULL AND p.opens_at <= $1 AND p.closes_at > $1
             AND NOT EXISTS (SELECT 1 FROM endorsements e WHERE e.proposal_id = p.id AND e.org_id = $2)
             AND EXISTS (SELECT 1 FROM organisations o WHERE o.id = $2 AND o.membership_status = 'member')
             ORDER BY p.closes_at, p.id",
        )
        .bind(at)
        .bind(org.0)
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(proposal_from_row).collect()
    }
}
