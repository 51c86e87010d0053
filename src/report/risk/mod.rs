//! The two outputs of a vendor assessment ([`Assessment`]):
//!
//! - [`risk_pdf`]: the risk report for the hospital's risk committee — the vendor and its
//!   paperwork (BAA, certifications, warnings), the overall score and the inherent → residual
//!   tier, a bar chart of the domain scores, the most severe findings, what changed since the
//!   previous assessment, HIPAA Security Rule and ISO/IEC 27017 coverage, and an appendix with
//!   every answer. Drawn on the same canvas, font and tables as the questionnaire summary.
//! - [`findings_xlsx`]: the follow-up workbook — "Findings" (with a status drop-down, owner and
//!   notes for tracking remediation), "Domains", "All answers" and "Coverage".
//!
//! Both are dated by the assessment, not the clock: the same assessment gives the same report.

mod labels;
mod pdf;
mod xlsx;

pub use labels::{coverage_label, findings_by_severity, outcome_label};
pub use pdf::{risk_pdf, risk_pdf_bytes, risk_pdf_bytes_sized, risk_pdf_sized};
pub use xlsx::{findings_xlsx, FINDING_COLUMNS};

/// Findings listed in the PDF (most severe first); all of them are in the workbook.
pub const TOP_FINDINGS: usize = 25;

/// The statuses offered in the workbook's Status column.
pub const FINDING_STATUSES: [&str; 3] = ["Open", "Accepted", "Remediated"];

/// Sheets of the follow-up workbook, in order.
pub const FINDINGS_SHEETS: [&str; 4] = ["Findings", "Domains", "All answers", "Coverage"];

