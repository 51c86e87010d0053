//! Sample questionnaires written by Quire itself (rust_xlsxwriter), so a new user has something to
//! try at once: a past questionnaire answered by a fictional SaaS vendor ("Northwind Health
//! Cloud"), to seed the library, and a new customer questionnaire in another layout and wording,
//! to inspect and (later) answer from the library. Everything here is the project's own text.

use crate::error::{Error, Result};
use rust_xlsxwriter::{DataValidation, DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet};
use std::path::{Path, PathBuf};

/// The answered sample's (domain, ref, question, answer, comment) rows.
pub fn answered_questions() -> &'static [(&'static str, &'static str, &'static str, &'static str, &'static str)] {
    ANSWERED
}

/// (domain, ref, question, answer, comment) of the answered sample.
const ANSWERED: &[(&str, &str, &str, &str, &str)] = &[
    ("Governance", "GOV-01", "Do you maintain a written information security policy approved by senior management?", "Yes", "Reviewed annually by the CISO and approved by the executive team."),
    ("Governance", "GOV-02", "Is there a named individual accountable for information security?", "Yes", "Our CISO reports to the CEO."),
    ("Governance", "GOV-03", "Do you perform a formal risk assessment at least annually?", "Yes", "Annual risk assessment following NIST SP 800-30."),
    ("Governance", "GOV-04", "Do you hold a current SOC 2 Type II report?", "Yes", "SOC 2 Type II covering Security, Availability and Confidentiality; available under NDA."),
    ("Governance", "GOV-05", "Are you certified to ISO/IEC 27001?", "No", "Certification planned for next year."),
    ("Access Control", "IAM-01", "Is multi-factor authentication required for all remote access to your environment?", "Yes", "Okta-enforced MFA with phishing-resistant factors for administrators."),
    ("Access Control", "IAM-02", "Is multi-factor authentication available to customer users of the application?", "Yes", "TOTP and WebAuthn; customers can require it for all users."),
    ("Access Control", "IAM-03", "Do you support single sign-on via SAML 2.0 or OpenID Connect?", "Yes", "SAML 2.0 and OIDC with any standards-compliant identity provider."),
    ("Access Control", "IAM-04", "Are user access rights reviewed at least quarterly?", "Partial", "Privileged access is reviewed quarterly; standard access twice a year."),
    ("Access Control", "IAM-05", "Are privileged accounts separate from day-to-day user accounts?", "Yes", ""),
    ("Access Control", "IAM-06", "Are accounts disabled within 24 hours of an employee's termination?", "Yes", "Automated deprovisioning from the HR system."),
    ("Data Protection", "DAT-01", "Is customer data encrypted at rest?", "Yes", "AES-256 via the cloud provider's key management service, with customer-specific keys."),
    ("Data Protection", "DAT-02", "Is customer data encrypted in transit over public networks?", "Yes", "TLS 1.2 or higher only; HSTS enabled."),
    ("Data Protection", "DAT-03", "Do you store or process protected health information (PHI)?", "Yes", "The service stores ePHI for hospital customers."),
    ("Data Protection", "DAT-04", "Will you sign a Business Associate Agreement (BAA)?", "Yes", "Our standard BAA is available on request."),
    ("Data Protection", "DAT-05", "Is customer data logically segregated from other customers' data?", "Yes", "Tenant ID enforced at the database layer with row-level security."),
    ("Data Protection", "DAT-06", "Can customers export all of their data in a standard format?", "Yes", "CSV and JSON export from the admin console."),
    ("Data Protection", "DAT-07", "Is customer data securely deleted at contract termination?", "Yes", "Deleted within 30 days; backups expire within 35 days."),
    ("Data Protection", "DAT-08", "Do you use data loss prevention (DLP) tooling on endpoints and email?", "No", "Evaluating DLP tooling this year."),
    ("Operations", "OPS-01", "Are backups performed daily and tested at least annually?", "Yes", "Daily snapshots, quarterly restore tests."),
    ("Operations", "OPS-02", "Do you have a documented disaster recovery plan?", "Yes", "RTO 4 hours, RPO 1 hour; tested annually."),
    ("Operations", "OPS-03", "Do you have a business continuity plan that is tested at least annually?", "Yes", "Tabletop exercise each spring."),
    ("Operations", "OPS-04", "Are security events collected centrally in a SIEM?", "Yes", "All production logs are forwarded to our SIEM and retained for 1 year."),
    ("Operations", "OPS-05", "Is endpoint detection and response (EDR) deployed on all workstations and servers?", "Yes", ""),
    ("Operations", "OPS-06", "Are operating system patches for critical vulnerabilities applied within 14 days?", "Yes", "Critical patches within 7 days."),
    ("Application Security", "APP-01", "Is an independent penetration test of the application performed at least annually?", "Yes", "Annual third-party penetration test; executive summary available."),
    ("Application Security", "APP-02", "Do you perform static code analysis before each release?", "Yes", "SAST runs on every pull request."),
    ("Application Security", "APP-03", "Are third-party libraries scanned for known vulnerabilities?", "Yes", "Dependency scanning with automatic pull requests."),
    ("Application Security", "APP-04", "Do developers receive secure coding training?", "Yes", "Annual OWASP Top 10 training."),
    ("Application Security", "APP-05", "Do you run a public bug bounty program?", "No", ""),
    ("Incident Response", "IR-01", "Do you have a documented incident response plan?", "Yes", "Tested twice a year."),
    ("Incident Response", "IR-02", "Will you notify customers of a security breach affecting their data within 72 hours?", "Yes", "Contractual commitment: notification within 72 hours of confirmation."),
    ("Incident Response", "IR-03", "Do you carry cyber liability insurance?", "Yes", ""),
    ("Third Parties", "TPR-01", "Do you assess the security of subprocessors before engaging them?", "Yes", "Security questionnaire and SOC 2 review for every subprocessor."),
    ("Third Parties", "TPR-02", "Is a list of subprocessors published?", "Yes", "Published on our trust page."),
    ("Hosting", "HST-01", "Is the service hosted in a public cloud (IaaS)?", "Yes", "AWS, us-east-1 and us-west-2."),
    ("Hosting", "HST-02", "Do you operate your own data centers?", "N/A", "The service runs entirely on AWS."),
    ("People", "HR-01", "Do all employees complete security awareness training at hire and annually?", "Yes", ""),
    ("People", "HR-02", "Are background checks performed on employees with access to customer data?", "Yes", "Where permitted by law."),
];

/// (section, question) of the new customer questionnaire: other wording, no answers.
const NEW: &[(&str, &str)] = &[
    ("1. Security Program", "Does your organization have an information security policy approved by management?"),
    ("1. Security Program", "Do you have a current SOC 2 Type 2 attestation report?"),
    ("1. Security Program", "Is your organization ISO 27001 certified?"),
    ("1. Security Program", "How often do you assess information security risk?"),
    ("2. Identity and Access", "Is 2FA enforced for remote access by your staff?"),
    ("2. Identity and Access", "Can our users sign in through SSO (SAML)?"),
    ("2. Identity and Access", "How quickly is access removed when an employee leaves?"),
    ("2. Identity and Access", "Are administrative accounts separated from normal user accounts?"),
    ("3. Data Security", "Is ePHI encrypted while stored?"),
    ("3. Data Security", "Is data encrypted in transit using TLS 1.2 or later?"),
    ("3. Data Security", "Will you sign our business associate agreement?"),
    ("3. Data Security", "How is our data separated from other customers' data?"),
    ("3. Data Security", "What happens to our data when the contract ends?"),
    ("4. Resilience", "Do you have a disaster recovery plan, and what are your RTO and RPO?"),
    ("4. Resilience", "How often are backups tested?"),
    ("4. Resilience", "Is your business continuity plan tested?"),
    ("5. Monitoring and Response", "Do you aggregate security logs in a SIEM?"),
    ("5. Monitoring and Response", "Is anti-malware or EDR installed on all endpoints?"),
    ("5. Monitoring and Response", "How soon will you notify us of a breach involving our data?"),
    ("6. Application Security", "When was your last third-party pen test?"),
    ("6. Application Security", "Do you scan open-source dependencies for vulnerabilities?"),
    ("7. Vendors", "Do you review the security of your subprocessors?"),
];

/// Writes the two sample workbooks into `dir` and returns their paths (answered first).
pub fn write_samples(dir: &Path) -> Result<Vec<PathBuf>> {
    let answered = dir.join("northwind-answered-2025.xlsx");
    let fresh = dir.join("customer-questionnaire-2026.xlsx");
    crate::atomic::write_atomically(&answered, |tmp| write_answered(tmp))?;
    crate::atomic::write_atomically(&fresh, |tmp| write_new(tmp))?;
    Ok(vec![answered, fresh])
}

fn xerr(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::invalid("samples.cannot_write_sample_workbook", format!("cannot write the sample workbook: {e}"))
}

/// A workbook with a fixed creation date, so the same sample is the same bytes every time
/// (re-running the demo then adds nothing to the library).
fn new_workbook() -> Result<Workbook> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2025, 10, 1).map_err(xerr)?;
    wb.set_properties(&DocProperties::new().set_author("Quire samples").set_creation_datetime(&created));
    Ok(wb)
}

fn write_answered(path: &Path) -> Result<()> {
    let mut wb = new_workbook()?;
    let title = Format::new().set_bold().set_font_size(14);
    let header = Format::new().set_bold().set_background_color("#1F4E78").set_font_color("#FFFFFF").set_text_wrap();
    let section = Format::new().set_bold().set_background_color("#DDEBF7");
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);

    let cover = wb.add_worksheet();
    cover.set_name("Cover").map_err(xerr)?;
    cover.write_string_with_format(0, 0, "Vendor Security Questionnaire — Northwind Health Cloud", &title).map_err(xerr)?;
    cover.write_string(2, 0, "Completed by: Security Team, Northwind Health Cloud (a fictional company; sample data written by Quire)").map_err(xerr)?;
    cover.write_string(3, 0, "Date completed: 2025-10-01").map_err(xerr)?;

    let ws = wb.add_worksheet();
    ws.set_name("Questionnaire").map_err(xerr)?;
    ws.merge_range(0, 0, 0, 4, "Vendor Security Questionnaire", &title).map_err(xerr)?;
    ws.merge_range(1, 0, 1, 4, "Answer each question with Yes, No, Partial or N/A and explain in the comments column.", &wrap).map_err(xerr)?;
    for (c, (h, w)) in [("Ref", 9.0), ("Question", 70.0), ("Response", 11.0), ("Comments", 60.0)].iter().enumerate() {
        ws.write_string_with_format(3, c as u16, *h, &header).map_err(xerr)?;
        ws.set_column_width(c as u16, *w).map_err(xerr)?;
    }
    let mut row = 4u32;
    let mut last_domain = "";
    let first = row;
    for (domain, id, q, a, comment) in ANSWERED {
        if *domain != last_domain {
            ws.merge_range(row, 0, row, 3, domain, &section).map_err(xerr)?;
            last_domain = domain;
            row += 1;
        }
        write_row(ws, row, &[id, q, a, comment], &wrap)?;
        row += 1;
    }
    add_dropdown(ws, first, row - 1, 2, &["Yes", "No", "Partial", "N/A"])?;
    ws.set_freeze_panes(4, 0).map_err(xerr)?;
    wb.save(path).map_err(xerr)?;
    Ok(())
}

fn write_new(path: &Path) -> Result<()> {
    let mut wb = new_workbook()?;
    let header = Format::new().set_bold().set_background_color("#375623").set_font_color("#FFFFFF").set_text_wrap();
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let ws = wb.add_worksheet();
    ws.set_name("Security Assessment").map_err(xerr)?;
    ws.write_string(0, 0, "Third-party security assessment — please complete all questions").map_err(xerr)?;
    for (c, (h, w)) in [("#", 6.0), ("Section", 24.0), ("Question", 70.0), ("Vendor Response", 14.0), ("Additional Information", 50.0)].iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &header).map_err(xerr)?;
        ws.set_column_width(c as u16, *w).map_err(xerr)?;
    }
    for (i, (section, q)) in NEW.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_number(r, 0, (i + 1) as f64).map_err(xerr)?;
        write_row_from(ws, r, 1, &[section, q], &wrap)?;
    }
    add_dropdown(ws, 3, 2 + NEW.len() as u32, 3, &["Yes", "No", "N/A"])?;
    let notes = wb.add_worksheet();
    notes.set_name("Instructions").map_err(xerr)?;
    notes.write_string(0, 0, "Return the completed questionnaire to your procurement contact within 30 days.").map_err(xerr)?;
    wb.save(path).map_err(xerr)?;
    Ok(())
}

fn write_row(ws: &mut Worksheet, row: u32, cells: &[&str], fmt: &Format) -> Result<()> {
    write_row_from(ws, row, 0, cells, fmt)
}

fn write_row_from(ws: &mut Worksheet, row: u32, first_col: u16, cells: &[&str], fmt: &Format) -> Result<()> {
    for (c, v) in cells.iter().enumerate() {
        if !v.is_empty() {
            ws.write_string_with_format(row, first_col + c as u16, *v, fmt).map_err(xerr)?;
        }
    }
    Ok(())
}

fn add_dropdown(ws: &mut Worksheet, first: u32, last: u32, col: u16, values: &[&str]) -> Result<()> {
    let dv = DataValidation::new().allow_list_strings(values).map_err(xerr)?;
    ws.add_data_validation(first, col, last, col, &dv).map_err(xerr)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_read_back_with_their_answers() {
        let dir = tempfile::tempdir().unwrap();
        let paths = write_samples(dir.path()).unwrap();
        let answered = crate::sheet::read_questionnaire(&paths[0]).unwrap();
        assert_eq!(answered.question_count(), ANSWERED.len());
        assert_eq!(answered.answered_count(), ANSWERED.len());
        // Deterministic bytes: writing again gives the same file.
        let first = std::fs::read(&paths[0]).unwrap();
        write_samples(dir.path()).unwrap();
        assert_eq!(std::fs::read(&paths[0]).unwrap(), first);
        let fresh = crate::sheet::read_questionnaire(&paths[1]).unwrap();
        assert_eq!(fresh.question_count(), NEW.len());
        assert_eq!(fresh.answered_count(), 0);
        let sheet = fresh.sheets.iter().find(|s| s.used).unwrap();
        let cols = sheet.columns.as_ref().unwrap();
        assert_eq!((cols.question, cols.answer, cols.comment, cols.domain), (2, Some(3), Some(4), Some(1)));
    }
}
