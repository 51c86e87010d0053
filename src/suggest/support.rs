//! Which evidence documents support a question: documents a person linked to the suggested
//! entry come first (confirmed), then documents whose title and text cover the question's key
//! terms (a SOC 2 report for "Can you provide your SOC 2 Type II report?", the encryption policy
//! for encryption questions). Expired documents are still shown, flagged, so nobody sends them.

use super::index::Matcher;
use super::EvidenceRef;
use crate::library::EvidenceText;
use std::collections::{HashMap, HashSet};

/// How much of a question's weight a document must cover to be suggested.
const MIN_SCORE: f32 = 0.45;
/// At most this many documents found by text per question.
const MAX_FOUND: usize = 3;

struct Doc {
    id: i64,
    title: String,
    expired: bool,
    title_terms: HashSet<String>,
    text_terms: HashSet<String>,
}

pub struct EvidenceIndex {
    docs: Vec<Doc>,
    /// entry id → linked evidence ids.
    links: HashMap<i64, Vec<i64>>,
}

impl EvidenceIndex {
    pub fn new(matcher: &Matcher, texts: Vec<EvidenceText>, links: Vec<(i64, i64)>) -> EvidenceIndex {
        let a = matcher.analyzer();
        let v = matcher.vocabulary();
        let docs = texts
            .into_iter()
            .map(|t| Doc {
                id: t.id,
                title_terms: a.terms(&t.title, v).into_iter().collect(),
                text_terms: a.terms(&t.text, v).into_iter().collect(),
                title: t.title,
                expired: t.expired,
            })
            .collect();
        let mut map: HashMap<i64, Vec<i64>> = HashMap::new();
        for (e, d) in links {
            map.entry(e).or_default().push(d);
        }
        EvidenceIndex { docs, links: map }
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Evidence for a question (its weighted terms) answered by `entry_id`.
    pub fn for_question(&self, terms: &[(String, f32)], entry_id: Option<i64>) -> Vec<EvidenceRef> {
        let mut out: Vec<EvidenceRef> = Vec::new();
        if let Some(linked) = entry_id.and_then(|e| self.links.get(&e)) {
            for id in linked {
                if let Some(d) = self.docs.iter().find(|d| d.id == *id) {
                    out.push(EvidenceRef { id: d.id, title: d.title.clone(), expired: d.expired, confirmed: true });
                }
            }
        }
        let total: f32 = terms.iter().map(|(_, w)| w).sum();
        if total <= 0.0 {
            return out;
        }
        let mut found: Vec<(f32, &Doc)> = self
            .docs
            .iter()
            .filter(|d| !out.iter().any(|o| o.id == d.id))
            .map(|d| {
                let cover = |set: &HashSet<String>| terms.iter().filter(|(t, _)| set.contains(t)).map(|(_, w)| w).sum::<f32>() / total;
                (0.6 * cover(&d.title_terms) + 0.4 * cover(&d.text_terms), d)
            })
            .filter(|(s, _)| *s >= MIN_SCORE)
            .collect();
        found.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.id.cmp(&b.1.id)));
        out.extend(found.into_iter().take(MAX_FOUND).map(|(_, d)| EvidenceRef { id: d.id, title: d.title.clone(), expired: d.expired, confirmed: false }));
        out
    }
}
