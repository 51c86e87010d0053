//! Filling the customer's own workbook: generated fixtures and every real .xlsx of
//! `../shared/questionnaires` (skipped with a notice when absent) are answered in full and the
//! filled package is compared with the original, part by part and cell by cell; dropdowns get
//! the workbook's spelling; formulas, calcChain and bad outputs are handled; LibreOffice opens
//! the result when it is installed.

mod common;

use common::fixtures::{self, FILL_ROWS};
use quire::answer::classify;
use quire::fill::{can_fill_in_place, fill_workbook, Field, FillOptions, FillReport};
use quire::review::{Review, ReviewStatus, ReviewedQuestion};
use quire::sheet::model::Question;
use quire::sheet::{read_questionnaire, Questionnaire};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

const FIRST_COMMENT: &str = "=SUM(A1)";
const ODD_COMMENT: &str = "a < b & c > \"d\" 'e'\nsecond line";

fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/questionnaires");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: ../shared/questionnaires not found; the real-workbook fill tests need it");
        None
    }
}

fn reviewed(q: &Question, answer: Option<String>, comment: Option<String>) -> ReviewedQuestion {
    ReviewedQuestion { question: q.clone(), answer, comment, status: ReviewStatus::Reviewed, confidence: None, source: None, evidence: Vec::new(), alternatives: Vec::new(), changed_by: None, changed_at: None, }
}

/// Every question answered: Yes / No / N/A in turn (by row, so sub-questions packed into one row
/// agree), a comment per row; the first comment looks like a formula, the second needs escaping.
fn answer_everything(q: &Questionnaire) -> Review {
    let mut rows: BTreeMap<(String, usize), usize> = BTreeMap::new();
    let questions = q
        .questions()
        .map(|x| {
            let n = rows.len();
            let i = *rows.entry((x.sheet.clone(), x.row)).or_insert(n);
            let answer = ["Yes", "No", "N/A"][i % 3].to_string();
            let comment = match i {
                0 => FIRST_COMMENT.to_string(),
                1 => ODD_COMMENT.to_string(),
                _ => format!("Reviewed: {} row {}", x.sheet, x.row),
            };
            reviewed(x, Some(answer), Some(comment))
        })
        .collect();
    Review { questionnaire: q.file.clone(), questions }
}

fn overwrite() -> FillOptions {
    FillOptions { overwrite_answered: true }
}

// ---------------------------------------------------------------------------
// Package comparison
// ---------------------------------------------------------------------------

/// Every zip entry: name → (compressed bytes as stored, content).
fn entries(path: &Path) -> BTreeMap<String, (Vec<u8>, Vec<u8>)> {
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut raw = Vec::new();
        let name = {
            let mut f = zip.by_index_raw(i).unwrap();
            f.read_to_end(&mut raw).unwrap();
            f.name().unwrap().into_owned()
        };
        let mut content = Vec::new();
        zip.by_index(i).unwrap().read_to_end(&mut content).unwrap();
        out.insert(name, (raw, content));
    }
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// Sheet name → part, from workbook.xml and its relationships (worksheet targets are relative
/// to xl/ in every file here).
fn sheet_parts(e: &BTreeMap<String, (Vec<u8>, Vec<u8>)>) -> BTreeMap<String, String> {
    let wb = text(&e["xl/workbook.xml"].1);
    let rels = text(&e["xl/_rels/workbook.xml.rels"].1);
    let attr = |tag: &str, key: &str| -> Option<String> {
        let re = regex::Regex::new(&format!(r#"\s{key}="([^"]*)""#)).unwrap();
        re.captures(tag).map(|c| quick_xml::escape::unescape(&c[1]).unwrap().into_owned())
    };
    let tags = |xml: &str, name: &str| -> Vec<String> { regex::Regex::new(&format!(r"<{name}\s[^>]*>")).unwrap().find_iter(xml).map(|m| m.as_str().to_string()).collect() };
    let targets: BTreeMap<String, String> = tags(&rels, "Relationship").iter().filter_map(|t| Some((attr(t, "Id")?, attr(t, "Target")?))).collect();
    tags(&wb, "sheet")
        .iter()
        .filter_map(|t| {
            let target = &targets[&attr(t, "r:id")?];
            Some((attr(t, "name")?, target.strip_prefix('/').map(str::to_string).unwrap_or_else(|| format!("xl/{target}"))))
        })
        .collect()
}

/// The `<c>` elements of a worksheet part, by address, as written.
fn cells(xml: &str) -> BTreeMap<String, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = BTreeMap::new();
    loop {
        let start = reader.buffer_position() as usize;
        match reader.read_event().unwrap() {
            Event::Start(e) if e.local_name().as_ref() == "c" => {
                let r = e.try_get_attribute("r").unwrap().unwrap().value.into_owned();
                reader.read_to_end(e.name()).unwrap();
                out.insert(r, xml[start..reader.buffer_position() as usize].to_string());
            }
            Event::Empty(e) if e.local_name().as_ref() == "c" => {
                let r = e.try_get_attribute("r").unwrap().unwrap().value.into_owned();
                out.insert(r, xml[start..reader.buffer_position() as usize].to_string());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// Cells the review may set, by sheet.
fn targets(review: &Review) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for rq in &review.questions {
        let q = &rq.question;
        let set = out.entry(q.sheet.clone()).or_default();
        if rq.answer.is_some() {
            set.extend(q.answer_cell.iter().cloned());
            set.extend(q.choice_cells.iter().map(|(_, c)| c.clone()));
        }
        if rq.comment.is_some() {
            set.extend(q.comment_cell.iter().cloned());
        }
    }
    out
}

/// The filled package is the original but for the target cells: every other part byte for byte
/// (calcChain and workbook.xml's recalculation flag aside), every other cell of a touched
/// sheet as written, validations and conditional formats all there.
fn assert_same_but_targets(input: &Path, output: &Path, review: &Review) {
    let a = entries(input);
    let b = entries(output);
    let parts = sheet_parts(&a);
    let targets = targets(review);
    let touched: BTreeMap<String, &BTreeSet<String>> = targets.iter().filter_map(|(s, t)| Some((parts.get(s)?.clone(), t))).collect();
    let calc_chain_dropped = a.contains_key("xl/calcChain.xml") && !b.contains_key("xl/calcChain.xml");
    for (name, (raw, content)) in &a {
        let Some((raw2, content2)) = b.get(name) else {
            assert!(name == "xl/calcChain.xml", "{}: part {name} is missing from the filled copy", input.display());
            continue;
        };
        if raw == raw2 {
            continue;
        }
        let what = format!("{} → {}: part {name}", input.display(), output.display());
        if let Some(allowed) = touched.get(name) {
            let (old, new) = (text(content), text(content2));
            let (c1, c2) = (cells(&old), cells(&new));
            for (r, elem) in &c1 {
                if !allowed.contains(r) {
                    assert_eq!(Some(elem), c2.get(r), "{what}: cell {r} changed");
                }
            }
            for r in c2.keys().filter(|r| !c1.contains_key(*r)) {
                assert!(allowed.contains(r), "{what}: cell {r} appeared");
            }
            for tag in ["<dataValidation ", "<x14:dataValidation ", "<conditionalFormatting", "<mergeCell ", "<hyperlink "] {
                assert_eq!(old.matches(tag).count(), new.matches(tag).count(), "{what}: count of {tag}");
            }
            let tail = |x: &str| x[x.find("</sheetData>").unwrap_or(x.len())..].to_string();
            assert_eq!(tail(&old), tail(&new), "{what}: everything after the cells is unchanged");
        } else if name == "xl/calcChain.xml" {
            assert!(content2.len() < content.len(), "{what}: calcChain only loses entries");
        } else if name == "xl/workbook.xml" {
            assert_eq!(text(content2).replacen(r#" fullCalcOnLoad="1""#, "", 1), text(content), "{what}: only the recalculation flag is added");
        } else if calc_chain_dropped && (name == "xl/_rels/workbook.xml.rels" || name == "[Content_Types].xml") {
            assert!(!text(content2).contains("calcChain") && content2.len() < content.len(), "{what}: only calcChain's reference goes");
        } else {
            panic!("{what} changed");
        }
    }
    assert_eq!(a.keys().filter(|k| *k != "xl/calcChain.xml").count(), b.keys().filter(|k| *k != "xl/calcChain.xml").count(), "no parts added");
}

/// Every target cell written holds its answer as a literal inline string, never a formula.
fn assert_inline_text(output: &Path, review: &Review) {
    let e = entries(output);
    let parts = sheet_parts(&e);
    for (sheet, cells_of_sheet) in targets(review) {
        let xml = text(&e[&parts[&sheet]].1);
        let all = cells(&xml);
        for r in cells_of_sheet {
            if let Some(elem) = all.get(&r) {
                if elem.contains("inlineStr") {
                    assert!(!elem.contains("<f>") && !elem.contains("<f "), "{sheet}!{r} still has a formula: {elem}");
                }
            }
        }
    }
}

fn cell_pos(a: &str) -> (u32, u32) {
    let split = a.find(|c: char| c.is_ascii_digit()).unwrap();
    let col = a[..split].bytes().fold(0u32, |n, b| n * 26 + (b - b'A' + 1) as u32) - 1;
    (a[split..].parse::<u32>().unwrap() - 1, col)
}

/// Reads cells back with calamine, the reader Quire uses.
struct ReadBack(calamine::Xlsx<std::io::BufReader<std::fs::File>>, BTreeMap<String, calamine::Range<calamine::Data>>);

impl ReadBack {
    fn open(path: &Path) -> Self {
        ReadBack(calamine::open_workbook(path).unwrap(), BTreeMap::new())
    }
    fn get(&mut self, sheet: &str, cell: &str) -> String {
        use calamine::Reader;
        if !self.1.contains_key(sheet) {
            let r = self.0.worksheet_range(sheet).unwrap();
            self.1.insert(sheet.to_string(), r);
        }
        self.1[sheet].get_value(cell_pos(cell)).map(|v| v.to_string()).unwrap_or_default()
    }
}

fn was_skipped(report: &FillReport, q: &Question, field: Field) -> bool {
    report.skipped.iter().any(|s| s.sheet == q.sheet && s.row == q.row && s.reference == q.reference && s.field == field)
}

/// What the output holds is what was written: answers (in the dropdown's spelling: the same
/// meaning), marks in the chosen column, comments exactly.
fn assert_reads_back(output: &Path, review: &Review, report: &FillReport) {
    let mut rb = ReadBack::open(output);
    let numbered = regex::Regex::new(r"^\(?\d{1,2}[).:-] ").unwrap();
    let (mut answers, mut comments) = (0, 0);
    for rq in &review.questions {
        let q = &rq.question;
        if let (Some(a), false) = (&rq.answer, was_skipped(report, q, Field::Answer)) {
            if let Some(cell) = &q.answer_cell {
                let got = rb.get(&q.sheet, cell);
                // A dropdown may number its values ("2) No").
                let meaning = numbered.replace(&got, "").into_owned();
                assert_eq!(classify(&meaning), classify(a), "{} {}!{cell}: wrote {a:?}, read {got:?}", output.display(), q.sheet);
                answers += 1;
            } else if !q.choice_cells.is_empty() {
                for (kind, cell) in &q.choice_cells {
                    let got = rb.get(&q.sheet, cell);
                    assert_eq!(!got.is_empty(), Some(*kind) == classify(a), "{}!{cell} for answer {a}: {got:?}", q.sheet);
                }
                answers += 1;
            }
        }
        if let (Some(c), false, Some(cell)) = (&rq.comment, was_skipped(report, q, Field::Comment), &q.comment_cell) {
            assert_eq!(&rb.get(&q.sheet, cell), c, "{} {}!{cell}", output.display(), q.sheet);
            comments += 1;
        }
    }
    assert_eq!(answers, report.written, "answers written");
    assert_eq!(comments, report.comments_written, "comments written");
}

/// Fills `input` with everything answered and checks the result every way above.
fn fill_and_check(input: &Path, out_dir: &Path) -> (Questionnaire, Review, FillReport) {
    let q = read_questionnaire(input).unwrap_or_else(|e| panic!("{}: {e}", input.display()));
    let review = answer_everything(&q);
    let out = out_dir.join(format!("{}.filled.xlsx", input.file_stem().unwrap().to_string_lossy()));
    let report = fill_workbook(&q, &review, &out, &overwrite()).unwrap_or_else(|e| panic!("{}: {e}", input.display()));
    let out = report.output.clone();
    assert_same_but_targets(input, &out, &review);
    assert_inline_text(&out, &review);
    assert_reads_back(&out, &review, &report);
    let again = read_questionnaire(&out).unwrap_or_else(|e| panic!("{}: the filled copy does not read: {e}", out.display()));
    assert_eq!(again.question_count(), q.question_count(), "{}: questions read from the filled copy", out.display());
    println!(
        "{}: {} questions, {} answers and {} comments written, {} skipped{}",
        input.file_name().unwrap().to_string_lossy(),
        q.question_count(),
        report.written,
        report.comments_written,
        report.skipped.len(),
        report.skipped.first().map(|s| format!(" (e.g. {} row {}: {})", s.sheet, s.row, s.reason)).unwrap_or_default()
    );
    (q, review, report)
}

// ---------------------------------------------------------------------------
// Fidelity
// ---------------------------------------------------------------------------

#[test]
fn generated_fixtures_are_filled_cell_for_cell() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("in");
    let paths = [
        fixtures::sig_style(&src).unwrap().path,
        fixtures::hitrust_style(&src).unwrap().path,
        fixtures::no_header(&src).unwrap().path,
        fixtures::answers_by_columns(&src).unwrap().path,
        fixtures::fill_features(&src).unwrap(),
    ];
    for p in paths {
        let (q, _, report) = fill_and_check(&p, dir.path());
        assert!(report.written > 0 && report.comments_written > 0, "{}: {report:?}", p.display());
        assert!(report.written + report.skipped.len() >= q.question_count(), "every question is accounted for");
    }
}

#[test]
fn real_workbooks_are_filled_cell_for_cell() {
    let Some(dir) = shared() else { return };
    let out = tempfile::tempdir().unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "xlsx")).collect();
    files.sort();
    assert!(!files.is_empty());
    for f in files {
        let (q, _, report) = fill_and_check(&f, out.path());
        let has_answer_column = q.questions().any(|x| x.answer_cell.is_some() || !x.choice_cells.is_empty());
        if has_answer_column {
            assert!(report.written * 2 > q.question_count(), "{}: most answers go in: {report:#?}", f.display());
        }
    }
}

#[test]
fn hecvat_dropdowns_get_their_own_values() {
    let Some(dir) = shared() else { return };
    let path = dir.join("hecvat-4.1.4.xlsx");
    if !path.is_file() {
        eprintln!("SKIPPED: hecvat-4.1.4.xlsx not found");
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let (_, review, report) = fill_and_check(&path, out.path());
    // HECVAT's dropdowns (x14, from 'Auto Responses'!J3:J5) hold Yes, No, N/A: all three fit.
    let mut rb = ReadBack::open(&report.output);
    let organization: Vec<&ReviewedQuestion> = review.questions.iter().filter(|r| r.question.sheet == "Organization" && !was_skipped(&report, &r.question, Field::Answer)).collect();
    assert!(organization.len() > 30, "{}", organization.len());
    let mut seen = BTreeSet::new();
    for rq in organization {
        let got = rb.get("Organization", rq.question.answer_cell.as_deref().unwrap());
        assert!(["Yes", "No", "N/A"].contains(&got.as_str()), "{got:?}");
        seen.insert(got);
    }
    assert_eq!(seen.len(), 3);
    let xml = text(&entries(&report.output)["xl/workbook.xml"].1);
    assert!(xml.contains(r#"fullCalcOnLoad="1""#), "HECVAT's scores are recalculated on open");
}

// ---------------------------------------------------------------------------
// Dropdowns, formulas, calcChain
// ---------------------------------------------------------------------------

fn fill_fixture(dir: &Path) -> (PathBuf, Questionnaire) {
    let path = fixtures::fill_features(dir.join("in")).unwrap();
    let q = read_questionnaire(&path).unwrap();
    assert_eq!(q.question_count(), FILL_ROWS.len(), "{:#?}", q.report());
    (path, q)
}

fn review_rows(q: &Questionnaire, rows: &[(u32, Option<&str>, Option<&str>)]) -> Review {
    let questions = rows
        .iter()
        .map(|(row, a, c)| {
            let x = q.questions().find(|x| x.row == *row as usize).unwrap_or_else(|| panic!("no question on row {row}"));
            reviewed(x, a.map(str::to_string), c.map(str::to_string))
        })
        .collect();
    Review { questionnaire: q.file.clone(), questions }
}

#[test]
fn dropdown_answers_take_the_workbook_spelling() {
    let dir = tempfile::tempdir().unwrap();
    let (_, q) = fill_fixture(dir.path());
    let review = review_rows(
        &q,
        &[
            (2, Some("Yes"), Some(FIRST_COMMENT)),
            (3, Some("N/A"), Some(ODD_COMMENT)),
            (5, Some("yes"), None),
            (6, Some("Not applicable"), None),
            (7, Some("No"), Some("new cells take the column style")),
            (8, Some("N/A"), None),
            (9, Some("Partial"), None),
            (11, Some("Keys live in a KMS; rotation yearly."), None),
        ],
    );
    let out = dir.path().join("out.xlsx");
    let report = fill_workbook(&q, &review, &out, &FillOptions::default()).unwrap();
    assert_eq!(report.output, out);
    let mut rb = ReadBack::open(&out);
    let sheet = "Questions";
    assert_eq!(rb.get(sheet, "C2"), "YES", "defined name list");
    assert_eq!(rb.get(sheet, "C3"), "NA");
    assert_eq!(rb.get(sheet, "C5"), "Y", "x14 list on another sheet");
    assert_eq!(rb.get(sheet, "C6"), "Not Applicable");
    assert_eq!(rb.get(sheet, "C7"), "N", "a cell that did not exist");
    assert_eq!(rb.get(sheet, "C11"), "Keys live in a KMS; rotation yearly.");
    assert_eq!(rb.get(sheet, "D2"), FIRST_COMMENT, "a formula-looking comment stays text");
    assert_eq!(rb.get(sheet, "D3"), ODD_COMMENT);
    assert_eq!(rb.get(sheet, "D7"), "new cells take the column style");
    for cell in ["C8", "C9"] {
        assert_eq!(rb.get(sheet, cell), "", "{cell}: nothing fits, nothing written");
    }
    let skipped: Vec<(usize, &str)> = report.skipped.iter().map(|s| (s.row, s.reason.as_str())).collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped[0].0 == 8 && skipped[0].1.contains("no dropdown value fits \"N/A\" (allowed: Yes, No)"), "{skipped:?}");
    assert!(skipped[1].0 == 9 && skipped[1].1.contains("\"Partial\""), "{skipped:?}");
    assert_eq!((report.written, report.comments_written), (6, 3));

    // New cells take the column's default style; the formula-looking comment is an inline string.
    let e = entries(&out);
    let xml = text(&e["xl/worksheets/sheet1.xml"].1);
    let c = cells(&xml);
    let col_style = |col: u32| -> String {
        let re = regex::Regex::new(&format!(r#"<col min="{col}" max="{col}"[^>]*style="(\d+)""#)).unwrap();
        re.captures(&xml).unwrap()[1].to_string()
    };
    assert!(c["C7"].contains(&format!(r#"s="{}""#, col_style(3))), "{}", c["C7"]);
    assert!(c["D7"].contains(&format!(r#"s="{}""#, col_style(4))), "{}", c["D7"]);
    assert!(c["D2"].contains(r#"t="inlineStr""#) && !c["D2"].contains("<f>") && c["D2"].contains("=SUM(A1)"), "{}", c["D2"]);
    assert!(c["D3"].contains("a &lt; b &amp; c &gt;"), "{}", c["D3"]);
    // Nothing replaced a formula: calcChain is untouched; shared strings always are.
    let input = entries(&q.path);
    assert_eq!(input["xl/calcChain.xml"].0, e["xl/calcChain.xml"].0);
    assert_eq!(input["xl/sharedStrings.xml"].0, e["xl/sharedStrings.xml"].0);
    assert_same_but_targets(&q.path, &out, &review);
}

#[test]
fn existing_answers_and_formulas_are_kept_unless_overwriting() {
    let dir = tempfile::tempdir().unwrap();
    let (_, q) = fill_fixture(dir.path());
    let review = review_rows(&q, &[(4, Some("Yes"), None), (10, Some("Yes"), None), (11, None, Some("Keys are in a KMS."))]);
    let kept = dir.path().join("kept.xlsx");
    let report = fill_workbook(&q, &review, &kept, &FillOptions::default()).unwrap();
    assert_eq!((report.written, report.comments_written), (0, 0), "{report:#?}");
    let reason = |row: usize| report.skipped.iter().find(|s| s.row == row).map(|s| s.reason.as_str()).unwrap_or("");
    assert!(reason(4).contains("already answered in the workbook (\"NO\")"), "{:?}", report.skipped);
    assert!(reason(10).contains("calculated by a formula"), "{:?}", report.skipped);
    assert!(reason(11).contains("already has a comment"), "{:?}", report.skipped);
    let mut rb = ReadBack::open(&kept);
    assert_eq!(rb.get("Questions", "C4"), "NO");
    assert_eq!(rb.get("Questions", "D11"), "Ref Q-10");

    // Overwriting: the answer replaces "NO", the formula in C10 goes, and so does its calcChain
    // entry; D11's entry stays and now names its sheet itself.
    let one = dir.path().join("one.xlsx");
    let report = fill_workbook(&q, &review_rows(&q, &[(4, Some("Yes"), None), (10, Some("Yes"), None)]), &one, &overwrite()).unwrap();
    assert_eq!(report.written, 2, "{report:#?}");
    let e = entries(&one);
    assert_eq!(text(&e["xl/calcChain.xml"].1).split("<calcChain").nth(1).unwrap(), r#" xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><c r="D11" i="1"/></calcChain>"#);
    assert!(text(&e["xl/workbook.xml"].1).contains(r#"fullCalcOnLoad="1""#));
    assert!(report.notes.iter().any(|n| n.contains("C10")), "{:?}", report.notes);
    let mut rb = ReadBack::open(&one);
    assert_eq!((rb.get("Questions", "C4"), rb.get("Questions", "C10")), ("YES".to_string(), "Yes".to_string()));

    // Both formulas replaced: the emptied calcChain goes, with its relationship and content type.
    let both = dir.path().join("both.xlsx");
    let report = fill_workbook(&q, &review, &both, &overwrite()).unwrap();
    assert_eq!((report.written, report.comments_written), (2, 1), "{report:#?}");
    let e = entries(&both);
    assert!(!e.contains_key("xl/calcChain.xml"));
    assert!(!text(&e["[Content_Types].xml"].1).contains("calcChain") && !text(&e["xl/_rels/workbook.xml.rels"].1).contains("calcChain"));
    assert_same_but_targets(&q.path, &both, &review);
    assert_eq!(ReadBack::open(&both).get("Questions", "D11"), "Keys are in a KMS.");
}

#[test]
fn answers_by_columns_mark_the_chosen_column() {
    let dir = tempfile::tempdir().unwrap();
    let fx = fixtures::answers_by_columns(dir.path().join("in")).unwrap();
    let q = read_questionnaire(&fx.path).unwrap();
    // AIS-01.2 is marked "No" in the fixture; AIS-02.2 is unanswered.
    let find = |r: &str| q.questions().find(|x| x.reference == r).unwrap().clone();
    let review = Review {
        questionnaire: q.file.clone(),
        questions: vec![reviewed(&find("AIS-01.2"), Some("N/A".into()), None), reviewed(&find("AIS-02.2"), Some("Yes".into()), None), reviewed(&find("EKM-03.3"), Some("Partial".into()), None)],
    };
    let out = dir.path().join("out.xlsx");
    let report = fill_workbook(&q, &review, &out, &overwrite()).unwrap();
    assert_eq!(report.written, 2, "{report:#?}");
    assert!(report.skipped[0].reason.contains("none of the answer columns (Yes, No, N/A)"), "{:?}", report.skipped);
    let mut rb = ReadBack::open(&out);
    let row = |rb: &mut ReadBack, r: usize| -> Vec<String> { ["D", "E", "F"].iter().map(|c| rb.get("CAIQ", &format!("{c}{r}"))).collect() };
    assert_eq!(row(&mut rb, find("AIS-01.2").row), ["", "", "x"]);
    assert_eq!(row(&mut rb, find("AIS-02.2").row), ["x", "", ""]);
    assert_same_but_targets(&fx.path, &out, &review);

    // A sheet that marks with "✓" gets "✓".
    let ticks = dir.path().join("ticks.xlsx");
    copy_package(&fx.path, &ticks, |name| (name == "xl/sharedStrings.xml").then_some(Part::Edit(|s| s.replace("<t>x</t>", "<t>✓</t>"))));
    let q = read_questionnaire(&ticks).unwrap();
    let review = Review { questionnaire: q.file.clone(), questions: vec![reviewed(q.questions().find(|x| x.reference == "AIS-02.2").unwrap(), Some("No".into()), None)] };
    let report = fill_workbook(&q, &review, &out, &overwrite()).unwrap();
    assert_eq!(report.written, 1);
    assert_eq!(row(&mut ReadBack::open(&out), find("AIS-02.2").row), ["", "✓", ""]);
}

// ---------------------------------------------------------------------------
// Bad cases
// ---------------------------------------------------------------------------

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir).unwrap().filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| n.ends_with(".part")).collect()
}

/// What `copy_package` does to one part.
enum Part {
    Drop,
    Edit(fn(String) -> String),
}

/// Copies a package with some parts dropped or edited; the rest is copied raw.
fn copy_package(src: &Path, dst: &Path, change: impl Fn(&str) -> Option<Part>) {
    let mut zin = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut zout = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    for i in 0..zin.len() {
        let name = zin.by_index_raw(i).unwrap().name().unwrap().into_owned();
        match change(&name) {
            None => zout.raw_copy_file(zin.by_index_raw(i).unwrap()).unwrap(),
            Some(Part::Drop) => {}
            Some(Part::Edit(edit)) => {
                let mut s = String::new();
                zin.by_index(i).unwrap().read_to_string(&mut s).unwrap();
                zout.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
                std::io::Write::write_all(&mut zout, edit(s).as_bytes()).unwrap();
            }
        }
    }
    zout.finish().unwrap();
}

#[test]
fn the_input_is_never_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let (path, q) = fill_fixture(dir.path());
    let before = std::fs::read(&path).unwrap();
    let review = answer_everything(&q);
    let same_file_by_another_name = path.parent().unwrap().join(".").join(path.file_name().unwrap());
    for out in [path.clone(), same_file_by_another_name] {
        let err = fill_workbook(&q, &review, &out, &overwrite()).unwrap_err().to_string();
        assert!(err.contains("cannot be written over the questionnaire itself") && err.contains("fill-features.filled.xlsx"), "{err}");
    }
    assert_eq!(std::fs::read(&path).unwrap(), before, "the input is untouched");
    assert!(leftovers(path.parent().unwrap()).is_empty());
    // Nor is a successful fill allowed to touch it.
    fill_workbook(&q, &review, &dir.path().join("out.xlsx"), &overwrite()).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn unwritable_destinations_fail_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let (_, q) = fill_fixture(dir.path());
    let review = answer_everything(&q);
    let err = fill_workbook(&q, &review, &dir.path().join("missing/out.xlsx"), &overwrite()).unwrap_err().to_string();
    assert!(err.contains("does not exist"), "{err}");
    let err = fill_workbook(&q, &review, dir.path(), &overwrite()).unwrap_err().to_string();
    assert!(err.contains("is a folder"), "{err}");
    // A read-only folder (root ignores permissions, so only checked for other users).
    let ro = dir.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    if unsafe { libc::geteuid() } != 0 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        let err = fill_workbook(&q, &review, &ro.join("out.xlsx"), &overwrite()).unwrap_err().to_string();
        assert!(err.contains("cannot write") && err.contains("out.xlsx"), "{err}");
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    } else {
        eprintln!("SKIPPED: read-only folder check (running as root)");
    }
    assert!(leftovers(&ro).is_empty() && !ro.join("out.xlsx").exists());
}

#[test]
fn a_missing_sheet_part_or_sheet_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let (path, q) = fill_fixture(dir.path());
    // The same workbook without the Questions sheet's XML.
    let broken = dir.path().join("broken.xlsx");
    copy_package(&path, &broken, |name| (name == "xl/worksheets/sheet1.xml").then_some(Part::Drop));
    let mut q2 = q.clone();
    q2.path = broken.clone();
    q2.sha256 = quire::sheet::read::sha256_hex(&std::fs::read(&broken).unwrap());
    let out = dir.path().join("out.xlsx");
    let err = fill_workbook(&q2, &answer_everything(&q), &out, &overwrite()).unwrap_err().to_string();
    assert!(err.contains("sheet \"Questions\"") && err.contains("xl/worksheets/sheet1.xml") && err.contains("missing"), "{err}");
    assert!(!out.exists() && leftovers(dir.path()).is_empty());

    // Answers made for a sheet the workbook does not have.
    let mut review = answer_everything(&q);
    review.questions[0].question.sheet = "Renamed".into();
    let err = fill_workbook(&q, &review, &out, &overwrite()).unwrap_err().to_string();
    assert!(err.contains("sheet \"Renamed\"") && err.contains("read the questionnaire again"), "{err}");

    // A file changed since it was read.
    let mut q3 = q.clone();
    q3.sha256 = "0".repeat(64);
    let err = fill_workbook(&q3, &review, &out, &overwrite()).unwrap_err().to_string();
    assert!(err.contains("changed since"), "{err}");
    assert!(!out.exists());
}

#[test]
fn formats_that_cannot_be_filled_in_place_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("answers.csv");
    std::fs::write(&csv, fixtures::csv_text()).unwrap();
    let q = read_questionnaire(&csv).unwrap();
    assert!(!can_fill_in_place(q.format));
    let err = fill_workbook(&q, &answer_everything(&q), &dir.path().join("out.xlsx"), &FillOptions::default()).unwrap_err().to_string();
    assert!(err.contains("cannot be filled in place") && err.contains("clean .xlsx export"), "{err}");
}

#[test]
fn macro_workbooks_keep_their_extension() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = fill_fixture(dir.path());
    // Declare the workbook macro-enabled, as an .xlsm does.
    let xlsm = dir.path().join("with-macros.xlsm");
    copy_package(&path, &xlsm, |name| {
        let macro_type = |s: String| s.replace("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "application/vnd.ms-excel.sheet.macroEnabled.main+xml");
        (name == "[Content_Types].xml").then_some(Part::Edit(macro_type))
    });
    let q = read_questionnaire(&xlsm).unwrap();
    let report = fill_workbook(&q, &answer_everything(&q), &dir.path().join("filled.xlsx"), &overwrite()).unwrap();
    assert_eq!(report.output, dir.path().join("filled.xlsm"));
    assert!(report.format_note.as_deref().unwrap_or("").contains("macros"), "{report:?}");
    assert!(report.output.is_file() && !dir.path().join("filled.xlsx").exists());
}

// ---------------------------------------------------------------------------
// LibreOffice opens the result
// ---------------------------------------------------------------------------

fn office() -> Option<&'static str> {
    ["libreoffice", "soffice"].into_iter().find(|b| std::process::Command::new(b).arg("--version").output().is_ok_and(|o| o.status.success()))
}

fn convert_to_pdf(office: &str, file: &Path, out: &Path) {
    let profile = tempfile::tempdir().unwrap();
    let status = std::process::Command::new(office)
        .arg(format!("-env:UserInstallation=file://{}", profile.path().display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(out)
        .arg(file)
        .output()
        .unwrap();
    let pdf = out.join(file.with_extension("pdf").file_name().unwrap());
    assert!(status.status.success() && pdf.is_file() && std::fs::metadata(&pdf).unwrap().len() > 1000, "{}: {}", file.display(), String::from_utf8_lossy(&status.stderr));
}

#[test]
fn libreoffice_opens_filled_workbooks() {
    let Some(office) = office() else {
        eprintln!("SKIPPED: libreoffice/soffice not on PATH; install libreoffice-calc to check that filled workbooks open");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = fill_fixture(dir.path());
    let mut filled = vec![fill_and_check(&path, dir.path()).2.output];
    match shared().map(|d| d.join("hecvat-4.1.4.xlsx")).filter(|p| p.is_file()) {
        Some(hecvat) => filled.push(fill_and_check(&hecvat, dir.path()).2.output),
        None => eprintln!("SKIPPED: hecvat-4.1.4.xlsx not found; LibreOffice checks the fixture only"),
    }
    let pdfs = dir.path().join("pdf");
    std::fs::create_dir(&pdfs).unwrap();
    for f in filled {
        convert_to_pdf(office, &f, &pdfs);
    }
}
