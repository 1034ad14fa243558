//! The policy tracker as an HXL table, for the CSV and Excel exports.

use minbar_hxl::table::{Column, Row, Table};
use minbar_hxl::Hashtag;
use minbar_store::policy::PolicyItem;

/// The columns of the policy export: (field, English header, hashtag). Callers may
/// replace the headers with translations keyed by field (`policy-field-…`).
pub const POLICY_COLUMNS: &[(&str, &str, &str)] = &[
    ("id", "Id", "#meta+id"),
    ("title_ar", "Title (Arabic)", "#meta+title+i_ar"),
    ("title_en", "Title (English)", "#meta+title+i_en"),
    ("title_tr", "Title (Turkish)", "#meta+title+i_tr"),
    ("authority", "Issuing authority", "#org+authority"),
    ("instrument", "Instrument", "#meta+instrument"),
    ("reference", "Reference", "#meta+ref"),
    ("issued", "Issued", "#date+issued"),
    ("effective", "Effective", "#date+effective"),
    ("expires", "Expires", "#date+expires"),
    ("status", "Status", "#status"),
    ("impact", "Impact", "#severity+impact"),
    ("areas", "Areas", "#loc+code+list"),
    ("groups", "Groups affected", "#population+type+list"),
    ("topics", "Topics", "#meta+topic+list"),
    ("sources", "Sources", "#meta+url+list"),
    ("proposal", "Joint position (proposal)", "#meta+proposal"),
    ("advocacy", "Advocacy steps", "#indicator+advocacy+num"),
    ("summary_ar", "Summary (Arabic)", "#description+i_ar"),
    ("summary_en", "Summary (English)", "#description+i_en"),
    ("summary_tr", "Summary (Turkish)", "#description+i_tr"),
];

/// The items as an HXL table with [`POLICY_COLUMNS`]; lists are joined with `,` (links
/// with spaces, since a link may hold a comma).
pub fn policy_table(items: &[PolicyItem]) -> Table {
    let mut table = Table {
        columns: POLICY_COLUMNS
            .iter()
            .map(|(_, h, t)| Column {
                header: Some(h.to_string()),
                tag: Hashtag::parse(t),
            })
            .collect(),
        ..Default::default()
    };
    let s = |o: &Option<String>| o.clone().unwrap_or_default();
    for p in items {
        let values = vec![
            p.id.to_string(),
            s(&p.title.ar),
            s(&p.title.en),
            s(&p.title.tr),
            p.authority
                .as_ref()
                .map(|a| a.acronym.clone())
                .unwrap_or_default(),
            p.instrument.code().to_string(),
            s(&p.reference),
            s(&p.issued),
            s(&p.effective),
            s(&p.expires),
            p.status.code().to_string(),
            p.impact.code().to_string(),
            p.areas.join(","),
            p.groups
                .iter()
                .map(|g| g.code())
                .collect::<Vec<_>>()
                .join(","),
            p.topics
                .iter()
                .map(|t| t.code())
                .collect::<Vec<_>>()
                .join(","),
            p.sources.join(" "),
            p.proposal
                .as_ref()
                .map(|x| x.id.to_string())
                .unwrap_or_default(),
            p.advocacy.len().to_string(),
            s(&p.summary.ar),
            s(&p.summary.en),
            s(&p.summary.tr),
        ];
        table.rows.push(Row {
            source_row: table.rows.len() + 3,
            values,
        });
    }
    table
}
