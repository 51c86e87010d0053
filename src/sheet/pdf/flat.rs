//! Questions of a flat PDF (text, no form fields), from the positioned text of `text`:
//!
//! * a table: a line whose segments include a question header ("Question", "Requirement",
//!   "Control", …) and an answer or comment header ("Answer", "Response", "Comments", …) sets
//!   the columns (where each header starts); the lines below it are cut into cells by those
//!   columns and into rows by vertical gaps (a row's wrapped lines sit closer together than two
//!   rows do) or by a new entry in the first column. The rows become a grid that goes through
//!   the sheet detector (`detect`), as Word tables do. A page without a header of its own whose
//!   lines start at the previous page's columns continues that table.
//! * numbered lines: "1.", "1.2", "A.3", "Q12", "a)" followed by text that reads as a
//!   question (or a sentence of six words or more), with its wrapped continuation lines (close
//!   below, not numbered, not a label); a numbered line that is not a question is a section
//!   heading. "Answer:" / "Response:" and "Comments:" lines after a question are its answer
//!   and comment (a PDF printed from a filled questionnaire), and so are ticked boxes (☒ Yes).
//!
//! Each page is a "sheet" ("Page 3"); a question's `row` is the 1-based line of the page where
//! it starts (counting content lines: page numbers and running headers and footers, the same
//! line at the top or bottom of most pages, are left out), its `reference` the customer's
//! numbering. A flat PDF has no answer places, so
//! `answer_cell` and `comment_cell` stay empty: filling writes a response document
//! (`fill::pdf`).

use super::text::{join, Line, PageText, Segment};
use crate::answer::classify;
use crate::sheet::detect::{clean_text, detect_sheet, is_question_like, Plan};
use crate::sheet::model::{Question, SheetLayout};
use crate::sheet::docx::{is_placeholder, strip_label};
use crate::sheet::grid::Grid;
use crate::sheet::profile::{PinnedColumns, Profiles};
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// The sheet name of page `n` (1-based).
pub fn page_name(n: u32) -> String {
    format!("Page {n}")
}

/// The 1-based page of a "Page N" sheet name.
pub fn page_number(sheet: &str) -> Option<u32> {
    sheet.strip_prefix("Page ")?.parse().ok()
}

const QUESTION_HEADERS: &[&str] = &["question", "questions", "requirement", "requirements", "control", "control question", "description", "query", "criteria", "item", "security question", "question text"];
const ANSWER_HEADERS: &[&str] = &["answer", "answers", "response", "responses", "yes/no", "y/n", "comment", "comments", "remarks", "vendor response", "supplier response", "compliance", "compliant", "notes", "explanation", "evidence"];
const ANSWER_LABELS: &[&str] = &["response", "answer", "vendor response", "vendor answer", "reply", "your response", "your answer", "supplier response"];
const COMMENT_LABELS: &[&str] = &["comment", "comments", "explanation", "additional information", "notes", "details", "evidence"];

fn header_word(text: &str, words: &[&str]) -> bool {
    let t = text.trim().trim_end_matches([':', '*']).trim().to_lowercase();
    words.contains(&t.as_str())
}

/// Header texts of a reference column (only used to split a header line into its cells).
const REF_HEADERS: &[&str] = &["ref", "ref.", "ref #", "id", "#", "no", "no.", "number", "question id", "control id", "question #", "item #"];

/// A header line's cells: its segments, except that a segment made of several header words
/// printed close together (narrow empty columns: "Answer Comments") is split into its words,
/// each with its own position.
fn header_cells(l: &Line) -> Vec<Segment> {
    let known = |t: &str| header_word(t, QUESTION_HEADERS) || header_word(t, ANSWER_HEADERS) || header_word(t, REF_HEADERS);
    let mut out = Vec::new();
    for s in &l.segments {
        let words = words_of(l, s);
        if !known(&s.text) && words.len() >= 2 && words.iter().all(|w| known(&w.text)) {
            out.extend(words);
        } else {
            out.push(s.clone());
        }
    }
    out
}

/// The words of a segment with their positions, from the line's chunks (a chunk may be a single
/// glyph: words are cut where the gap between chunks is a space's width).
fn words_of(l: &Line, s: &Segment) -> Vec<Segment> {
    let mut words: Vec<Segment> = Vec::new();
    for c in l.chunks.iter().filter(|c| c.x0 >= s.x0 - 0.01 && c.x1 <= s.x1 + 0.01) {
        for (i, part) in c.text.split(' ').enumerate() {
            let joined = i == 0 && words.last().is_some_and(|w| c.x0 - w.x1 <= 0.15 * c.size && !c.text.starts_with(' '));
            match words.last_mut() {
                Some(w) if joined => {
                    w.text.push_str(part);
                    w.x1 = c.x1;
                }
                _ => words.push(Segment { x0: c.x0, x1: c.x1, text: part.to_string() }),
            }
        }
    }
    words.retain(|w| !w.text.trim().is_empty());
    words
}

/// Whether a line is a table header: a question header and an answer/comment header in
/// different cells.
fn is_header(l: &Line) -> bool {
    let cells = header_cells(l);
    cells.len() >= 2 && cells.iter().any(|s| header_word(&s.text, QUESTION_HEADERS)) && cells.iter().any(|s| header_word(&s.text, ANSWER_HEADERS))
}

/// Where each column starts. A header printed centred over its column starts right of the
/// column's text, so a column's start is the leftmost line start below the header that falls
/// between the end of the header cell before and the start of this one (else this header cell's
/// start).
fn column_starts(cells: &[Segment], below: &[&Line]) -> Vec<f32> {
    cells
        .iter()
        .enumerate()
        .map(|(i, cell)| {
            let own = cell.x0;
            if i == 0 {
                return own;
            }
            let after = cells[i - 1].x1;
            below
                .iter()
                .flat_map(|l| l.segments.iter().map(|s| s.x0))
                .filter(|x| *x > after && *x < own)
                .fold(own, f32::min)
        })
        .collect()
}

/// Running page numbers ("3", "Page 3 of 10", "- 3 -") are not content.
fn is_page_number(text: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"(?i)^[-–\s]*(page\s+)?\d{1,4}(\s*(of|/)\s*\d{1,4})?[-–\s]*$").expect("static regex"));
    re.is_match(text.trim())
}

/// Lines in a page's top or bottom sixth repeated on most pages (running headers and
/// footers, "Confidential"), by their text.
fn running_lines(pages: &[PageText]) -> HashSet<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    if pages.len() < 2 {
        return HashSet::new();
    }
    for p in pages {
        let mut seen = HashSet::new();
        for l in p.lines.iter().filter(|l| in_margin(p, l)) {
            let t = l.text();
            if seen.insert(t.clone()) {
                *counts.entry(t).or_default() += 1;
            }
        }
    }
    let needed = (pages.len() * 6).div_ceil(10).max(2);
    counts.into_iter().filter(|(_, n)| *n >= needed).map(|(t, _)| t).collect()
}

fn in_margin(p: &PageText, l: &Line) -> bool {
    l.y > p.height * 5.0 / 6.0 || l.y < p.height / 6.0
}

/// Whether a line is content: not a page number, not a running header or footer.
fn is_content(p: &PageText, l: &Line, running: &HashSet<String>) -> bool {
    let t = l.text();
    !is_page_number(&t) && !(in_margin(p, l) && running.contains(&t))
}

/// The customer's numbering at the start of a line and the text after it.
pub fn numbering(text: &str) -> Option<(String, &str)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"^(?x)
            (?: (?P<q>(?:Q|Question\s?)\d{1,3}(?:\.\d{1,3})*[a-z]?)[.):]?\s+
              | (?P<id>[A-Z]{1,5}[.\-]\d{1,3}(?:\.\d{1,3})*[a-z]?)[.):]?\s+
              | (?P<multi>\d{1,3}(?:\.\d{1,3})+[a-z]?)[.):]?\s+
              | (?P<num>\d{1,3}[a-z]?)[.):]\s*
              | (?P<letter>[A-Za-z])[.)]\s+ )
            (?P<rest>\S.*)$",
        )
        .expect("static regex")
    });
    let c = re.captures(text.trim())?;
    let reference = ["q", "id", "multi", "num", "letter"].iter().find_map(|n| c.name(n))?.as_str().to_string();
    let rest = c.name("rest")?.as_str();
    Some((reference, rest))
}

/// A line of ticked and empty boxes ("☒ Yes ☐ No"): the ticked labels.
fn boxes(text: &str) -> Option<String> {
    const TICKED: &[char] = &['☒', '☑', '■', '✔', '✓', '⊠'];
    const EMPTY: &[char] = &['☐', '□', '❑', '○'];
    if !text.contains(|c| TICKED.contains(&c) || EMPTY.contains(&c)) {
        return None;
    }
    let mut ticked = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(|c| TICKED.contains(&c) || EMPTY.contains(&c)) {
        let mark = rest[i..].chars().next()?;
        let after = &rest[i + mark.len_utf8()..];
        let end = after.find(|c| TICKED.contains(&c) || EMPTY.contains(&c)).unwrap_or(after.len());
        let label = after[..end].trim();
        if TICKED.contains(&mark) && !label.is_empty() {
            ticked.push(label.to_string());
        }
        rest = &after[end..];
    }
    Some(ticked.join(", "))
}

/// Reads the pages of a flat PDF into one layout per page.
pub fn read(pages: &[PageText], profiles: &Profiles) -> Vec<SheetLayout> {
    let mut layouts: Vec<SheetLayout> = Vec::with_capacity(pages.len());
    // The table of the previous page (column starts and roles), for tables that go on.
    let mut table: Option<(Vec<f32>, bool, PinnedColumns)> = None;
    let mut numbered_pages: Vec<usize> = Vec::new();
    let running = running_lines(pages);
    for (pi, page) in pages.iter().enumerate() {
        let lines: Vec<&Line> = page.lines.iter().filter(|l| is_content(page, l, &running)).collect();
        let name = page_name(page.number);
        let header = lines.iter().position(|l| is_header(l));
        // The previous page's table going on (above this page's own header, if it has one).
        let above = &lines[..header.unwrap_or(lines.len())];
        let continued = table.as_ref().and_then(|t| continued(&name, above, t, profiles, layouts.last_mut(), page.number));
        let mut layout = None;
        if let Some(h) = header {
            let cells = header_cells(lines[h]);
            let starts = column_starts(&cells, &lines[h + 1..]);
            let n_cols = starts.len();
            let ids_first = !header_word(&cells[0].text, QUESTION_HEADERS);
            let grid = table_grid(&name, &lines, h, &starts, ids_first, true);
            let mut l = detect_sheet(&grid, profiles, Plan::Detect);
            // Too few rows under a header at the foot of a page for detection to be sure: the
            // same header as the table before, so its columns.
            if !l.used {
                if let Some((prev, _, pins)) = table.as_ref().filter(|(prev, _, _)| prev.len() == starts.len()) {
                    let _ = prev;
                    let pins = PinnedColumns { header_row: Some(h + 1), data_row: Some(h + 2), ..pins.clone() };
                    let pinned = detect_sheet(&grid, profiles, Plan::Pinned { profile: "continued", pins });
                    if pinned.used {
                        l = pinned;
                        l.notes.retain(|n| !n.starts_with("columns pinned"));
                    }
                }
            }
            if l.used {
                if let Some(c) = &l.columns {
                    table = Some((starts, ids_first, PinnedColumns { header_row: None, data_row: Some(1), reference: c.reference, question: c.question, answer: c.answer, comment: c.comment, domain: c.domain, choices: Vec::new() }));
                }
                if let Some(heading) = heading_above(&lines, h) {
                    for q in l.questions.iter_mut().filter(|q| q.domain.is_empty()) {
                        q.domain = heading.clone();
                    }
                }
                l.notes.push(format!("a table of {n_cols} columns under the header on line {}", h + 1));
                layout = Some(l);
            }
        }
        layout = match (continued, layout) {
            (Some(c), Some(mut l)) => {
                l.notes.push(format!("above its header: {} rows of the table of page {} continued", c.questions.len(), page.number.saturating_sub(1)));
                let mut questions = c.questions;
                questions.append(&mut l.questions);
                l.questions = questions;
                Some(l)
            }
            (Some(c), None) => Some(c),
            (None, l) => l,
        };
        match layout {
            Some(l) => layouts.push(l),
            None => {
                table = None;
                numbered_pages.push(pi);
                layouts.push(SheetLayout { name, used: false, reason: None, header_row: None, columns: None, confidence: 0.0, questions: Vec::new(), notes: Vec::new(), header_candidates: Vec::new() });
            }
        }
        // Flat PDFs have no answer places.
        if let Some(l) = layouts.last_mut() {
            for q in &mut l.questions {
                q.answer_cell = None;
                q.comment_cell = None;
                q.choice_cells.clear();
            }
        }
    }
    numbered(pages, &numbered_pages, &running, &mut layouts);
    for l in &mut layouts {
        if l.used && l.questions.is_empty() {
            l.used = false;
        }
        if !l.used && l.reason.is_none() {
            l.reason = Some("no numbered questions or question table on this page".into());
        }
    }
    layouts
}

/// The previous page's table (column starts, IDs in the first column, column roles) going on
/// in `lines` (a page's lines without a header of their own), read with its columns.
fn continued(name: &str, lines: &[&Line], table: &(Vec<f32>, bool, PinnedColumns), profiles: &Profiles, previous: Option<&mut SheetLayout>, page: u32) -> Option<SheetLayout> {
    let (starts, ids_first, pins) = table;
    let two_columns = continues(lines, starts)?;
    // A row split by the page break: its last lines come first, before the next row starts.
    let prev_open = previous.as_ref().and_then(|p| p.questions.last()).is_some_and(|q| !q.text.trim_end().ends_with(['?', '.', ':']));
    let first_text = |l: &Line| l.chunks.iter().filter(|c| starts.iter().rposition(|s| c.x0 >= s - c.size).unwrap_or(0) == pins.question).map(|c| c.text.trim().to_string()).collect::<Vec<_>>().join(" ");
    let tail_len = if *ids_first {
        lines.iter().take_while(|l| l.chunks.iter().all(|c| c.x0 >= starts.get(1).copied().unwrap_or(f32::MAX) - c.size)).count()
    } else if prev_open {
        lines.iter().take_while(|l| first_text(l).starts_with(|c: char| c.is_lowercase())).count()
    } else {
        0
    };
    let tail_len = tail_len.min(lines.len());
    let tail = &lines[..tail_len];
    let mut previous = previous;
    if !tail.is_empty() {
        if let Some(q) = previous.as_mut().and_then(|p| p.questions.last_mut()) {
            let grid = table_grid(name, tail, 0, starts, false, false);
            let col = |c: Option<usize>| -> String {
                let Some(c) = c else { return String::new() };
                grid.rows.iter().map(|r| r.get(c).map(|t| t.trim()).unwrap_or("")).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" ")
            };
            let join = |a: &str, b: String| if b.is_empty() { a.to_string() } else if a.is_empty() { b } else { format!("{a} {b}") };
            q.text = clean_text(&join(&q.text, col(Some(pins.question))));
            q.answer = clean_text(&join(&q.answer, col(pins.answer)));
            q.answer_kind = classify(&q.answer);
            q.comment = clean_text(&join(&q.comment, col(pins.comment)));
        }
    }
    if tail_len == lines.len() {
        return None;
    }
    // Rows keep their line numbers on the page: the grid starts after the tail.
    let grid = table_grid(name, lines, tail_len, starts, *ids_first, false);
    let mut l = detect_sheet(&grid, profiles, Plan::Pinned { profile: "continued", pins: pins.clone() });
    // Lines in one column only (no answers yet) continue the table when what they hold reads
    // as questions; else they are the page's own text.
    let questions_read = l.questions.iter().filter(|q| is_question_like(&q.text)).count();
    if !l.used || l.questions.is_empty() || !(two_columns || questions_read * 10 >= l.questions.len() * 6) {
        return None;
    }
    // The section goes on with the table.
    let section = previous.and_then(|p| p.questions.last()).map(|q| q.domain.clone()).unwrap_or_default();
    for q in l.questions.iter_mut().filter(|q| q.domain.is_empty()) {
        q.domain = section.clone();
    }
    l.notes.retain(|n| !n.starts_with("columns pinned"));
    l.notes.push(format!("no header of its own: the table of page {} continued", page.saturating_sub(1)));
    Some(l)
}

/// The grid of a page's table: row = line of the page (0-based), a table row's wrapped lines
/// joined into the row of its first line; column = the header column a string starts in.
fn table_grid(name: &str, lines: &[&Line], header: usize, starts: &[f32], ids_first: bool, with_header: bool) -> Grid {
    let mut grid = Grid::new(name);
    let column = |x: f32, size: f32| -> usize { starts.iter().rposition(|s| x >= s - size).unwrap_or(0) };
    if with_header {
        for (c, s) in header_cells(lines[header]).iter().enumerate() {
            grid.set(header, c, s.text.clone());
        }
    }
    let first = if with_header { header + 1 } else { header };
    let mut row: Option<(usize, Vec<Vec<String>>)> = None;
    let mut prev: Option<&Line> = None;
    let flush = |grid: &mut Grid, row: &Option<(usize, Vec<Vec<String>>)>| {
        if let Some((r, cells)) = row {
            for (c, parts) in cells.iter().enumerate() {
                if !parts.is_empty() {
                    grid.set(*r, c, join_lines(parts));
                }
            }
        }
    };
    for (i, l) in lines.iter().enumerate().skip(first) {
        // The header repeated (a second table, or a header row repeated on a new page).
        if is_header(l) {
            flush(&mut grid, &row);
            row = None;
            prev = Some(l);
            continue;
        }
        let mut cells: Vec<Vec<&super::text::Chunk>> = vec![Vec::new(); starts.len()];
        // A string that follows the previous one without a word gap continues its cell (a
        // merged cell's text can run past the next column's start).
        let mut last: Option<(usize, f32)> = None;
        for c in &l.chunks {
            let here = column(c.x0, c.size);
            // A word after a space that does not start where a column's text starts goes on
            // in the cell before (a merged cell's text across columns).
            let col = match last {
                Some((col, x1)) if here > col => {
                    let gap = c.x0 - x1;
                    let at_start = (c.x0 - starts[here]).abs() <= 2.0;
                    if gap < 0.2 * c.size || (gap < 0.6 * c.size && !at_start) {
                        col
                    } else {
                        here
                    }
                }
                _ => here,
            };
            cells[col].push(c);
            last = Some((col, c.x1));
        }
        // A new row: a wider gap than between wrapped lines; a new entry in a first column of
        // IDs; or, when the first column holds the questions, a line that starts a sentence
        // after one that ended one.
        let gap = prev.map(|p| p.y - l.y).unwrap_or(f32::MAX);
        let first = join(&cells[0]);
        let new_row = match &row {
            None => true,
            Some((_, cur)) => {
                gap > 1.45 * l.size
                    || (!first.is_empty() && !cur[0].is_empty() && (ids_first || (cur[0].last().is_some_and(|t| t.trim_end().ends_with(['?', '.', ':'])) && first.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()))))
            }
        };
        if new_row {
            flush(&mut grid, &row);
            row = Some((i, vec![Vec::new(); starts.len()]));
        }
        if let Some((_, cur)) = &mut row {
            for (c, chunks) in cells.iter().enumerate() {
                let t = join(chunks);
                // Boxes ("☐ Yes ☒ No") stand for the ticked label.
                let t = match boxes(&t) {
                    Some(ticked) => ticked,
                    None => t,
                };
                if !t.is_empty() {
                    cur[c].push(t);
                }
            }
        }
        prev = Some(l);
    }
    flush(&mut grid, &row);
    grid
}

/// A cell's wrapped lines as one text: a word hyphenated at the end of a line ("non-" +
/// "production") is joined without a space.
fn join_lines(parts: &[String]) -> String {
    let mut out = String::new();
    for p in parts {
        let hyphenated = out.ends_with('-') && out.chars().rev().nth(1).is_some_and(char::is_alphabetic) && p.starts_with(|c: char| c.is_lowercase());
        if !out.is_empty() && !hyphenated {
            out.push(' ');
        }
        out.push_str(p);
    }
    out
}

/// Whether a page without a header may go on with a table whose columns start at `starts`:
/// most of its lines start at one of them. `Some(true)` when some line uses two columns.
fn continues(lines: &[&Line], starts: &[f32]) -> Option<bool> {
    if lines.is_empty() {
        return None;
    }
    let near = |x: f32, size: f32| starts.iter().any(|s| (x - s).abs() <= size);
    let aligned = lines.iter().filter(|l| l.segments.first().is_some_and(|s| near(s.x0, l.size))).count();
    let two = lines.iter().filter(|l| l.segments.iter().filter(|s| near(s.x0, l.size)).count() >= 2).count();
    (aligned * 10 >= lines.len() * 8).then_some(two >= 1)
}

/// A short line just above a table's header: its section.
fn heading_above(lines: &[&Line], header: usize) -> Option<String> {
    let above = lines.get(header.checked_sub(1)?)?;
    let t = above.text();
    (t.chars().count() <= 120 && !is_question_like(&t) && header_gap(above, lines[header])).then(|| t.trim().to_string())
}

fn header_gap(a: &Line, b: &Line) -> bool {
    a.y - b.y < 4.0 * b.size
}

/// Where a line sits: page index into `pages`, line index in that page.
#[derive(Clone, Copy)]
struct At {
    page: usize,
    line: usize,
}

/// Numbered questions on the pages not read as tables, in reading order across pages.
fn numbered(pages: &[PageText], which: &[usize], running: &HashSet<String>, layouts: &mut [SheetLayout]) {
    let stream: Vec<(At, &Line)> = which
        .iter()
        .flat_map(|&p| pages[p].lines.iter().filter(move |l| is_content(&pages[p], l, running)).enumerate().map(move |(i, l)| (At { page: p, line: i }, l)))
        .collect();
    let mut domain = String::new();
    let mut i = 0;
    while i < stream.len() {
        let (at, line) = stream[i];
        let text = line.text();
        let Some((reference, rest)) = numbering(&text) else {
            i += 1;
            continue;
        };
        // The question's wrapped lines.
        let mut parts = vec![rest.to_string()];
        let mut j = i + 1;
        let mut last = line;
        let mut last_at = at;
        while j < stream.len() {
            let (nat, next) = stream[j];
            let t = next.text();
            let so_far = parts.last().map(|s| s.trim_end()).unwrap_or("");
            let close = if nat.page == last_at.page { last.y - next.y <= 1.6 * next.size.max(last.size) } else { !so_far.ends_with(['?', '.', ':']) };
            if !close || numbering(&t).is_some() || is_label(&t) || boxes(&t).is_some() || is_placeholder(&t) || next.x0() < line.x0() - next.size {
                break;
            }
            parts.push(t);
            last = next;
            last_at = nat;
            j += 1;
        }
        let question = clean_text(&parts.join(" "));
        let words = question.split_whitespace().count();
        if !is_question_like(&question) && words < 6 {
            // A numbered heading: the section of the questions after it.
            if words <= 12 {
                domain = question;
            }
            i = j;
            continue;
        }
        // What follows until the next numbered line: an answer and a comment, if labelled.
        let (mut answer, mut comment) = (String::new(), String::new());
        let mut k = j;
        while k < stream.len() {
            let t = stream[k].1.text();
            if numbering(&t).is_some() {
                break;
            }
            if let Some(ticked) = boxes(&t) {
                if answer.is_empty() {
                    answer = ticked;
                }
            } else if let (true, rest) = strip_label(&t, ANSWER_LABELS) {
                if !is_placeholder(rest) {
                    answer = rest.to_string();
                }
            } else if let (true, rest) = strip_label(&t, COMMENT_LABELS) {
                if !is_placeholder(rest) {
                    comment = rest.to_string();
                }
            }
            k += 1;
        }
        let answer = clean_text(&answer);
        let answer_kind = classify(&answer);
        let sheet = page_name(pages[at.page].number);
        let layout = &mut layouts[at.page];
        layout.used = true;
        layout.confidence = 0.6;
        layout.questions.push(Question {
            sheet,
            row: at.line + 1,
            reference,
            text: question,
            domain: domain.clone(),
            answer,
            answer_kind,
            comment: clean_text(&comment),
            answer_cell: None,
            choice_cells: Vec::new(),
            comment_cell: None,
        });
        i = j;
    }
    for l in layouts.iter_mut() {
        if l.used && l.columns.is_none() && !l.questions.is_empty() {
            l.notes.push(format!("{} numbered question{} (a flat PDF: answers go to a response document)", l.questions.len(), if l.questions.len() == 1 { "" } else { "s" }));
        }
    }
}

fn is_label(t: &str) -> bool {
    strip_label(t, ANSWER_LABELS).0 || strip_label(t, COMMENT_LABELS).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_styles() {
        assert_eq!(numbering("1. Do you encrypt?"), Some(("1".into(), "Do you encrypt?")));
        assert_eq!(numbering("1.2 Do you encrypt?"), Some(("1.2".into(), "Do you encrypt?")));
        assert_eq!(numbering("A.3 Do you encrypt?"), Some(("A.3".into(), "Do you encrypt?")));
        assert_eq!(numbering("Q12 Do you encrypt?"), Some(("Q12".into(), "Do you encrypt?")));
        assert_eq!(numbering("GOV-01. Is there a policy?"), Some(("GOV-01".into(), "Is there a policy?")));
        assert_eq!(numbering("b) Is there a policy?"), Some(("b".into(), "Is there a policy?")));
        assert_eq!(numbering("I have a question"), None);
        assert_eq!(numbering("2026 annual review"), None);
        assert!(is_page_number("Page 3 of 10") && is_page_number("- 4 -") && !is_page_number("4 servers"));
    }

    #[test]
    fn ticked_boxes() {
        assert_eq!(boxes("☒ Yes ☐ No ☐ N/A").as_deref(), Some("Yes"));
        assert_eq!(boxes("☐ Yes ☐ No").as_deref(), Some(""));
        assert_eq!(boxes("Yes or no"), None);
    }
}
