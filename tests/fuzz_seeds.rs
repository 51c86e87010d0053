//! Writes the seed corpora of the fuzz targets (scripts/fuzz.sh) from the fixture generator:
//! `QUIRE_FUZZ_SEEDS=DIR cargo test -p quire --test fuzz_seeds -- --ignored`. Ignored in normal
//! runs; the regression inputs the fuzzers found are replayed by tests/fuzz_regressions.rs.

mod common;

use common::fixtures;
use std::path::Path;

fn put(dir: &Path, target: &str, name: &str, prefix: &[u8], bytes: &[u8]) {
    let d = dir.join(target);
    std::fs::create_dir_all(&d).expect("mkdir");
    let mut data = prefix.to_vec();
    data.extend_from_slice(bytes);
    std::fs::write(d.join(name), data).expect("write seed");
}

#[test]
#[ignore]
fn write_fuzz_seeds() {
    let Some(out) = std::env::var_os("QUIRE_FUZZ_SEEDS") else {
        eprintln!("set QUIRE_FUZZ_SEEDS=DIR to write the seeds");
        return;
    };
    let out = Path::new(&out);
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut books = vec![
        fixtures::sig_style(tmp.path()).expect("sig").path,
        fixtures::hitrust_style(tmp.path()).expect("hitrust").path,
        fixtures::no_header(tmp.path()).expect("no header").path,
        fixtures::answers_by_columns(tmp.path()).expect("by columns").path,
        fixtures::large(tmp.path(), 50).expect("large"),
    ];
    books.extend(quire::samples::write_samples(tmp.path()).expect("samples"));
    for (i, b) in books.iter().enumerate() {
        let bytes = std::fs::read(b).expect("read");
        put(out, "workbook", &format!("book-{i}"), &[0], &bytes);
    }
    put(out, "csv", "plain", &[0], fixtures::csv_text().as_bytes());
    put(out, "csv", "tabs", &[1], fixtures::csv_text().replace(',', "\t").as_bytes());
    let w1252 = fixtures::csv_windows1252(tmp.path()).expect("1252");
    put(out, "csv", "windows-1252", &[0], &std::fs::read(w1252).expect("read"));
    // Issue 14's cases: mixed encodings, a UTF-16 file with a UTF-8 tail, a one-line file of
    // many fields, a cell past Excel's 32,767 characters, a 32,767-letter word.
    let mixed: Vec<u8> = "ID,Question,Answer\nA-1,Données chiffrées ?,Oui\n".bytes().chain(b"A-2,Caf\xE9 policy,We don\x92t\n".iter().copied()).collect();
    put(out, "csv", "mixed-encodings", &[0], &mixed);
    let mut utf16: Vec<u8> = vec![0xFF, 0xFE];
    utf16.extend("ID,Question,Answer\nA-1,Is data encrypted?,Yes\n".encode_utf16().flat_map(|u| u.to_le_bytes()));
    utf16.extend_from_slice(b"A-2,Is MFA enforced?,No\n");
    put(out, "csv", "utf16-utf8-tail", &[0], &utf16);
    put(out, "csv", "one-line", &[0], format!("ID,Question,Answer,{}\n", "x,".repeat(100_000)).as_bytes());
    put(out, "csv", "long-cell", &[0], format!("ID,Question,Answer\nA-1,{},Yes\n", "encrypted ".repeat(4_000)).as_bytes());
    let word: String = "abcdefghij".repeat(3_277).chars().take(32_767).collect();
    put(out, "suggest", "long-word", &[], word.as_bytes());
    put(out, "suggest", "run-together", &[], b"Are access rights reviewed andupdatedat least annually by thirdpartyvendors?");
    put(out, "suggest", "plain", &[], b"Is two-factor authentication enforced for admins?");
    let vsaq = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/questionnaires/vsaq");
    match std::fs::read_dir(&vsaq) {
        Ok(rd) => {
            for e in rd.flatten() {
                put(out, "vsaq", &e.file_name().to_string_lossy(), &[], &std::fs::read(e.path()).expect("read"));
            }
        }
        Err(_) => put(out, "vsaq", "minimal", &[], br#"{"questionnaire": [{"type": "block", "text": "Security", "items": [{"type": "yesno", "id": "q1", "text": "Is data encrypted at rest?"}]}]}"#),
    }
    eprintln!("fuzz seeds written to {}", out.display());
}
