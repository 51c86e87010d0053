//! Evidence in the library: documents copied into the library's own `evidence/` folder (so the
//! library stays self-contained when the originals move), their extracted text, expiry dates and
//! owners, and the links people confirm between documents and entries.

use super::import::normalise_tags;
use super::Library;
use crate::dates::{now_text, parse_date, today};
use crate::error::{Error, Result};
use crate::extract::extract_text;
use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Evidence {
    pub id: i64,
    pub title: String,
    pub file_name: String,
    /// The library's copy (absolute path).
    pub stored_path: String,
    pub sha256: String,
    pub kind: String,
    pub added_at: String,
    pub expires: Option<String>,
    /// Past its expiry date: a report or certificate that no longer proves anything.
    pub expired: bool,
    pub tags: Vec<String>,
    pub owner: String,
    /// Characters of text extracted (0 means Quire can only suggest it by its title).
    pub text_chars: usize,
    /// Library entries a person linked it to.
    pub linked_entries: Vec<i64>,
}

/// What `add_evidence` needs besides the file.
#[derive(Debug, Clone, Default)]
pub struct NewEvidence {
    pub title: Option<String>,
    /// YYYY-MM-DD
    pub expires: Option<String>,
    pub tags: Vec<String>,
    pub owner: Option<String>,
}

/// An evidence document's searchable text, for the suggestion engine.
#[derive(Debug, Clone)]
pub struct EvidenceText {
    pub id: i64,
    pub title: String,
    pub text: String,
    pub expired: bool,
}

const COLUMNS: &str = "v.id, v.title, v.file_name, v.stored_path, v.sha256, v.kind, v.added_at, v.expires, v.expires IS NOT NULL AND v.expires < ?1,
    v.tags, v.owner, length(v.text), (SELECT group_concat(entry_id) FROM entry_evidence WHERE evidence_id = v.id)";

impl Library {
    /// Adds an evidence document: reads its text, copies it into the library folder and records
    /// it. The same bytes added again return the existing record (`false` = not new).
    /// On any error nothing is recorded and no copy is left behind.
    pub fn add_evidence(&mut self, file: &Path, new: &NewEvidence) -> Result<(Evidence, bool)> {
        let expires = match new.expires.as_deref() {
            Some(d) => Some(parse_date(d)?.to_string()),
            None => None,
        };
        // Read and checked first (size cap, the content is what the name says), so that the
        // same bytes under another name are refused as that kind, not taken as a duplicate.
        let (kind, text) = extract_text(file)?;
        let bytes = std::fs::read(file).map_err(|e| Error::io(file, e))?;
        let sha = crate::sheet::read::sha256_hex(&bytes);
        if let Some(id) = self.conn.query_row("SELECT id FROM evidence WHERE sha256 = ?1", [&sha], |r| r.get::<_, i64>(0)).optional().map_err(|e| self.err(e))? {
            return Ok((self.evidence(id)?, false));
        }
        let file_name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "evidence".into());
        let title = new
            .title
            .clone()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| file.file_stem().map(|s| s.to_string_lossy().replace(['_', '-'], " ")).unwrap_or_else(|| file_name.clone()));
        let stored = self.store_copy("evidence", file, &sha, &bytes)?;
        let result = (|| {
            let tx = self.write_tx()?;
            tx.execute(
                "INSERT INTO evidence(title, file_name, stored_path, sha256, kind, added_at, expires, tags, owner, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![title.trim(), file_name, stored.display().to_string(), sha, kind.as_str(), now_text(), expires, normalise_tags(&new.tags), new.owner.clone().unwrap_or_default(), text],
            )
            .map_err(|e| self.err(e))?;
            let id = tx.last_insert_rowid();
            tx.commit().map_err(|e| self.err(e))?;
            Ok(id)
        })();
        match result {
            Ok(id) => Ok((self.evidence(id)?, true)),
            Err(e) => {
                if stored != file {
                    let _ = std::fs::remove_file(&stored);
                }
                Err(e)
            }
        }
    }


    /// Writes a copy of a kept document to `target` (decrypted, when the library is encrypted),
    /// never over an existing file.
    pub fn export_evidence(&self, id: i64, target: &Path) -> Result<Evidence> {
        let ev = self.evidence(id)?;
        if target.exists() {
            return Err(Error::invalid("library.evidence.already_exists_choose_new", format!("{} already exists; choose a new file name", target.display())));
        }
        let bytes = self.read_kept_file(Path::new(&ev.stored_path))?;
        crate::atomic::write_bytes(target, &bytes)?;
        Ok(ev)
    }

    pub fn evidence(&self, id: i64) -> Result<Evidence> {
        let sql = format!("SELECT {COLUMNS} FROM evidence v WHERE v.id = ?2");
        self.conn
            .query_row(&sql, params![today().to_string(), id], evidence_from_row)
            .optional()
            .map_err(|e| self.err(e))?
            .ok_or_else(|| Error::invalid("library.evidence.no_document", format!("no evidence document with id {id}")))
    }

    pub fn evidence_count(&self) -> Result<usize> {
        let n: i64 = self.conn.query_row("SELECT COUNT(*) FROM evidence", [], |r| r.get(0)).map_err(|e| self.err(e))?;
        Ok(n.max(0) as usize)
    }

    pub fn evidence_list(&self) -> Result<Vec<Evidence>> {
        let sql = format!("SELECT {COLUMNS} FROM evidence v ORDER BY v.title, v.id");
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let rows = stmt.query_map([today().to_string()], evidence_from_row).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))
    }

    /// Every document's title and text, for matching questions to evidence.
    pub fn evidence_texts(&self) -> Result<Vec<EvidenceText>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, title, text, expires IS NOT NULL AND expires < ?1 FROM evidence ORDER BY id")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([today().to_string()], |r| Ok(EvidenceText { id: r.get(0)?, title: r.get(1)?, text: r.get(2)?, expired: r.get(3)? }))
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))
    }

    /// (entry id, evidence id) for every confirmed link.
    pub fn evidence_links(&self) -> Result<Vec<(i64, i64)>> {
        let mut stmt = self.conn.prepare("SELECT entry_id, evidence_id FROM entry_evidence ORDER BY entry_id, evidence_id").map_err(|e| self.err(e))?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))
    }

    /// Confirms that a document supports an entry's answer (kept in the entry's history).
    pub fn link_evidence(&mut self, entry_id: i64, evidence_id: i64) -> Result<()> {
        self.get(entry_id)?;
        let ev = self.evidence(evidence_id)?;
        let now = now_text();
        let tx = self.write_tx()?;
        let n = tx
            .execute("INSERT OR IGNORE INTO entry_evidence(entry_id, evidence_id, linked_at) VALUES (?1, ?2, ?3)", params![entry_id, evidence_id, now])
            .map_err(|e| self.err(e))?;
        if n > 0 {
            tx.execute(
                "INSERT INTO entry_history(entry_id, changed_at, field, old_value, new_value) VALUES (?1, ?2, 'evidence', NULL, ?3)",
                params![entry_id, now, format!("#{} {}", ev.id, ev.title)],
            )
            .map_err(|e| self.err(e))?;
        }
        tx.commit().map_err(|e| self.err(e))
    }

    pub fn unlink_evidence(&mut self, entry_id: i64, evidence_id: i64) -> Result<()> {
        let ev = self.evidence(evidence_id)?;
        let now = now_text();
        let tx = self.write_tx()?;
        let n = tx.execute("DELETE FROM entry_evidence WHERE entry_id = ?1 AND evidence_id = ?2", params![entry_id, evidence_id]).map_err(|e| self.err(e))?;
        if n == 0 {
            return Err(Error::invalid("library.evidence.entry_linked_evidence", format!("entry {entry_id} is not linked to evidence {evidence_id}")));
        }
        tx.execute(
            "INSERT INTO entry_history(entry_id, changed_at, field, old_value, new_value) VALUES (?1, ?2, 'evidence', ?3, NULL)",
            params![entry_id, now, format!("#{} {}", ev.id, ev.title)],
        )
        .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))
    }

    /// Removes a document and its links; the library's copy of the file is deleted after the
    /// record is gone.
    pub fn remove_evidence(&mut self, id: i64) -> Result<Evidence> {
        let ev = self.evidence(id)?;
        self.write_one("DELETE FROM evidence WHERE id = ?1", [id])?;
        let stored = Path::new(&ev.stored_path);
        // Only the library's own copy is deleted, never a user's original (in-memory libraries).
        self.remove_copy("evidence", stored);
        Ok(ev)
    }
}

fn evidence_from_row(r: &Row<'_>) -> rusqlite::Result<Evidence> {
    let tags: String = r.get(9)?;
    let links: Option<String> = r.get(12)?;
    let len: Option<i64> = r.get(11)?;
    Ok(Evidence {
        id: r.get(0)?,
        title: r.get(1)?,
        file_name: r.get(2)?,
        stored_path: r.get(3)?,
        sha256: r.get(4)?,
        kind: r.get(5)?,
        added_at: r.get(6)?,
        expires: r.get(7)?,
        expired: r.get(8)?,
        tags: tags.split(',').filter(|t| !t.is_empty()).map(String::from).collect(),
        owner: r.get(10)?,
        text_chars: len.unwrap_or(0).max(0) as usize,
        linked_entries: links.map(|l| l.split(',').filter_map(|x| x.parse().ok()).collect()).unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_copy_link_expire_remove() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open(&dir.path().join("lib.sqlite")).unwrap();
        let doc = dir.path().join("encryption-policy.md");
        std::fs::write(&doc, "Encryption policy\nCustomer data is encrypted at rest with AES-256.\n").unwrap();
        let (ev, new) = lib.add_evidence(&doc, &NewEvidence { expires: Some("2020-01-31".into()), ..Default::default() }).unwrap();
        assert!(new);
        assert_eq!(ev.title, "encryption policy");
        assert!(ev.expired, "a 2020 expiry is past");
        assert!(Path::new(&ev.stored_path).starts_with(std::fs::canonicalize(dir.path()).unwrap().join("evidence")));
        assert!(Path::new(&ev.stored_path).is_file());
        // The same bytes again: no second record.
        let (again, new) = lib.add_evidence(&doc, &NewEvidence::default()).unwrap();
        assert!(!new);
        assert_eq!(again.id, ev.id);
        assert_eq!(lib.evidence_texts().unwrap()[0].text, "Encryption policy\nCustomer data is encrypted at rest with AES-256.\n");
        let removed = lib.remove_evidence(ev.id).unwrap();
        assert!(!Path::new(&removed.stored_path).exists());
        assert!(lib.evidence_list().unwrap().is_empty());
    }

    #[test]
    fn a_moved_library_folder_still_finds_its_documents() {
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join("first");
        let mut lib = Library::open(&first.join("lib.sqlite")).unwrap();
        let doc = dir.path().join("bcp.txt");
        std::fs::write(&doc, "Business continuity plan").unwrap();
        let (ev, _) = lib.add_evidence(&doc, &NewEvidence::default()).unwrap();
        drop(lib);
        let moved = dir.path().join("moved");
        std::fs::rename(&first, &moved).unwrap();
        let mut lib = Library::open(&moved.join("lib.sqlite")).unwrap();
        assert!(!Path::new(&ev.stored_path).exists(), "the recorded path is gone");
        let out = dir.path().join("copy.txt");
        lib.export_evidence(ev.id, &out).unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "Business continuity plan");
        lib.remove_evidence(ev.id).unwrap();
        let left = std::fs::read_dir(moved.join("evidence")).map(|d| d.count()).unwrap_or(0);
        assert_eq!(left, 0, "the moved copy is removed with its record");
    }

    #[test]
    fn a_bad_date_or_unreadable_file_records_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open(&dir.path().join("lib.sqlite")).unwrap();
        let doc = dir.path().join("soc2.pdf");
        std::fs::write(&doc, "not a pdf").unwrap();
        assert!(lib.add_evidence(&doc, &NewEvidence::default()).is_err());
        let txt = dir.path().join("soc2.txt");
        std::fs::write(&txt, "SOC 2").unwrap();
        assert!(lib.add_evidence(&txt, &NewEvidence { expires: Some("next year".into()), ..Default::default() }).unwrap_err().to_string().contains("YYYY-MM-DD"));
        assert!(lib.evidence_list().unwrap().is_empty());
        assert!(!dir.path().join("evidence").exists() || std::fs::read_dir(dir.path().join("evidence")).unwrap().next().is_none());
    }
}
