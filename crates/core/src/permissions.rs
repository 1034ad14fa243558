//! Permissions as data: one table of (role, action, scope), checked by [`Actor::may`].

use crate::error::DomainError;
use crate::ids::{OrgId, UserId};
use serde::{Deserialize, Serialize};

/// A signed-in user's role, or a visitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Visitor,
    Member,
    FocalPoint,
    Partner,
    Coordinator,
    Admin,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Visitor,
        Role::Member,
        Role::FocalPoint,
        Role::Partner,
        Role::Coordinator,
        Role::Admin,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Role::Visitor => "visitor",
            Role::Member => "member",
            Role::FocalPoint => "focal_point",
            Role::Partner => "partner",
            Role::Coordinator => "coordinator",
            Role::Admin => "admin",
        }
    }
    /// Parse a role for an account (`visitor` is not an account role).
    pub fn parse(s: &str) -> Result<Role, DomainError> {
        let s = s.trim().replace('-', "_");
        Role::ALL
            .into_iter()
            .find(|r| *r != Role::Visitor && r.code() == s)
            .ok_or(DomainError::RoleInvalid)
    }
}

/// Something a user may try to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Read public directory entries.
    DirectoryRead,
    /// Read contact details marked for members.
    MemberContactsRead,
    /// Read contact details marked for members and partners.
    PartnerContactsRead,
    /// Read contact details marked for coordinators.
    CoordinatorContactsRead,
    OrgCreate,
    OrgEdit,
    OrgDelete,
    PersonCreate,
    PersonEdit,
    PersonDelete,
    SectorEdit,
    AreaEdit,
    DirectoryImport,
    DirectoryExport,
    UserManage,
    /// See the 4W dashboard: the matrix, gaps, maps and trends (aggregates).
    CoverageRead,
    /// See individual activities and needs, and export them.
    ActivityRead,
    /// Record, edit, copy and import an organisation's activities.
    ActivityReport,
    /// Submit an organisation's report for a period.
    RoundSubmit,
    /// Validate or return a submitted report.
    RoundReview,
    /// Choose how often the network reports (monthly, quarterly, …) and from when.
    CycleManage,
    /// Record and import needs.
    NeedEdit,
    /// Read the audit trail and export it.
    AuditRead,
    /// Invite people to an account (which roles: [`Actor::may_invite`]).
    UserInvite,
    /// Create named groups of accounts and choose their members.
    GroupManage,
    /// See meetings, their minutes, decisions and action items (as their visibility
    /// allows).
    MeetingRead,
    /// Create and run meetings: attendance, agenda, decisions, action items, moving the
    /// minutes along, the published summary.
    MeetingManage,
    /// Write a meeting's minutes (`Own`: meetings the organisation convenes).
    MinutesEdit,
    /// Move an action item along and comment on it (`Own`: the organisation's items).
    ActionUpdate,
    /// See proposals and, when the rules allow, the answers.
    ProposalRead,
    /// Put a proposal forward (`Own`: on the organisation's behalf).
    ProposalCreate,
    /// Comment in a proposal's discussion.
    ProposalComment,
    /// Answer a proposal on an organisation's behalf (support, object, abstain).
    Endorse,
    /// Set the rules of each kind of proposal.
    ProposalManage,
    /// Post a bulletin (`Own`: on the organisation's behalf) and edit one's own.
    BulletinPost,
    /// Edit, pin and remove any bulletin.
    BulletinManage,
    /// Put a document in the library (`Own`: on the organisation's behalf), edit it and
    /// upload new versions of its files.
    DocumentPost,
    /// Edit and remove any document of the library.
    DocumentManage,
    /// Record and edit policy items, their analysis, position and advocacy.
    PolicyEdit,
    /// Post offers and requests of expertise (`Own`: on the organisation's behalf), accept
    /// an offer for a request and record the exchange.
    ExpertisePost,
}

/// Over which organisations a permission holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Only the actor's own organisation.
    Own,
    /// Any organisation.
    Any,
}

use Action::*;
use Role::*;
use Scope::*;

/// The permission table. A (role, action) pair absent here is refused.
pub const PERMISSIONS: &[(Role, Action, Scope)] = &[
    (Visitor, DirectoryRead, Any),
    (Member, DirectoryRead, Any),
    (Member, MemberContactsRead, Any),
    (Member, PartnerContactsRead, Any),
    (Member, DirectoryExport, Any),
    (Member, CoverageRead, Any),
    (Member, ActivityRead, Any),
    (Member, ActivityReport, Own),
    (Member, MeetingRead, Any),
    (Member, ActionUpdate, Own),
    (Member, ProposalRead, Any),
    (Member, ProposalComment, Any),
    (Partner, DirectoryRead, Any),
    (Partner, PartnerContactsRead, Any),
    (Partner, CoverageRead, Any),
    (Partner, MeetingRead, Any),
    (Partner, ProposalRead, Any),
    (FocalPoint, DirectoryRead, Any),
    (FocalPoint, MemberContactsRead, Any),
    (FocalPoint, PartnerContactsRead, Any),
    (FocalPoint, DirectoryExport, Any),
    (FocalPoint, OrgEdit, Own),
    (FocalPoint, PersonCreate, Own),
    (FocalPoint, PersonEdit, Own),
    (FocalPoint, PersonDelete, Own),
    (FocalPoint, CoverageRead, Any),
    (FocalPoint, ActivityRead, Any),
    (FocalPoint, ActivityReport, Own),
    (FocalPoint, RoundSubmit, Own),
    (FocalPoint, UserInvite, Own),
    (FocalPoint, MeetingRead, Any),
    (FocalPoint, MinutesEdit, Own),
    (FocalPoint, ActionUpdate, Own),
    (FocalPoint, ProposalRead, Any),
    (FocalPoint, ProposalCreate, Own),
    (FocalPoint, ProposalComment, Any),
    (FocalPoint, Endorse, Own),
    (FocalPoint, BulletinPost, Own),
    (FocalPoint, DocumentPost, Own),
    (FocalPoint, ExpertisePost, Own),
    (Coordinator, DirectoryRead, Any),
    (Coordinator, MemberContactsRead, Any),
    (Coordinator, PartnerContactsRead, Any),
    (Coordinator, CoordinatorContactsRead, Any),
    (Coordinator, OrgCreate, Any),
    (Coordinator, OrgEdit, Any),
    (Coordinator, OrgDelete, Any),
    (Coordinator, PersonCreate, Any),
    (Coordinator, PersonEdit, Any),
    (Coordinator, PersonDelete, Any),
    (Coordinator, SectorEdit, Any),
    (Coordinator, AreaEdit, Any),
    (Coordinator, DirectoryImport, Any),
    (Coordinator, DirectoryExport, Any),
    (Coordinator, CoverageRead, Any),
    (Coordinator, ActivityRead, Any),
    (Coordinator, ActivityReport, Any),
    (Coordinator, RoundSubmit, Any),
    (Coordinator, RoundReview, Any),
    (Coordinator, CycleManage, Any),
    (Coordinator, NeedEdit, Any),
    (Coordinator, AuditRead, Any),
    (Coordinator, UserInvite, Any),
    (Coordinator, GroupManage, Any),
    (Coordinator, MeetingRead, Any),
    (Coordinator, MeetingManage, Any),
    (Coordinator, MinutesEdit, Any),
    (Coordinator, ActionUpdate, Any),
    (Coordinator, ProposalRead, Any),
    (Coordinator, ProposalCreate, Any),
    (Coordinator, ProposalComment, Any),
    (Coordinator, ProposalManage, Any),
    (Coordinator, BulletinPost, Any),
    (Coordinator, BulletinManage, Any),
    (Coordinator, DocumentPost, Any),
    (Coordinator, DocumentManage, Any),
    (Coordinator, PolicyEdit, Any),
    (Coordinator, ExpertisePost, Any),
    (Admin, DirectoryRead, Any),
    (Admin, MemberContactsRead, Any),
    (Admin, PartnerContactsRead, Any),
    (Admin, CoordinatorContactsRead, Any),
    (Admin, OrgCreate, Any),
    (Admin, OrgEdit, Any),
    (Admin, OrgDelete, Any),
    (Admin, PersonCreate, Any),
    (Admin, PersonEdit, Any),
    (Admin, PersonDelete, Any),
    (Admin, SectorEdit, Any),
    (Admin, AreaEdit, Any),
    (Admin, DirectoryImport, Any),
    (Admin, DirectoryExport, Any),
    (Admin, UserManage, Any),
    (Admin, CoverageRead, Any),
    (Admin, ActivityRead, Any),
    (Admin, ActivityReport, Any),
    (Admin, RoundSubmit, Any),
    (Admin, RoundReview, Any),
    (Admin, CycleManage, Any),
    (Admin, NeedEdit, Any),
    (Admin, AuditRead, Any),
    (Admin, UserInvite, Any),
    (Admin, GroupManage, Any),
    (Admin, MeetingRead, Any),
    (Admin, MeetingManage, Any),
    (Admin, MinutesEdit, Any),
    (Admin, ActionUpdate, Any),
    (Admin, ProposalRead, Any),
    (Admin, ProposalCreate, Any),
    (Admin, ProposalComment, Any),
    (Admin, ProposalManage, Any),
    (Admin, BulletinPost, Any),
    (Admin, BulletinManage, Any),
    (Admin, DocumentPost, Any),
    (Admin, DocumentManage, Any),
    (Admin, PolicyEdit, Any),
    (Admin, ExpertisePost, Any),
];

/// Who is acting: a visitor, or a signed-in user with a role, perhaps an organisation,
/// and the named groups they belong to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user: Option<UserId>,
    pub role: Role,
    pub org: Option<OrgId>,
    pub groups: Vec<crate::ids::GroupId>,
}

impl Actor {
    pub const VISITOR: Actor = Actor {
        user: None,
        role: Role::Visitor,
        org: None,
        groups: Vec::new(),
    };

    /// May this actor do `action`, on `target` organisation when the action concerns one?
    /// For actions on no particular organisation (creating one, say), pass `None`: an
    /// `Own`-scoped entry then does not suffice.
    pub fn may(&self, action: Action, target: Option<OrgId>) -> bool {
        PERMISSIONS
            .iter()
            .filter(|(r, a, _)| *r == self.role && *a == action)
            .any(|(_, _, scope)| match scope {
                Any => true,
                Own => target.is_some() && target == self.org,
            })
    }

    /// Does the table give this actor's role `action` at any scope? The question a route
    /// asks before its handler looks at which organisation is concerned.
    pub fn may_some(&self, action: Action) -> bool {
        PERMISSIONS
            .iter()
            .any(|(r, a, _)| *r == self.role && *a == action)
    }

    /// May this actor see something marked with visibility `v`? The one rule pages, the
    /// API and exports all use for contact details.
    pub fn may_see(&self, v: crate::values::Visibility) -> bool {
        use crate::values::Visibility as V;
        match v {
            V::Public => true,
            V::Members => self.may(MemberContactsRead, None),
            V::Partners => self.may(PartnerContactsRead, None),
            V::Group(g) => self.may(CoordinatorContactsRead, None) || self.groups.contains(&g),
            V::Coordinators => self.may(CoordinatorContactsRead, None),
        }
    }

    /// May this actor invite someone to an account with `role` in `org`? Focal points
    /// invite members and focal points of their own organisation; coordinators anyone
    /// but an admin; admins anyone.
    pub fn may_invite(&self, role: Role, org: Option<OrgId>) -> bool {
        if role == Visitor || !self.may(UserInvite, org) {
            return false;
        }
        match self.role {
            Admin => true,
            Coordinator => role != Admin,
            FocalPoint => matches!(role, Member | FocalPoint),
            _ => false,
        }
    }

    pub fn is_signed_in(&self) -> bool {
        self.user.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(org: i64) -> Actor {
        Actor {
            user: Some(UserId(1)),
            role: FocalPoint,
            org: Some(OrgId(org)),
            groups: Vec::new(),
        }
    }

    #[test]
    fn a_focal_point_edits_only_their_own_organisation() {
        assert!(fp(7).may(OrgEdit, Some(OrgId(7))));
        assert!(!fp(7).may(OrgEdit, Some(OrgId(8))));
        assert!(!fp(7).may(OrgCreate, None));
    }

    #[test]
    fn visitors_only_read() {
        for (r, a, _) in PERMISSIONS {
            if *r == Visitor {
                assert_eq!(*a, DirectoryRead);
            }
        }
        assert!(!Actor::VISITOR.may(OrgEdit, Some(OrgId(1))));
    }

    #[test]
    fn partner_bodies_see_what_is_shared_with_partners_not_with_members() {
        use crate::values::Visibility as V;
        let partner = Actor {
            user: Some(UserId(3)),
            role: Partner,
            org: None,
            groups: Vec::new(),
        };
        assert!(partner.may_see(V::Partners));
        assert!(!partner.may_see(V::Members));
        assert!(fp(7).may_see(V::Members) && fp(7).may_see(V::Partners));
        assert!(!fp(7).may_see(V::Coordinators));
        assert!(!Actor::VISITOR.may_see(V::Partners));
    }

    #[test]
    fn who_invites_whom() {
        assert!(fp(7).may_invite(Member, Some(OrgId(7))));
        assert!(fp(7).may_invite(FocalPoint, Some(OrgId(7))));
        assert!(!fp(7).may_invite(Member, Some(OrgId(8))));
        assert!(!fp(7).may_invite(Coordinator, Some(OrgId(7))));
        assert!(!fp(7).may_invite(Partner, None));
        let c = Actor {
            user: Some(UserId(2)),
            role: Coordinator,
            org: None,
            groups: Vec::new(),
        };
        assert!(c.may_invite(Coordinator, None));
        assert!(c.may_invite(FocalPoint, Some(OrgId(3))));
        assert!(!c.may_invite(Admin, None));
        let m = Actor {
            role: Member,
            ..fp(7)
        };
        assert!(!m.may_invite(Member, Some(OrgId(7))));
    }

    #[test]
    fn a_coordinator_edits_any_organisation() {
        let c = Actor {
            user: Some(UserId(2)),
            role: Coordinator,
            org: None,
            groups: Vec::new(),
        };
        assert!(c.may(OrgEdit, Some(OrgId(99))));
        assert!(c.may(OrgCreate, None));
    }
}
