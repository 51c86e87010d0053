//! What a questionnaire is made of once read, whatever the format: the column roles of a sheet
//! (`Role`, `Columns`), one question with the places of its answer (`Question`), and what
//! detection concluded about a sheet (`SheetLayout`). `detect` produces them from grids; the
//! Word and PDF readers produce them too; `fill`, `library` and `review` consume them.

use crate::answer::AnswerKind;
use crate::sheet::grid::{col_letter, Grid};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Ref,
    Question,
    Answer,
    Comment,
    Domain,
}

/// Column roles of a sheet (0-based column indexes).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Columns {
    pub reference: Option<usize>,
    pub question: usize,
    pub answer: Option<usize>,
    pub comment: Option<usize>,
    pub domain: Option<usize>,
    /// Answers-by-columns: each choice column and the answer it stands for.
    pub choices: Vec<(usize, AnswerKind)>,
}

impl Columns {
    /// Role → column letter, for reports (`{"ref": "A", "question": "B", …}`).
    pub fn letters(&self) -> BTreeMap<String, String> {
        let mut m = BTreeMap::new();
        if let Some(c) = self.reference {
            m.insert("ref".into(), col_letter(c));
        }
        m.insert("question".into(), col_letter(self.question));
        if let Some(c) = self.answer {
            m.insert("answer".into(), col_letter(c));
        }
        if let Some(c) = self.comment {
            m.insert("comment".into(), col_letter(c));
        }
        if let Some(c) = self.domain {
            m.insert("domain".into(), col_letter(c));
        }
        for (c, k) in &self.choices {
            m.insert(format!("answer:{}", k.as_str()), col_letter(*c));
        }
        m
    }
}

/// One question as found in a sheet, with everything needed to fill its answer later.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Question {
    pub sheet: String,
    /// 1-based spreadsheet row.
    pub row: usize,
    #[serde(rename = "ref")]
    pub reference: String,
    pub text: String,
    pub domain: String,
    /// The answer as written ("" when unanswered).
    pub answer: String,
    pub answer_kind: Option<AnswerKind>,
    pub comment: String,
    /// Where the answer goes (e.g. "C12"); for answers-by-columns, the cells per choice.
    pub answer_cell: Option<String>,
    pub choice_cells: Vec<(AnswerKind, String)>,
    pub comment_cell: Option<String>,
}

impl Question {
    pub fn is_answered(&self) -> bool {
        self.answer_kind.is_some()
    }
}

/// What detection concluded about one sheet.
#[derive(Debug, Clone)]
pub struct SheetLayout {
    pub name: String,
    pub used: bool,
    pub reason: Option<String>,
    /// 1-based header row, when there is one.
    pub header_row: Option<usize>,
    pub columns: Option<Columns>,
    pub confidence: f32,
    pub questions: Vec<Question>,
    /// Things the user should know (rows not read, instruction rows skipped, …).
    pub notes: Vec<String>,
    /// The header candidates seen, for "no question column found" messages.
    pub header_candidates: Vec<String>,
}

impl SheetLayout {
    pub(crate) fn skipped(grid: &Grid, reason: impl Into<String>) -> Self {
        SheetLayout {
            name: grid.name.clone(),
            used: false,
            reason: Some(reason.into()),
            header_row: None,
            columns: None,
            confidence: 0.0,
            questions: Vec::new(),
            notes: grid.reader_notes(),
            header_candidates: Vec::new(),
        }
    }

    pub fn answered(&self) -> usize {
        self.questions.iter().filter(|q| q.is_answered()).count()
    }
}
