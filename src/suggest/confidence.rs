//! Confidence: the probability that a suggestion is the right answer, through a logistic curve
//! fitted (logistic regression, `cargo bench --bench accuracy -- --fit`) on the ground-truth
//! pairs in shared/matching, their `none` rows, the near-miss set and Quire's own rewording set,
//! and checked by that benchmark on every set, with each set also held out of the fit in turn:
//! at confidence ≥ 0.8 the top suggestion must be right at least 95% of the time. A wrong top
//! suggestion weighs three right ones in the fit: a confident wrong answer is sent to the
//! customer, a blank one is only more work.
//!
//! Two curves: `LEXICAL` (words only: similarity and margin) when there is no model, and
//! `FUSED` over the fused score, its margin, the cosine by meaning, the lexical similarity, the
//! share of the question's weight covered, opposite concepts, and how distinctive a word swap is. A handful of numbers fitted over
//! more than a thousand queries cannot memorise individual pairs.
//!
//! Whatever the curve says, an answer is never confident (at most 0.6) when the library holds
//! conflicting answers to the question or when a decisive qualifier differs (`qualifiers`).

use super::Signals;

/// Words only: similarity, margin, coverage, substitution, intercept.
pub const LEXICAL: [f32; 5] = [1.9385, 1.5263, 4.1974, 0.0442, -3.9198];
/// With meaning: score, margin, cosine, lexical similarity, coverage, opposed, substitution,
/// intercept.
pub const FUSED: [f32; 8] = [12.9809, 4.3865, 0.8592, -11.6949, 4.4441, -5.2427, -1.1426, -6.8917];
/// The least an identical question (same words, no conflicting answer) gets.
pub const IDENTICAL: f32 = 0.95;
/// The most a capped suggestion (conflict, mismatch) can get.
pub const CAP: f32 = 0.6;

/// The lexical curve's inputs, in `LEXICAL`'s order (without the intercept).
pub fn lexical_features(s: &Signals) -> [f32; 4] {
    [s.score, s.margin, s.coverage, s.substitution]
}

fn linear<const N: usize>(x: [f32; N], w: &[f32]) -> f32 {
    w[N] + x.iter().zip(w).map(|(x, w)| x * w).sum::<f32>()
}

/// The linear part of the fused curve for some signals and coefficients (benchmarks refit them).
pub fn fused_z(s: &Signals, w: &[f32; 8]) -> f32 {
    linear(features(s), w)
}

/// The fused curve's inputs, in `FUSED`'s order (without the intercept).
pub fn features(s: &Signals) -> [f32; 7] {
    [s.score, s.margin, s.meaning.unwrap_or(0.0), s.lexical, s.coverage, s.opposed as u8 as f32, s.substitution]
}

/// The confidence of a suggestion from its signals: the fused curve when it matched with
/// meaning, the lexical one otherwise; capped on a conflict or a decisive mismatch.
pub fn of(s: &Signals, conflict: bool) -> f32 {
    let p = match s.meaning {
        Some(_) => finish(fused_z(s, &FUSED), conflict),
        None => finish(linear(lexical_features(s), &LEXICAL), conflict),
    };
    if s.mismatch {
        p.min(CAP)
    } else if s.lexical >= 1.0 && !conflict {
        // The library holds this very question (same words): the strongest evidence there is,
        // whatever the neighbours look like.
        p.max(IDENTICAL)
    } else {
        p
    }
}

fn finish(z: f32, conflict: bool) -> f32 {
    let p = 1.0 / (1.0 + (-z).exp());
    // Two different answers to the same question in the library: neither can be trusted blindly.
    let p = if conflict { p.min(CAP) } else { p };
    ((p * 1000.0).round() / 1000.0).min(0.999)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexical(similarity: f32, margin: f32, conflict: bool) -> f32 {
        of(&Signals { score: similarity, margin, lexical: similarity, meaning: None, coverage: similarity, bm25_share: 1.0, opposed: false, mismatch: false, substitution: 0.0 }, conflict)
    }

    #[test]
    fn confidence_rises_with_similarity_and_margin() {
        assert!(lexical(1.0, 0.5, false) > 0.9);
        assert!(lexical(0.3, 0.0, false) < 0.35);
        assert!(lexical(0.3, 0.0, false) < lexical(0.6, 0.0, false));
        assert!(lexical(0.7, 0.2, false) > lexical(0.7, 0.0, false));
        assert!(lexical(1.0, 0.5, true) <= 0.6);
        for s in [0.0, 0.5, 1.0] {
            let c = lexical(s, -1.0, false);
            assert!((0.0..=1.0).contains(&c));
        }
    }

    #[test]
    fn fused_confidence_rises_with_meaning_and_is_capped_by_vetoes() {
        // The best candidate, as the suggester scores it (`lex` for lexical and coverage).
        let s = |lex: f32, cos: f32| Signals { score: super::super::curve_score(super::super::fused_score(lex, cos, false), 1.0), margin: 0.3, lexical: lex, meaning: Some(cos), coverage: lex, bm25_share: 1.0, opposed: false, mismatch: false, substitution: 0.0 };
        assert!(of(&s(0.9, 0.9), false) > of(&s(0.6, 0.6), false));
        assert!(of(&s(1.0, 1.0), false) > 0.8);
        assert!(of(&s(0.3, 0.3), false) < 0.5);
        assert!(of(&Signals { mismatch: true, ..s(1.0, 1.0) }, false) <= CAP);
        assert!(of(&s(1.0, 1.0), true) <= CAP);
        // Without a cosine, the lexical curve.
        assert_eq!(of(&Signals { meaning: None, score: 0.7, margin: 0.1, ..s(0.7, 0.0) }, false), lexical(0.7, 0.1, false));
    }
}
