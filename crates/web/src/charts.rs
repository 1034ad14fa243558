//! Charts drawn on the server as SVG: small, accessible (a title per bar, the numbers in a
//! table beside every chart on the page), printable and downloadable as they are.

use std::fmt::Write;

const W: f64 = 640.0;
const H: f64 = 220.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = 30.0;
const SIDE: f64 = 8.0;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Thousands grouped with a thin space, the same in every language of the page.
pub fn group(n: i64) -> String {
    let d = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in d.chars().enumerate() {
        if i > 0 && (d.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A column chart: one bar per item (label under it, value on top, `title` on hover and
/// for screen readers). Time runs left to right whatever the page's direction.
pub fn columns(label: &str, items: &[(String, i64, String)]) -> String {
    let mut s = String::with_capacity(4096);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" aria-label="{l}" direction="ltr"><title>{l}</title>"#,
        l = escape(label)
    );
    let max = items.iter().map(|i| i.1).max().unwrap_or(0).max(1) as f64;
    let n = items.len().max(1) as f64;
    let slot = (W - 2.0 * SIDE) / n;
    let bar = (slot * 0.7).min(60.0);
    let plot = H - TOP - BOTTOM;
    let _ = write!(
        s,
        r#"<line class="axis" x1="{SIDE}" y1="{y:.1}" x2="{x2:.1}" y2="{y:.1}"/>"#,
        y = H - BOTTOM,
        x2 = W - SIDE
    );
    for (i, (name, value, title)) in items.iter().enumerate() {
        let h = plot * (*value as f64) / max;
        let x = SIDE + slot * i as f64 + (slot - bar) / 2.0;
        let y = H - BOTTOM - h;
        let _ = write!(
            s,
            r#"<g class="bar"><rect x="{x:.1}" y="{y:.1}" width="{bar:.1}" height="{h:.1}"><title>{t}</title></rect><text class="value" x="{cx:.1}" y="{vy:.1}" text-anchor="middle" font-size="11">{v}</text><text class="label" x="{cx:.1}" y="{ly:.1}" text-anchor="middle" font-size="11">{name}</text></g>"#,
            t = escape(title),
            cx = x + bar / 2.0,
            vy = (y - 4.0).max(11.0),
            v = group(*value),
            ly = H - BOTTOM + 16.0,
            name = escape(name),
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_scaled_titled_and_escaped() {
        let svg = columns(
            "Reached <by month>",
            &[
                ("2026-01".into(), 100, "January: 100".into()),
                ("2026-02".into(), 50, "February: 50".into()),
            ],
        );
        assert!(svg.contains("Reached &lt;by month&gt;"));
        assert!(svg.contains("<title>January: 100</title>"));
        // the larger bar fills the plot, the other half of it
        assert!(
            svg.contains(r#"height="166.0""#) && svg.contains(r#"height="83.0""#),
            "{svg}"
        );
        assert_eq!(group(1_234_567), "1,234,567");
        assert!(columns("empty", &[]).ends_with("</svg>"));
    }
}
