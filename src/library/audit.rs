//! The tamper-evident audit log (migration 007): SQLite triggers append a record for every
//! change to answers, evidence and links, reviews, vendors, assessments and finding statuses;
//! this module defines the SQL functions those triggers call (who, when, and the SHA-256 chain),
//! verifies the chain and exports the log for auditors.
//!
//! Each record's hash covers the previous record's hash and all its own fields, so an edited
//! record breaks its own hash, and a deleted or reordered one breaks the link of the next.
//! Deleting records from the end, or rewriting the whole chain, is only caught against a head
//! hash recorded elsewhere: `audit verify` prints it so it can be kept outside the library.

use super::{lib_err, now_text, Library};
use crate::error::{Error, Result};
use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;
use rusqlite::Connection;
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
    pub problems: Vec<String>,
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

    /// Recomputes the chain and names every record that was edited, deleted or moved.
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
        Ok(AuditVerification { records: records.len(), head: prev, problems })
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
                let mut w = csv::Writer::from_path(tmp).map_err(|e| Error::Invalid(format!("cannot write {}: {e}", target.display())))?;
                let werr = |e: csv::Error| Error::Invalid(format!("cannot write {}: {e}", target.display()));
                w.write_record(header).map_err(werr)?;
                for r in &records {
                    w.write_record(row(r)).map_err(werr)?;
                }
                w.flush().map_err(|e| Error::write(target, e))
            })?,
            "xlsx" => crate::atomic::write_atomically(target, |tmp| {
                let mut wb = rust_xlsxwriter::Workbook::new();
                let xerr = |e: rust_xlsxwriter::XlsxError| Error::Invalid(format!("cannot write {}: {e}", target.display()));
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
            _ => return Err(Error::Invalid(format!("write the audit log to a .csv or .xlsx file, not {}", target.display()))),
        }
        Ok(records.len())
    }
}

/// Opens a library file without Quire's functions, as another tool would (tests).
pub fn open_plain(path: &Path) -> Result<Connection> {
    Connection::open(path).map_err(|e| lib_err(Some(path), e))
}
