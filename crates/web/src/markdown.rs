//! Markdown for minutes, proposals and summaries, rendered to HTML that is safe to put in
//! a page: raw HTML in the source is shown as text, links go only to `http(s)`, `mailto`
//! or this site, and images become links (the page loads nothing from elsewhere).

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

fn safe_url(u: &str) -> bool {
    let l = u.trim().to_ascii_lowercase();
    l.starts_with("https://")
        || l.starts_with("http://")
        || l.starts_with("mailto:")
        || (l.starts_with('/') && !l.starts_with("//"))
        || l.starts_with('#')
}

/// `src` as HTML.
pub fn to_html(src: &str) -> String {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut dropped_links = 0usize;
    let events = Parser::new_ext(src, opts).filter_map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Some(Event::Text(h)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            if safe_url(&dest_url) {
                Some(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }))
            } else {
                dropped_links += 1;
                None
            }
        }
        Event::End(TagEnd::Link) if dropped_links > 0 => {
            dropped_links -= 1;
            None
        }
        Event::Start(Tag::Image {
            dest_url,
            title,
            id,
            ..
        }) => {
            let dest_url = if safe_url(&dest_url) {
                dest_url
            } else {
                CowStr::from("#")
            };
            Some(Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url,
                title,
                id,
            }))
        }
        Event::End(TagEnd::Image) => Some(Event::End(TagEnd::Link)),
        e => Some(e),
    });
    let mut out = String::with_capacity(src.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn html_in_markdown_is_text_and_links_are_only_safe_ones() {
        let h = to_html("## المحضر\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](https://example.org) ![i](http://evil/x.png)");
        assert!(h.contains("<h2>المحضر</h2>"), "{h}");
        assert!(!h.contains("<script>"), "{h}");
        assert!(h.contains("&lt;script&gt;"), "{h}");
        assert!(!h.contains("javascript:"), "{h}");
        assert!(h.contains(r#"<a href="https://example.org">y</a>"#), "{h}");
        assert!(!h.contains("<img"), "{h}");
        let h = to_html("<img src=x onerror=alert(1)> **b**");
        assert!(!h.contains("<img"), "{h}");
        assert!(h.contains("<strong>b</strong>"), "{h}");
    }
}
