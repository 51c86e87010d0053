//! Decisive qualifiers: the few words that make two otherwise alike questions ask different
//! things ("encrypted at rest" vs "in transit", a SOC 1 vs a SOC 2 report, administrator vs
//! customer accounts, backups located where vs data located where). Neither shared words nor a
//! sentence embedding see them reliably (such pairs reach cosine 0.83), so a suggestion whose
//! question names only *other* members of a group than the question asked is a mismatch: it may
//! still be shown, never with a confident answer.
//!
//! The groups live in `questionnaires/qualifiers.toml` (embedded); a user's `qualifiers.toml`
//! beside the library (or `QUIRE_QUALIFIERS=FILE`) adds groups or members.

use crate::error::{Error, Result};
use regex::Regex;
use serde::Deserialize;
use std::path::{Path, PathBuf};

const EMBEDDED: &str = include_str!("../../questionnaires/qualifiers.toml");

#[derive(Debug, Deserialize)]
struct File {
    #[serde(default, rename = "qualifier_group")]
    groups: Vec<GroupSpec>,
}

#[derive(Debug, Deserialize)]
struct GroupSpec {
    name: String,
    #[serde(default)]
    context: Option<String>,
    #[serde(default)]
    one_sided: bool,
    #[serde(default, rename = "member")]
    members: Vec<MemberSpec>,
}

#[derive(Debug, Deserialize)]
struct MemberSpec {
    name: String,
    patterns: Vec<String>,
    #[serde(default)]
    not_after: Vec<String>,
}

struct Member {
    name: String,
    patterns: Vec<Regex>,
    not_after: Vec<String>,
}

struct Group {
    name: String,
    context: Option<Regex>,
    /// A text naming a member differs from one naming none of the group's members too (who is
    /// *trained* in something is not whether it is done).
    one_sided: bool,
    members: Vec<Member>,
}

/// The loaded groups. Cheap to query from many threads.
pub struct Qualifiers {
    groups: Vec<Group>,
    /// Every member pattern at once (one pass over a text finds which may match), and for each
    /// pattern of the set its (group, member, pattern) indexes.
    any: regex::RegexSet,
    owners: Vec<(usize, usize, usize)>,
}

/// Which members of which groups a text names: `(group, bit set of members)`, groups in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags(Vec<(u16, u64)>);

/// Two texts that name different members of one group and none in common.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub group: String,
    /// Members the question asked names.
    pub asked: Vec<String>,
    /// Members the suggested entry's question names.
    pub answered: Vec<String>,
}

impl Mismatch {
    /// In words, for an explanation: "data_state: at_rest vs in_transit" ("training: trained vs
    /// none" for a one-sided group).
    pub fn describe(&self) -> String {
        let side = |names: &[String]| if names.is_empty() { "none".to_string() } else { names.join("/") };
        format!("{}: {} vs {}", self.group, side(&self.asked), side(&self.answered))
    }
}

impl Qualifiers {
    /// No groups (nothing is ever a mismatch).
    pub fn none() -> Qualifiers {
        Qualifiers { groups: Vec::new(), any: regex::RegexSet::empty(), owners: Vec::new() }
    }

    /// The groups with their combined pattern set.
    fn indexed(groups: Vec<Group>) -> Result<Qualifiers> {
        let mut owners = Vec::new();
        let mut patterns = Vec::new();
        for (g, group) in groups.iter().enumerate() {
            for (m, member) in group.members.iter().enumerate() {
                for (p, pattern) in member.patterns.iter().enumerate() {
                    owners.push((g, m, p));
                    patterns.push(pattern.as_str().to_string());
                }
            }
        }
        let any = regex::RegexSetBuilder::new(&patterns)
            .size_limit(64 << 20)
            // The lazy DFA's cache: at the default 2 MB, the ~400 patterns together fill it
            // so often that the search falls back to the slow NFA (34 µs a question, measured
            // on 24,000 library questions; 5 µs with this room). It grows only as used.
            .dfa_size_limit(16 << 20)
            .build()
            .map_err(|e| Error::invalid("suggest.qualifiers.qualifiers_patterns_together_too", format!("qualifiers: the patterns together are too large to use ({e}); remove some")))?;
        Ok(Qualifiers { groups, any, owners })
    }

    /// The embedded groups only.
    pub fn embedded() -> Result<Qualifiers> {
        Self::parse(EMBEDDED, "questionnaires/qualifiers.toml (embedded)")
    }

    /// The embedded groups plus the user's: `QUIRE_QUALIFIERS`, else `qualifiers.toml` in the
    /// library's folder, when it exists. A member of a group with a known name joins that group.
    pub fn load(library_dir: Option<&Path>) -> Result<Qualifiers> {
        let mut q = Self::embedded()?;
        let user: Option<PathBuf> = std::env::var_os("QUIRE_QUALIFIERS")
            .map(PathBuf::from)
            .or_else(|| library_dir.map(|d| d.join("qualifiers.toml")).filter(|p| p.is_file()));
        if let Some(path) = user {
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            let other = Self::parse(&text, &path.display().to_string())?;
            for g in other.groups {
                match q.groups.iter_mut().find(|x| x.name == g.name) {
                    Some(x) => x.members.extend(g.members),
                    None => q.groups.push(g),
                }
            }
        }
        if q.groups.len() > u16::MAX as usize || q.groups.iter().any(|g| g.members.len() > 64) {
            return Err(Error::invalid("suggest.qualifiers.qualifiers_most_groups_most", "qualifiers: at most 65,535 groups of at most 64 members each"));
        }
        Self::indexed(q.groups)
    }

    pub fn parse(text: &str, origin: &str) -> Result<Qualifiers> {
        let file: File = toml::from_str(text).map_err(|e| {
            Error::invalid("suggest.qualifiers.qualifiers_each_qualifier_group", format!("qualifiers {origin}: {e}; each [[qualifier_group]] needs `name` and [[qualifier_group.member]] entries with `name` and `patterns`, see questionnaires/qualifiers.toml"))
        })?;
        let regex = |p: &str, what: &str| {
            Regex::new(p).map_err(|e| Error::invalid("suggest.qualifiers.qualifiers_pattern_valid_regular", format!("qualifiers {origin}: {what}: pattern {p:?} is not a valid regular expression: {e}")))
        };
        let mut groups = Vec::with_capacity(file.groups.len());
        for g in file.groups {
            let fewest = if g.one_sided { 1 } else { 2 };
            if g.members.len() < fewest || g.members.len() > 64 {
                return Err(Error::invalid(
                    "suggest.qualifiers.qualifiers_group_needs_between",
                    format!("qualifiers {origin}: group {} needs between {fewest} and 64 members", g.name),
                ));
            }
            let context = g.context.as_deref().map(|c| regex(c, &g.name)).transpose()?;
            let mut members = Vec::with_capacity(g.members.len());
            for m in g.members {
                if m.patterns.is_empty() {
                    return Err(Error::invalid("suggest.qualifiers.qualifiers_member_group_patterns", format!("qualifiers {origin}: member {} of group {} has no patterns", m.name, g.name)));
                }
                let patterns = m.patterns.iter().map(|p| regex(p, &format!("{}.{}", g.name, m.name))).collect::<Result<Vec<_>>>()?;
                members.push(Member { name: m.name, patterns, not_after: m.not_after });
            }
            groups.push(Group { name: g.name, context, one_sided: g.one_sided, members });
        }
        Self::indexed(groups)
    }

    /// The members a text names, group by group (case ignored; whole words only). One pass of
    /// the combined pattern set finds the candidates; only those are checked one by one.
    pub fn tags(&self, text: &str) -> Tags {
        let lower = text.to_lowercase();
        let mut bits: Vec<(u16, u64)> = Vec::new();
        let mut context: Vec<Option<bool>> = vec![None; self.groups.len()];
        for i in self.any.matches(&lower).iter() {
            let (g, m, p) = self.owners[i];
            let group = &self.groups[g];
            let in_context = *context[g].get_or_insert_with(|| group.context.as_ref().is_none_or(|c| c.is_match(&lower)));
            let member = &group.members[m];
            if !in_context || !names(&lower, &member.patterns[p], &member.not_after) {
                continue;
            }
            match bits.iter_mut().find(|(x, _)| *x as usize == g) {
                Some((_, b)) => *b |= 1 << m,
                None => bits.push((g as u16, 1 << m)),
            }
        }
        bits.sort_unstable();
        Tags(bits)
    }

    /// The first group in which the asked question and the entry's question both name members
    /// and share none of them, or, for a one-sided group, in which only one of them names any.
    pub fn mismatch(&self, asked: &Tags, answered: &Tags) -> Option<Mismatch> {
        let (mut i, mut j) = (0, 0);
        let differ = |g: u16, a: u64, b: u64| {
            let g = &self.groups[g as usize];
            let names = |bits: u64| g.members.iter().enumerate().filter(|(k, _)| bits & (1 << k) != 0).map(|(_, m)| m.name.clone()).collect();
            Some(Mismatch { group: g.name.clone(), asked: names(a), answered: names(b) })
        };
        // Both lists are in group order: walk them together, the smaller group first.
        loop {
            let (a, b) = (asked.0.get(i).copied(), answered.0.get(j).copied());
            let group = |t: Option<(u16, u64)>| t.map_or(u32::MAX, |(g, _)| u32::from(g));
            let (ka, kb) = (group(a), group(b));
            if ka == u32::MAX && kb == u32::MAX {
                return None;
            }
            let g = ka.min(kb) as u16;
            let x = a.filter(|_| ka <= kb).map_or(0, |t| t.1);
            let y = b.filter(|_| kb <= ka).map_or(0, |t| t.1);
            // Both name the group and share no member; or only one names it, and it is one-sided.
            if (ka == kb && x & y == 0) || (ka != kb && self.groups[g as usize].one_sided) {
                return differ(g, x, y);
            }
            if ka <= kb {
                i += 1;
            }
            if kb <= ka {
                j += 1;
            }
        }
    }

    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

/// Whether `pattern` matches `text` as whole words (no letter or digit right before or after)
/// and not right after one of `not_after`.
fn names(text: &str, pattern: &Regex, not_after: &[String]) -> bool {
    pattern.find_iter(text).any(|m| {
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        !word(before) && !word(after) && !not_after.iter().any(|n| text[..m.start()].ends_with(n.as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mismatch(a: &str, b: &str) -> Option<String> {
        let q = Qualifiers::embedded().unwrap();
        q.mismatch(&q.tags(a), &q.tags(b)).map(|m| m.describe())
    }

    #[test]
    fn decisive_differences_are_found() {
        assert!(mismatch("Is customer data encrypted at rest?", "Is customer data encrypted in transit?").unwrap().starts_with("data_state"));
        assert!(mismatch("Can you provide your most recent SOC 1 Type II report?", "Can you provide your most recent SOC 2 Type II report?").unwrap().starts_with("report_kind"));
        assert!(mismatch("Is data encrypted in use?", "Is data encrypted at rest?").is_some());
        assert!(mismatch("Do you carry cyber liability insurance?", "Do you carry general liability insurance?").is_some());
        assert!(mismatch("Is MFA required for administrator accounts?", "Is MFA available for customer accounts?").is_some());
        assert!(mismatch("Where are backups located?", "List the locations where customer data is stored.").is_some());
    }

    #[test]
    fn a_one_sided_group_separates_naming_it_from_not() {
        let m = mismatch("Have your developers been trained in secure coding techniques?", "Was your application developed using secure coding techniques?");
        assert_eq!(m.as_deref(), Some("training: trained vs none"));
        assert_eq!(mismatch("Was your application developed using secure coding?", "Are developers trained in secure coding?").as_deref(), Some("training: none vs trained"));
        // Both about training, in other words: the same.
        assert_eq!(mismatch("Do you have a security awareness program?", "Is security training given to all employees?"), None);
        // A one-sided group after a symmetric one that both name and share.
        assert!(mismatch("Is data at rest encrypted, and are staff trained on it?", "Is data encrypted at rest?").unwrap().starts_with("training"));
        let q = Qualifiers::parse("[[qualifier_group]]\nname = \"x\"\none_sided = true\n[[qualifier_group.member]]\nname = \"a\"\npatterns = [\"alpha\"]\n", "mine.toml").unwrap();
        assert!(q.mismatch(&q.tags("alpha one"), &q.tags("beta one")).is_some());
        assert!(q.mismatch(&q.tags("beta one"), &q.tags("beta two")).is_none());
    }

    #[test]
    fn which_events_a_log_records() {
        assert!(mismatch(
            "Does the application log record access including specific user, date/time of access, and originating IP or device?",
            "Does the application log administrative activity, such as user account access changes and password changes, including specific user, date/time of changes, and originating IP or device?"
        )
        .unwrap()
        .starts_with("logged_event"));
        assert_eq!(mismatch("Are failed logins logged?", "Do audit logs record sign-in attempts?"), None);
    }

    #[test]
    fn the_same_or_unqualified_questions_do_not_mismatch() {
        assert_eq!(mismatch("Is data encrypted at rest?", "Is stored data encrypted at-rest with AES-256?"), None);
        assert_eq!(mismatch("Is data encrypted at rest and in transit?", "Is data encrypted in transit?"), None);
        // One side silent about the group: nothing decisive to compare.
        assert_eq!(mismatch("Is customer data encrypted?", "Is customer data encrypted at rest?"), None);
        assert_eq!(mismatch("Do you have an incident response plan?", "Is there a documented incident response plan?"), None);
    }

    #[test]
    fn whole_words_context_and_not_after() {
        // "soc 2" inside a longer token is not SOC 2; "non-production" is not production.
        assert_eq!(mismatch("Are production systems patched?", "Are non-production systems patched?").map(|m| m.contains("environment")), Some(true));
        let q = Qualifiers::embedded().unwrap();
        assert_eq!(q.tags("Is non-production data masked?"), q.tags("Is non-production data masked? (staging)"));
        // "internal"/"external" count only in questions about audits, scans or tests.
        assert_eq!(mismatch("Do you have internal network segmentation?", "Is there external network segmentation?"), None);
        assert!(mismatch("Do you conduct internal audits?", "Do you conduct external audits?").is_some());
    }

    #[test]
    fn user_groups_are_checked_and_explained() {
        let e = Qualifiers::parse("[[qualifier_group]]\nname = \"x\"\n[[qualifier_group.member]]\nname = \"a\"\npatterns = [\"(\"]\n[[qualifier_group.member]]\nname = \"b\"\npatterns = [\"b\"]\n", "mine.toml").err().unwrap().to_string();
        assert!(e.contains("mine.toml") && e.contains("x.a"), "{e}");
        let e = Qualifiers::parse("[[qualifier_group]]\nname = \"x\"\n[[qualifier_group.member]]\nname = \"a\"\npatterns = [\"a\"]\n", "mine.toml").err().unwrap().to_string();
        assert!(e.contains("between 2 and 64"), "{e}");
    }
}
