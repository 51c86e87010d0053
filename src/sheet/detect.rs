//! Layout detection: a grid in, questions out. Finds the header row (or decides there is none),
//! gives columns their roles (ref, question, answer, comment, domain, or Yes/No/N/A choice
//! columns), tells question rows from section titles and instructions, and says how sure it is.
//! Known formats are pinned by profiles; everything else is read from the evidence in the sheet.

use crate::answer::{classify, AnswerKind};
use crate::sheet::grid::{cell_address, col_letter, Grid};
use crate::sheet::model::{Columns, Question, Role, SheetLayout};
use crate::sheet::profile::{HeaderWords, PinnedColumns, Profiles, SkipRules};
use regex::Regex;
use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

/// How far down a header row may sit.
const HEADER_SCAN_ROWS: usize = 30;
/// Rows looked at when inferring column roles from content.
const SAMPLE_ROWS: usize = 3000;
/// A sheet with fewer question rows than this is not treated as a questionnaire.
const MIN_QUESTIONS: usize = 2;
/// Below this, the CLI warns that the layout is a guess and shows what it saw.
pub const LOW_CONFIDENCE: f32 = 0.6;

/// How a sheet is to be read: by a profile's pins, or detected.
pub enum Plan<'a> {
    Detect,
    /// Detect even a hidden sheet or one whose name says it is not a questionnaire (a person
    /// asked for this sheet to be included).
    DetectAnyway,
    Pinned { profile: &'a str, pins: PinnedColumns },
    Skip(String),
}

fn id_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // Question/control identifiers seen in real questionnaires: APPL-01, A&A-01.1, AIS- 02.2,
        // CO-02a, A.1.1, 1.2.3, 01.a (HITRUST), DSP-07.2, GNRL-01, IH-01, ID.AM-01 (NIST CSF).
        Regex::new(
            r"(?ix)^(
                [a-z][a-z&]{0,7}(\.[a-z]{1,4})?\s?[-_.]\s?\d{1,6}([.\-]\d{1,3}){0,3}[a-z]{0,2}
              | \d{1,3}(\.\d{1,3}){1,4}[a-z]?
              | \d{2}\.[a-z]{1,2}
            )$",
        )
        .expect("static regex")
    })
}

/// Whether a cell looks like a question or control identifier.
pub fn is_identifier(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty() && s.len() <= 24 && id_regex().is_match(s)
}

const INTERROGATIVES: &[&str] = &[
    "is", "are", "do", "does", "did", "can", "could", "will", "would", "has", "have", "had", "should", "shall",
    "was", "were", "may", "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "describe",
    "explain", "provide", "list", "please", "state", "specify", "indicate", "identify", "outline", "detail",
    "summarize", "summarise", "select", "confirm", "attach", "upload", "enter", "name",
];

/// Whether a text reads as a question or a request for information.
pub fn is_question_like(text: &str) -> bool {
    let t = text.trim();
    if t.len() < 8 {
        return false;
    }
    if t.trim_end_matches(['*', ' ', ')', '"', '\'', '.']).ends_with('?') {
        return true;
    }
    // "(SaaS only) Do you…" and "1. Do you…": skip a leading remark or number.
    let mut rest = t;
    if rest.starts_with('(') {
        if let Some(end) = rest.find(')') {
            rest = rest[end + 1..].trim_start();
        }
    }
    let first: String = rest
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or("")
        .to_lowercase();
    INTERROGATIVES.contains(&first.as_str())
}

/// Normalises a header cell for vocabulary matching.
fn header_key(cell: &str) -> String {
    let mut s = String::with_capacity(cell.len());
    let mut depth = 0;
    for c in cell.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth > 0 => {}
            '*' | ':' => {}
            c => s.push(c),
        }
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The role a header cell names, with a strength (2 = exact, 1 = contains a role word).
fn header_role(words: &HeaderWords, cell: &str) -> Option<(Role, u8)> {
    let key = header_key(cell);
    if key.is_empty() || key.len() > 60 {
        return None;
    }
    if words.ignore.iter().any(|w| key == *w || key.starts_with(&format!("{w} "))) {
        return None;
    }
    let table: [(Role, &Vec<String>); 5] = [
        (Role::Ref, &words.reference),
        (Role::Question, &words.question),
        (Role::Answer, &words.answer),
        (Role::Comment, &words.comment),
        (Role::Domain, &words.domain),
    ];
    for (role, list) in table {
        if list.iter().any(|w| *w == key) {
            return Some((role, 2));
        }
    }
    // Containment: the longest role word found as a whole phrase wins; only in short cells
    // (a header says "Vendor Response (Yes/No)", not a sentence).
    if key.split(' ').count() > 5 {
        return None;
    }
    let padded = format!(" {key} ");
    let mut best: Option<(Role, usize)> = None;
    for (role, list) in table {
        for w in list.iter().filter(|w| w.len() >= 4) {
            if padded.contains(&format!(" {w} ")) && best.is_none_or(|(_, l)| w.len() > l) {
                best = Some((role, w.len()));
            }
        }
    }
    best.map(|(r, _)| (r, 1))
}

/// Header roles found in one row: column → (role, strength).
fn row_roles(words: &HeaderWords, grid: &Grid, row: usize) -> BTreeMap<usize, (Role, u8)> {
    let mut out = BTreeMap::new();
    if let Some(cells) = grid.rows.get(row) {
        for (c, cell) in cells.iter().enumerate() {
            if let Some(r) = header_role(words, cell) {
                out.insert(c, r);
            }
        }
    }
    out
}

fn choice_kind(cell: &str) -> Option<AnswerKind> {
    match header_key(cell).as_str() {
        "yes" | "y" => Some(AnswerKind::Yes),
        "no" | "n" => Some(AnswerKind::No),
        "n/a" | "na" | "not applicable" => Some(AnswerKind::NotApplicable),
        "partial" | "partially" => Some(AnswerKind::Partial),
        _ => None,
    }
}

/// Yes/No/N/A sub-headers in adjacent columns within a few rows of the header (CAIQ v3 style).
fn find_choice_columns(grid: &Grid, from: usize, to: usize) -> (Vec<(usize, AnswerKind)>, Option<usize>) {
    for r in from..to.min(grid.rows.len()) {
        let cells = &grid.rows[r];
        let found: Vec<(usize, AnswerKind)> =
            cells.iter().enumerate().filter_map(|(c, v)| choice_kind(v).map(|k| (c, k))).collect();
        let kinds: HashSet<AnswerKind> = found.iter().map(|(_, k)| *k).collect();
        let adjacent = found.windows(2).all(|w| w[1].0 == w[0].0 + 1);
        if found.len() >= 2 && kinds.len() == found.len() && adjacent && kinds.contains(&AnswerKind::Yes) {
            return (found, Some(r));
        }
    }
    (Vec::new(), None)
}

/// Per-column content statistics over the data rows.
#[derive(Debug, Default, Clone)]
struct ColumnStats {
    nonempty: usize,
    ids: HashSet<String>,
    id_cells: usize,
    question_like: usize,
    long_text: usize,
    answer_like: usize,
}

/// Statistics per column over the rows from `start`; with `id_col`, only over rows whose cell
/// in that column is an identifier (the rows that are questions, if that is the ref column).
fn column_stats(grid: &Grid, start: usize, id_col: Option<usize>) -> Vec<ColumnStats> {
    let width = grid.width();
    let mut stats = vec![ColumnStats::default(); width];
    let rows = grid.rows.iter().skip(start).filter(|row| id_col.is_none_or(|c| row.get(c).is_some_and(|v| is_identifier(v))));
    for row in rows.take(SAMPLE_ROWS) {
        for (c, cell) in row.iter().enumerate() {
            let t = cell.trim();
            if t.is_empty() {
                continue;
            }
            let s = &mut stats[c];
            s.nonempty += 1;
            if is_identifier(t) {
                s.id_cells += 1;
                s.ids.insert(t.to_string());
            }
            if is_question_like(t) {
                s.question_like += 1;
            }
            if t.chars().count() >= 25 {
                s.long_text += 1;
            }
            if t.chars().count() <= 24 && matches!(classify(t), Some(k) if k != AnswerKind::Text) && t != "x" && t != "X" {
                s.answer_like += 1;
            }
        }
    }
    stats
}

/// Reads one sheet according to the plan.
pub fn detect_sheet(grid: &Grid, profiles: &Profiles, plan: Plan<'_>) -> SheetLayout {
    if let Some(why) = &grid.broken {
        return SheetLayout::skipped(grid, format!("damaged, not read ({why}); the other sheets were read"));
    }
    if grid.is_empty() {
        return SheetLayout::skipped(grid, "empty sheet");
    }
    match plan {
        Plan::Skip(reason) => SheetLayout::skipped(grid, reason),
        Plan::Pinned { profile, pins } => read_pinned(grid, profile, pins),
        Plan::DetectAnyway => detect_layout(grid, &profiles.headers),
        Plan::Detect => {
            if grid.hidden {
                return SheetLayout::skipped(grid, "hidden sheet (a master or lookup table, not shown to respondents)");
            }
            if let Some(word) = skip_by_name(&profiles.skip, &grid.name) {
                return SheetLayout::skipped(grid, format!("not a questionnaire sheet: its name says \"{word}\""));
            }
            detect_layout(grid, &profiles.headers)
        }
    }
}

fn skip_by_name<'a>(rules: &'a SkipRules, name: &str) -> Option<&'a str> {
    let padded = format!(" {} ", name.to_lowercase().replace(['-', '_', '(', ')', '.'], " "));
    let padded = format!(" {} ", padded.split_whitespace().collect::<Vec<_>>().join(" "));
    rules.sheet_names.iter().find(|w| padded.contains(&format!(" {} ", w.to_lowercase()))).map(|s| s.as_str())
}

fn read_pinned(grid: &Grid, profile: &str, pins: PinnedColumns) -> SheetLayout {
    let header_row = pins.header_row;
    let data_start = pins.data_row.map(|r| r.saturating_sub(1)).or(header_row).unwrap_or(0);
    let columns = Columns {
        reference: pins.reference,
        question: pins.question,
        answer: pins.answer,
        comment: pins.comment,
        domain: pins.domain,
        choices: pins.choices,
    };
    let mut layout = extract(grid, columns, header_row, data_start, true);
    if layout.used {
        layout.confidence = layout.confidence.max(0.95);
        layout.notes.push(format!("columns pinned by the {profile} profile"));
    }
    layout
}

fn detect_layout(grid: &Grid, words: &HeaderWords) -> SheetLayout {
    // 1. A header row: the row in the first 30 that names a question column and at least one
    //    other role. Ties go to the row naming more roles, then to the earlier row.
    let mut best: Option<(usize, BTreeMap<usize, (Role, u8)>, usize)> = None;
    let mut candidates = Vec::new();
    for r in 0..HEADER_SCAN_ROWS.min(grid.rows.len()) {
        let roles = row_roles(words, grid, r);
        let distinct: HashSet<Role> = roles.values().map(|(role, _)| *role).collect();
        if !roles.is_empty() {
            let seen: Vec<String> = grid.rows[r].iter().filter(|c| !c.trim().is_empty()).take(8).map(|c| c.trim().replace('\n', " ")).collect();
            candidates.push(format!("row {}: {}", r + 1, seen.join(" | ")));
        }
        // A row holding an identifier is data, not a header.
        let has_identifier = grid.rows[r].iter().any(|c| is_identifier(c));
        if distinct.contains(&Role::Question) && distinct.len() >= 2 && !has_identifier && heads_question_text(grid, r, &roles) {
            let score = distinct.len() * 10 + roles.values().map(|(_, s)| *s as usize).sum::<usize>();
            if best.as_ref().is_none_or(|(_, _, s)| score > *s) {
                best = Some((r, roles, score));
            }
        }
    }

    let (header_row, data_start, header_roles) = match best {
        Some((r, roles, _)) => (Some(r + 1), r + 1, roles),
        None => (None, 0, hint_roles(words, grid)),
    };
    let stats = column_stats(grid, data_start, None);

    // 2. Column roles: from the header where it names them, else from content.
    let pick_header = |role: Role| -> Vec<usize> {
        let mut cols: Vec<(usize, u8)> =
            header_roles.iter().filter(|(_, (r, _))| *r == role).map(|(c, (_, s))| (*c, *s)).collect();
        cols.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        cols.into_iter().map(|(c, _)| c).collect()
    };
    let best_by = |cols: &[usize], score: &dyn Fn(&ColumnStats) -> usize| -> Option<usize> {
        cols.iter().copied().filter(|c| *c < stats.len()).max_by(|a, b| score(&stats[*a]).cmp(&score(&stats[*b])).then(b.cmp(a)))
    };
    let all_cols: Vec<usize> = (0..stats.len()).collect();

    // The ref column: among header-named ones the most distinct identifiers; else by content.
    let ref_named = pick_header(Role::Ref);
    let reference = if !ref_named.is_empty() {
        best_by(&ref_named, &|s| s.ids.len() * 4 + s.nonempty)
    } else {
        best_by(&all_cols, &|s| s.ids.len()).filter(|c| {
            let s = &stats[*c];
            s.ids.len() >= 3 && s.id_cells * 10 >= s.nonempty * 4
        })
    };

    let q_named: Vec<usize> = pick_header(Role::Question).into_iter().filter(|c| Some(*c) != reference).collect();
    let question_score = |s: &ColumnStats| s.question_like * 3 + s.long_text;
    let question = if !q_named.is_empty() {
        best_by(&q_named, &question_score)
    } else {
        // Judge text columns on the rows that carry an identifier: a guidance column can be
        // as wordy as the questions, but only the question column fills every such row.
        let q_stats = if reference.is_some() { column_stats(grid, data_start, reference) } else { stats.clone() };
        (0..q_stats.len())
            .filter(|c| Some(*c) != reference)
            .max_by(|a, b| question_score(&q_stats[*a]).cmp(&question_score(&q_stats[*b])).then(b.cmp(a)))
            .filter(|c| q_stats[*c].question_like >= MIN_QUESTIONS || q_stats[*c].long_text >= 3)
    };
    let Some(question) = question else {
        let seen = if candidates.is_empty() { "none".to_string() } else { candidates.join("; ") };
        let mut l = SheetLayout::skipped(grid, format!("no question column found (header candidates seen: {seen})"));
        l.header_candidates = candidates;
        return l;
    };

    let taken = |c: usize, used: &[Option<usize>]| used.contains(&Some(c));
    let (choices, choice_row) = find_choice_columns(grid, header_row.map(|h| h - 1).unwrap_or(0), header_row.map(|h| h + 3).unwrap_or(HEADER_SCAN_ROWS));
    let data_start = match choice_row {
        Some(r) if header_row.is_some() => data_start.max(r + 1),
        _ => data_start,
    };
    let answer = if !choices.is_empty() {
        None
    } else {
        let named: Vec<usize> = pick_header(Role::Answer).into_iter().filter(|c| !taken(*c, &[reference, Some(question)])).collect();
        if !named.is_empty() {
            best_by(&named, &|s| s.answer_like)
        } else if header_row.is_none() {
            // Without a header, the answer column is the one holding Yes/No/N/A answers. With a
            // header that names no answer column, content is not trusted: a "Question Type"
            // column of "Yes,No,NA" or applicability marks would pass for answers.
            let others: Vec<usize> = all_cols.iter().copied().filter(|c| !taken(*c, &[reference, Some(question)])).collect();
            best_by(&others, &|s| s.answer_like).filter(|c| stats[*c].answer_like >= 2)
        } else {
            None
        }
    };
    let anchor = answer.or(choices.last().map(|(c, _)| *c)).unwrap_or(question);
    let comment = {
        let named: Vec<usize> = pick_header(Role::Comment).into_iter().filter(|c| !taken(*c, &[reference, Some(question), answer])).collect();
        if !named.is_empty() {
            // Prefer the comment column nearest to the right of the answer.
            named.iter().copied().min_by_key(|c| if *c > anchor { c - anchor } else { 1000 + anchor - c })
        } else if header_row.is_none() && answer.is_some() {
            // No header: the text column right after the answers, if it holds free text.
            let c = anchor + 1;
            stats.get(c).filter(|s| s.nonempty > 0 && s.answer_like * 2 < s.nonempty && s.ids.is_empty()).map(|_| c)
        } else {
            None
        }
    };
    let domain = pick_header(Role::Domain).into_iter().find(|c| !taken(*c, &[reference, Some(question), answer, comment]));

    let columns = Columns { reference, question, answer, comment, domain, choices };
    let mut layout = extract(grid, columns, header_row, data_start, false);
    layout.header_candidates = candidates;
    if !layout.used {
        return layout;
    }

    // 3. Is this really a questionnaire? A column of statements ("… shall be …") is a control
    //    catalogue, not questions, unless a header calls it questions.
    let n = layout.questions.len();
    let q_like = layout.questions.iter().filter(|q| is_question_like(&q.text)).count();
    if q_named.is_empty() && q_like * 5 < n {
        return SheetLayout::skipped(
            grid,
            format!("the longest text column ({}) holds statements, not questions ({q_like} of {n} rows read as questions): a control catalogue or reference list", col_letter(question)),
        );
    }

    // 4. Confidence from the evidence.
    let with_ref = layout.questions.iter().filter(|q| is_identifier(&q.reference)).count() as f32 / n as f32;
    let mut conf: f32 = 0.3;
    if header_row.is_some() {
        conf += 0.25;
    } else if with_ref >= 0.9 {
        // No header, but every question row carries a code: nearly as clear as a header.
        conf += 0.2;
    }
    conf += 0.15 * with_ref;
    if layout.columns.as_ref().is_some_and(|c| c.answer.is_some() || !c.choices.is_empty()) {
        conf += 0.15;
    }
    conf += 0.15 * (q_like as f32 / n as f32);
    if n < 5 {
        conf -= 0.2;
    }
    layout.confidence = (conf.clamp(0.05, 0.99) * 100.0).round() / 100.0;
    layout
}

/// A header row's question cell must sit above question text, not above identifiers: HECVAT's
/// section rows (" Required Questions | Answer | Guidance") look like headers but are not.
fn heads_question_text(grid: &Grid, row: usize, roles: &BTreeMap<usize, (Role, u8)>) -> bool {
    let Some((&col, _)) = roles.iter().find(|(_, (r, _))| *r == Role::Question) else {
        return false;
    };
    let (mut texts, mut ids) = (0, 0);
    for r in row + 1..grid.rows.len().min(row + 1 + 200) {
        let v = grid.cell(r, col);
        if is_identifier(v) {
            ids += 1;
        } else if v.chars().count() >= 15 {
            texts += 1;
        }
    }
    texts >= 1 && texts > ids
}

/// Role hints from rows that are not a full header but name two or more roles (HECVAT repeats
/// "Answer | Additional Information" on every section row).
fn hint_roles(words: &HeaderWords, grid: &Grid) -> BTreeMap<usize, (Role, u8)> {
    let mut hints = BTreeMap::new();
    for r in 0..grid.rows.len().min(400) {
        let roles = row_roles(words, grid, r);
        if roles.len() >= 2 {
            for (c, role) in roles {
                hints.entry(c).or_insert(role);
            }
        }
    }
    hints
}

/// Walks the data rows with known columns and collects questions.
/// `trust_ref`: the layout is pinned by a profile, so any non-empty ref marks a question row
/// (VSAQ ids like `application_name` are not code-shaped).
fn extract(grid: &Grid, columns: Columns, header_row: Option<usize>, data_start: usize, trust_ref: bool) -> SheetLayout {
    let mut questions = Vec::new();
    let mut section = String::new();
    let mut last_domain = String::new();
    let mut instruction_rows = 0usize;
    for r in data_start..grid.rows.len() {
        let row1 = r + 1;
        let text = grid.cell(r, columns.question);
        let reference = columns.reference.map(|c| grid.cell(r, c)).unwrap_or("");
        if let Some(dc) = columns.domain {
            let d = grid.cell(r, dc);
            if !d.is_empty() {
                last_domain = first_line(d);
            }
        }
        let filled: Vec<usize> = grid.rows[r].iter().enumerate().filter(|(_, v)| !v.trim().is_empty()).map(|(c, _)| c).collect();
        if filled.is_empty() {
            continue;
        }
        // Plain numbering ("1", "12.") counts as a ref once the column is known to hold refs.
        let numbered = !reference.is_empty() && reference.len() <= 6 && reference.trim_end_matches('.').chars().all(|c| c.is_ascii_digit());
        let has_id = is_identifier(reference) || numbered || (trust_ref && !reference.is_empty());
        // Without a code-shaped ref, a row is a question when it reads as one and its ref cell
        // (if any) is a short token, not an instruction sentence.
        let is_question = !text.is_empty()
            && (has_id || (is_question_like(text) && reference.chars().count() <= 16))
            && !is_header_echo(text);
        if !is_question {
            // A short lone text is a section title; a long one is an instruction.
            // HECVAT repeats "Vendor Answers | Additional Information | Guidance" beside each
            // section title: a title followed only by short label cells is still a title.
            let titled = filled.len() > 2 && filled[1..].iter().all(|&c| grid.cell(r, c).chars().count() <= 40 && !is_question_like(grid.cell(r, c)));
            // A pinned ref column holds section titles too ("Data" in HECVAT's column A): only a
            // code-shaped ID keeps a row from being a title.
            if (filled.len() <= 2 || titled) && !(is_identifier(reference) || numbered) {
                let lone = grid.cell(r, filled[0]);
                // "A.1 Risk Governance" is a title; "GNRL-01 through GNRL-08; populated by the
                // Vendor" is an instruction.
                if lone.chars().count() <= 80 && !lone.ends_with('.') && !lone.contains(';') && !is_question_like(lone) {
                    section = first_line(lone);
                } else {
                    instruction_rows += 1;
                }
            }
            continue;
        }
        let domain = if columns.domain.is_some() && !last_domain.is_empty() { last_domain.clone() } else { section.clone() };
        let (answer, answer_kind) = read_answer(grid, r, &columns);
        let comment = columns.comment.map(|c| grid.cell(r, c).to_string()).unwrap_or_default();
        let base = Question {
            sheet: grid.name.clone(),
            row: row1,
            reference: normalise_ref(reference),
            text: text.to_string(),
            domain,
            answer,
            answer_kind,
            comment,
            answer_cell: columns.answer.map(|c| cell_address(c, row1)),
            choice_cells: columns.choices.iter().map(|(c, k)| (*k, cell_address(*c, row1))).collect(),
            comment_cell: columns.comment.map(|c| cell_address(c, row1)),
        };
        questions.extend(split_packed(base));
    }
    let mut notes: Vec<String> = grid.reader_notes();
    if instruction_rows > 0 {
        notes.push(format!("{instruction_rows} instruction rows skipped"));
    }
    // A header (or a profile) vouches for a single question; content alone needs more rows.
    let min = if header_row.is_some() || trust_ref { 1 } else { MIN_QUESTIONS };
    if questions.len() < min {
        let found = match questions.len() {
            0 => "no question rows".to_string(),
            1 => "only 1 question row".to_string(),
            n => format!("only {n} question rows"),
        };
        let mut l = SheetLayout::skipped(grid, format!("{found} found in column {}", col_letter(columns.question)));
        l.notes = notes;
        return l;
    }
    SheetLayout {
        name: grid.name.clone(),
        used: true,
        reason: None,
        header_row,
        columns: Some(columns),
        confidence: 0.0,
        questions,
        notes,
        header_candidates: Vec::new(),
    }
}

fn read_answer(grid: &Grid, r: usize, columns: &Columns) -> (String, Option<AnswerKind>) {
    if !columns.choices.is_empty() {
        for (c, kind) in &columns.choices {
            if !grid.cell(r, *c).is_empty() {
                return (kind.as_str().to_string(), Some(*kind));
            }
        }
        return (String::new(), None);
    }
    match columns.answer {
        Some(c) => {
            let raw = grid.cell(r, c).to_string();
            let kind = classify(&raw);
            (raw, kind)
        }
        None => (String::new(), None),
    }
}

/// A repeated header ("Question") inside the data is not a question.
fn is_header_echo(text: &str) -> bool {
    matches!(header_key(text).as_str(), "question" | "questions" | "question text" | "consensus assessment questions")
}

fn first_line(s: &str) -> String {
    s.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("").to_string()
}

/// Collapses runs of whitespace (keeps the words; line breaks become spaces).
pub fn clean_text(s: &str) -> String {
    // Control characters (a bell, a stray \u{1} from an export) are dropped; whitespace of any
    // kind becomes one space. Bidirectional marks and emoji stay: they are text.
    let s: String = s.chars().map(|c| if c.is_whitespace() { ' ' } else { c }).filter(|c| !c.is_control()).collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn normalise_ref(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join("")
}

/// CAIQ v1.0 packs several sub-questions into one cell, each line starting with its own ID
/// ("CO-02a - Do you…?\nCO-02b - Do you…?"). Such a cell becomes one question per sub-question,
/// all on the same row (their answers share the row's answer cell).
fn split_packed(q: Question) -> Vec<Question> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"(?m)^\s*([A-Za-z]{2,6}-\d{1,3}[a-z])\s*[-–:]\s*").expect("static regex"));
    let starts: Vec<(usize, usize, String)> =
        re.captures_iter(&q.text).filter_map(|c| Some((c.get(0)?.start(), c.get(0)?.end(), c.get(1)?.as_str().to_string()))).collect();
    if starts.is_empty() || starts[0].0 != 0 {
        return vec![Question { text: clean_text(&q.text), ..q }];
    }
    let mut out = Vec::new();
    for (i, (_, end, id)) in starts.iter().enumerate() {
        let stop = starts.get(i + 1).map(|s| s.0).unwrap_or(q.text.len());
        let part = clean_text(&q.text[*end..stop]);
        if !part.is_empty() {
            out.push(Question { reference: id.clone(), text: part, ..q.clone() });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(name: &str, rows: &[&[&str]]) -> Grid {
        let mut g = Grid::new(name);
        for (r, cells) in rows.iter().enumerate() {
            for (c, v) in cells.iter().enumerate() {
                if !v.is_empty() {
                    g.set(r, c, v.to_string());
                }
            }
        }
        g
    }

    fn profiles() -> Profiles {
        Profiles::load().expect("profiles")
    }

    #[test]
    fn identifiers() {
        for id in ["Q-000001", "APPL-01", "A&A-01.1", "AIS- 02.2", "CO-02a", "A.1.1", "1.2.3", "01.a", "09.ab", "GNRL-01", "IH-01", "DSP-07.2", "ID.AM-01"] {
            assert!(is_identifier(id), "{id}");
        }
        for not in ["v4.0.3", "Yes", "Instructions", "1", "2022-08-30", "Application Security", ""] {
            assert!(!is_identifier(not), "{not}");
        }
    }

    #[test]
    fn question_likeness() {
        assert!(is_question_like("Do you encrypt data at rest?"));
        assert!(is_question_like("(SaaS only) Do you review your applications for security vulnerabilities"));
        assert!(is_question_like("Describe your incident response process."));
        assert!(is_question_like("Is MFA required?*"));
        assert!(!is_question_like("Audit plans shall be developed and maintained."));
        assert!(!is_question_like("Application Security"));
    }

    #[test]
    fn header_row_below_title_rows() {
        let g = grid(
            "Security",
            &[
                &["Acme vendor questionnaire"],
                &[],
                &["Please answer every question."],
                &["Ref", "Question", "Response", "Comments"],
                &["AC-01", "Is MFA enforced for all remote access?", "Yes", "Okta"],
                &["", "Access Control"],
                &["AC-02", "Are accounts reviewed quarterly?", "No", ""],
                &["AC-03", "Do you log administrator actions?", "", ""],
            ],
        );
        let l = detect_sheet(&g, &profiles(), Plan::Detect);
        assert!(l.used, "{:?}", l.reason);
        assert_eq!(l.header_row, Some(4));
        let cols = l.columns.clone().unwrap();
        assert_eq!((cols.reference, cols.question, cols.answer, cols.comment), (Some(0), 1, Some(2), Some(3)));
        assert_eq!(l.questions.len(), 3);
        assert_eq!(l.answered(), 2);
        assert_eq!(l.questions[0].answer_cell.as_deref(), Some("C5"));
        assert_eq!(l.questions[0].comment_cell.as_deref(), Some("D5"));
        assert_eq!(l.questions[1].row, 7);
        assert!(l.confidence >= 0.8, "{}", l.confidence);
    }

    #[test]
    fn no_header_inferred_from_content() {
        let g = grid(
            "Questions",
            &[
                &["These questions help us understand your security programme. Answer each one."],
                &["Application Security"],
                &["APPL-01", "Do you perform static analysis of your code before release?", "Yes", "Every build"],
                &["APPL-02", "Are third-party libraries scanned for known vulnerabilities?", "No", ""],
                &["Data"],
                &["DATA-01", "Is customer data encrypted at rest?", "Yes", "AES-256"],
                &["DATA-02", "Is customer data encrypted in transit?", "", ""],
            ],
        );
        let l = detect_sheet(&g, &profiles(), Plan::Detect);
        assert!(l.used, "{:?}", l.reason);
        assert_eq!(l.header_row, None);
        let cols = l.columns.clone().unwrap();
        assert_eq!((cols.reference, cols.question, cols.answer), (Some(0), 1, Some(2)));
        assert_eq!(l.questions.len(), 4);
        assert_eq!(l.answered(), 3);
        assert_eq!(l.questions[0].domain, "Application Security");
        assert_eq!(l.questions[2].domain, "Data");
    }

    #[test]
    fn answers_by_columns() {
        let g = grid(
            "CAIQ",
            &[
                &["", "", "QUESTIONNAIRE"],
                &["Control ID", "Question ID", "Question", "Answers", "", "", "Notes"],
                &["", "", "", "Yes", "No", "N/A"],
                &["AIS-01", "AIS-01.1", "Do you use industry standards to build in security?", "x", "", "", "ok"],
                &["", "AIS-01.2", "Do you use an automated source code analysis tool?", "", "x", ""],
                &["", "AIS-01.3", "Do you use manual source-code analysis?", "", "", ""],
            ],
        );
        let l = detect_sheet(&g, &profiles(), Plan::Detect);
        assert!(l.used, "{:?}", l.reason);
        let cols = l.columns.clone().unwrap();
        assert_eq!(cols.reference, Some(1));
        assert_eq!(cols.choices, vec![(3, AnswerKind::Yes), (4, AnswerKind::No), (5, AnswerKind::NotApplicable)]);
        assert_eq!(l.questions.len(), 3);
        assert_eq!(l.questions[0].answer_kind, Some(AnswerKind::Yes));
        assert_eq!(l.questions[1].answer_kind, Some(AnswerKind::No));
        assert_eq!(l.questions[2].answer_kind, None);
        assert_eq!(l.questions[0].comment, "ok");
    }

    #[test]
    fn statements_are_not_questions() {
        let g = grid(
            "Controls",
            &[
                &["Control ID", "Control Specification"],
                &["CO-01", "Audit plans, activities and operational action items shall be developed and maintained."],
                &["CO-02", "Independent reviews and assessments shall be performed at least annually."],
                &["CO-03", "Third party service providers shall demonstrate compliance with security policies."],
            ],
        );
        let l = detect_sheet(&g, &profiles(), Plan::Detect);
        assert!(!l.used);
        assert!(l.reason.unwrap().contains("statements"));
    }

    #[test]
    fn sheets_skipped_by_name_and_visibility() {
        let g = grid("Change Log", &[&["Version", "Date"], &["1.0", "2020"]]);
        let l = detect_sheet(&g, &profiles(), Plan::Detect);
        assert!(!l.used);
        assert!(l.reason.unwrap().contains("change log"));
        let mut g = grid("Data", &[&["ID", "Question", "Answer"], &["A-1", "Is it?", "Yes"], &["A-2", "Is it?", "No"]]);
        g.hidden = true;
        assert!(detect_sheet(&g, &profiles(), Plan::Detect).reason.unwrap().contains("hidden"));
    }

    #[test]
    fn packed_sub_questions_are_split() {
        let g = grid(
            "CM",
            &[
                &["Control Area", "Control ID", "Consensus Assessment Questions"],
                &["Compliance", "CO-01", "CO-01a - Do you produce audit assertions?"],
                &["Compliance", "CO-02", "CO-02a - Do you allow tenants to view your SOC2 reports?\nCO-02b - Do you conduct network penetration tests?"],
            ],
        );
        let l = detect_sheet(&g, &profiles(), Plan::Detect);
        assert!(l.used, "{:?}", l.reason);
        let refs: Vec<&str> = l.questions.iter().map(|q| q.reference.as_str()).collect();
        assert_eq!(refs, ["CO-01a", "CO-02a", "CO-02b"]);
        assert_eq!(l.questions[2].text, "Do you conduct network penetration tests?");
        assert_eq!(l.questions[2].row, 3);
    }

    #[test]
    fn no_question_column_lists_header_candidates() {
        let g = grid("Budget", &[&["Item", "Cost"], &["1", "2"], &["3", "4"]]);
        let l = detect_sheet(&g, &profiles(), Plan::Detect);
        assert!(!l.used);
        let reason = l.reason.unwrap();
        assert!(reason.contains("no question column found"), "{reason}");
        assert!(reason.contains("row 1: Item | Cost"), "{reason}");
    }
}
