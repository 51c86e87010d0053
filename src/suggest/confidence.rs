//! Confidence: the probability that a suggestion is the right answer, through a logistic curve
//! fitted (logistic regression, `cargo bench --bench accuracy -- --fit`) on the ground-truth
//! pairs in shared/matching, their `none` rows and the near-miss set, and checked by that
//! benchmark on every set, with each set also held out of the fit in turn: at confidence ≥ 0.8
//! the top suggestion must be right at least 95% of the time.
//!
//! Two curves: `LEXICAL` (words only: similarity and margin) when there is no model, and
//! `FUSED` over the fused score, its margin, the cosine by meaning, the lexical similarity, the
//! share of the question's weight covered, and the two vetoes. A handful of numbers fitted over
//! more than a thousand queries cannot memorise individual pairs.
//!
//! Whatever the curve says, an answer is never confident (at most 0.6) when the library holds
//! conflicting answers to the question or when a decisive qualifier differs (`qualifiers`).

use super::Signals;

/// Words only: similarity, margin, intercept.
pub const LEXICAL: [f32; 3] = [4.98, 9.25, -2.49];
/// With meaning: score, margin, cosine, lexical similarity, coverage, opposed, mismatch, intercept.
pub const FUSED: [f32; 8] = [2.1701, 0.8022, 1.5431, 0.9530, 0.9923, -0.7449, -4.2052, -3.3960];
/// The most a capped suggestion (conflict, mismatch) can get.
pub const CAP: f32 = 0.6;

/// Words only: from the re-ranked similarity of the best match and its margin.
pub fn confidence(similarity: f32, margin: f32, conflict: bool) -> f32 {
    let [a, b, c] = LEXICAL;
    finish(a * similarity + b * margin + c, conflict)
}

/// The linear part of the fused curve for some signals and coefficients (benchmarks refit them).
pub fn fused_z(s: &Signals, w: &[f32; 8]) -> f32 {
    let x = features(s);
    w[7] + x.iter().zip(w).map(|(x, w)| x * w).sum::<f32>()
}

/// The fused curve's inputs, in `FUSED`'s order (without the intercept).
pub fn features(s: &Signals) -> [f32; 7] {
    [s.score, s.margin, s.meaning.unwrap_or(0.0), s.lexical, s.coverage, s.opposed as u8 as f32, s.mismatch as u8 as f32]
}

/// The confidence of a suggestion from its signals: the fused curve when it matched with
/// meaning, the lexical one otherwise; capped on a conflict or a decisive mismatch.
pub fn of(s: &Signals, conflict: bool) -> f32 {
    let p = match s.meaning {
        Some(_) => finish(fused_z(s, &FUSED), conflict),
        None => confidence(s.score, s.margin, conflict),
    };
    if s.mismatch {
        p.min(CAP)
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

    #[test]
    fn confidence_rises_with_similarity_and_margin() {
        assert!(confidence(1.0, 0.5, false) > 0.9);
        assert!(confidence(0.3, 0.0, false) < 0.35);
        assert!(confidence(0.3, 0.0, false) < confidence(0.6, 0.0, false));
        assert!(confidence(0.7, 0.2, false) > confidence(0.7, 0.0, false));
        assert!(confidence(1.0, 0.5, true) <= 0.6);
        for s in [0.0, 0.5, 1.0] {
            let c = confidence(s, -1.0, false);
            assert!((0.0..=1.0).contains(&c));
        }
    }

    #[test]
    fn fused_confidence_rises_with_meaning_and_is_capped_by_vetoes() {
        let s = |score: f32, cos: f32| Signals { score, margin: 0.1, lexical: score.min(cos), meaning: Some(cos), coverage: score.min(cos), bm25_share: 1.0, opposed: false, mismatch: false };
        assert!(of(&s(0.9, 0.9), false) > of(&s(0.6, 0.6), false));
        assert!(of(&s(1.0, 1.0), false) > 0.8);
        assert!(of(&s(0.3, 0.3), false) < 0.5);
        assert!(of(&Signals { mismatch: true, ..s(1.0, 1.0) }, false) <= CAP);
        assert!(of(&s(1.0, 1.0), true) <= CAP);
        // Without a cosine, the lexical curve.
        assert_eq!(of(&Signals { meaning: None, ..s(0.7, 0.0) }, false), confidence(0.7, 0.1, false));
    }
}
