//! Small macros the domain's modules share.

/// An enum stored and exchanged as a stable code (`general_assembly`), parsed from it.
macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident, $err:expr, { $($variant:ident => $code:literal),* $(,)? }) => {
        $(#[$m])*
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            /// The stable code stored in the database and used in the API.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }
            pub fn parse(s: &str) -> Result<$name, DomainError> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|v| v.code() == s).ok_or($err)
            }
        }
    };
}
