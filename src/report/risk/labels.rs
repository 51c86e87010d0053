//! The labels and colours of an assessment's outputs, shared by the risk PDF and the findings
//! workbook: tiers, severities, outcomes, coverage, the vendor's profile, certification standing.

use super::super::canvas::Rgb8;
use crate::assess::catalogue::Criticality;
use crate::assess::coverage::CoverageStatus;
use crate::assess::score::{Finding, Outcome};
use crate::assess::vendor::{BaaStatus, Certification, Connectivity, Hosting, Level, Tier, EXPIRY_NOTICE_DAYS};
use crate::assess::Assessment;
use std::path::Path;
use time::Date;
// ---------------------------------------------------------------------------------------------
// Labels and colours shared by the PDF and the workbook.

pub(super) const RED: Rgb8 = Rgb8(0xB4, 0x23, 0x18);
pub(super) const ORANGE: Rgb8 = Rgb8(0xD9, 0x5F, 0x0E);
pub(super) const AMBER: Rgb8 = Rgb8(0xE0, 0xA1, 0x00);
pub(super) const GREEN: Rgb8 = Rgb8(0x2E, 0x8B, 0x57);
pub(super) const TEAL: Rgb8 = Rgb8(0x5F, 0xA8, 0x5A);
pub(super) const SLATE: Rgb8 = Rgb8(0x5B, 0x70, 0x83);
pub(super) const GREY: Rgb8 = Rgb8(0xB8, 0xC0, 0xCA);

pub(super) fn tier_color(t: Tier) -> Rgb8 {
    match t {
        Tier::Low => GREEN,
        Tier::Moderate => AMBER,
        Tier::High => ORANGE,
        Tier::Critical => RED,
    }
}

pub(super) fn severity_color(s: Criticality) -> Rgb8 {
    match s {
        Criticality::Critical => RED,
        Criticality::High => ORANGE,
        Criticality::Medium => AMBER,
        Criticality::Low => SLATE,
    }
}

/// A warning's severity ("critical", "high", "medium") as a colour.
pub(super) fn warning_color(severity: &str) -> Rgb8 {
    match severity {
        "critical" => RED,
        "high" => ORANGE,
        _ => AMBER,
    }
}

pub(super) fn score_color(score: f64) -> Rgb8 {
    match score {
        s if s >= 85.0 => GREEN,
        s if s >= 70.0 => TEAL,
        s if s >= 50.0 => AMBER,
        _ => RED,
    }
}

/// An outcome as the analyst reads it.
pub fn outcome_label(o: Outcome) -> &'static str {
    match o {
        Outcome::Met => "Met",
        Outcome::Partial => "Partial",
        Outcome::Contradicted => "Contradicted",
        Outcome::Gap => "Gap",
        Outcome::Unanswered => "Unanswered",
        Outcome::Unclear => "Unclear",
        Outcome::UnjustifiedNa => "N/A, no reason",
        Outcome::NotApplicable => "N/A",
        Outcome::Informational => "Informational",
        Outcome::NotInScope => "Not in scope",
        Outcome::Scoping => "Scoping question",
    }
}

pub(super) fn outcome_color(o: Outcome) -> Rgb8 {
    match o {
        Outcome::Met => GREEN,
        Outcome::Partial | Outcome::Unclear | Outcome::UnjustifiedNa => AMBER,
        Outcome::Contradicted => ORANGE,
        Outcome::Gap => RED,
        Outcome::Unanswered => SLATE,
        Outcome::NotApplicable | Outcome::Informational | Outcome::NotInScope | Outcome::Scoping => GREY,
    }
}

/// A coverage status as the analyst reads it.
pub fn coverage_label(s: CoverageStatus) -> &'static str {
    match s {
        CoverageStatus::Supported => "Supported",
        CoverageStatus::Mixed => "Mixed",
        CoverageStatus::Contradicted => "Contradicted",
        CoverageStatus::NoEvidence => "No evidence",
    }
}

pub(super) fn coverage_color(s: CoverageStatus) -> Rgb8 {
    match s {
        CoverageStatus::Supported => GREEN,
        CoverageStatus::Mixed => AMBER,
        CoverageStatus::Contradicted => RED,
        CoverageStatus::NoEvidence => GREY,
    }
}

pub(super) fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

pub(super) fn level_label(l: Level) -> &'static str {
    match l {
        Level::None => "none",
        Level::Low => "low",
        Level::Medium => "medium",
        Level::High => "high",
        Level::Critical => "critical",
    }
}

pub(super) fn hosting_label(h: Hosting) -> &'static str {
    match h {
        Hosting::Saas => "SaaS",
        Hosting::Paas => "PaaS",
        Hosting::Iaas => "IaaS",
        Hosting::OnPrem => "on-premises (run by the hospital)",
    }
}

pub(super) fn connectivity_label(c: Connectivity) -> &'static str {
    match c {
        Connectivity::None => "none (no connection to the hospital's systems)",
        Connectivity::Integration => "integration (files, API, interface or SSO)",
        Connectivity::Network => "network (VPN, site-to-site or remote access)",
    }
}

pub(super) fn baa_label(s: BaaStatus) -> &'static str {
    match s {
        BaaStatus::NotNeeded => "not needed (no PHI)",
        BaaStatus::Missing => "missing",
        BaaStatus::Requested => "requested, not signed",
        BaaStatus::Signed => "signed",
    }
}

/// "SOC 2 … row 12" when a question has no ref.
pub(super) fn label(reference: &str, sheet: &str, row: usize) -> String {
    if reference.trim().is_empty() {
        format!("{sheet} row {row}")
    } else {
        reference.to_string()
    }
}


pub(super) fn score_text(score: Option<f64>) -> String {
    match score {
        Some(s) => format!("{s:.1}"),
        None => "no score".into(),
    }
}

pub(super) fn signed(delta: f64) -> String {
    if delta > 0.0 {
        format!("+{delta:.1}")
    } else if delta < 0.0 {
        format!("−{:.1}", -delta)
    } else {
        "±0.0".into()
    }
}

pub(super) fn date(s: &str) -> Option<Date> {
    crate::dates::date_prefix(s)
}

pub(super) fn domain_title<'a>(a: &'a Assessment, id: &'a str) -> &'a str {
    a.scorecard.domains.iter().find(|d| d.id == id).map(|d| d.title.as_str()).unwrap_or(id)
}

/// The findings most severe first, then by due date, then in questionnaire order.
pub fn findings_by_severity(a: &Assessment) -> Vec<&Finding> {
    let mut f: Vec<&Finding> = a.scorecard.findings.iter().collect();
    f.sort_by(|x, y| y.severity.cmp(&x.severity).then_with(|| x.due.cmp(&y.due)));
    f
}

/// The file name of the questionnaire (the assessment keeps the path it was read from).
pub(super) fn questionnaire_name(a: &Assessment) -> String {
    let q = a.questionnaire.trim();
    let name = Path::new(q).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if name.is_empty() {
        if q.is_empty() { "(unnamed questionnaire)".into() } else { q.to_string() }
    } else {
        name
    }
}

pub(super) fn vendor_name(a: &Assessment) -> &str {
    match a.vendor.name.trim() {
        "" => "Unnamed vendor",
        n => n,
    }
}

/// A certification's standing on the assessment date.
pub(super) fn certification_status(c: &Certification, today: Option<Date>) -> (String, Rgb8) {
    let Some(today) = today else { return ("—".into(), GREY) };
    if let Some(exp) = c.expires.as_deref().and_then(date) {
        if exp < today {
            return ("Expired".into(), RED);
        }
        if (exp - today).whole_days() <= EXPIRY_NOTICE_DAYS {
            return ("Expires soon".into(), AMBER);
        }
    }
    if let Some(end) = c.period_end.as_deref().and_then(date) {
        if (today - end).whole_days() > 365 {
            return ("Period over a year old".into(), AMBER);
        }
    }
    let unreadable = [&c.expires, &c.period_end].into_iter().flatten().any(|d| date(d).is_none());
    if unreadable {
        return ("Date unreadable".into(), GREY);
    }
    if c.expires.is_none() && c.period_end.is_none() {
        return ("No dates".into(), GREY);
    }
    ("Current".into(), GREEN)
}

// ---------------------------------------------------------------------------------------------
// The PDF.


/// A pale version of `color` for backgrounds.
pub(super) fn tint(color: Rgb8) -> Rgb8 {
    let t = |v: u8| (v as f32 * 0.12 + 255.0 * 0.88) as u8;
    Rgb8(t(color.0), t(color.1), t(color.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_numbers_carry_their_sign() {
        assert_eq!(signed(-1.25), "−1.2");
        assert_eq!(signed(0.0), "±0.0");
    }

    #[test]
    fn certification_standing() {
        let today = crate::dates::parse_date("2026-03-02").ok();
        let cert = |p: Option<&str>, e: Option<&str>| Certification { kind: "SOC 2".into(), period_end: p.map(Into::into), expires: e.map(Into::into) };
        assert_eq!(certification_status(&cert(Some("2025-06-30"), Some("2026-12-31")), today).0, "Current");
        assert_eq!(certification_status(&cert(None, Some("2026-01-31")), today).0, "Expired");
        assert_eq!(certification_status(&cert(None, Some("2026-04-01")), today).0, "Expires soon");
        assert_eq!(certification_status(&cert(Some("2024-06-30"), None), today).0, "Period over a year old");
        assert_eq!(certification_status(&cert(Some("soon"), None), today).0, "Date unreadable");
        assert_eq!(certification_status(&cert(None, None), today).0, "No dates");
    }
}

