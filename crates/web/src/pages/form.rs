//! The one form template: text fields and selects, each with its error beside it.

use super::Chrome;
use askama::Template;
use std::collections::HashMap;

/// A posted form's fields by name (the last value of a repeated name wins).
pub fn fields(body: &[u8]) -> HashMap<String, String> {
    form_urlencoded::parse(body).into_owned().collect()
}

/// One field's value, empty when it was not sent.
pub fn value<'a>(f: &'a HashMap<String, String>, k: &str) -> &'a str {
    f.get(k).map(String::as_str).unwrap_or("")
}

/// Every value of a repeated field (a multiple select).
pub fn all_values(body: &[u8], name: &str) -> Vec<String> {
    form_urlencoded::parse(body)
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .collect()
}

pub struct TextField {
    pub name: &'static str,
    pub label: String,
    pub value: String,
    pub kind: &'static str,
    pub dir: &'static str,
    pub hint: String,
    pub error: String,
    pub multiline: bool,
}

/// Options of a select: (value, label, selected).
pub type Options = Vec<(String, String, bool)>;
/// Option groups: (group label, options); an empty label means no group.
pub type Groups = Vec<(String, Options)>;

pub struct SelectField {
    pub name: &'static str,
    pub label: String,
    pub multiple: bool,
    pub groups: Groups,
    pub error: String,
}

impl SelectField {
    /// Long enough to deserve a typeahead box.
    pub fn long(&self) -> bool {
        self.groups.iter().map(|g| g.1.len()).sum::<usize>() > 12
    }
}

#[derive(Template)]
#[template(path = "form.html")]
pub struct FormPage {
    pub c: Chrome,
    pub action: String,
    pub cancel: String,
    pub version: i64,
    pub has_errors: bool,
    /// A hint above the fields.
    pub intro: String,
    pub fields: Vec<TextField>,
    pub selects: Vec<SelectField>,
}
