//! The tamper-evident audit log (migration 007): SQLite triggers append a record for every
//! change to answers, evidence and links, reviews, vendors, assessments and finding statuses;
//! this module defines the SQL functions those triggers call (who, when, and the SHA-256 chain),
//! verifies the chain and exports the log for auditors.
//!
//! Each record's hash covers the previous record's hash and all its own fields, so an edited
//! record breaks its own hash, and a deleted or reordered one breaks the link of the next.
//! Records deleted from the end break no link: the log's head (record count and last hash) is
//! kept in `audit_anchor` with an HMAC under the library's `audit_key` (migration 008), updated
//! by a trigger with every record, so a truncated log no longer matches its anchor. Every
//! entry, evidence document, review, vendor and assessment must also have the record of its
//! creation. A rewrite of the whole chain *and* its anchor by someone who has the library's key
//! (anyone who can open a plain library file) is only caught against a head recorded elsewhere:
//! `audit verify` prints it, and `verify_audit_against` checks a head an auditor wrote down.
//! docs/robustness.md says exactly what is and is not detectable.

use super::{lib_err, Library};
use crate::dates::now_text;
use crate::error::{Error, Result};
use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::{Arc, RwLock};

/// One audit record.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AuditRecord {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// What `verify` found.
#[derive(Debug, Clone, Serialize)]
pub struct AuditVerification {
    pub records: usize,
    /// The last record's hash: keep it outside the library to detect a rewritten tail later.
    pub head: String,
    /// `records:head`, the form `verify_audit_against` takes.
    pub head_mark: String,
    pub problems: Vec<String>,
}

/// The tables whose rows must each have the audit record of their creation: (table, entity
/// name in the log). Rows that existed before the log got an 'existing' record (migration 008).
const CREATED: &[(&str, &str)] = &[("entries", "entry"), ("evidence", "evidence"), ("reviews", "review"), ("vendors", "vendor"), ("assessments", "assessment")];

/// HMAC-SHA256 of the log's head under the library's audit key, as lowercase hex.
pub fn anchor_mac(key: &str, records: i64, head: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(key.as_bytes()) {
        Ok(m) => m,
        Err(_) => return String::new(), // HMAC takes keys of any length; unreachable in practice
    };
    mac.update(&records.to_le_bytes());
    mac.update(head.as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// Migration 008's second half: an 'existing' record for every row that was there before the
/// log began, then the anchor of the head (the trigger sets it with each new record; a log that
/// got none here gets it set directly).
pub(crate) fn record_existing_rows(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    let mut recorded: std::collections::HashSet<(String, String)> = std::collections::HashSet::new();
    {
        let mut st = tx.prepare("SELECT entity, entity_id FROM audit_log WHERE action = 'insert'")?;
        for row in st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            recorded.insert(row?);
        }
    }
    let mut insert = tx.prepare(
        "INSERT INTO audit_log(at, actor, action, entity, entity_id, before, after, prev_hash, hash)
         SELECT c.at, c.actor, 'existing', ?1, ?2, NULL, NULL, c.prev, quire_chain(c.prev, c.at, c.actor, 'existing', ?1, ?2, NULL, NULL)
         FROM (SELECT quire_now() AS at, quire_actor() AS actor, COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '') AS prev) c",
    )?;
    for (table, entity) in CREATED {
        let ids: Vec<i64> = {
            let mut st = tx.prepare(&format!("SELECT id FROM {table} ORDER BY id"))?;
            let rows = st.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for id in ids {
            if !recorded.contains(&(entity.to_string(), id.to_string())) {
                insert.execute(rusqlite::params![entity, id.to_string()])?;
            }
        }
    }
    tx.execute(
        "INSERT OR IGNORE INTO audit_anchor(id, records, head, mac)
         SELECT 1, id, hash, quire_anchor(id, hash, (SELECT value FROM settings WHERE key = 'audit_key')) FROM audit_log ORDER BY id DESC LIMIT 1",
        [],
    )?;
    Ok(())
}

impl AuditVerification {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// SHA-256 over the previous hash and a record's fields, each length-prefixed so that no two
/// different records can produce the same input.
pub fn chain_hash(fields: &[Option<&str>]) -> String {
    let mut h = Sha256::new();
    for f in fields {
        match f {
            Some(s) => {
                h.update((s.len() as u64).to_le_bytes());
                h.update(s.as_bytes());
            }
            None => h.update(u64::MAX.to_le_bytes()),
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn text(v: ValueRef<'_>) -> Option<String> {
    match v {
        ValueRef::Null => None,
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(r) => Some(r.to_string()),
        ValueRef::Text(t) | ValueRef::Blob(t) => Some(String::from_utf8_lossy(t).into_owned()),
    }
}

/// Defines quire_now(), quire_actor() and quire_chain(...) on a connection.
pub(crate) fn register(conn: &Connection, actor: Arc<RwLock<String>>) -> rusqlite::Result<()> {
    conn.create_scalar_function("quire_now", 0, FunctionFlags::SQLITE_UTF8, |_| Ok(now_text()))?;
    conn.create_scalar_function("quire_actor", 0, FunctionFlags::SQLITE_UTF8, move |_| Ok(actor.read().map(|a| a.clone()).unwrap_or_else(|_| "unknown user".into())))?;
    conn.create_scalar_function("quire_chain", 8, FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC, |ctx| {
        let fields: Vec<Option<String>> = (0..ctx.len()).map(|i| text(ctx.get_raw(i))).collect();
        let refs: Vec<Option<&str>> = fields.iter().map(|f| f.as_deref()).collect();
        Ok(chain_hash(&refs))
    })?;
    conn.create_scalar_function("quire_anchor", 3, FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC, |ctx| {
        let records: i64 = ctx.get(0)?;
        let head = text(ctx.get_raw(1)).unwrap_or_default();
        // Without a key the trigger fails: no record is written that the anchor does not cover.
        let key = text(ctx.get_raw(2)).filter(|k| !k.is_empty()).ok_or_else(|| rusqlite::Error::UserFunctionError("the library has no audit key".into()))?;
        Ok(anchor_mac(&key, records, &head))
    })?;
    Ok(())
}

impl Library {
    /// Who the audit log names for this connection's changes (the OS user by default; the
    /// desktop app sets the same).
    pub fn set_actor(&self, actor: &str) {
        if let Ok(mut a) = self.actor.write() {
            *a = actor.to_string();
        }
    }

    /// The audit log, oldest first.
    pub fn audit_records(&self) -> Result<Vec<AuditRecord>> {
        let mut st = self
            .conn
            .prepare("SELECT id, at, actor, action, entity, entity_id, before, after, prev_hash, hash FROM audit_log ORDER BY id")
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| {
                Ok(AuditRecord {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    action: r.get(3)?,
                    entity: r.get(4)?,
                    entity_id: r.get(5)?,
                    before: r.get(6)?,
                    after: r.get(7)?,
                    prev_hash: r.get(8)?,
                    hash: r.get(9)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))
    }

    /// Recomputes the chain and names every record that was edited, deleted or moved, checks
    /// the anchored head (records deleted from the end) and that every row has the record of
    /// its creation.
    pub fn verify_audit(&self) -> Result<AuditVerification> {
        let records = self.audit_records()?;
        let mut problems = Vec::new();
        let mut prev = String::new();
        let mut prev_id = 0;
        for r in &records {
            if r.id != prev_id + 1 {
                problems.push(format!("records {}–{} are missing (deleted) before record {}", prev_id + 1, r.id - 1, r.id));
            }
            if r.prev_hash != prev {
                problems.push(format!("record {} does not follow record {prev_id}: a record before it was deleted, inserted or moved", r.id));
            }
            let expected = chain_hash(&[Some(&r.prev_hash), Some(&r.at), Some(&r.actor), Some(&r.action), Some(&r.entity), Some(&r.entity_id), r.before.as_deref(), r.after.as_deref()]);
            if expected != r.hash {
                problems.push(format!("record {} ({} {} {} at {}) was edited after it was written", r.id, r.action, r.entity, r.entity_id, r.at));
            }
            prev = r.hash.clone();
            prev_id = r.id;
        }
        problems.extend(self.anchor_problems(prev_id, &prev)?);
        problems.extend(self.creation_problems(&records)?);
        Ok(AuditVerification { records: records.len(), head_mark: format!("{prev_id}:{prev}"), head: prev, problems })
    }

    /// Like `verify_audit`, and the log must still hold the head an auditor wrote down earlier
    /// (`records:hash` as `head_mark` prints it, or just the hash): the record with that number
    /// must have that hash. The log may have grown since.
    pub fn verify_audit_against(&self, expected: &str) -> Result<AuditVerification> {
        let mut v = self.verify_audit()?;
        let expected = expected.trim();
        let (number, hash) = match expected.split_once(':') {
            Some((n, h)) => (Some(n.trim().parse::<i64>().map_err(|_| Error::invalid("library.audit.head_write_records_hash", format!("{expected:?} is not a head: write it as RECORDS:HASH, as the audit check prints it")))?), h.trim()),
            None => (None, expected),
        };
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Error::invalid("library.audit.head_write_records_hash_2", format!("{expected:?} is not a head: write it as RECORDS:HASH, as the audit check prints it (the hash has 64 hex digits)")));
        }
        let hash = hash.to_ascii_lowercase();
        let records = self.audit_records()?;
        let found = records.iter().find(|r| r.hash == hash);
        match (found, number) {
            (Some(r), Some(n)) if r.id != n => v.problems.push(format!("the expected head is record {n}, but that hash is record {} now: records before it were deleted or inserted", r.id)),
            (Some(_), _) => {}
            (None, Some(n)) if n > records.len() as i64 => v.problems.push(format!("the expected head is record {n}, but the log has only {} records: records were deleted from its end", records.len())),
            (None, Some(n)) => v.problems.push(format!("record {n} does not have the expected hash: the log was rewritten since that head was noted")),
            (None, None) => v.problems.push("the expected head is not in the log: it was rewritten or cut short since that head was noted".to_string()),
        }
        Ok(v)
    }

    /// The anchored head against the log's real end.
    fn anchor_problems(&self, last_id: i64, last_hash: &str) -> Result<Vec<String>> {
        let anchor: Option<(i64, String, String)> =
            self.conn.query_row("SELECT records, head, mac FROM audit_anchor WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional().map_err(|e| self.err(e))?;
        let key: Option<String> = self.setting("audit_key")?;
        let mut out = Vec::new();
        match (anchor, key) {
            (None, _) if last_id == 0 => {}
            (None, _) => out.push("the log's anchor (its record count and last hash) was deleted: records at its end may have been deleted too".to_string()),
            (Some(_), None) => out.push("the library's audit key was deleted: the log's anchor cannot be checked".to_string()),
            (Some((n, head, mac)), Some(key)) => {
                if anchor_mac(&key, n, &head) != mac {
                    out.push("the log's anchor was edited by something other than Quire: records at its end may have been deleted".to_string());
                } else if n > last_id {
                    out.push(format!("records {}–{n} were deleted from the end of the log (it ends at record {last_id}, its anchor says {n})", last_id + 1));
                } else if n < last_id {
                    out.push(format!("records {}–{last_id} were added to the log by something other than Quire (its anchor ends at record {n})", n + 1));
                } else if head != last_hash {
                    out.push(format!("record {n} is not the record the anchor names: the end of the log was replaced"));
                }
            }
        }
        Ok(out)
    }

    /// Rows without the record of their creation: added bypassing Quire (with its triggers
    /// removed), or their records were deleted.
    fn creation_problems(&self, records: &[AuditRecord]) -> Result<Vec<String>> {
        if self.setting("audit_key")?.is_none() {
            return Ok(Vec::new()); // a library from before migration 008 had no such rule
        }
        let created: std::collections::HashSet<(&str, &str)> =
            records.iter().filter(|r| r.action == "insert" || r.action == "existing").map(|r| (r.entity.as_str(), r.entity_id.as_str())).collect();
        let mut out = Vec::new();
        for (table, entity) in CREATED {
            let mut st = self.conn.prepare(&format!("SELECT id FROM {table} ORDER BY id")).map_err(|e| self.err(e))?;
            let ids = st.query_map([], |r| r.get::<_, i64>(0)).map_err(|e| self.err(e))?.collect::<rusqlite::Result<Vec<i64>>>().map_err(|e| self.err(e))?;
            let missing: Vec<String> = ids.iter().map(|i| i.to_string()).filter(|i| !created.contains(&(*entity, i.as_str()))).collect();
            if !missing.is_empty() {
                let shown = missing.iter().take(10).cloned().collect::<Vec<_>>().join(", ");
                out.push(format!(
                    "{} {entity} row(s) have no record of their creation in the log ({shown}{}): added bypassing Quire, or their records were deleted",
                    missing.len(),
                    if missing.len() > 10 { ", …" } else { "" }
                ));
            }
        }
        Ok(out)
    }

    /// Writes the audit log to CSV or (by the extension) an xlsx workbook, for auditors.
    pub fn export_audit(&self, target: &Path) -> Result<usize> {
        let records = self.audit_records()?;
        let header = ["id", "at", "actor", "action", "entity", "entity_id", "before", "after", "prev_hash", "hash"];
        let row = |r: &AuditRecord| -> [String; 10] {
            [r.id.to_string(), r.at.clone(), r.actor.clone(), r.action.clone(), r.entity.clone(), r.entity_id.clone(), r.before.clone().unwrap_or_default(), r.after.clone().unwrap_or_default(), r.prev_hash.clone(), r.hash.clone()]
        };
        let ext = target.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
        match ext.as_str() {
            "csv" => crate::atomic::write_atomically(target, |tmp| {
                let mut w = csv::Writer::from_path(tmp).map_err(|e| Error::invalid("library.audit.cannot_write", format!("cannot write {}: {e}", target.display())))?;
                let werr = |e: csv::Error| Error::invalid("library.audit.cannot_write", format!("cannot write {}: {e}", target.display()));
                w.write_record(header).map_err(werr)?;
                for r in &records {
                    w.write_record(row(r)).map_err(werr)?;
                }
                w.flush().map_err(|e| Error::write(target, e))
            })?,
            "xlsx" => crate::atomic::write_atomically(target, |tmp| {
                let mut wb = rust_xlsxwriter::Workbook::new();
                let xerr = |e: rust_xlsxwriter::XlsxError| Error::invalid("library.audit.cannot_write", format!("cannot write {}: {e}", target.display()));
                let sheet = wb.add_worksheet().set_name("Audit log").map_err(xerr)?;
                let bold = rust_xlsxwriter::Format::new().set_bold();
                for (c, h) in header.iter().enumerate() {
                    sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(xerr)?;
                }
                for (i, r) in records.iter().enumerate() {
                    for (c, v) in row(r).iter().enumerate() {
                        // Text cells only: a value that looks like a formula stays text.
                        let v: String = v.chars().take(32_767).collect();
                        sheet.write_string((i + 1) as u32, c as u16, v).map_err(xerr)?;
                    }
                }
                sheet.set_freeze_panes(1, 0).map_err(xerr)?;
                wb.save(tmp).map_err(xerr)
            })?,
            _ => return Err(Error::invalid("library.audit.write_audit_log_csv", format!("write the audit log to a .csv or .xlsx file, not {}", target.display()))),
        }
        Ok(records.len())
    }
}

/// Opens a library file without Quire's functions, as another tool would (tests).
pub fn open_plain(path: &Path) -> Result<Connection> {
    Connection::open(path).map_err(|e| lib_err(Some(path), e))
}
