//! Which rubric scores a questionnaire, and where each question sits in it. A rubric is chosen
//! by the questionnaire's family and generation (src/sheet/family.rs), never by its layout
//! alone; an ID match is trusted only after the file's question texts have been compared with
//! the rubric's own short topics (a HECVAT 2.x DOCU-01 is not the HECVAT 3 DOCU-01). When the
//! family's rubrics are for other versions or editions, the one whose topics the file's
//! questions match best is taken ("closest by question text"), questions are placed by text
//! where their ID cannot be trusted, and the ones nothing places are listed.

use super::catalogue::{ref_key, Catalogue, Rubric};
use super::score::Matcher;
use crate::sheet::model::Question;
use crate::sheet::family::{compare_versions, Recognition};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A question's text must cover this share of a topic's weighted terms to be placed by text.
pub const TEXT_MIN: f32 = 0.67;
/// The share of judged IDs that must agree with the file's texts for the IDs to be trusted.
pub const ID_TRUST: f32 = 0.7;
/// Fewer judged IDs than this say nothing; the generation decides.
const MIN_JUDGED: usize = 5;

/// Stems that say nothing about what a topic asks.
const TOPIC_FILLER: &[&str] = &["no", "not", "ani", "all", "scope", "repeat", "onli", "per", "via", "etc", "when", "use", "whether"];

/// The rubric's topics, analysed once, with inverse-document-frequency weights.
pub struct TopicIndex {
    /// Per rubric question (same order as `rubric.questions`): weighted terms and their sum.
    entries: Vec<Option<(Vec<(String, f32)>, f32)>>,
    by_ref: HashMap<String, usize>,
}

impl TopicIndex {
    pub fn new(rubric: &Rubric, matcher: &Matcher) -> TopicIndex {
        let sets: Vec<Option<HashSet<String>>> = rubric
            .questions
            .iter()
            .map(|q| {
                let t = q.topic.as_deref()?.trim();
                let set: HashSet<String> = matcher.terms(t).into_iter().filter(|x| !TOPIC_FILLER.contains(&x.as_str())).collect();
                (!set.is_empty()).then_some(set)
            })
            .collect();
        let n = sets.iter().flatten().count().max(1) as f32;
        let mut df: HashMap<&str, f32> = HashMap::new();
        for s in sets.iter().flatten() {
            for t in s {
                *df.entry(t.as_str()).or_default() += 1.0;
            }
        }
        let entries = sets
            .iter()
            .map(|s| {
                let s = s.as_ref()?;
                let terms: Vec<(String, f32)> = s.iter().map(|t| (t.clone(), (1.0 + n / df.get(t.as_str()).copied().unwrap_or(1.0)).ln())).collect();
                let total = terms.iter().map(|(_, w)| w).sum();
                Some((terms, total))
            })
            .collect();
        let by_ref = rubric.questions.iter().enumerate().map(|(i, q)| (ref_key(&q.reference), i)).collect();
        TopicIndex { entries, by_ref }
    }

    /// How much of entry `i`'s topic the question's terms cover (0–1), and how many terms.
    pub fn similarity(&self, i: usize, question: &HashSet<String>) -> Option<(f32, usize)> {
        let (terms, total) = self.entries.get(i)?.as_ref()?;
        let (w, n) = terms.iter().filter(|(t, _)| question.contains(t)).fold((0.0, 0), |(w, n), (_, x)| (w + x, n + 1));
        Some((if *total > 0.0 { w / total } else { 0.0 }, n))
    }

    /// The entry whose topic the question covers best (ties: the one more terms match, then
    /// the first).
    pub fn best(&self, question: &HashSet<String>) -> Option<(usize, f32, usize)> {
        let mut best: Option<(usize, f32, usize)> = None;
        for i in 0..self.entries.len() {
            if let Some((s, n)) = self.similarity(i, question) {
                if best.is_none_or(|(_, b, bn)| s > b + 1e-4 || ((s - b).abs() <= 1e-4 && n > bn)) {
                    best = Some((i, s, n));
                }
            }
        }
        best
    }

    /// Whether entry `i`'s topic is one thesaurus concept ("web application firewall" → one
    /// specific term), which places a question alone; any other topic needs two matched terms.
    pub fn is_one_concept(&self, i: usize) -> bool {
        self.entries.get(i).and_then(|e| e.as_ref()).is_some_and(|(t, _)| t.len() == 1 && t[0].0.starts_with(crate::analysis::CONCEPT_MARK))
    }

    pub fn entry_for(&self, reference: &str) -> Option<usize> {
        let k = ref_key(reference);
        if k.is_empty() {
            return None;
        }
        self.by_ref.get(&k).copied()
    }

    pub fn has_topics(&self) -> bool {
        self.entries.iter().any(Option::is_some)
    }
}

/// Where one question sits in the chosen rubric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Place {
    /// By its ID (trusted): the rubric question at this index.
    Id(usize),
    /// By its text: the rubric question at this index, and how well the text matched.
    Text(usize, f32),
    /// Not placed: classified from its words.
    Classify,
}

/// How a file's IDs compared with the rubric's topics.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IdCheck {
    /// Questions whose ID the rubric lists.
    pub listed: usize,
    /// Of those, whose text agrees / clearly disagrees with the rubric's topic for the ID.
    pub agreed: usize,
    pub disagreed: usize,
    /// Whether the rubric's IDs are taken to mean what the file's IDs mean.
    pub trusted: bool,
    /// Up to five IDs whose texts ask something else than the rubric's entry.
    pub examples: Vec<String>,
}

/// The placement of every question against one rubric.
pub struct Fit {
    pub places: Vec<Place>,
    pub id_check: IdCheck,
    pub by_id: usize,
    pub by_text: usize,
}

impl Fit {
    /// Share of questions placed by ID or text.
    pub fn coverage(&self) -> f32 {
        if self.places.is_empty() {
            0.0
        } else {
            (self.by_id + self.by_text) as f32 / self.places.len() as f32
        }
    }
}

/// Places `questions` (with their analysed terms) in `rubric`. `same_generation`: the file is of
/// the generation the rubric was written for, which decides when too few IDs can be judged.
/// `exact`: same generation and edition — then a trusted ID is overridden only when its text
/// shares nothing with the rubric's topic and clearly matches another entry (topics are short,
/// and a rubric's own questions must not be moved by a loose paraphrase); otherwise any ID whose
/// text clearly reads like another entry is placed by its text.
pub fn fit(rubric: &Rubric, index: &TopicIndex, questions: &[&Question], terms: &[HashSet<String>], same_generation: bool, exact: bool) -> Fit {
    let mut check = IdCheck::default();
    // Per question: (own entry, own similarity, best entry, best similarity, best term count).
    let mut seen = Vec::with_capacity(questions.len());
    for (q, t) in questions.iter().zip(terms) {
        let own = index.entry_for(&q.reference);
        let best = index.best(t);
        let own_sim = own.and_then(|i| index.similarity(i, t)).map(|(s, _)| s);
        let mut verdict = None;
        if let Some(o) = own {
            check.listed += 1;
            if let (Some(s), Some((b, bs, _))) = (own_sim, best) {
                if s >= 0.5 && s + 0.2 >= bs {
                    verdict = Some(true);
                } else if b != o && bs >= 0.6 && (s < 0.35 || bs - s >= 0.4) {
                    verdict = Some(false);
                    if check.examples.len() < 5 {
                        let other = &rubric.questions[b].reference;
                        check.examples.push(format!("{} reads like {} here", q.reference, other));
                    }
                }
            }
        }
        match verdict {
            Some(true) => check.agreed += 1,
            Some(false) => check.disagreed += 1,
            None => {}
        }
        seen.push((own, own_sim, best, verdict));
    }
    let judged = check.agreed + check.disagreed;
    check.trusted = if judged >= MIN_JUDGED { check.agreed as f32 / judged as f32 >= ID_TRUST } else { same_generation && check.listed > 0 };
    let (mut by_id, mut by_text) = (0, 0);
    let places = seen
        .into_iter()
        .map(|(own, own_sim, best, verdict)| {
            let clearly_other = verdict == Some(false) && if exact { own_sim.unwrap_or(0.0) < 0.1 && best.is_some_and(|(_, bs, _)| bs >= 0.8) } else { best.is_some_and(|(_, bs, _)| bs >= 0.7) };
            // Untrusted IDs: an ID is used only where its own entry is (all but) the best match.
            let own_is_best = verdict == Some(true) && own_sim.unwrap_or(0.0) + 0.05 >= best.map(|(_, bs, _)| bs).unwrap_or(0.0);
            if let Some(o) = own {
                if (check.trusted && !clearly_other) || own_is_best {
                    by_id += 1;
                    return Place::Id(o);
                }
            }
            match best {
                // Two terms at least, unless the topic is one specific concept ("#waf").
                Some((b, s, n)) if s >= TEXT_MIN && (n >= 2 || index.is_one_concept(b)) => {
                    by_text += 1;
                    Place::Text(b, s)
                }
                _ => Place::Classify,
            }
        })
        .collect();
    Fit { places, id_check: check, by_id, by_text }
}

/// Why and how a rubric was chosen, for the report, the CLI and the app.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RubricChoice {
    pub rubric: String,
    pub rubric_title: String,
    /// "named" (the analyst chose it), "version" (the rubric of the file's family and
    /// generation), "closest" (the family's rubric the question texts match best), "profile"
    /// (the layout's rubric, no family seen), "default".
    pub how: String,
    /// One sentence for the report.
    pub reason: String,
    pub recognition: Option<Recognition>,
    pub id_check: Option<IdCheck>,
    /// The file is newer than every version the rubric was checked against.
    pub newer_than_rubric: bool,
    /// Questions placed by ID, by text, classified from keywords, and guessed (no keyword).
    pub by_id: usize,
    pub by_text: usize,
    pub classified: usize,
    pub guessed: usize,
    /// Questions neither the rubric's IDs nor its topics place ("GNRL-16 Vendor hosting …").
    pub unplaced: Vec<String>,
    /// The other rubrics of the family and how much of the file each places (0–1).
    pub alternatives: Vec<Alternative>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "RubricAlternative"))]
pub struct Alternative {
    pub rubric: String,
    pub title: String,
    pub coverage: f32,
}

/// The chosen rubric with the placement of each question.
pub struct Chosen<'a> {
    pub rubric: &'a Rubric,
    pub places: Vec<Place>,
    pub choice: RubricChoice,
}

/// Same generation, the same edition when both say one, and a version the rubric was checked
/// against (a later point release may have renumbered a few questions).
fn exact(r: &Rubric, rec: Option<&Recognition>) -> bool {
    let edition = match (rec.and_then(|x| x.edition.as_deref()), r.edition.as_deref()) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    };
    let version = match rec.and_then(|x| x.version.as_deref()) {
        Some(v) => r.versions.is_empty() || r.versions.iter().any(|x| compare_versions(x, v) == std::cmp::Ordering::Equal),
        None => true,
    };
    same_generation(r, rec) && edition && version
}

fn same_generation(r: &Rubric, rec: Option<&Recognition>) -> bool {
    match (rec, &r.family, &r.generation) {
        (Some(rec), Some(f), Some(g)) => *f == rec.family && rec.generation.as_deref() == Some(g.as_str()),
        _ => false,
    }
}

fn newer(r: &Rubric, rec: Option<&Recognition>) -> bool {
    let Some(rec) = rec else { return false };
    if r.family.as_deref() != Some(rec.family.as_str()) {
        return false;
    }
    match (&rec.version, r.versions.iter().max_by(|a, b| compare_versions(a, b))) {
        (Some(v), Some(max)) => compare_versions(v, max) == std::cmp::Ordering::Greater,
        (None, _) => false,
        (Some(_), None) => false,
    }
}

/// Chooses the rubric for `questions`: the one named, else the family's, else the layout
/// profile's, else "default"; and places every question in it.
pub fn choose<'a>(
    catalogue: &'a Catalogue,
    indexes: &BTreeMap<String, TopicIndex>,
    named: Option<&str>,
    profile: Option<&str>,
    recognition: Option<&Recognition>,
    questions: &[&Question],
    terms: &[HashSet<String>],
) -> crate::error::Result<Chosen<'a>> {
    let default = catalogue.rubric_for(Some("default"), None)?;
    let fit_of = |r: &Rubric| indexes.get(&r.name).map(|ix| fit(r, ix, questions, terms, same_generation(r, recognition), exact(r, recognition)));
    let family_rubrics: Vec<&Rubric> = match recognition {
        Some(rec) => catalogue.rubrics.values().filter(|r| r.family.as_deref() == Some(rec.family.as_str())).collect(),
        None => Vec::new(),
    };
    let mut fits: Vec<(&Rubric, Fit)> = family_rubrics.iter().filter_map(|r| fit_of(r).map(|f| (*r, f))).collect();
    let alternatives: Vec<Alternative> = fits.iter().map(|(r, f)| Alternative { rubric: r.name.clone(), title: r.title.clone(), coverage: (f.coverage() * 100.0).round() / 100.0 }).collect();
    let label = recognition.map(|r| r.label());
    let (rubric, fit, how, reason) = if let Some(n) = named {
        let r = catalogue.rubric_for(Some(n), None)?;
        let f = fit_of(r);
        (r, f, "named", format!("rubric {} chosen by the analyst", r.title))
    } else if let Some(pos) = fits.iter().enumerate().filter(|(_, (r, f))| same_generation(r, recognition) && f.id_check.trusted).max_by(|a, b| a.1 .1.coverage().total_cmp(&b.1 .1.coverage())).map(|(i, _)| i) {
        let (r, f) = fits.swap_remove(pos);
        let c = &f.id_check;
        let reason = format!(
            "{} is scored with {}, the rubric written for this generation; its IDs were checked against the question texts ({} of {} judged agree)",
            label.clone().unwrap_or_default(),
            r.title,
            c.agreed,
            c.agreed + c.disagreed
        );
        (r, Some(f), "version", reason)
    } else if let Some(pos) = fits.iter().enumerate().filter(|(_, (_, f))| f.coverage() >= 0.3).max_by(|a, b| a.1 .1.coverage().total_cmp(&b.1 .1.coverage())).map(|(i, _)| i) {
        let (r, f) = fits.swap_remove(pos);
        let why = if f.id_check.trusted { "its IDs agree with the question texts" } else { "its IDs mean other things here, so questions are placed by their text" };
        let reason = format!(
            "no rubric is written for {}; the closest of the family by question text is {} ({:.0}% of the questions placed; {why})",
            label.clone().unwrap_or_default(),
            r.title,
            100.0 * f.coverage()
        );
        (r, Some(f), "closest", reason)
    } else if let Some(r) = recognition.is_none().then(|| profile.and_then(|p| catalogue.rubrics.values().find(|r| r.profiles.iter().any(|x| x == p)))).flatten() {
        let f = fit_of(r);
        (r, f, "profile", format!("no questionnaire family recognised; the layout profile {} has rubric {}", profile.unwrap_or(""), r.title))
    } else {
        let reason = match (&label, family_rubrics.is_empty()) {
            (Some(l), true) => format!("{l} is recognised, but Quire has no rubric for its family: questions are classified by the default rubric"),
            (Some(l), false) => format!("{l} is recognised, but none of the family's rubrics fits its questions: questions are classified by the default rubric"),
            (None, _) => "no questionnaire family recognised: questions are classified by the default rubric".to_string(),
        };
        (default, None, "default", reason)
    };
    let places = fit.as_ref().map(|f| f.places.clone()).unwrap_or_else(|| vec![Place::Classify; questions.len()]);
    let newer_than_rubric = newer(rubric, recognition);
    let mut reason = reason;
    if newer_than_rubric {
        let max = rubric.versions.iter().max_by(|a, b| compare_versions(a, b)).cloned().unwrap_or_default();
        reason.push_str(&format!(
            "; version {} is newer than the version the rubric was checked against ({max}): questions it does not know are placed by their text or listed as not placed",
            recognition.and_then(|r| r.version.clone()).unwrap_or_default()
        ));
    }
    if let (Some(rec), Some(re)) = (recognition, &rubric.edition) {
        if let (Some(e), Some(t)) = (&rec.edition, &rec.edition_title) {
            if e != re && how != "default" {
                reason.push_str(&format!("; the rubric is for the {re} edition, so {t} questions were checked and placed by their text"));
            }
        }
    }
    if let Some(f) = &fit {
        if !f.id_check.trusted && f.id_check.listed > 0 {
            reason.push_str(&format!(
                "; {} of the file's IDs are in the rubric, but {} of {} checked ask something else, so IDs were not trusted",
                f.id_check.listed,
                f.id_check.disagreed,
                f.id_check.agreed + f.id_check.disagreed
            ));
        }
    }
    let choice = RubricChoice {
        rubric: rubric.name.clone(),
        rubric_title: rubric.title.clone(),
        how: how.into(),
        reason,
        recognition: recognition.cloned(),
        id_check: fit.as_ref().map(|f| f.id_check.clone()),
        newer_than_rubric,
        by_id: fit.as_ref().map(|f| f.by_id).unwrap_or(0),
        by_text: fit.as_ref().map(|f| f.by_text).unwrap_or(0),
        classified: 0,
        guessed: 0,
        unplaced: Vec::new(),
        alternatives,
    };
    Ok(Chosen { rubric, places, choice })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Analyzer;
    use crate::analysis::thesaurus::Thesaurus;

    fn rubric() -> Rubric {
        let mut t = String::from("name='t'\ntitle='T'\nfamily='x'\ngeneration='3'\n[[domain]]\nid='a'\ntitle='A'\nweight=1\n");
        for (r, topic) in [("Q-01", "SOC 2 audit"), ("Q-02", "encryption at rest"), ("Q-03", "business continuity plan tested annually"), ("Q-04", "web application firewall"), ("Q-05", "background checks for staff"), ("Q-06", "security awareness training")] {
            t.push_str(&format!("[[question]]\nref='{r}'\ntopic='{topic}'\ndomain='a'\nexpected='Yes'\ncriticality='high'\n"));
        }
        Rubric::parse(&t, "t.toml").expect("rubric")
    }

    fn q(reference: &str, text: &str) -> Question {
        Question {
            sheet: "S".into(),
            row: 1,
            reference: reference.into(),
            text: text.into(),
            domain: String::new(),
            answer: "Yes".into(),
            answer_kind: None,
            comment: String::new(),
            answer_cell: None,
            choice_cells: Vec::new(),
            comment_cell: None,
        }
    }

    #[test]
    fn ids_are_trusted_only_when_the_texts_agree() {
        let th = Thesaurus::embedded().expect("thesaurus");
        let m = Matcher::new(Analyzer::new(&th), std::iter::empty());
        let r = rubric();
        let ix = TopicIndex::new(&r, &m);
        let texts = [
            "Have you undergone a SOC 2 audit?",
            "Is data encrypted at rest?",
            "Is your business continuity plan tested annually?",
            "Do you use a web application firewall?",
            "Do you run background checks on staff?",
            "Is security awareness training mandatory?",
        ];
        // Same IDs, same questions: trusted, every one placed by ID.
        let same: Vec<Question> = texts.iter().enumerate().map(|(i, t)| q(&format!("Q-0{}", i + 1), t)).collect();
        let refs: Vec<&Question> = same.iter().collect();
        let terms: Vec<HashSet<String>> = refs.iter().map(|x| m.terms(&x.text)).collect();
        let f = fit(&r, &ix, &refs, &terms, false, false);
        assert!(f.id_check.trusted, "{:?}", f.id_check);
        assert_eq!(f.by_id, 6);
        // The same questions under rotated IDs: not trusted, each placed by text on its own entry.
        let rotated: Vec<Question> = texts.iter().enumerate().map(|(i, t)| q(&format!("Q-0{}", (i + 1) % 6 + 1), t)).collect();
        let refs: Vec<&Question> = rotated.iter().collect();
        let f = fit(&r, &ix, &refs, &terms, true, true);
        assert!(!f.id_check.trusted && f.id_check.disagreed >= 5, "{:?}", f.id_check);
        for (i, p) in f.places.iter().enumerate() {
            assert!(matches!(p, Place::Text(e, _) if *e == i), "question {i}: {p:?}");
        }
        // A question no topic speaks to is left to classification.
        let other = [q("Z-01", "Is the blue widget calibrated every fortnight?")];
        let refs: Vec<&Question> = other.iter().collect();
        let terms: Vec<HashSet<String>> = refs.iter().map(|x| m.terms(&x.text)).collect();
        assert_eq!(fit(&r, &ix, &refs, &terms, false, false).places, vec![Place::Classify]);
    }
}
