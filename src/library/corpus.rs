//! The library as the suggestion engine reads it: every entry's question, answer and first
//! provenance in one pass (one query, no per-entry look-ups), so loading 50,000 entries stays
//! a fraction of a second; and the storage of the suggester's cache (table `suggest_cache`,
//! migration 005), read in the same snapshot as the entries and valid only for the generation
//! of the corpus it was built from. What the blob holds is `suggest::cache`'s business.

use super::Library;
use crate::dates::{now_text, today};
use crate::error::Result;
use rusqlite::{params, OptionalExtension};
use std::time::Duration;

/// One entry, as much of it as a suggestion shows.
#[derive(Debug, Clone, PartialEq)]
pub struct CorpusEntry {
    pub id: i64,
    pub question: String,
    /// Normalised answer: Yes, No, N/A, Partial or Text.
    pub answer: String,
    pub answer_raw: String,
    pub comment: String,
    pub domain: String,
    pub stale: bool,
    pub conflict: bool,
    /// Where it was first seen: file, sheet, row, question ref, import time.
    pub source: Option<CorpusSource>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CorpusSource {
    pub file: String,
    pub sheet: String,
    pub row: i64,
    #[serde(rename = "ref")]
    pub reference: String,
    pub imported_at: String,
}

/// The corpus's generation, as one text that any change to entries or provenance changes: the
/// counter that triggers bump on updates and deletes (migration 005), then the row count and
/// highest id of both tables, which every insert changes (inserts have no trigger: see 005).
/// NULL when the counter's row is missing, and then no cache is read or written.
const GENERATION: &str = "SELECT (SELECT value FROM corpus_generation WHERE id = 1)
    || '/' || (SELECT COUNT(*) FROM entries) || '/' || IFNULL((SELECT MAX(id) FROM entries), 0)
    || '/' || (SELECT COUNT(*) FROM provenance) || '/' || IFNULL((SELECT MAX(id) FROM provenance), 0)";

/// The corpus as of one moment: its entries, its generation, and the suggestion cache stored
/// for that generation under the key asked for (if any).
pub(crate) struct CorpusSnapshot {
    pub entries: Vec<CorpusEntry>,
    /// `None` if the library has no generation counter (then no cache is read or written).
    pub generation: Option<String>,
    pub cached: Option<Vec<u8>>,
}

impl Library {
    /// The entries, the generation and the cache blob written for that generation under
    /// `cache_key`, all read in one transaction (so a concurrent import cannot slip in between).
    pub(crate) fn corpus_snapshot(&self, cache_key: &str) -> Result<CorpusSnapshot> {
        let tx = self.conn.unchecked_transaction().map_err(|e| self.err(e))?;
        let generation = self.corpus_generation()?;
        let entries = self.corpus()?;
        let cached = match &generation {
            Some(g) => self
                .conn
                .query_row("SELECT data FROM suggest_cache WHERE id = 1 AND generation = ?1 AND key = ?2", params![g, cache_key], |r| r.get(0))
                .optional()
                .map_err(|e| self.err(e))?,
            None => None,
        };
        tx.commit().map_err(|e| self.err(e))?;
        Ok(CorpusSnapshot { entries, generation, cached })
    }

    /// The corpus's generation (see `GENERATION`).
    pub(crate) fn corpus_generation(&self) -> Result<Option<String>> {
        self.conn.query_row(GENERATION, [], |r| r.get(0)).map_err(|e| self.err(e))
    }

    /// Stores the suggestion cache built at `generation`, replacing the previous one; does
    /// nothing (false) if the corpus has changed since. Never waits for a lock another process
    /// holds (a busy library is an error here, which the suggester ignores).
    pub(crate) fn store_suggest_cache(&self, generation: &str, key: &str, data: &[u8]) -> Result<bool> {
        let previous: i64 = self.conn.query_row("PRAGMA busy_timeout", [], |r| r.get(0)).map_err(|e| self.err(e))?;
        self.conn.busy_timeout(Duration::ZERO).map_err(|e| self.err(e))?;
        let sql = format!(
            "INSERT INTO suggest_cache(id, generation, key, data, written_at)
             SELECT 1, ?1, ?2, ?3, ?4 WHERE ?1 = ({GENERATION})
             ON CONFLICT(id) DO UPDATE SET generation = excluded.generation, key = excluded.key, data = excluded.data, written_at = excluded.written_at"
        );
        let written = self.conn.execute(&sql, params![generation, key, data, now_text()]);
        let restored = self.conn.busy_timeout(Duration::from_millis(previous.max(0) as u64));
        let written = written.map_err(|e| self.err(e))?;
        restored.map_err(|e| self.err(e))?;
        Ok(written > 0)
    }

    /// Every entry, with its first provenance, in id order. Conflicts come from one pass over
    /// the question-key index (the keys used more than once), not a count per entry: at 50,000
    /// entries that halves the query.
    pub fn corpus(&self) -> Result<Vec<CorpusEntry>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT e.id, e.question, e.answer, e.answer_raw, e.comment, e.domain, e.review_by < ?1,
                        e.question_key IN (SELECT question_key FROM entries GROUP BY question_key HAVING COUNT(*) > 1),
                        s.file_name, p.sheet, p.row, p.ref, p.imported_at
                 FROM entries e
                 LEFT JOIN provenance p ON p.id = (SELECT MIN(id) FROM provenance WHERE entry_id = e.id)
                 LEFT JOIN sources s ON s.id = p.source_id
                 ORDER BY e.id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([today().to_string()], |r| {
                let file: Option<String> = r.get(8)?;
                Ok(CorpusEntry {
                    id: r.get(0)?,
                    question: r.get(1)?,
                    answer: r.get(2)?,
                    answer_raw: r.get(3)?,
                    comment: r.get(4)?,
                    domain: r.get(5)?,
                    stale: r.get(6)?,
                    conflict: r.get(7)?,
                    source: match file {
                        Some(file) => Some(CorpusSource { file, sheet: r.get(9)?, row: r.get(10)?, reference: r.get(11)?, imported_at: r.get(12)? }),
                        None => None,
                    },
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn insert_entry(lib: &Library, question: &str) -> i64 {
        lib.conn
            .execute(
                "INSERT INTO entries(question, question_key, answer, answer_raw, answer_key, review_by, created_at, updated_at)
                 VALUES (?1, lower(?1), 'Yes', 'Yes', 'Yes', '2099-01-01', 'now', 'now')",
                [question],
            )
            .unwrap();
        lib.conn.last_insert_rowid()
    }

    fn generation(lib: &Library) -> String {
        lib.corpus_generation().unwrap().unwrap()
    }

    /// Asserts that the generation is one not seen before, and remembers it.
    fn changed(lib: &Library, seen: &mut Vec<String>, what: &str) {
        let g = generation(lib);
        assert!(!seen.contains(&g), "{what} left the generation at {g} (seen: {seen:?})");
        seen.push(g);
    }

    #[test]
    fn every_change_to_entries_and_provenance_moves_the_generation() {
        let lib = Library::in_memory().unwrap();
        let seen = &mut vec![generation(&lib)];
        let id = insert_entry(&lib, "Is data encrypted at rest?");
        changed(&lib, seen, "insert entry");
        lib.conn.execute("INSERT INTO sources(file_name, sha256, format, imported_at, questions, answered) VALUES ('a.csv', 'x', 'csv', 'now', 1, 1)", []).unwrap();
        assert_eq!(Some(generation(&lib)), seen.last().cloned(), "a source alone changes no entry");
        let prov = "INSERT INTO provenance(id, entry_id, source_id, sheet, row, ref, answer_raw, imported_at) VALUES (?1, ?2, 1, 'S', ?1, 'A.1', 'Yes', 'now')";
        lib.conn.execute(prov, [10, id]).unwrap();
        changed(&lib, seen, "insert provenance");
        lib.conn.execute(prov, [5, id]).unwrap();
        changed(&lib, seen, "insert provenance below the highest id");
        lib.conn.execute("UPDATE provenance SET ref = 'A.2' WHERE id = 5", []).unwrap();
        changed(&lib, seen, "update provenance");
        lib.conn.execute("DELETE FROM provenance WHERE id = 10", []).unwrap();
        changed(&lib, seen, "delete provenance");
        lib.conn.execute("UPDATE entries SET comment = 'c' WHERE id = ?1", [id]).unwrap();
        changed(&lib, seen, "update entry");
        let other = insert_entry(&lib, "Is data encrypted in transit?");
        changed(&lib, seen, "second entry");
        lib.conn.execute("DELETE FROM entries WHERE id = ?1", [other]).unwrap();
        changed(&lib, seen, "delete the newest entry");
        insert_entry(&lib, "Is data encrypted in transit?");
        changed(&lib, seen, "insert again (same count and highest id as before the delete)");
        lib.conn.execute("DELETE FROM entries WHERE id = ?1", [id]).unwrap();
        changed(&lib, seen, "delete (and its cascade to provenance)");
    }

    #[test]
    fn a_cache_is_returned_only_for_its_generation_and_key() {
        let lib = Library::in_memory().unwrap();
        insert_entry(&lib, "Is data encrypted at rest?");
        let g = generation(&lib);
        assert!(lib.store_suggest_cache(&g, "k1", b"blob").unwrap());
        let snap = lib.corpus_snapshot("k1").unwrap();
        assert_eq!((snap.entries.len(), snap.generation.as_deref(), snap.cached.as_deref()), (1, Some(g.as_str()), Some(&b"blob"[..])));
        assert!(lib.corpus_snapshot("k2").unwrap().cached.is_none(), "another analyser's cache");
        insert_entry(&lib, "Is data encrypted in transit?");
        assert!(lib.corpus_snapshot("k1").unwrap().cached.is_none(), "a cache of an older generation");
        // A cache built before a change that raced it is not stored.
        assert!(!lib.store_suggest_cache(&g, "k1", b"old").unwrap());
        let g2 = generation(&lib);
        assert!(lib.store_suggest_cache(&g2, "k1", b"new").unwrap());
        assert_eq!(lib.corpus_snapshot("k1").unwrap().cached.as_deref(), Some(&b"new"[..]));
        let rows: i64 = lib.conn.query_row("SELECT COUNT(*) FROM suggest_cache", [], |r| r.get(0)).unwrap();
        assert_eq!(rows, 1);
    }

    #[test]
    fn conflicts_are_entries_sharing_a_question_key() {
        let lib = Library::in_memory().unwrap();
        insert_entry(&lib, "Is MFA on?");
        lib.conn
            .execute(
                "INSERT INTO entries(question, question_key, answer, answer_raw, answer_key, review_by, created_at, updated_at)
                 VALUES ('Is MFA on?', 'is mfa on?', 'No', 'No', 'No', '2000-01-01', 'now', 'now')",
                [],
            )
            .unwrap();
        insert_entry(&lib, "Is SSO on?");
        let c: Vec<(bool, bool)> = lib.corpus().unwrap().iter().map(|e| (e.conflict, e.stale)).collect();
        assert_eq!(c, vec![(true, false), (true, true), (false, false)]);
    }
}
