//! Meetings: attendance, agenda, minutes (draft → circulated → approved, then changed
//! only by recorded amendments), decisions and action items, the published summary, and
//! personal calendar feeds. Proposals and endorsement are in [`crate::proposals`].
//!
//! Every write is audited in its own transaction, like the directory's.

use crate::audit::{Key, Table};
use crate::util::now;
use crate::{Store, StoreError};
use minbar_core::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// An organisation as a meeting, an action item or a proposal names it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgRef {
    pub id: OrgId,
    pub acronym: String,
    pub name: I18nText,
}

impl OrgRef {
    /// The name to show in `lang`, else the acronym.
    pub fn label(&self, lang: Lang) -> String {
        match self.name.get_with_lang(lang) {
            Some((n, _)) => n.to_string(),
            None => self.acronym.clone(),
        }
    }
}

pub(crate) fn org_ref(r: &AnyRow, prefix: &str) -> Result<Option<OrgRef>, sqlx::Error> {
    let Some(id) = r.try_get::<Option<i64>, _>(format!("{prefix}id").as_str())? else {
        return Ok(None);
    };
    let t = |c: &str| r.try_get::<Option<String>, _>(format!("{prefix}{c}").as_str());
    Ok(Some(OrgRef {
        id: OrgId(id),
        acronym: t("acronym")?.unwrap_or_default(),
        name: I18nText {
            ar: t("name_ar")?,
            en: t("name_en")?,
            tr: t("name_tr")?,
        },
    }))
}

/// The columns [`org_ref`] reads, from organisations aliased `alias`, named `prefix…`.
pub(crate) fn org_cols(alias: &str, prefix: &str) -> String {
    ["id", "acronym", "name_ar", "name_en", "name_tr"]
        .iter()
        .map(|c| format!("{alias}.{c} AS {prefix}{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Which visibility codes an actor may see, for a `visibility IN (…)` filter; `None`
/// when they see everything (the secretariat).
pub fn visible_codes(actor: &Actor) -> Option<Vec<String>> {
    if actor.may(Action::CoordinatorContactsRead, None) {
        return None;
    }
    let mut v: Vec<String> = Visibility::ALL
        .into_iter()
        .filter(|v| actor.may_see(*v))
        .map(Visibility::code)
        .collect();
    v.extend(actor.groups.iter().map(|g| Visibility::Group(*g).code()));
    Some(v)
}

pub(crate) fn push_visible(q: &mut crate::sql::Sql, col: &str, codes: &Option<Vec<String>>) {
    if let Some(codes) = codes {
        q.push(" AND ").push(col).push(" IN ('public'");
        for c in codes {
            q.push(", ").bind(c.as_str());
        }
        q.push(")");
    }
}

/// A meeting in a list.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeetingRow {
    pub id: MeetingId,
    pub title: String,
    pub kind: MeetingKind,
    /// UTC seconds.
    pub starts_at: i64,
    pub ends_at: i64,
    pub time_zone: String,
    pub place: Option<String>,
    pub online_url: Option<String>,
    pub visibility: Visibility,
    pub minutes_state: MinutesState,
}

/// One attendee, or one person invited.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attendee {
    pub id: AttendeeId,
    pub person: Option<PersonId>,
    /// The person's name as the directory has it, or the guest's.
    pub name: I18nText,
    pub org: Option<OrgRef>,
    /// A guest body not in the directory.
    pub org_name: Option<String>,
    pub role: Option<String>,
    pub attended: bool,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgendaItem {
    pub id: AgendaItemId,
    pub position: i64,
    pub title: String,
    pub notes: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub id: DecisionId,
    pub agenda_item: Option<AgendaItemId>,
    pub text: String,
    pub vote: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionComment {
    pub by: String,
    pub body: String,
    /// The status the item was moved to with this comment, if any.
    pub status: Option<ActionStatus>,
    pub at: i64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionItem {
    pub id: ActionItemId,
    pub meeting: MeetingId,
    pub meeting_title: String,
    pub agenda_item: Option<AgendaItemId>,
    pub title: String,
    pub org: Option<OrgRef>,
    pub person: Option<PersonId>,
    pub person_name: I18nText,
    /// `YYYY-MM-DD`
    pub due: Option<String>,
    pub status: ActionStatus,
    pub version: i64,
    pub comments: Vec<ActionComment>,
}

impl ActionItem {
    /// Past its due date (before `today`, `YYYY-MM-DD`) and still open?
    pub fn overdue(&self, today: &str) -> bool {
        self.status.is_open() && self.due.as_deref().is_some_and(|d| d < today)
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Amendment {
    pub before: String,
    pub after: String,
    pub reason: String,
    pub by: String,
    pub at: i64,
}

/// A meeting with everything recorded in it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meeting {
    pub id: MeetingId,
    pub title: String,
    pub kind: MeetingKind,
    pub starts_at: i64,
    pub ends_at: i64,
    pub time_zone: String,
    pub place: Option<String>,
    pub online_url: Option<String>,
    pub visibility: Visibility,
    pub organisers: Vec<OrgRef>,
    pub invited: Vec<OrgRef>,
    pub attendees: Vec<Attendee>,
    pub agenda: Vec<AgendaItem>,
    /// Markdown.
    pub minutes: String,
    pub minutes_state: MinutesState,
    /// Send it back with an edit of the minutes: a stale one is a conflict.
    pub minutes_version: i64,
    pub approved_at: Option<i64>,
    pub amendments: Vec<Amendment>,
    pub decisions: Vec<Decision>,
    pub actions: Vec<ActionItem>,
    /// The published summary, per language (after approval).
    pub summary: I18nText,
    pub summary_visibility: Visibility,
    pub version: i64,
}

impl Meeting {
    /// Does `org` convene this meeting?
    pub fn convened_by(&self, org: Option<OrgId>) -> bool {
        org.is_some_and(|o| self.organisers.iter().any(|x| x.id == o))
    }
}

/// Which action items to list.
#[derive(Debug, Clone, Default)]
pub struct ActionFilter {
    pub org: Option<OrgId>,
    pub meeting: Option<MeetingId>,
    /// Open and in progress only.
    pub open_only: bool,
    /// Only items of meetings the reader may see.
    pub visible: Option<Vec<String>>,
}

fn parse_vis(s: &str) -> Visibility {
    Visibility::parse(s).unwrap_or(Visibility::Coordinators)
}

fn hash_token(t: &str) -> String {
    hex::encode(Sha256::digest(t.as_bytes()))
}

const ACTION_SQL: &str = "SELECT a.id, a.meeting_id, m.title AS meeting_title, a.agenda_item_id, a.title, a.person_id, p.name_ar AS p_ar, p.name_en AS p_en, a.due_date, a.status, a.version, ";

fn action_from_row(r: &AnyRow) -> Result<ActionItem, StoreError> {
    let status: String = r.try_get("status")?;
    Ok(ActionItem {
        id: ActionItemId(r.try_get("id")?),
        meeting: MeetingId(r.try_get("meeting_id")?),
        meeting_title: r.try_get("meeting_title")?,
        agenda_item: r
            .try_get::<Option<i64>, _>("agenda_item_id")?
            .map(AgendaItemId),
        title: r.try_get("title")?,
        org: org_ref(r, "o_")?,
        person: r.try_get::<Option<i64>, _>("person_id")?.map(PersonId),
        person_name: I18nText {
            ar: r.try_get("p_ar")?,
            en: r.try_get("p_en")?,
            tr: None,
        },
        due: r.try_get("due_date")?,
        status: ActionStatus::parse(&status).unwrap_or(ActionStatus::Open),
        version: r.try_get("version")?,
        comments: Vec::new(),
    })
}

impl Store {
    /// Record a new meeting with its convening and invited organisations.
    pub async fn create_meeting(&self, d: &MeetingDraft) -> Result<MeetingId, StoreError> {
        let mut tx = self.writer().begin().await?;
        let t = now();
        let r = sqlx::query(
            "INSERT INTO meetings (title, kind, starts_at, ends_at, time_zone, place, online_url, visibility, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
        )
        .bind(d.title.as_str().to_string())
        .bind(d.kind.code())
        .bind(d.starts_at)
        .bind(d.ends_at)
        .bind(d.time_zone.clone())
        .bind(d.place.as_ref().map(|p| p.as_str().to_string()))
        .bind(d.online_url.as_ref().map(|u| u.as_str().to_string()))
        .bind(d.visibility.code())
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = r.try_get("id")?;
        Self::set_meeting_orgs(&mut tx, id, d).await?;
        self.audit_row(&mut tx, "create", Table::Meetings, Key::Int(id), None)
            .await?;
        crate::outbox::record(&mut tx, "meeting", &id.to_string()).await?;
        tx.commit().await?;
        Ok(MeetingId(id))
    }

    async fn set_meeting_orgs(
        tx: &mut Transaction<'static, Any>,
        id: i64,
        d: &MeetingDraft,
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM meeting_orgs WHERE meeting_id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
        for (orgs, role) in [(&d.organisers, "organiser"), (&d.invited, "invited")] {
            for o in orgs {
                sqlx::query(
                    "INSERT INTO meeting_orgs (meeting_id, org_id, role) VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(o.0)
                .bind(role)
                .execute(&mut **tx)
                .await?;
            }
        }
        Ok(())
    }

    /// Change a meeting's details, if nobody changed them since `version` was read.
    pub async fn update_meeting(
        &self,
        id: MeetingId,
        version: i64,
        d: &MeetingDraft,
    ) -> Result<i64, StoreError> {
        let mut tx = self.writer().begin().await?;
        let before = Self::snapshot(&mut tx, Table::Meetings, Key::Int(id.0))
            .await?
            .ok_or(StoreError::NotFound)?;
        let done = sqlx::query(
            "UPDATE meetings SET title = $1, kind = $2, starts_at = $3, ends_at = $4, time_zone = $5, place = $6, online_url = $7, visibility = $8,
             version = version + 1, updated_at = $9 WHERE id = $10 AND version = $11",
        )
        .bind(d.title.as_str().to_string())
        .bind(d.kind.code())
        .bind(d.starts_at)
        .bind(d.ends_at)
        .bind(d.time_zone.clone())
        .bind(d.place.as_ref().map(|p| p.as_str().to_string()))
        .bind(d.online_url.as_ref().map(|u| u.as_str().to_string()))
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
        Self::set_meeting_orgs(&mut tx, id.0, d).await?;
        self.audit_row(
            &mut tx,
            "update",
            Table::Meetings,
            Key::Int(id.0),
            Some(before),
        )
        .await?;
        crate::outbox::record(&mut tx, "meeting", &id.to_string()).await?;
        tx.commit().await?;
        Ok(version + 1)
    }

    /// Meetings the reader may see (`visible` from [`visible_codes`]), the most recent
    /// first.
    pub async fn list_meetings(
        &self,
        visible: &Option<Vec<String>>,
        limit: i64,
    ) -> Result<Vec<MeetingRow>, StoreError> {
        let mut q = crate::sql::Sql::new(
            "SELECT id, title, kind, starts_at, ends_at, time_zone, place, online_url, visibility, minutes_state FROM meetings WHERE 1 = 1",
        );
        push_visible(&mut q, "visibility", visible);
        q.push(" ORDER BY starts_at DESC, id DESC LIMIT ")
            .bind(limit.clamp(1, 10_000));
        q.query()
            .fetch_all(self.reader())
            .await?
            .iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                let vis: String = r.try_get("visibility")?;
                let state: String = r.try_get("minutes_state")?;
                Ok(MeetingRow {
                    id: MeetingId(r.try_get("id")?),
                    title: r.try_get("title")?,
                    kind: MeetingKind::parse(&kind).unwrap_or(MeetingKind::WorkingGroup),
                    starts_at: r.try_get("starts_at")?,
                    ends_at: r.try_get("ends_at")?,
                    time_zone: r.try_get("time_zone")?,
                    place: r.try_get("place")?,
                    online_url: r.try_get("online_url")?,
                    visibility: parse_vis(&vis),
                    minutes_state: MinutesState::parse(&state).unwrap_or(MinutesState::Draft),
                })
            })
            .collect()
    }

    /// A meeting with its attendance, agenda, minutes, decisions and action items.
    pub async fn get_meeting(&self, id: MeetingId) -> Result<Meeting, StoreError> {
        let db = self.reader();
        let r = sqlx::query("SELECT * FROM meetings WHERE id = $1")
            .bind(id.0)
            .fetch_optional(db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut organisers = Vec::new();
        let mut invited = Vec::new();
        for o in sqlx::query(&format!(
            "SELECT mo.role, {} FROM meeting_orgs mo JOIN organisations o ON o.id = mo.org_id WHERE mo.meeting_id = $1 ORDER BY o.acronym",
            org_cols("o", "o_")
        ))
        .bind(id.0)
        .fetch_all(db)
        .await?
        {
            let role: String = o.try_get("role")?;
            if let Some(x) = org_ref(&o, "o_")? {
                if role == "organiser" {
                    organisers.push(x);
                } else {
                    invited.push(x);
                }
            }
        }
        let attendees = sqlx::query(&format!(
            "SELECT a.id, a.person_id, a.name, p.name_ar AS p_ar, p.name_en AS p_en, a.org_name, a.role, a.attended, {}
             FROM meeting_attendees a LEFT JOIN people p ON p.id = a.person_id LEFT JOIN organisations o ON o.id = a.org_id
             WHERE a.meeting_id = $1 ORDER BY a.id",
            org_cols("o", "o_")
        ))
        .bind(id.0)
        .fetch_all(db)
        .await?
        .iter()
        .map(|a| {
            let guest: Option<String> = a.try_get("name")?;
            let name = match a.try_get::<Option<i64>, _>("person_id")? {
                Some(_) => I18nText {
                    ar: a.try_get("p_ar")?,
                    en: a.try_get("p_en")?,
                    tr: None,
                },
                None => I18nText {
                    ar: guest.clone(),
                    en: guest.clone(),
                    tr: guest,
                },
            };
            Ok(Attendee {
                id: AttendeeId(a.try_get("id")?),
                person: a.try_get::<Option<i64>, _>("person_id")?.map(PersonId),
                name,
                org: org_ref(a, "o_")?,
                org_name: a.try_get("org_name")?,
                role: a.try_get("role")?,
                attended: a.try_get::<i64, _>("attended")? != 0,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let agenda = sqlx::query(
            "SELECT id, position, title, notes FROM agenda_items WHERE meeting_id = $1 ORDER BY position, id",
        )
        .bind(id.0)
        .fetch_all(db)
        .await?
        .iter()
        .map(|a| {
            Ok(AgendaItem {
                id: AgendaItemId(a.try_get("id")?),
                position: a.try_get("position")?,
                title: a.try_get("title")?,
                notes: a.try_get("notes")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let decisions = sqlx::query(
            "SELECT id, agenda_item_id, text, vote FROM decisions WHERE meeting_id = $1 ORDER BY id",
        )
        .bind(id.0)
        .fetch_all(db)
        .await?
        .iter()
        .map(|d| {
            Ok(Decision {
                id: DecisionId(d.try_get("id")?),
                agenda_item: d
                    .try_get::<Option<i64>, _>("agenda_item_id")?
                    .map(AgendaItemId),
                text: d.try_get("text")?,
                vote: d.try_get("vote")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let amendments = sqlx::query(
            "SELECT before_text, after_text, reason, user_email, created_at FROM minutes_amendments WHERE meeting_id = $1 ORDER BY id",
        )
        .bind(id.0)
        .fetch_all(db)
        .await?
        .iter()
        .map(|a| {
            Ok(Amendment {
                before: a.try_get("before_text")?,
                after: a.try_get("after_text")?,
                reason: a.try_get("reason")?,
                by: a.try_get("user_email")?,
                at: a.try_get("created_at")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let actions = self
            .action_items(&ActionFilter {
                meeting: Some(id),
                ..Default::default()
            })
            .await?;
        let kind: String = r.try_get("kind")?;
        let vis: String = r.try_get("visibility")?;
        let state: String = r.try_get("minutes_state")?;
        let svis: String = r.try_get("summary_visibility")?;
        Ok(Meeting {
            id,
            title: r.try_get("title")?,
            kind: MeetingKind::parse(&kind).unwrap_or(MeetingKind::WorkingGroup),
            starts_at: r.try_get("starts_at")?,
            ends_at: r.try_get("ends_at")?,
            time_zone: r.try_get("time_zone")?,
            place: r.try_get("place")?,
            online_url: r.try_get("online_url")?,
            visibility: parse_vis(&vis),
            organisers,
            invited,
            attendees,
            agenda,
            minutes: r.try_get("minutes")?,
            minutes_state: MinutesState::parse(&state).unwrap_or(MinutesState::Draft),
            minutes_version: r.try_get("minutes_version")?,
            approved_at: r.try_get("approved_at")?,
            amendments,
            decisions,
            actions,
            summary: I18nText {
                ar: r.try_get("summary_ar")?,
                en: r.try_get("summary_en")?,
                tr: r.try_get("summary_tr")?,
            },
            summary_visibility: parse_vis(&svis),
            version: r.try_get("version")?,
        })
    }

    /// Every organisation, for pickers: reference, kind code, membership status code;
    /// by acronym.
    pub async fn org_refs(&self) -> Result<Vec<(OrgRef, String, String)>, StoreError> {
        sqlx::query(&format!(
            "SELECT o.kind, o.membership_status, {} FROM organisations o ORDER BY o.acronym",
            org_cols("o", "o_")
        ))
        .fetch_all(self.reader())
        .await?
        .iter()
        .filter_map(|r| match org_ref(r, "o_") {
            Ok(Some(o)) => Some(Ok((
                o,
                r.try_get("kind").unwrap_or_default(),
                r.try_get("membership_status").unwrap_or_default(),
            ))),
            Ok(None) => None,
            Err(e) => Some(Err(StoreError::from(e))),
        })
        .collect()
    }

    /// Every person, for pickers: id and names.
    pub async fn person_refs(&self) -> Result<Vec<(PersonId, I18nText)>, StoreError> {
        sqlx::query("SELECT id, name_ar, name_en FROM people ORDER BY search_key, id")
            .fetch_all(self.reader())
            .await?
            .iter()
            .map(|r| {
                Ok((
                    PersonId(r.try_get("id")?),
                    I18nText {
                        ar: r.try_get("name_ar")?,
                        en: r.try_get("name_en")?,
                        tr: None,
                    },
                ))
            })
            .collect()
    }

    /// The visibility of a meeting (for a permission check before anything else is read).
    pub async fn meeting_visibility(&self, id: MeetingId) -> Result<Visibility, StoreError> {
        let v: String = sqlx::query("SELECT visibility FROM meetings WHERE id = $1")
            .bind(id.0)
            .fetch_optional(self.reader())
            .await?
            .ok_or(StoreError::NotFound)?
            .try_get("visibility")?;
        Ok(parse_vis(&v))
    }

    /// Record a sub-row change as an entry on the meeting.
    async fn audit_meeting(
        &self,
        tx: &mut Transaction<'static, Any>,
        action: &str,
        id: MeetingId,
        after: serde_json::Value,
    ) -> Result<(), StoreError> {
        self.audit(tx, action, "meeting", &id.to_string(), None, Some(after))
            .await
    }

    async fn meeting_exists(
        tx: &mut Transaction<'static, Any>,
        id: MeetingId,
    ) -> Result<String, StoreError> {
        let r = sqlx::query("SELECT minutes_state FROM meetings WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(r.try_get("minutes_state")?)
    }

    /// Add an attendee (or invited person) to a meeting.
    pub async fn add_attendee(
        &self,
        meeting: MeetingId,
        a: &AttendeeDraft,
    ) -> Result<AttendeeId, StoreError> {
        let mut tx = self.writer().begin().await?;
        Self::meeting_exists(&mut tx, meeting).await?;
        let r = sqlx::query(
            "INSERT INTO meeting_attendees (meeting_id, person_id, name, org_id, org_name, role, attended) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(meeting.0)
        .bind(a.person.map(|p| p.0))
        .bind(a.name.as_ref().map(|n| n.as_str().to_string()))
        .bind(a.org.map(|o| o.0))
        .bind(a.org_name.as_ref().map(|n| n.as_str().to_string()))
        .bind(a.role.as_ref().map(|n| n.as_str().to_string()))
        .bind(i64::from(a.attended))
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = r.try_get("id")?;
        let after = serde_json::json!({
            "attendee": id, "person_id": a.person.map(|p| p.0),
            "name": a.name.as_ref().map(|n| n.as_str()), "org_id": a.org.map(|o| o.0),
            "org_name": a.org_name.as_ref().map(|n| n.as_str()),
            "role": a.role.as_ref().map(|n| n.as_str()), "attended": a.attended,
        });
        self.audit_meeting(&mut tx, "add_attendee", meeting, after)
            .await?;
        tx.commit().await?;
        Ok(AttendeeId(id))
    }

    /// Take an attendee off a meeting's list.
    pub async fn remove_attendee(
        &self,
        meeting: MeetingId,
        attendee: AttendeeId,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        let done = sqlx::query("DELETE FROM meeting_attendees WHERE id = $1 AND meeting_id = $2")
            .bind(attendee.0)
            .bind(meeting.0)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        self.audit(
            &mut tx,
            "remove_attendee",
            "meeting",
            &meeting.to_string(),
            Some(serde_json::json!({ "attendee": attendee.0 })),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Add an agenda item at the end of the agenda.
    pub async fn add_agenda_item(
        &self,
        meeting: MeetingId,
        title: &Name,
        notes: &str,
    ) -> Result<AgendaItemId, StoreError> {
        let notes =
            MinutesText::parse(notes).map_err(|e| StoreError::invalid("notes", e.code()))?;
        let mut tx = self.writer().begin().await?;
        Self::record_open(&mut tx, meeting).await?;
        let pos: i64 = sqlx::query(
            "SELECT COALESCE(MAX(position), 0) + 1 AS p FROM agenda_items WHERE meeting_id = $1",
        )
        .bind(meeting.0)
        .fetch_one(&mut *tx)
        .await?
        .try_get("p")?;
        let r = sqlx::query(
            "INSERT INTO agenda_items (meeting_id, position, title, notes) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(meeting.0)
        .bind(pos)
        .bind(title.as_str().to_string())
        .bind(notes.as_str().to_string())
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = r.try_get("id")?;
        let after = serde_json::json!({ "agenda_item": id, "position": pos, "title": title.as_str(), "notes": notes.as_str() });
        self.audit_meeting(&mut tx, "add_agenda_item", meeting, after)
            .await?;
        crate::outbox::record(&mut tx, "meeting", &meeting.to_string()).await?;
        tx.commit().await?;
        Ok(AgendaItemId(id))
    }

    /// Refuse an organisation that is no longer an active member (former or
    /// suspended) for an action item: `org_not_active`.
    async fn check_org_active(
        tx: &mut Transaction<'static, Any>,
        org: OrgId,
    ) -> Result<(), StoreError> {
        let status: String =
            sqlx::query("SELECT membership_status FROM organisations WHERE id = $1")
                .bind(org.0)
                .fetch_optional(&mut **tx)
                .await?
                .ok_or_else(|| StoreError::invalid("org_id", "reference_unknown"))?
                .try_get("membership_status")?;
        if matches!(status.as_str(), "former" | "suspended") {
            return Err(StoreError::invalid("org_id", "org_not_active"));
        }
        Ok(())
    }

    async fn check_agenda_item(
        tx: &mut Transaction<'static, Any>,
        meeting: MeetingId,
        item: Option<AgendaItemId>,
    ) -> Result<(), StoreError> {
        if let Some(a) = item {
            sqlx::query("SELECT 1 AS x FROM agenda_items WHERE id = $1 AND meeting_id = $2")
                .bind(a.0)
                .bind(meeting.0)
                .fetch_optional(&mut **tx)
                .await?
                .ok_or_else(|| StoreError::invalid("agenda_item", "reference_unknown"))?;
        }
        Ok(())
    }

    /// Refuse a change to what a meeting recorded once its minutes are approved (the
    /// record is then changed only by an amendment of the minutes).
    async fn record_open(
        tx: &mut Transaction<'static, Any>,
        meeting: MeetingId,
    ) -> Result<(), StoreError> {
        let state = Self::meeting_exists(tx, meeting).await?;
        if state == MinutesState::Approved.code() {
            return Err(StoreError::invalid(
                "minutes",
                DomainError::MinutesLocked.code(),
            ));
        }
        Ok(())
    }

    /// Correct an agenda item (until the minutes are approved).
    pub async fn update_agenda_item(
        &self,
        meeting: MeetingId,
        item: AgendaItemId,
        title: &Name,
        notes: &str,
    ) -> Result<(), StoreError> {
        let notes =
            MinutesText::parse(notes).map_err(|e| StoreError::invalid("notes", e.code()))?;
        let mut tx = self.writer().begin().await?;
        Self::record_open(&mut tx, meeting).await?;
        let before =
            sqlx::query("SELECT title, notes FROM agenda_items WHERE id = $1 AND meeting_id = $2")
                .bind(item.0)
                .bind(meeting.0)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
        let before = serde_json::json!({
            "agenda_item": item.0,
            "title": before.try_get::<String, _>("title")?,
            "notes": before.try_get::<String, _>("notes")?,
        });
        sqlx::query("UPDATE agenda_items SET title = $1, notes = $2 WHERE id = $3")
            .bind(title.as_str().to_string())
            .bind(notes.as_str().to_string())
            .bind(item.0)
            .execute(&mut *tx)
            .await?;
        let after = serde_json::json!({ "agenda_item": item.0, "title": title.as_str(), "notes": notes.as_str() });
        self.audit(
            &mut tx,
            "edit_agenda_item",
            "meeting",
            &meeting.to_string(),
            Some(before),
            Some(after),
        )
        .await?;
        crate::outbox::record(&mut tx, "meeting", &meeting.to_string()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Remove an agenda item (until the minutes are approved); what was recorded under
    /// it stays, no longer attached to an item.
    /// Move an agenda item one place up (or down), swapping it with its neighbour; at
    /// the top (or bottom) nothing moves. Refused once the minutes are approved.
    pub async fn move_agenda_item(
        &self,
        meeting: MeetingId,
        item: AgendaItemId,
        up: bool,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        Self::record_open(&mut tx, meeting).await?;
        let r = sqlx::query("SELECT position FROM agenda_items WHERE id = $1 AND meeting_id = $2")
            .bind(item.0)
            .bind(meeting.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let pos: i64 = r.try_get("position")?;
        let neighbour = sqlx::query(if up {
            "SELECT id, position FROM agenda_items WHERE meeting_id = $1 AND position < $2 ORDER BY position DESC LIMIT 1"
        } else {
            "SELECT id, position FROM agenda_items WHERE meeting_id = $1 AND position > $2 ORDER BY position LIMIT 1"
        })
        .bind(meeting.0)
        .bind(pos)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(n) = neighbour else {
            return Ok(());
        };
        let (other, other_pos): (i64, i64) = (n.try_get("id")?, n.try_get("position")?);
        for (id, p) in [(item.0, other_pos), (other, pos)] {
            sqlx::query("UPDATE agenda_items SET position = $1 WHERE id = $2")
                .bind(p)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let after = serde_json::json!({ "agenda_item": item.0, "from": pos, "to": other_pos });
        self.audit(
            &mut tx,
            "move_agenda_item",
            "meeting",
            &meeting.to_string(),
            None,
            Some(after),
        )
        .await?;
        crate::outbox::record(&mut tx, "meeting", &meeting.to_string()).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_agenda_item(
        &self,
        meeting: MeetingId,
        item: AgendaItemId,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        Self::record_open(&mut tx, meeting).await?;
        let r = sqlx::query("SELECT title FROM agenda_items WHERE id = $1 AND meeting_id = $2")
            .bind(item.0)
            .bind(meeting.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let title: String = r.try_get("title")?;
        for table in ["decisions", "action_items", "proposals"] {
            sqlx::query(&format!(
                "UPDATE {table} SET agenda_item_id = NULL WHERE agenda_item_id = $1"
            ))
            .bind(item.0)
            .execute(&mut *tx)
            .await?;
        }
        // its papers go with it
        sqlx::query("DELETE FROM attachments WHERE owner_kind = 'agenda_item' AND owner_id = $1")
            .bind(item.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM agenda_items WHERE id = $1")
            .bind(item.0)
            .execute(&mut *tx)
            .await?;
        let before = serde_json::json!({ "agenda_item": item.0, "title": title });
        self.audit(
            &mut tx,
            "remove_agenda_item",
            "meeting",
            &meeting.to_string(),
            Some(before),
            None,
        )
        .await?;
        crate::outbox::record(&mut tx, "meeting", &meeting.to_string()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Correct a decision (until the minutes are approved).
    pub async fn update_decision(
        &self,
        meeting: MeetingId,
        decision: DecisionId,
        d: &DecisionDraft,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        Self::record_open(&mut tx, meeting).await?;
        Self::check_agenda_item(&mut tx, meeting, d.agenda_item).await?;
        let r = sqlx::query("SELECT text, vote FROM decisions WHERE id = $1 AND meeting_id = $2")
            .bind(decision.0)
            .bind(meeting.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let before = serde_json::json!({
            "decision": decision.0,
            "text": r.try_get::<String, _>("text")?,
            "vote": r.try_get::<Option<String>, _>("vote")?,
        });
        sqlx::query("UPDATE decisions SET text = $1, vote = $2, agenda_item_id = $3 WHERE id = $4")
            .bind(d.text.clone())
            .bind(d.vote.as_ref().map(|v| v.as_str().to_string()))
            .bind(d.agenda_item.map(|a| a.0))
            .bind(decision.0)
            .execute(&mut *tx)
            .await?;
        let after = serde_json::json!({ "decision": decision.0, "text": d.text, "vote": d.vote.as_ref().map(|v| v.as_str()) });
        self.audit(
            &mut tx,
            "edit_decision",
            "meeting",
            &meeting.to_string(),
            Some(before),
            Some(after),
        )
        .await?;
        crate::outbox::record(&mut tx, "meeting", &meeting.to_string()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Remove a decision recorded by mistake (until the minutes are approved).
    pub async fn delete_decision(
        &self,
        meeting: MeetingId,
        decision: DecisionId,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        Self::record_open(&mut tx, meeting).await?;
        let r = sqlx::query("SELECT text FROM decisions WHERE id = $1 AND meeting_id = $2")
            .bind(decision.0)
            .bind(meeting.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let before =
            serde_json::json!({ "decision": decision.0, "text": r.try_get::<String, _>("text")? });
        sqlx::query("DELETE FROM decisions WHERE id = $1")
            .bind(decision.0)
            .execute(&mut *tx)
            .await?;
        self.audit(
            &mut tx,
            "remove_decision",
            "meeting",
            &meeting.to_string(),
            Some(before),
            None,
        )
        .await?;
        crate::outbox::record(&mut tx, "meeting", &meeting.to_string()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Change what an action item asks, of whom and by when, if nobody changed it since
    /// `version` was read (its status moves with [`Store::update_action`]). Refused for
    /// an organisation that is no longer a member.
    pub async fn edit_action(
        &self,
        id: ActionItemId,
        version: i64,
        d: &ActionDraft,
    ) -> Result<i64, StoreError> {
        let mut tx = self.writer().begin().await?;
        let before = Self::snapshot(&mut tx, Table::ActionItems, Key::Int(id.0))
            .await?
            .ok_or(StoreError::NotFound)?;
        let meeting = MeetingId(before["meeting_id"].as_i64().unwrap_or(0));
        Self::check_agenda_item(&mut tx, meeting, d.agenda_item).await?;
        if let Some(o) = d.org {
            Self::check_org_active(&mut tx, o).await?;
        }
        let done = sqlx::query(
            "UPDATE action_items SET title = $1, org_id = $2, person_id = $3, due_date = $4, agenda_item_id = $5, version = version + 1, updated_at = $6
             WHERE id = $7 AND version = $8",
        )
        .bind(d.title.as_str().to_string())
        .bind(d.org.map(|o| o.0))
        .bind(d.person.map(|p| p.0))
        .bind(d.due.as_ref().map(|x| x.as_str().to_string()))
        .bind(d.agenda_item.map(|a| a.0))
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
            "edit",
            Table::ActionItems,
            Key::Int(id.0),
            Some(before),
        )
        .await?;
        tx.commit().await?;
        Ok(version + 1)
    }

    /// Record a decision.
    pub async fn add_decision(
        &self,
        meeting: MeetingId,
        d: &DecisionDraft,
    ) -> Result<DecisionId, StoreError> {
        let mut tx = self.writer().begin().await?;
        Self::record_open(&mut tx, meeting).await?;
        Self::check_agenda_item(&mut tx, meeting, d.agenda_item).await?;
        let r = sqlx::query(
            "INSERT INTO decisions (meeting_id, agenda_item_id, text, vote, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(meeting.0)
        .bind(d.agenda_item.map(|a| a.0))
        .bind(d.text.clone())
        .bind(d.vote.as_ref().map(|v| v.as_str().to_string()))
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = r.try_get("id")?;
        let after = serde_json::json!({ "decision": id, "text": d.text, "vote": d.vote.as_ref().map(|v| v.as_str()) });
        self.audit_meeting(&mut tx, "add_decision", meeting, after)
            .await?;
        crate::outbox::record(&mut tx, "meeting", &meeting.to_string()).await?;
        tx.commit().await?;
        Ok(DecisionId(id))
    }

    /// Record an action item. Refused for an organisation that is no longer a member
    /// (former or suspended): `org_not_active`.
    pub async fn add_action(
        &self,
        meeting: MeetingId,
        d: &ActionDraft,
    ) -> Result<ActionItemId, StoreError> {
        let mut tx = self.writer().begin().await?;
        Self::meeting_exists(&mut tx, meeting).await?;
        Self::check_agenda_item(&mut tx, meeting, d.agenda_item).await?;
        if let Some(o) = d.org {
            Self::check_org_active(&mut tx, o).await?;
        }
        let t = now();
        let r = sqlx::query(
            "INSERT INTO action_items (meeting_id, agenda_item_id, title, org_id, person_id, due_date, status, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $7) RETURNING id",
        )
        .bind(meeting.0)
        .bind(d.agenda_item.map(|a| a.0))
        .bind(d.title.as_str().to_string())
        .bind(d.org.map(|o| o.0))
        .bind(d.person.map(|p| p.0))
        .bind(d.due.as_ref().map(|x| x.as_str().to_string()))
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = r.try_get("id")?;
        // the organisation it is for hears of it, if the meeting is shown to members
        let vis: String = sqlx::query("SELECT visibility FROM meetings WHERE id = $1")
            .bind(meeting.0)
            .fetch_one(&mut *tx)
            .await?
            .try_get("visibility")?;
        if let (Some(o), true) = (
            d.org,
            crate::notifications::reaches_members(parse_vis(&vis)),
        ) {
            let link = format!("/meetings/{meeting}#action-{id}");
            crate::notifications::to_org(&mut tx, o.0, "action_item", &link, d.title.as_str())
                .await?;
        }
        self.audit_row(&mut tx, "create", Table::ActionItems, Key::Int(id), None)
            .await?;
        tx.commit().await?;
        Ok(ActionItemId(id))
    }

    /// One action item.
    pub async fn get_action(&self, id: ActionItemId) -> Result<ActionItem, StoreError> {
        let sql = format!(
            "{ACTION_SQL}{} FROM action_items a JOIN meetings m ON m.id = a.meeting_id LEFT JOIN organisations o ON o.id = a.org_id LEFT JOIN people p ON p.id = a.person_id WHERE a.id = $1",
            org_cols("o", "o_")
        );
        let r = sqlx::query(&sql)
            .bind(id.0)
            .fetch_optional(self.reader())
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut a = action_from_row(&r)?;
        a.comments = self
            .action_comments(&[id.0])
            .await?
            .remove(&id.0)
            .unwrap_or_default();
        Ok(a)
    }

    async fn action_comments(
        &self,
        ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, Vec<ActionComment>>, StoreError> {
        let mut out: std::collections::HashMap<i64, Vec<ActionComment>> = Default::default();
        if ids.is_empty() {
            return Ok(out);
        }
        let mut q = crate::sql::Sql::new(
            "SELECT action_item_id, user_email, body, status, created_at FROM action_item_comments WHERE action_item_id IN (",
        );
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(*id);
        }
        q.push(") ORDER BY id");
        for r in q.query().fetch_all(self.reader()).await? {
            let status: Option<String> = r.try_get("status")?;
            out.entry(r.try_get("action_item_id")?)
                .or_default()
                .push(ActionComment {
                    by: r.try_get("user_email")?,
                    body: r.try_get("body")?,
                    status: status.and_then(|s| ActionStatus::parse(&s).ok()),
                    at: r.try_get("created_at")?,
                });
        }
        Ok(out)
    }

    /// Action items matching `f`: by due date (undated last), then by id.
    pub async fn action_items(&self, f: &ActionFilter) -> Result<Vec<ActionItem>, StoreError> {
        let mut q = crate::sql::Sql::new(&format!(
            "{ACTION_SQL}{} FROM action_items a JOIN meetings m ON m.id = a.meeting_id LEFT JOIN organisations o ON o.id = a.org_id LEFT JOIN people p ON p.id = a.person_id WHERE 1 = 1",
            org_cols("o", "o_")
        ));
        if let Some(o) = f.org {
            q.push(" AND a.org_id = ").bind(o.0);
        }
        if let Some(m) = f.meeting {
            q.push(" AND a.meeting_id = ").bind(m.0);
        }
        if f.open_only {
            q.push(" AND a.status IN ('open', 'in_progress')");
        }
        push_visible(&mut q, "m.visibility", &f.visible);
        q.push(
            " ORDER BY CASE WHEN a.due_date IS NULL THEN 1 ELSE 0 END, a.due_date, a.id LIMIT 5000",
        );
        let mut items = q
            .query()
            .fetch_all(self.reader())
            .await?
            .iter()
            .map(action_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        let ids: Vec<i64> = items.iter().map(|a| a.id.0).collect();
        let mut comments = self.action_comments(&ids).await?;
        for a in &mut items {
            a.comments = comments.remove(&a.id.0).unwrap_or_default();
        }
        Ok(items)
    }

    /// Move an action item along and/or comment on it, if nobody changed it since
    /// `version` was read.
    pub async fn update_action(
        &self,
        id: ActionItemId,
        version: i64,
        status: Option<ActionStatus>,
        comment: &str,
    ) -> Result<i64, StoreError> {
        let comment = LongText::parse_optional(comment)
            .map_err(|e| StoreError::invalid("comment", e.code()))?;
        let mut tx = self.writer().begin().await?;
        let before = Self::snapshot(&mut tx, Table::ActionItems, Key::Int(id.0))
            .await?
            .ok_or(StoreError::NotFound)?;
        let current = before["version"].as_i64().unwrap_or(0);
        if current != version {
            return Err(StoreError::Conflict { current });
        }
        if status.is_none() && comment.is_none() {
            return Ok(version);
        }
        if let Some(s) = status {
            sqlx::query("UPDATE action_items SET status = $1, version = version + 1, updated_at = $2 WHERE id = $3")
                .bind(s.code())
                .bind(now())
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
        } else {
            sqlx::query(
                "UPDATE action_items SET version = version + 1, updated_at = $1 WHERE id = $2",
            )
            .bind(now())
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(c) = &comment {
            sqlx::query(
                "INSERT INTO action_item_comments (action_item_id, user_email, body, status, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id.0)
            .bind(self.who().email)
            .bind(c.clone().into_inner())
            .bind(status.map(|s| s.code()))
            .bind(now())
            .execute(&mut *tx)
            .await?;
        }
        self.audit_row(
            &mut tx,
            "update",
            Table::ActionItems,
            Key::Int(id.0),
            Some(before),
        )
        .await?;
        tx.commit().await?;
        Ok(version + 1)
    }

    /// Save the minutes, if nobody saved them since `version` was read (else a conflict
    /// naming the current version: the caller shows both texts, nothing is lost).
    /// Approved minutes are locked: see [`Store::amend_minutes`].
    pub async fn save_minutes(
        &self,
        id: MeetingId,
        version: i64,
        text: &MinutesText,
    ) -> Result<i64, StoreError> {
        let mut tx = self.writer().begin().await?;
        let r = sqlx::query(
            "SELECT minutes, minutes_state, minutes_version FROM meetings WHERE id = $1",
        )
        .bind(id.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let state: String = r.try_get("minutes_state")?;
        let current: i64 = r.try_get("minutes_version")?;
        if state == MinutesState::Approved.code() {
            return Err(StoreError::invalid(
                "minutes",
                DomainError::MinutesLocked.code(),
            ));
        }
        if current != version {
            return Err(StoreError::Conflict { current });
        }
        let before: String = r.try_get("minutes")?;
        if before == text.as_str() {
            return Ok(version);
        }
        sqlx::query("UPDATE meetings SET minutes = $1, minutes_version = minutes_version + 1, updated_at = $2 WHERE id = $3")
            .bind(text.as_str().to_string())
            .bind(now())
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        self.audit(
            &mut tx,
            "edit_minutes",
            "meeting",
            &id.to_string(),
            Some(serde_json::json!({ "minutes": before })),
            Some(serde_json::json!({ "minutes": text.as_str() })),
        )
        .await?;
        crate::outbox::record(&mut tx, "meeting", &id.to_string()).await?;
        tx.commit().await?;
        Ok(version + 1)
    }

    /// Move the minutes to `to` (circulate, send back to draft, approve).
    pub async fn move_minutes(&self, id: MeetingId, to: MinutesState) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        let state = Self::meeting_exists(&mut tx, id).await?;
        let from = MinutesState::parse(&state).unwrap_or(MinutesState::Draft);
        from.may_become(to)
            .map_err(|e| StoreError::invalid("minutes_state", e.code()))?;
        let t = now();
        sqlx::query("UPDATE meetings SET minutes_state = $1, approved_at = $2, updated_at = $3 WHERE id = $4")
            .bind(to.code())
            .bind((to == MinutesState::Approved).then_some(t))
            .bind(t)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        self.audit(
            &mut tx,
            "move_minutes",
            "meeting",
            &id.to_string(),
            Some(serde_json::json!({ "minutes_state": from.code() })),
            Some(serde_json::json!({ "minutes_state": to.code() })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Amend approved minutes: the change, its reason and who made it are kept beside
    /// them for everyone who reads them.
    pub async fn amend_minutes(
        &self,
        id: MeetingId,
        version: i64,
        text: &MinutesText,
        reason: &str,
    ) -> Result<i64, StoreError> {
        let reason = Name::parse(reason).map_err(|e| StoreError::invalid("reason", e.code()))?;
        let mut tx = self.writer().begin().await?;
        let r = sqlx::query(
            "SELECT minutes, minutes_state, minutes_version FROM meetings WHERE id = $1",
        )
        .bind(id.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let state: String = r.try_get("minutes_state")?;
        let current: i64 = r.try_get("minutes_version")?;
        if state != MinutesState::Approved.code() {
            return Err(StoreError::invalid(
                "minutes",
                DomainError::MinutesNotApproved.code(),
            ));
        }
        if current != version {
            return Err(StoreError::Conflict { current });
        }
        let before: String = r.try_get("minutes")?;
        let by = self.who().email;
        sqlx::query(
            "INSERT INTO minutes_amendments (meeting_id, before_text, after_text, reason, user_email, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id.0)
        .bind(before.clone())
        .bind(text.as_str().to_string())
        .bind(reason.as_str().to_string())
        .bind(by)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE meetings SET minutes = $1, minutes_version = minutes_version + 1, updated_at = $2 WHERE id = $3")
            .bind(text.as_str().to_string())
            .bind(now())
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        self.audit(
            &mut tx,
            "amend_minutes",
            "meeting",
            &id.to_string(),
            Some(serde_json::json!({ "minutes": before })),
            Some(serde_json::json!({ "minutes": text.as_str(), "reason": reason.as_str() })),
        )
        .await?;
        crate::outbox::record(&mut tx, "meeting", &id.to_string()).await?;
        tx.commit().await?;
        Ok(version + 1)
    }

    /// Write the published summary (the press release) of approved minutes, in the
    /// languages given, visible to `visibility`.
    pub async fn set_summary(
        &self,
        id: MeetingId,
        summary: &I18nText,
        visibility: Visibility,
    ) -> Result<(), StoreError> {
        let mut e = FieldErrors::default();
        let mut clean = |lang: &str, s: &Option<String>| -> Option<String> {
            let v = e.take(
                &format!("summary_{lang}"),
                MinutesText::parse(s.as_deref().unwrap_or("")),
            )?;
            (!v.as_str().trim().is_empty()).then(|| v.as_str().to_string())
        };
        let (ar, en, tr) = (
            clean("ar", &summary.ar),
            clean("en", &summary.en),
            clean("tr", &summary.tr),
        );
        if !e.is_empty() {
            return Err(StoreError::Invalid(e));
        }
        let mut tx = self.writer().begin().await?;
        let state = Self::meeting_exists(&mut tx, id).await?;
        if state != MinutesState::Approved.code() {
            return Err(StoreError::invalid(
                "summary",
                DomainError::MinutesNotApproved.code(),
            ));
        }
        let before = Self::snapshot(&mut tx, Table::Meetings, Key::Int(id.0)).await?;
        sqlx::query("UPDATE meetings SET summary_ar = $1, summary_en = $2, summary_tr = $3, summary_visibility = $4, updated_at = $5 WHERE id = $6")
            .bind(ar)
            .bind(en)
            .bind(tr)
            .bind(visibility.code())
            .bind(now())
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        self.audit_row(
            &mut tx,
            "publish_summary",
            Table::Meetings,
            Key::Int(id.0),
            before,
        )
        .await?;
        crate::outbox::record(&mut tx, "meeting", &id.to_string()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Who a meeting's invitation goes to: the focal points of the convening and invited
    /// organisations, and the people on its list whose e-mail the directory has; each
    /// address once, with the language its account chose for e-mail (none for an address
    /// without an account).
    pub async fn meeting_invitees(
        &self,
        id: MeetingId,
    ) -> Result<Vec<(String, Option<String>)>, StoreError> {
        let mut out: Vec<String> = sqlx::query(
            "SELECT u.email FROM users u JOIN meeting_orgs mo ON mo.org_id = u.org_id
             WHERE mo.meeting_id = $1 AND u.role = 'focal_point' AND u.disabled = 0",
        )
        .bind(id.0)
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(|r| r.try_get("email"))
        .collect::<Result<_, _>>()?;
        for r in sqlx::query(
            "SELECT p.email FROM meeting_attendees a JOIN people p ON p.id = a.person_id
             WHERE a.meeting_id = $1 AND p.email IS NOT NULL",
        )
        .bind(id.0)
        .fetch_all(self.reader())
        .await?
        {
            out.push(r.try_get("email")?);
        }
        let mut seen = std::collections::HashSet::new();
        out.retain(|e| seen.insert(e.to_ascii_lowercase()));
        out.sort_by_key(|e| e.to_ascii_lowercase());
        let mut with_lang = Vec::with_capacity(out.len());
        for e in out {
            let lang = match Email::parse(&e) {
                Ok(parsed) => {
                    sqlx::query("SELECT lang FROM users WHERE email_key = $1 AND disabled = 0")
                        .bind(parsed.key())
                        .fetch_optional(self.reader())
                        .await?
                        .map(|r| r.try_get("lang"))
                        .transpose()?
                }
                Err(_) => None,
            };
            with_lang.push((e, lang));
        }
        Ok(with_lang)
    }

    /// Queue a meeting's invitation messages (to, subject, body) and record that they
    /// went, in one transaction.
    pub async fn send_meeting_invitations(
        &self,
        id: MeetingId,
        messages: &[(String, String, String)],
    ) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        Self::meeting_exists(&mut tx, id).await?;
        for (to, subject, body) in messages {
            crate::mail::queue_in(&mut tx, to, subject, body).await?;
        }
        let to: Vec<&str> = messages.iter().map(|m| m.0.as_str()).collect();
        self.audit_meeting(&mut tx, "invite", id, serde_json::json!({ "to": to }))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A new secret for `user`'s calendar feed (the old one stops working). Only its hash
    /// is kept.
    pub async fn new_calendar_token(&self, user: UserId) -> Result<String, StoreError> {
        use rand::RngCore;
        let mut b = [0u8; 24];
        rand::thread_rng().fill_bytes(&mut b);
        let token = hex::encode(b);
        let mut tx = self.writer().begin().await?;
        sqlx::query("DELETE FROM calendar_tokens WHERE user_id = $1")
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO calendar_tokens (user_id, token_hash, created_at) VALUES ($1, $2, $3)",
        )
        .bind(user.0)
        .bind(hash_token(&token))
        .bind(now())
        .execute(&mut *tx)
        .await?;
        self.audit(
            &mut tx,
            "new_calendar_token",
            "user",
            &user.to_string(),
            None,
            Some(serde_json::json!({})),
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The account a calendar feed secret belongs to (a disabled account has none).
    pub async fn calendar_user(
        &self,
        token: &str,
    ) -> Result<Option<crate::accounts::User>, StoreError> {
        let Some(id) = self.calendar_user_id(token).await? else {
            return Ok(None);
        };
        let mut u = self.get_user(id).await?;
        if let Some(u) = &mut u {
            u.groups = self.groups_of(u.id).await?;
        }
        Ok(u)
    }

    async fn calendar_user_id(&self, token: &str) -> Result<Option<UserId>, StoreError> {
        if token.len() != 48 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        Ok(sqlx::query(
            "SELECT c.user_id FROM calendar_tokens c JOIN users u ON u.id = c.user_id WHERE c.token_hash = $1 AND u.disabled = 0",
        )
        .bind(hash_token(&token.to_ascii_lowercase()))
        .fetch_optional(self.reader())
        .await?
        .map(|r| r.try_get::<i64, _>("user_id").map(UserId))
        .transpose()?)
    }
}
