//! A person's corrections of the detected layout: include or skip a sheet, pin its column roles
//! (and header row). The desktop app's import screen builds these; a review keeps them so the
//! questionnaire is read the same way again when it is exported.

use super::detect::{detect_sheet, Plan};
use super::model::SheetLayout;
use super::grid::Grid;
use super::profile::{Profiles, SheetPin};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The column roles a person pinned, as column letters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ColumnLetters {
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub question: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
}

/// One sheet's correction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SheetOverride {
    pub sheet: String,
    /// `false` skips the sheet; `true` reads it even if detection skipped it.
    pub include: bool,
    /// 1-based header row; by default the one detection found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_row: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub columns: Option<ColumnLetters>,
}

/// Fails when a correction names a sheet the file does not have.
pub(crate) fn check_names(overrides: &[SheetOverride], sheets: &[Grid]) -> Result<()> {
    for o in overrides {
        if !sheets.iter().any(|g| g.name == o.sheet) {
            let names: Vec<&str> = sheets.iter().map(|g| g.name.as_str()).collect();
            return Err(Error::invalid("sheet.overrides.workbook_sheet_named_sheets", format!("the workbook has no sheet named \"{}\" (its sheets: {}); inspect it again", o.sheet, names.join(", "))));
        }
    }
    Ok(())
}

impl SheetOverride {
    /// The sheet's layout with this correction applied. `detected` gives detection's own view,
    /// whose header row is kept when the person pinned columns but no header row.
    pub(crate) fn apply(&self, grid: &Grid, profiles: &Profiles, detected: impl FnOnce() -> SheetLayout) -> Result<SheetLayout> {
        if !self.include {
            return Ok(detect_sheet(grid, profiles, Plan::Skip("skipped by you".into())));
        }
        let Some(cols) = &self.columns else {
            return Ok(detected());
        };
        let header_row = match self.header_row {
            Some(r) => Some(r),
            None => detected().header_row,
        };
        if let Some(r) = header_row {
            if r == 0 || r > grid.rows.len() {
                return Err(Error::invalid("sheet.overrides.sheet_header_row_outside", format!("sheet \"{}\": header row {r} is outside the sheet (it has {} rows)", self.sheet, grid.rows.len())));
            }
        }
        let pin = SheetPin {
            name: self.sheet.clone(),
            header_row,
            data_row: None,
            reference: cols.reference.clone().filter(|s| !s.trim().is_empty()),
            question: cols.question.clone(),
            answer: cols.answer.clone().filter(|s| !s.trim().is_empty()),
            comment: cols.comment.clone().filter(|s| !s.trim().is_empty()),
            domain: cols.domain.clone().filter(|s| !s.trim().is_empty()),
            choices: BTreeMap::new(),
        };
        let pins = pin.resolve().map_err(|detail| Error::invalid("sheet.overrides.use_letters_such_aa", format!("{detail}; use letters such as A, B or AA")))?;
        let mut layout = detect_sheet(grid, profiles, Plan::Pinned { profile: "your correction", pins });
        layout.notes.insert(0, "columns set by you".into());
        Ok(layout)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::grid::Grid;

    fn grid() -> Grid {
        let mut g = Grid::new("Answers");
        let rows = [
            ["Ref", "Question", "Response", "Notes"],
            ["A-1", "Is data encrypted at rest?", "Yes", "AES-256"],
            ["A-2", "Do you require MFA for administrators?", "", ""],
        ];
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                g.set(r, c, v.to_string());
            }
        }
        g
    }

    #[test]
    fn skipping_a_sheet_says_who_skipped_it() {
        let profiles = Profiles::generic_only().expect("profiles");
        let o = SheetOverride { sheet: "Answers".into(), include: false, header_row: None, columns: None };
        let layout = o.apply(&grid(), &profiles, || unreachable!()).expect("apply");
        assert!(!layout.used);
        assert_eq!(layout.reason.as_deref(), Some("skipped by you"));
    }

    #[test]
    fn pinned_columns_swap_answer_and_comment() {
        let profiles = Profiles::generic_only().expect("profiles");
        let g = grid();
        let cols = ColumnLetters { reference: Some("A".into()), question: "B".into(), answer: Some("D".into()), comment: Some("C".into()), domain: None };
        let o = SheetOverride { sheet: "Answers".into(), include: true, header_row: Some(1), columns: Some(cols) };
        let layout = o.apply(&g, &profiles, || detect_sheet(&g, &profiles, Plan::Detect)).expect("apply");
        assert!(layout.used);
        assert_eq!(layout.questions.len(), 2);
        assert_eq!(layout.questions[0].answer, "AES-256");
        assert_eq!(layout.questions[0].comment, "Yes");
        assert_eq!(layout.questions[0].answer_cell.as_deref(), Some("D2"));
    }

    #[test]
    fn bad_letters_and_rows_are_explained() {
        let profiles = Profiles::generic_only().expect("profiles");
        let g = grid();
        let cols = ColumnLetters { question: "B2".into(), ..Default::default() };
        let o = SheetOverride { sheet: "Answers".into(), include: true, header_row: Some(1), columns: Some(cols) };
        let e = o.apply(&g, &profiles, || unreachable!()).expect_err("bad letter");
        assert!(e.to_string().contains("not a column letter"), "{e}");
        let cols = ColumnLetters { question: "B".into(), ..Default::default() };
        let o = SheetOverride { sheet: "Answers".into(), include: true, header_row: Some(40), columns: Some(cols) };
        let e = o.apply(&g, &profiles, || unreachable!()).expect_err("bad row");
        assert!(e.to_string().contains("outside the sheet"), "{e}");
    }
}
