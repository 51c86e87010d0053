//! Reviews kept in the library: a questionnaire being answered in the desktop app, with every
//! question's chosen answer, status, alternatives and who changed what when. Each change is its
//! own transaction, so closing the app or a crash loses nothing. The questionnaire file is copied
//! into the library folder, so export works even when the original has moved.

use super::{ImportReport, Library};
use crate::dates::now_text;
use crate::answer::classify;
use crate::error::{Error, Result};
use crate::review::{Review, ReviewChange, ReviewStatus, ReviewedQuestion};
use crate::sheet::overrides::SheetOverride;
use crate::sheet::{read_questionnaire_with, Questionnaire, ReadOptions};
use rusqlite::{params, OptionalExtension, Row, Transaction};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// A review at a glance.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewSummary {
    pub id: i64,
    pub questionnaire: String,
    /// Where the person picked the file.
    pub path: String,
    pub created_at: String,
    pub updated_at: String,
    pub questions: usize,
    /// Questions per status ("blank", "suggested", "draft", "reviewed", "approved"), all present.
    pub counts: BTreeMap<String, usize>,
}

/// One question of a review with its position.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewItem {
    pub index: usize,
    #[serde(flatten)]
    pub item: ReviewedQuestion,
}

/// A whole review, for the review screen.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewSession {
    pub summary: ReviewSummary,
    pub items: Vec<ReviewItem>,
}

/// What saving a review's answers to the library did.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SaveReport {
    /// Reviewed and approved answers offered to the library.
    pub saved: usize,
    pub report: ImportReport,
}

const ITEM_COLUMNS: &str = "idx, question, answer, comment, status, confidence, source, evidence, alternatives, changed_by, changed_at";

fn json_err(what: &str, e: serde_json::Error) -> Error {
    Error::invalid("library.reviews.saved_review_cannot_read", format!("the saved review's {what} cannot be read ({e}); the library may be damaged: restore a backup"))
}

/// An item row as stored; JSON columns are decoded by `decode`, outside rusqlite's closure, so a
/// damaged value gives a readable error.
struct RawItem {
    idx: i64,
    question: String,
    answer: Option<String>,
    comment: Option<String>,
    status: String,
    confidence: Option<f64>,
    source: Option<String>,
    evidence: String,
    alternatives: String,
    changed_by: Option<String>,
    changed_at: Option<String>,
}

fn item_from_row(r: &Row<'_>) -> rusqlite::Result<RawItem> {
    Ok(RawItem {
        idx: r.get(0)?,
        question: r.get(1)?,
        answer: r.get(2)?,
        comment: r.get(3)?,
        status: r.get(4)?,
        confidence: r.get(5)?,
        source: r.get(6)?,
        evidence: r.get(7)?,
        alternatives: r.get(8)?,
        changed_by: r.get(9)?,
        changed_at: r.get(10)?,
    })
}

impl RawItem {
    fn decode(self) -> Result<ReviewItem> {
        let status: ReviewStatus = serde_json::from_value(serde_json::Value::String(self.status)).map_err(|e| json_err("status", e))?;
        Ok(ReviewItem {
            index: self.idx.max(0) as usize,
            item: ReviewedQuestion {
                question: serde_json::from_str(&self.question).map_err(|e| json_err("question", e))?,
                answer: self.answer,
                comment: self.comment,
                status,
                confidence: self.confidence.map(|c| c as f32),
                source: self.source,
                evidence: serde_json::from_str(&self.evidence).map_err(|e| json_err("evidence", e))?,
                alternatives: serde_json::from_str(&self.alternatives).map_err(|e| json_err("alternatives", e))?,
                changed_by: self.changed_by,
                changed_at: self.changed_at,
            },
        })
    }
}

fn to_json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::invalid("library.reviews.cannot_save_review", format!("cannot save the review: {e}")))
}

fn write_item(lib: &Library, tx: &Transaction<'_>, review_id: i64, idx: usize, q: &ReviewedQuestion) -> Result<()> {
    tx.execute(
        "INSERT INTO review_items(review_id, idx, question, answer, comment, status, confidence, source, evidence, alternatives, changed_by, changed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT(review_id, idx) DO UPDATE SET answer = excluded.answer, comment = excluded.comment, status = excluded.status,
           confidence = excluded.confidence, source = excluded.source, evidence = excluded.evidence,
           changed_by = excluded.changed_by, changed_at = excluded.changed_at",
        params![
            review_id,
            idx as i64,
            to_json(&q.question)?,
            q.answer,
            q.comment,
            q.status.as_str(),
            q.confidence.map(f64::from),
            q.source,
            to_json(&q.evidence)?,
            to_json(&q.alternatives)?,
            q.changed_by,
            q.changed_at
        ],
    )
    .map_err(|e| lib.err(e))?;
    Ok(())
}

impl Library {
    /// Saves a new review of `q` (whose answers and suggestions `review` holds) and keeps a copy
    /// of the questionnaire file in the library folder.
    pub fn create_review(&mut self, q: &Questionnaire, review: &Review, overrides: &[SheetOverride]) -> Result<ReviewSummary> {
        let bytes = std::fs::read(&q.path).map_err(|e| Error::io(&q.path, e))?;
        let stored = self.store_named_copy("questionnaires", &q.path, &q.sha256, &bytes)?;
        let now = now_text();
        let original = std::fs::canonicalize(&q.path).unwrap_or_else(|_| q.path.clone());
        let tx = self.write_tx()?;
        tx.execute(
            "INSERT INTO reviews(questionnaire, original_path, stored_path, sha256, overrides, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![q.file, original.display().to_string(), stored.display().to_string(), q.sha256, to_json(&overrides)?, now],
        )
        .map_err(|e| self.err(e))?;
        let id = tx.last_insert_rowid();
        for (i, item) in review.questions.iter().enumerate() {
            write_item(self, &tx, id, i, item)?;
        }
        tx.commit().map_err(|e| self.err(e))?;
        self.review_summary(id)
    }

    /// Every review, most recently changed first.
    pub fn review_summaries(&self) -> Result<Vec<ReviewSummary>> {
        let ids: Vec<i64> = {
            let mut st = self.conn.prepare("SELECT id FROM reviews ORDER BY updated_at DESC, id DESC").map_err(|e| self.err(e))?;
            let rows = st.query_map([], |r| r.get(0)).map_err(|e| self.err(e))?;
            rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))?
        };
        ids.into_iter().map(|id| self.review_summary(id)).collect()
    }

    pub fn review_summary(&self, id: i64) -> Result<ReviewSummary> {
        let row: Option<(String, String, String, String)> = self
            .conn
            .query_row("SELECT questionnaire, original_path, created_at, updated_at FROM reviews WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()
            .map_err(|e| self.err(e))?;
        let Some((questionnaire, path, created_at, updated_at)) = row else {
            return Err(Error::invalid("library.reviews.review_deleted", format!("there is no review {id}; it may have been deleted")));
        };
        let mut counts: BTreeMap<String, usize> =
            [ReviewStatus::Blank, ReviewStatus::Suggested, ReviewStatus::Draft, ReviewStatus::Reviewed, ReviewStatus::Approved].iter().map(|s| (s.as_str().to_string(), 0)).collect();
        let mut st = self.conn.prepare_cached("SELECT status, COUNT(*) FROM review_items WHERE review_id = ?1 GROUP BY status").map_err(|e| self.err(e))?;
        let rows = st.query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))).map_err(|e| self.err(e))?;
        for row in rows {
            let (s, n) = row.map_err(|e| self.err(e))?;
            counts.insert(s, n.max(0) as usize);
        }
        Ok(ReviewSummary { id, questionnaire, path, created_at, updated_at, questions: counts.values().sum(), counts })
    }

    /// A review with all its questions.
    pub fn review_session(&self, id: i64) -> Result<ReviewSession> {
        let summary = self.review_summary(id)?;
        let mut st = self.conn.prepare(&format!("SELECT {ITEM_COLUMNS} FROM review_items WHERE review_id = ?1 ORDER BY idx")).map_err(|e| self.err(e))?;
        let rows = st.query_map([id], item_from_row).map_err(|e| self.err(e))?;
        let mut items = Vec::with_capacity(summary.questions);
        for row in rows {
            items.push(row.map_err(|e| self.err(e))?.decode()?);
        }
        Ok(ReviewSession { summary, items })
    }

    /// Applies a person's change to one question, saving it and its history at once.
    pub fn update_review_item(&mut self, id: i64, index: usize, change: &ReviewChange, user: &str) -> Result<ReviewItem> {
        let tx = self.write_tx()?;
        let item = apply_in(self, &tx, id, index, change, user)?;
        tx.commit().map_err(|e| self.err(e))?;
        Ok(item)
    }

    /// Accepts (marks reviewed) every suggested answer at or above `min_confidence`, in one
    /// transaction. Returns how many were accepted.
    pub fn accept_suggestions(&mut self, id: i64, min_confidence: f32, user: &str) -> Result<usize> {
        if !(0.0..=1.0).contains(&min_confidence) {
            return Err(Error::invalid("library.reviews.confidence_between", format!("the confidence must be between 0 and 1 (e.g. 0.8), not {min_confidence}")));
        }
        self.review_summary(id)?;
        let tx = self.write_tx()?;
        let indexes: Vec<i64> = {
            let mut st = tx
                .prepare("SELECT idx FROM review_items WHERE review_id = ?1 AND status = 'suggested' AND confidence >= ?2 ORDER BY idx")
                .map_err(|e| self.err(e))?;
            let rows = st.query_map(params![id, f64::from(min_confidence) - 1e-6], |r| r.get(0)).map_err(|e| self.err(e))?;
            rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))?
        };
        let accept = ReviewChange { status: Some(ReviewStatus::Reviewed), ..Default::default() };
        for idx in &indexes {
            apply_in(self, &tx, id, *idx as usize, &accept, user)?;
        }
        tx.commit().map_err(|e| self.err(e))?;
        Ok(indexes.len())
    }

    /// The review as the fill and report code take it, plus the questionnaire read again from
    /// the library's copy with the person's layout corrections.
    pub fn review_for_export(&self, id: i64) -> Result<(Questionnaire, Review)> {
        let session = self.review_session(id)?;
        let (stored, overrides): (String, String) = self
            .conn
            .query_row("SELECT stored_path, overrides FROM reviews WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.err(e))?;
        let overrides: Vec<SheetOverride> = serde_json::from_str(&overrides).map_err(|e| json_err("layout corrections", e))?;
        let stored = self.kept_path(Path::new(&stored));
        if !stored.exists() {
            return Err(Error::invalid("library.reviews.library_copy_missing_start", format!(
                "the library's copy of {} is missing ({}); start a new review from the original file",
                session.summary.questionnaire,
                stored.display()
            )));
        }
        let bytes = self.read_kept_file(&stored)?;
        let mut q = read_questionnaire_with(&stored, ReadOptions { overrides: &overrides, bytes: Some(bytes), ..ReadOptions::default() })?;
        q.file = session.summary.questionnaire.clone();
        let same = q.question_count() == session.items.len() && q.questions().zip(&session.items).all(|(a, b)| a.row == b.item.question.row && a.sheet == b.item.question.sheet);
        if !same {
            return Err(Error::invalid("library.reviews.longer_reads_did_when", format!(
                "{} no longer reads as it did when the review started (Quire's layout rules changed); start a new review of it",
                session.summary.questionnaire
            )));
        }
        let questions = session.items.into_iter().map(|i| i.item).collect();
        Ok((q, Review { questionnaire: session.summary.questionnaire, questions }))
    }

    /// Saves the reviewed and approved answers of a review as library entries (a new source
    /// named after the questionnaire), so the next questionnaire can reuse them.
    pub fn save_review_answers(&mut self, id: i64) -> Result<SaveReport> {
        let (mut q, review) = self.review_for_export(id)?;
        let mut saved = 0;
        let mut fingerprint = q.sha256.clone();
        let mut answers = review.questions.iter();
        for sheet in &mut q.sheets {
            for question in &mut sheet.questions {
                let Some(r) = answers.next() else { break };
                let answer = r.answer.as_deref().filter(|_| matches!(r.status, ReviewStatus::Reviewed | ReviewStatus::Approved));
                match answer.and_then(|a| classify(a).map(|k| (a, k))) {
                    Some((a, kind)) => {
                        question.answer = a.to_string();
                        question.answer_kind = Some(kind);
                        question.comment = r.comment.clone().unwrap_or_default();
                        fingerprint.push_str(&format!("\u{1}{}\u{2}{}\u{2}{}", question.row, a, question.comment));
                        saved += 1;
                    }
                    None => {
                        question.answer.clear();
                        question.answer_kind = None;
                    }
                }
            }
        }
        if saved == 0 {
            return Err(Error::invalid("library.reviews.reviewed_approved_answers_save", "no reviewed or approved answers to save yet: accept or approve some answers first"));
        }
        // The same answers saved twice are one source; changed answers are a new one.
        q.sha256 = crate::sheet::read::sha256_hex(fingerprint.as_bytes());
        q.file = format!("{} (review {id})", q.file);
        let report = self.import(&q, &["review".to_string()])?;
        Ok(SaveReport { saved, report })
    }

    /// Deletes a review and the library's copy of its questionnaire (unless another review
    /// uses the same file).
    pub fn delete_review(&mut self, id: i64) -> Result<()> {
        let stored: Option<(String, String)> =
            self.conn.query_row("SELECT stored_path, sha256 FROM reviews WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?))).optional().map_err(|e| self.err(e))?;
        let Some((stored, sha)) = stored else {
            return Err(Error::invalid("library.reviews.review_deleted", format!("there is no review {id}; it may have been deleted")));
        };
        self.write_one("DELETE FROM reviews WHERE id = ?1", [id])?;
        let others: i64 = self.conn.query_row("SELECT COUNT(*) FROM reviews WHERE sha256 = ?1", [&sha], |r| r.get(0)).map_err(|e| self.err(e))?;
        if others == 0 {
            self.remove_copy("questionnaires", Path::new(&stored));
        }
        Ok(())
    }
}

/// Loads, changes and saves one item inside a transaction, with its history rows.
fn apply_in(lib: &Library, tx: &Transaction<'_>, id: i64, index: usize, change: &ReviewChange, user: &str) -> Result<ReviewItem> {
    let row = tx
        .query_row(&format!("SELECT {ITEM_COLUMNS} FROM review_items WHERE review_id = ?1 AND idx = ?2"), params![id, index as i64], item_from_row)
        .optional()
        .map_err(|e| lib.err(e))?;
    let Some(row) = row else {
        return Err(Error::invalid("library.reviews.review_question_number", format!("review {id} has no question number {}", index + 1)));
    };
    let mut item = row.decode()?;
    let now = now_text();
    let changes = item.item.apply(change, user, &now)?;
    if changes.is_empty() {
        return Ok(item);
    }
    write_item(lib, tx, id, index, &item.item)?;
    for c in &changes {
        tx.execute(
            "INSERT INTO review_history(review_id, idx, changed_at, changed_by, field, old_value, new_value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id, index as i64, now, user, c.field, c.old_value, c.new_value],
        )
        .map_err(|e| lib.err(e))?;
    }
    tx.execute("UPDATE reviews SET updated_at = ?2 WHERE id = ?1", params![id, now]).map_err(|e| lib.err(e))?;
    Ok(item)
}
