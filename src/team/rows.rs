//! The sync's bookkeeping of rows (docs/team.md, "How it works"): each synced row's line in
//! `sync_rows` (its global id, the server revision it was last seen at, the merge base, the
//! change stamp), binding a local row to a global id, tombstones, deleting a row the server
//! deleted; and the checks of what the server sent, so that a hostile or broken server cannot
//! break the library (texts bounded, dates, numbers, a parent this library has).

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{Map, Value};

/// The end of the reason a pulled row waits for: its parent is not here yet (see
/// [`missing_parent`]); such rows are kept and tried again after every page.
pub(super) const NOT_HERE_YET: &str = "names a row this library does not have (yet)";

/// The library's line for one synced row.
#[derive(Debug, Clone)]
pub(super) struct SyncRow {
    pub(super) local_id: Option<i64>,
    pub(super) revision: Option<i64>,
    pub(super) base: Option<String>,
    pub(super) dirty: i64,
}

impl SyncRow {
    /// The row as both sides last agreed on (the merge base), when kept and readable.
    pub(super) fn base_row(&self) -> Option<Map<String, Value>> {
        self.base.as_deref().and_then(|b| serde_json::from_str(b).ok())
    }

    /// The merge base, or the server's row when there is none: then every local difference
    /// counts as a local change.
    pub(super) fn base_or(&self, remote: &Map<String, Value>) -> Map<String, Value> {
        self.base_row().unwrap_or_else(|| remote.clone())
    }
}

pub(super) fn sync_row(conn: &Connection, gid: &str) -> rusqlite::Result<Option<SyncRow>> {
    conn.query_row("SELECT local_id, revision, base, dirty FROM sync_rows WHERE gid = ?1", [gid], |r| {
        Ok(SyncRow { local_id: r.get(0)?, revision: r.get(1)?, base: r.get(2)?, dirty: r.get(3)? })
    })
    .optional()
}

pub(super) fn sync_row_of(conn: &Connection, tbl: &str, local_id: i64) -> rusqlite::Result<Option<(String, SyncRow)>> {
    conn.query_row("SELECT gid, local_id, revision, base, dirty FROM sync_rows WHERE tbl = ?1 AND local_id = ?2", params![tbl, local_id], |r| {
        Ok((r.get(0)?, SyncRow { local_id: r.get(1)?, revision: r.get(2)?, base: r.get(3)?, dirty: r.get(4)? }))
    })
    .optional()
}

/// Gives the local row `local_id` the global id `gid` (dropping a tombstone of that id) and the
/// server's revision and base; `clean` clears its change mark.
pub(super) fn bind(conn: &Connection, tbl: &str, local_id: i64, gid: &str, rev: Option<i64>, base: Option<&str>, clean: bool) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM sync_rows WHERE gid = ?1 AND (local_id IS NULL OR tbl <> ?2 OR local_id <> ?3)", params![gid, tbl, local_id])?;
    conn.execute(
        "UPDATE sync_rows SET gid = ?1, revision = ?2, base = ?3, deleted = 0, problem = NULL,
                dirty = CASE WHEN ?4 THEN 0 WHEN dirty = 0 THEN (random() & 4611686018427387903) + 1 ELSE dirty END
         WHERE tbl = ?5 AND local_id = ?6",
        params![gid, rev, base, clean, tbl, local_id],
    )?;
    Ok(())
}

/// Records that the server's row `gid` is deleted and so is the local one (a clean tombstone).
pub(super) fn tombstone(conn: &Connection, tbl: &str, gid: &str, rev: i64) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO sync_rows(gid, tbl, local_id, revision, dirty, deleted) VALUES (?1, ?2, NULL, ?3, 0, 1)
         ON CONFLICT(gid) DO UPDATE SET local_id = NULL, revision = excluded.revision, dirty = 0, deleted = 1, problem = NULL",
        params![gid, tbl, rev],
    )?;
    Ok(())
}

/// Deletes a local row because the server deleted it; the deletions it cascades to (provenance)
/// are the server's business, not changes to push: their tombstones are left clean.
pub(super) fn delete_local(conn: &Connection, tbl: &str, local_id: i64, gid: &str, rev: i64) -> rusqlite::Result<()> {
    let mut children: Vec<String> = match tbl {
        "entries" => gids(conn, "SELECT s.gid FROM sync_rows s JOIN provenance p ON p.id = s.local_id AND s.tbl = 'provenance' WHERE p.entry_id = ?1", local_id)?,
        "sources" => gids(conn, "SELECT s.gid FROM sync_rows s JOIN provenance p ON p.id = s.local_id AND s.tbl = 'provenance' WHERE p.source_id = ?1", local_id)?,
        _ => Vec::new(),
    };
    match tbl {
        "entries" => children.extend(gids(conn, "SELECT gid FROM sync_rows WHERE tbl = 'entry_evidence' AND (local_id >> 32) = ?1", local_id)?),
        "evidence" => children.extend(gids(conn, "SELECT gid FROM sync_rows WHERE tbl = 'entry_evidence' AND (local_id & 4294967295) = ?1", local_id)?),
        "vendors" => {
            children.extend(gids(conn, "SELECT s.gid FROM sync_rows s JOIN assessments a ON a.id = s.local_id AND s.tbl = 'assessments' WHERE a.vendor_id = ?1", local_id)?);
            children.extend(gids(
                conn,
                "SELECT s.gid FROM sync_rows s JOIN assessments a ON a.id = (s.local_id >> 32) AND s.tbl = 'finding_status' WHERE a.vendor_id = ?1",
                local_id,
            )?);
        }
        "assessments" => children.extend(gids(conn, "SELECT gid FROM sync_rows WHERE tbl = 'finding_status' AND (local_id >> 32) = ?1", local_id)?),
        "reviews" => {
            children.extend(gids(conn, "SELECT gid FROM sync_rows WHERE tbl = 'review_items' AND (local_id >> 32) = ?1", local_id)?);
            children.extend(gids(conn, "SELECT s.gid FROM sync_rows s JOIN assignments a ON a.id = s.local_id AND s.tbl = 'assignments' WHERE a.review_id = ?1", local_id)?);
            children.extend(gids(conn, "SELECT s.gid FROM sync_rows s JOIN comments c ON c.id = s.local_id AND s.tbl = 'comments' WHERE c.review_id = ?1", local_id)?);
        }
        _ => {}
    }
    // Table names come from the fixed list of synced tables, never from the server.
    let (table, key) = match tbl {
        "entries" => ("entries", "id"),
        "sources" => ("sources", "id"),
        "evidence" => ("evidence", "id"),
        "entry_evidence" => ("entry_evidence", "((entry_id << 32) | evidence_id)"),
        "vendors" => ("vendors", "id"),
        "assessments" => ("assessments", "id"),
        "finding_status" => ("finding_status", "((assessment_id << 32) | finding)"),
        "reviews" => ("reviews", "id"),
        "review_items" => ("review_items", "((review_id << 32) | idx)"),
        "assignments" => ("assignments", "id"),
        "comments" => ("comments", "id"),
        _ => ("provenance", "id"),
    };
    conn.execute(&format!("DELETE FROM {table} WHERE {key} = ?1"), [local_id])?;
    for c in children {
        conn.execute("UPDATE sync_rows SET dirty = 0 WHERE gid = ?1 AND local_id IS NULL", [&c])?;
    }
    tombstone(conn, tbl, gid, rev)
}

/// What a row of a synced table is called, for people.
pub(super) fn noun(tbl: &str) -> &'static str {
    match tbl {
        "entries" => "entry",
        "sources" => "imported file",
        "evidence" => "evidence document",
        "entry_evidence" => "evidence link",
        "vendors" => "vendor",
        "assessments" => "assessment",
        "finding_status" => "finding status",
        "reviews" => "review",
        "review_items" => "review answer",
        "assignments" => "assignment",
        "comments" => "comment",
        _ => "provenance record",
    }
}

/// `noun` with its article ("an entry", "a vendor").
pub(super) fn a(noun: &str) -> String {
    format!("a{} {noun}", if noun.starts_with(['a', 'e', 'i', 'o', 'u']) { "n" } else { "" })
}

/// A library error as the reason a pulled row was not taken.
pub(super) fn sql(e: rusqlite::Error) -> String {
    format!("the library refused it: {e}")
}

/// Takes the server's deletion of a row: the local row goes (see [`delete_local`]), or a clean
/// tombstone is kept when this library does not have it. Ok(true) when the library changed.
pub(super) fn take_deletion(conn: &Connection, tbl: &str, gid: &str, rev: i64, local: Option<i64>) -> std::result::Result<bool, String> {
    match local {
        Some(lid) => delete_local(conn, tbl, lid, gid, rev).map_err(sql)?,
        None => tombstone(conn, tbl, gid, rev).map_err(sql)?,
    }
    Ok(local.is_some())
}

/// The local id of a pulled row's parent (`key`), as [`parent_id`]; when the parent was
/// deleted the row goes with it: it is kept as a clean tombstone and `None` comes back.
pub(super) fn parent_or_gone(conn: &Connection, row: &Value, key: &str, tbl: &str, gid: &str, rev: i64) -> std::result::Result<Option<i64>, String> {
    let parent = parent_id(conn, row, key)?;
    if parent.is_none() {
        tombstone(conn, tbl, gid, rev).map_err(sql)?;
    }
    Ok(parent)
}

pub(super) fn gids(conn: &Connection, sql: &str, id: i64) -> rusqlite::Result<Vec<String>> {
    let mut st = conn.prepare(sql)?;
    let v = st.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(v)
}

pub(super) fn text(row: &Value, key: &str, min: usize, max: usize) -> std::result::Result<String, String> {
    let s = row.get(key).and_then(Value::as_str).ok_or_else(|| format!("its {key} is missing or not text"))?;
    let n = s.chars().count();
    if n < min || n > max {
        return Err(format!("its {key} is {n} characters long (allowed: {min} to {max})"));
    }
    if s.contains('\0') {
        return Err(format!("its {key} contains a NUL character"));
    }
    Ok(s.to_string())
}

pub(super) fn date(row: &Value, key: &str, required: bool) -> std::result::Result<Value, String> {
    match row.get(key) {
        None | Some(Value::Null) if !required => Ok(Value::Null),
        Some(Value::String(s)) => {
            let d = crate::dates::parse_date(s.get(..10).unwrap_or(s)).map_err(|_| format!("its {key} is not a date"))?;
            Ok(Value::String(d.to_string()))
        }
        _ => Err(format!("its {key} is missing or not a date")),
    }
}

pub(super) fn timestamp(row: &Value, key: &str) -> String {
    row.get(key).and_then(Value::as_str).filter(|s| s.len() <= 64 && !s.contains('\0')).map(str::to_string).unwrap_or_else(crate::dates::now_text)
}

pub(super) fn integer(row: &Value, key: &str) -> std::result::Result<i64, String> {
    row.get(key).and_then(Value::as_i64).filter(|n| *n >= 0 && *n <= i32::MAX as i64).ok_or_else(|| format!("its {key} is missing or not a whole number"))
}

pub(super) fn is_deleted(row: &Value) -> bool {
    row.get("deleted").and_then(Value::as_bool).unwrap_or(false)
}

pub(super) fn short(s: &str, max: usize) -> String {
    s.chars().filter(|c| !c.is_control() || *c == '\n').take(max).collect()
}

/// The local row a pulled row's parent (`key`: a global id) is: Some(id), None when it was
/// deleted (the child goes with it), an error when this library never had it.
pub(super) fn parent_id(conn: &Connection, row: &Value, key: &str) -> std::result::Result<Option<i64>, String> {
    let id = row.get(key).and_then(Value::as_str).ok_or_else(|| format!("its {key} is missing"))?;
    match sync_row(conn, id).map_err(sql)? {
        Some(SyncRow { local_id: Some(l), .. }) => Ok(Some(l)),
        Some(SyncRow { local_id: None, .. }) => Ok(None),
        None => Err(missing_parent(key)),
    }
}

/// Why a pulled row cannot be taken yet: its parent `key` is not here (it comes at a later
/// revision, when the parent changed after the child was made).
pub(super) fn missing_parent(key: &str) -> String {
    format!("its {key} {NOT_HERE_YET}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn what_the_server_sent_is_checked() {
        let row = json!({"q": "Is it?", "long": "x".repeat(11), "n": 7, "neg": -1, "d": "2027-01-15T00:00:00+00:00", "bad": "soon", "nul": "a\u{0}b"});
        assert_eq!(text(&row, "q", 1, 10).unwrap(), "Is it?");
        assert!(text(&row, "long", 0, 10).unwrap_err().contains("11 characters"));
        assert!(text(&row, "nul", 0, 10).unwrap_err().contains("NUL"));
        assert!(text(&row, "missing", 0, 10).is_err());
        assert_eq!(integer(&row, "n").unwrap(), 7);
        assert!(integer(&row, "neg").is_err());
        assert_eq!(date(&row, "d", true).unwrap(), json!("2027-01-15"));
        assert!(date(&row, "bad", true).is_err());
        assert_eq!(date(&row, "missing", false).unwrap(), Value::Null);
        assert!(date(&row, "missing", true).is_err());
        assert_eq!(short("a\u{1b}[31mb\nc", 100), "a[31mb\nc");
        assert!(missing_parent("vendor_id").ends_with(NOT_HERE_YET));
    }
}
