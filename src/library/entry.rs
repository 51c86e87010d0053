//! Library entries: reading them (list, search, conflicts, stale answers), their provenance and
//! history, and editing them with every previous value kept.

use super::import::normalise_tags;
use super::Library;
use crate::dates::{add_months, now_text, parse_date, today};
use crate::answer::{classify, AnswerKind};
use crate::error::{Error, Result};
use rusqlite::{params, Row};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Entry {
    pub id: i64,
    pub question: String,
    pub answer: String,
    pub answer_raw: String,
    pub comment: String,
    pub domain: String,
    pub tags: Vec<String>,
    pub owner: String,
    pub last_reviewed: Option<String>,
    pub review_by: String,
    /// draft, reviewed or approved (in a team library, only an approver approves).
    pub status: String,
    pub created_at: String,
    pub updated_at: String,
    /// Past its review-by date: the answer may no longer be true.
    pub stale: bool,
    /// Another entry answers the same question differently.
    pub conflict: bool,
    pub provenance: Vec<ProvenanceItem>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProvenanceItem {
    pub file: String,
    pub sha256: String,
    pub sheet: String,
    pub row: i64,
    #[serde(rename = "ref")]
    pub reference: String,
    pub answer_raw: String,
    pub comment: String,
    pub imported_at: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HistoryItem {
    pub changed_at: String,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

/// Which entries to list.
#[derive(Debug, Clone, Copy, Default)]
pub struct EntryFilter {
    pub conflicts_only: bool,
    pub stale_only: bool,
}

/// An edit of an entry; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct EntryEdit {
    pub answer: Option<String>,
    pub comment: Option<String>,
    pub domain: Option<String>,
    pub tags: Option<Vec<String>>,
    pub owner: Option<String>,
    pub review_by: Option<String>,
    pub last_reviewed: Option<String>,
}

/// An entry's statuses, in order.
pub const ENTRY_STATUSES: [&str; 3] = ["draft", "reviewed", "approved"];

const ENTRY_COLUMNS: &str = "e.id, e.question, e.answer, e.answer_raw, e.comment, e.domain, e.tags, e.owner, e.last_reviewed, e.review_by,
     e.created_at, e.updated_at, e.review_by < ?1 AS stale,
     EXISTS (SELECT 1 FROM entries o WHERE o.question_key = e.question_key AND o.id <> e.id) AS conflict, e.status";

fn entry_from_row(r: &Row<'_>) -> rusqlite::Result<Entry> {
    let tags: String = r.get(6)?;
    Ok(Entry {
        id: r.get(0)?,
        question: r.get(1)?,
        answer: r.get(2)?,
        answer_raw: r.get(3)?,
        comment: r.get(4)?,
        domain: r.get(5)?,
        tags: tags.split(',').filter(|t| !t.is_empty()).map(str::to_string).collect(),
        owner: r.get(7)?,
        last_reviewed: r.get(8)?,
        review_by: r.get(9)?,
        status: r.get(14)?,
        created_at: r.get(10)?,
        updated_at: r.get(11)?,
        stale: r.get(12)?,
        conflict: r.get(13)?,
        provenance: Vec::new(),
    })
}

impl Library {
    /// Entries in question order (conflicting answers side by side), with their provenance.
    pub fn list(&self, filter: EntryFilter) -> Result<Vec<Entry>> {
        let mut sql = format!("SELECT {ENTRY_COLUMNS} FROM entries e WHERE 1");
        if filter.conflicts_only {
            sql.push_str(" AND EXISTS (SELECT 1 FROM entries o WHERE o.question_key = e.question_key AND o.id <> e.id)");
        }
        if filter.stale_only {
            sql.push_str(" AND e.review_by < ?1");
        }
        sql.push_str(" ORDER BY e.question_key, e.id");
        self.query_entries(&sql, params![today().to_string()])
    }

    /// Full-text search over questions and comments, best match first (BM25).
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<Entry>> {
        let Some(query) = fts_query(text) else {
            return Ok(Vec::new());
        };
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM entries_fts f JOIN entries e ON e.id = f.rowid
             WHERE entries_fts MATCH ?2 ORDER BY bm25(entries_fts, 1.0, 0.3) LIMIT ?3"
        );
        self.query_entries(&sql, params![today().to_string(), query, limit as i64])
    }

    /// The most recently changed entries, for a search box that is still empty.
    pub fn recent(&self, limit: usize) -> Result<Vec<Entry>> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM entries e ORDER BY e.updated_at DESC, e.id DESC LIMIT ?2");
        self.query_entries(&sql, params![today().to_string(), limit as i64])
    }

    /// How many entries have a conflicting answer (another entry for the same question).
    pub fn conflict_count(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .query_row("SELECT COALESCE(SUM(n), 0) FROM (SELECT COUNT(*) AS n FROM entries GROUP BY question_key HAVING COUNT(*) > 1)", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        Ok(n.max(0) as usize)
    }

    /// How many entries carry `tag` (e.g. "demo").
    pub fn count_tagged(&self, tag: &str) -> Result<usize> {
        let n: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM entries WHERE ',' || tags || ',' LIKE '%,' || ?1 || ',%'", [tag], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        Ok(n.max(0) as usize)
    }

    /// Deletes every entry carrying `tag` (the demo library is tagged "demo"), and the imported
    /// files that no longer back any entry. Returns how many entries went.
    pub fn remove_tagged(&mut self, tag: &str) -> Result<usize> {
        let tx = self.write_tx()?;
        let n = tx
            .execute("DELETE FROM entries WHERE ',' || tags || ',' LIKE '%,' || ?1 || ',%'", [tag])
            .map_err(|e| self.err(e))?;
        tx.execute("DELETE FROM sources WHERE NOT EXISTS (SELECT 1 FROM provenance p WHERE p.source_id = sources.id)", [])
            .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))?;
        Ok(n)
    }

    /// Resolves a conflict by keeping one answer: the other entries for the same question are
    /// deleted, and the kept entry's history records which answers were dropped.
    pub fn resolve_conflict(&mut self, keep_id: i64) -> Result<usize> {
        let kept = self.get(keep_id)?;
        let tx = self.write_tx()?;
        let dropped: Vec<(i64, String)> = {
            let mut st = tx
                .prepare("SELECT o.id, o.answer_raw FROM entries o JOIN entries k ON k.id = ?1 WHERE o.question_key = k.question_key AND o.id <> k.id")
                .map_err(|e| self.err(e))?;
            let rows = st.query_map([keep_id], |r| Ok((r.get(0)?, r.get(1)?))).map_err(|e| self.err(e))?;
            rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))?
        };
        if dropped.is_empty() {
            return Err(Error::invalid("library.entry.entry_conflicting_answers_resolve", format!("entry {keep_id} has no conflicting answers to resolve")));
        }
        for (id, _) in &dropped {
            tx.execute("DELETE FROM entries WHERE id = ?1", [id]).map_err(|e| self.err(e))?;
        }
        let old: Vec<String> = dropped.iter().map(|(id, a)| format!("#{id}: {a}")).collect();
        tx.execute(
            "INSERT INTO entry_history(entry_id, changed_at, field, old_value, new_value) VALUES (?1, ?2, 'conflict resolved', ?3, ?4)",
            params![keep_id, now_text(), old.join(" | "), kept.answer_raw],
        )
        .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))?;
        Ok(dropped.len())
    }

    pub fn get(&self, id: i64) -> Result<Entry> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM entries e WHERE e.id = ?2");
        self.query_entries(&sql, params![today().to_string(), id])?
            .pop()
            .ok_or_else(|| Error::invalid("library.entry.no_entry", format!("no library entry with id {id}")))
    }

    fn query_entries(&self, sql: &str, args: impl rusqlite::Params) -> Result<Vec<Entry>> {
        let mut stmt = self.conn.prepare(sql).map_err(|e| self.err(e))?;
        let mut entries: Vec<Entry> = stmt.query_map(args, entry_from_row).map_err(|e| self.err(e))?.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))?;
        let mut prov = self
            .conn
            .prepare_cached(
                "SELECT s.file_name, s.sha256, p.sheet, p.row, p.ref, p.answer_raw, p.comment, p.imported_at
                 FROM provenance p JOIN sources s ON s.id = p.source_id WHERE p.entry_id = ?1 ORDER BY p.imported_at, p.id",
            )
            .map_err(|e| self.err(e))?;
        for e in &mut entries {
            e.provenance = prov
                .query_map([e.id], |r| {
                    Ok(ProvenanceItem {
                        file: r.get(0)?,
                        sha256: r.get(1)?,
                        sheet: r.get(2)?,
                        row: r.get(3)?,
                        reference: r.get(4)?,
                        answer_raw: r.get(5)?,
                        comment: r.get(6)?,
                        imported_at: r.get(7)?,
                    })
                })
                .map_err(|e| self.err(e))?
                .collect::<rusqlite::Result<_>>()
                .map_err(|e| self.err(e))?;
        }
        Ok(entries)
    }

    pub fn history(&self, id: i64) -> Result<Vec<HistoryItem>> {
        let mut stmt = self
            .conn
            .prepare("SELECT changed_at, field, old_value, new_value FROM entry_history WHERE entry_id = ?1 ORDER BY id")
            .map_err(|e| self.err(e))?;
        let items = stmt
            .query_map([id], |r| Ok(HistoryItem { changed_at: r.get(0)?, field: r.get(1)?, old_value: r.get(2)?, new_value: r.get(3)? }))
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))?;
        Ok(items)
    }

    /// Applies an edit; each changed field's previous value goes to the history. One transaction.
    pub fn edit(&mut self, id: i64, edit: &EntryEdit) -> Result<Entry> {
        let before = self.get(id)?;
        let mut changes: Vec<(&str, Option<String>, Option<String>)> = Vec::new();
        if let Some(raw) = &edit.answer {
            let kind = classify(raw).ok_or_else(|| Error::invalid("library.entry.answer_cannot_empty_delete", "the answer cannot be empty; delete the entry instead"))?;
            if *raw != before.answer_raw {
                changes.push(("answer_raw", Some(before.answer_raw.clone()), Some(raw.clone())));
                if kind.as_str() != before.answer {
                    changes.push(("answer", Some(before.answer.clone()), Some(kind.as_str().to_string())));
                }
            }
        }
        let mut text_field = |name: &'static str, new: &Option<String>, old: &str| {
            if let Some(v) = new {
                if v != old {
                    changes.push((name, Some(old.to_string()), Some(v.clone())));
                }
            }
        };
        text_field("comment", &edit.comment, &before.comment);
        text_field("domain", &edit.domain, &before.domain);
        text_field("owner", &edit.owner, &before.owner);
        if let Some(tags) = &edit.tags {
            let t = normalise_tags(tags);
            if t != before.tags.join(",") {
                changes.push(("tags", Some(before.tags.join(",")), Some(t)));
            }
        }
        if let Some(d) = &edit.review_by {
            let d = parse_date(d)?.to_string();
            if d != before.review_by {
                changes.push(("review_by", Some(before.review_by.clone()), Some(d)));
            }
        }
        if let Some(d) = &edit.last_reviewed {
            let d = parse_date(d)?.to_string();
            if Some(&d) != before.last_reviewed.as_ref() {
                changes.push(("last_reviewed", before.last_reviewed.clone(), Some(d)));
            }
        }
        self.apply_changes(id, &changes)?;
        self.get(id)
    }

    /// Marks an entry reviewed today: last-reviewed is today, review-by moves one cadence on.
    pub fn mark_reviewed(&mut self, id: i64, owner: Option<&str>) -> Result<Entry> {
        let today = today();
        let next = add_months(today, self.review_cadence_months()?);
        let edit = EntryEdit {
            last_reviewed: Some(today.to_string()),
            review_by: Some(next.to_string()),
            owner: owner.map(str::to_string),
            ..Default::default()
        };
        self.edit(id, &edit)
    }

    /// Sets an entry's status (draft, reviewed, approved); the previous one goes to the history.
    /// In a team library the server decides who may approve: a contributor's approval is
    /// refused at the next sync and waits, reported, until an approver makes it.
    pub fn set_status(&mut self, id: i64, status: &str) -> Result<Entry> {
        let status = status.trim().to_lowercase();
        if !ENTRY_STATUSES.contains(&status.as_str()) {
            return Err(Error::invalid("library.entry.entry_status_use", format!("{status:?} is not an entry status; use one of {}", ENTRY_STATUSES.join(", "))));
        }
        let before = self.get(id)?;
        if before.status != status {
            self.apply_changes(id, &[("status", Some(before.status.clone()), Some(status))])?;
        }
        self.get(id)
    }

    fn apply_changes(&mut self, id: i64, changes: &[(&str, Option<String>, Option<String>)]) -> Result<()> {
        if changes.is_empty() {
            return Ok(());
        }
        let now = now_text();
        let path = self.path();
        let err = |e: rusqlite::Error| Error::Library { path: path.clone(), detail: e.to_string() };
        let tx = self.write_tx()?;
        for (field, old, new) in changes {
            // Field names come from the fixed list above, never from input.
            let sql = format!("UPDATE entries SET {field} = ?1, updated_at = ?2 WHERE id = ?3");
            tx.execute(&sql, params![new, now, id]).map_err(err)?;
            tx.execute(
                "INSERT INTO entry_history(entry_id, changed_at, field, old_value, new_value) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, now, field, old, new],
            )
            .map_err(err)?;
            if *field == "answer_raw" {
                let kind = new.as_deref().and_then(classify).unwrap_or(AnswerKind::Text);
                let key = if kind == AnswerKind::Text {
                    format!("text:{}", new.as_deref().unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase())
                } else {
                    kind.as_str().to_string()
                };
                tx.execute("UPDATE entries SET answer_key = ?1 WHERE id = ?2", params![key, id]).map_err(|e| match e {
                    rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => Error::invalid("library.entry.entry_another_entry_already", format!(
                        "entry {id}: another entry already gives this answer to the same question; delete one of them instead"
                    )),
                    other => err(other),
                })?;
            }
        }
        tx.commit().map_err(err)?;
        Ok(())
    }

    /// Deletes an entry (and its provenance and history).
    pub fn delete(&mut self, id: i64) -> Result<()> {
        let n = self.write_one("DELETE FROM entries WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(Error::invalid("library.entry.no_entry", format!("no library entry with id {id}")));
        }
        Ok(())
    }
}

/// Turns user text into a safe FTS5 query: each word quoted (so `AND`, `"`, `*` or `-` in the
/// text cannot break the query syntax), any word may match, BM25 ranks by how many do.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"", w.to_lowercase()))
        .collect();
    if words.is_empty() {
        None
    } else {
        Some(words.join(" OR "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts_queries_are_quoted() {
        assert_eq!(fts_query("MFA AND \"x\"").as_deref(), Some("\"mfa\" OR \"and\" OR \"x\""));
        assert_eq!(fts_query("  --  "), None);
    }
}
