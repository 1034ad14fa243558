//! Maps drawn on the server as SVG: first-level areas shaded by how many member
//! organisations work in each. Light enough for a poor connection (points closer than a
//! pixel are dropped), accessible (each area has a title), and printable.

use crate::i18n::Tr;
use std::collections::HashMap;
use std::fmt::Write;

pub const WIDTH: f64 = 640.0;

/// Projected outlines: (area code, SVG path data), and the height of the drawing.
#[derive(Debug, Clone)]
pub struct Outlines {
    pub paths: Vec<(String, String)>,
    pub height: f64,
}

type Rings = Vec<Vec<(f64, f64)>>;

fn rings(geometry: &serde_json::Value) -> Rings {
    let mut out = Vec::new();
    let pt = |p: &serde_json::Value| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?));
    let ring = |r: &serde_json::Value| -> Vec<(f64, f64)> {
        r.as_array().into_iter().flatten().filter_map(pt).collect()
    };
    match geometry["type"].as_str() {
        Some("Polygon") => {
            for r in geometry["coordinates"].as_array().into_iter().flatten() {
                out.push(ring(r));
            }
        }
        Some("MultiPolygon") => {
            for poly in geometry["coordinates"].as_array().into_iter().flatten() {
                for r in poly.as_array().into_iter().flatten() {
                    out.push(ring(r));
                }
            }
        }
        _ => {}
    }
    out
}

/// Project GeoJSON geometries (equirectangular, corrected for latitude) into SVG paths.
pub fn outlines(shapes: &[(String, String)]) -> Outlines {
    let parsed: Vec<(String, Rings)> = shapes
        .iter()
        .filter_map(|(code, g)| {
            let v: serde_json::Value = serde_json::from_str(g).ok()?;
            Some((code.clone(), rings(&v)))
        })
        .collect();
    let (mut minx, mut maxx, mut miny, mut maxy) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (_, rs) in &parsed {
        for &(x, y) in rs.iter().flatten() {
            minx = minx.min(x);
            maxx = maxx.max(x);
            miny = miny.min(y);
            maxy = maxy.max(y);
        }
    }
    if parsed.is_empty() || minx >= maxx || miny >= maxy {
        return Outlines {
            paths: vec![],
            height: 0.0,
        };
    }
    let k = ((miny + maxy) / 2.0).to_radians().cos();
    let scale = WIDTH / ((maxx - minx) * k);
    let height = (maxy - miny) * scale;
    let paths = parsed
        .into_iter()
        .map(|(code, rs)| {
            let mut d = String::new();
            for r in rs {
                // integer pixels, relative moves, points under 1.5 px apart dropped
                let mut last: Option<(i64, i64)> = None;
                let mut n = 0;
                for (x, y) in r {
                    let p = (
                        ((x - minx) * k * scale).round() as i64,
                        ((maxy - y) * scale).round() as i64,
                    );
                    match last {
                        None => {
                            let _ = write!(d, "M{},{}", p.0, p.1);
                        }
                        Some(l) => {
                            let (dx, dy) = (p.0 - l.0, p.1 - l.1);
                            if dx.abs() + dy.abs() < 2 {
                                continue;
                            }
                            let _ = write!(d, "l{dx},{dy}");
                        }
                    }
                    last = Some(p);
                    n += 1;
                }
                if n > 2 {
                    d.push('z');
                } else if n > 0 {
                    // a ring smaller than a pixel or two: drop it
                    if let Some(pos) = d.rfind('M') {
                        d.truncate(pos);
                    }
                }
            }
            (code, d)
        })
        .collect();
    Outlines { paths, height }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One area's shade (0 = none, 1–4 = light to dark) and the text of its title.
pub struct Shade {
    pub bucket: u8,
    pub title: String,
}

/// Whether `c` is a letter or digit of the Arabic script.
fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// A choropleth: each area a link (`href(code)`), shaded and titled as `shades` says, with
/// a legend of (bucket, label) drawn inside the SVG so a downloaded copy keeps it.
pub fn choropleth(
    o: &Outlines,
    shades: &HashMap<String, Shade>,
    label: &str,
    href: &dyn Fn(&str) -> String,
    legend: &[(u8, String)],
    selected: Option<&str>,
) -> String {
    let legend_h = if legend.is_empty() { 0.0 } else { 32.0 };
    let mut s = String::with_capacity(64 * 1024);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h:.0}" role="img" aria-label="{label}"><title>{label}</title>"#,
        w = WIDTH,
        h = o.height + legend_h,
        label = escape(label)
    );
    for (code, d) in &o.paths {
        let (bucket, title) = match shades.get(code) {
            Some(sh) => (sh.bucket.min(4), sh.title.as_str()),
            None => (0, code.as_str()),
        };
        let sel = if selected == Some(code.as_str()) {
            " selected"
        } else {
            ""
        };
        let _ = write!(
            s,
            r#"<a href="{href}"><path class="area n{bucket}{sel}" data-code="{code}" d="{d}"><title>{title}</title></path></a>"#,
            href = escape(&href(code)),
            code = escape(code),
            title = escape(title),
        );
    }
    if !legend.is_empty() {
        let y = o.height + 6.0;
        // each entry as wide as its label needs (swatch and gap counted as four
        // characters), so a long last label ("75% and more") is not cut at the edge
        let weight = |t: &str| t.chars().count() as f64 + 4.0;
        let total: f64 = legend.iter().map(|(_, t)| weight(t)).sum();
        let mut x = 4.0;
        for (bucket, text) in legend {
            let step = (WIDTH - 8.0) * weight(text) / total;
            // swatch, then its label to the right of it, whatever the page's direction:
            // an Arabic label is set right to left and anchored by its end (its left
            // edge), so it neither runs back over its swatch nor loses its bidi order
            let dir = if text.chars().any(is_arabic) {
                r#"direction="rtl" text-anchor="end""#
            } else {
                r#"direction="ltr""#
            };
            let _ = write!(
                s,
                r#"<g class="legend"><rect class="area n{bucket}" x="{x:.0}" y="{y:.0}" width="18" height="18"/><text x="{tx:.0}" y="{ty:.0}" font-size="17" {dir}>{t}</text></g>"#,
                tx = x + 24.0,
                ty = y + 15.0,
                t = escape(text)
            );
            x += step;
        }
    }
    s.push_str("</svg>");
    s
}

/// The map as an SVG element: each area a link to its page, shaded by `counts`.
pub fn render(
    o: &Outlines,
    counts: &HashMap<String, i64>,
    names: &HashMap<String, String>,
    t: Tr,
    selected: Option<&str>,
) -> String {
    let max = counts.values().copied().max().unwrap_or(0).max(1);
    let shades = o
        .paths
        .iter()
        .map(|(code, _)| {
            let n = counts.get(code).copied().unwrap_or(0);
            // 0 for none, then four shades from 1 to the maximum
            let bucket = match n {
                0 => 0,
                _ if max == 1 => 4,
                _ => 1 + (3 * (n - 1) + (max - 1) / 2) / (max - 1),
            };
            let name = names.get(code).map(String::as_str).unwrap_or(code);
            let what = if n == 0 {
                t.get("map-none")
            } else {
                t.count("map-members", n)
            };
            (
                code.clone(),
                Shade {
                    bucket: bucket as u8,
                    title: format!("{name}: {what}"),
                },
            )
        })
        .collect();
    choropleth(
        o,
        &shades,
        &t.get("map-title"),
        &|code| format!("/areas/{code}"),
        &[],
        selected,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use minbar_core::Lang;

    #[test]
    fn areas_are_drawn_shaded_and_titled() {
        let shapes = vec![
            (
                "A".to_string(),
                r#"{"type":"Polygon","coordinates":[[[36,35],[37,35],[37,36],[36,36],[36,35]]]}"#
                    .to_string(),
            ),
            (
                "B".to_string(),
                r#"{"type":"Polygon","coordinates":[[[37,35],[38,35],[38,36],[37,36],[37,35]]]}"#
                    .to_string(),
            ),
        ];
        let o = outlines(&shapes);
        assert_eq!(o.paths.len(), 2);
        let counts = HashMap::from([("A".to_string(), 3)]);
        let names = HashMap::from([("A".to_string(), "<Idlib>".to_string())]);
        let svg = render(&o, &counts, &names, Tr(Lang::En), Some("B"));
        assert!(svg.contains(r#"class="area n4" data-code="A""#));
        assert!(svg.contains(r#"class="area n0 selected" data-code="B""#));
        assert!(svg.contains("&lt;Idlib&gt;: 3 member organisations"));
    }

    /// Each legend label sits right of its swatch: an Arabic one set right to left and
    /// anchored by its end (else, in an Arabic page, it ran back over its swatch), an
    /// English one left to right; entries are as wide as their labels, so the longest
    /// does not run off the edge.
    #[test]
    fn legend_labels_sit_beside_their_swatches_in_both_directions() {
        let o = Outlines {
            paths: vec![],
            height: 100.0,
        };
        let ar = [(0, "لا أرقام".to_string()), (1, "أقل من ٢٥٪".to_string())];
        let svg = choropleth(&o, &HashMap::new(), "m", &|c| c.to_string(), &ar, None);
        assert!(svg.contains(r#"direction="rtl" text-anchor="end">لا أرقام</text>"#));
        let legend = ["no figure", "under 25%", "25–50%", "50–75%", "75% and more"]
            .iter()
            .enumerate()
            .map(|(i, t)| (i as u8, t.to_string()))
            .collect::<Vec<_>>();
        let svg = choropleth(&o, &HashMap::new(), "m", &|c| c.to_string(), &legend, None);
        assert!(svg.contains(r#"direction="ltr">75% and more</text>"#));
        let xs: Vec<f64> = svg
            .split("<text x=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap().parse().unwrap())
            .collect();
        assert_eq!(xs.len(), 5);
        assert!(xs.windows(2).all(|w| w[0] < w[1]), "{xs:?}");
        // the last label's room: from its x to the edge, at least 9 px per character
        assert!(WIDTH - xs[4] >= 9.0 * 12.0, "{xs:?}");
    }
}
