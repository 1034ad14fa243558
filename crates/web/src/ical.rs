//! iCalendar (RFC 5545) for meetings: one event per meeting, times in UTC, text escaped
//! and lines folded at 75 octets without splitting a character.

use minbar_core::ical_utc;

/// One event.
pub struct Event<'a> {
    pub uid: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub summary: &'a str,
    pub location: Option<&'a str>,
    pub description: String,
    pub url: String,
}

fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => o.push_str("\\\\"),
            ';' => o.push_str("\\;"),
            ',' => o.push_str("\\,"),
            '\n' => o.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => o.push(c),
        }
    }
    o
}

/// Append `line` folded: at most 75 octets per physical line, continuation lines start
/// with a space.
fn push_folded(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

/// A calendar holding `events`, named `name`.
pub fn calendar(name: &str, events: &[Event<'_>], now: i64) -> String {
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Minbar//Minbar meetings//AR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        push_folded(&mut out, l);
    }
    push_folded(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    for e in events {
        push_folded(&mut out, "BEGIN:VEVENT");
        push_folded(&mut out, &format!("UID:{}", e.uid));
        push_folded(&mut out, &format!("DTSTAMP:{}", ical_utc(now)));
        push_folded(&mut out, &format!("DTSTART:{}", ical_utc(e.starts_at)));
        push_folded(&mut out, &format!("DTEND:{}", ical_utc(e.ends_at)));
        push_folded(&mut out, &format!("SUMMARY:{}", escape(e.summary)));
        if let Some(l) = e.location {
            push_folded(&mut out, &format!("LOCATION:{}", escape(l)));
        }
        push_folded(&mut out, &format!("DESCRIPTION:{}", escape(&e.description)));
        push_folded(&mut out, &format!("URL:{}", e.url));
        push_folded(&mut out, "END:VEVENT");
    }
    push_folded(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_escaped_and_folded_without_breaking_letters() {
        let title =
            "اجتماع تنسيقي بين منبر منظمات المجتمع المدني السوري ولجنة العلاقات العربية; جلسة, أولى";
        let c = calendar(
            "Minbar",
            &[Event {
                uid: "meeting-1@minbar".into(),
                starts_at: 1_796_281_200,
                ends_at: 1_796_288_400,
                summary: title,
                location: Some("غازي عنتاب"),
                description: "سطر\nسطر".into(),
                url: "https://minbar.example/meetings/1".into(),
            }],
            1_796_000_000,
        );
        assert!(c.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(c.contains("DTSTART:20261203T070000Z\r\n"), "{c}");
        for l in c.split("\r\n") {
            assert!(l.len() <= 75, "{l}");
        }
        // unfolded, the summary is the title with ; and , escaped
        let unfolded = c.replace("\r\n ", "");
        assert!(unfolded.contains(&format!(
            "SUMMARY:{}",
            title.replace(';', "\\;").replace(',', "\\,")
        )));
        assert!(unfolded.contains("DESCRIPTION:سطر\\nسطر"));
    }
}
