//! A vendor as the third-party-risk team knows it: the service, whether it handles PHI (a HIPAA
//! business associate), its BAA, certifications with their report periods and expiry, and the
//! short intake that sets its inherent risk tier and how often it is reassessed.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use time::Date;

/// Risk tiers, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Low,
    Moderate,
    High,
    Critical,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Low => "low",
            Tier::Moderate => "moderate",
            Tier::High => "high",
            Tier::Critical => "critical",
        }
    }

    pub fn up(self) -> Tier {
        match self {
            Tier::Low => Tier::Moderate,
            Tier::Moderate => Tier::High,
            _ => Tier::Critical,
        }
    }

    pub fn down(self) -> Tier {
        match self {
            Tier::Critical => Tier::High,
            Tier::High => Tier::Moderate,
            _ => Tier::Low,
        }
    }

    /// Months until the next reassessment.
    pub fn reassessment_months(self) -> u32 {
        match self {
            Tier::Critical => 6,
            Tier::High => 12,
            Tier::Moderate => 24,
            Tier::Low => 36,
        }
    }
}

/// Which HIPAA activities the vendor performs with PHI (any makes it a business associate).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PhiActivities {
    #[serde(default)]
    pub creates: bool,
    #[serde(default)]
    pub receives: bool,
    #[serde(default)]
    pub maintains: bool,
    #[serde(default)]
    pub transmits: bool,
}

impl PhiActivities {
    pub fn any(&self) -> bool {
        self.creates || self.receives || self.maintains || self.transmits
    }

    /// "create,receive,maintain,transmit" (any subset; "none" for none).
    pub fn parse(s: &str) -> Result<PhiActivities> {
        let mut p = PhiActivities::default();
        for w in s.split(',').map(|w| w.trim().to_lowercase()).filter(|w| !w.is_empty()) {
            match w.trim_end_matches('s') {
                "create" => p.creates = true,
                "receive" => p.receives = true,
                "maintain" => p.maintains = true,
                "transmit" => p.transmits = true,
                "none" => {}
                other => return Err(Error::invalid("assess.vendor.unknown_phi_activity_use", format!("unknown PHI activity {other:?}: use create, receive, maintain, transmit (comma-separated) or none"))),
            }
        }
        Ok(p)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum BaaStatus {
    /// The vendor handles no PHI.
    #[default]
    NotNeeded,
    Missing,
    Requested,
    Signed,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Baa {
    pub status: BaaStatus,
    #[serde(default)]
    pub signed: Option<String>,
    #[serde(default)]
    pub expires: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Certification {
    /// "SOC 2 Type II", "HITRUST r2", "ISO 27001", "ISO 27017", …
    pub kind: String,
    /// End of the period the report covers (SOC 2) or issue date.
    #[serde(default)]
    pub period_end: Option<String>,
    #[serde(default)]
    pub expires: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    None,
    Low,
    #[default]
    Medium,
    High,
    Critical,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum Connectivity {
    /// No connection to the hospital's systems.
    None,
    /// Files or an API (SFTP, HL7/FHIR interface, SSO).
    #[default]
    Integration,
    /// A network connection (VPN, site-to-site, remote access into the hospital).
    Network,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum Hosting {
    #[default]
    Saas,
    Paas,
    Iaas,
    /// Software the hospital runs itself.
    OnPrem,
}

impl Hosting {
    pub fn as_str(self) -> &'static str {
        match self {
            Hosting::Saas => "saas",
            Hosting::Paas => "paas",
            Hosting::Iaas => "iaas",
            Hosting::OnPrem => "on_prem",
        }
    }
}

/// The short intake that sets the inherent tier.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Intake {
    /// How much PHI the vendor handles.
    pub phi_volume: Level,
    /// How critical the service is to care and operations.
    pub criticality: Level,
    pub connectivity: Connectivity,
    pub hosting: Hosting,
}

impl Intake {
    /// The inherent tier: points for PHI volume (0–4), criticality (0–4), connectivity (0–2)
    /// and hosting (SaaS/PaaS/IaaS hold hospital data: 1; on-premises: 0): 0–2 low, 3–5
    /// moderate, 6–8 high, 9+ critical. A business associate is at least moderate.
    pub fn inherent_tier(&self, business_associate: bool) -> Tier {
        let level = |l: Level| match l {
            Level::None => 0,
            Level::Low => 1,
            Level::Medium => 2,
            Level::High => 3,
            Level::Critical => 4,
        };
        let points = level(self.phi_volume)
            + level(self.criticality)
            + match self.connectivity {
                Connectivity::None => 0,
                Connectivity::Integration => 1,
                Connectivity::Network => 2,
            }
            + if self.hosting == Hosting::OnPrem { 0 } else { 1 };
        let tier = match points {
            0..=2 => Tier::Low,
            3..=5 => Tier::Moderate,
            6..=8 => Tier::High,
            _ => Tier::Critical,
        };
        if business_associate { tier.max(Tier::Moderate) } else { tier }
    }
}

/// A vendor record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Vendor {
    #[serde(default)]
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub service: String,
    #[serde(default)]
    pub phi: PhiActivities,
    #[serde(default)]
    pub baa: Baa,
    #[serde(default)]
    pub certifications: Vec<Certification>,
    #[serde(default)]
    pub intake: Intake,
    #[serde(default)]
    pub notes: String,
    /// Derived: set when saved.
    #[serde(default = "default_tier")]
    pub inherent_tier: Tier,
    #[serde(default)]
    pub last_assessed: Option<String>,
    #[serde(default)]
    pub next_review: Option<String>,
}

fn default_tier() -> Tier {
    Tier::Moderate
}

/// Something about a vendor's paperwork the analyst must act on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Warning {
    #[cfg_attr(feature = "ts", ts(type = "\"critical\" | \"high\" | \"medium\""))]
    pub severity: String,
    pub message: String,
}

/// Days ahead in which an expiry is warned about.
pub const EXPIRY_NOTICE_DAYS: i64 = 60;

impl Vendor {
    pub fn new(name: &str) -> Vendor {
        Vendor {
            id: 0,
            name: name.trim().to_string(),
            service: String::new(),
            phi: PhiActivities::default(),
            baa: Baa::default(),
            certifications: Vec::new(),
            intake: Intake::default(),
            notes: String::new(),
            inherent_tier: Tier::Moderate,
            last_assessed: None,
            next_review: None,
        }
    }

    pub fn is_business_associate(&self) -> bool {
        self.phi.any()
    }

    /// Checks the record and derives its tier and next review date.
    pub fn settle(&mut self, today: Date) -> Result<()> {
        if self.name.trim().is_empty() {
            return Err(Error::invalid("assess.vendor.vendor_needs_name", "a vendor needs a name"));
        }
        for d in [&self.baa.signed, &self.baa.expires].into_iter().flatten() {
            crate::dates::parse_date(d)?;
        }
        for c in &self.certifications {
            if c.kind.trim().is_empty() {
                return Err(Error::invalid("assess.vendor.certification_needs_kind_soc", "a certification needs a kind, e.g. \"SOC 2 Type II\""));
            }
            for d in [&c.period_end, &c.expires].into_iter().flatten() {
                crate::dates::parse_date(d)?;
            }
        }
        if self.is_business_associate() && self.baa.status == BaaStatus::NotNeeded {
            self.baa.status = BaaStatus::Missing;
        }
        self.inherent_tier = self.intake.inherent_tier(self.is_business_associate());
        let from = self.last_assessed.as_deref().and_then(|d| crate::dates::date_prefix(d)).unwrap_or(today);
        self.next_review = Some(crate::dates::add_months(from, self.inherent_tier.reassessment_months()).to_string());
        Ok(())
    }

    /// BAA and certification problems, most serious first.
    pub fn warnings(&self, today: Date) -> Vec<Warning> {
        let mut out = Vec::new();
        let date = |s: &Option<String>| s.as_deref().and_then(|d| crate::dates::parse_date(d).ok());
        if self.is_business_associate() {
            match self.baa.status {
                BaaStatus::Signed => {}
                BaaStatus::Requested => out.push(Warning { severity: "high".into(), message: "handles PHI and the BAA is requested but not signed".into() }),
                _ => out.push(Warning { severity: "critical".into(), message: "handles PHI without a signed business associate agreement (BAA)".into() }),
            }
        }
        if self.baa.status == BaaStatus::Signed {
            if let Some(exp) = date(&self.baa.expires) {
                if exp < today {
                    out.push(Warning { severity: "critical".into(), message: format!("the BAA expired on {exp}") });
                } else if (exp - today).whole_days() <= EXPIRY_NOTICE_DAYS {
                    out.push(Warning { severity: "medium".into(), message: format!("the BAA expires on {exp}") });
                }
            }
        }
        for c in &self.certifications {
            if let Some(exp) = date(&c.expires) {
                if exp < today {
                    out.push(Warning { severity: "high".into(), message: format!("{} expired on {exp}", c.kind) });
                } else if (exp - today).whole_days() <= EXPIRY_NOTICE_DAYS {
                    out.push(Warning { severity: "medium".into(), message: format!("{} expires on {exp}", c.kind) });
                }
            }
            if let Some(end) = date(&c.period_end) {
                if (today - end).whole_days() > 365 {
                    out.push(Warning { severity: "medium".into(), message: format!("{} covers a period that ended on {end}, over a year ago: ask for the current report", c.kind) });
                }
            }
        }
        if let Some(next) = date(&self.next_review) {
            if next < today {
                out.push(Warning { severity: "medium".into(), message: format!("reassessment was due on {next}") });
            }
        }
        let rank = |s: &str| match s {
            "critical" => 0,
            "high" => 1,
            _ => 2,
        };
        out.sort_by_key(|w| rank(&w.severity));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn tiers_follow_the_intake() {
        let low = Intake { phi_volume: Level::None, criticality: Level::Low, connectivity: Connectivity::None, hosting: Hosting::OnPrem };
        assert_eq!(low.inherent_tier(false), Tier::Low);
        assert_eq!(low.inherent_tier(true), Tier::Moderate, "a business associate is at least moderate");
        let ehr = Intake { phi_volume: Level::High, criticality: Level::Critical, connectivity: Connectivity::Network, hosting: Hosting::Saas };
        assert_eq!(ehr.inherent_tier(true), Tier::Critical);
    }

    #[test]
    fn paperwork_warnings() {
        let today = date!(2026 - 11 - 24);
        let mut v = Vendor::new("Acme Imaging");
        v.phi = PhiActivities::parse("receive,maintain").expect("phi");
        v.certifications.push(Certification { kind: "SOC 2 Type II".into(), period_end: Some("2025-06-30".into()), expires: Some("2026-12-01".into()) });
        v.settle(today).expect("settle");
        assert_eq!(v.baa.status, BaaStatus::Missing);
        assert_eq!(v.next_review.as_deref(), Some("2027-11-24"), "moderate... or the tier's cadence");
        let w = v.warnings(today);
        assert!(w[0].message.contains("without a signed business associate agreement"), "{w:?}");
        assert!(w.iter().any(|x| x.message.contains("SOC 2 Type II expires on 2026-12-01")));
        assert!(w.iter().any(|x| x.message.contains("over a year ago")));
        assert!(PhiActivities::parse("steal").is_err());
    }
}
