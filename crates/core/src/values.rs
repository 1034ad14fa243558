//! Values that are valid by construction (parse, don't validate).

use crate::error::DomainError;
use serde::{Deserialize, Serialize};

fn clean(s: &str) -> Result<String, DomainError> {
    let t = s.trim();
    if t.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(DomainError::ControlChars);
    }
    Ok(t.to_string())
}

/// A name of an organisation, person, sector or area in one language: 1–200 characters,
/// trimmed, no control characters. HTML and quotes are kept verbatim (escaped on output).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Name(String);

impl Name {
    pub const MAX: usize = 200;

    pub fn parse(s: &str) -> Result<Name, DomainError> {
        let t = clean(s)?;
        if t.is_empty() {
            return Err(DomainError::NameRequired);
        }
        if t.chars().count() > Self::MAX || t.contains('\n') {
            return Err(DomainError::NameTooLong);
        }
        Ok(Name(t))
    }

    /// Parse, treating an empty field as absent.
    pub fn parse_optional(s: &str) -> Result<Option<Name>, DomainError> {
        if s.trim().is_empty() {
            Ok(None)
        } else {
            Name::parse(s).map(Some)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Free text such as a description: up to 10,000 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LongText(String);

impl LongText {
    pub const MAX: usize = 10_000;
    pub fn parse_optional(s: &str) -> Result<Option<LongText>, DomainError> {
        let t = clean(s)?;
        if t.is_empty() {
            return Ok(None);
        }
        if t.chars().count() > Self::MAX {
            return Err(DomainError::TextTooLong);
        }
        Ok(Some(LongText(t)))
    }
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// An organisation's acronym: 1–20 characters of letters (any script), digits, `-`, `_`,
/// `&` or `.`, no spaces. Uniqueness is case-insensitive ([`Acronym::key`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Acronym(String);

impl Acronym {
    pub fn parse(s: &str) -> Result<Acronym, DomainError> {
        let t = s.trim();
        let n = t.chars().count();
        if n == 0 || n > 20 {
            return Err(DomainError::AcronymInvalid);
        }
        if !t
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '&' | '.'))
        {
            return Err(DomainError::AcronymInvalid);
        }
        Ok(Acronym(t.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The form compared for uniqueness: Turkish-aware lower case, folded.
    pub fn key(&self) -> String {
        minbar_text::turkish::fold(&minbar_text::turkish::lowercase(&self.0))
    }
}

/// An e-mail address: one `@`, a non-empty local part, a domain with a dot, no spaces,
/// at most 254 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(s: &str) -> Result<Email, DomainError> {
        let t = s.trim();
        if t.len() > 254 || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(DomainError::EmailInvalid);
        }
        let (local, domain) = t.split_once('@').ok_or(DomainError::EmailInvalid)?;
        if local.is_empty()
            || domain.contains('@')
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains("..")
            || t.contains(['<', '>', '"', ','])
        {
            return Err(DomainError::EmailInvalid);
        }
        Ok(Email(t.to_string()))
    }
    pub fn parse_optional(s: &str) -> Result<Option<Email>, DomainError> {
        if s.trim().is_empty() {
            Ok(None)
        } else {
            Email::parse(s).map(Some)
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Lower-cased, for uniqueness of accounts.
    pub fn key(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

/// A web address starting with `http://` or `https://`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WebUrl(String);

impl WebUrl {
    pub fn parse_optional(s: &str) -> Result<Option<WebUrl>, DomainError> {
        let t = s.trim();
        if t.is_empty() {
            return Ok(None);
        }
        let rest = t
            .strip_prefix("https://")
            .or_else(|| t.strip_prefix("http://"))
            .ok_or(DomainError::UrlInvalid)?;
        if rest.is_empty()
            || t.len() > 500
            || t.chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<')
        {
            return Err(DomainError::UrlInvalid);
        }
        Ok(Some(WebUrl(t.to_string())))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A phone number: digits (ASCII or Arabic-Indic), spaces, `+ - ( )`, 5–30 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    pub fn parse_optional(s: &str) -> Result<Option<Phone>, DomainError> {
        let t = minbar_text::arabic::normalize(s.trim());
        if t.is_empty() {
            return Ok(None);
        }
        let digits = t.chars().filter(char::is_ascii_digit).count();
        if t.chars().count() > 30
            || digits < 5
            || !t
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')'))
        {
            return Err(DomainError::PhoneInvalid);
        }
        Ok(Some(Phone(t)))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A founding year between 1850 and 2100.
pub fn parse_year_optional(s: &str) -> Result<Option<i64>, DomainError> {
    let t = minbar_text::arabic::normalize(s.trim());
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<i64>() {
        Ok(y) if (1850..=2100).contains(&y) => Ok(Some(y)),
        _ => Err(DomainError::YearInvalid),
    }
}

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Date(String);

impl Date {
    pub fn parse(s: &str) -> Result<Date, DomainError> {
        let s = s.trim();
        let b = s.as_bytes();
        // already written YYYY-MM-DD in ASCII digits (exports, date pickers): checked
        // without normalising or formatting
        let canonical = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        let t = if canonical {
            std::borrow::Cow::Borrowed(s)
        } else {
            std::borrow::Cow::Owned(minbar_text::arabic::normalize(s))
        };
        let parts: Vec<&str> = t.split('-').collect();
        let [y, m, d] = parts.as_slice() else {
            return Err(DomainError::DateInvalid);
        };
        let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
            return Err(DomainError::DateInvalid);
        };
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let days = match m {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return Err(DomainError::DateInvalid),
        };
        if !(1850..=2100).contains(&y) || d == 0 || d > days {
            return Err(DomainError::DateInvalid);
        }
        if canonical {
            return Ok(Date(s.to_string()));
        }
        Ok(Date(format!("{y:04}-{m:02}-{d:02}")))
    }
    pub fn parse_optional(s: &str) -> Result<Option<Date>, DomainError> {
        if s.trim().is_empty() {
            Ok(None)
        } else {
            Date::parse(s).map(Some)
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An area code: ISO 3166-1/2 (`SY`, `SY-ID`, `TR-27`) or an OCHA p-code (`SY07`,
/// `SY0700`). Upper-case ASCII letters, digits, `-` and `~`, 2–20 characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AreaCode(String);

impl AreaCode {
    pub fn parse(s: &str) -> Result<AreaCode, DomainError> {
        let t = s.trim().to_ascii_uppercase();
        if !(2..=20).contains(&t.len())
            || !t
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '~')
        {
            return Err(DomainError::AreaCodeInvalid);
        }
        Ok(AreaCode(t))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A sector code: lower-case ASCII letters, digits and `_`, 2–40 characters (`wash`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SectorCode(String);

impl SectorCode {
    pub fn parse(s: &str) -> Result<SectorCode, DomainError> {
        let t = s.trim().to_ascii_lowercase();
        if !(2..=40).contains(&t.len())
            || !t
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(DomainError::SectorCodeInvalid);
        }
        Ok(SectorCode(t))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password as typed: at least 12 characters. Never printed.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub const MIN: usize = 12;
    pub fn parse(s: &str) -> Result<Password, DomainError> {
        if s.chars().count() < Self::MIN {
            return Err(DomainError::PasswordTooShort);
        }
        Ok(Password(s.to_string()))
    }
    /// A password a person chose: at least 12 characters, and not guessable by the
    /// zxcvbn estimator (score 3 of 4 or better: about 10^8 guesses), which knows common
    /// passwords, names, keyboard walks, dates, repeats and `user_inputs` such as the
    /// account's e-mail. Generated and operator-supplied passwords use [`Password::parse`].
    pub fn strong(s: &str, user_inputs: &[&str]) -> Result<Password, DomainError> {
        let p = Password::parse(s)?;
        // the estimator's cost grows with length; beyond 100 characters it is strong
        if s.chars().count() > 100 {
            return Ok(p);
        }
        let mut inputs: Vec<&str> = user_inputs.to_vec();
        for i in user_inputs {
            inputs.extend(i.split('@').next());
            inputs.extend(i.split(['@', '.', '-', '_', ' ']).filter(|w| w.len() > 2));
        }
        inputs.extend(["minbar", "منبر", "password"]);
        match zxcvbn::zxcvbn(s, &inputs).score() {
            zxcvbn::Score::Three | zxcvbn::Score::Four => Ok(p),
            _ => Err(DomainError::PasswordTooWeak),
        }
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod password_tests {
    use super::*;

    #[test]
    fn long_but_guessable_passwords_are_refused() {
        for weak in [
            "password1234",
            "qwertyuiopasdf",
            "aaaaaaaaaaaaaaaa",
            "123456789012",
            "layla.hassan2024",
        ] {
            assert_eq!(
                Password::strong(weak, &["layla.hassan@example.org"]).err(),
                Some(DomainError::PasswordTooWeak),
                "{weak}"
            );
        }
        assert_eq!(
            Password::strong("short", &[]).err(),
            Some(DomainError::PasswordTooShort)
        );
        for strong in [
            "correct horse battery staple",
            "زيتون-حلب-١٩٨٧-مطر",
            "t8#Vq2!mLr9@wZ",
        ] {
            assert!(Password::strong(strong, &[]).is_ok(), "{strong}");
        }
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// Who may see a contact detail or record. Written as a code everywhere (database, API,
/// forms): `public`, `partners`, `members`, `coordinators`, or `group:<id>` for a named
/// group of accounts (a working group, say).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Visibility {
    /// Anyone, signed in or not.
    Public,
    /// The network: members, focal points and the secretariat (not partner bodies).
    Members,
    /// The network and its partner bodies.
    Partners,
    /// The secretariat only.
    Coordinators,
    /// The accounts in a named group, and the secretariat.
    Group(crate::ids::GroupId),
}

impl Visibility {
    /// The fixed levels, widest audience first (groups come from the database).
    pub const ALL: [Visibility; 4] = [
        Visibility::Public,
        Visibility::Partners,
        Visibility::Members,
        Visibility::Coordinators,
    ];
    pub fn code(self) -> String {
        match self {
            Visibility::Public => "public".into(),
            Visibility::Members => "members".into(),
            Visibility::Partners => "partners".into(),
            Visibility::Coordinators => "coordinators".into(),
            Visibility::Group(g) => format!("group:{}", g.0),
        }
    }
    pub fn parse(s: &str) -> Result<Visibility, DomainError> {
        let s = s.trim();
        if let Some(n) = s.strip_prefix("group:") {
            return n
                .parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .map(|n| Visibility::Group(crate::ids::GroupId(n)))
                .ok_or(DomainError::VisibilityInvalid);
        }
        Visibility::ALL
            .into_iter()
            .find(|v| v.code() == s)
            .ok_or(DomainError::VisibilityInvalid)
    }
    /// The message key of a fixed level's name (`visibility-members` …); groups are named
    /// by their own names.
    pub fn label_key(self) -> Option<String> {
        match self {
            Visibility::Group(_) => None,
            v => Some(format!("visibility-{}", v.code())),
        }
    }
}

impl Serialize for Visibility {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.code())
    }
}

impl<'de> Deserialize<'de> for Visibility {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Visibility, D::Error> {
        let s = String::deserialize(d)?;
        Visibility::parse(&s).map_err(|_| serde::de::Error::custom("unknown visibility"))
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Visibility {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some(
                "public, partners, members, coordinators, or group:<id> (a named group)",
            ))
            .pattern(Some(
                "^(public|partners|members|coordinators|group:[1-9][0-9]*)$",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Visibility {}

/// The kind of image a logo is, found from its first bytes, never from its file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Png,
    Jpeg,
    Webp,
}

impl ImageKind {
    pub const MAX_LOGO_BYTES: usize = 2 * 1024 * 1024;

    pub fn sniff(bytes: &[u8]) -> Result<ImageKind, DomainError> {
        if bytes.len() > Self::MAX_LOGO_BYTES {
            return Err(DomainError::LogoTooLarge);
        }
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Ok(ImageKind::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Ok(ImageKind::Jpeg)
        } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Ok(ImageKind::Webp)
        } else {
            Err(DomainError::LogoNotImage)
        }
    }
    pub fn mime(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Webp => "image/webp",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(Name::parse("  الأمل ").unwrap().as_str(), "الأمل");
        assert_eq!(Name::parse("   "), Err(DomainError::NameRequired));
        assert_eq!(Name::parse(&"ع".repeat(201)), Err(DomainError::NameTooLong));
        assert_eq!(
            Name::parse("<b>\"x\"</b>'; DROP TABLE").unwrap().as_str(),
            "<b>\"x\"</b>'; DROP TABLE"
        );
        assert_eq!(Name::parse("a\u{0}b"), Err(DomainError::ControlChars));
    }

    #[test]
    fn emails() {
        assert!(Email::parse("info@amal.org").is_ok());
        for bad in [
            "",
            "a",
            "a@b",
            "@b.org",
            "a b@c.org",
            "a@@b.org",
            "a@b..org",
        ] {
            assert_eq!(Email::parse(bad), Err(DomainError::EmailInvalid), "{bad}");
        }
    }

    #[test]
    fn acronyms_compare_case_insensitively() {
        assert_eq!(
            Acronym::parse("SAMS").unwrap().key(),
            Acronym::parse("sams").unwrap().key()
        );
        assert!(Acronym::parse("A B").is_err());
        assert!(Acronym::parse("").is_err());
    }

    #[test]
    fn dates_and_years_accept_arabic_digits() {
        assert_eq!(Date::parse("٢٠٢٤-٠٢-٢٩").unwrap().as_str(), "2024-02-29");
        assert!(Date::parse("2023-02-29").is_err());
        assert_eq!(parse_year_optional("٢٠١٢").unwrap(), Some(2012));
        assert!(parse_year_optional("12").is_err());
    }

    #[test]
    fn logos_are_checked_by_content() {
        assert_eq!(
            ImageKind::sniff(b"\x89PNG\r\n\x1a\n...."),
            Ok(ImageKind::Png)
        );
        assert_eq!(ImageKind::sniff(b"GIF89a"), Err(DomainError::LogoNotImage));
        assert_eq!(
            ImageKind::sniff(b"<svg onload=alert(1)>"),
            Err(DomainError::LogoNotImage)
        );
    }

    #[test]
    fn codes() {
        assert_eq!(AreaCode::parse("sy-id").unwrap().as_str(), "SY-ID");
        assert!(AreaCode::parse("SY ID").is_err());
        assert_eq!(SectorCode::parse("WASH").unwrap().as_str(), "wash");
    }
}
