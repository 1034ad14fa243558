//! Atom feeds (RFC 4287) of what people follow: bulletins today, documents and the policy
//! tracker as they come. Text is escaped for XML; entry content is the HTML the pages show,
//! escaped as `type="html"` requires.

use crate::ctx::Ctx;
use crate::error::PageError;
use crate::AppState;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use minbar_core::{rfc3339, Actor};

/// A feed as an HTTP answer: Atom's media type, never cached.
pub fn response(body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// Who a personal feed is read as: the owner of the feed secret (the calendar's). A
/// wrong secret is a 404.
pub async fn owner(ctx: &Ctx, st: &AppState, token: &str) -> Result<Actor, PageError> {
    match st
        .store
        .calendar_user(token)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?
    {
        Some(user) => Ok(user.actor()),
        None => Err(PageError::not_found(ctx.lang)),
    }
}

/// One entry.
pub struct Entry {
    /// A permanent address: the record's page.
    pub id: String,
    pub title: String,
    pub author: String,
    pub published: i64,
    pub updated: i64,
    /// HTML.
    pub content: String,
    pub category: String,
}

/// Escape for XML text and attribute values; characters XML 1.0 forbids are dropped.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\t' | '\n' | '\r' => o.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => o.push(c),
        }
    }
    o
}

/// A feed: `self_url` is its own address, `alternate` the page it follows, `lang` the
/// interface language of its title.
pub fn feed(
    self_url: &str,
    alternate: &str,
    title: &str,
    lang: &str,
    entries: &[Entry],
    now: i64,
) -> String {
    let updated = entries.iter().map(|e| e.updated).max().unwrap_or(now);
    let mut o = String::new();
    o.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    o.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        escape(lang)
    ));
    o.push_str(&format!("  <id>{}</id>\n", escape(alternate)));
    o.push_str(&format!("  <title>{}</title>\n", escape(title)));
    o.push_str(&format!("  <updated>{}</updated>\n", rfc3339(updated)));
    o.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape(self_url)
    ));
    o.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(alternate)
    ));
    o.push_str("  <author><name>Minbar</name></author>\n");
    o.push_str("  <generator>Minbar</generator>\n");
    for e in entries {
        o.push_str("  <entry>\n");
        o.push_str(&format!("    <id>{}</id>\n", escape(&e.id)));
        o.push_str(&format!("    <title>{}</title>\n", escape(&e.title)));
        o.push_str(&format!(
            "    <published>{}</published>\n",
            rfc3339(e.published)
        ));
        o.push_str(&format!("    <updated>{}</updated>\n", rfc3339(e.updated)));
        o.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape(&e.id)
        ));
        o.push_str(&format!(
            "    <author><name>{}</name></author>\n",
            escape(&e.author)
        ));
        o.push_str(&format!(
            "    <category term=\"{}\"/>\n",
            escape(&e.category)
        ));
        o.push_str(&format!(
            "    <content type=\"html\">{}</content>\n",
            escape(&e.content)
        ));
        o.push_str("  </entry>\n");
    }
    o.push_str("</feed>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feeds_escape_text_and_carry_what_rfc_4287_requires() {
        let f = feed(
            "https://m.example/bulletins/feed.atom",
            "https://m.example/bulletins",
            "Bulletins & calls",
            "ar",
            &[Entry {
                id: "https://m.example/bulletins/1".into(),
                title: "<script>دعوة</script>".into(),
                author: "AMAL \"Hope\"".into(),
                published: 1_796_281_200,
                updated: 1_796_281_200,
                content: "<p>نص</p>\u{1}".into(),
                category: "call".into(),
            }],
            0,
        );
        assert!(f.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
        for must in [
            "<id>https://m.example/bulletins</id>",
            "<title>Bulletins &amp; calls</title>",
            "<updated>2026-12-03T07:00:00Z</updated>",
            "rel=\"self\"",
            "<author><name>Minbar</name></author>",
            "<title>&lt;script&gt;دعوة&lt;/script&gt;</title>",
            "<name>AMAL &quot;Hope&quot;</name>",
            "<content type=\"html\">&lt;p&gt;نص&lt;/p&gt;</content>",
        ] {
            assert!(f.contains(must), "{must}\n{f}");
        }
        assert!(!f.contains('\u{1}'));
    }
}
