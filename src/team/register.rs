//! The vendor register's part of the team library sync (docs/team.md, "The desktop side"):
//! vendors, their assessments and the follow-up status of each finding, so that the analysts of
//! a TPRM office share one register. `sync.rs` pulls and pushes them with the answer library's
//! rows; this module turns a server row into the library's row and back.
//!
//! - A **vendor** syncs as its name and record (the JSON the library keeps, without the local
//!   id). Edited on two desktops at once, the records merge key by key against the version both
//!   started from; a key both changed differently takes the server's value, and the local one is
//!   kept in `sync_conflicts` and reported. Two analysts who add the same vendor offline end
//!   with one vendor (the server's id), merged the same way.
//! - An **assessment** is written once: it syncs whole, with its vendor's global id; its result
//!   names the vendor by the local id of each desktop.
//! - A **finding status** (open, accepted, remediated, with a note) merges like a vendor's keys.
//!   Only an approver may accept a finding's risk: the server refuses a contributor's "accepted",
//!   and the change stays waiting with the server's reason.

use super::merge::{keep_clashes, merge, updated_by, Clash};
use super::rows::{bind, delete_local, integer, is_deleted, parent_or_gone, short, sql, sync_row_of, take_deletion, text, timestamp, tombstone, SyncRow};
use super::sync::SyncReport;
use crate::assess::vendor::{Tier, Vendor};
use crate::assess::Assessment;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Map, Value};

type Applied = std::result::Result<bool, String>;

/// The finding statuses the library and the server know.
const FINDING_STATUSES: [&str; 3] = ["open", "accepted", "remediated"];

// --- vendors ---

/// A vendor record as it syncs: the stored JSON object without the local id.
fn record_value(record: &str) -> Option<Map<String, Value>> {
    let mut m: Map<String, Value> = serde_json::from_str(record).ok()?;
    m.remove("id");
    Some(m)
}

fn local_vendor(conn: &Connection, id: i64) -> rusqlite::Result<Option<Map<String, Value>>> {
    let record: Option<String> = conn.query_row("SELECT record FROM vendors WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    Ok(record.and_then(|r| record_value(&r)))
}

/// The server's vendor row as a record this Quire can read (checked: a broken record would
/// break the Vendors screen); the name column is the record's name.
fn remote_vendor(row: &Value) -> std::result::Result<Map<String, Value>, String> {
    let name = text(row, "name", 1, 500)?;
    let mut m = row.get("record").and_then(Value::as_object).cloned().ok_or("its record is missing or not an object")?;
    m.remove("id");
    m.insert("name".into(), Value::String(name));
    serde_json::from_value::<Vendor>(Value::Object(m.clone())).map_err(|e| format!("its record is not a vendor record this Quire can read ({})", short(&e.to_string(), 200)))?;
    Ok(m)
}

/// What a vendor's record was when it was added: a new vendor of its local name, the base of
/// the merge when two desktops added the same vendor (so only what each filled in counts as a
/// change, and the team library's spelling of the name is kept).
fn new_record(conn: &Connection, lid: i64) -> rusqlite::Result<Map<String, Value>> {
    let name: String = conn.query_row("SELECT name FROM vendors WHERE id = ?1", [lid], |r| r.get(0))?;
    let fresh = serde_json::to_value(Vendor::new(&name)).ok();
    Ok(fresh.as_ref().and_then(|v| record_value(&v.to_string())).unwrap_or_default())
}

fn write_vendor(conn: &Connection, id: Option<i64>, m: &Map<String, Value>, created: &str, at: &str) -> std::result::Result<i64, String> {
    let name = m.get("name").and_then(Value::as_str).unwrap_or_default();
    let record = Value::Object(m.clone()).to_string();
    let clash = |e: rusqlite::Error| match &e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
            format!("another vendor here is already named \"{}\"", short(name, 100))
        }
        _ => sql(e),
    };
    match id {
        Some(id) => {
            conn.execute("UPDATE vendors SET name = ?1, record = ?2, updated_at = ?3 WHERE id = ?4", params![name, record, at, id]).map_err(clash)?;
            Ok(id)
        }
        None => {
            conn.execute("INSERT INTO vendors(name, record, created_at, updated_at) VALUES (?1, ?2, ?3, ?4)", params![name, record, created, at]).map_err(clash)?;
            Ok(conn.last_insert_rowid())
        }
    }
}

pub(super) fn apply_vendor(conn: &Connection, gid: &str, rev: i64, row: &Value, known: Option<SyncRow>, report: &mut SyncReport) -> Applied {
    let by = updated_by(row);
    let at = timestamp(row, "updated_at");
    if is_deleted(row) {
        return match known.as_ref().and_then(|k| k.local_id) {
            Some(lid) => {
                let local = local_vendor(conn, lid).map_err(sql)?.unwrap_or_default();
                let changed_here = known.as_ref().is_some_and(|k| k.dirty != 0 && k.base_row().as_ref() != Some(&local));
                let name = local.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
                delete_local(conn, "vendors", lid, gid, rev).map_err(sql)?;
                if changed_here {
                    let whole = [Clash { field: "record".into(), local: Value::String(Value::Object(local).to_string()), server: Value::Null }];
                    keep_clashes(conn, "vendors", lid, gid, &by, &format!("vendor {name}"), &whole, report).map_err(sql)?;
                }
                Ok(true)
            }
            None => {
                tombstone(conn, "vendors", gid, rev).map_err(sql)?;
                Ok(false)
            }
        };
    }
    let remote = remote_vendor(row)?;
    let base_text = Value::Object(remote.clone()).to_string();
    let name = remote.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
    let what = format!("vendor {name}");
    let (lid, base) = match known {
        Some(SyncRow { local_id: Some(lid), dirty: 0, .. }) => {
            if local_vendor(conn, lid).map_err(sql)?.as_ref() != Some(&remote) {
                write_vendor(conn, Some(lid), &remote, &at, &at)?;
            }
            bind(conn, "vendors", lid, gid, Some(rev), Some(&base_text), true).map_err(sql)?;
            return Ok(true);
        }
        Some(k @ SyncRow { local_id: Some(lid), .. }) => (lid, k.base_or(&remote)),
        _ => {
            // New here, unless this desktop added a vendor of the same name that the team
            // library has not seen: then the two are one vendor, merged as if both had started
            // from a new record of that name.
            let same: Option<i64> = conn.query_row("SELECT id FROM vendors WHERE name = ?1", [&name], |r| r.get(0)).optional().map_err(sql)?;
            match same {
                Some(lid) => {
                    let (_, mine) = sync_row_of(conn, "vendors", lid).map_err(sql)?.ok_or("the local vendor of the same name has no sync record")?;
                    if mine.revision.is_some() {
                        return Err(format!("vendor {lid} here has the same name and the team library knows it under another id"));
                    }
                    (lid, new_record(conn, lid).map_err(sql)?)
                }
                None => {
                    let lid = write_vendor(conn, None, &remote, &timestamp(row, "created_at"), &at)?;
                    bind(conn, "vendors", lid, gid, Some(rev), Some(&base_text), true).map_err(sql)?;
                    return Ok(true);
                }
            }
        }
    };
    // Changed on both sides: merge against the base.
    let local = local_vendor(conn, lid).map_err(sql)?.ok_or("its local vendor record cannot be read")?;
    let (merged, clashes) = merge(None, &base, &local, &remote);
    keep_clashes(conn, "vendors", lid, gid, &by, &what, &clashes, report).map_err(sql)?;
    if merged != local {
        write_vendor(conn, Some(lid), &merged, &at, &at)?;
    }
    bind(conn, "vendors", lid, gid, Some(rev), Some(&base_text), merged == remote).map_err(sql)?;
    Ok(true)
}

// --- assessments ---

pub(super) fn apply_assessment(conn: &Connection, gid: &str, rev: i64, row: &Value, known: Option<SyncRow>) -> Applied {
    let local = known.as_ref().and_then(|k| k.local_id);
    if is_deleted(row) {
        return take_deletion(conn, "assessments", gid, rev, local);
    }
    let Some(vendor) = parent_or_gone(conn, row, "vendor_id", "assessments", gid, rev)? else { return Ok(false) };
    let questionnaire = text(row, "questionnaire", 1, 1000)?;
    let sha = text(row, "sha256", 64, 64)?.to_lowercase();
    if !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("its sha256 is not a hash".into());
    }
    let rubric = text(row, "rubric", 0, 200)?;
    let assessed_at = normalised_time(row, "assessed_at")?;
    let overall = match row.get("overall") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_f64().filter(|x| x.is_finite()).ok_or("its overall score is not a number")?),
    };
    let tier = text(row, "residual_tier", 1, 50)?;
    serde_json::from_value::<Tier>(Value::String(tier.clone())).map_err(|_| format!("its residual tier {:?} is not low, moderate, high or critical", short(&tier, 20)))?;
    let mut result = row.get("result").filter(|v| v.is_object()).cloned().ok_or("its result is missing or not an object")?;
    // The result names the vendor by this desktop's id.
    if let Some(v) = result.get_mut("vendor").and_then(Value::as_object_mut) {
        v.insert("id".into(), json!(vendor));
    }
    serde_json::from_value::<Assessment>(result.clone()).map_err(|e| format!("its result is not an assessment this Quire can read ({})", short(&e.to_string(), 200)))?;
    let result = result.to_string();
    let lid = match local {
        Some(lid) => {
            conn.execute(
                "UPDATE assessments SET vendor_id = ?1, questionnaire = ?2, sha256 = ?3, rubric = ?4, assessed_at = ?5, overall = ?6, residual_tier = ?7, result = ?8 WHERE id = ?9",
                params![vendor, questionnaire, sha, rubric, assessed_at, overall, tier, result, lid],
            )
            .map_err(sql)?;
            lid
        }
        None => {
            conn.execute(
                "INSERT INTO assessments(vendor_id, questionnaire, sha256, rubric, assessed_at, overall, residual_tier, result) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![vendor, questionnaire, sha, rubric, assessed_at, overall, tier, result],
            )
            .map_err(sql)?;
            conn.last_insert_rowid()
        }
    };
    bind(conn, "assessments", lid, gid, Some(rev), None, true).map_err(sql)?;
    Ok(true)
}

/// A server timestamp (`2026-12-02T16:00:00.123+00:00`) as the library writes them (RFC 3339 in
/// UTC), so that lists sort the same whoever made the row.
fn normalised_time(row: &Value, key: &str) -> std::result::Result<String, String> {
    let s = text(row, key, 1, 64)?;
    let t = time::OffsetDateTime::parse(&s, &time::format_description::well_known::Rfc3339).map_err(|_| format!("its {key} is not a time"))?;
    t.to_offset(time::UtcOffset::UTC).format(&time::format_description::well_known::Rfc3339).map_err(|_| format!("its {key} is not a time"))
}

// --- finding statuses ---

fn local_finding(conn: &Connection, key: i64) -> rusqlite::Result<Option<Map<String, Value>>> {
    conn.query_row("SELECT status, note FROM finding_status WHERE assessment_id = ?1 AND finding = ?2", params![key >> 32, key & 0xffff_ffff], |r| {
        let mut m = Map::new();
        m.insert("status".into(), Value::String(r.get(0)?));
        m.insert("note".into(), Value::String(r.get(1)?));
        Ok(m)
    })
    .optional()
}

fn write_finding(conn: &Connection, key: i64, m: &Map<String, Value>, by: &str, at: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO finding_status(assessment_id, finding, status, note, changed_by, changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(assessment_id, finding) DO UPDATE SET status = excluded.status, note = excluded.note, changed_by = excluded.changed_by, changed_at = excluded.changed_at",
        params![key >> 32, key & 0xffff_ffff, m.get("status").and_then(Value::as_str), m.get("note").and_then(Value::as_str), by, at],
    )?;
    Ok(())
}

pub(super) fn apply_finding(conn: &Connection, gid: &str, rev: i64, row: &Value, known: Option<SyncRow>, report: &mut SyncReport) -> Applied {
    let local = known.as_ref().and_then(|k| k.local_id);
    if is_deleted(row) {
        return take_deletion(conn, "finding_status", gid, rev, local);
    }
    let Some(assessment) = parent_or_gone(conn, row, "assessment_id", "finding_status", gid, rev)? else { return Ok(false) };
    let finding = integer(row, "finding")?;
    let findings: i64 = conn
        .query_row("SELECT COALESCE(json_array_length(result, '$.scorecard.findings'), 0) FROM assessments WHERE id = ?1", [assessment], |r| r.get(0))
        .map_err(sql)?;
    if finding >= findings {
        return Err(format!("its assessment has no finding {} (it has {findings})", finding + 1));
    }
    let status = text(row, "status", 1, 20)?;
    if !FINDING_STATUSES.contains(&status.as_str()) {
        return Err(format!("its status {:?} is not open, accepted or remediated", short(&status, 20)));
    }
    let note = text(row, "note", 0, 20_000)?;
    let mut remote = Map::new();
    remote.insert("status".into(), Value::String(status));
    remote.insert("note".into(), Value::String(note));
    let base_text = Value::Object(remote.clone()).to_string();
    let key = (assessment << 32) | finding;
    if local.is_some_and(|l| l != key) {
        return Err("the status names another finding than before; statuses are never moved".into());
    }
    let by = updated_by(row);
    let at = timestamp(row, "updated_at");
    let mine = local_finding(conn, key).map_err(sql)?;
    // Whether this desktop changed it since the version it last had (or set it before ever
    // seeing the server's: then both started from an open finding without a note).
    let base: Option<Map<String, Value>> = match (&known, &mine) {
        (Some(k @ SyncRow { local_id: Some(_), .. }), Some(_)) if k.dirty != 0 => Some(k.base_or(&remote)),
        (None, Some(_)) => {
            let (_, line) = sync_row_of(conn, "finding_status", key).map_err(sql)?.ok_or("the local finding status has no sync record")?;
            if line.revision.is_some() {
                return Err("this finding's status here is known to the team library under another id".into());
            }
            Some(serde_json::from_value(json!({"status": "open", "note": ""})).unwrap_or_default())
        }
        _ => None,
    };
    let (merged, clean) = match (base, &mine) {
        (Some(base), Some(mine)) => {
            let (merged, clashes) = merge(None, &base, mine, &remote);
            let what = format!("finding {} of assessment {assessment}", finding + 1);
            keep_clashes(conn, "finding_status", key, gid, &by, &what, &clashes, report).map_err(sql)?;
            let clean = merged == remote;
            (merged, clean)
        }
        _ => (remote.clone(), true),
    };
    if mine.as_ref() != Some(&merged) {
        write_finding(conn, key, &merged, &by, &at).map_err(sql)?;
    }
    bind(conn, "finding_status", key, gid, Some(rev), Some(&base_text), clean).map_err(sql)?;
    Ok(true)
}

// --- push ---

/// What a local register row sends (`row` of a `quire.push` change) and the base it leaves
/// once the server has it; `None` when the row is gone or its parent has no global id yet.
pub(super) fn outgoing(conn: &Connection, tbl: &str, id: i64, gid_of: &dyn Fn(&str, i64) -> rusqlite::Result<Option<String>>) -> rusqlite::Result<Option<(Value, Option<Value>)>> {
    match tbl {
        "vendors" => {
            let Some(record) = local_vendor(conn, id)? else { return Ok(None) };
            let name = record.get("name").cloned().unwrap_or(Value::Null);
            Ok(Some((json!({"name": name, "record": record, "deleted": false}), Some(Value::Object(record)))))
        }
        "assessments" => {
            type Row = (i64, String, String, String, String, Option<f64>, String, String);
            let a: Option<Row> = conn
                .query_row("SELECT vendor_id, questionnaire, sha256, rubric, assessed_at, overall, residual_tier, result FROM assessments WHERE id = ?1", [id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?))
                })
                .optional()?;
            let Some((vendor, questionnaire, sha, rubric, at, overall, tier, result)) = a else { return Ok(None) };
            let Some(vendor_gid) = gid_of("vendors", vendor)? else { return Ok(None) };
            let mut result: Value = serde_json::from_str(&result).unwrap_or(Value::Null);
            if let Some(v) = result.get_mut("vendor").and_then(Value::as_object_mut) {
                v.remove("id");
            }
            Ok(Some((
                json!({"vendor_id": vendor_gid, "questionnaire": questionnaire, "sha256": sha, "rubric": rubric, "assessed_at": at, "overall": overall,
                       "residual_tier": tier, "result": result, "deleted": false}),
                None,
            )))
        }
        _ => {
            let Some(m) = local_finding(conn, id)? else { return Ok(None) };
            let Some(assessment_gid) = gid_of("assessments", id >> 32)? else { return Ok(None) };
            Ok(Some((
                json!({"assessment_id": assessment_gid, "finding": id & 0xffff_ffff, "status": m["status"], "note": m["note"], "deleted": false}),
                Some(Value::Object(m)),
            )))
        }
    }
}
