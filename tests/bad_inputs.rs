//! Hostile and extreme workbooks, beyond the malformed inputs of tests/cli.rs: deeply nested XML,
//! 32,767-character cells, control characters, right-to-left and emoji text, duplicate sheet
//! names and 1,000 sheets. Each must give a correct import or a clear error, within bounded time
//! and memory (measured on the `quire` process: wall time and peak RSS).

use quire::library::Library;
use rust_xlsxwriter::Workbook;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const TIME_LIMIT: Duration = Duration::from_secs(20);
const MEMORY_LIMIT_MB: f64 = 500.0;

struct Run {
    out: Output,
    took: Duration,
}

/// Peak RSS of all waited-for children so far (MB): a bound for every run before it.
fn children_peak_mb() -> f64 {
    // SAFETY: getrusage fills the struct it is given.
    unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut u);
        u.ru_maxrss as f64 / 1024.0
    }
}

fn quire(db: &Path, args: &[&str]) -> Run {
    let t = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_quire")).arg("--db").arg(db).args(args).output().expect("run quire");
    let took = t.elapsed();
    assert!(took < TIME_LIMIT, "{args:?} took {took:?}");
    assert!(children_peak_mb() < MEMORY_LIMIT_MB, "{args:?}: peak RSS {} MB", children_peak_mb());
    Run { out, took }
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn header(ws: &mut rust_xlsxwriter::Worksheet) {
    for (c, h) in ["ID", "Question", "Answer", "Comment"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("write");
    }
}

/// Imports `file` and returns the library's questions and answers.
fn import(dir: &Path, file: &Path) -> (Run, Vec<quire::library::Entry>) {
    let db = dir.join(format!("{}.sqlite", file.file_stem().and_then(|x| x.to_str()).unwrap_or("lib")));
    let run = quire(&db, &["library", "import", s(file)]);
    let entries = Library::open(&db).expect("open").list(Default::default()).expect("list");
    (run, entries)
}

#[test]
fn long_cells_control_characters_rtl_and_emoji_import_as_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("odd-text.xlsx");
    let long_comment: String = "evidence ".repeat(4000).chars().take(32_767).collect();
    let rows = [
        ("T-1", "Is data encrypted at rest?".to_string(), "Yes", long_comment.clone()),
        ("T-2", "Is MFA\u{0007} required\u{0001} for admins?".to_string(), "No", "tab\there and bell\u{0007}".to_string()),
        ("T-3", "هل يتم تشفير البيانات أثناء النقل؟".to_string(), "Yes", "TLS 1.3 — نعم".to_string()),
        ("T-4", "Do you back up 🗄️ every day? 🔐".to_string(), "Yes", "✅ daily".to_string()),
        ("T-5", "האם יש תוכנית להמשכיות עסקית?".to_string(), "Partial", String::new()),
    ];
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    header(ws);
    for (i, (r, q, a, c)) in rows.iter().enumerate() {
        let row = (i + 1) as u32;
        ws.write_string(row, 0, *r).expect("w");
        ws.write_string(row, 1, q).expect("w");
        ws.write_string(row, 2, *a).expect("w");
        ws.write_string(row, 3, c).expect("w");
    }
    wb.save(&path).expect("save");
    let (run, entries) = import(dir.path(), &path);
    assert!(run.out.status.success(), "{}", String::from_utf8_lossy(&run.out.stderr));
    assert_eq!(entries.len(), 5);
    let by = |needle: &str| entries.iter().find(|e| e.question.contains(needle)).unwrap_or_else(|| panic!("{needle}"));
    assert_eq!(by("encrypted at rest").comment.chars().count(), 32_767, "the longest cell Excel allows is kept whole");
    let mfa = by("MFA");
    assert!(!mfa.question.chars().any(|c| c.is_control()), "control characters are not kept in questions: {:?}", mfa.question);
    assert!(mfa.question.contains("required") && mfa.question.contains("for admins"));
    assert_eq!(by("تشفير").answer, "Yes");
    assert!(by("🗄️").question.contains("🔐"));
    assert_eq!(by("המשכיות").answer, "Partial");
    // And they go back out: the filled workbook holds the same text.
    let out = dir.path().join("odd-text.filled.xlsx");
    let db = dir.path().join("odd-text.sqlite");
    let fill = quire(&db, &["fill", s(&path), "-o", s(&out), "--overwrite", "--min-confidence", "0.5"]);
    assert!(fill.out.status.success(), "{}", String::from_utf8_lossy(&fill.out.stderr));
    let filled = quire::sheet::read_questionnaire(&out).expect("read filled");
    assert!(filled.questions().any(|q| q.text.contains("تشفير") && q.answer == "Yes"));
}

#[test]
fn a_thousand_sheets_are_all_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("many-sheets.xlsx");
    let mut wb = Workbook::new();
    for i in 0..1000 {
        let ws = wb.add_worksheet();
        ws.set_name(format!("Domain {i:04}")).expect("name");
        header(ws);
        ws.write_string(1, 0, format!("D{i}-1")).expect("w");
        ws.write_string(1, 1, format!("Is control number {i} of this domain documented and reviewed?")).expect("w");
        ws.write_string(1, 2, "Yes").expect("w");
    }
    wb.save(&path).expect("save");
    let db = dir.path().join("inspect.sqlite");
    let run = quire(&db, &["inspect", s(&path), "--json"]);
    assert!(run.out.status.success(), "{}", String::from_utf8_lossy(&run.out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&run.out.stdout).expect("json");
    assert_eq!(v["sheets"].as_array().map(|a| a.len()), Some(1000));
    assert_eq!(v["questions"], 1000);
    eprintln!("1,000 sheets inspected in {:?}", run.took);
}

/// A minimal xlsx package written part by part, for layouts rust_xlsxwriter refuses to write.
fn raw_xlsx(path: &Path, sheets: &[(&str, String)]) {
    let f = std::fs::File::create(path).expect("create");
    let mut z = zip::ZipWriter::new(f);
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut put = |name: &str, body: &str| {
        z.start_file(name, opts).expect("zip");
        z.write_all(body.as_bytes()).expect("zip");
    };
    let mut types = String::from(r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#);
    let mut book = String::from(r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#);
    let mut rels = String::from(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#);
    for (i, (name, _)) in sheets.iter().enumerate() {
        let n = i + 1;
        types.push_str(&format!(r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#));
        book.push_str(&format!(r#"<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>"#));
        rels.push_str(&format!(r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#));
    }
    types.push_str("</Types>");
    book.push_str("</sheets></workbook>");
    rels.push_str("</Relationships>");
    put("[Content_Types].xml", &types);
    put("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#);
    put("xl/workbook.xml", &book);
    put("xl/_rels/workbook.xml.rels", &rels);
    for (i, (_, body)) in sheets.iter().enumerate() {
        put(&format!("xl/worksheets/sheet{}.xml", i + 1), body);
    }
    z.finish().expect("zip");
}

fn sheet_xml(rows: &[[&str; 3]], extra: &str) -> String {
    let mut x = String::from(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#);
    for (r, row) in rows.iter().enumerate() {
        x.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, v) in row.iter().enumerate() {
            let col = ["A", "B", "C"][c];
            x.push_str(&format!(r#"<c r="{col}{}" t="inlineStr"><is><t>{v}</t></is></c>"#, r + 1));
        }
        x.push_str("</row>");
    }
    x.push_str("</sheetData>");
    x.push_str(extra);
    x.push_str("</worksheet>");
    x
}

const ROWS: [[&str; 3]; 3] = [["ID", "Question", "Answer"], ["A-1", "Is customer data encrypted at rest?", "Yes"], ["A-2", "Is MFA enforced for administrators?", "No"]];

#[test]
fn duplicate_sheet_names_give_a_clear_answer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("duplicate-names.xlsx");
    raw_xlsx(&path, &[("Questions", sheet_xml(&ROWS, "")), ("Questions", sheet_xml(&ROWS, ""))]);
    let db = dir.path().join("x.sqlite");
    let run = quire(&db, &["inspect", s(&path), "--json"]);
    let code = run.out.status.code();
    if code == Some(0) {
        let v: serde_json::Value = serde_json::from_slice(&run.out.stdout).expect("json");
        assert!(v["questions"].as_u64().is_some_and(|n| n == 2 || n == 4), "{v}");
    } else {
        assert_eq!(code, Some(1));
        let err = String::from_utf8_lossy(&run.out.stderr);
        assert!(err.contains("duplicate-names.xlsx") && err.len() < 600, "a short message naming the file: {err}");
    }
}

#[test]
fn deeply_nested_xml_is_read_or_refused_within_bounds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nested.xlsx");
    let depth = 200_000;
    let nested = format!("{}{}", "<extLst>".repeat(depth), "</extLst>".repeat(depth));
    raw_xlsx(&path, &[("Questions", sheet_xml(&ROWS, &nested))]);
    let db = dir.path().join("x.sqlite");
    let run = quire(&db, &["inspect", s(&path), "--json"]);
    match run.out.status.code() {
        Some(0) => {
            let v: serde_json::Value = serde_json::from_slice(&run.out.stdout).expect("json");
            assert_eq!(v["questions"], 2);
        }
        Some(1) => {
            let err = String::from_utf8_lossy(&run.out.stderr);
            assert!(err.contains("nested.xlsx"), "{err}");
        }
        other => panic!("crashed ({other:?}): {}", String::from_utf8_lossy(&run.out.stderr)),
    }
    eprintln!("{depth}-deep XML handled in {:?}", run.took);
}


// ---- Issue 14: caps, encodings, terminal text, damaged sheets ----

fn inspect_json(dir: &Path, file: &Path) -> (Run, serde_json::Value) {
    let run = quire(&dir.join("x.sqlite"), &["inspect", s(file), "--json"]);
    assert!(run.out.status.success(), "{}", String::from_utf8_lossy(&run.out.stderr));
    let v = serde_json::from_slice(&run.out.stdout).expect("json");
    (run, v)
}

/// Failed before: a one-line CSV of 25 million fields was held as one record (1.24 GB at
/// 50 MB). Reading now stops at the per-sheet cell limit, in bounded memory, and says so.
#[test]
fn a_one_line_csv_of_millions_of_fields_is_read_in_bounded_memory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("one-line.csv");
    let mut text = String::from("ID,Question,Answer\nQ-1,Is data encrypted at rest?,Yes\nQ-2,Is MFA enforced for administrators?,No\n");
    text.push_str(&"x,".repeat(3_000_000));
    text.push('\n');
    std::fs::write(&path, text).expect("write");
    let (run, v) = inspect_json(dir.path(), &path);
    assert_eq!(v["questions"], 2, "{v}");
    let notes = v["sheets"][0]["notes"].to_string();
    assert!(notes.contains("reading stopped after 2000000 cells"), "{notes}");
    eprintln!("3,000,000-field line inspected in {:?}, peak RSS of all runs so far {:.0} MB", run.took, children_peak_mb());
}

#[test]
fn a_cell_longer_than_excels_limit_is_cut_and_said() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("long-cell.csv");
    let long = "encrypted ".repeat(10_000); // 100,000 characters
    std::fs::write(&path, format!("ID,Question,Answer,Comment\nQ-1,Is data encrypted at rest?,Yes,{long}\nQ-2,Is MFA enforced?,No,\n")).expect("write");
    let (_, v) = inspect_json(dir.path(), &path);
    let notes = v["sheets"][0]["notes"].to_string();
    assert!(notes.contains("1 cell longer than 32767 characters"), "{notes}");
    let (_, entries) = import(dir.path(), &path);
    assert!(entries.iter().all(|e| e.comment.chars().count() <= 32_767));
}

/// Failed before: one word of 32,767 letters (Excel's longest cell) in the library made every
/// later suggest and fill run for hours (every three-way split of the word was tried).
#[test]
fn a_32767_letter_word_in_the_library_does_not_stall_suggest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let word: String = "abcdefghij".repeat(3_277).chars().take(32_767).collect();
    let lib_csv = dir.path().join("past.csv");
    std::fs::write(&lib_csv, format!("ID,Question,Answer\nP-1,{word},Yes\nP-2,Is MFA enforced for administrators?,Yes\nP-3,{word} {word},No\n")).expect("write");
    let db = dir.path().join("lib.sqlite");
    assert!(quire(&db, &["library", "import", s(&lib_csv)]).out.status.success());
    let new_csv = dir.path().join("new.csv");
    std::fs::write(&new_csv, format!("ID,Question,Answer\nN-1,Is MFA enforced for all administrators?,\nN-2,{word}x,\n")).expect("write");
    let run = quire(&db, &["suggest", s(&new_csv), "--json"]);
    assert!(run.out.status.success(), "{}", String::from_utf8_lossy(&run.out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&run.out.stdout).expect("json");
    assert_eq!(v["questions"][0]["suggestions"][0]["answer"], "Yes");
    eprintln!("suggest with 32,767-letter words took {:?}", run.took);
}

/// Failed before: escape sequences in imported text reached the terminal raw (they can move
/// the cursor, rewrite the screen or set the window title).
#[test]
fn escape_sequences_from_imported_text_are_not_printed_raw() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("escapes.xlsx");
    let evil = "Is data encrypted?\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m";
    raw_xlsx(&path, &[("Q\u{1b}[31m", sheet_xml(&[["ID", "Question", "Answer"], ["E-1", evil, "Yes"], ["E-2", "Is MFA enforced?", "No"]], ""))]);
    let db = dir.path().join("x.sqlite");
    let imported = quire(&db, &["library", "import", s(&path)]);
    assert!(imported.out.status.success(), "{}", String::from_utf8_lossy(&imported.out.stderr));
    for args in [vec!["library", "list"], vec!["library", "search", "encrypted"], vec!["inspect", s(&path), "--questions"], vec!["suggest", s(&path)]] {
        let run = quire(&db, &args);
        let all = [run.out.stdout.clone(), run.out.stderr.clone()].concat();
        assert!(!all.contains(&0x1b) && !all.windows(2).any(|w| w == [0xc2, 0x9b]), "{args:?} printed a raw escape: {}", String::from_utf8_lossy(&all));
    }
}

/// Failed before: one damaged sheet rejected the whole workbook. A sheet whose XML is broken,
/// and one whose row number passes 2^32 (calamine panics on it), are now reported as damaged
/// while the other sheets are read.
#[test]
fn a_damaged_sheet_does_not_cost_the_others() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, bad) in [
        ("broken-xml.xlsx", r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row><row"#.to_string()),
        ("huge-row.xlsx", r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:C4294967297"/><sheetData><row r="4294967297"><c r="A4294967297" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>"#.to_string()),
    ] {
        let path = dir.path().join(name);
        raw_xlsx(&path, &[("Questions", sheet_xml(&ROWS, "")), ("Damaged", bad)]);
        let (_, v) = inspect_json(dir.path(), &path);
        assert_eq!(v["questions"], 2, "{name}: {v}");
        let damaged = v["sheets"].as_array().expect("sheets").iter().find(|x| x["name"] == "Damaged").expect("the damaged sheet is listed").clone();
        assert_eq!(damaged["used"], false, "{name}");
        assert!(damaged["reason"].as_str().unwrap_or("").contains("damaged"), "{name}: {damaged}");
    }
}

/// Failed before: bytes of a document already kept, renamed .pdf, answered "already evidence
/// #1" without being checked; a file of 200 MB was accepted (and copied whole).
#[test]
fn evidence_is_checked_before_it_is_recognised_and_capped_in_size() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("lib.sqlite");
    let txt = dir.path().join("policy.txt");
    std::fs::write(&txt, "Our access control policy, reviewed yearly.").expect("write");
    assert!(quire(&db, &["evidence", "add", s(&txt)]).out.status.success());
    let pdf = dir.path().join("policy.pdf");
    std::fs::copy(&txt, &pdf).expect("copy");
    let run = quire(&db, &["evidence", "add", s(&pdf)]);
    assert_eq!(run.out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.out.stderr).contains("not a readable PDF"), "{}", String::from_utf8_lossy(&run.out.stderr));
    let big = dir.path().join("huge.pdf");
    std::fs::File::create(&big).expect("create").set_len(200 * 1024 * 1024).expect("sparse file");
    let run = quire(&db, &["evidence", "add", s(&big)]);
    assert_eq!(run.out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.out.stderr).contains("up to 100 MB"), "{}", String::from_utf8_lossy(&run.out.stderr));
    assert_eq!(Library::open(&db).expect("open").evidence_count().expect("count"), 1);
}
