//! The answer library's rows in the team library sync (docs/team.md, "The desktop side"):
//! entries (merged field by field; two different answers to the same question kept as two
//! entries), the imported files' records, provenance, evidence documents (the file travels
//! through the server's blobs) and their links to entries. `sync.rs` pulls and pushes them with
//! the vendor register's (`register.rs`) and the reviews' (`reviews.rs`) rows; this module turns
//! a server row into the library's row and back.

use super::rows::{bind, date, delete_local, integer, is_deleted, missing_parent, parent_id, short, sql, sync_row, sync_row_of, take_deletion, text, timestamp, tombstone, SyncRow};
use super::merge::merge;
use super::sync::{ConflictNote, Files, SyncReport};
use crate::answer::AnswerKind;
use crate::library::{answer_key, question_key, ENTRY_STATUSES};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Map, Value};

/// The entry fields that sync and merge, in order.
pub(super) const ENTRY_FIELDS: [&str; 10] = ["question", "answer", "answer_raw", "comment", "domain", "tags", "owner", "last_reviewed", "review_by", "status"];

/// The synced fields of an entry as the server sent them, checked (limits as the server's own).
fn remote_entry(row: &Value) -> std::result::Result<Map<String, Value>, String> {
    let mut m = Map::new();
    m.insert("question".into(), text(row, "question", 1, 20_000)?.into());
    let answer = text(row, "answer", 1, 10)?;
    if AnswerKind::parse_label(&answer).map(|k| k.as_str()) != Some(answer.as_str()) {
        return Err(format!("its answer {:?} is not Yes, No, N/A, Partial or Text", short(&answer, 20)));
    }
    m.insert("answer".into(), answer.into());
    m.insert("answer_raw".into(), text(row, "answer_raw", 0, 100_000)?.into());
    m.insert("comment".into(), text(row, "comment", 0, 100_000)?.into());
    m.insert("domain".into(), text(row, "domain", 0, 500)?.into());
    m.insert("tags".into(), text(row, "tags", 0, 2_000)?.into());
    m.insert("owner".into(), text(row, "owner", 0, 500)?.into());
    m.insert("last_reviewed".into(), date(row, "last_reviewed", false)?);
    m.insert("review_by".into(), date(row, "review_by", true)?);
    let status = text(row, "status", 1, 20)?;
    if !ENTRY_STATUSES.contains(&status.as_str()) {
        return Err(format!("its status {:?} is not draft, reviewed or approved", short(&status, 20)));
    }
    m.insert("status".into(), status.into());
    Ok(m)
}

fn local_entry(conn: &Connection, id: i64) -> rusqlite::Result<Option<Map<String, Value>>> {
    conn.query_row(
        "SELECT question, answer, answer_raw, comment, domain, tags, owner, last_reviewed, review_by, status FROM entries WHERE id = ?1",
        [id],
        |r| {
            let mut m = Map::new();
            for (i, f) in ENTRY_FIELDS.iter().enumerate() {
                let v: Option<String> = r.get(i)?;
                m.insert((*f).to_string(), v.map(Value::String).unwrap_or(Value::Null));
            }
            Ok(m)
        },
    )
    .optional()
}

fn keys_of(m: &Map<String, Value>) -> (String, String) {
    let q = m.get("question").and_then(Value::as_str).unwrap_or("");
    let a = m.get("answer").and_then(Value::as_str).and_then(AnswerKind::parse_label).unwrap_or(AnswerKind::Text);
    (question_key(q), answer_key(a, m.get("answer_raw").and_then(Value::as_str).unwrap_or("")))
}

fn s(m: &Map<String, Value>, k: &str) -> Option<String> {
    m.get(k).and_then(Value::as_str).map(str::to_string)
}

pub(super) fn insert_entry(conn: &Connection, m: &Map<String, Value>, created: &str, updated: &str) -> rusqlite::Result<i64> {
    let (qk, ak) = keys_of(m);
    conn.execute(
        "INSERT INTO entries(question, question_key, answer, answer_raw, answer_key, comment, domain, tags, owner, last_reviewed, review_by, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![s(m, "question"), qk, s(m, "answer"), s(m, "answer_raw"), ak, s(m, "comment"), s(m, "domain"), s(m, "tags"), s(m, "owner"), s(m, "last_reviewed"), s(m, "review_by"), s(m, "status"), created, updated],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Writes `m` over the local entry `id`; each field that changes goes to its history, named
/// with who changed it on the server.
fn update_entry(conn: &Connection, id: i64, old: &Map<String, Value>, m: &Map<String, Value>, by: &str, at: &str) -> rusqlite::Result<()> {
    let (qk, ak) = keys_of(m);
    conn.execute(
        "UPDATE entries SET question = ?1, question_key = ?2, answer = ?3, answer_raw = ?4, answer_key = ?5, comment = ?6, domain = ?7, tags = ?8,
                owner = ?9, last_reviewed = ?10, review_by = ?11, status = ?12, updated_at = ?13 WHERE id = ?14",
        params![s(m, "question"), qk, s(m, "answer"), s(m, "answer_raw"), ak, s(m, "comment"), s(m, "domain"), s(m, "tags"), s(m, "owner"), s(m, "last_reviewed"), s(m, "review_by"), s(m, "status"), at, id],
    )?;
    for f in ENTRY_FIELDS {
        if old.get(f) != m.get(f) {
            conn.execute(
                "INSERT INTO entry_history(entry_id, changed_at, field, old_value, new_value) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, at, format!("{f} (by {by}, team library)"), s(old, f), s(m, f)],
            )?;
        }
    }
    Ok(())
}

pub(super) fn apply_entry(conn: &Connection, gid: &str, rev: i64, row: &Value, known: Option<SyncRow>, report: &mut SyncReport) -> std::result::Result<bool, String> {
    let deleted = is_deleted(row);
    let by = short(row.get("updated_by").and_then(Value::as_str).unwrap_or("someone"), 100);
    let at = timestamp(row, "updated_at");
    let remote = match remote_entry(row) {
        Ok(m) => m,
        Err(e) if !deleted => return Err(e),
        Err(_) => Map::new(), // a deletion needs no values
    };
    let base_text = Value::Object(remote.clone()).to_string();
    let question = s(&remote, "question").unwrap_or_default();
    match known {
        Some(SyncRow { local_id: Some(lid), base, dirty, .. }) => {
            let local = local_entry(conn, lid).map_err(sql)?.ok_or("its local entry is missing")?;
            if deleted {
                let base_map: Option<Map<String, Value>> = base.as_deref().and_then(|b| serde_json::from_str(b).ok());
                let changed_here = dirty != 0 && base_map.as_ref().is_none_or(|b| *b != local);
                delete_local(conn, "entries", lid, gid, rev).map_err(sql)?;
                if changed_here {
                    let fork = insert_entry(conn, &local, &crate::dates::now_text(), &crate::dates::now_text()).map_err(sql)?;
                    conn.execute(
                        "INSERT INTO entry_history(entry_id, changed_at, field, old_value, new_value) VALUES (?1, ?2, 'conflict', ?3, ?4)",
                        params![fork, at, format!("entry {lid}"), format!("deleted in the team library by {by} while it was edited here; the edit is kept as this entry")],
                    )
                    .map_err(sql)?;
                    report.conflicts.push(ConflictNote {
                        entry_id: None,
                        kept_as: Some(fork),
                        question: s(&local, "question").unwrap_or_default(),
                        detail: format!("{by} deleted it in the team library while it was edited here; your version is kept as entry {fork}"),
                    });
                }
                return Ok(true);
            }
            if dirty == 0 {
                if local != remote {
                    update_entry(conn, lid, &local, &remote, &by, &at).map_err(sql)?;
                }
                bind(conn, "entries", lid, gid, Some(rev), Some(&base_text), true).map_err(sql)?;
                return Ok(true);
            }
            // Changed on both sides: merge against the base (none: the server's row is the base,
            // so every local difference is a local change).
            let base: Map<String, Value> = base.as_deref().and_then(|b| serde_json::from_str(b).ok()).unwrap_or_else(|| remote.clone());
            let (merged, found) = merge(Some(&ENTRY_FIELDS[..]), &base, &local, &remote);
            let clashes: Vec<&str> = found.iter().map(|c| c.field.as_str()).collect();
            if !clashes.is_empty() && keys_of(&local).1 != keys_of(&remote).1 {
                // Two answers: both kept. The entry takes the server's; the local one becomes a
                // new entry (pushed as such), and the pair shows as a library conflict.
                update_entry(conn, lid, &local, &remote, &by, &at).map_err(sql)?;
                bind(conn, "entries", lid, gid, Some(rev), Some(&base_text), true).map_err(sql)?;
                let fork = insert_entry(conn, &local, &crate::dates::now_text(), &crate::dates::now_text()).map_err(sql)?;
                conn.execute(
                    "INSERT INTO entry_history(entry_id, changed_at, field, old_value, new_value) VALUES (?1, ?2, 'conflict', ?3, ?4)",
                    params![fork, at, format!("entry {lid}"), format!("{by} answered differently in the team library while it was edited here; both answers are kept")],
                )
                .map_err(sql)?;
                report.conflicts.push(ConflictNote {
                    entry_id: Some(lid),
                    kept_as: Some(fork),
                    question,
                    detail: format!("{by} changed the answer in the team library while you changed it here; both answers are kept (entries {lid} and {fork}) until one is resolved"),
                });
                return Ok(true);
            }
            for f in &clashes {
                conn.execute(
                    "INSERT INTO sync_conflicts(at, entry_id, gid, field, local_value, server_value, server_by, tbl, local_id, local_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'entries', ?2, ?8)",
                    params![crate::dates::now_text(), lid, gid, f, s(&local, f), s(&remote, f), by, local.get(*f).map(Value::to_string)],
                )
                .map_err(sql)?;
                conn.execute(
                    "INSERT INTO entry_history(entry_id, changed_at, field, old_value, new_value) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![lid, at, format!("conflict: {f} (your edit; {by}'s was kept)"), s(&local, f), s(&remote, f)],
                )
                .map_err(sql)?;
            }
            if !clashes.is_empty() {
                report.conflicts.push(ConflictNote {
                    entry_id: Some(lid),
                    kept_as: None,
                    question,
                    detail: format!("{by} also changed {} in the team library; theirs was kept, yours is in the entry's history", clashes.join(", ")),
                });
            }
            if merged != local {
                update_entry(conn, lid, &local, &merged, &by, &at).map_err(sql)?;
            }
            bind(conn, "entries", lid, gid, Some(rev), Some(&base_text), merged == remote).map_err(sql)?;
            Ok(true)
        }
        Some(SyncRow { local_id: None, dirty, .. }) => {
            if deleted {
                tombstone(conn, "entries", gid, rev).map_err(sql)?;
                return Ok(false);
            }
            // Deleted here, changed (or restored) there: the server's version comes back.
            let lid = insert_fresh_entry(conn, &remote, row, &at)?;
            bind(conn, "entries", lid, gid, Some(rev), Some(&base_text), true).map_err(sql)?;
            if dirty != 0 {
                report.conflicts.push(ConflictNote {
                    entry_id: Some(lid),
                    kept_as: None,
                    question,
                    detail: format!("you deleted it here while {by} changed it in the team library; their version is back (delete it again if it should go)"),
                });
            }
            Ok(true)
        }
        None => {
            if deleted {
                return Ok(false);
            }
            let (qk, ak) = keys_of(&remote);
            let same: Option<i64> = conn
                .query_row("SELECT id FROM entries WHERE question_key = ?1 AND answer_key = ?2", params![qk, ak], |r| r.get(0))
                .optional()
                .map_err(sql)?;
            if let Some(lid) = same {
                let (_, mine) = sync_row_of(conn, "entries", lid).map_err(sql)?.ok_or("the local entry with the same answer has no sync record")?;
                if mine.revision.is_some() {
                    return Err(format!("entry {lid} here gives the same answer to the same question and the team library knows it under another id"));
                }
                // The same answer made here and there (the same file imported twice): one entry.
                let local = local_entry(conn, lid).map_err(sql)?.ok_or("its local entry is missing")?;
                bind(conn, "entries", lid, gid, Some(rev), Some(&base_text), local == remote).map_err(sql)?;
                return Ok(true);
            }
            let lid = insert_fresh_entry(conn, &remote, row, &at)?;
            bind(conn, "entries", lid, gid, Some(rev), Some(&base_text), true).map_err(sql)?;
            Ok(true)
        }
    }
}

fn insert_fresh_entry(conn: &Connection, remote: &Map<String, Value>, row: &Value, at: &str) -> std::result::Result<i64, String> {
    insert_entry(conn, remote, &timestamp(row, "created_at"), at).map_err(|e| match &e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
            "another entry here gives the same answer to the same question".to_string()
        }
        _ => format!("the library refused it: {e}"),
    })
}

pub(super) fn apply_source(conn: &Connection, gid: &str, rev: i64, row: &Value, known: Option<SyncRow>) -> std::result::Result<bool, String> {
    let deleted = is_deleted(row);
    let fields = (|| -> std::result::Result<_, String> {
        let sha = text(row, "sha256", 64, 64)?;
        if !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err("its sha256 is not a hash".into());
        }
        Ok((text(row, "file_name", 1, 1000)?, sha.to_lowercase(), text(row, "format", 0, 20)?, timestamp(row, "imported_at"), integer(row, "questions")?, integer(row, "answered")?))
    })();
    let (name, sha, format, imported, questions, answered) = match fields {
        Ok(f) => f,
        Err(e) if !deleted => return Err(e),
        Err(_) => Default::default(),
    };
    match known.and_then(|k| k.local_id) {
        Some(lid) if deleted => {
            delete_local(conn, "sources", lid, gid, rev).map_err(sql)?;
            Ok(true)
        }
        Some(lid) => {
            conn.execute(
                "UPDATE sources SET file_name = ?1, sha256 = ?2, format = ?3, imported_at = ?4, questions = ?5, answered = ?6 WHERE id = ?7",
                params![name, sha, format, imported, questions, answered, lid],
            )
            .map_err(sql)?;
            bind(conn, "sources", lid, gid, Some(rev), None, true).map_err(sql)?;
            Ok(true)
        }
        None if deleted => {
            tombstone(conn, "sources", gid, rev).map_err(sql)?;
            Ok(false)
        }
        None => {
            let same: Option<i64> = conn.query_row("SELECT id FROM sources WHERE sha256 = ?1", [&sha], |r| r.get(0)).optional().map_err(sql)?;
            let lid = match same {
                Some(lid) => {
                    let (_, mine) = sync_row_of(conn, "sources", lid).map_err(sql)?.ok_or("the local file has no sync record")?;
                    if mine.revision.is_some() {
                        return Err(format!("the same file is imported here (source {lid}) and the team library knows it under another id"));
                    }
                    lid
                }
                None => {
                    conn.execute(
                        "INSERT INTO sources(file_name, sha256, format, imported_at, questions, answered) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        params![name, sha, format, imported, questions, answered],
                    )
                    .map_err(sql)?;
                    conn.last_insert_rowid()
                }
            };
            bind(conn, "sources", lid, gid, Some(rev), None, true).map_err(sql)?;
            Ok(true)
        }
    }
}

pub(super) fn apply_provenance(conn: &Connection, gid: &str, rev: i64, row: &Value, known: Option<SyncRow>) -> std::result::Result<bool, String> {
    let deleted = is_deleted(row);
    if let Some(lid) = known.as_ref().and_then(|k| k.local_id) {
        if deleted {
            delete_local(conn, "provenance", lid, gid, rev).map_err(sql)?;
            return Ok(true);
        }
    }
    if deleted {
        tombstone(conn, "provenance", gid, rev).map_err(sql)?;
        return Ok(false);
    }
    let parent = |tbl: &str, key: &str| -> std::result::Result<Option<i64>, String> {
        let id = row.get(key).and_then(Value::as_str).ok_or_else(|| format!("its {key} is missing"))?;
        let k = sync_row(conn, id).map_err(sql)?;
        match k {
            Some(SyncRow { local_id: Some(l), .. }) => {
                let _ = tbl;
                Ok(Some(l))
            }
            // The parent was deleted here (or on the server): the provenance goes with it.
            Some(SyncRow { local_id: None, .. }) => Ok(None),
            None => Err(missing_parent(key)),
        }
    };
    let (Some(entry), Some(source)) = (parent("entries", "entry_id")?, parent("sources", "source_id")?) else {
        tombstone(conn, "provenance", gid, rev).map_err(sql)?;
        return Ok(false);
    };
    let sheet = text(row, "sheet", 0, 500)?;
    let r = integer(row, "row")?;
    let reference = text(row, "ref", 0, 500)?;
    let answer_raw = text(row, "answer_raw", 0, 100_000)?;
    let comment = text(row, "comment", 0, 100_000)?;
    let imported = timestamp(row, "imported_at");
    let lid = match known.and_then(|k| k.local_id) {
        Some(lid) => {
            conn.execute(
                "UPDATE provenance SET entry_id = ?1, source_id = ?2, sheet = ?3, row = ?4, ref = ?5, answer_raw = ?6, comment = ?7, imported_at = ?8 WHERE id = ?9",
                params![entry, source, sheet, r, reference, answer_raw, comment, imported, lid],
            )
            .map_err(sql)?;
            lid
        }
        None => {
            let same: Option<i64> = conn
                .query_row(
                    "SELECT id FROM provenance WHERE entry_id = ?1 AND source_id = ?2 AND sheet = ?3 AND row = ?4 AND ref = ?5",
                    params![entry, source, sheet, r, reference],
                    |x| x.get(0),
                )
                .optional()
                .map_err(sql)?;
            match same {
                Some(lid) => {
                    let (_, mine) = sync_row_of(conn, "provenance", lid).map_err(sql)?.ok_or("the local provenance has no sync record")?;
                    if mine.revision.is_some() {
                        // Two records of the same place: the library keeps one.
                        tombstone(conn, "provenance", gid, rev).map_err(sql)?;
                        return Ok(false);
                    }
                    lid
                }
                None => {
                    conn.execute(
                        "INSERT INTO provenance(entry_id, source_id, sheet, row, ref, answer_raw, comment, imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                        params![entry, source, sheet, r, reference, answer_raw, comment, imported],
                    )
                    .map_err(sql)?;
                    conn.last_insert_rowid()
                }
            }
        }
    };
    bind(conn, "provenance", lid, gid, Some(rev), None, true).map_err(sql)?;
    Ok(true)
}

/// The name an evidence file fetched from the server is kept under: only a short, plain extension
/// of the server's file name is used.
pub(super) fn evidence_copy_name(row: &Value) -> String {
    let ext = row
        .get("file_name")
        .and_then(Value::as_str)
        .and_then(|n| std::path::Path::new(n).extension().and_then(|e| e.to_str()).map(str::to_string))
        .filter(|e| (1..=8).contains(&e.len()) && e.bytes().all(|b| b.is_ascii_alphanumeric()));
    match ext {
        Some(e) => format!("evidence.{e}"),
        None => "evidence".to_string(),
    }
}

pub(super) fn apply_evidence(conn: &Connection, gid: &str, rev: i64, row: &Value, known: Option<SyncRow>, files: &Files) -> std::result::Result<bool, String> {
    let deleted = is_deleted(row);
    let local = known.as_ref().and_then(|k| k.local_id);
    if deleted {
        return take_deletion(conn, "evidence", gid, rev, local);
    }
    let sha = text(row, "sha256", 64, 64)?.to_lowercase();
    if !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("its sha256 is not a hash".into());
    }
    let title = text(row, "title", 1, 1000)?;
    let file_name = text(row, "file_name", 1, 1000)?;
    let kind = text(row, "kind", 0, 50)?;
    let added = timestamp(row, "added_at");
    let expires = date(row, "expires", false)?.as_str().map(str::to_string);
    let tags = text(row, "tags", 0, 2000)?;
    let owner = text(row, "owner", 0, 500)?;
    let body = text(row, "text", 0, 20_000_000)?;
    let stored = match files.get(&("evidence", sha.clone())) {
        Some(p) => Some(p.clone()),
        None => conn.query_row("SELECT stored_path FROM evidence WHERE sha256 = ?1", [&sha], |r| r.get::<_, String>(0)).optional().map_err(sql)?,
    };
    let lid = match local {
        Some(lid) => lid,
        None => {
            let same: Option<i64> = conn.query_row("SELECT id FROM evidence WHERE sha256 = ?1", [&sha], |r| r.get(0)).optional().map_err(sql)?;
            match same {
                Some(lid) => {
                    let (_, mine) = sync_row_of(conn, "evidence", lid).map_err(sql)?.ok_or("the local document has no sync record")?;
                    if mine.revision.is_some() {
                        return Err(format!("the same file is evidence {lid} here, which the team library knows under another id"));
                    }
                    lid
                }
                None => {
                    let stored = stored.clone().ok_or("its file is not on the team library (or does not match its hash)")?;
                    conn.execute(
                        "INSERT INTO evidence(title, file_name, stored_path, sha256, kind, added_at, expires, tags, owner, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                        params![title, file_name, stored, sha, kind, added, expires, tags, owner, body],
                    )
                    .map_err(sql)?;
                    let lid = conn.last_insert_rowid();
                    bind(conn, "evidence", lid, gid, Some(rev), None, true).map_err(sql)?;
                    return Ok(true);
                }
            }
        }
    };
    let current: String = conn.query_row("SELECT sha256 FROM evidence WHERE id = ?1", [lid], |r| r.get(0)).map_err(sql)?;
    if current != sha && stored.is_none() {
        return Err("its new file is not on the team library (or does not match its hash)".into());
    }
    conn.execute(
        "UPDATE evidence SET title = ?1, file_name = ?2, sha256 = ?3, kind = ?4, expires = ?5, tags = ?6, owner = ?7, text = ?8,
                stored_path = COALESCE(?9, stored_path) WHERE id = ?10",
        params![title, file_name, sha, kind, expires, tags, owner, body, if current != sha { stored } else { None }, lid],
    )
    .map_err(sql)?;
    bind(conn, "evidence", lid, gid, Some(rev), None, true).map_err(sql)?;
    Ok(true)
}

pub(super) fn apply_link(conn: &Connection, gid: &str, rev: i64, row: &Value, known: Option<SyncRow>) -> std::result::Result<bool, String> {
    let deleted = is_deleted(row);
    let local = known.as_ref().and_then(|k| k.local_id);
    if deleted {
        return take_deletion(conn, "entry_evidence", gid, rev, local);
    }
    let (Some(entry), Some(evidence)) = (parent_id(conn, row, "entry_id")?, parent_id(conn, row, "evidence_id")?) else {
        tombstone(conn, "entry_evidence", gid, rev).map_err(sql)?;
        return Ok(false);
    };
    let key = (entry << 32) | evidence;
    if local.is_some_and(|l| l != key) {
        return Err("the link names other rows than before; links are never moved".into());
    }
    let inserted = conn
        .execute("INSERT OR IGNORE INTO entry_evidence(entry_id, evidence_id, linked_at) VALUES (?1, ?2, ?3)", params![entry, evidence, timestamp(row, "linked_at")])
        .map_err(sql)?;
    if inserted == 0 && local.is_none() {
        // Linked here too: one link, with the server's id unless the server has this one already.
        let (_, mine) = sync_row_of(conn, "entry_evidence", key).map_err(sql)?.ok_or("the local link has no sync record")?;
        if mine.revision.is_some() {
            tombstone(conn, "entry_evidence", gid, rev).map_err(sql)?;
            return Ok(false);
        }
    }
    bind(conn, "entry_evidence", key, gid, Some(rev), None, true).map_err(sql)?;
    Ok(inserted > 0)
}

/// What a local row of the answer library sends (`row` of a `quire.push` change) and the base it
/// leaves once the server has it; `None` when the row is gone or its parent has no global id yet.
pub(super) fn outgoing(conn: &Connection, tbl: &str, id: i64, gid_of: &dyn Fn(&str, i64) -> rusqlite::Result<Option<String>>) -> rusqlite::Result<Option<(Value, Option<Value>)>> {
    Ok(Some(match tbl {
                "entries" => {
                    let Some(m) = local_entry(conn, id)? else { return Ok(None) };
                    let (qk, ak) = keys_of(&m);
                    let mut row = m.clone();
                    row.insert("question_key".into(), qk.into());
                    row.insert("answer_key".into(), ak.into());
                    row.insert("deleted".into(), false.into());
                    (Value::Object(row), Some(Value::Object(m)))
                }
                "evidence" => {
                    let row = conn
                        .query_row("SELECT title, file_name, sha256, kind, added_at, expires, tags, owner, text FROM evidence WHERE id = ?1", [id], |r| {
                            Ok(json!({"title": r.get::<_, String>(0)?, "file_name": r.get::<_, String>(1)?, "sha256": r.get::<_, String>(2)?, "kind": r.get::<_, String>(3)?,
                                      "added_at": r.get::<_, String>(4)?, "expires": r.get::<_, Option<String>>(5)?, "tags": r.get::<_, String>(6)?,
                                      "owner": r.get::<_, String>(7)?, "text": r.get::<_, String>(8)?, "deleted": false}))
                        })
                        .optional()
                        ?;
                    let Some(row) = row else { return Ok(None) };
                    (row, None)
                }
                "entry_evidence" => {
                    let (entry, evidence) = (id >> 32, id & 0xffff_ffff);
                    let linked: Option<String> = conn
                        .query_row("SELECT linked_at FROM entry_evidence WHERE entry_id = ?1 AND evidence_id = ?2", params![entry, evidence], |r| r.get(0))
                        .optional()
                        ?;
                    let Some(linked) = linked else { return Ok(None) };
                    let (Some(e), Some(v)) = (gid_of("entries", entry)?, gid_of("evidence", evidence)?) else { return Ok(None) };
                    (json!({"entry_id": e, "evidence_id": v, "linked_at": linked, "deleted": false}), None)
                }
                "sources" => {
                    let row = conn
                        .query_row("SELECT file_name, sha256, format, imported_at, questions, answered FROM sources WHERE id = ?1", [id], |r| {
                            Ok(json!({"file_name": r.get::<_, String>(0)?, "sha256": r.get::<_, String>(1)?, "format": r.get::<_, String>(2)?,
                                      "imported_at": r.get::<_, String>(3)?, "questions": r.get::<_, i64>(4)?, "answered": r.get::<_, i64>(5)?, "deleted": false}))
                        })
                        .optional()
                        ?;
                    let Some(row) = row else { return Ok(None) };
                    (row, None)
                }
                _ => {
                    let p = conn
                        .query_row("SELECT entry_id, source_id, sheet, row, ref, answer_raw, comment, imported_at FROM provenance WHERE id = ?1", [id], |r| {
                            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, json!({"sheet": r.get::<_, String>(2)?, "row": r.get::<_, i64>(3)?, "ref": r.get::<_, String>(4)?,
                                "answer_raw": r.get::<_, String>(5)?, "comment": r.get::<_, String>(6)?, "imported_at": r.get::<_, String>(7)?, "deleted": false})))
                        })
                        .optional()
                        ?;
                    let Some((entry, source, mut row)) = p else { return Ok(None) };
                    let (Some(e), Some(s)) = (gid_of("entries", entry)?, gid_of("sources", source)?) else { return Ok(None) };
                    row["entry_id"] = e.into();
                    row["source_id"] = s.into();
                    (row, None)
                }
    }))
}
