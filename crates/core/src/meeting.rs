//! Meetings and what comes out of them: minutes (draft → circulated → approved, then
//! locked), decisions, action items, and proposals put to the member organisations for
//! endorsement (the rules of endorsement are in [`crate::endorsement`]).
//!
//! Times: a meeting is set in a time zone (`Europe/Istanbul`, `Asia/Damascus`) and
//! stored as UTC seconds; the tz database is compiled in.

use crate::endorsement::{Rules, Share, Threshold, Window};
use crate::error::{DomainError, FieldErrors};
use crate::ids::{AgendaItemId, MeetingId, OrgId, PersonId};
use crate::values::{Date, LongText, Name, Visibility, WebUrl};
use serde::{Deserialize, Serialize};

code_enum!(
    /// What kind of meeting.
    MeetingKind, DomainError::MeetingKindInvalid, {
    GeneralAssembly => "general_assembly",
    Board => "board",
    WorkingGroup => "working_group",
    Bilateral => "bilateral",
    Consultation => "consultation",
});

code_enum!(
    /// Where a meeting's minutes stand.
    MinutesState, DomainError::MinutesStateInvalid, {
    Draft => "draft",
    Circulated => "circulated",
    Approved => "approved",
});

code_enum!(
    /// Where an action item stands.
    ActionStatus, DomainError::ActionStatusInvalid, {
    Open => "open",
    InProgress => "in_progress",
    Done => "done",
    Dropped => "dropped",
});

code_enum!(
    /// What a proposal asks of the network.
    ProposalKind, DomainError::ProposalKindInvalid, {
    JointInitiative => "joint_initiative",
    JointPosition => "joint_position",
    PartnerRequest => "partner_request",
});

code_enum!(
    /// An organisation's answer to a proposal, as written in forms and the API.
    AnswerCode, DomainError::AnswerInvalid, {
    Support => "support",
    Object => "object",
    Abstain => "abstain",
});

impl AnswerCode {
    pub fn answer(self) -> crate::endorsement::Answer {
        use crate::endorsement::Answer;
        match self {
            AnswerCode::Support => Answer::Support,
            AnswerCode::Object => Answer::Object,
            AnswerCode::Abstain => Answer::Abstain,
        }
    }
}

impl MinutesState {
    /// May minutes in this state move to `to`? Draft → circulated (for comments) → back
    /// to draft, or → approved. Approved minutes are locked: they change only by an
    /// amendment, never by a move.
    pub fn may_become(self, to: MinutesState) -> Result<(), DomainError> {
        use MinutesState::*;
        match (self, to) {
            (Draft, Circulated) | (Circulated, Draft) | (Circulated, Approved) => Ok(()),
            (Approved, _) => Err(DomainError::MinutesLocked),
            _ => Err(DomainError::MinutesStateInvalid),
        }
    }
}

impl ActionStatus {
    /// Still to be done (open or in progress)?
    pub fn is_open(self) -> bool {
        matches!(self, ActionStatus::Open | ActionStatus::InProgress)
    }
}

/// The time zone meetings are set in unless another is chosen: the network's secretariat
/// is in Türkiye.
pub const DEFAULT_TIME_ZONE: &str = "Europe/Istanbul";

fn western_digits(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| match c {
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
            c => c,
        })
        .collect()
}

/// A time zone of the tz database, by its name (`Europe/Istanbul`); an empty name is
/// [`DEFAULT_TIME_ZONE`].
pub fn time_zone(name: &str) -> Result<String, DomainError> {
    let n = name.trim();
    let n = if n.is_empty() { DEFAULT_TIME_ZONE } else { n };
    if n.len() > 64 {
        return Err(DomainError::TimeZoneInvalid);
    }
    let tz = jiff::tz::TimeZone::get(n).map_err(|_| DomainError::TimeZoneInvalid)?;
    Ok(tz.iana_name().unwrap_or(n).to_string())
}

/// A wall-clock time in a time zone (`2026-12-03T10:00` or `2026-12-03 10:00`, Western
/// or Arabic-Indic digits) as UTC seconds. In a gap (clocks going forward) the later
/// reading is taken, in an overlap the earlier, as calendars do.
pub fn local_to_utc(local: &str, zone: &str) -> Result<i64, DomainError> {
    let tz =
        jiff::tz::TimeZone::get(&time_zone(zone)?).map_err(|_| DomainError::TimeZoneInvalid)?;
    let t = western_digits(local).replace(' ', "T");
    let dt: jiff::civil::DateTime = t.parse().map_err(|_| DomainError::DateTimeInvalid)?;
    if !(1900..=2200).contains(&dt.year()) {
        return Err(DomainError::DateTimeInvalid);
    }
    let z = dt
        .to_zoned_datetime(tz)
        .map_err(|_| DomainError::DateTimeInvalid)?;
    Ok(z.timestamp().as_second())
}

/// UTC seconds as wall-clock time in `zone`, `YYYY-MM-DD HH:MM` (in UTC when the zone is
/// unknown).
pub fn utc_to_local(ts: i64, zone: &str) -> String {
    let tz = jiff::tz::TimeZone::get(zone).unwrap_or(jiff::tz::TimeZone::UTC);
    match jiff::Timestamp::from_second(ts) {
        Ok(t) => t
            .to_zoned_datetime(tz)
            .strftime("%Y-%m-%d %H:%M")
            .to_string(),
        Err(_) => String::new(),
    }
}

/// UTC seconds as an RFC 3339 timestamp, `2026-12-03T07:00:00Z` (Atom's dates).
pub fn rfc3339(ts: i64) -> String {
    match jiff::Timestamp::from_second(ts) {
        Ok(t) => t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        Err(_) => "1970-01-01T00:00:00Z".into(),
    }
}

/// The value an `<input type="datetime-local">` shows for `ts` in `zone`.
pub fn utc_to_input(ts: i64, zone: &str) -> String {
    utc_to_local(ts, zone).replace(' ', "T")
}

/// UTC seconds in iCalendar's UTC form, `20261203T070000Z`.
pub fn ical_utc(ts: i64) -> String {
    match jiff::Timestamp::from_second(ts) {
        Ok(t) => t.strftime("%Y%m%dT%H%M%SZ").to_string(),
        Err(_) => "19700101T000000Z".into(),
    }
}

/// A meeting form or API body, as typed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct MeetingInput {
    pub title: String,
    /// general_assembly, board, working_group, bilateral, consultation
    pub kind: String,
    /// Wall-clock start in `time_zone`: `2026-12-03T10:00`.
    pub starts: String,
    /// Wall-clock end; two hours after the start when empty.
    pub ends: String,
    /// A tz database name; `Europe/Istanbul` when empty.
    pub time_zone: String,
    pub place: String,
    pub online_url: String,
    pub visibility: String,
    /// Organisations that convene the meeting.
    pub organisers: Vec<i64>,
    /// Organisations invited to it (partner bodies among them).
    pub invited: Vec<i64>,
}

/// A meeting's fields, valid.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingDraft {
    pub title: Name,
    pub kind: MeetingKind,
    pub starts_at: i64,
    pub ends_at: i64,
    pub time_zone: String,
    pub place: Option<Name>,
    pub online_url: Option<WebUrl>,
    pub visibility: Visibility,
    pub organisers: Vec<OrgId>,
    pub invited: Vec<OrgId>,
}

fn ids(v: &[i64]) -> Vec<OrgId> {
    let mut out: Vec<OrgId> = v.iter().copied().filter(|i| *i > 0).map(OrgId).collect();
    out.sort();
    out.dedup();
    out
}

impl MeetingDraft {
    pub fn parse(i: &MeetingInput) -> Result<MeetingDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let title = e.take("title", Name::parse(&i.title));
        let kind = e.take(
            "kind",
            MeetingKind::parse(if i.kind.trim().is_empty() {
                "working_group"
            } else {
                &i.kind
            }),
        );
        let zone = e.take("time_zone", time_zone(&i.time_zone));
        let (mut starts_at, mut ends_at) = (None, None);
        if let Some(z) = &zone {
            starts_at = e.take("starts", local_to_utc(&i.starts, z));
            if i.ends.trim().is_empty() {
                ends_at = starts_at.map(|s| s + 2 * 3600);
            } else {
                ends_at = e.take("ends", local_to_utc(&i.ends, z));
            }
        }
        if let (Some(s), Some(en)) = (starts_at, ends_at) {
            if en < s {
                e.push("ends", DomainError::EndBeforeStart.code());
            }
        }
        let place = e.take("place", Name::parse_optional(&i.place));
        let online_url = e.take("online_url", WebUrl::parse_optional(&i.online_url));
        let visibility = e.take(
            "visibility",
            Visibility::parse(if i.visibility.trim().is_empty() {
                "members"
            } else {
                &i.visibility
            }),
        );
        let organisers = ids(&i.organisers);
        let invited: Vec<OrgId> = ids(&i.invited)
            .into_iter()
            .filter(|o| !organisers.contains(o))
            .collect();
        if !e.is_empty() {
            return Err(e);
        }
        match (
            title, kind, zone, starts_at, ends_at, place, online_url, visibility,
        ) {
            (
                Some(title),
                Some(kind),
                Some(time_zone),
                Some(starts_at),
                Some(ends_at),
                Some(place),
                Some(online_url),
                Some(visibility),
            ) => Ok(MeetingDraft {
                title,
                kind,
                starts_at,
                ends_at,
                time_zone,
                place,
                online_url,
                visibility,
                organisers,
                invited,
            }),
            _ => Err(e),
        }
    }
}

/// Minutes in Markdown: up to 200,000 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MinutesText(String);

impl MinutesText {
    pub const MAX: usize = 200_000;
    pub fn parse(s: &str) -> Result<MinutesText, DomainError> {
        let t = s.replace("\r\n", "\n");
        if t.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            return Err(DomainError::ControlChars);
        }
        if t.chars().count() > Self::MAX {
            return Err(DomainError::TextTooLong);
        }
        Ok(MinutesText(t.trim_end().to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One attendee: a person of the directory or a guest named here, with the organisation
/// and role they represented ("chair of the board").
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct AttendeeInput {
    pub person_id: Option<i64>,
    /// The name, for a guest not in the directory.
    pub name: String,
    pub org_id: Option<i64>,
    /// The organisation, for a guest's body not in the directory.
    pub org_name: String,
    pub role: String,
    /// Present (true) or invited only (false).
    pub attended: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AttendeeDraft {
    pub person: Option<PersonId>,
    pub name: Option<Name>,
    pub org: Option<OrgId>,
    pub org_name: Option<Name>,
    pub role: Option<Name>,
    pub attended: bool,
}

impl AttendeeDraft {
    pub fn parse(i: &AttendeeInput) -> Result<AttendeeDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = e.take("name", Name::parse_optional(&i.name));
        let org_name = e.take("org_name", Name::parse_optional(&i.org_name));
        let role = e.take("role", Name::parse_optional(&i.role));
        let person = i.person_id.filter(|p| *p > 0).map(PersonId);
        if person.is_none() && matches!(name, Some(None)) {
            e.push("name", DomainError::NameRequired.code());
        }
        match (name, org_name, role) {
            (Some(name), Some(org_name), Some(role)) if e.is_empty() => Ok(AttendeeDraft {
                person,
                name,
                org: i.org_id.filter(|o| *o > 0).map(OrgId),
                org_name,
                role,
                attended: i.attended,
            }),
            _ => Err(e),
        }
    }
}

/// A decision recorded in a meeting: its text and, when there was one, the vote.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct DecisionInput {
    pub text: String,
    /// "unanimous", "12 for, 2 against" …
    pub vote: String,
    pub agenda_item: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DecisionDraft {
    pub text: String,
    pub vote: Option<Name>,
    pub agenda_item: Option<AgendaItemId>,
}

impl DecisionDraft {
    pub fn parse(i: &DecisionInput) -> Result<DecisionDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let text = e.take("text", LongText::parse_optional(&i.text));
        let vote = e.take("vote", Name::parse_optional(&i.vote));
        match (text, vote) {
            (Some(Some(text)), Some(vote)) => Ok(DecisionDraft {
                text: text.into_inner(),
                vote,
                agenda_item: i.agenda_item.filter(|a| *a > 0).map(AgendaItemId),
            }),
            (Some(None), _) => {
                e.push("text", DomainError::NameRequired.code());
                Err(e)
            }
            _ => Err(e),
        }
    }
}

/// An action item: what, who (an organisation, a person or both), by when.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ActionInput {
    pub title: String,
    pub org_id: Option<i64>,
    pub person_id: Option<i64>,
    /// `YYYY-MM-DD`
    pub due: String,
    pub agenda_item: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActionDraft {
    pub title: Name,
    pub org: Option<OrgId>,
    pub person: Option<PersonId>,
    pub due: Option<Date>,
    pub agenda_item: Option<AgendaItemId>,
}

impl ActionDraft {
    pub fn parse(i: &ActionInput) -> Result<ActionDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let title = e.take("title", Name::parse(&i.title));
        let due = e.take("due", Date::parse_optional(&i.due));
        let org = i.org_id.filter(|o| *o > 0).map(OrgId);
        let person = i.person_id.filter(|p| *p > 0).map(PersonId);
        if org.is_none() && person.is_none() {
            e.push("org_id", "assignee_required");
        }
        match (title, due) {
            (Some(title), Some(due)) if e.is_empty() => Ok(ActionDraft {
                title,
                org,
                person,
                due,
                agenda_item: i.agenda_item.filter(|a| *a > 0).map(AgendaItemId),
            }),
            _ => Err(e),
        }
    }
}

/// A proposal form or API body, as typed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProposalInput {
    pub title: String,
    /// Markdown.
    pub body: String,
    /// joint_initiative, joint_position, partner_request
    pub kind: String,
    pub meeting_id: Option<i64>,
    pub agenda_item: Option<i64>,
    /// The proposing organisations.
    pub proposers: Vec<i64>,
    /// Wall-clock opening of the endorsement period in `time_zone`; comments are taken
    /// from creation until closing.
    pub opens: String,
    pub closes: String,
    pub time_zone: String,
    pub visibility: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProposalDraft {
    pub title: Name,
    pub body: MinutesText,
    pub kind: ProposalKind,
    pub meeting: Option<MeetingId>,
    pub agenda_item: Option<AgendaItemId>,
    pub proposers: Vec<OrgId>,
    pub window: Window,
    pub time_zone: String,
    pub visibility: Visibility,
}

impl ProposalDraft {
    pub fn parse(i: &ProposalInput) -> Result<ProposalDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let title = e.take("title", Name::parse(&i.title));
        let body = e.take("body", MinutesText::parse(&i.body));
        let kind = e.take("kind", ProposalKind::parse(&i.kind));
        let zone = e.take("time_zone", time_zone(&i.time_zone));
        let mut window = None;
        if let Some(z) = &zone {
            let opens = e.take("opens", local_to_utc(&i.opens, z));
            let closes = e.take("closes", local_to_utc(&i.closes, z));
            if let (Some(o), Some(c)) = (opens, closes) {
                window = e.take("closes", Window::new(o, c));
            }
        }
        let visibility = e.take(
            "visibility",
            Visibility::parse(if i.visibility.trim().is_empty() {
                "members"
            } else {
                &i.visibility
            }),
        );
        match (title, body, kind, zone, window, visibility) {
            (Some(title), Some(body), Some(kind), Some(time_zone), Some(window), Some(v))
                if e.is_empty() =>
            {
                Ok(ProposalDraft {
                    title,
                    body,
                    kind,
                    meeting: i.meeting_id.filter(|m| *m > 0).map(MeetingId),
                    agenda_item: i.agenda_item.filter(|a| *a > 0).map(AgendaItemId),
                    proposers: ids(&i.proposers),
                    window,
                    time_zone,
                    visibility: v,
                })
            }
            _ => Err(e),
        }
    }
}

/// The rules of one kind of proposal, as the coordinator sets them, and whether the
/// endorsing organisations are named when the outcome is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindRules {
    pub rules: Rules,
    pub list_endorsers: bool,
}

impl Default for KindRules {
    fn default() -> Self {
        KindRules {
            rules: Rules::default(),
            list_endorsers: true,
        }
    }
}

/// The rules form, as typed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct RulesInput {
    /// Share of member organisations that must answer: `50`, `50%`, `2/3`.
    pub quorum: String,
    /// `more_than` or `at_least`
    pub threshold_kind: String,
    /// Share of support among those that took a side.
    pub threshold: String,
    pub answers_visible_while_open: bool,
    pub list_endorsers: bool,
}

impl KindRules {
    pub fn parse(i: &RulesInput) -> Result<KindRules, FieldErrors> {
        let mut e = FieldErrors::default();
        let quorum = e.take("quorum", Share::parse(&i.quorum));
        let share = e.take("threshold", Share::parse(&i.threshold));
        let kind = match i.threshold_kind.trim() {
            "more_than" | "" => Some(Threshold::MoreThan as fn(Share) -> Threshold),
            "at_least" => Some(Threshold::AtLeast as fn(Share) -> Threshold),
            _ => {
                e.push("threshold_kind", DomainError::ThresholdInvalid.code());
                None
            }
        };
        if let (Some(s), "more_than" | "") = (share, i.threshold_kind.trim()) {
            // "more than 100 %" can never pass
            if s == Share::ALL {
                e.push("threshold", DomainError::ThresholdInvalid.code());
            }
        }
        match (quorum, share, kind) {
            (Some(quorum), Some(share), Some(kind)) if e.is_empty() => Ok(KindRules {
                rules: Rules {
                    quorum,
                    threshold: kind(share),
                    answers_visible_while_open: i.answers_visible_while_open,
                },
                list_endorsers: i.list_endorsers,
            }),
            _ => Err(e),
        }
    }

    /// The form's values for these rules.
    pub fn input(&self) -> RulesInput {
        let pct = Share::percent;
        let (kind, share) = match self.rules.threshold {
            Threshold::MoreThan(s) => ("more_than", s),
            Threshold::AtLeast(s) => ("at_least", s),
        };
        RulesInput {
            quorum: pct(self.rules.quorum),
            threshold_kind: kind.into(),
            threshold: pct(share),
            answers_visible_while_open: self.rules.answers_visible_while_open,
            list_endorsers: self.list_endorsers,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_move_draft_circulated_approved_and_then_stay_locked() {
        use MinutesState::*;
        assert!(Draft.may_become(Circulated).is_ok());
        assert!(Circulated.may_become(Draft).is_ok());
        assert!(Circulated.may_become(Approved).is_ok());
        assert_eq!(
            Draft.may_become(Approved),
            Err(DomainError::MinutesStateInvalid)
        );
        for to in [Draft, Circulated, Approved] {
            assert_eq!(Approved.may_become(to), Err(DomainError::MinutesLocked));
        }
    }

    #[test]
    fn meeting_times_are_wall_clock_in_their_zone() {
        // Istanbul is UTC+3 all year
        let t = local_to_utc("2026-12-03T10:00", "Europe/Istanbul").unwrap();
        assert_eq!(ical_utc(t), "20261203T070000Z");
        assert_eq!(utc_to_local(t, "Europe/Istanbul"), "2026-12-03 10:00");
        assert_eq!(utc_to_input(t, "Europe/Istanbul"), "2026-12-03T10:00");
        // Arabic-Indic digits and a space instead of T
        assert_eq!(
            local_to_utc("٢٠٢٦-١٢-٠٣ ١٠:٠٠", "Europe/Istanbul").unwrap(),
            t
        );
        // Berlin in winter is UTC+1
        assert_eq!(
            ical_utc(local_to_utc("2026-12-03T10:00", "Europe/Berlin").unwrap()),
            "20261203T090000Z"
        );
        assert_eq!(
            local_to_utc("2026-12-03T10:00", "Mars/Olympus"),
            Err(DomainError::TimeZoneInvalid)
        );
        for bad in ["", "tomorrow", "2026-13-01T10:00", "2026-12-03T25:00"] {
            assert_eq!(
                local_to_utc(bad, "Europe/Istanbul"),
                Err(DomainError::DateTimeInvalid),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_meeting_needs_a_title_a_start_and_an_end_after_it() {
        let ok = MeetingInput {
            title: "اجتماع مجلس الإدارة".into(),
            kind: "board".into(),
            starts: "2026-12-03T10:00".into(),
            organisers: vec![3, 3, 1],
            invited: vec![1, 7],
            ..Default::default()
        };
        let d = MeetingDraft::parse(&ok).unwrap();
        assert_eq!(d.ends_at - d.starts_at, 7200);
        assert_eq!(d.time_zone, "Europe/Istanbul");
        assert_eq!(d.visibility, Visibility::Members);
        assert_eq!(d.organisers, vec![OrgId(1), OrgId(3)]);
        assert_eq!(
            d.invited,
            vec![OrgId(7)],
            "an organiser is not also invited"
        );
        let bad = MeetingInput {
            title: "".into(),
            kind: "party".into(),
            starts: "2026-12-03T10:00".into(),
            ends: "2026-12-03T09:00".into(),
            online_url: "javascript:alert(1)".into(),
            ..Default::default()
        };
        let e = MeetingDraft::parse(&bad).unwrap_err();
        assert_eq!(e.get("title"), Some("name_required"));
        assert_eq!(e.get("kind"), Some("meeting_kind_invalid"));
        assert_eq!(e.get("ends"), Some("end_before_start"));
        assert_eq!(e.get("online_url"), Some("url_invalid"));
    }

    #[test]
    fn a_proposal_closes_after_it_opens() {
        let mut i = ProposalInput {
            title: "موقف مشترك".into(),
            body: "نص".into(),
            kind: "joint_position".into(),
            opens: "2026-12-03T10:00".into(),
            closes: "2026-12-01T10:00".into(),
            ..Default::default()
        };
        assert_eq!(
            ProposalDraft::parse(&i).unwrap_err().get("closes"),
            Some("window_invalid")
        );
        i.closes = "2026-12-10T10:00".into();
        assert!(ProposalDraft::parse(&i).is_ok());
    }

    #[test]
    fn rules_refuse_a_quorum_above_everyone() {
        let mut i = RulesInput {
            quorum: "120%".into(),
            threshold_kind: "at_least".into(),
            threshold: "2/3".into(),
            ..Default::default()
        };
        assert_eq!(
            KindRules::parse(&i).unwrap_err().get("quorum"),
            Some("share_invalid")
        );
        i.quorum = "50".into();
        let r = KindRules::parse(&i).unwrap();
        assert_eq!(r.rules.threshold, Threshold::AtLeast(Share::TWO_THIRDS));
        assert_eq!(r.input().threshold, "66.67");
        i.threshold_kind = "more_than".into();
        i.threshold = "100".into();
        assert_eq!(
            KindRules::parse(&i).unwrap_err().get("threshold"),
            Some("threshold_invalid")
        );
    }

    #[test]
    fn an_action_item_is_assigned_to_someone() {
        let i = ActionInput {
            title: "إعداد مذكرة".into(),
            due: "2026-12-20".into(),
            ..Default::default()
        };
        assert_eq!(
            ActionDraft::parse(&i).unwrap_err().get("org_id"),
            Some("assignee_required")
        );
        let i = ActionInput {
            org_id: Some(4),
            ..i
        };
        assert_eq!(ActionDraft::parse(&i).unwrap().org, Some(OrgId(4)));
    }
}
