//! Reports on a questionnaire's review: the PDF summary (printpdf, with the DejaVu Sans font
//! embedded and subset) and the clean answers workbook (rust_xlsxwriter). Both read a
//! [`Review`](crate::review::Review) and compute their numbers in [`stats`], so they agree.
//!
//! - [`summary_pdf`]: counts overall and per section with a bar chart, low-confidence and
//!   unanswered questions, evidence cited, "Page N of M" footers.
//! - [`export_answers_xlsx`]: "Answers" and "Summary" sheets.
//! - [`export_entries`] (module `library_export`): the answer library's entries as a workbook
//!   or CSV (`quire library export`).
//! - [`risk_pdf`] and [`findings_xlsx`] (module [`risk`]): the outputs of a vendor assessment
//!   — the risk committee's PDF and the follow-up workbook.
//!
//! Layout pieces: [`font`] (embedded font, measuring, subsetting), [`wrap`] (line wrapping on
//! measured widths), `canvas` (pages and drawing), `table`, `chart`, `pdf` (the summary itself);
//! `sheet_style` is the one look of the workbooks Quire writes, shared by all of them.

mod canvas;
mod chart;
pub mod font;
mod library_export;
mod pdf;
pub mod risk;
pub(crate) mod sheet_style;
pub mod stats;
mod table;
pub mod wrap;
mod xlsx;

pub use canvas::PageSize;
pub use library_export::export_entries;
pub use pdf::{summary_pdf, summary_pdf_bytes, SummaryOptions};
pub use risk::{findings_xlsx, risk_pdf, risk_pdf_bytes, risk_pdf_bytes_sized, risk_pdf_sized};
pub use stats::{summarize, Counts, SectionCounts, Summary};
pub use xlsx::{export_answers_xlsx, status_label, ANSWER_CHOICES, ANSWER_COLUMNS};
