//! The data files assessments are scored with: rubrics (`questionnaires/rubrics/*.toml`:
//! domains, weights, per-question expectations) and framework catalogues
//! (`questionnaires/frameworks/*.toml`: HIPAA Security Rule, ISO/IEC 27017 cloud controls). The
//! shipped files are embedded; `QUIRE_RUBRICS=DIR` adds or replaces rubrics by name. The format
//! is documented in docs/assessment.md.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

const EMBEDDED_RUBRICS: &[(&str, &str)] = &[
    ("default.toml", include_str!("../../questionnaires/rubrics/default.toml")),
    ("caiq-v4.toml", include_str!("../../questionnaires/rubrics/caiq-v4.toml")),
    ("hecvat.toml", include_str!("../../questionnaires/rubrics/hecvat.toml")),
    // HECVAT 3 reuses many HECVAT 4 IDs for other questions (DOCU-01 is SOC 2 in 3.00, business
    // continuity in 4.1.4), so each version has its own rubric.
    ("hecvat-3.toml", include_str!("../../questionnaires/rubrics/hecvat-3.toml")),
];

const EMBEDDED_FRAMEWORKS: &[(&str, &str)] = &[
    ("hipaa-security-rule.toml", include_str!("../../questionnaires/frameworks/hipaa-security-rule.toml")),
    ("iso27017-cloud.toml", include_str!("../../questionnaires/frameworks/iso27017-cloud.toml")),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Criticality {
    Low,
    Medium,
    High,
    Critical,
}

impl Criticality {
    pub fn as_str(self) -> &'static str {
        match self {
            Criticality::Low => "low",
            Criticality::Medium => "medium",
            Criticality::High => "high",
            Criticality::Critical => "critical",
        }
    }

    /// Points a question of this criticality is worth.
    pub fn points(self) -> f64 {
        match self {
            Criticality::Low => 1.0,
            Criticality::Medium => 2.0,
            Criticality::High => 3.0,
            Criticality::Critical => 5.0,
        }
    }

    /// One step less severe (a partial gap is less severe than a missing control).
    pub fn lower(self) -> Criticality {
        match self {
            Criticality::Critical => Criticality::High,
            Criticality::High => Criticality::Medium,
            _ => Criticality::Low,
        }
    }
}

/// The answer that means a control is in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Expected {
    Yes,
    No,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Domain {
    pub id: String,
    pub title: String,
    pub weight: f64,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub remediation: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RubricQuestion {
    #[serde(rename = "ref")]
    pub reference: String,
    pub domain: String,
    pub expected: Expected,
    pub criticality: Criticality,
    #[serde(default)]
    pub frameworks: Vec<String>,
    #[serde(default)]
    pub remediation: Option<String>,
    #[serde(default)]
    pub informational: bool,
    /// Quire's own short summary of what the question asks ("SOC 2 audit"), used to check a
    /// file's IDs against its question texts and to place questions of other versions by text.
    #[serde(default)]
    pub topic: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CriticalityHints {
    #[serde(default)]
    pub critical: Vec<String>,
    #[serde(default)]
    pub high: Vec<String>,
    #[serde(default)]
    pub low: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Phrases {
    #[serde(default)]
    pub phrases: Vec<String>,
}

/// A section that does not apply when the vendor answered a qualifying question a certain way
/// (HECVAT: "Does your product process PHI?" No → the HIPAA section is not scored).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SkipWhen {
    #[serde(rename = "ref")]
    pub reference: String,
    pub answer: Expected,
    /// Question ID prefixes the answer rules out ("HIPA-").
    pub prefixes: Vec<String>,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rubric {
    pub name: String,
    pub title: String,
    #[serde(default)]
    pub profiles: Vec<String>,
    /// The questionnaire family (questionnaires/families.toml) and generation (major version)
    /// the rubric was written for, its edition, and the versions its IDs were checked against.
    #[serde(default)]
    pub family: Option<String>,
    #[serde(default)]
    pub generation: Option<String>,
    #[serde(default)]
    pub edition: Option<String>,
    #[serde(default)]
    pub versions: Vec<String>,
    /// The domain of a question nothing else places (default: the first domain).
    #[serde(default)]
    pub fallback_domain: Option<String>,
    #[serde(rename = "domain")]
    pub domains: Vec<Domain>,
    #[serde(default, rename = "question")]
    pub questions: Vec<RubricQuestion>,
    #[serde(default)]
    pub criticality: CriticalityHints,
    #[serde(default)]
    pub expect_no: Phrases,
    #[serde(default)]
    pub informational: Phrases,
    #[serde(default)]
    pub skip_when: Vec<SkipWhen>,
}

impl Rubric {
    pub fn parse(text: &str, origin: &str) -> Result<Rubric> {
        let r: Rubric = toml::from_str(text).map_err(|e| Error::invalid("assess.catalogue.rubric_valid", format!("rubric {origin} is not valid: {e}")))?;
        r.check(origin)?;
        Ok(r)
    }

    fn check(&self, origin: &str) -> Result<()> {
        if self.domains.is_empty() {
            return Err(Error::invalid("assess.catalogue.rubric_domain", format!("rubric {origin} has no [[domain]]")));
        }
        for d in &self.domains {
            if !(d.weight > 0.0 && d.weight.is_finite()) {
                return Err(Error::invalid("assess.catalogue.rubric_domain_needs_positive", format!("rubric {origin}: domain {} needs a positive weight", d.id)));
            }
        }
        for q in &self.questions {
            if self.domain(&q.domain).is_none() {
                return Err(Error::invalid("assess.catalogue.rubric_question_names_domain", format!("rubric {origin}: question {} names domain {:?}, which the rubric does not define", q.reference, q.domain)));
            }
        }
        if let Some(f) = &self.fallback_domain {
            if self.domain(f).is_none() {
                return Err(Error::invalid("assess.catalogue.rubric_fallback_domain_domains", format!("rubric {origin}: fallback_domain {f:?} is not one of its domains")));
            }
        }
        Ok(())
    }

    pub fn domain(&self, id: &str) -> Option<&Domain> {
        self.domains.iter().find(|d| d.id == id)
    }

    pub fn fallback(&self) -> &Domain {
        self.fallback_domain.as_deref().and_then(|f| self.domain(f)).unwrap_or(&self.domains[0])
    }

    /// The rubric's entry for a question ID (case and spacing do not count).
    pub fn question(&self, reference: &str) -> Option<&RubricQuestion> {
        let key = ref_key(reference);
        if key.is_empty() {
            return None;
        }
        self.questions.iter().find(|q| ref_key(&q.reference) == key)
    }
}

pub fn ref_key(r: &str) -> String {
    r.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase()
}

/// Who operates a safeguard for a hosting model.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Responsibility {
    #[serde(default)]
    pub saas: Option<String>,
    #[serde(default)]
    pub paas: Option<String>,
    #[serde(default)]
    pub iaas: Option<String>,
    #[serde(default)]
    pub on_prem: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Control {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub responsibility: Responsibility,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Framework {
    pub id: String,
    pub title: String,
    #[serde(rename = "control")]
    pub controls: Vec<Control>,
}

impl Framework {
    pub fn parse(text: &str, origin: &str) -> Result<Framework> {
        let f: Framework = toml::from_str(text).map_err(|e| Error::invalid("assess.catalogue.framework_catalogue_valid", format!("framework catalogue {origin} is not valid: {e}")))?;
        if f.controls.is_empty() {
            return Err(Error::invalid("assess.catalogue.framework_catalogue_control", format!("framework catalogue {origin} has no [[control]]")));
        }
        Ok(f)
    }
}

/// Every rubric and framework Quire knows.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub rubrics: BTreeMap<String, Rubric>,
    pub frameworks: Vec<Framework>,
}

impl Catalogue {
    /// The embedded files, plus the rubrics in `QUIRE_RUBRICS` (same name replaces).
    pub fn load() -> Result<Catalogue> {
        let mut rubrics = BTreeMap::new();
        for (name, text) in EMBEDDED_RUBRICS {
            let r = Rubric::parse(text, name)?;
            rubrics.insert(r.name.clone(), r);
        }
        if let Some(dir) = std::env::var_os("QUIRE_RUBRICS").map(PathBuf::from) {
            let entries = std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))?;
            for e in entries.flatten().filter(|e| e.path().extension().is_some_and(|x| x == "toml")) {
                let path = e.path();
                let text = std::fs::read_to_string(&path).map_err(|err| Error::io(&path, err))?;
                let r = Rubric::parse(&text, &path.display().to_string())?;
                rubrics.insert(r.name.clone(), r);
            }
        }
        let frameworks = EMBEDDED_FRAMEWORKS.iter().map(|(name, text)| Framework::parse(text, name)).collect::<Result<Vec<_>>>()?;
        let cat = Catalogue { rubrics, frameworks };
        cat.check_references()?;
        Ok(cat)
    }

    fn check_references(&self) -> Result<()> {
        for r in self.rubrics.values() {
            for q in &r.questions {
                for f in &q.frameworks {
                    if self.control(f).is_none() {
                        return Err(Error::invalid("assess.catalogue.rubric_question_refers_framework", format!("rubric {}: question {} refers to {f:?}, which no framework catalogue defines", r.name, q.reference)));
                    }
                }
            }
        }
        Ok(())
    }

    /// "hipaa:164.312(d)" → the framework and control.
    pub fn control(&self, reference: &str) -> Option<(&Framework, &Control)> {
        let (fw, id) = reference.split_once(':')?;
        let f = self.frameworks.iter().find(|f| f.id.eq_ignore_ascii_case(fw.trim()))?;
        f.controls.iter().find(|c| c.id == id.trim()).map(|c| (f, c))
    }

    /// The rubric named `name`, or the one made for the questionnaire's profile, or "default".
    pub fn rubric_for(&self, name: Option<&str>, profile: Option<&str>) -> Result<&Rubric> {
        if let Some(n) = name {
            return self.rubrics.get(n).ok_or_else(|| {
                Error::invalid("assess.catalogue.rubric_named_known", format!("no rubric named {n:?}; known: {}", self.rubrics.keys().cloned().collect::<Vec<_>>().join(", ")))
            });
        }
        if let Some(p) = profile {
            if let Some(r) = self.rubrics.values().find(|r| r.profiles.iter().any(|x| x == p)) {
                return Ok(r);
            }
        }
        self.rubrics.get("default").ok_or_else(|| Error::invalid("assess.catalogue.default_rubric_missing", "the default rubric is missing"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_catalogue_loads_and_references_resolve() {
        let c = Catalogue::load().expect("catalogue");
        assert!(c.rubrics.contains_key("default"));
        assert!(c.control("hipaa:164.312(d)").is_some(), "person or entity authentication");
        assert!(c.control("iso27017:CLD.9.5.1").is_some());
        assert!(c.control("hipaa:nope").is_none());
        assert_eq!(c.rubric_for(None, Some("hecvat-4")).expect("hecvat").name, "hecvat");
        assert_eq!(c.rubric_for(None, Some("hecvat-3")).expect("hecvat 3").name, "hecvat-3");
        assert_eq!(c.rubric_for(None, Some("unknown")).expect("default").name, "default");
        assert!(c.rubric_for(Some("nope"), None).is_err());
    }

    #[test]
    fn bad_rubrics_are_explained() {
        let e = Rubric::parse("name='x'\ntitle='x'\n[[domain]]\nid='a'\ntitle='A'\nweight=0\n", "x.toml").expect_err("weight");
        assert!(e.to_string().contains("positive weight"), "{e}");
        let e = Rubric::parse("name='x'\ntitle='x'\n[[domain]]\nid='a'\ntitle='A'\nweight=1\n[[question]]\nref='Q1'\ndomain='b'\nexpected='Yes'\ncriticality='high'\n", "x.toml").expect_err("domain");
        assert!(e.to_string().contains("does not define"), "{e}");
    }
}
