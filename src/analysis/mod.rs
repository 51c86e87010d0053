//! Text analysis shared by matching (`suggest`) and scoring (`assess`), which both compare
//! questions by their terms: lower-case words, English stems (Porter2, via
//! rust-stemmers), stop words dropped, thesaurus phrases replaced by their concept ("two-factor
//! authentication" and "MFA" both become `#mfa`), and words that real exports ran together
//! ("updatedat") split again against the vocabulary the library knows.

pub mod thesaurus;

use thesaurus::Thesaurus;
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::{HashMap, HashSet};

/// A concept term is written `#name`; any other term is a stem.
pub const CONCEPT_MARK: char = '#';

/// Words that carry no meaning for matching. Kept short on purpose: "not", "no", "all", "any"
/// and the like stay, because they change what a question asks.
pub(crate) const STOP_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "by", "with", "at", "as", "from", "into", "is", "are",
    "was", "were", "be", "been", "being", "do", "does", "did", "you", "your", "yours", "we", "our", "ours", "us", "it",
    "its", "this", "that", "these", "those", "there", "their", "they", "them", "which", "who", "whom", "what", "how",
    "if", "such", "so", "than", "then", "has", "have", "had", "can", "could", "will", "would", "shall", "should", "may",
    "might", "must", "e", "g", "eg", "ie", "i", "etc", "please", "provide", "describe", "explain", "organization",
    "organisation", "organizational", "company", "s",
];

/// One term of an analysed text, with the words it came from (for explanations).
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub term: String,
    pub surface: String,
}

/// Turns text into terms. Built once (thesaurus phrases stemmed) and shared.
pub struct Analyzer {
    stemmer: Stemmer,
    stop: HashSet<&'static str>,
    /// Single words as written → concept name.
    singles: HashMap<String, String>,
    /// First stem of a phrase → (the phrase's stems, concept), longest first.
    phrases: HashMap<String, Vec<(Vec<String>, String)>>,
    /// Concept → concepts it must not be confused with.
    pub opposes: HashMap<String, Vec<String>>,
}

impl Analyzer {
    pub fn new(thesaurus: &Thesaurus) -> Analyzer {
        let stemmer = Stemmer::create(Algorithm::English);
        let stop = STOP_WORDS.iter().copied().collect();
        let mut a = Analyzer { stemmer, stop, singles: HashMap::new(), phrases: HashMap::new(), opposes: HashMap::new() };
        for c in &thesaurus.concepts {
            for term in &c.terms {
                let ws = words(term);
                // A single word matches as written: its stem may be another word's
                // ("accessibility" and "access" share the stem "access"). Phrases match by stems.
                match ws.len() {
                    0 => {}
                    1 => {
                        a.singles.entry(ws[0].clone()).or_insert_with(|| c.name.clone());
                    }
                    _ => {
                        let stems: Vec<String> = ws.iter().map(|w| a.stem(w)).collect();
                        let list = a.phrases.entry(stems[0].clone()).or_default();
                        if !list.iter().any(|(p, _)| *p == stems) {
                            list.push((stems, c.name.clone()));
                        }
                    }
                }
            }
            if !c.opposes.is_empty() {
                a.opposes.entry(c.name.clone()).or_default().extend(c.opposes.iter().cloned());
            }
        }
        for list in a.phrases.values_mut() {
            list.sort_by(|x, y| y.0.len().cmp(&x.0.len()));
        }
        a
    }

    pub fn stem(&self, word: &str) -> String {
        self.stemmer.stem(word).into_owned()
    }

    pub fn is_stop(&self, word: &str) -> bool {
        self.stop.contains(word)
    }

    /// A word's analysis: the pieces it splits into against `vocabulary` (itself when it does
    /// not split) and their stems. Depends only on the word and the vocabulary, so a library's
    /// questions share it per distinct word (`terms_of_words`).
    pub fn word_parts(&self, word: &str, vocabulary: &HashMap<String, u32>) -> WordParts {
        let raw = split_run_together(word, vocabulary).unwrap_or_else(|| vec![word.to_string()]);
        let stems = raw.iter().map(|w| self.stem(w)).collect();
        WordParts { raw, stems }
    }

    /// The terms of `text`, in order. `vocabulary` (surface words the library knows, with
    /// counts) lets run-together words be split; pass an empty map to skip that.
    pub fn analyse(&self, text: &str, vocabulary: &HashMap<String, u32>) -> Vec<Token> {
        let parts: Vec<WordParts> = words(text).iter().map(|w| self.word_parts(w, vocabulary)).collect();
        let raw: Vec<&str> = parts.iter().flat_map(|p| p.raw.iter().map(String::as_str)).collect();
        let stems: Vec<&str> = parts.iter().flat_map(|p| p.stems.iter().map(String::as_str)).collect();
        self.tokens(&raw, &stems).into_iter().map(|(term, at, len)| Token { term: term.text(), surface: raw[at..at + len].join(" ") }).collect()
    }

    /// Just the terms.
    pub fn terms(&self, text: &str, vocabulary: &HashMap<String, u32>) -> Vec<String> {
        self.analyse(text, vocabulary).into_iter().map(|t| t.term).collect()
    }

    /// Thesaurus phrases, single-word concepts and stop words applied to a text's words and
    /// their stems: (term, first word, word count) in order.
    pub(crate) fn tokens<'a>(&'a self, raw: &[&'a str], stems: &[&'a str]) -> Vec<(TermRef<'a>, usize, usize)> {
        let mut out = Vec::with_capacity(raw.len());
        let mut i = 0;
        'outer: while i < raw.len() {
            // Longest thesaurus phrase starting here wins, then a single word.
            if let Some(list) = self.phrases.get(stems[i]) {
                for (phrase, concept) in list {
                    let len = phrase.len();
                    if i + len <= stems.len() && stems[i..i + len].iter().zip(phrase).all(|(a, b)| *a == b.as_str()) {
                        out.push((TermRef::Concept(concept), i, len));
                        i += len;
                        continue 'outer;
                    }
                }
            }
            if let Some(concept) = self.singles.get(raw[i]) {
                out.push((TermRef::Concept(concept), i, 1));
                i += 1;
                continue 'outer;
            }
            if !self.is_stop(raw[i]) && !(raw[i].len() == 1 && !raw[i].chars().all(|c| c.is_ascii_digit())) {
                out.push((TermRef::Stem(stems[i]), i, 1));
            }
            i += 1;
        }
        out
    }

    /// Every concept the thesaurus can produce.
    pub(crate) fn concepts(&self) -> impl Iterator<Item = &str> {
        self.singles.values().chain(self.phrases.values().flat_map(|l| l.iter().map(|(_, c)| c))).chain(self.opposes.iter().flat_map(|(c, os)| std::iter::once(c).chain(os))).map(String::as_str)
    }
}

/// A term before it is written out: a concept's name or a stem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum TermRef<'a> {
    Concept(&'a str),
    Stem(&'a str),
}

impl TermRef<'_> {
    pub(crate) fn text(self) -> String {
        match self {
            TermRef::Concept(c) => format!("{CONCEPT_MARK}{c}"),
            TermRef::Stem(s) => s.to_string(),
        }
    }
}

/// One word's pieces and their stems (`Analyzer::word_parts`).
#[derive(Debug, Clone)]
pub struct WordParts {
    pub raw: Vec<String>,
    pub stems: Vec<String>,
}

/// A text's words as `words` gives them, lower-cased into one buffer (one allocation per text
/// instead of one per word: analysing a whole library makes millions of words).
#[derive(Debug, Clone, Default)]
pub struct WordList {
    text: String,
    ends: Vec<u32>,
}

impl WordList {
    pub fn of(text: &str) -> WordList {
        let mut list = WordList { text: String::with_capacity(text.len()), ends: Vec::new() };
        for w in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            if w.contains('Σ') {
                // Final sigma depends on the word's end: str's own lower-casing knows it.
                list.text.push_str(&w.to_lowercase());
            } else {
                list.text.extend(w.chars().flat_map(char::to_lowercase));
            }
            list.ends.push(list.text.len() as u32);
        }
        list
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(self.ends.iter().copied()).map(|(a, b)| &self.text[a as usize..b as usize])
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// Lower-case alphanumeric words; everything else separates ("multi-factor" → multi, factor).
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

/// Longest piece `split_run_together` looks for: real words of questionnaires are shorter (the
/// longest common English words have about 20 letters), so a longer piece is never known.
pub const MAX_SPLIT_PIECE: usize = 24;

/// Splits a word that lost its spaces ("updatedat", "thirdparty") into known words, when the
/// word itself is unknown and a split into at most three known words (each seen at least twice,
/// one at least four letters long) exists. Prefers the fewest pieces.
///
/// Data-quality trap: some exports drop the line breaks inside a cell and with them the space,
/// so a question arrives as "…are reviewed andupdated at least annually". Without the split,
/// "andupdated" matches nothing and the question loses one of its key words.
///
/// Linear in the word: pieces are at most `MAX_SPLIT_PIECE` letters, so a word longer than three
/// of them cannot split and is not looked at (a 32,767-character cell of one "word" costs
/// nothing), and the known pieces starting at each position are found once.
pub fn split_run_together(word: &str, vocabulary: &HashMap<String, u32>) -> Option<Vec<String>> {
    let n = word.len();
    if n < 7 || n > 3 * MAX_SPLIT_PIECE || vocabulary.is_empty() || !word.is_ascii() || vocabulary.get(word).copied().unwrap_or(0) >= 2 {
        return None;
    }
    let known = |s: &str| vocabulary.get(s).copied().unwrap_or(0) >= 2;
    // ends[i]: every j such that word[i..j] is a known piece of two letters or more.
    let ends: Vec<Vec<usize>> = (0..n).map(|i| (i + 2..=n.min(i + MAX_SPLIT_PIECE)).filter(|&j| known(&word[i..j])).collect()).collect();
    let piece = |a: usize, b: usize| word[a..b].to_string();
    // Two pieces: prefer the split whose shorter piece is longest ("updated at" over "update dat").
    let best = ends[0]
        .iter()
        .copied()
        .filter(|&i| i <= n - 2 && ends[i].contains(&n) && (i >= 3 || n - i >= 3))
        .max_by_key(|&i| (i.min(n - i), std::cmp::Reverse(i)));
    if let Some(i) = best {
        return Some(vec![piece(0, i), piece(i, n)]);
    }
    // Three pieces: the first that fits, in order of the first cut, then the second.
    for &i in &ends[0] {
        for &j in ends.get(i).map(Vec::as_slice).unwrap_or(&[]) {
            if j < n && ends[j].contains(&n) && i.max(j - i).max(n - j) >= 4 {
                return Some(vec![piece(0, i), piece(i, j), piece(j, n)]);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyzer() -> Analyzer {
        Analyzer::new(&Thesaurus::embedded().unwrap())
    }

    #[test]
    fn synonyms_become_one_concept() {
        let a = analyzer();
        let none = HashMap::new();
        let t1 = a.terms("Is two-factor authentication required?", &none);
        let t2 = a.terms("Do you enforce MFA?", &none);
        assert!(t1.contains(&"#mfa".to_string()), "{t1:?}");
        assert!(t2.contains(&"#mfa".to_string()), "{t2:?}");
        let t3 = a.terms("Is ePHI encrypted while stored?", &none);
        assert_eq!(t3, vec!["#phi", "#encryption", "#at_rest"]);
        let t4 = a.terms("Is data encrypted in transit using TLS?", &none);
        assert!(t4.contains(&"#in_transit".to_string()) && !t4.contains(&"#at_rest".to_string()), "{t4:?}");
    }

    #[test]
    fn stems_and_stop_words() {
        let a = analyzer();
        let t = a.terms("Are the policies reviewed and updated?", &HashMap::new());
        assert_eq!(t, vec!["#policy", "review", "updat"]);
    }

    #[test]
    fn a_single_word_term_is_not_matched_through_its_stem() {
        // "accessibility" stems to "access": access control is not an accessibility question.
        let t = analyzer().terms("Is user access restricted?", &HashMap::new());
        assert!(t.contains(&"access".to_string()) && !t.iter().any(|x| x == "#accessibility"), "{t:?}");
    }

    #[test]
    fn run_together_words_are_split_against_the_vocabulary() {
        let vocab: HashMap<String, u32> = [("updated", 5), ("at", 9), ("and", 9), ("least", 4)].iter().map(|(w, n)| (w.to_string(), *n)).collect();
        assert_eq!(split_run_together("updatedat", &vocab), Some(vec!["updated".into(), "at".into()]));
        assert_eq!(split_run_together("andupdated", &vocab), Some(vec!["and".into(), "updated".into()]));
        assert_eq!(split_run_together("updated", &vocab), None);
        assert_eq!(split_run_together("unrelatedword", &vocab), None);
        let a = analyzer();
        assert_eq!(a.terms("reviewed andupdatedat least annually", &vocab), a.terms("reviewed and updated at least annually", &vocab));
    }

    #[test]
    fn splitting_is_linear_in_the_word() {
        // Issue 14: every three-way split of a word was tried, so a 32,767-character word (an
        // Excel cell's maximum) took hours and froze suggest and fill. Now a word that cannot
        // be three known pieces is not looked at, and a long one that can is split at once.
        let vocab: HashMap<String, u32> = [("third", 3), ("party", 3), ("vendors", 3), ("ab", 9), ("abab", 9)].iter().map(|(w, n)| (w.to_string(), *n)).collect();
        let long = "ab".repeat(32_767 / 2);
        assert_eq!(split_run_together(&long, &vocab), None);
        assert_eq!(split_run_together("thirdpartyvendors", &vocab), Some(vec!["third".into(), "party".into(), "vendors".into()]));
        let a = analyzer();
        let started = std::time::Instant::now();
        let cell = format!("{} {}", &long[..20_000], "vendor thirdparty ".repeat(600));
        assert!(cell.len() <= 32_767);
        let expected = a.terms(&long[..20_000], &vocab).len() + 600 * a.terms("vendor third party", &vocab).len();
        assert_eq!(a.terms(&cell, &vocab).len(), expected);
        // Not a timing assertion (CI machines are noisy): a guard against the old hours.
        assert!(started.elapsed().as_secs() < 60);
    }

    #[test]
    fn a_word_list_holds_the_same_words() {
        for t in ["Is MFA (two-factor) enforced?", "ΟΔΟΣ Σ σΣ ΣΑΣ", "İstanbul ǅemal STRASSE Straße", "", " -- ", "东京 データ 2FA", "ÀÉÎ x1 y-2"] {
            let list = WordList::of(t);
            assert_eq!(list.iter().collect::<Vec<_>>(), words(t), "{t:?}");
            assert_eq!(list.len(), words(t).len());
        }
    }

    #[test]
    fn hostile_text_does_not_panic() {
        let a = analyzer();
        let long = "ü".repeat(40_000);
        for s in ["", "   ", "=SUM(A1)", "<img src=x onerror=alert(1)>", "東京 データ 暗号化", "مرحبا", "🔐🔐", long.as_str()] {
            let _ = a.terms(s, &HashMap::new());
        }
    }
}
