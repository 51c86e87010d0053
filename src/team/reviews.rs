//! Reviews in the team library sync (docs/team.md, "The desktop side"): a questionnaire being
//! answered by several people. The review (with the questionnaire file itself, through
//! `quire.blobs`, so that anyone can export the filled workbook), each question's answer and
//! status, the assignments ("needs an answer from Legal") and the comment threads. `sync.rs`
//! pulls and pushes them with the other rows; this module turns a server row into the library's
//! row and back.
//!
//! Edited on two desktops at once, a question's answer, comment and status merge field by field
//! against the version both started from; a field both changed differently takes the team
//! library's value and the local one is kept in `sync_conflicts` and reported. Assignments and
//! comments merge the same way. The server decides who may do what: only an approver approves
//! an answer or changes an approved one, and only a comment's author edits or deletes it.

use super::merge::{keep_clashes, merge, updated_by};
use super::rows::{bind, date, integer, is_deleted, parent_or_gone, short, sql, take_deletion, text, timestamp, SyncRow};
use super::sync::{Files, SyncReport};
use crate::review::Alternative;
use crate::sheet::overrides::SheetOverride;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Map, Value};

type Applied = std::result::Result<bool, String>;

// --- reviews ---

/// A file name the library may use for the kept copy: the last part of the name given, without
/// anything that could leave the folder.
pub(super) fn safe_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    let clean: String = last.chars().filter(|c| !c.is_control() && !matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|')).take(200).collect();
    if clean.is_empty() || clean.chars().all(|c| c == '.') {
        "questionnaire".into()
    } else {
        clean
    }
}

pub(super) fn apply_review(conn: &Connection, gid: &str, rev: i64, row: &Value, known: Option<SyncRow>, files: &Files) -> Applied {
    let local = known.as_ref().and_then(|k| k.local_id);
    if is_deleted(row) {
        return take_deletion(conn, "reviews", gid, rev, local);
    }
    let questionnaire = text(row, "questionnaire", 1, 1000)?;
    let sha = text(row, "sha256", 64, 64)?.to_lowercase();
    if !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("its sha256 is not a hash".into());
    }
    let overrides = row.get("overrides").cloned().unwrap_or(Value::Array(Vec::new()));
    serde_json::from_value::<Vec<SheetOverride>>(overrides.clone()).map_err(|e| format!("its layout corrections cannot be read ({})", short(&e.to_string(), 200)))?;
    let overrides = overrides.to_string();
    let at = timestamp(row, "updated_at");
    let stored = match files.get(&("reviews", sha.clone())) {
        Some(p) => Some(p.clone()),
        None => conn.query_row("SELECT stored_path FROM reviews WHERE sha256 = ?1 LIMIT 1", [&sha], |r| r.get::<_, String>(0)).optional().map_err(sql)?,
    };
    let lid = match local {
        Some(lid) => {
            let current: String = conn.query_row("SELECT sha256 FROM reviews WHERE id = ?1", [lid], |r| r.get(0)).map_err(sql)?;
            if current != sha && stored.is_none() {
                return Err("its new questionnaire file is not on the team library (or does not match its hash)".into());
            }
            conn.execute(
                "UPDATE reviews SET questionnaire = ?1, sha256 = ?2, overrides = ?3, updated_at = ?4, stored_path = COALESCE(?5, stored_path) WHERE id = ?6",
                params![questionnaire, sha, overrides, at, if current != sha { stored } else { None }, lid],
            )
            .map_err(sql)?;
            lid
        }
        None => {
            let stored = stored.ok_or("its questionnaire file is not on the team library (or does not match its hash)")?;
            conn.execute(
                "INSERT INTO reviews(questionnaire, original_path, stored_path, sha256, overrides, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![questionnaire, format!("team library ({})", short(row.get("created_by").and_then(Value::as_str).unwrap_or("?"), 100)), stored, sha, overrides, timestamp(row, "created_at"), at],
            )
            .map_err(sql)?;
            conn.last_insert_rowid()
        }
    };
    bind(conn, "reviews", lid, gid, Some(rev), None, true).map_err(sql)?;
    Ok(true)
}

// --- review items ---

/// The fields of a review item that sync and merge.
pub(super) const ITEM_FIELDS: [&str; 7] = ["answer", "comment", "status", "confidence", "source", "evidence", "alternatives"];
const ITEM_STATUSES: [&str; 5] = ["blank", "suggested", "draft", "reviewed", "approved"];

fn optional_text(row: &Value, key: &str, max: usize) -> std::result::Result<Value, String> {
    match row.get(key) {
        None | Some(Value::Null) => Ok(Value::Null),
        Some(_) => Ok(Value::String(text(row, key, 0, max)?)),
    }
}

/// The server's item checked and shaped as the library keeps it (JSON arrays as values).
fn remote_item(row: &Value) -> std::result::Result<Map<String, Value>, String> {
    let mut m = Map::new();
    m.insert("answer".into(), optional_text(row, "answer", 100_000)?);
    m.insert("comment".into(), optional_text(row, "comment", 100_000)?);
    let status = text(row, "status", 1, 20)?;
    if !ITEM_STATUSES.contains(&status.as_str()) {
        return Err(format!("its status {:?} is not one a review knows", short(&status, 20)));
    }
    m.insert("status".into(), Value::String(status));
    let confidence = match row.get("confidence") {
        None | Some(Value::Null) => Value::Null,
        Some(v) => {
            let c = v.as_f64().filter(|c| (0.0..=1.0).contains(c)).ok_or("its confidence is not between 0 and 1")?;
            // As the library keeps it (f32), so that a value pulled back compares equal.
            json!(f64::from(c as f32))
        }
    };
    m.insert("confidence".into(), confidence);
    m.insert("source".into(), optional_text(row, "source", 2000)?);
    let evidence = row.get("evidence").cloned().unwrap_or(json!([]));
    serde_json::from_value::<Vec<String>>(evidence.clone()).map_err(|_| "its evidence is not a list of titles")?;
    m.insert("evidence".into(), evidence);
    let alternatives = row.get("alternatives").cloned().unwrap_or(json!([]));
    serde_json::from_value::<Vec<Alternative>>(alternatives.clone()).map_err(|e| format!("its alternatives cannot be read ({})", short(&e.to_string(), 200)))?;
    m.insert("alternatives".into(), alternatives);
    Ok(m)
}

fn local_item(conn: &Connection, key: i64) -> rusqlite::Result<Option<(String, Map<String, Value>)>> {
    conn.query_row(
        "SELECT question, answer, comment, status, confidence, source, evidence, alternatives FROM review_items WHERE review_id = ?1 AND idx = ?2",
        params![key >> 32, key & 0xffff_ffff],
        |r| {
            let mut m = Map::new();
            let t = |v: Option<String>| v.map(Value::String).unwrap_or(Value::Null);
            m.insert("answer".into(), t(r.get(1)?));
            m.insert("comment".into(), t(r.get(2)?));
            m.insert("status".into(), Value::String(r.get(3)?));
            m.insert("confidence".into(), r.get::<_, Option<f64>>(4)?.map(|c| json!(c)).unwrap_or(Value::Null));
            m.insert("source".into(), t(r.get(5)?));
            m.insert("evidence".into(), serde_json::from_str(&r.get::<_, String>(6)?).unwrap_or(json!([])));
            m.insert("alternatives".into(), serde_json::from_str(&r.get::<_, String>(7)?).unwrap_or(json!([])));
            Ok((r.get(0)?, m))
        },
    )
    .optional()
}

fn write_item(conn: &Connection, key: i64, question: &str, m: &Map<String, Value>, by: &str, at: &str) -> rusqlite::Result<()> {
    let s = |k: &str| m.get(k).and_then(Value::as_str).map(str::to_string);
    conn.execute(
        "INSERT INTO review_items(review_id, idx, question, answer, comment, status, confidence, source, evidence, alternatives, changed_by, changed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT(review_id, idx) DO UPDATE SET question = excluded.question, answer = excluded.answer, comment = excluded.comment, status = excluded.status,
           confidence = excluded.confidence, source = excluded.source, evidence = excluded.evidence, alternatives = excluded.alternatives,
           changed_by = excluded.changed_by, changed_at = excluded.changed_at",
        params![
            key >> 32,
            key & 0xffff_ffff,
            question,
            s("answer"),
            s("comment"),
            s("status"),
            m.get("confidence").and_then(Value::as_f64),
            s("source"),
            m.get("evidence").map(Value::to_string).unwrap_or_else(|| "[]".into()),
            m.get("alternatives").map(Value::to_string).unwrap_or_else(|| "[]".into()),
            by,
            at
        ],
    )?;
    Ok(())
}

/// Records in the review's history what a pull changed (answer, comment, status), naming who
/// changed it in the team library.
fn item_history(conn: &Connection, key: i64, old: Option<&Map<String, Value>>, new: &Map<String, Value>, by: &str, at: &str) -> rusqlite::Result<()> {
    for f in ["answer", "comment", "status"] {
        let before = old.and_then(|o| o.get(f)).and_then(Value::as_str);
        let after = new.get(f).and_then(Value::as_str);
        if old.is_some() && before != after {
            conn.execute(
                "INSERT INTO review_history(review_id, idx, changed_at, changed_by, field, old_value, new_value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![key >> 32, key & 0xffff_ffff, at, format!("{by} (team library)"), f, before, after],
            )?;
        }
    }
    Ok(())
}

pub(super) fn apply_item(conn: &Connection, gid: &str, rev: i64, row: &Value, known: Option<SyncRow>, report: &mut SyncReport) -> Applied {
    let local = known.as_ref().and_then(|k| k.local_id);
    if is_deleted(row) {
        return take_deletion(conn, "review_items", gid, rev, local);
    }
    let Some(review) = parent_or_gone(conn, row, "review_id", "review_items", gid, rev)? else { return Ok(false) };
    let idx = integer(row, "idx")?;
    let question = text(row, "question", 1, 20_000)?;
    serde_json::from_str::<crate::sheet::model::Question>(&question).map_err(|e| format!("its question cannot be read ({})", short(&e.to_string(), 200)))?;
    let remote = remote_item(row)?;
    let key = (review << 32) | idx;
    if local.is_some_and(|l| l != key) {
        return Err("the answer names another question than before; answers are never moved".into());
    }
    let by = updated_by(row);
    let at = timestamp(row, "updated_at");
    let mine = local_item(conn, key).map_err(sql)?.map(|(_, m)| m);
    let base_text = Value::Object(remote.clone()).to_string();
    let (merged, clean) = match (&known, &mine) {
        (Some(k @ SyncRow { local_id: Some(_), .. }), Some(mine)) if k.dirty != 0 => {
            let (merged, mut clashes) = merge(Some(&ITEM_FIELDS[..]), &k.base_or(&remote), mine, &remote);
            // Where an answer came from (its confidence, source, evidence, alternatives) goes
            // with the answer: when the answers clash, only the answer is worth showing.
            if clashes.iter().any(|c| c.field == "answer") {
                clashes.retain(|c| !matches!(c.field.as_str(), "confidence" | "source" | "evidence" | "alternatives"));
            }
            let what = format!("question {} of review {review}", idx + 1);
            keep_clashes(conn, "review_items", key, gid, &by, &what, &clashes, report).map_err(sql)?;
            let clean = merged == remote;
            (merged, clean)
        }
        (None, Some(_)) => return Err("a question of this review here is known to the team library under another id".into()),
        _ => (remote.clone(), true),
    };
    if mine.as_ref() != Some(&merged) {
        item_history(conn, key, mine.as_ref(), &merged, &by, &at).map_err(sql)?;
        write_item(conn, key, &question, &merged, &by, &at).map_err(sql)?;
    }
    bind(conn, "review_items", key, gid, Some(rev), Some(&base_text), clean).map_err(sql)?;
    Ok(true)
}

// --- assignments ---

pub(super) const ASSIGNMENT_FIELDS: [&str; 6] = ["idx", "section", "assignee", "note", "due", "done"];

fn remote_assignment(row: &Value) -> std::result::Result<Map<String, Value>, String> {
    let mut m = Map::new();
    m.insert("idx".into(), match row.get("idx") {
        None | Some(Value::Null) => Value::Null,
        Some(_) => json!(integer(row, "idx")?),
    });
    m.insert("section".into(), optional_text(row, "section", 500)?);
    m.insert("assignee".into(), Value::String(text(row, "assignee", 1, 200)?));
    m.insert("note".into(), Value::String(text(row, "note", 0, 10_000)?));
    m.insert("due".into(), date(row, "due", false)?);
    m.insert("done".into(), Value::Bool(row.get("done").and_then(Value::as_bool).ok_or("its done is missing or not true/false")?));
    if !m["idx"].is_null() && !m["section"].is_null() {
        return Err("it names both a question and a section".into());
    }
    Ok(m)
}

fn local_assignment(conn: &Connection, id: i64) -> rusqlite::Result<Option<Map<String, Value>>> {
    conn.query_row("SELECT idx, section, assignee, note, due, done FROM assignments WHERE id = ?1", [id], |r| {
        let mut m = Map::new();
        m.insert("idx".into(), r.get::<_, Option<i64>>(0)?.map(|i| json!(i)).unwrap_or(Value::Null));
        m.insert("section".into(), r.get::<_, Option<String>>(1)?.map(Value::String).unwrap_or(Value::Null));
        m.insert("assignee".into(), Value::String(r.get(2)?));
        m.insert("note".into(), Value::String(r.get(3)?));
        m.insert("due".into(), r.get::<_, Option<String>>(4)?.map(Value::String).unwrap_or(Value::Null));
        m.insert("done".into(), Value::Bool(r.get(5)?));
        Ok(m)
    })
    .optional()
}

pub(super) fn apply_assignment(conn: &Connection, gid: &str, rev: i64, row: &Value, known: Option<SyncRow>, report: &mut SyncReport) -> Applied {
    let local = known.as_ref().and_then(|k| k.local_id);
    if is_deleted(row) {
        return take_deletion(conn, "assignments", gid, rev, local);
    }
    let Some(review) = parent_or_gone(conn, row, "review_id", "assignments", gid, rev)? else { return Ok(false) };
    let remote = remote_assignment(row)?;
    let by = updated_by(row);
    let at = timestamp(row, "updated_at");
    let base_text = Value::Object(remote.clone()).to_string();
    let mine = match local {
        Some(lid) => local_assignment(conn, lid).map_err(sql)?,
        None => None,
    };
    let (merged, clean) = match (&known, &mine) {
        (Some(k @ SyncRow { local_id: Some(lid), .. }), Some(mine)) if k.dirty != 0 => {
            let (merged, clashes) = merge(Some(&ASSIGNMENT_FIELDS[..]), &k.base_or(&remote), mine, &remote);
            let what = format!("assignment {lid} of review {review}");
            keep_clashes(conn, "assignments", *lid, gid, &by, &what, &clashes, report).map_err(sql)?;
            let clean = merged == remote;
            (merged, clean)
        }
        _ => (remote.clone(), true),
    };
    let v = |k: &str| merged.get(k).cloned().unwrap_or(Value::Null);
    let idx = v("idx").as_i64();
    let section = v("section").as_str().map(str::to_string);
    let assignee = v("assignee").as_str().unwrap_or_default().to_string();
    let note = v("note").as_str().unwrap_or_default().to_string();
    let due = v("due").as_str().map(str::to_string);
    let done = v("done").as_bool().unwrap_or(false);
    let lid = match local {
        Some(lid) => {
            if mine.as_ref() != Some(&merged) {
                conn.execute(
                    "UPDATE assignments SET idx = ?1, section = ?2, assignee = ?3, note = ?4, due = ?5, done = ?6, updated_at = ?7 WHERE id = ?8",
                    params![idx, section, assignee, note, due, done, at, lid],
                )
                .map_err(sql)?;
            }
            lid
        }
        None => {
            let assigned_by = short(row.get("created_by").and_then(Value::as_str).unwrap_or("someone"), 100);
            conn.execute(
                "INSERT INTO assignments(review_id, idx, section, assignee, note, due, done, assigned_by, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![review, idx, section, assignee, note, due, done, assigned_by, timestamp(row, "created_at"), at],
            )
            .map_err(sql)?;
            conn.last_insert_rowid()
        }
    };
    bind(conn, "assignments", lid, gid, Some(rev), Some(&base_text), clean).map_err(sql)?;
    Ok(true)
}

// --- comments ---

pub(super) const COMMENT_FIELDS: [&str; 2] = ["idx", "body"];

pub(super) fn apply_comment(conn: &Connection, gid: &str, rev: i64, row: &Value, known: Option<SyncRow>, report: &mut SyncReport) -> Applied {
    let local = known.as_ref().and_then(|k| k.local_id);
    if is_deleted(row) {
        return take_deletion(conn, "comments", gid, rev, local);
    }
    let Some(review) = parent_or_gone(conn, row, "review_id", "comments", gid, rev)? else { return Ok(false) };
    let mut remote = Map::new();
    remote.insert("idx".into(), match row.get("idx") {
        None | Some(Value::Null) => Value::Null,
        Some(_) => json!(integer(row, "idx")?),
    });
    remote.insert("body".into(), Value::String(text(row, "body", 1, 20_000)?));
    let base_text = Value::Object(remote.clone()).to_string();
    let by = updated_by(row);
    let at = timestamp(row, "updated_at");
    let mine: Option<Map<String, Value>> = match local {
        Some(lid) => conn
            .query_row("SELECT idx, body FROM comments WHERE id = ?1", [lid], |r| {
                let mut m = Map::new();
                m.insert("idx".into(), r.get::<_, Option<i64>>(0)?.map(|i| json!(i)).unwrap_or(Value::Null));
                m.insert("body".into(), Value::String(r.get(1)?));
                Ok(m)
            })
            .optional()
            .map_err(sql)?,
        None => None,
    };
    let (merged, clean) = match (&known, &mine) {
        (Some(k @ SyncRow { local_id: Some(lid), .. }), Some(mine)) if k.dirty != 0 => {
            let (merged, clashes) = merge(Some(&COMMENT_FIELDS[..]), &k.base_or(&remote), mine, &remote);
            keep_clashes(conn, "comments", *lid, gid, &by, &format!("comment {lid} on review {review}"), &clashes, report).map_err(sql)?;
            let clean = merged == remote;
            (merged, clean)
        }
        _ => (remote.clone(), true),
    };
    let idx = merged.get("idx").and_then(Value::as_i64);
    let body = merged.get("body").and_then(Value::as_str).unwrap_or_default().to_string();
    let lid = match local {
        Some(lid) => {
            if mine.as_ref() != Some(&merged) {
                conn.execute("UPDATE comments SET idx = ?1, body = ?2, updated_at = ?3 WHERE id = ?4", params![idx, body, at, lid]).map_err(sql)?;
            }
            lid
        }
        None => {
            let author = short(row.get("created_by").and_then(Value::as_str).unwrap_or("someone"), 100);
            conn.execute(
                "INSERT INTO comments(review_id, idx, body, author, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![review, idx, body, author, timestamp(row, "created_at"), at],
            )
            .map_err(sql)?;
            conn.last_insert_rowid()
        }
    };
    bind(conn, "comments", lid, gid, Some(rev), Some(&base_text), clean).map_err(sql)?;
    Ok(true)
}

// --- push ---

/// What a local review row sends and the base it leaves once the server has it; `None` when
/// the row is gone or its parent has no global id yet.
pub(super) fn outgoing(conn: &Connection, tbl: &str, id: i64, gid_of: &dyn Fn(&str, i64) -> rusqlite::Result<Option<String>>) -> rusqlite::Result<Option<(Value, Option<Value>)>> {
    match tbl {
        "reviews" => {
            let r: Option<(String, String, String)> = conn
                .query_row("SELECT questionnaire, sha256, overrides FROM reviews WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?;
            let Some((questionnaire, sha, overrides)) = r else { return Ok(None) };
            let overrides: Value = serde_json::from_str(&overrides).unwrap_or(json!([]));
            Ok(Some((json!({"questionnaire": questionnaire, "sha256": sha, "overrides": overrides, "deleted": false}), None)))
        }
        "review_items" => {
            let Some((question, m)) = local_item(conn, id)? else { return Ok(None) };
            let Some(review) = gid_of("reviews", id >> 32)? else { return Ok(None) };
            let mut row = m.clone();
            row.insert("review_id".into(), Value::String(review));
            row.insert("idx".into(), json!(id & 0xffff_ffff));
            row.insert("question".into(), Value::String(question));
            row.insert("deleted".into(), Value::Bool(false));
            Ok(Some((Value::Object(row), Some(Value::Object(m)))))
        }
        "assignments" => {
            let Some(m) = local_assignment(conn, id)? else { return Ok(None) };
            let review: i64 = conn.query_row("SELECT review_id FROM assignments WHERE id = ?1", [id], |r| r.get(0))?;
            let Some(review) = gid_of("reviews", review)? else { return Ok(None) };
            let mut row = m.clone();
            row.insert("review_id".into(), Value::String(review));
            row.insert("deleted".into(), Value::Bool(false));
            Ok(Some((Value::Object(row), Some(Value::Object(m)))))
        }
        _ => {
            let c: Option<(i64, Option<i64>, String)> = conn.query_row("SELECT review_id, idx, body FROM comments WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()?;
            let Some((review, idx, body)) = c else { return Ok(None) };
            let Some(review) = gid_of("reviews", review)? else { return Ok(None) };
            let base = json!({"idx": idx, "body": body});
            Ok(Some((json!({"review_id": review, "idx": idx, "body": body, "deleted": false}), Some(base))))
        }
    }
}

/// The stored copy of a review's questionnaire, to upload before the review row.
pub(super) fn stored_file(conn: &Connection, id: i64) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT stored_path FROM reviews WHERE id = ?1", [id], |r| r.get(0)).optional()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::ReviewStatus;

    #[test]
    fn the_item_statuses_are_the_reviews() {
        for s in ITEM_STATUSES {
            assert_eq!(serde_json::from_value::<ReviewStatus>(json!(s)).unwrap().as_str(), s);
        }
    }

    #[test]
    fn kept_file_names_cannot_leave_the_folder() {
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_file_name("C:\\Users\\x\\SIG Lite.xlsx"), "SIG Lite.xlsx");
        assert_eq!(safe_file_name(".."), "questionnaire");
        assert_eq!(safe_file_name(""), "questionnaire");
        assert_eq!(safe_file_name("a\u{0}b.csv"), "ab.csv");
    }
}
