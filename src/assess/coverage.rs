//! Framework coverage: for each HIPAA Security Rule safeguard and ISO/IEC 27017 cloud control,
//! which of the vendor's answers support it, which contradict it, and which controls have no
//! answer at all — plus who owns each control for the vendor's hosting model (the
//! shared-responsibility view).

use super::catalogue::Catalogue;
use super::score::{Outcome, QuestionScore};
use super::vendor::Hosting;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum CoverageStatus {
    /// Every answer mapped to it supports it.
    Supported,
    /// Some answers support it, some do not.
    Mixed,
    /// The answers mapped to it say it is not in place.
    Contradicted,
    /// No scorable answer speaks to it.
    NoEvidence,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ControlCoverage {
    pub framework: String,
    pub id: String,
    pub title: String,
    pub group: String,
    pub kind: String,
    /// Who operates it for this vendor's hosting model: vendor, provider, customer or shared.
    pub owner: Option<String>,
    pub status: CoverageStatus,
    /// Question refs (or "sheet row N") whose answers support / contradict it.
    pub supporting: Vec<String>,
    pub contradicting: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FrameworkCoverage {
    pub id: String,
    pub title: String,
    pub controls: Vec<ControlCoverage>,
    pub supported: usize,
    pub contradicted: usize,
    pub no_evidence: usize,
}

fn label(q: &QuestionScore) -> String {
    if q.reference.is_empty() {
        format!("{} row {}", q.sheet, q.row)
    } else {
        q.reference.clone()
    }
}

pub fn coverage(catalogue: &Catalogue, questions: &[QuestionScore], hosting: Hosting) -> Vec<FrameworkCoverage> {
    catalogue
        .frameworks
        .iter()
        .map(|f| {
            let controls: Vec<ControlCoverage> = f
                .controls
                .iter()
                .map(|c| {
                    let key = format!("{}:{}", f.id, c.id);
                    let mapped: Vec<&QuestionScore> = questions.iter().filter(|q| q.outcome.scored() && q.frameworks.contains(&key)).collect();
                    let supporting: Vec<String> = mapped.iter().filter(|q| q.outcome == Outcome::Met).map(|q| label(q)).collect();
                    let contradicting: Vec<String> = mapped.iter().filter(|q| q.outcome != Outcome::Met && q.outcome != Outcome::Unanswered).map(|q| label(q)).collect();
                    let status = match (supporting.is_empty(), contradicting.is_empty()) {
                        (true, true) => CoverageStatus::NoEvidence,
                        (false, true) => CoverageStatus::Supported,
                        (true, false) => CoverageStatus::Contradicted,
                        (false, false) => CoverageStatus::Mixed,
                    };
                    let r = &c.responsibility;
                    let owner = match hosting {
                        Hosting::Saas => r.saas.clone(),
                        Hosting::Paas => r.paas.clone(),
                        Hosting::Iaas => r.iaas.clone(),
                        Hosting::OnPrem => r.on_prem.clone(),
                    };
                    ControlCoverage { framework: f.id.clone(), id: c.id.clone(), title: c.title.clone(), group: c.group.clone(), kind: c.kind.clone(), owner, status, supporting, contradicting }
                })
                .collect();
            let count = |s: CoverageStatus| controls.iter().filter(|c| c.status == s).count();
            FrameworkCoverage {
                id: f.id.clone(),
                title: f.title.clone(),
                supported: count(CoverageStatus::Supported),
                contradicted: count(CoverageStatus::Contradicted) + count(CoverageStatus::Mixed),
                no_evidence: count(CoverageStatus::NoEvidence),
                controls,
            }
        })
        .collect()
}
