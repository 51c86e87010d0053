//! The review state of one questionnaire: for each question, the answer chosen for it (or
//! suggested), how sure Quire was, where the answer came from and which evidence backs it.
//! Filling a workbook, the clean export and the PDF summary all read this one shape, so the CLI
//! (answers from suggestions) and the desktop app (answers a person reviewed) produce the same
//! files.

use crate::sheet::model::Question;
use serde::{Deserialize, Serialize};

/// Where an answer stands. An answer moves Suggested → Draft → Reviewed → Approved as people
/// work on it; `Blank` has no answer at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum ReviewStatus {
    Blank,
    /// Proposed by Quire from the library; nobody has looked at it yet.
    Suggested,
    Draft,
    Reviewed,
    Approved,
}

impl ReviewStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Blank => "blank",
            ReviewStatus::Suggested => "suggested",
            ReviewStatus::Draft => "draft",
            ReviewStatus::Reviewed => "reviewed",
            ReviewStatus::Approved => "approved",
        }
    }

    /// A person has put this answer in (as opposed to a suggestion or nothing).
    pub fn is_answered_by_person(self) -> bool {
        matches!(self, ReviewStatus::Draft | ReviewStatus::Reviewed | ReviewStatus::Approved)
    }
}

/// One question and the answer chosen for it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewedQuestion {
    /// The question as read from the questionnaire (sheet, row, ref, text, section, cells).
    pub question: Question,
    /// The answer to write, as the respondent would write it ("Yes", "No", "N/A", "Partial" or
    /// free text). `None` leaves the answer cell as it is.
    pub answer: Option<String>,
    /// The comment / explanation to write. `None` leaves the comment cell as it is.
    pub comment: Option<String>,
    pub status: ReviewStatus,
    /// Confidence of the suggestion the answer came from, in [0, 1]; `None` when a person typed it.
    pub confidence: Option<f32>,
    /// Where the answer came from, for people ("library entry 12: vendor-2025.xlsx, Sheet1 row 40").
    pub source: Option<String>,
    /// Titles of the evidence documents that support the answer.
    pub evidence: Vec<String>,
    /// The best library answers for the question, best first (up to three), so a person can
    /// pick another one.
    #[serde(default)]
    pub alternatives: Vec<Alternative>,
    /// Who last changed the answer or its status, and when (RFC 3339); `None` until a person does.
    #[serde(default)]
    pub changed_by: Option<String>,
    #[serde(default)]
    pub changed_at: Option<String>,
}

/// One library answer offered for a question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Alternative {
    pub entry_id: i64,
    /// The library's question, to compare with the one asked.
    pub question: String,
    pub answer: String,
    pub comment: String,
    pub confidence: f32,
    pub source: String,
    pub evidence: Vec<String>,
    /// Why it was offered, in a few words ("similar meaning: 0.81; shared words: …; but asks
    /// about another data state: at rest vs in transit"). Empty in reviews saved before.
    #[serde(default)]
    pub why: String,
}

/// A person's change to one question's answer. Absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewChange {
    /// A typed answer ("" clears it). The answer becomes a draft.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub answer: Option<String>,
    /// A typed comment ("" clears it).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub comment: Option<String>,
    /// A new status: draft, reviewed or approved (blank and suggested are Quire's to set).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub status: Option<ReviewStatus>,
    /// Take alternative n (0-based) as the answer; it counts as reviewed.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub pick: Option<usize>,
}

/// One field a change touched, for the review's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    pub field: &'static str,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

impl ReviewedQuestion {
    /// Applies a person's change, recording who and when. Returns the fields that changed (none
    /// when the change changes nothing), or an error a person can act on.
    pub fn apply(&mut self, change: &ReviewChange, user: &str, now: &str) -> crate::Result<Vec<FieldChange>> {
        let before = (self.answer.clone(), self.comment.clone(), self.status);
        if let Some(n) = change.pick {
            let alt = self.alternatives.get(n).cloned().ok_or_else(|| {
                crate::Error::invalid("review.suggestion_question", format!("there is no suggestion {} for this question (it has {})", n + 1, self.alternatives.len()))
            })?;
            self.answer = Some(alt.answer.clone());
            self.comment = Some(alt.comment.clone()).filter(|c| !c.trim().is_empty());
            self.confidence = Some(alt.confidence);
            self.source = Some(alt.source.clone());
            self.evidence = alt.evidence.clone();
            self.status = ReviewStatus::Reviewed;
        }
        if let Some(a) = &change.answer {
            let a = a.trim();
            if a.is_empty() {
                self.answer = None;
                self.status = ReviewStatus::Blank;
                self.confidence = None;
                self.source = None;
                self.evidence.clear();
            } else if self.answer.as_deref() != Some(a) {
                self.answer = Some(a.to_string());
                self.status = ReviewStatus::Draft;
                self.confidence = None;
                self.source = Some(format!("typed by {user}"));
                self.evidence.clear();
            }
        }
        if let Some(c) = &change.comment {
            let c = c.trim();
            let new = Some(c.to_string()).filter(|c| !c.is_empty());
            if new != self.comment {
                self.comment = new;
                if self.status == ReviewStatus::Suggested {
                    self.status = ReviewStatus::Draft;
                }
            }
        }
        if let Some(status) = change.status {
            match status {
                ReviewStatus::Blank | ReviewStatus::Suggested => {
                    return Err(crate::Error::invalid("review.question_cannot_set_hand", format!("a question cannot be set to \"{}\" by hand; clear its answer instead", status.as_str())));
                }
                _ if self.answer.is_none() => {
                    return Err(crate::Error::invalid("review.question_answer_yet_type", format!("question {} has no answer yet: type or pick one before marking it {}", self.label(), status.as_str())));
                }
                _ => self.status = status,
            }
        }
        let mut changes = Vec::new();
        if before.0 != self.answer {
            changes.push(FieldChange { field: "answer", old_value: before.0, new_value: self.answer.clone() });
        }
        if before.1 != self.comment {
            changes.push(FieldChange { field: "comment", old_value: before.1, new_value: self.comment.clone() });
        }
        if before.2 != self.status {
            changes.push(FieldChange { field: "status", old_value: Some(before.2.as_str().into()), new_value: Some(self.status.as_str().into()) });
        }
        if !changes.is_empty() {
            self.changed_by = Some(user.to_string());
            self.changed_at = Some(now.to_string());
        }
        Ok(changes)
    }

    /// "A-12 (Security, row 14)" — how messages name the question.
    pub fn label(&self) -> String {
        let q = &self.question;
        if q.reference.is_empty() {
            format!("on sheet {} row {}", q.sheet, q.row)
        } else {
            format!("{} (sheet {} row {})", q.reference, q.sheet, q.row)
        }
    }
}

/// The review state of a whole questionnaire.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Review {
    /// The questionnaire's file name, as shown to people.
    pub questionnaire: String,
    pub questions: Vec<ReviewedQuestion>,
}

impl Review {
    /// How many questions are in each status.
    pub fn count(&self, status: ReviewStatus) -> usize {
        self.questions.iter().filter(|q| q.status == status).count()
    }
}

