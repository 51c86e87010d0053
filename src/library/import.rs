//! Importing an answered questionnaire into the library, in one transaction: each answered
//! question becomes an entry (or a new provenance of an existing one), unanswered ones are
//! counted and left out.

use super::Library;
use crate::dates::{add_months, now_text, today};
use crate::answer::AnswerKind;
use crate::error::Result;
use crate::sheet::Questionnaire;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

/// What an import did, for the user.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportReport {
    pub file: String,
    pub sha256: String,
    /// The same bytes were imported before (on this date).
    pub already_imported: Option<String>,
    pub questions: usize,
    pub answered: usize,
    /// New entries.
    pub added: usize,
    /// Answers that matched an existing entry: a provenance was added to it.
    pub merged: usize,
    /// Provenances that were already there (re-import of the same file).
    pub unchanged: usize,
    /// New entries whose question already had a different answer in the library.
    pub conflicting: usize,
    pub unanswered: usize,
}

/// The key two questions share when they are the same question: case, spacing, quotes and
/// trailing punctuation or "*" (HECVAT marks critical questions with it) do not count.
pub fn question_key(text: &str) -> String {
    let t: String = text
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '`' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            '\u{2013}' | '\u{2014}' => '-',
            c => c,
        })
        .collect();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    t.trim_end_matches(|c: char| c == '*' || c == '?' || c == '.' || c == ':' || c.is_whitespace()).to_string()
}

/// Two answers are the same when their kind is the same, and for free text when the text is.
pub fn answer_key(kind: AnswerKind, raw: &str) -> String {
    match kind {
        AnswerKind::Text => format!("text:{}", raw.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()),
        k => k.as_str().to_string(),
    }
}

impl Library {
    /// Imports the answered questions of a questionnaire. Atomic: on any error nothing changes.
    pub fn import(&mut self, q: &Questionnaire, tags: &[String]) -> Result<ImportReport> {
        let mut report = ImportReport {
            file: q.file.clone(),
            sha256: q.sha256.clone(),
            questions: q.question_count(),
            answered: q.answered_count(),
            ..Default::default()
        };
        let now = now_text();
        let review_by = add_months(today(), self.review_cadence_months()?).to_string();
        let tags = normalise_tags(tags);
        let path = self.path();
        let tx = self.write_tx()?;
        let err = |e: rusqlite::Error| crate::Error::Library { path: path.clone(), detail: e.to_string() };

        let existing: Option<(i64, String)> = tx
            .query_row("SELECT id, imported_at FROM sources WHERE sha256 = ?1", [&q.sha256], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .map_err(err)?;
        let source_id = match existing {
            Some((id, at)) => {
                report.already_imported = Some(at);
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO sources(file_name, sha256, format, imported_at, questions, answered) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![q.file, q.sha256, q.format.as_str(), now, report.questions as i64, report.answered as i64],
                )
                .map_err(err)?;
                tx.last_insert_rowid()
            }
        };

        {
            let mut find = tx.prepare_cached("SELECT id FROM entries WHERE question_key = ?1 AND answer_key = ?2").map_err(err)?;
            let mut others = tx.prepare_cached("SELECT COUNT(*) FROM entries WHERE question_key = ?1").map_err(err)?;
            let mut insert_entry = tx
                .prepare_cached(
                    "INSERT INTO entries(question, question_key, answer, answer_raw, answer_key, comment, domain, tags, review_by, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
                )
                .map_err(err)?;
            let mut insert_prov = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO provenance(entry_id, source_id, sheet, row, ref, answer_raw, comment, imported_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(err)?;
            for question in q.questions() {
                let Some(kind) = question.answer_kind else {
                    report.unanswered += 1;
                    continue;
                };
                let qkey = question_key(&question.text);
                let akey = answer_key(kind, &question.answer);
                let found: Option<i64> = find.query_row(params![qkey, akey], |r| r.get(0)).optional().map_err(err)?;
                let (entry_id, is_new) = match found {
                    Some(id) => (id, false),
                    None => {
                        let n: i64 = others.query_row([&qkey], |r| r.get(0)).map_err(err)?;
                        insert_entry
                            .execute(params![
                                question.text,
                                qkey,
                                kind.as_str(),
                                question.answer,
                                akey,
                                question.comment,
                                question.domain,
                                tags,
                                review_by,
                                now
                            ])
                            .map_err(err)?;
                        if n > 0 {
                            report.conflicting += 1;
                        } else {
                            report.added += 1;
                        }
                        (tx.last_insert_rowid(), true)
                    }
                };
                let inserted = insert_prov
                    .execute(params![entry_id, source_id, question.sheet, question.row as i64, question.reference, question.answer, question.comment, now])
                    .map_err(err)?;
                if !is_new {
                    if inserted > 0 {
                        report.merged += 1;
                    } else {
                        report.unchanged += 1;
                    }
                }
            }
        }
        tx.commit().map_err(err)?;
        Ok(report)
    }
}

pub(crate) fn normalise_tags(tags: &[String]) -> String {
    let mut v: Vec<String> = tags
        .iter()
        .flat_map(|t| t.split(','))
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    v.sort();
    v.dedup();
    v.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_keys_ignore_noise() {
        assert_eq!(question_key("Do you   encrypt data at rest?*"), question_key("do you encrypt data at rest"));
        assert_eq!(question_key("Is the vendor’s SOC 2 current?"), question_key("Is the vendor's SOC 2 current?"));
        assert_ne!(question_key("Is data encrypted at rest?"), question_key("Is data encrypted in transit?"));
    }

    #[test]
    fn tags_are_normalised() {
        assert_eq!(normalise_tags(&["HIPAA, cloud".into(), "hipaa".into(), " ".into()]), "cloud,hipaa");
    }
}
