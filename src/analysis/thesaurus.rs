//! The security thesaurus: concepts whose terms mean the same in questionnaires (MFA = 2FA =
//! two-factor), and concepts that must not be confused (at rest ≠ in transit). The data lives in
//! `questionnaires/thesaurus.toml` (embedded); a user file adds to it.

use crate::error::{Error, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

const EMBEDDED: &str = include_str!("../../questionnaires/thesaurus.toml");

#[derive(Debug, Clone, Deserialize)]
pub struct Concept {
    pub name: String,
    pub terms: Vec<String>,
    #[serde(default)]
    pub opposes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct Thesaurus {
    #[serde(default, rename = "concept")]
    pub concepts: Vec<Concept>,
}

impl Thesaurus {
    /// The embedded thesaurus only.
    pub fn embedded() -> Result<Thesaurus> {
        Self::parse(EMBEDDED, "questionnaires/thesaurus.toml (embedded)")
    }

    /// The embedded thesaurus plus the user's: `QUIRE_THESAURUS`, else `thesaurus.toml` in the
    /// folder of the library (`library_dir`), when it exists.
    pub fn load(library_dir: Option<&Path>) -> Result<Thesaurus> {
        let mut t = Self::embedded()?;
        let user: Option<PathBuf> = std::env::var_os("QUIRE_THESAURUS")
            .map(PathBuf::from)
            .or_else(|| library_dir.map(|d| d.join("thesaurus.toml")).filter(|p| p.is_file()));
        if let Some(path) = user {
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            t.merge(Self::parse(&text, &path.display().to_string())?);
        }
        Ok(t)
    }

    pub fn parse(text: &str, origin: &str) -> Result<Thesaurus> {
        let t: Thesaurus = toml::from_str(text)
            .map_err(|e| Error::invalid("analysis.thesaurus.thesaurus_each_concept_needs", format!("thesaurus {origin}: {e}; each concept needs `name` and `terms`, see questionnaires/thesaurus.toml")))?;
        for c in &t.concepts {
            if c.name.is_empty() || !c.name.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_') {
                return Err(Error::invalid("analysis.thesaurus.thesaurus_concept_name_letters", format!("thesaurus {origin}: concept name {:?} must be letters, digits or _", c.name)));
            }
            if c.terms.is_empty() {
                return Err(Error::invalid("analysis.thesaurus.thesaurus_concept_terms", format!("thesaurus {origin}: concept {} has no terms", c.name)));
            }
        }
        Ok(t)
    }

    /// Adds another thesaurus: a concept with a known name gains its terms and oppositions.
    pub fn merge(&mut self, other: Thesaurus) {
        for c in other.concepts {
            match self.concepts.iter_mut().find(|x| x.name == c.name) {
                Some(x) => {
                    x.terms.extend(c.terms);
                    x.opposes.extend(c.opposes);
                }
                None => self.concepts.push(c),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_thesaurus_parses_and_oppositions_name_known_concepts() {
        let t = Thesaurus::embedded().unwrap();
        assert!(t.concepts.len() > 40);
        for c in &t.concepts {
            for o in &c.opposes {
                assert!(t.concepts.iter().any(|x| &x.name == o), "{} opposes unknown {o}", c.name);
            }
        }
    }

    #[test]
    fn user_concepts_merge_by_name() {
        let mut t = Thesaurus::embedded().unwrap();
        let n = t.concepts.len();
        t.merge(Thesaurus::parse("[[concept]]\nname = \"mfa\"\nterms = [\"duo push\"]\n[[concept]]\nname = \"ztna\"\nterms = [\"zero trust\"]\n", "test").unwrap());
        assert_eq!(t.concepts.len(), n + 1);
        assert!(t.concepts.iter().find(|c| c.name == "mfa").unwrap().terms.iter().any(|x| x == "duo push"));
    }

    #[test]
    fn bad_user_thesaurus_is_explained() {
        let e = Thesaurus::parse("[[concept]]\nname = \"bad name\"\nterms = [\"x\"]\n", "mine.toml").unwrap_err().to_string();
        assert!(e.contains("mine.toml") && e.contains("bad name"), "{e}");
    }
}
