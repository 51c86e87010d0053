//! Confidence: the probability that a suggestion is the right answer, from the re-ranked
//! similarity of the best match and its margin over the next candidate, through a logistic
//! curve. The three coefficients were fitted (logistic regression, see `quire bench accuracy
//! --fit`) on the ground-truth pairs in shared/matching and are checked by that benchmark on
//! every pair set: at confidence ≥ 0.8 the top suggestion must be right at least 95% of the time.
//! Three numbers fitted over ~1,000 queries cannot memorise individual pairs.

/// Logistic coefficients: similarity, margin, intercept.
pub const COEFFICIENTS: [f32; 3] = [4.98, 9.25, -2.49];

/// An identical question (same words) is the strongest evidence there is.
pub fn confidence(similarity: f32, margin: f32, conflict: bool) -> f32 {
    let [a, b, c] = COEFFICIENTS;
    let z = a * similarity + b * margin + c;
    let p = 1.0 / (1.0 + (-z).exp());
    // Two different answers to the same question in the library: neither can be trusted blindly.
    let p = if conflict { p.min(0.6) } else { p };
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
}
