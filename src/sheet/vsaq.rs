//! Google VSAQ questionnaires (JSON with a JavaScript flavour) into a [`Grid`].
//!
//! This module owns the VSAQ format: a small string-aware preprocessor that turns the
//! JavaScript-flavoured source (`//` and `/* */` comments, `"a" + "b"` string concatenation,
//! trailing commas) into plain JSON while remembering where each output byte came from, so that
//! parse errors point at the line and column of the original file; the walk over the item tree
//! that picks the answerable items; and the HTML-to-text clean-up of their texts.
//!
//! The grid has a header row `ID | Section | Question | Type | Answer | Notes` and one row per
//! answerable item, in document order. Groups without an `id` (common in Google's files, which
//! key their answers by choice id) get one derived from their choice ids' common prefix.

use crate::display::shorten;
use std::collections::HashSet;
use std::path::Path;

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::sheet::grid::{Grid, MAX_ROWS};

/// The header row of every VSAQ grid.
pub const HEADER: [&str; 6] = ["ID", "Section", "Question", "Type", "Answer", "Notes"];

/// Item types that are questions wherever they appear in a block.
const ANSWERABLE: [&str; 8] = ["line", "box", "radiogroup", "checkgroup", "yesno", "radio", "check", "upload"];
/// Item types whose nested `items` are their choices, not questions.
const GROUPS: [&str; 2] = ["radiogroup", "checkgroup"];

/// Reads a VSAQ questionnaire already loaded into `bytes`; `path` names the file in errors and
/// gives the grid its name when the questionnaire has no top-level block.
pub fn read_vsaq(path: &Path, bytes: &[u8]) -> Result<Grid> {
    let source = source_text(path, bytes)?;
    let clean = preprocess(source).map_err(|e| vsaq_error(path, e.describe(source)))?;
    let value: Value = serde_json::from_str(&clean.text)
        .map_err(|e| vsaq_error(path, json_error_detail(&e, &clean, source)))?;
    let items = questionnaire_items(&value).map_err(|d| vsaq_error(path, d))?;
    build_grid(path, items).map_err(|d| vsaq_error(path, d))
}

fn vsaq_error(path: &Path, detail: String) -> Error {
    Error::Vsaq { path: path.to_path_buf(), detail }
}

/// The file as UTF-8 text without a byte-order mark.
fn source_text<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let (line, col) = line_col(&String::from_utf8_lossy(bytes), e.valid_up_to());
        vsaq_error(
            path,
            format!("the file is not UTF-8 text (invalid byte at line {line}, column {col}); save it as UTF-8"),
        )
    })
}

// ---------------------------------------------------------------------------------------------
// Preprocessor
// ---------------------------------------------------------------------------------------------

/// Plain JSON produced by [`preprocess`], with a map back to the source.
#[derive(Debug)]
struct Cleaned {
    text: String,
    /// `(output offset, source offset)` at the start of each run of bytes copied unchanged,
    /// in increasing order.
    map: Vec<(usize, usize)>,
}

impl Cleaned {
    /// The source offset an output offset came from.
    fn source_offset(&self, out: usize) -> usize {
        let i = self.map.partition_point(|(o, _)| *o <= out);
        match i.checked_sub(1).and_then(|i| self.map.get(i)) {
            Some((o, s)) => s + (out - o),
            None => out,
        }
    }
}

/// A problem the preprocessor itself finds, at a source offset.
#[derive(Debug, PartialEq)]
enum PreError {
    UnclosedComment(usize),
}

impl PreError {
    fn describe(&self, source: &str) -> String {
        match self {
            PreError::UnclosedComment(at) => {
                let (line, col) = line_col(source, *at);
                format!("the /* comment that starts at line {line}, column {col} is never closed with */")
            }
        }
    }
}

/// Copies `source` to JSON: drops comments (keeping their line breaks), joins string literals
/// written as `"a" + "b"` (comments and whitespace may sit around the `+`) and drops trailing
/// commas before `]` or `}`. Text inside strings, escapes included, is copied as is.
fn preprocess(source: &str) -> std::result::Result<Cleaned, PreError> {
    let bytes = source.as_bytes();
    let mut out = Cleaned { text: String::with_capacity(source.len()), map: vec![(0, 0)] };
    let mut run_start = 0; // source offset of the run being copied
    let mut i = 0;
    // Ends the current copied run before `i` and starts a new one at `next`.
    let skip_to = |out: &mut Cleaned, run_start: &mut usize, i: usize, next: usize| {
        out.text.push_str(&source[*run_start..i]);
        *run_start = next;
        out.map.push((out.text.len(), next));
    };
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i = string_end(bytes, i);
                // `i` is just past the closing quote; drop that quote through the opening
                // quote of each literal joined with `+`, so they become one string.
                while let Some(next) = concatenation(bytes, i)? {
                    skip_to(&mut out, &mut run_start, i - 1, next + 1);
                    i = string_end(bytes, next);
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = line_comment_end(bytes, i);
                skip_to(&mut out, &mut run_start, i, end);
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = block_comment_end(bytes, i)?;
                skip_to(&mut out, &mut run_start, i, end);
                out.text.push(' '); // `1/**/2` must not become `12`
                out.map.push((out.text.len(), end));
                i = end;
            }
            b',' if closes_after(bytes, i + 1)? => {
                skip_to(&mut out, &mut run_start, i, i + 1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    out.text.push_str(&source[run_start..]);
    Ok(out)
}

/// Offset just past the closing quote of the string whose opening quote is at `open`; the
/// input's length if the string is never closed (the JSON parser then reports it).
fn string_end(bytes: &[u8], open: usize) -> usize {
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// If a string that ended just before `after` is followed by `+` and another string literal
/// (whitespace and comments allowed around the `+`), the offset of that literal's opening quote.
fn concatenation(bytes: &[u8], after: usize) -> std::result::Result<Option<usize>, PreError> {
    if after == 0 || after > bytes.len() || bytes.get(after - 1) != Some(&b'"') {
        return Ok(None);
    }
    let plus = skip_blank(bytes, after)?;
    if bytes.get(plus) != Some(&b'+') {
        return Ok(None);
    }
    let quote = skip_blank(bytes, plus + 1)?;
    Ok((bytes.get(quote) == Some(&b'"')).then_some(quote))
}

/// Whether, after whitespace and comments from `from`, the next byte closes an array or object.
fn closes_after(bytes: &[u8], from: usize) -> std::result::Result<bool, PreError> {
    let next = skip_blank(bytes, from)?;
    Ok(matches!(bytes.get(next), Some(b']' | b'}')))
}

/// The offset of the first byte from `from` that is neither whitespace nor inside a comment.
fn skip_blank(bytes: &[u8], from: usize) -> std::result::Result<usize, PreError> {
    let mut i = from;
    loop {
        match (bytes.get(i), bytes.get(i + 1)) {
            (Some(b' ' | b'\t' | b'\r' | b'\n'), _) => i += 1,
            (Some(b'/'), Some(b'/')) => i = line_comment_end(bytes, i),
            (Some(b'/'), Some(b'*')) => i = block_comment_end(bytes, i)?,
            _ => return Ok(i),
        }
    }
}

/// The offset of the line break that ends the `//` comment at `start` (kept in the output).
fn line_comment_end(bytes: &[u8], start: usize) -> usize {
    bytes[start..].iter().position(|b| *b == b'\n').map_or(bytes.len(), |p| start + p)
}

/// The offset just past the `*/` that ends the comment at `start`.
fn block_comment_end(bytes: &[u8], start: usize) -> std::result::Result<usize, PreError> {
    bytes[start + 2..]
        .windows(2)
        .position(|w| w == b"*/")
        .map(|p| start + 2 + p + 2)
        .ok_or(PreError::UnclosedComment(start))
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// serde_json's message, with its position translated back to the source file.
fn json_error_detail(e: &serde_json::Error, clean: &Cleaned, source: &str) -> String {
    let full = e.to_string();
    let message = full.rsplit_once(" at line ").map_or(full.as_str(), |(m, _)| m);
    if e.line() == 0 {
        return format!("invalid JSON: {message}");
    }
    let out = output_offset(&clean.text, e.line(), e.column());
    let (line, col) = line_col(source, clean.source_offset(out));
    format!("invalid JSON at line {line}, column {col}: {message}")
}

/// The byte offset of serde_json's 1-based line and column (a byte count within the line).
fn output_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum::<usize>();
    (line_start + column.saturating_sub(1)).min(text.len())
}

// ---------------------------------------------------------------------------------------------
// Structure
// ---------------------------------------------------------------------------------------------

/// The top-level `questionnaire` array.
fn questionnaire_items(value: &Value) -> std::result::Result<&[Value], String> {
    let object = value.as_object().ok_or_else(|| {
        format!(
            "the top level is {}, but a VSAQ file is an object with a \"questionnaire\" array",
            kind(value)
        )
    })?;
    match object.get("questionnaire") {
        Some(Value::Array(items)) => Ok(items),
        Some(other) => Err(format!("\"questionnaire\" at the top level is {}, not an array of items", kind(other))),
        None => Err("no \"questionnaire\" array at the top level".to_string()),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// One answerable item, as found by [`collect`].
#[derive(Debug, PartialEq)]
struct Question {
    id: String,
    /// The item has no `id`; `id` was derived from its choice ids (see [`derived_id`]).
    derived: bool,
    section: String,
    text: String,
    kind: String,
}

/// The grid for the top-level items: header row, then one row per answerable item.
fn build_grid(path: &Path, items: &[Value]) -> std::result::Result<Grid, String> {
    let mut grid = Grid::new(grid_name(path, items));
    for (col, title) in HEADER.iter().enumerate() {
        grid.set(0, col, (*title).to_string());
    }
    // A lone top-level block is the questionnaire's title, not a section.
    let title_block = matches!(items, [only] if item_type(only) == "block");
    let mut sections = Vec::new();
    let mut questions = Vec::new();
    let skip = if title_block { 1 } else { 0 };
    collect(items, &mut sections, skip, &mut questions, "the questionnaire")?;
    dedupe_derived_ids(&mut questions);
    let room = MAX_ROWS - 1; // below the header row
    if questions.len() > room {
        grid.truncated = Some(format!(
            "rows after {MAX_ROWS} were not read ({} more questions)",
            questions.len() - room
        ));
    }
    for (i, q) in questions.into_iter().take(room).enumerate() {
        // Three real checkgroups have no text of their own, only their options: the options
        // then are the question, so the item is still answerable and counted.
        let text = if q.text.trim().is_empty() {
            q.kind.split_once(": ").map(|(_, options)| format!("Select all that apply: {options}")).unwrap_or_default()
        } else {
            q.text
        };
        let cells = [q.id, q.section, text, q.kind, String::new(), String::new()];
        for (col, cell) in cells.into_iter().enumerate() {
            grid.set(i + 1, col, cell);
        }
    }
    Ok(grid)
}

/// The text of the first top-level block, else the file stem.
fn grid_name(path: &Path, items: &[Value]) -> String {
    items
        .iter()
        .find(|item| item_type(item) == "block")
        .map(|block| html_to_text(str_field(block, "text")))
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default())
}

/// Walks `items` in document order, appending answerable items to `out`. `sections` holds the
/// texts of the enclosing blocks; `skip_levels` of the outermost ones are left out of the path
/// (the title block). `place` describes where `items` sits, for error messages.
fn collect(
    items: &[Value],
    sections: &mut Vec<String>,
    skip_levels: usize,
    out: &mut Vec<Question>,
    place: &str,
) -> std::result::Result<(), String> {
    for (index, value) in items.iter().enumerate() {
        let item = value.as_object().ok_or_else(|| {
            format!("item {} of {place} is {}, expected an object with a \"type\"", index + 1, kind(value))
        })?;
        let ty = str_field_of(item, "type");
        if ANSWERABLE.contains(&ty) {
            out.push(question(item, ty, sections, skip_levels));
        }
        if GROUPS.contains(&ty) {
            continue; // nested items are choices
        }
        if let Some(children) = item.get("items") {
            let children = children.as_array().ok_or_else(|| {
                format!("\"items\" of {} is {}, expected an array", describe(item, index, place), kind(children))
            })?;
            let is_block = ty == "block";
            if is_block {
                sections.push(html_to_text(str_field_of(item, "text")));
            }
            collect(children, sections, skip_levels, out, &describe(item, index, place))?;
            if is_block {
                sections.pop();
            }
        }
    }
    Ok(())
}

/// "block \"Network\"" or "item 3 of …", for error messages.
fn describe(item: &Map<String, Value>, index: usize, place: &str) -> String {
    let text = html_to_text(str_field_of(item, "text"));
    let ty = str_field_of(item, "type");
    match (ty.is_empty(), text.is_empty()) {
        (false, false) => format!("{ty} \"{}\"", shorten(&text, 60)),
        (false, true) => format!("{ty} {} of {place}", index + 1),
        _ => format!("item {} of {place}", index + 1),
    }
}


fn question(item: &Map<String, Value>, ty: &str, sections: &[String], skip_levels: usize) -> Question {
    let section = sections
        .iter()
        .skip(skip_levels)
        .filter(|s| !s.is_empty())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" > ");
    let choices = choices(item);
    let kind = if choices.is_empty() { ty.to_string() } else { format!("{ty}: {}", choices.join(" | ")) };
    let (id, derived) = match id_of(item) {
        Some(id) => (id, false),
        None => (derived_id(item), true),
    };
    Question { id, derived, section, text: html_to_text(str_field_of(item, "text")), kind }
}

/// The item's own id as text (VSAQ ids are strings; numbers are accepted too).
fn id_of(item: &Map<String, Value>) -> Option<String> {
    match item.get("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// An id for a group that has none: VSAQ then keys the answers by choice id, and the choice
/// ids of one group share a prefix (`network_wifi_enc_wep`, `network_wifi_enc_wpapsk` →
/// `network_wifi_enc`). Empty when there is no choice id.
fn derived_id(item: &Map<String, Value>) -> String {
    let ids = choice_ids(item);
    let Some(first) = ids.first() else { return String::new() };
    let mut parts: Vec<&str> = first.split('_').collect();
    if ids.len() == 1 {
        parts.pop();
    }
    for id in &ids[1..] {
        let common = parts.iter().zip(id.split('_')).take_while(|(a, b)| *a == b).count();
        parts.truncate(common);
    }
    let prefix = parts.join("_");
    if prefix.is_empty() { first.clone() } else { prefix }
}

/// The ids of a group's choices, in order: the keys of `"choices": [{"id": "text"}]` or the
/// ids of nested `radio`/`check` items.
fn choice_ids(item: &Map<String, Value>) -> Vec<String> {
    let mut ids = Vec::new();
    if let Some(Value::Array(list)) = item.get("choices") {
        ids.extend(list.iter().filter_map(Value::as_object).flat_map(|m| m.keys().cloned()));
    }
    if let Some(Value::Array(nested)) = item.get("items") {
        let children = nested.iter().filter_map(Value::as_object);
        ids.extend(children.filter(|c| matches!(str_field_of(c, "type"), "radio" | "check")).filter_map(id_of));
    }
    ids.retain(|id| !id.trim().is_empty());
    ids
}

/// Makes derived ids unique within the file: a clash with any other id gets `_2`, `_3`, ….
fn dedupe_derived_ids(questions: &mut [Question]) {
    let mut used: HashSet<String> =
        questions.iter().filter(|q| !q.derived).map(|q| q.id.clone()).collect();
    for q in questions.iter_mut().filter(|q| q.derived && !q.id.is_empty()) {
        let mut candidate = q.id.clone();
        let mut n = 2;
        while used.contains(&candidate) {
            candidate = format!("{}_{n}", q.id);
            n += 1;
        }
        used.insert(candidate.clone());
        q.id = candidate;
    }
}

/// Choice texts of a group: `"choices": [{"id": "text"}, …]` (also plain strings), or nested
/// `radio`/`check` items.
fn choices(item: &Map<String, Value>) -> Vec<String> {
    let mut texts = Vec::new();
    if let Some(Value::Array(list)) = item.get("choices") {
        for choice in list {
            match choice {
                Value::String(s) => texts.push(html_to_text(s)),
                Value::Object(map) => {
                    texts.extend(map.values().filter_map(Value::as_str).map(html_to_text));
                }
                _ => {}
            }
        }
    }
    if let Some(Value::Array(nested)) = item.get("items") {
        for child in nested.iter().filter_map(Value::as_object) {
            if matches!(str_field_of(child, "type"), "radio" | "check") {
                texts.push(html_to_text(str_field_of(child, "text")));
            }
        }
    }
    texts.retain(|t| !t.is_empty());
    texts
}

fn item_type(value: &Value) -> &str {
    str_field(value, "type")
}

fn str_field<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or("")
}

fn str_field_of<'a>(item: &'a Map<String, Value>, key: &str) -> &'a str {
    item.get(key).and_then(Value::as_str).unwrap_or("")
}

// ---------------------------------------------------------------------------------------------
// HTML to text
// ---------------------------------------------------------------------------------------------

/// Tags that separate text the way a line break would.
const BLOCK_TAGS: [&str; 16] =
    ["p", "br", "div", "ul", "ol", "li", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "blockquote", "hr"];

/// Strips tags, decodes the common entities and collapses whitespace. List items become
/// " - item"; other block tags become a space; inline tags (`<b>`, `<a>`, `<code>`) vanish.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..lt]));
        let after = &rest[lt..];
        match tag_len(after) {
            Some(len) => {
                out.push_str(tag_replacement(&after[1..len - 1]));
                rest = &after[len..];
            }
            None => {
                out.push('<');
                rest = &after[1..];
            }
        }
    }
    out.push_str(&decode_entities(rest));
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The length of the tag at the start of `s` (which starts with `<`), if it is one.
fn tag_len(s: &str) -> Option<usize> {
    let next = s[1..].chars().next()?;
    if !(next.is_ascii_alphabetic() || next == '/' || next == '!') {
        return None;
    }
    s.find('>').map(|gt| gt + 1)
}

fn tag_replacement(inner: &str) -> &'static str {
    let name: String = inner
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    if name == "li" && !inner.starts_with('/') {
        " - "
    } else if BLOCK_TAGS.contains(&name.as_str()) {
        " "
    } else {
        ""
    }
}

/// Named entities decoded, and whether they are also recognised without the closing `;`.
const ENTITIES: [(&str, &str, bool); 16] = [
    ("lt", "<", true),
    ("gt", ">", true),
    ("amp", "&", true),
    ("quot", "\"", true),
    ("nbsp", " ", true),
    ("apos", "'", false),
    ("mdash", "—", false),
    ("ndash", "–", false),
    ("hellip", "…", false),
    ("lsquo", "‘", false),
    ("rsquo", "’", false),
    ("ldquo", "“", false),
    ("rdquo", "”", false),
    ("bull", "•", false),
    ("copy", "©", false),
    ("reg", "®", false),
];

/// Decodes `&name;`, `&#NN;` and `&#xHH;`; anything else is left as written.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match entity(after) {
            Some((decoded, len)) => {
                out.push_str(&decoded);
                rest = &after[len..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The entity at the start of `s` (just after `&`): its text and how many bytes it used.
fn entity(s: &str) -> Option<(String, usize)> {
    if let Some(num) = s.strip_prefix('#') {
        return numeric_entity(num).map(|(c, len)| (c.to_string(), len + 1));
    }
    let name_len = s.bytes().take_while(u8::is_ascii_alphanumeric).count();
    let name = &s[..name_len];
    let (_, text, bare_ok) = ENTITIES.iter().find(|(n, _, _)| *n == name)?;
    if s[name_len..].starts_with(';') {
        Some((text.to_string(), name_len + 1))
    } else if *bare_ok {
        Some((text.to_string(), name_len))
    } else {
        None
    }
}

/// `NN;` or `xHH;` (after `&#`): the character and the bytes used.
fn numeric_entity(s: &str) -> Option<(char, usize)> {
    let (digits, radix, prefix) = match s.strip_prefix(['x', 'X']) {
        Some(hex) => (hex, 16, 1),
        None => (s, 10, 0),
    };
    let len = digits.bytes().take_while(|b| (*b as char).is_digit(radix)).count();
    if len == 0 || !digits[len..].starts_with(';') {
        return None;
    }
    let code = u32::from_str_radix(&digits[..len], radix).ok()?;
    let c = char::from_u32(code).filter(|c| *c != '\0')?;
    Some((c, prefix + len + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(source: &str) -> String {
        preprocess(source).unwrap().text
    }

    fn read(source: &str) -> Result<Grid> {
        read_vsaq(Path::new("dir/my_vsaq.json"), source.as_bytes())
    }

    fn row(g: &Grid, r: usize) -> Vec<&str> {
        g.rows[r].iter().map(String::as_str).collect()
    }

    #[test]
    fn preprocessor_removes_comments_and_keeps_slashes_in_strings() {
        let src = "// header\n{\"a\": \"http://x.example/y\", // trailing\n \"b\": /* inline */ 1}\n";
        let out = clean(src);
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["a"], "http://x.example/y");
        assert_eq!(v["b"], 1);
        assert_eq!(out.matches('\n').count(), src.matches('\n').count()); // line breaks kept
    }

    #[test]
    fn preprocessor_keeps_escaped_quotes_and_comment_markers_in_strings() {
        let src = r#"{"a": "say \"hi\" // not a comment /* nor this */", "b": "end\\"}"#;
        let v: Value = serde_json::from_str(&clean(src)).unwrap();
        assert_eq!(v["a"], "say \"hi\" // not a comment /* nor this */");
        assert_eq!(v["b"], "end\\");
    }

    #[test]
    fn preprocessor_joins_concatenations_across_lines_and_comments() {
        let src = "{\"t\": \"<p>one</p>\" +\n   // between\n   \"two \\\"q\\\"\" /* c */ + \n\"three\",\n \"u\": \"x\" }";
        let v: Value = serde_json::from_str(&clean(src)).unwrap();
        assert_eq!(v["t"], "<p>one</p>two \"q\"three");
        assert_eq!(v["u"], "x");
    }

    #[test]
    fn preprocessor_drops_trailing_commas() {
        let v: Value = serde_json::from_str(&clean("{\"a\": [1, 2, // c\n ], }")).unwrap();
        assert_eq!(v["a"], serde_json::json!([1, 2]));
    }

    #[test]
    fn unclosed_block_comment_is_reported_with_its_position() {
        let err = read("{\n  /* open\n}").unwrap_err();
        assert!(matches!(err, Error::Vsaq { .. }));
        assert!(err.to_string().contains("line 2, column 3"), "{err}");
    }

    #[test]
    fn json_errors_point_at_the_source_line() {
        // Line 5 of the source; the joined string and the comments shift the JSON text.
        let src = "// c1\n{\"questionnaire\": [\n {\"text\": \"a\" +\n  \"b\"},\n {\"type\": oops}\n]}";
        let err = read(src).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, Error::Vsaq { .. }));
        assert!(msg.contains("invalid JSON at line 5, column 11"), "{msg}");
    }

    #[test]
    fn missing_questionnaire_is_a_vsaq_error() {
        let err = read("{\"items\": []}").unwrap_err();
        assert!(err.to_string().contains("no \"questionnaire\" array at the top level"), "{err}");
        let err = read("[1, 2]").unwrap_err();
        assert!(err.to_string().contains("the top level is an array"), "{err}");
        let err = read("{\"questionnaire\": {}}").unwrap_err();
        assert!(err.to_string().contains("is an object, not an array"), "{err}");
    }

    #[test]
    fn non_object_item_is_reported_with_its_place() {
        let err = read("{\"questionnaire\": [{\"type\": \"block\", \"text\": \"Net\", \"items\": [1]}]}").unwrap_err();
        assert!(err.to_string().contains("item 1 of block \"Net\" is a number"), "{err}");
    }

    #[test]
    fn not_utf8_is_a_vsaq_error() {
        let err = read_vsaq(Path::new("q.json"), b"{\"a\":\n \"\xE9\"}").unwrap_err();
        assert!(err.to_string().contains("line 2, column 3"), "{err}");
    }

    const NESTED: &str = r#"
    // comment
    {
      "questionnaire": [
        {"type": "block", "text": "My <b>Questionnaire</b>", "items": [
          {"type": "info", "text": "Read this first"},
          {"type": "block", "text": "Network", "id": "b_net", "items": [
            {"type": "line", "id": "q1", "text": "Your <i>name</i>:"},
            {"type": "block", "text": "Firewalls", "items": [
              {"type": "radiogroup", "id": "q2", "text": "<p>Do you have one?</p>",
               "choices": [{"q2_yes": "Yes"}, {"q2_no": "No &mdash; not yet"}]},
              {"type": "tip", "id": "t1", "text": "Get one"},
              {"type": "checkgroup", "id": "q3", "text": "Which?", "items": [
                {"type": "check", "id": "c1", "text": "Stateful"},
                {"type": "check", "id": "c2", "text": "WAF"}
              ]}
            ]},
            {"type": "spacer"},
            {"type": "upload", "id": "q4", "text": "Attach a diagram"}
          ]},
          {"type": "box", "id": "q5", "text": "Anything else?"}
        ]}
      ]
    }"#;

    #[test]
    fn nested_blocks_give_section_paths() {
        let g = read(NESTED).unwrap();
        assert_eq!(g.name, "My Questionnaire");
        assert!(!g.hidden && g.truncated.is_none());
        assert_eq!(row(&g, 0), HEADER.to_vec());
        assert_eq!(g.rows.len(), 6);
        assert_eq!(row(&g, 1), vec!["q1", "Network", "Your name:", "line", "", ""]);
        assert_eq!(
            row(&g, 2),
            vec!["q2", "Network > Firewalls", "Do you have one?", "radiogroup: Yes | No — not yet", "", ""]
        );
        assert_eq!(row(&g, 3), vec!["q3", "Network > Firewalls", "Which?", "checkgroup: Stateful | WAF", "", ""]);
        assert_eq!(row(&g, 4), vec!["q4", "Network", "Attach a diagram", "upload", "", ""]);
        assert_eq!(row(&g, 5), vec!["q5", "", "Anything else?", "box", "", ""]);
    }

    #[test]
    fn several_top_level_blocks_are_sections_and_name_falls_back_to_stem() {
        let src = r#"{"questionnaire": [
            {"type": "block", "text": "A", "items": [{"type": "yesno", "id": "a1", "text": "Q?"}]},
            {"type": "block", "text": "B", "items": [{"type": "line", "id": "b1", "text": "R?"}]}
        ]}"#;
        let g = read(src).unwrap();
        assert_eq!(g.name, "A");
        assert_eq!(row(&g, 1), vec!["a1", "A", "Q?", "yesno", "", ""]);
        assert_eq!(row(&g, 2), vec!["b1", "B", "R?", "line", "", ""]);

        let g = read(r#"{"questionnaire": [{"type": "line", "id": "x", "text": "Name"}]}"#).unwrap();
        assert_eq!(g.name, "my_vsaq");
        assert_eq!(row(&g, 1), vec!["x", "", "Name", "line", "", ""]);
    }

    #[test]
    fn groups_without_id_get_one_from_their_choice_ids() {
        let src = r#"{"questionnaire": [
            {"type": "radiogroup", "text": "WiFi?", "choices": [{"net_wifi_wep": "WEP"}, {"net_wifi_wpa": "WPA"}]},
            {"type": "checkgroup", "text": "More?", "choices": [{"net_wifi_x": "X"}, {"net_wifi_y": "Y"}]},
            {"type": "line", "id": "net_wifi_2", "text": "Taken"},
            {"type": "radiogroup", "text": "Solo", "choices": [{"solo_yes": "Yes"}]},
            {"type": "checkgroup", "text": "Nested", "items": [{"type": "check", "id": "n_a", "text": "A"}, {"type": "check", "id": "n_b", "text": "B"}]},
            {"type": "box", "text": "No id at all"}
        ]}"#;
        let g = read(src).unwrap();
        let ids: Vec<&str> = (1..g.rows.len()).map(|r| g.cell(r, 0)).collect();
        assert_eq!(ids, vec!["net_wifi", "net_wifi_3", "net_wifi_2", "solo", "n", ""]);
        assert_eq!(g.cell(5, 3), "checkgroup: A | B");
    }

    #[test]
    fn empty_questionnaire_gives_only_the_header() {
        let g = read(r#"{"questionnaire": []}"#).unwrap();
        assert_eq!(g.rows.len(), 1);
        assert_eq!(g.name, "my_vsaq");
    }

    #[test]
    fn html_is_stripped_and_entities_decoded() {
        assert_eq!(
            html_to_text("<p>Use <a href='https://x.example/?a=1&amp;b=2'>XSRF</a> tokens.</p><p>Or <code>&lt;img src=&quot;x&quot;&gt;</code></p>"),
            "Use XSRF tokens. Or <img src=\"x\">"
        );
        assert_eq!(html_to_text("<b>Sensitive data</b>: PII &mdash; or&nbsp;not"), "Sensitive data: PII — or not");
        assert_eq!(html_to_text("Topics:<ul><li>One</li><li>Two</li></ul>"), "Topics: - One - Two");
        assert_eq!(html_to_text("in &lt;script&gt tags, it&#39;s &#x41;&#66;"), "in <script> tags, it's AB");
        assert_eq!(html_to_text("a < b && c &amount=1 &unknown; x<br/>y"), "a < b && c &amount=1 &unknown; x y");
        assert_eq!(html_to_text("  spaced \n\t out  "), "spaced out");
    }

    /// The four Google VSAQ files shipped with the project's shared test data (read in place).
    #[test]
    fn real_vsaq_files_have_245_answerable_items() {
        let dir = Path::new("/work/shared/questionnaires/vsaq");
        if !dir.is_dir() {
            eprintln!("skipping real_vsaq_files_have_245_answerable_items: {} not found", dir.display());
            return;
        }
        let expected = [
            ("infrastructure.json", 96, "Infrastructure Security Questionnaire"),
            ("physical_and_datacenter.json", 30, "Physical & Data Center Security Questionnaire"),
            ("security_privacy_programs.json", 46, "Security and Privacy Programs Questionnaire"),
            ("webapp.json", 73, "Web Application Security Questionnaire"),
        ];
        let mut total = 0;
        let mut by_type = std::collections::BTreeMap::new();
        for (file, count, title) in expected {
            let path = dir.join(file);
            let bytes = std::fs::read(&path).unwrap();
            let g = read_vsaq(&path, &bytes).unwrap();
            assert_eq!(g.name, title);
            assert_eq!(row(&g, 0), HEADER.to_vec());
            assert_eq!(g.rows.len() - 1, count, "{file}");
            for r in 1..g.rows.len() {
                let ty = g.cell(r, 3).split(':').next().unwrap_or("").to_string();
                *by_type.entry(ty).or_insert(0) += 1;
                assert!(!g.cell(r, 0).is_empty(), "{file} row {r} has no id");
                assert!(!g.cell(r, 2).contains("<p>"), "{file} row {r} kept HTML");
            }
            total += g.rows.len() - 1;
        }
        assert_eq!(total, 245);
        let by_type: Vec<_> = by_type.into_iter().collect();
        assert_eq!(
            by_type,
            vec![("box".into(), 37), ("checkgroup".into(), 27), ("line".into(), 29), ("radiogroup".into(), 152)]
        );
    }
}
