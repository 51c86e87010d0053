//! Small XML helpers shared by the readers and the part rewriters: the attributes of elements by
//! local name, attribute lookup, text with entities, and escaping text the way Excel and Word
//! store it.

use quick_xml::events::{BytesRef, BytesStart};

/// The unescaped value of the attribute whose qualified name is `key`.
pub fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// Splits a leading byte order mark off a part: quick-xml skips it, so byte positions in the
/// rest are only right without it.
pub fn split_bom(xml: &str) -> (&str, &str) {
    match xml.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", xml),
    }
}

/// The prefix of a qualified name with its colon ("x:" for "x:row", "" for "row").
pub fn prefix_of(qname: &str) -> &str {
    qname.rfind(':').map(|i| &qname[..=i]).unwrap_or("")
}

/// Appends what an entity or character reference stands for (`&amp;`, `&#10;`).
pub fn push_ref(out: &mut String, r: &BytesRef<'_>) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        out.push(c);
    } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(r) {
        out.push_str(s);
    }
}

/// A start tag rebuilt from its attributes, with `drop` left out and `add` appended.
/// Attribute values are copied as they stand (already escaped).
pub fn rebuild_tag(e: &BytesStart<'_>, drop: &[&str], add: &[(&str, &str)], empty: bool) -> String {
    let mut s = format!("<{}", e.name().as_ref());
    for a in e.attributes().flatten() {
        let key = a.key.as_ref();
        if drop.contains(&key) {
            continue;
        }
        s.push_str(&format!(" {key}=\"{}\"", a.value.replace('"', "&quot;")));
    }
    for (k, v) in add {
        s.push_str(&format!(" {k}=\"{}\"", escape(v).replace('"', "&quot;")));
    }
    s.push_str(if empty { "/>" } else { ">" });
    s
}

/// Escapes text for element content. Characters XML 1.0 cannot carry (most control characters)
/// are written as Excel writes them, `_xHHHH_`; a literal `_xHHHH_` in the text gets its
/// underscore escaped (`_x005F_`) so that Excel does not decode it.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' => out.push(c),
            '_' if looks_like_escape(&bytes[i..]) => out.push_str("_x005F_"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push_str(&format!("_x{:04X}_", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn looks_like_escape(b: &[u8]) -> bool {
    b.len() >= 7 && b[1] == b'x' && b[2..6].iter().all(u8::is_ascii_hexdigit) && b[6] == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape("a < b & c > d"), "a &lt; b &amp; c &gt; d");
        assert_eq!(escape("line1\nline2\r"), "line1\nline2_x000D_");
        assert_eq!(escape("_x0041_ stays"), "_x005F_x0041_ stays");
        assert_eq!(escape("=SUM(A1)"), "=SUM(A1)");
        assert_eq!(prefix_of("x:row"), "x:");
        assert_eq!(prefix_of("row"), "");
    }
}

/// The given attributes of every element with this local name (empty strings where absent).
pub fn xml_elements(xml: &str, local: &str, attrs: &[&str]) -> Vec<Vec<String>> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == local => {
                let mut vals = vec![String::new(); attrs.len()];
                for a in e.attributes().flatten() {
                    let key: &str = a.key.as_ref();
                    if let Some(i) = attrs.iter().position(|x| *x == key) {
                        vals[i] = a.normalized_value(quick_xml::XmlVersion::Implicit1_0).map(|v| v.into_owned()).unwrap_or_default();
                    }
                }
                out.push(vals);
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}
