//! HXL as JSON: arrays of arrays (header and hashtag rows first, as in a spreadsheet) or
//! arrays of objects whose keys are hashtags (`{"#org": "AMAL", "#adm1+code": "SY-ID"}`).

use crate::table::{Column, Row, Table};
use crate::tag::Hashtag;
use crate::HxlError;
use serde_json::Value;

fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// Read JSON in either shape.
pub fn read_json(bytes: &[u8]) -> Result<Table, HxlError> {
    let v: Value = serde_json::from_slice(bytes).map_err(|e| HxlError::Parse {
        row: e.line(),
        message: format!("not valid JSON: {e}"),
    })?;
    let Value::Array(items) = v else {
        return Err(HxlError::Parse {
            row: 1,
            message: "HXL JSON is an array of rows (arrays) or of objects with hashtag keys".into(),
        });
    };
    if items.iter().all(Value::is_array) {
        let rows = items.iter().enumerate().map(|(i, r)| {
            (
                i + 1,
                r.as_array()
                    .map(|a| a.iter().map(cell).collect())
                    .unwrap_or_default(),
            )
        });
        return Table::from_rows(rows);
    }
    if items.iter().all(Value::is_object) {
        let mut keys: Vec<String> = Vec::new();
        for o in items.iter().filter_map(Value::as_object) {
            for k in o.keys() {
                if !keys.contains(k) {
                    keys.push(k.clone());
                }
            }
        }
        let mut table = Table::default();
        for k in &keys {
            let tag = Hashtag::parse(k);
            if tag.is_none() {
                table.warnings.push(format!(
                    "key {k:?} is not a hashtag: its values are kept untagged"
                ));
            }
            table.columns.push(Column { header: None, tag });
        }
        if table.columns.iter().all(|c| c.tag.is_none()) {
            return Err(HxlError::NoHashtagRow {
                limit: 1,
                rows_seen: 0,
            });
        }
        for (i, o) in items.iter().filter_map(Value::as_object).enumerate() {
            table.rows.push(Row {
                source_row: i + 1,
                values: keys
                    .iter()
                    .map(|k| o.get(k).map(cell).unwrap_or_default())
                    .collect(),
            });
        }
        return Ok(table);
    }
    Err(HxlError::Parse {
        row: 1,
        message: "rows must be all arrays or all objects".into(),
    })
}

/// Write JSON: arrays of arrays (headers if any, hashtags, rows), or objects keyed by
/// hashtag (untagged columns left out).
pub fn write_json(table: &Table, objects: bool) -> Vec<u8> {
    let v = if objects {
        Value::Array(
            table
                .rows
                .iter()
                .map(|r| {
                    let mut o = serde_json::Map::new();
                    for (i, c) in table.columns.iter().enumerate() {
                        if let Some(t) = &c.tag {
                            o.entry(t.to_string())
                                .or_insert_with(|| Value::String(r.get(i).to_string()));
                        }
                    }
                    Value::Object(o)
                })
                .collect(),
        )
    } else {
        let mut rows: Vec<Value> = Vec::new();
        if table.has_headers() {
            rows.push(Value::Array(
                table
                    .columns
                    .iter()
                    .map(|c| Value::String(c.header.clone().unwrap_or_default()))
                    .collect(),
            ));
        }
        rows.push(Value::Array(
            table
                .columns
                .iter()
                .map(|c| Value::String(c.tag.as_ref().map(|t| t.to_string()).unwrap_or_default()))
                .collect(),
        ));
        for r in &table.rows {
            rows.push(Value::Array(
                r.values.iter().map(|v| Value::String(v.clone())).collect(),
            ));
        }
        Value::Array(rows)
    };
    let mut out = serde_json::to_vec_pretty(&v).unwrap_or_default();
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_shapes_read_and_write() {
        let arrays = br##"[["Org","Province"],["#org","#adm1+code"],["AMAL","SY-ID"]]"##;
        let t = read_json(arrays).unwrap();
        assert_eq!(t.columns[1].header.as_deref(), Some("Province"));
        assert_eq!(t.rows[0].values, ["AMAL", "SY-ID"]);
        let objects = br##"[{"#org": "AMAL", "#reached+f": 12}, {"#org": "NOUR"}]"##;
        let t2 = read_json(objects).unwrap();
        assert_eq!(t2.rows[0].values, ["AMAL", "12"]);
        assert_eq!(t2.rows[1].values, ["NOUR", ""]);
        let back = read_json(&write_json(&t, false)).unwrap();
        assert_eq!(back.rows, t.rows);
        let objs: Value = serde_json::from_slice(&write_json(&t, true)).unwrap();
        assert_eq!(objs[0]["#adm1+code"], "SY-ID");
    }

    #[test]
    fn bad_json_says_why() {
        assert!(read_json(b"{")
            .unwrap_err()
            .to_string()
            .contains("not valid JSON"));
        assert!(read_json(b"{\"a\":1}").is_err());
        assert!(read_json(b"[[1],{\"a\":1}]").is_err());
        assert!(read_json(br#"[{"name": "x"}]"#).is_err(), "no hashtag keys");
    }
}
