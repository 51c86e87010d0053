//! The suggester's cache: the analysed library questions (`index::Analysed`) as one binary blob,
//! kept inside the library file (table `suggest_cache`, migration 005) so that a later
//! `Suggester::from_library` loads the index instead of stemming, matching thesaurus phrases and
//! splitting run-together words in every question again.
//!
//! This module owns the blob's format and the key that says which analyser wrote it. A blob is
//! used only when all of these hold; otherwise the index is rebuilt (and the cache rewritten):
//! - it was written at the library's current generation, which any insert, update or delete of
//!   entries or provenance changes (SQLite triggers and row counts: migration 005 and
//!   `library::corpus`), read in the same transaction as the entries;
//! - its key is this analyser's: format version, Quire version, stop words, the merged thesaurus
//!   (embedded + user's), and the analysis of a fixed canary text (catches a stemmer upgrade);
//! - its checksum holds, it decodes completely, every term id is in range, and its entry ids are
//!   exactly the library's, in order.
//!
//! Layout: `MAGIC`, format version (u32 LE), SHA-256 of the payload, payload. The payload is
//! LEB128 varints and length-prefixed UTF-8: entry ids (delta, zigzag), vocabulary (word,
//! count; sorted), terms, then per question its term ids in order, its key and its ref.

use super::index::{Analysed, AnalysedDoc};
use crate::analysis::{Analyzer, STOP_WORDS};
use crate::analysis::thesaurus::Thesaurus;
use crate::error::{Error, Result};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Bump whenever analysis (`text`, `Analysed::new`) or this layout changes: old caches are then
/// rebuilt rather than trusted.
pub const FORMAT_VERSION: u32 = 1;

const MAGIC: &[u8; 8] = b"QUIRESC\0";
const HEADER: usize = MAGIC.len() + 4 + 32;

/// A text whose analysis goes into the key: a change of stemmer, stop words, phrase matching or
/// run-together splitting shows up here even if nobody bumped `FORMAT_VERSION`.
const CANARY: &str = "Is two-factor authentication (MFA) enforced for administrators; are the policies reviewed andupdated at least annually, and is ePHI encrypted while stored?";

/// The key of the analyser that `thesaurus` and this build of Quire make (hex SHA-256).
pub fn key(thesaurus: &Thesaurus, analyzer: &Analyzer) -> String {
    let mut h = Sha256::new();
    let mut field = |s: &str| {
        h.update((s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    field("quire suggest cache");
    field(&FORMAT_VERSION.to_string());
    field(env!("CARGO_PKG_VERSION"));
    for w in STOP_WORDS {
        field(w);
    }
    let vocabulary: HashMap<String, u32> = [("updated", 2), ("and", 2)].iter().map(|(w, n)| (w.to_string(), *n)).collect();
    for t in analyzer.terms(CANARY, &vocabulary) {
        field(&t);
    }
    for c in &thesaurus.concepts {
        field("concept");
        field(&c.name);
        field(&c.terms.len().to_string());
        for t in &c.terms {
            field(t);
        }
        field(&c.opposes.len().to_string());
        for o in &c.opposes {
            field(o);
        }
    }
    hex(&h.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The blob for `analysed`, the analysis of the entries with these ids (in this order).
pub fn encode(ids: &[i64], analysed: &Analysed) -> Vec<u8> {
    // One buffer: the header's checksum is filled in once the payload behind it is written.
    let mut b = Vec::with_capacity(HEADER + analysed.docs.len() * 200 + analysed.terms.len() * 12);
    b.extend_from_slice(MAGIC);
    b.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    b.extend_from_slice(&[0; 32]);
    put_ids(&mut b, ids);
    let mut vocabulary: Vec<(&String, &u32)> = analysed.vocabulary.iter().collect();
    vocabulary.sort_unstable();
    put_len(&mut b, vocabulary.len());
    for (w, n) in vocabulary {
        put_str(&mut b, w);
        put_varint(&mut b, u64::from(*n));
    }
    put_len(&mut b, analysed.terms.len());
    for t in &analysed.terms {
        put_str(&mut b, t);
    }
    put_len(&mut b, analysed.docs.len());
    for d in &analysed.docs {
        put_len(&mut b, d.seq.len());
        for &t in &d.seq {
            put_varint(&mut b, u64::from(t));
        }
        put_str(&mut b, &d.key);
        put_str(&mut b, &d.reference);
    }
    let sum = Sha256::digest(&b[HEADER..]);
    b[HEADER - 32..HEADER].copy_from_slice(&sum);
    b
}

/// The analysis in `blob`, if it is sound and was made for exactly the entries `ids`. Any
/// problem is an error that says what (the caller rebuilds; the user never sees it).
pub fn decode(blob: &[u8], ids: &[i64]) -> Result<Analysed> {
    let payload = check_header(blob)?;
    let mut r = Reader { bytes: payload, pos: 0 };
    if r.ids()? != ids {
        return Err(invalid("it was written for other entries"));
    }
    let n = r.count()?;
    let mut vocabulary = HashMap::with_capacity(n);
    for _ in 0..n {
        let w = r.string()?;
        vocabulary.insert(w, r.u32()?);
    }
    let n = r.count()?;
    let terms = (0..n).map(|_| r.string()).collect::<Result<Vec<_>>>()?;
    let n = r.count()?;
    let docs = (0..n).map(|_| r.doc()).collect::<Result<Vec<_>>>()?;
    r.finish()?;
    let analysed = Analysed { vocabulary, terms, docs };
    if analysed.docs.len() != ids.len() || !analysed.is_consistent() {
        return Err(invalid("its term table does not match its questions"));
    }
    Ok(analysed)
}

fn check_header(blob: &[u8]) -> Result<&[u8]> {
    if blob.len() < HEADER || &blob[..MAGIC.len()] != MAGIC {
        return Err(invalid("not a suggestion cache"));
    }
    let version = blob[MAGIC.len()..MAGIC.len() + 4].try_into().map(u32::from_le_bytes).map_err(|_| invalid("no version"))?;
    if version != FORMAT_VERSION {
        return Err(invalid(&format!("format {version}, this Quire writes {FORMAT_VERSION}")));
    }
    let (sum, payload) = blob[MAGIC.len() + 4..].split_at(32);
    if Sha256::digest(payload).as_slice() != sum {
        return Err(invalid("checksum mismatch (the blob is damaged)"));
    }
    Ok(payload)
}

fn invalid(why: &str) -> Error {
    Error::invalid("suggest.cache.suggestion_cache", format!("suggestion cache: {why}"))
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_len(out: &mut Vec<u8>, n: usize) {
    put_varint(out, n as u64);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_len(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

/// Ids as zigzag deltas: ascending ids take one or two bytes each.
fn put_ids(out: &mut Vec<u8>, ids: &[i64]) {
    put_len(out, ids.len());
    let mut prev = 0i64;
    for &id in ids {
        let d = id.wrapping_sub(prev);
        put_varint(out, ((d << 1) ^ (d >> 63)) as u64);
        prev = id;
    }
}

/// Reads a payload; every length is checked against what is left, so a damaged blob is an error,
/// never a panic or a huge allocation.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn varint(&mut self) -> Result<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.pos).ok_or_else(|| invalid("truncated"))?;
            self.pos += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(invalid("bad number"))
    }

    fn u32(&mut self) -> Result<u32> {
        u32::try_from(self.varint()?).map_err(|_| invalid("number out of range"))
    }

    /// A count of items that take at least one byte each.
    fn count(&mut self) -> Result<usize> {
        let n = self.varint()?;
        if n > (self.bytes.len() - self.pos) as u64 {
            return Err(invalid("length past the end"));
        }
        Ok(n as usize)
    }

    fn string(&mut self) -> Result<String> {
        let n = self.count()?;
        let s = std::str::from_utf8(&self.bytes[self.pos..self.pos + n]).map_err(|_| invalid("text is not UTF-8"))?;
        self.pos += n;
        Ok(s.to_string())
    }

    fn ids(&mut self) -> Result<Vec<i64>> {
        let n = self.count()?;
        let mut prev = 0i64;
        (0..n)
            .map(|_| {
                let z = self.varint()?;
                prev = prev.wrapping_add(((z >> 1) as i64) ^ -((z & 1) as i64));
                Ok(prev)
            })
            .collect()
    }

    fn doc(&mut self) -> Result<AnalysedDoc> {
        let n = self.count()?;
        let seq = (0..n).map(|_| self.u32()).collect::<Result<Vec<_>>>()?;
        Ok(AnalysedDoc { seq, key: self.string()?, reference: self.string()? })
    }

    fn finish(&self) -> Result<()> {
        if self.pos == self.bytes.len() {
            Ok(())
        } else {
            Err(invalid("trailing bytes"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (Vec<i64>, Analysed, Analyzer) {
        let analyzer = Analyzer::new(&Thesaurus::embedded().unwrap());
        let qs = [
            ("Is customer data encrypted at rest?", "DSP-17"),
            ("Is multi-factor authentication required for administrators?", "IAM-14"),
            ("Are policies reviewed andupdated at least annually?", ""),
            ("Are policies updated and reviewed?", "GRC-01"),
            ("Ist die Verschlüsselung aktiviert? 東京", ""),
        ];
        let analysed = Analysed::new(&analyzer, &qs);
        (vec![3, 7, 8, 200, 1_000_000_000_000], analysed, analyzer)
    }

    #[test]
    fn a_blob_reads_back_as_written() {
        let (ids, analysed, _) = sample();
        let blob = encode(&ids, &analysed);
        assert_eq!(decode(&blob, &ids).unwrap(), analysed);
        // The same analysis always gives the same bytes.
        assert_eq!(encode(&ids, &analysed), blob);
    }

    #[test]
    fn a_blob_for_other_entries_is_refused() {
        let (ids, analysed, _) = sample();
        let blob = encode(&ids, &analysed);
        assert!(decode(&blob, &ids[..4]).is_err());
        assert!(decode(&blob, &[3, 7, 8, 201, 1_000_000_000_000]).is_err());
    }

    #[test]
    fn damaged_blobs_are_errors_never_panics() {
        let (ids, analysed, _) = sample();
        let blob = encode(&ids, &analysed);
        for cut in [0, 5, HEADER - 1, HEADER, HEADER + 3, blob.len() - 1] {
            assert!(decode(&blob[..cut], &ids).is_err(), "cut at {cut}");
        }
        for i in (0..blob.len()).step_by(3) {
            let mut bad = blob.clone();
            bad[i] ^= 0x5a;
            assert!(decode(&bad, &ids).is_err(), "byte {i} flipped");
        }
        let mut longer = blob.clone();
        longer.push(0);
        assert!(decode(&longer, &ids).is_err());
        assert!(decode(b"not a cache at all", &ids).is_err());
    }

    #[test]
    fn a_consistent_checksum_does_not_let_bad_term_ids_through() {
        // Someone rewrites the payload and its checksum: out-of-range ids must still be refused.
        let (ids, mut analysed, _) = sample();
        analysed.docs[0].seq.push(analysed.terms.len() as u32 + 5);
        assert!(decode(&encode(&ids, &analysed), &ids).is_err());
    }

    #[test]
    fn the_key_follows_the_thesaurus() {
        let (_, _, analyzer) = sample();
        let t = Thesaurus::embedded().unwrap();
        let k = key(&t, &analyzer);
        assert_eq!(k, key(&Thesaurus::embedded().unwrap(), &analyzer));
        let mut more = t.clone();
        more.merge(Thesaurus::parse("[[concept]]\nname = \"ztna\"\nterms = [\"zero trust\"]\n", "test").unwrap());
        assert_ne!(k, key(&more, &analyzer));
        let mut fewer = t.clone();
        fewer.concepts[0].terms.pop();
        assert_ne!(k, key(&fewer, &analyzer));
    }
}
