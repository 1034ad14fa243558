//! Domain errors: stable codes, translated by the web layer, never English sentences.

use std::fmt;

/// A rule the input broke. `code()` is stable: the API returns it and the UI translates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("name_required")]
    NameRequired,
    #[error("name_too_long")]
    NameTooLong,
    #[error("text_has_control_chars")]
    ControlChars,
    #[error("acronym_invalid")]
    AcronymInvalid,
    #[error("email_invalid")]
    EmailInvalid,
    #[error("url_invalid")]
    UrlInvalid,
    #[error("phone_invalid")]
    PhoneInvalid,
    #[error("year_invalid")]
    YearInvalid,
    #[error("date_invalid")]
    DateInvalid,
    #[error("area_code_invalid")]
    AreaCodeInvalid,
    #[error("sector_code_invalid")]
    SectorCodeInvalid,
    #[error("kind_invalid")]
    KindInvalid,
    #[error("status_invalid")]
    StatusInvalid,
    #[error("role_invalid")]
    RoleInvalid,
    #[error("visibility_invalid")]
    VisibilityInvalid,
    #[error("text_too_long")]
    TextTooLong,
    #[error("password_too_short")]
    PasswordTooShort,
    #[error("password_too_weak")]
    PasswordTooWeak,
    #[error("share_invalid")]
    ShareInvalid,
    #[error("window_invalid")]
    WindowInvalid,
    #[error("endorsement_not_open")]
    EndorsementNotOpen,
    #[error("endorsement_closed")]
    EndorsementClosed,
    #[error("meeting_kind_invalid")]
    MeetingKindInvalid,
    #[error("proposal_kind_invalid")]
    ProposalKindInvalid,
    #[error("action_status_invalid")]
    ActionStatusInvalid,
    #[error("minutes_state_invalid")]
    MinutesStateInvalid,
    #[error("minutes_locked")]
    MinutesLocked,
    #[error("minutes_not_approved")]
    MinutesNotApproved,
    #[error("time_zone_invalid")]
    TimeZoneInvalid,
    #[error("date_time_invalid")]
    DateTimeInvalid,
    #[error("threshold_invalid")]
    ThresholdInvalid,
    #[error("answer_invalid")]
    AnswerInvalid,
    #[error("proposal_sealed")]
    ProposalSealed,
    #[error("not_a_member")]
    NotAMember,
    #[error("logo_not_an_image")]
    LogoNotImage,
    #[error("logo_too_large")]
    LogoTooLarge,
    #[error("period_invalid")]
    PeriodInvalid,
    #[error("period_not_in_cycle")]
    PeriodNotInCycle,
    #[error("cycle_invalid")]
    CycleInvalid,
    #[error("cycle_start_invalid")]
    CycleStartInvalid,
    #[error("activity_status_invalid")]
    ActivityStatusInvalid,
    #[error("modality_invalid")]
    ModalityInvalid,
    #[error("count_invalid")]
    CountInvalid,
    #[error("count_negative")]
    CountNegative,
    #[error("count_required")]
    CountRequired,
    #[error("total_mismatch")]
    TotalMismatch,
    #[error("severity_invalid")]
    SeverityInvalid,
    #[error("end_before_start")]
    EndBeforeStart,
    #[error("activity_type_unknown")]
    ActivityTypeUnknown,
    #[error("activity_type_code_invalid")]
    ActivityTypeCodeInvalid,
    #[error("tag_invalid")]
    TagInvalid,
    #[error("file_empty")]
    FileEmpty,
    #[error("file_too_large")]
    FileTooLarge,
    #[error("file_type_refused")]
    FileTypeRefused,
    #[error("impact_invalid")]
    ImpactInvalid,
    #[error("topic_invalid")]
    TopicInvalid,
    #[error("group_invalid")]
    GroupInvalid,
    #[error("expiry_before_issue")]
    ExpiryBeforeIssue,
    #[error("effect_before_issue")]
    EffectBeforeIssue,
    #[error("format_invalid")]
    FormatInvalid,
}

impl DomainError {
    /// The stable code, e.g. `name_required`.
    pub fn code(&self) -> &'static str {
        match self {
            DomainError::NameRequired => "name_required",
            DomainError::NameTooLong => "name_too_long",
            DomainError::ControlChars => "text_has_control_chars",
            DomainError::AcronymInvalid => "acronym_invalid",
            DomainError::EmailInvalid => "email_invalid",
            DomainError::UrlInvalid => "url_invalid",
            DomainError::PhoneInvalid => "phone_invalid",
            DomainError::YearInvalid => "year_invalid",
            DomainError::DateInvalid => "date_invalid",
            DomainError::AreaCodeInvalid => "area_code_invalid",
            DomainError::SectorCodeInvalid => "sector_code_invalid",
            DomainError::KindInvalid => "kind_invalid",
            DomainError::StatusInvalid => "status_invalid",
            DomainError::RoleInvalid => "role_invalid",
            DomainError::VisibilityInvalid => "visibility_invalid",
            DomainError::TextTooLong => "text_too_long",
            DomainError::PasswordTooShort => "password_too_short",
            DomainError::PasswordTooWeak => "password_too_weak",
            DomainError::ShareInvalid => "share_invalid",
            DomainError::WindowInvalid => "window_invalid",
            DomainError::EndorsementNotOpen => "endorsement_not_open",
            DomainError::EndorsementClosed => "endorsement_closed",
            DomainError::MeetingKindInvalid => "meeting_kind_invalid",
            DomainError::ProposalKindInvalid => "proposal_kind_invalid",
            DomainError::ActionStatusInvalid => "action_status_invalid",
            DomainError::MinutesStateInvalid => "minutes_state_invalid",
            DomainError::MinutesLocked => "minutes_locked",
            DomainError::MinutesNotApproved => "minutes_not_approved",
            DomainError::TimeZoneInvalid => "time_zone_invalid",
            DomainError::DateTimeInvalid => "date_time_invalid",
            DomainError::ThresholdInvalid => "threshold_invalid",
            DomainError::AnswerInvalid => "answer_invalid",
            DomainError::ProposalSealed => "proposal_sealed",
            DomainError::NotAMember => "not_a_member",
            DomainError::LogoNotImage => "logo_not_an_image",
            DomainError::LogoTooLarge => "logo_too_large",
            DomainError::PeriodInvalid => "period_invalid",
            DomainError::PeriodNotInCycle => "period_not_in_cycle",
            DomainError::CycleInvalid => "cycle_invalid",
            DomainError::CycleStartInvalid => "cycle_start_invalid",
            DomainError::ActivityStatusInvalid => "activity_status_invalid",
            DomainError::ModalityInvalid => "modality_invalid",
            DomainError::CountInvalid => "count_invalid",
            DomainError::CountNegative => "count_negative",
            DomainError::CountRequired => "count_required",
            DomainError::TotalMismatch => "total_mismatch",
            DomainError::SeverityInvalid => "severity_invalid",
            DomainError::EndBeforeStart => "end_before_start",
            DomainError::ActivityTypeUnknown => "activity_type_unknown",
            DomainError::ActivityTypeCodeInvalid => "activity_type_code_invalid",
            DomainError::TagInvalid => "tag_invalid",
            DomainError::FileEmpty => "file_empty",
            DomainError::FileTooLarge => "file_too_large",
            DomainError::FileTypeRefused => "file_type_refused",
            DomainError::ImpactInvalid => "impact_invalid",
            DomainError::TopicInvalid => "topic_invalid",
            DomainError::GroupInvalid => "group_invalid",
            DomainError::ExpiryBeforeIssue => "expiry_before_issue",
            DomainError::EffectBeforeIssue => "effect_before_issue",
            DomainError::FormatInvalid => "format_invalid",
        }
    }
}

/// Errors keyed by the field they belong to, so a form can show each beside its field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<(String, String)>);

impl FieldErrors {
    /// One error, for one field.
    pub fn one(field: &str, code: &str) -> FieldErrors {
        let mut e = FieldErrors::default();
        e.push(field, code);
        e
    }
    pub fn push(&mut self, field: &str, code: &str) {
        self.0.push((field.to_string(), code.to_string()));
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The first error code for `field`, if any.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, c)| c.as_str())
    }
    /// Keep the value of `r`, or record its error under `field`.
    pub fn take<T>(&mut self, field: &str, r: Result<T, DomainError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.push(field, e.code());
                None
            }
        }
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        write!(f, "{}", parts.join(", "))
    }
}

impl std::error::Error for FieldErrors {}
