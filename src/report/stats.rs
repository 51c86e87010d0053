//! The numbers a summary shows, computed once from a [`Review`] so that the PDF and the clean
//! workbook agree: counts by status overall and per section, the questions that need a look
//! (low confidence, unanswered) and how often each evidence document is cited.

use crate::review::{Review, ReviewStatus, ReviewedQuestion};
use std::collections::HashMap;

/// How many questions stand where.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// A person put the answer in: status Draft, Reviewed or Approved.
    pub answered: usize,
    /// Proposed by Quire, nobody has looked at it yet (status Suggested).
    pub suggested: usize,
    /// No answer at all (status Blank).
    pub blank: usize,
}

impl Counts {
    pub fn total(&self) -> usize {
        self.answered + self.suggested + self.blank
    }

    fn add(&mut self, status: ReviewStatus) {
        match status {
            ReviewStatus::Blank => self.blank += 1,
            ReviewStatus::Suggested => self.suggested += 1,
            ReviewStatus::Draft | ReviewStatus::Reviewed | ReviewStatus::Approved => self.answered += 1,
        }
    }
}

/// One section of the questionnaire and its counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionCounts {
    pub name: String,
    pub counts: Counts,
}

/// Everything a summary reports, in the order it is shown.
#[derive(Debug, Clone)]
pub struct Summary<'a> {
    pub overall: Counts,
    /// Sections in the order they first appear in the questionnaire.
    pub sections: Vec<SectionCounts>,
    /// Answers not reviewed yet (Suggested or Draft) whose confidence is below the threshold, in
    /// questionnaire order. A Reviewed or Approved answer has been checked by a person already.
    pub low_confidence: Vec<&'a ReviewedQuestion>,
    /// Questions with no answer, in questionnaire order.
    pub unanswered: Vec<&'a ReviewedQuestion>,
    /// Evidence titles and how many answers cite each, most cited first.
    pub evidence: Vec<(String, usize)>,
}

/// The section a question belongs to: its domain, or its sheet's name when it has none.
pub fn section_of(q: &ReviewedQuestion) -> String {
    let domain = q.question.domain.trim();
    if domain.is_empty() {
        q.question.sheet.trim().to_string()
    } else {
        domain.to_string()
    }
}

/// Computes the summary; `low_confidence` is the threshold below which an answer is listed.
pub fn summarize(review: &Review, low_confidence: f32) -> Summary<'_> {
    let mut overall = Counts::default();
    let mut sections: Vec<SectionCounts> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut low = Vec::new();
    let mut unanswered = Vec::new();
    let mut cited: HashMap<&str, usize> = HashMap::new();

    for q in &review.questions {
        overall.add(q.status);
        let name = section_of(q);
        let i = *index.entry(name.clone()).or_insert_with(|| {
            sections.push(SectionCounts { name, counts: Counts::default() });
            sections.len() - 1
        });
        sections[i].counts.add(q.status);

        if q.status == ReviewStatus::Blank {
            unanswered.push(q);
            continue;
        }
        // NaN never compares below the threshold; a confidence that is not a number is
        // treated as unknown, like a typed answer.
        let unreviewed = matches!(q.status, ReviewStatus::Suggested | ReviewStatus::Draft);
        if unreviewed && q.confidence.is_some_and(|c| c < low_confidence) {
            low.push(q);
        }
        let mut seen: Vec<&str> = Vec::new();
        for title in &q.evidence {
            let t = title.trim();
            if !t.is_empty() && !seen.contains(&t) {
                seen.push(t);
                *cited.entry(t).or_insert(0) += 1;
            }
        }
    }

    let mut evidence: Vec<(String, usize)> = cited.into_iter().map(|(t, n)| (t.to_string(), n)).collect();
    evidence.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Summary { overall, sections, low_confidence: low, unanswered, evidence }
}

/// `part` of `whole` as a whole percentage, for labels ("40%"); 0 when `whole` is 0.
pub fn percent(part: usize, whole: usize) -> usize {
    if whole == 0 {
        0
    } else {
        ((part as f64 * 100.0 / whole as f64).round()) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::model::Question;

    fn rq(sheet: &str, domain: &str, status: ReviewStatus, confidence: Option<f32>, evidence: &[&str]) -> ReviewedQuestion {
        ReviewedQuestion {
            question: Question {
                sheet: sheet.into(),
                row: 2,
                reference: "A.1".into(),
                text: "Is it?".into(),
                domain: domain.into(),
                answer: String::new(),
                answer_kind: None,
                comment: String::new(),
                answer_cell: None,
                choice_cells: Vec::new(),
                comment_cell: None,
            },
            answer: (status != ReviewStatus::Blank).then(|| "Yes".to_string()),
            comment: None,
            status,
            confidence,
            source: None,
            evidence: evidence.iter().map(|s| s.to_string()).collect(),
            alternatives: Vec::new(),
            changed_by: None,
            changed_at: None,
        }
    }

    #[test]
    fn counts_sections_low_confidence_and_evidence() {
        let review = Review {
            questionnaire: "q.xlsx".into(),
            questions: vec![
                rq("S1", "Access", ReviewStatus::Approved, Some(0.5), &["SOC 2", "SOC 2"]),
                rq("S1", "Access", ReviewStatus::Suggested, Some(0.5), &["SOC 2", "Policy"]),
                rq("S1", " ", ReviewStatus::Blank, None, &["ignored"]),
                rq("S2", "", ReviewStatus::Draft, Some(f32::NAN), &[]),
                rq("S2", "", ReviewStatus::Reviewed, None, &["Policy"]),
            ],
        };
        let s = summarize(&review, 0.8);
        assert_eq!(s.overall, Counts { answered: 3, suggested: 1, blank: 1 });
        let names: Vec<&str> = s.sections.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Access", "S1", "S2"]);
        assert_eq!(s.sections[0].counts, Counts { answered: 1, suggested: 1, blank: 0 });
        assert_eq!(s.low_confidence.len(), 1);
        assert_eq!(s.unanswered.len(), 1);
        assert_eq!(s.evidence, vec![("Policy".to_string(), 2), ("SOC 2".to_string(), 2)]);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(0, 0), 0);
    }
}
