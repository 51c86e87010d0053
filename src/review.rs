//! The review state of one questionnaire: for each question, the answer chosen for it (or
//! suggested), how sure Quire was, where the answer came from and which evidence backs it.
//! Filling a workbook, the clean export and the PDF summary all read this one shape, so the CLI
//! (answers from suggestions) and the desktop app (answers a person reviewed) produce the same
//! files.

use crate::sheet::detect::Question;
use serde::{Deserialize, Serialize};

/// Where an answer stands. An answer moves Suggested → Draft → Reviewed → Approved as people
/// work on it; `Blank` has no answer at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
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
}

/// The review state of a whole questionnaire.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Review {
    /// The questionnaire's file name, as shown to people.
    pub questionnaire: String,
    pub questions: Vec<ReviewedQuestion>,
}

impl Review {
    /// The review state the CLI works from: a question the workbook already answers keeps its
    /// answer; any other gets the best suggestion at or above `min_confidence` (as `Suggested`);
    /// the rest stay blank, with the best confidence seen so the summary can list them.
    pub fn from_suggestions(q: &crate::sheet::Questionnaire, suggester: &crate::suggest::Suggester, min_confidence: f32) -> Review {
        // Only unanswered questions are asked, all at once (on every core).
        let open: Vec<(&str, &str)> = q.questions().filter(|x| !x.is_answered()).map(|x| (x.text.as_str(), x.reference.as_str())).collect();
        let mut best = suggester.suggest_batch(&open, 1).into_iter().map(|s| s.into_iter().next());
        let questions = q
            .questions()
            .map(|x| {
                let mut r = ReviewedQuestion { question: x.clone(), answer: None, comment: None, status: ReviewStatus::Blank, confidence: None, source: None, evidence: Vec::new() };
                if x.is_answered() {
                    r.status = ReviewStatus::Reviewed;
                    r.source = Some("already answered in the workbook".into());
                    return r;
                }
                let Some(s) = best.next().flatten() else { return r };
                r.confidence = Some(s.confidence);
                if s.confidence >= min_confidence {
                    r.status = ReviewStatus::Suggested;
                    r.source = Some(describe_source(&s));
                    r.evidence = s.evidence.iter().map(|e| if e.expired { format!("{} (expired)", e.title) } else { e.title.clone() }).collect();
                    r.comment = Some(s.comment).filter(|c| !c.trim().is_empty());
                    r.answer = Some(s.answer);
                }
                r
            })
            .collect();
        Review { questionnaire: q.file.clone(), questions }
    }

    /// How many questions are in each status.
    pub fn count(&self, status: ReviewStatus) -> usize {
        self.questions.iter().filter(|q| q.status == status).count()
    }
}

/// "library entry 12: vendor-2025.xlsx, sheet Security row 40 (stale)".
pub fn describe_source(s: &crate::suggest::Suggestion) -> String {
    let mut out = format!("library entry {}", s.entry_id);
    if let Some(src) = &s.source {
        out.push_str(&format!(": {}, sheet {} row {}", src.file, src.sheet, src.row));
    }
    if s.stale {
        out.push_str(" (stale: past its review date)");
    }
    if s.conflict {
        out.push_str(" (conflicting answers in the library)");
    }
    out
}
