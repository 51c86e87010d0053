//! A questionnaire's first review state from the library's suggestions: what `quire fill` works
//! from and what the app saves when a review starts. It lives beside the suggester (not in
//! `review`, which only holds the state) so that `review` depends on nothing above `sheet`.

use super::{Suggester, Suggestion};
use crate::review::{Alternative, Review, ReviewStatus, ReviewedQuestion};
use crate::sheet::Questionnaire;

impl Suggester {
    /// The review state the CLI works from: a question the workbook already answers keeps its
    /// answer; any other gets the best suggestion at or above `min_confidence` (as `Suggested`);
    /// the rest stay blank, with the best confidence seen so the summary can list them. Each
    /// unanswered question also keeps the top three library answers as alternatives.
    pub fn review(&self, q: &Questionnaire, min_confidence: f32) -> Review {
        // Only unanswered questions are asked, all at once (on every core).
        let open: Vec<(&str, &str)> = q
            .questions()
            .filter(|x| !x.is_answered())
            .map(|x| (x.text.as_str(), x.reference.as_str()))
            .collect();
        let mut found = self.suggest_batch(&open, 3).into_iter();
        let questions = q
            .questions()
            .map(|x| {
                let mut r = ReviewedQuestion {
                    question: x.clone(),
                    answer: None,
                    comment: None,
                    status: ReviewStatus::Blank,
                    confidence: None,
                    source: None,
                    evidence: Vec::new(),
                    alternatives: Vec::new(),
                    changed_by: None,
                    changed_at: None,
                };
                if x.is_answered() {
                    r.status = ReviewStatus::Reviewed;
                    r.source = Some("already answered in the workbook".into());
                    return r;
                }
                let all = found.next().unwrap_or_default();
                r.alternatives = all.iter().map(alternative).collect();
                let Some(s) = all.into_iter().next() else {
                    return r;
                };
                r.confidence = Some(s.confidence);
                if s.confidence >= min_confidence {
                    r.status = ReviewStatus::Suggested;
                    r.source = Some(describe_source(&s));
                    r.evidence = evidence_titles(&s);
                    r.comment = Some(s.comment).filter(|c| !c.trim().is_empty());
                    r.answer = Some(s.answer);
                }
                r
            })
            .collect();
        Review {
            questionnaire: q.file.clone(),
            questions,
        }
    }
}

/// One library answer offered for a question, as the review keeps it.
fn alternative(s: &Suggestion) -> Alternative {
    Alternative {
        entry_id: s.entry_id,
        question: s.question.clone(),
        answer: s.answer.clone(),
        comment: s.comment.clone(),
        confidence: s.confidence,
        source: describe_source(s),
        evidence: evidence_titles(s),
        why: s.why.summary(),
    }
}

/// The titles of the documents that back a suggestion, the expired ones marked.
fn evidence_titles(s: &Suggestion) -> Vec<String> {
    s.evidence
        .iter()
        .map(|e| {
            if e.expired {
                format!("{} (expired)", e.title)
            } else {
                e.title.clone()
            }
        })
        .collect()
}

/// "library entry 12: vendor-2025.xlsx, sheet \"Security\" row 40 (stale)" ("table 2 row 5" or
/// "paragraph 14" for a Word document).
pub fn describe_source(s: &Suggestion) -> String {
    let mut out = format!("library entry {}", s.entry_id);
    if let Some(src) = &s.source {
        out.push_str(&format!(
            ": {}, {}",
            src.file,
            crate::sheet::docx::describe_place(&src.file, &src.sheet, src.row)
        ));
    }
    if s.stale {
        out.push_str(" (stale: past its review date)");
    }
    if s.conflict {
        out.push_str(" (conflicting answers in the library)");
    }
    out
}
