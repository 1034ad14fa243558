//! A small builder for queries with a varying WHERE clause: text plus numbered `$n`
//! placeholders, which SQLite and PostgreSQL both understand.

use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::Any;

#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Int(i64),
    Text(String),
    NullInt,
    NullText,
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Int(v)
    }
}
impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(v.to_string())
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(v)
    }
}
impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Self {
        v.map(Arg::Text).unwrap_or(Arg::NullText)
    }
}
impl From<Option<&str>> for Arg {
    fn from(v: Option<&str>) -> Self {
        v.map(|s| Arg::Text(s.to_string())).unwrap_or(Arg::NullText)
    }
}
impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        v.map(Arg::Int).unwrap_or(Arg::NullInt)
    }
}

#[derive(Debug, Default)]
pub(crate) struct Sql {
    pub text: String,
    args: Vec<Arg>,
}

impl Sql {
    pub fn new(s: &str) -> Sql {
        Sql {
            text: s.to_string(),
            args: Vec::new(),
        }
    }
    pub fn push(&mut self, s: &str) -> &mut Sql {
        self.text.push_str(s);
        self
    }
    /// Append a placeholder bound to `a`.
    pub fn bind(&mut self, a: impl Into<Arg>) -> &mut Sql {
        self.args.push(a.into());
        self.text.push('$');
        self.text.push_str(&self.args.len().to_string());
        self
    }
    /// This query followed by `other` (a WHERE clause, say), placeholders renumbered.
    pub fn append(mut self, other: &Sql) -> Sql {
        let offset = self.args.len();
        let mut chars = other.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '$' && chars.peek().is_some_and(|d| d.is_ascii_digit()) {
                let mut n = String::new();
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    n.push(d);
                    chars.next();
                }
                let n: usize = n.parse().unwrap_or(0);
                self.text.push('$');
                self.text.push_str(&(n + offset).to_string());
            } else {
                self.text.push(c);
            }
        }
        self.args.extend(other.args.iter().cloned());
        self
    }

    pub fn query(&self) -> Query<'_, Any, AnyArguments<'_>> {
        self.query_text(&self.text)
    }

    /// The query for `backend`. On SQLite, placeholders that run `$1`, `$2`, … in order
    /// become anonymous `?`: binding a named parameter costs SQLite a scan of all the
    /// names, which makes a 10,000-value INSERT quadratic (74% of an import's time).
    pub fn query_on(&self, backend: crate::Backend) -> (String, bool) {
        if backend != crate::Backend::Sqlite {
            return (self.text.clone(), false);
        }
        let mut out = String::with_capacity(self.text.len());
        let mut chars = self.text.chars().peekable();
        let mut expected = 1usize;
        while let Some(c) = chars.next() {
            if c == '$' && chars.peek().is_some_and(|d| d.is_ascii_digit()) {
                let mut n = String::new();
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    n.push(d);
                    chars.next();
                }
                if n.parse::<usize>().ok() != Some(expected) {
                    return (self.text.clone(), false);
                }
                expected += 1;
                out.push('?');
            } else {
                out.push(c);
            }
        }
        (out, true)
    }

    /// Bind this query's arguments to `text` (its own text, or [`Sql::query_on`]'s).
    pub fn query_text<'q>(&'q self, text: &'q str) -> Query<'q, Any, AnyArguments<'q>> {
        let mut q = sqlx::query(text);
        for a in &self.args {
            q = match a {
                Arg::Int(v) => q.bind(*v),
                Arg::Text(v) => q.bind(v.as_str()),
                Arg::NullInt => q.bind(Option::<i64>::None),
                Arg::NullText => q.bind(Option::<String>::None),
            };
        }
        q
    }
}

/// Escape `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
pub(crate) fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
