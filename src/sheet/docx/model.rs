//! The body of `word/document.xml` as Quire needs it, from one streaming quick-xml pass:
//! paragraphs and tables in document order, each paragraph with its visible text, its runs,
//! check boxes and text content controls, and the byte spans in the part where an answer can go.
//! Reading (`super`) takes texts from it; filling (`fill::docx`) splices new XML in at its spans
//! and copies every other byte of the part as it was.
//!
//! What counts as text: `w:t` (and `w:tab` / `w:br` as a space / line break). Deleted text
//! (`w:delText`), field instructions (`w:instrText`) and the paragraphs of text boxes are not
//! text of the paragraph around them. Block-level content controls (`w:sdt` around paragraphs,
//! rows or cells) are transparent. A table nested in a cell is read as part of that cell (its
//! paragraphs are the cell's, marked `nested`), never as a questionnaire table of its own.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// A byte range in the part (after any byte order mark).
pub type Span = (usize, usize);

#[derive(Debug, Clone, Default)]
pub struct Run {
    pub span: Span,
    /// The run's properties as written (the inner XML of `w:rPr`).
    pub rpr: Option<String>,
    pub text: String,
    pub bold: bool,
    /// The text control (index into `Para::controls`) the run sits in.
    pub control: Option<usize>,
}

#[derive(Debug, Clone)]
pub enum CheckKind {
    /// A Word 2010+ content-control check box: `w14:checked` and the glyph shown.
    Control {
        /// The `<w14:checked …/>` element, when present.
        checked_el: Option<Span>,
        /// Where a `w14:checked` element goes when there is none (just inside `w14:checkbox`).
        insert_at: usize,
        /// The glyph text inside the control's `w:t`.
        glyph: Option<Span>,
        on: char,
        off: char,
        /// Namespace prefix of the `w14` elements ("w14:").
        prefix: String,
    },
    /// A ☐ / ☒ / ☑ character typed as text.
    Glyph { span: Span },
    /// A legacy form-field check box (`w:ffData/w:checkBox`).
    Legacy {
        checked_el: Option<Span>,
        /// Where a `w:checked` element goes when there is none (before `</w:checkBox>`).
        insert_at: usize,
        prefix: String,
    },
}

#[derive(Debug, Clone)]
pub struct Check {
    pub checked: bool,
    pub kind: CheckKind,
    /// Character position in the paragraph's text where the box sits.
    pub at: usize,
    /// The words the box stands for ("Yes"), read after the box (or before it when nothing
    /// follows).
    pub label: String,
}

/// A plain-text (or rich-text, combo, date) content control inside a paragraph.
#[derive(Debug, Clone, Default)]
pub struct TextControl {
    pub span: Span,
    /// The `<w:showingPlcHdr/>` element: the control shows its placeholder, not an answer.
    pub placeholder_el: Option<Span>,
    /// Inside `w:sdtContent`.
    pub content: Span,
    pub text: String,
    /// Run properties of the control (`w:sdtPr/w:rPr`), for a run written into an empty one.
    pub rpr: Option<String>,
}

impl TextControl {
    pub fn showing_placeholder(&self) -> bool {
        self.placeholder_el.is_some()
    }
}

#[derive(Debug, Clone, Default)]
pub struct Para {
    pub span: Span,
    pub self_closing: bool,
    /// The start tag as written (a self-closing one is reopened from it).
    pub open_tag: String,
    /// Namespace prefix of the paragraph ("w:").
    pub prefix: String,
    /// Where `</w:p>` starts (new runs are appended here); the span's end when self-closing.
    pub content_end: usize,
    pub style: String,
    /// Has numbering (`w:numPr`): (numId, level).
    pub numbering: Option<(String, usize)>,
    /// Run properties of the paragraph mark (inner XML of `w:pPr/w:rPr`).
    pub mark_rpr: Option<String>,
    pub runs: Vec<Run>,
    pub checks: Vec<Check>,
    pub controls: Vec<TextControl>,
    pub text: String,
    /// Characters in `text` (kept so that long paragraphs are not counted again and again).
    pub text_chars: usize,
    /// Inside a table nested in a cell.
    pub nested: bool,
}

impl Para {
    /// Non-blank text all in bold runs.
    pub fn all_bold(&self) -> bool {
        let mut any = false;
        for r in &self.runs {
            if r.text.trim().is_empty() {
                continue;
            }
            if !r.bold {
                return false;
            }
            any = true;
        }
        any
    }

    pub fn is_heading(&self) -> bool {
        let s = self.style.to_ascii_lowercase();
        s.starts_with("heading") || s == "title" || s == "subtitle"
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VMerge {
    Restart,
    Continue,
}

#[derive(Debug, Clone, Default)]
pub struct Cell {
    pub span: Span,
    /// First grid column it covers (0-based), and how many (`w:gridSpan`).
    pub grid_col: usize,
    pub grid_span: usize,
    pub vmerge: Option<VMerge>,
    pub paras: Vec<Para>,
}

#[derive(Debug, Clone, Default)]
pub struct Row {
    pub cells: Vec<Cell>,
}

impl Row {
    /// The cell covering grid column `col`.
    pub fn cell_at(&self, col: usize) -> Option<&Cell> {
        self.cells.iter().find(|c| c.grid_col <= col && col < c.grid_col + c.grid_span.max(1))
    }
}

#[derive(Debug, Clone, Default)]
pub struct Table {
    pub rows: Vec<Row>,
    /// Index into `Body::paragraphs` of the last body paragraph before the table.
    pub after_para: Option<usize>,
}

impl Table {
    pub fn width(&self) -> usize {
        self.rows.iter().flat_map(|r| r.cells.last().map(|c| c.grid_col + c.grid_span.max(1))).max().unwrap_or(0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    Para(usize),
    Table(usize),
}

/// The body: body-level paragraphs and tables, and their order.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub paragraphs: Vec<Para>,
    pub tables: Vec<Table>,
    pub blocks: Vec<Block>,
}

/// Checked and unchecked glyphs typed as text.
pub fn is_box_glyph(c: char) -> bool {
    matches!(c, '☐' | '☒' | '☑')
}

/// Appends what an entity or character reference stands for (`&amp;`, `&#10;`).
fn push_ref(out: &mut String, r: &quick_xml::events::BytesRef<'_>) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        out.push(c);
    } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(r) {
        out.push_str(s);
    }
}

fn local(name: &str) -> &str {
    match name.rfind(':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

fn attr(e: &BytesStart<'_>, local_name: &str) -> Option<String> {
    e.attributes().flatten().find(|a| local(a.key.as_ref()) == local_name).and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

fn on_value(v: Option<String>) -> bool {
    // `<w:b/>` is on; `w:val="0"`, "false", "off" turn it off.
    !matches!(v.as_deref(), Some("0") | Some("false") | Some("off"))
}

fn prefix(name: &str) -> String {
    match name.rfind(':') {
        Some(i) => name[..=i].to_string(),
        None => String::new(),
    }
}

/// A content control being read.
#[derive(Default)]
struct SdtState {
    /// Inside a paragraph (run level) rather than around blocks.
    in_para: bool,
    start: usize,
    checkbox: bool,
    checked: bool,
    checked_el: Option<Span>,
    checkbox_insert: usize,
    on: Option<char>,
    off: Option<char>,
    w14: String,
    placeholder_el: Option<Span>,
    content_start: usize,
    content_end: usize,
    glyph: Option<Span>,
    text: String,
    rpr: Option<String>,
    in_pr: bool,
    in_content: bool,
    /// Character position in the paragraph where the control starts.
    at: usize,
    control_index: Option<usize>,
}

struct LegacyBox {
    checked: Option<bool>,
    default: bool,
    checked_el: Option<Span>,
    insert_at: usize,
    prefix: String,
}

struct CellState {
    cell: Cell,
}

struct RowState {
    row: Row,
    next_col: usize,
}

struct TableState {
    table: Table,
    rows: Vec<RowState>,
    cells: Vec<CellState>,
}

/// Parses the part (without its byte order mark). Errors say what was malformed and where.
pub fn parse(xml: &str) -> Result<Body, String> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut body = Body::default();
    let mut paras: Vec<Para> = Vec::new();
    let mut run: Option<Run> = None;
    let mut sdts: Vec<SdtState> = Vec::new();
    let mut tables: Vec<TableState> = Vec::new();
    let mut legacy: Option<LegacyBox> = None;
    let mut in_t = false;
    let mut in_ppr = false;
    let mut rpr_start: Option<usize> = None;
    let mut rpr_depth = 0usize;
    let mut txbx = 0usize;
    let mut in_trpr = false;
    let mut in_tcpr = false;
    loop {
        let start = reader.buffer_position() as usize;
        let ev = reader.read_event().map_err(|e| format!("malformed XML near byte {}: {e}", reader.error_position()))?;
        let end = reader.buffer_position() as usize;
        match ev {
            Event::Start(e) => {
                let name = e.name();
                match local(name.as_ref()) {
                    "p" => {
                        let p = Para { span: (start, end), open_tag: xml[start..end].to_string(), prefix: prefix(name.as_ref()), nested: tables.len() > 1, ..Default::default() };
                        paras.push(p);
                    }
                    "pPr" if run.is_none() => in_ppr = true,
                    "rPr" => {
                        rpr_depth += 1;
                        if rpr_depth == 1 {
                            rpr_start = Some(end);
                        }
                    }
                    "r" if !paras.is_empty() && txbx == 0 => {
                        let control = sdts.last().filter(|s| s.in_para && !s.checkbox && s.in_content).and_then(|s| s.control_index);
                        run = Some(Run { span: (start, end), control, ..Default::default() });
                    }
                    "t" if run.is_some() => in_t = true,
                    "txbxContent" => txbx += 1,
                    "sdt" => {
                        let mut s = SdtState { in_para: !paras.is_empty(), start, ..Default::default() };
                        if let Some(p) = paras.last() {
                            s.at = p.text_chars;
                        }
                        sdts.push(s);
                    }
                    "sdtPr" => {
                        if let Some(s) = sdts.last_mut() {
                            s.in_pr = true;
                        }
                    }
                    "checkbox" => {
                        if let Some(s) = sdts.last_mut().filter(|s| s.in_pr) {
                            s.checkbox = true;
                            s.checkbox_insert = end;
                            s.w14 = prefix(name.as_ref());
                        }
                    }
                    "sdtContent" => {
                        if let Some(s) = sdts.last_mut() {
                            s.in_content = true;
                            s.content_start = end;
                            if s.in_para && !s.checkbox {
                                if let Some(p) = paras.last_mut() {
                                    p.controls.push(TextControl::default());
                                    s.control_index = Some(p.controls.len() - 1);
                                }
                            }
                        }
                    }
                    "checkBox" if legacy.is_none() => {
                        legacy = Some(LegacyBox { checked: None, default: false, checked_el: None, insert_at: end, prefix: prefix(name.as_ref()) });
                    }
                    "tbl" => {
                        let after_para = body.paragraphs.len().checked_sub(1);
                        tables.push(TableState { table: Table { after_para, ..Default::default() }, rows: Vec::new(), cells: Vec::new() });
                    }
                    "tr" => {
                        if let Some(t) = tables.last_mut() {
                            t.rows.push(RowState { row: Row::default(), next_col: 0 });
                        }
                    }
                    "trPr" => in_trpr = true,
                    "tc" => {
                        if let Some(t) = tables.last_mut() {
                            let col = t.rows.last().map(|r| r.next_col).unwrap_or(0);
                            t.cells.push(CellState { cell: Cell { span: (start, end), grid_col: col, grid_span: 1, ..Default::default() } });
                        }
                    }
                    "tcPr" => in_tcpr = true,
                    _ => {}
                }
            }
            Event::Empty(e) => {
                let name = e.name();
                match local(name.as_ref()) {
                    "p" => {
                        let p = Para {
                            span: (start, end),
                            self_closing: true,
                            open_tag: xml[start..end].to_string(),
                            prefix: prefix(name.as_ref()),
                            content_end: end,
                            nested: tables.len() > 1,
                            ..Default::default()
                        };
                        finish_para(p, &mut body, &mut tables, txbx);
                    }
                    "pStyle" if in_ppr => {
                        if let Some(p) = paras.last_mut() {
                            p.style = attr(&e, "val").unwrap_or_default();
                        }
                    }
                    "numId" if in_ppr => {
                        if let Some(p) = paras.last_mut() {
                            let id = attr(&e, "val").unwrap_or_default();
                            let level = p.numbering.as_ref().map(|n| n.1).unwrap_or(0);
                            // numId 0 means "no numbering".
                            p.numbering = (id != "0").then_some((id, level));
                        }
                    }
                    "ilvl" if in_ppr => {
                        if let Some(p) = paras.last_mut() {
                            let level = attr(&e, "val").and_then(|v| v.parse().ok()).unwrap_or(0);
                            p.numbering = Some((p.numbering.take().map(|n| n.0).unwrap_or_default(), level));
                        }
                    }
                    "b" if rpr_start.is_some() => {
                        if let Some(r) = run.as_mut() {
                            r.bold = on_value(attr(&e, "val"));
                        }
                    }
                    "tab" if run.is_some() && rpr_depth == 0 => push_text(&mut paras, &mut run, &mut sdts, "\t"),
                    "br" | "cr" if run.is_some() => push_text(&mut paras, &mut run, &mut sdts, "\n"),
                    "showingPlcHdr" => {
                        if let Some(s) = sdts.last_mut().filter(|s| s.in_pr) {
                            s.placeholder_el = Some((start, end));
                        }
                    }
                    "checked" => {
                        if let Some(s) = sdts.last_mut().filter(|s| s.in_pr && s.checkbox) {
                            s.checked = matches!(attr(&e, "val").as_deref(), Some("1") | Some("true") | Some("on"));
                            s.checked_el = Some((start, end));
                        } else if let Some(l) = legacy.as_mut() {
                            l.checked = Some(on_value(attr(&e, "val")));
                            l.checked_el = Some((start, end));
                        }
                    }
                    "checkedState" | "uncheckedState" => {
                        if let Some(s) = sdts.last_mut().filter(|s| s.checkbox) {
                            let c = attr(&e, "val").and_then(|v| u32::from_str_radix(&v, 16).ok()).and_then(char::from_u32);
                            if local(name.as_ref()) == "checkedState" {
                                s.on = c;
                            } else {
                                s.off = c;
                            }
                        }
                    }
                    "default" => {
                        if let Some(l) = legacy.as_mut() {
                            l.default = on_value(attr(&e, "val"));
                        }
                    }
                    "gridSpan" if in_tcpr => {
                        if let Some(c) = tables.last_mut().and_then(|t| t.cells.last_mut()) {
                            c.cell.grid_span = attr(&e, "val").and_then(|v| v.parse().ok()).unwrap_or(1).clamp(1, 64);
                        }
                    }
                    "vMerge" if in_tcpr => {
                        if let Some(c) = tables.last_mut().and_then(|t| t.cells.last_mut()) {
                            c.cell.vmerge = Some(if attr(&e, "val").as_deref() == Some("restart") { VMerge::Restart } else { VMerge::Continue });
                        }
                    }
                    "gridBefore" if in_trpr => {
                        if let Some(r) = tables.last_mut().and_then(|t| t.rows.last_mut()) {
                            r.next_col += attr(&e, "val").and_then(|v| v.parse::<usize>().ok()).unwrap_or(0).min(64);
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_t && txbx == 0 => {
                let text = t.xml10_content().into_owned();
                // Glyphs typed as text (outside check-box controls) are check boxes of their own.
                let in_checkbox = sdts.last().is_some_and(|s| s.in_para && s.checkbox);
                if let Some(p) = paras.last_mut() {
                    let base = p.text_chars;
                    let raw = &xml[start..end];
                    if in_checkbox {
                        if let Some(s) = sdts.last_mut() {
                            if s.glyph.is_none() {
                                if let Some((i, c)) = raw.char_indices().find(|(_, c)| is_box_glyph(*c) || Some(*c) == s.on || Some(*c) == s.off) {
                                    s.glyph = Some((start + i, start + i + c.len_utf8()));
                                }
                            }
                        }
                    } else {
                        for (n, (i, c)) in raw.char_indices().enumerate() {
                            if is_box_glyph(c) {
                                p.checks.push(Check { checked: c != '☐', kind: CheckKind::Glyph { span: (start + i, start + i + c.len_utf8()) }, at: base + n, label: String::new() });
                            }
                        }
                    }
                }
                push_text(&mut paras, &mut run, &mut sdts, &text);
            }
            Event::GeneralRef(r) if in_t && txbx == 0 => {
                let mut s = String::new();
                push_ref(&mut s, &r);
                push_text(&mut paras, &mut run, &mut sdts, &s);
            }
            Event::End(e) => {
                let name = e.name();
                match local(name.as_ref()) {
                    "t" => in_t = false,
                    "rPr" => {
                        rpr_depth = rpr_depth.saturating_sub(1);
                        if let Some(s) = rpr_start.take().filter(|_| rpr_depth == 0) {
                            let inner = xml[s..start].to_string();
                            if let Some(r) = run.as_mut() {
                                r.rpr = Some(inner);
                            } else if in_ppr {
                                if let Some(p) = paras.last_mut() {
                                    p.mark_rpr = Some(inner);
                                }
                            } else if let Some(sd) = sdts.last_mut().filter(|s| s.in_pr) {
                                sd.rpr = Some(inner);
                            }
                        }
                    }
                    "pPr" => in_ppr = false,
                    "r" if txbx == 0 => {
                        if let Some(mut r) = run.take() {
                            r.span.1 = end;
                            if let Some(p) = paras.last_mut() {
                                p.runs.push(r);
                            }
                        }
                    }
                    "p" => {
                        if let Some(mut p) = paras.pop() {
                            p.span.1 = end;
                            p.content_end = start;
                            finish_para(p, &mut body, &mut tables, txbx);
                        }
                    }
                    "txbxContent" => txbx = txbx.saturating_sub(1),
                    "sdtPr" => {
                        if let Some(s) = sdts.last_mut() {
                            s.in_pr = false;
                        }
                    }
                    "sdtContent" => {
                        if let Some(s) = sdts.last_mut() {
                            s.in_content = false;
                            s.content_end = start;
                        }
                    }
                    "sdt" => {
                        if let Some(s) = sdts.pop() {
                            if s.in_para {
                                if let Some(p) = paras.last_mut() {
                                    if s.checkbox {
                                        let kind = CheckKind::Control {
                                            checked_el: s.checked_el,
                                            insert_at: s.checkbox_insert,
                                            glyph: s.glyph,
                                            on: s.on.unwrap_or('☒'),
                                            off: s.off.unwrap_or('☐'),
                                            prefix: s.w14.clone(),
                                        };
                                        p.checks.push(Check { checked: s.checked, kind, at: s.at, label: String::new() });
                                    } else if let Some(c) = s.control_index.and_then(|i| p.controls.get_mut(i)) {
                                        *c = TextControl { span: (s.start, end), placeholder_el: s.placeholder_el, content: (s.content_start, s.content_end), text: s.text, rpr: s.rpr };
                                    }
                                }
                            }
                        }
                    }
                    "checkBox" => {
                        if let Some(mut l) = legacy.take() {
                            // `w:checked` is the last child of `w:checkBox`: a new one goes at its end.
                            l.insert_at = start;
                            if let Some(p) = paras.last_mut() {
                                let at = p.text_chars;
                                let kind = CheckKind::Legacy { checked_el: l.checked_el, insert_at: l.insert_at, prefix: l.prefix };
                                p.checks.push(Check { checked: l.checked.unwrap_or(l.default), kind, at, label: String::new() });
                            }
                        }
                    }
                    "trPr" => in_trpr = false,
                    "tcPr" => in_tcpr = false,
                    "tc" => {
                        if let Some(t) = tables.last_mut() {
                            if let Some(mut c) = t.cells.pop() {
                                c.cell.span.1 = end;
                                if let Some(r) = t.rows.last_mut() {
                                    r.next_col = c.cell.grid_col + c.cell.grid_span;
                                    r.row.cells.push(c.cell);
                                }
                            }
                        }
                    }
                    "tr" => {
                        if let Some(t) = tables.last_mut() {
                            if let Some(r) = t.rows.pop() {
                                t.table.rows.push(r.row);
                            }
                        }
                    }
                    "tbl" => {
                        if let Some(t) = tables.pop() {
                            let outermost = tables.is_empty();
                            match tables.last_mut().and_then(|outer| outer.cells.last_mut()) {
                                // A nested table: its paragraphs belong to the enclosing cell.
                                Some(c) => {
                                    for row in t.table.rows {
                                        for cell in row.cells {
                                            c.cell.paras.extend(cell.paras.into_iter().map(|mut p| {
                                                p.nested = true;
                                                p
                                            }));
                                        }
                                    }
                                }
                                None if outermost => {
                                    body.blocks.push(Block::Table(body.tables.len()));
                                    body.tables.push(t.table);
                                }
                                None => {}
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    for p in body.paragraphs.iter_mut().chain(body.tables.iter_mut().flat_map(|t| t.rows.iter_mut().flat_map(|r| r.cells.iter_mut().flat_map(|c| c.paras.iter_mut())))) {
        label_checks(p);
    }
    Ok(body)
}

fn push_text(paras: &mut [Para], run: &mut Option<Run>, sdts: &mut [SdtState], text: &str) {
    if let Some(p) = paras.last_mut() {
        p.text.push_str(text);
        p.text_chars += text.chars().count();
    }
    if let Some(r) = run.as_mut() {
        r.text.push_str(text);
    }
    if let Some(s) = sdts.last_mut().filter(|s| s.in_para && s.in_content && !s.checkbox) {
        s.text.push_str(text);
    }
}

fn finish_para(p: Para, body: &mut Body, tables: &mut [TableState], txbx: usize) {
    if txbx > 0 {
        // A text box's paragraphs are not part of the text around them.
        return;
    }
    if let Some(t) = tables.last_mut() {
        if let Some(c) = t.cells.last_mut() {
            c.cell.paras.push(p);
        }
        return;
    }
    body.blocks.push(Block::Para(body.paragraphs.len()));
    body.paragraphs.push(p);
}

/// Each box's label: the text after it up to the next box, or, when nothing follows, the text
/// before it back to the previous box ("Yes ☐  No ☐").
fn label_checks(p: &mut Para) {
    if p.checks.is_empty() {
        return;
    }
    p.checks.sort_by_key(|c| c.at);
    let chars: Vec<char> = p.text.chars().collect();
    let clean = |a: usize, b: usize| -> String {
        let s: String = chars[a.min(chars.len())..b.min(chars.len())].iter().filter(|c| !is_box_glyph(**c)).collect();
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let n = p.checks.len();
    let ats: Vec<usize> = p.checks.iter().map(|c| c.at).collect();
    let after: Vec<String> = (0..n).map(|i| clean(ats[i], if i + 1 < n { ats[i + 1] } else { chars.len() })).collect();
    let before_labels = after.last().is_some_and(|s| s.is_empty()) && n > 0 && !clean(0, ats[0]).is_empty();
    for i in 0..n {
        p.checks[i].label = if before_labels { clean(if i == 0 { 0 } else { ats[i - 1] }, ats[i]) } else { after[i].clone() };
    }
}
