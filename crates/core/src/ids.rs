//! One typed ID per table: an `OrgId` can never be passed where a `PersonId` is expected.

use serde::{Deserialize, Serialize};

macro_rules! typed_id {
    ($($name:ident),* $(,)?) => {$(
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    )*};
}

typed_id!(
    OrgId,
    PersonId,
    UserId,
    AffiliationId,
    ActivityId,
    NeedId,
    GroupId,
    MeetingId,
    AgendaItemId,
    DecisionId,
    ActionItemId,
    ProposalId,
    CommentId,
    AttendeeId,
    BulletinId,
    DocumentId,
    AttachmentId,
    PolicyId,
    AdvocacyId,
    ExpertiseId,
    ExchangeId
);
