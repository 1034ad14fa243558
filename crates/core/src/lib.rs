//! `minbar-core`: the domain. Typed IDs, values that are valid by construction, entities,
//! and rules (permissions as data). No HTTP, no SQL, no I/O.

#[macro_use]
mod macros;

pub mod bulletin;
pub mod document;
pub mod endorsement;
pub mod error;
pub mod expertise;
pub mod fourw;
pub mod ids;
pub mod lang;
pub mod meeting;
pub mod org;
pub mod permissions;
pub mod policy;
pub mod totp;
pub mod values;

pub use bulletin::*;
pub use document::*;
pub use error::{DomainError, FieldErrors};
pub use expertise::*;
pub use fourw::*;
pub use ids::*;
pub use lang::{I18nText, Lang};
pub use meeting::*;
pub use org::*;
pub use permissions::{Action, Actor, Role, Scope, PERMISSIONS};
pub use policy::*;
pub use values::*;
