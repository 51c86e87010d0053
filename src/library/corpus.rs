//! The library as the suggestion engine reads it: every entry's question, answer and first
//! provenance in one pass (one query, no per-entry look-ups), so loading 50,000 entries stays
//! a fraction of a second.

use super::{today, Library};
use crate::error::Result;

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

impl Library {
    /// Every entry, with its first provenance, in id order.
    pub fn corpus(&self) -> Result<Vec<CorpusEntry>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT e.id, e.question, e.answer, e.answer_raw, e.comment, e.domain, e.review_by < ?1,
                        (SELECT COUNT(*) FROM entries o WHERE o.question_key = e.question_key) > 1,
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
