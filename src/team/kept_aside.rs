//! What a sync kept aside: the local value of a field that this desktop and someone else both
//! changed differently (`sync_conflicts`, written by `sync.rs` for entries and by `merge.rs` for
//! vendors, findings, review answers, assignments and comments). The team library's value was
//! kept; the person looks at both side by side and either keeps theirs (the aside is dropped) or
//! puts theirs back ("keep mine"): a local change like any other, marked for the next sync,
//! recorded in the row's history and audited on both sides.

use super::rows::{a, noun};
use crate::library::{answer_key, question_key, Library};
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use serde_json::Value;

/// One field kept aside, for the Conflicts view and `quire team conflicts`.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KeptAside {
    pub id: i64,
    /// The kind of row: "entries", "vendors", "finding_status", "review_items", "assignments", "comments".
    pub table: String,
    /// What the row is, for people ("vendor Acme Health", an entry's question, …).
    pub what: String,
    pub field: String,
    /// This desktop's value, which the sync did not keep.
    pub yours: Option<String>,
    /// The team library's value, which the row has now.
    pub theirs: Option<String>,
    /// Who made the team library's change.
    pub by: String,
    pub at: String,
    /// Whether "keep mine" can put this value back (false when its row is gone).
    pub restorable: bool,
}

/// Everything kept aside, newest first.
pub fn kept_aside(lib: &Library) -> Result<Vec<KeptAside>> {
    let conn = lib.conn();
    let err = |e| lib.err(e);
    type Row = (i64, String, Option<i64>, Option<i64>, String, Option<String>, Option<String>, String, String);
    let rows: Vec<Row> = {
        let mut st = conn
            .prepare("SELECT id, tbl, local_id, entry_id, field, local_value, server_value, server_by, at FROM sync_conflicts ORDER BY at DESC, id DESC")
            .map_err(err)?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?))).map_err(err)?;
        rows.collect::<rusqlite::Result<_>>().map_err(err)?
    };
    let mut out = Vec::with_capacity(rows.len());
    for (id, table, local_id, entry_id, field, yours, theirs, by, at) in rows {
        let local_id = local_id.or(entry_id);
        let what = describe(lib, &table, local_id)?;
        out.push(KeptAside { id, restorable: what.is_some(), what: what.unwrap_or_else(|| format!("{} that is no longer here", a(noun(&table)))), table, field, yours, theirs, by, at });
    }
    Ok(out)
}

/// The row for people, or `None` when it is gone.
fn describe(lib: &Library, table: &str, id: Option<i64>) -> Result<Option<String>> {
    let Some(id) = id else { return Ok(None) };
    let conn = lib.conn();
    let text = |sql: &str, args: &[&dyn rusqlite::ToSql]| -> Result<Option<String>> { conn.query_row(sql, args, |r| r.get(0)).optional().map_err(|e| lib.err(e)) };
    Ok(match table {
        "entries" => text("SELECT question FROM entries WHERE id = ?1", &[&id])?,
        "vendors" => text("SELECT 'vendor ' || name FROM vendors WHERE id = ?1", &[&id])?,
        "finding_status" => text(
            "SELECT 'finding ' || (?2 + 1) || ' of ' || v.name || '''s assessment of ' || a.assessed_at FROM assessments a JOIN vendors v ON v.id = a.vendor_id WHERE a.id = ?1",
            &[&(id >> 32), &(id & 0xffff_ffff)],
        )?,
        "review_items" => text("SELECT 'question ' || (?2 + 1) || ' of ' || questionnaire FROM reviews WHERE id = ?1 AND EXISTS (SELECT 1 FROM review_items WHERE review_id = ?1 AND idx = ?2)", &[&(id >> 32), &(id & 0xffff_ffff)])?,
        "assignments" => text("SELECT 'assignment to ' || a.assignee || ' on ' || r.questionnaire FROM assignments a JOIN reviews r ON r.id = a.review_id WHERE a.id = ?1", &[&id])?,
        _ => text("SELECT 'comment by ' || c.author || ' on ' || r.questionnaire FROM comments c JOIN reviews r ON r.id = c.review_id WHERE c.id = ?1", &[&id])?,
    })
}

/// Settles one kept-aside value: `keep_mine` puts it back on its row (a local change, synced
/// next), otherwise the team library's value stays. Either way it leaves the list.
pub fn resolve(lib: &mut Library, id: i64, keep_mine: bool) -> Result<()> {
    let err = |e| lib.err(e);
    type Row = (String, Option<i64>, String, Option<String>, Option<String>);
    let row: Option<Row> = lib
        .conn()
        .query_row("SELECT tbl, COALESCE(local_id, entry_id), field, local_json, local_value FROM sync_conflicts WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()
        .map_err(err)?;
    let Some((table, local_id, field, json, shown)) = row else {
        return Err(Error::invalid("team.kept_aside.no_such", format!("nothing kept aside has the id {id}; it may have been settled already")));
    };
    let tx = lib.write_tx()?;
    if keep_mine {
        let Some(local_id) = local_id.filter(|_| describe(lib, &table, local_id).ok().flatten().is_some()) else {
            return Err(Error::invalid("team.kept_aside.row_gone", format!("the {} this value belonged to is no longer here, so it cannot be put back; keep theirs to clear it", noun(&table))));
        };
        // The exact value (older rows kept only the text for people).
        let value: Value = json.as_deref().and_then(|j| serde_json::from_str(j).ok()).unwrap_or_else(|| shown.map(Value::String).unwrap_or(Value::Null));
        put_back(&tx, &table, local_id, &field, &value).map_err(|e| match e {
            PutBack::Sql(e) => lib.err(e),
            PutBack::Refused(why) => Error::invalid("team.kept_aside.cannot_put_back", why),
        })?;
    }
    tx.execute("DELETE FROM sync_conflicts WHERE id = ?1", [id]).map_err(err)?;
    tx.commit().map_err(err)?;
    Ok(())
}

enum PutBack {
    Sql(rusqlite::Error),
    Refused(String),
}

impl From<rusqlite::Error> for PutBack {
    fn from(e: rusqlite::Error) -> Self {
        PutBack::Sql(e)
    }
}

/// A JSON value as SQLite stores the column (text, number, 0/1, JSON text for lists).
fn sql_value(v: &Value) -> rusqlite::types::Value {
    use rusqlite::types::Value as S;
    match v {
        Value::Null => S::Null,
        Value::Bool(b) => S::Integer(i64::from(*b)),
        Value::Number(n) => n.as_i64().map(S::Integer).unwrap_or_else(|| S::Real(n.as_f64().unwrap_or(0.0))),
        Value::String(s) => S::Text(s.clone()),
        other => S::Text(other.to_string()),
    }
}

fn put_back(tx: &rusqlite::Transaction<'_>, table: &str, id: i64, field: &str, value: &Value) -> std::result::Result<(), PutBack> {
    let now = crate::dates::now_text();
    // Column names come from the fixed lists of synced fields, never from the stored row.
    let allowed: &[&str] = match table {
        "entries" => &super::answers::ENTRY_FIELDS,
        "review_items" => &super::reviews::ITEM_FIELDS,
        "assignments" => &super::reviews::ASSIGNMENT_FIELDS,
        "comments" => &super::reviews::COMMENT_FIELDS,
        "finding_status" => &["status", "note"],
        "vendors" => &[],
        _ => return Err(PutBack::Refused(format!("values of {table} cannot be put back"))),
    };
    let column = allowed.iter().find(|c| **c == field).copied();
    match (table, column) {
        ("entries", Some(c)) => {
            let old: Option<String> = tx.query_row(&format!("SELECT {c} FROM entries WHERE id = ?1"), [id], |r| r.get(0))?;
            tx.execute(&format!("UPDATE entries SET {c} = ?1, updated_at = ?2 WHERE id = ?3"), params![sql_value(value), now, id])?;
            // The question and answer keys follow the texts they come from.
            let (q, a, raw): (String, String, String) = tx.query_row("SELECT question, answer, answer_raw FROM entries WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            let kind = crate::answer::AnswerKind::parse_label(&a).unwrap_or(crate::answer::AnswerKind::Text);
            tx.execute("UPDATE entries SET question_key = ?1, answer_key = ?2 WHERE id = ?3", params![question_key(&q), answer_key(kind, &raw), id]).map_err(|e| match &e {
                rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
                    PutBack::Refused("another entry already gives this answer to this question; resolve that conflict in the library instead".into())
                }
                _ => PutBack::Sql(e),
            })?;
            tx.execute(
                "INSERT INTO entry_history(entry_id, changed_at, field, old_value, new_value) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, now, format!("{c} (your edit, kept after a sync conflict)"), old, value.as_str().map(str::to_string).unwrap_or_else(|| value.to_string())],
            )?;
        }
        ("review_items", Some(c)) => {
            let (review, idx) = (id >> 32, id & 0xffff_ffff);
            let old: Option<String> = tx.query_row(&format!("SELECT CAST({c} AS TEXT) FROM review_items WHERE review_id = ?1 AND idx = ?2"), params![review, idx], |r| r.get(0))?;
            tx.execute(&format!("UPDATE review_items SET {c} = ?1, changed_at = ?2 WHERE review_id = ?3 AND idx = ?4"), params![sql_value(value), now, review, idx])?;
            if c == "answer" {
                // The answer a person typed: not the other answer's suggestion any more.
                tx.execute("UPDATE review_items SET confidence = NULL, source = ?1 WHERE review_id = ?2 AND idx = ?3", params![format!("typed by {}", crate::library::os_user()), review, idx])?;
            }
            tx.execute(
                "INSERT INTO review_history(review_id, idx, changed_at, changed_by, field, old_value, new_value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![review, idx, now, crate::library::os_user(), format!("{c} (kept after a sync conflict)"), old, value.as_str().map(str::to_string).unwrap_or_else(|| value.to_string())],
            )?;
        }
        ("finding_status", Some(c)) => {
            tx.execute(&format!("UPDATE finding_status SET {c} = ?1, changed_at = ?2 WHERE assessment_id = ?3 AND finding = ?4"), params![sql_value(value), now, id >> 32, id & 0xffff_ffff])?;
        }
        ("assignments", Some(c)) | ("comments", Some(c)) => {
            tx.execute(&format!("UPDATE {table} SET {c} = ?1, updated_at = ?2 WHERE id = ?3"), params![sql_value(value), now, id])?;
        }
        ("vendors", _) => {
            if !field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') || field.is_empty() || field == "id" {
                return Err(PutBack::Refused(format!("the vendor field {field:?} cannot be put back; edit the vendor instead")));
            }
            let record: String = tx.query_row("SELECT record FROM vendors WHERE id = ?1", [id], |r| r.get(0))?;
            let mut record: serde_json::Map<String, Value> = serde_json::from_str(&record).map_err(|e| PutBack::Refused(format!("the vendor's record cannot be read ({e})")))?;
            record.insert(field.to_string(), value.clone());
            let vendor: crate::assess::vendor::Vendor =
                serde_json::from_value(Value::Object(record.clone())).map_err(|e| PutBack::Refused(format!("that value no longer fits the vendor record ({e}); edit the vendor instead")))?;
            tx.execute("UPDATE vendors SET name = ?1, record = ?2, updated_at = ?3 WHERE id = ?4", params![vendor.name, Value::Object(record).to_string(), now, id])?;
        }
        _ => return Err(PutBack::Refused(format!("the field {field:?} of {} cannot be put back", a(noun(table))))),
    }
    Ok(())
}
