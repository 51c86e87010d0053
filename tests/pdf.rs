//! PDF questionnaires: flat PDFs read from their text (numbered lines, tables by position,
//! from lopdf-built pages and from Word documents printed to PDF by LibreOffice), AcroForm
//! questions printed beside their fields, forms filled in place by an incremental update,
//! response documents for flat PDFs, and bad inputs.

mod common;

use common::docx as fx;
use quire::sheet::grid::Format;
use quire::sheet::{read_questionnaire, Questionnaire};
use std::path::{Path, PathBuf};

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("quire-pdf-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// LibreOffice Writer, when installed (else a SKIPPED notice).
fn writer() -> bool {
    let lib = Path::new("/usr/lib/libreoffice/program/libswlo.so");
    if std::process::Command::new("soffice").arg("--version").output().is_err() || !lib.exists() {
        eprintln!("SKIPPED: LibreOffice Writer (soffice + libreoffice-writer-nogui) is not installed");
        return false;
    }
    true
}

/// `soffice --headless --convert-to <to>` of `path` into its folder; the converted file.
fn convert(path: &Path, to: &str) -> PathBuf {
    let dir = path.parent().unwrap();
    let profile = format!("-env:UserInstallation=file://{}", dir.join("lo-profile").display());
    let out = std::process::Command::new("soffice").args([profile.as_str(), "--headless", "--convert-to", to, "--outdir"]).arg(dir).arg(path).output().expect("soffice runs");
    let ext = to.split(':').next().unwrap();
    let converted = path.with_extension(ext);
    assert!(converted.exists(), "LibreOffice could not convert {}: {}", path.display(), String::from_utf8_lossy(&out.stderr));
    converted
}

fn questions(q: &Questionnaire) -> Vec<(String, String)> {
    q.questions().map(|x| (x.reference.clone(), x.text.clone())).collect()
}

#[test]
fn word_documents_printed_to_pdf_are_read_from_their_text() {
    if !writer() {
        return;
    }
    let dir = tmp("printed");
    for answered in [false, true] {
        let f = fx::tables(&dir, answered).unwrap();
        let pdf = convert(&f.path, "pdf");
        let q = read_questionnaire(&pdf).unwrap();
        assert_eq!(q.format, Format::Pdf);
        let got = questions(&q);
        let want: Vec<(String, String)> = f.questions.iter().map(|x| (x.reference.clone(), x.text.clone())).collect();
        assert_eq!(got, want, "{:#?}", q.report());
        if answered {
            let answers: Vec<(&str, &str)> = q.questions().map(|x| (x.answer.as_str(), x.comment.as_str())).collect();
            let want: Vec<(&str, &str)> = f.questions.iter().map(|x| (x.answer.as_str(), x.comment.as_str())).collect();
            assert_eq!(answers, want);
        }
        assert!(q.questions().all(|x| x.sheet.starts_with("Page ") && x.answer_cell.is_none()));
        let domains: Vec<&str> = q.questions().map(|x| x.domain.as_str()).collect();
        assert_eq!(domains, f.questions.iter().map(|x| x.section.as_str()).collect::<Vec<_>>());
        assert!(q.sheets[0].notes[0].starts_with("a flat PDF (1 page,"), "{:?}", q.sheets[0].notes);
    }
    for answered in [false, true] {
        let path = numbered_docx(&dir, answered);
        let q = read_questionnaire(&convert(&path, "pdf")).unwrap();
        let got: Vec<(&str, &str, &str, &str)> = q.questions().map(|x| (x.reference.as_str(), x.text.as_str(), x.domain.as_str(), x.answer.as_str())).collect();
        let want: Vec<(&str, &str, &str, &str)> = NUMBERED.iter().map(|(r, t, d, a)| (*r, *t, *d, if answered { *a } else { "" })).collect();
        assert_eq!(got, want, "{:#?}", q.report());
        assert_eq!(q.questions().next().unwrap().sheet, "Page 1");
    }
}

/// Numbered questions as typed text (ref, question, section, answer), some long enough to wrap.
const NUMBERED: &[(&str, &str, &str, &str)] = &[
    ("1.1", "Have you undergone a SOC 2 Type II audit of the service in the last twelve months, and can you share the report with customers under a non-disclosure agreement?", "Organisation", "Yes, under NDA"),
    ("1.2", "Describe your process for onboarding and offboarding employees and contractors, including how quickly access is removed.", "Organisation", "Within 24 hours of departure"),
    ("A.3", "Is customer data encrypted at rest with keys held in a key management service?", "Data protection", "Yes"),
    ("Q12", "Do you store customer data outside the European Union?", "Data protection", "No"),
    ("b", "Which cloud providers host the service?", "Data protection", "AWS (eu-central-1)"),
];

/// A Word document of typed-numbered questions with answer space (or "Answer:" lines and
/// ticked boxes when `answered`), for LibreOffice to print.
fn numbered_docx(dir: &Path, answered: bool) -> PathBuf {
    let mut body = fx::heading(1, "Vendor Assessment");
    body.push_str(&fx::para("Answer each question below; attach evidence where asked."));
    let mut section = "";
    for (i, (r, t, d, a)) in NUMBERED.iter().enumerate() {
        if *d != section {
            section = d;
            body.push_str(&fx::heading(2, &format!("{}. {d}", if i == 0 { 1 } else { 2 })));
        }
        let sep = if r.len() == 1 { ") " } else { " " };
        body.push_str(&fx::para(&format!("{r}{sep}{t}")));
        if *r == "Q12" {
            let (y, n) = if answered { ('☐', '☒') } else { ('☐', '☐') };
            body.push_str(&fx::para(&format!("{y} Yes   {n} No")));
        } else if answered {
            body.push_str(&fx::para(&format!("Answer: {a}")));
        } else {
            body.push_str("<w:p/><w:p/>");
        }
    }
    let path = dir.join(if answered { "numbered-answered.docx" } else { "numbered.docx" });
    fx::write_package(&path, &fx::document(&body), false).unwrap();
    path
}

/// A one-page PDF: with `text` on the page (or none, like a scan), and AcroForm fields
/// (type, name, tooltip, value).
fn pdf(path: &Path, text: Option<&str>, fields: &[(&str, &str, &str, &str)]) {
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" });
    let content = match text {
        Some(t) => format!("BT /F1 12 Tf 72 720 Td ({t}) Tj ET"),
        None => "q 0 0 0 rg 72 72 400 600 re f Q".to_string(),
    };
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
        "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
    });
    doc.objects.insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 }));
    let field_ids: Vec<Object> = fields
        .iter()
        .map(|(ft, name, tip, value)| {
            let mut d = dictionary! { "FT" => *ft, "T" => Object::string_literal(*name), "Rect" => vec![300.into(), 700.into(), 500.into(), 720.into()], "P" => page_id };
            if !tip.is_empty() {
                d.set("TU", Object::string_literal(*tip));
            }
            if !value.is_empty() {
                d.set("V", if *ft == "Btn" { Object::Name(value.as_bytes().to_vec()) } else { Object::string_literal(*value) });
            }
            doc.add_object(d).into()
        })
        .collect();
    let mut catalog = dictionary! { "Type" => "Catalog", "Pages" => pages_id };
    if !fields.is_empty() {
        catalog.set("AcroForm", dictionary! { "Fields" => field_ids });
    }
    let catalog_id = doc.add_object(catalog);
    doc.trailer.set("Root", catalog_id);
    doc.save(path).unwrap();
}

#[test]
fn pdf_forms_are_read_by_tooltips_and_scans_refused() {
    let dir = tmp("pdf");
    // A fillable form: questions in the fields' tooltips (or names), answers in their values.
    let p = dir.join("form.pdf");
    pdf(&p, Some("Security questionnaire"), &[
        ("Tx", "vendor", "Vendor name", "Acme"),
        ("Tx", "q1", "Do you encrypt customer data at rest?", "Yes, AES-256"),
        ("Btn", "q2", "Is multi-factor authentication enforced for administrators?", "Yes"),
        ("Btn", "q3", "Do you store data outside the EU?", "Off"),
        ("Tx", "Describe your incident response process", "", ""),
    ]);
    let q = read_questionnaire(&p).unwrap();
    assert_eq!(q.format, Format::Pdf);
    let got: Vec<(&str, &str)> = q.questions().map(|x| (x.text.as_str(), x.answer.as_str())).collect();
    assert_eq!(got, [("Do you encrypt customer data at rest?", "Yes, AES-256"), ("Is multi-factor authentication enforced for administrators?", "Yes"), ("Do you store data outside the EU?", ""), ("Describe your incident response process", "")]);
    assert_eq!(q.answered_count(), 2);
    assert!(q.sheets[0].notes[0].contains("5 fields, 4 of them"), "{:?}", q.sheets[0].notes);
    // A form field without a question of its own: none printed beside it either.
    let p = dir.join("nothing.pdf");
    pdf(&p, Some("Vendor name"), &[("Tx", "Text1", "", "")]);
    let e = read_questionnaire(&p).unwrap().require_questions().unwrap_err().to_string();
    assert!(e.contains("printed beside it") && e.contains("Word or Excel version"), "{e}");
    // A scan: no text layer.
    let p = dir.join("scan.pdf");
    pdf(&p, None, &[]);
    let e = read_questionnaire(&p).unwrap_err().to_string();
    assert!(e.contains("scan.pdf") && e.contains("without a text layer (1 page of scanned images): it needs OCR") && e.contains("Word or Excel version"), "{e}");
    let p = dir.join("fake.pdf");
    std::fs::write(&p, b"%PDF-1.7\nnot really").unwrap();
    let e = read_questionnaire(&p).unwrap_err().to_string();
    assert!(e.contains("cannot be read as one"), "{e}");
}

/// A form field to build: type, name, tooltip, widget rectangles (with their on-state for
/// buttons), value, flags.
struct FieldSpec {
    ft: &'static str,
    name: &'static str,
    tooltip: &'static str,
    widgets: Vec<([i64; 4], Option<&'static str>)>,
    value: Option<&'static str>,
    flags: i64,
}

fn text_field(name: &'static str, rect: [i64; 4]) -> FieldSpec {
    FieldSpec { ft: "Tx", name, tooltip: "", widgets: vec![(rect, None)], value: None, flags: 0 }
}

/// A one-page AcroForm PDF with lines of text printed at (x, y) and the fields given; widgets
/// of buttons get an appearance dictionary with their on-state and Off.
fn form_pdf(path: &Path, texts: &[(i64, i64, &str)], fields: &[FieldSpec]) -> Vec<u8> {
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding" });
    let mut content = String::new();
    for (x, y, t) in texts {
        content.push_str(&format!("BT /F1 11 Tf {x} {y} Td ({}) Tj ET\n", t.replace('(', "\\(").replace(')', "\\)")));
    }
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
    let page_id = doc.new_object_id();
    let appearance = doc.add_object(Stream::new(dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 12.into(), 12.into()] }, b"0 g 2 2 8 8 re f".to_vec()));
    let mut annots: Vec<Object> = Vec::new();
    let mut field_ids: Vec<Object> = Vec::new();
    for f in fields {
        let mut d = dictionary! { "FT" => f.ft, "T" => Object::string_literal(f.name) };
        if !f.tooltip.is_empty() {
            d.set("TU", Object::string_literal(f.tooltip));
        }
        if f.flags != 0 {
            d.set("Ff", f.flags);
        }
        if let Some(v) = f.value {
            d.set("V", if f.ft == "Btn" { Object::Name(v.as_bytes().to_vec()) } else { Object::string_literal(v) });
        }
        let widget = |rect: [i64; 4], on: Option<&str>| {
            let mut w = dictionary! { "Type" => "Annot", "Subtype" => "Widget", "Rect" => rect.iter().map(|v| Object::Integer(*v)).collect::<Vec<_>>(), "P" => page_id };
            if let Some(on) = on {
                w.set("AP", dictionary! { "N" => dictionary! { on => appearance, "Off" => appearance } });
                let state = if f.value == Some(on) { on } else { "Off" };
                w.set("AS", Object::Name(state.as_bytes().to_vec()));
            }
            w
        };
        let id = if f.widgets.len() == 1 {
            let (rect, on) = f.widgets[0];
            for (k, v) in widget(rect, on).iter() {
                d.set(k.clone(), v.clone());
            }
            let id = doc.add_object(d);
            annots.push(id.into());
            id
        } else {
            let id = doc.new_object_id();
            let kids: Vec<Object> = f
                .widgets
                .iter()
                .map(|(rect, on)| {
                    let mut w = widget(*rect, *on);
                    w.set("Parent", id);
                    let kid = doc.add_object(w);
                    annots.push(kid.into());
                    kid.into()
                })
                .collect();
            d.set("Kids", kids);
            doc.objects.insert(id, Object::Dictionary(d));
            id
        };
        field_ids.push(id.into());
    }
    doc.objects.insert(
        page_id,
        Object::Dictionary(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id, "Annots" => annots,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        }),
    );
    doc.objects.insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 }));
    let helv = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" });
    let form = dictionary! { "Fields" => field_ids, "DA" => Object::string_literal("/Helv 0 Tf 0 g"), "DR" => dictionary! { "Font" => dictionary! { "Helv" => helv } } };
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id, "AcroForm" => form });
    doc.trailer.set("Root", catalog_id);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    std::fs::write(path, &bytes).unwrap();
    bytes
}

/// The printed form: questions beside (left of) or above their fields, a check box, a radio
/// group Yes / No / N/A, a non-question field, and a field with a question tooltip.
fn printed_form(path: &Path) -> Vec<u8> {
    let texts = [
        (72, 740, "Supplier Security Form"),
        (72, 712, "Company name:"),
        (72, 680, "1. Do you encrypt customer data at rest?"),
        (72, 650, "2. Is multi-factor authentication enforced"),
        (72, 637, "for administrators?"),
        (72, 600, "3. Do you store customer data outside the EU?"),
        (380, 600, "Yes"),
        (430, 600, "No"),
        (480, 600, "N/A"),
        (72, 560, "4. Describe your incident response process (who is notified, and how quickly)."),
        (72, 470, "Signature"),
    ];
    let fields = [
        text_field("company", [170, 708, 400, 724]),
        text_field("Text1", [350, 676, 560, 692]),
        FieldSpec { ft: "Btn", name: "Check1", tooltip: "", widgets: vec![([350, 634, 362, 646], Some("Yes"))], value: None, flags: 0 },
        FieldSpec { ft: "Btn", name: "Group3", tooltip: "", widgets: vec![([365, 598, 377, 610], Some("Yes")), ([415, 598, 427, 610], Some("No")), ([465, 598, 477, 610], Some("NA"))], value: None, flags: 1 << 15 },
        text_field("Text4", [72, 490, 560, 550]),
        FieldSpec { ft: "Tx", name: "Text5", tooltip: "Do you carry cyber insurance?", widgets: vec![([150, 430, 300, 445], None)], value: None, flags: 0 },
    ];
    form_pdf(path, &texts, &fields)
}

#[test]
fn form_questions_printed_beside_or_above_their_fields_are_read() {
    let dir = tmp("printed-form");
    let p = dir.join("form.pdf");
    printed_form(&p);
    let q = read_questionnaire(&p).unwrap();
    let got: Vec<(&str, &str, Option<&str>)> = q.questions().map(|x| (x.reference.as_str(), x.text.as_str(), x.answer_cell.as_deref())).collect();
    assert_eq!(
        got,
        [
            ("1", "Do you encrypt customer data at rest?", Some("Text1")),
            ("2", "Is multi-factor authentication enforced for administrators?", Some("Check1")),
            ("3", "Do you store customer data outside the EU?", Some("Group3")),
            ("4", "Describe your incident response process (who is notified, and how quickly).", Some("Text4")),
            ("", "Do you carry cyber insurance?", Some("Text5")),
        ],
        "{:#?}",
        q.report()
    );
    assert!(q.sheets[0].notes[0].contains("6 fields, 5 of them with a question (1 in the field's tooltip or name, 4 printed beside the field)"), "{:?}", q.sheets[0].notes);
    assert!(quire::sheet::pdf::is_form(&q));
}

use quire::fill::{fill_workbook, FillOptions};
use quire::review::{Review, ReviewStatus, ReviewedQuestion};

fn reviewed(q: &quire::sheet::model::Question, answer: &str, comment: &str) -> ReviewedQuestion {
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    ReviewedQuestion { question: q.clone(), answer: opt(answer), comment: opt(comment), status: ReviewStatus::Reviewed, confidence: None, source: None, evidence: Vec::new(), alternatives: Vec::new(), changed_by: None, changed_at: None }
}

fn review(q: &Questionnaire, answers: &[(&str, &str)]) -> Review {
    Review { questionnaire: q.file.clone(), questions: q.questions().zip(answers).map(|(x, (a, c))| reviewed(x, a, c)).collect() }
}

/// The printed form with a fifth question whose radio buttons have opaque state names
/// ("Choice1"…) and are known only by the labels printed to their right.
fn opaque_radio_form(path: &Path) -> Vec<u8> {
    let texts = [(72, 700, "5. Have you appointed a data protection officer?"), (380, 700, "Yes"), (430, 700, "No"), (480, 700, "N/A")];
    let fields = [FieldSpec { ft: "Btn", name: "Group6", tooltip: "", widgets: vec![([365, 698, 377, 710], Some("Choice1")), ([415, 698, 427, 710], Some("Choice2")), ([465, 698, 477, 710], Some("Choice3"))], value: None, flags: 1 << 15 }];
    form_pdf(path, &texts, &fields)
}

#[test]
fn forms_are_filled_in_place_by_an_incremental_update_and_read_back() {
    let dir = tmp("fill-form");
    let p = dir.join("form.pdf");
    let original = printed_form(&p);
    let q = read_questionnaire(&p).unwrap();
    let answers = [
        ("Yes, AES-256 (keys in a KMS) \\ rotated yearly) ((", "Keys rotate yearly"),
        ("Yes", ""),
        ("N/A", ""),
        ("The on-call engineer is paged at once; customers hear within 24 h — über-schnell ✓\nSecond line.", ""),
        ("No", ""),
    ];
    let out = dir.join("form.filled.pdf");
    let report = fill_workbook(&q, &review(&q, &answers), &out, &FillOptions::default()).unwrap();
    assert_eq!(report.output, out);
    assert_eq!(report.written, 5, "{:#?}", report.skipped);
    // The comment has no place in a form: reported, not lost silently.
    assert_eq!(report.skipped.len(), 1);
    assert!(report.skipped[0].reason.contains("no comment field"), "{:?}", report.skipped);
    let filled = std::fs::read(&out).unwrap();
    assert!(filled.len() > original.len() && filled.starts_with(&original), "the original bytes must come first, unchanged");
    // Read back: the same answers (the radio button's state for N/A is "NA").
    let back = read_questionnaire(&out).unwrap();
    let got: Vec<String> = back.questions().map(|x| x.answer.clone()).collect();
    assert_eq!(got, [answers[0].0, "Yes", "NA", answers[3].0, "No"]);
    assert_eq!(back.questions().nth(2).unwrap().answer_kind, Some(quire::answer::AnswerKind::NotApplicable));
    let doc = lopdf::Document::load(&out).unwrap();
    let form = doc.catalog().unwrap().get(b"AcroForm").unwrap();
    let form = match form { lopdf::Object::Reference(id) => doc.get_dictionary(*id).unwrap(), o => o.as_dict().unwrap() };
    assert_eq!(form.get(b"NeedAppearances").unwrap(), &lopdf::Object::Boolean(true));
    // The radio buttons' appearance states follow the choice.
    let states: Vec<String> = quire_states(&doc, "Group3");
    assert_eq!(states, ["Off", "Off", "NA"]);
    // Poppler reads the updated file.
    if let Ok(o) = std::process::Command::new("pdfinfo").arg(&out).output() {
        assert!(o.status.success(), "pdfinfo: {}", String::from_utf8_lossy(&o.stderr));
    } else {
        eprintln!("SKIPPED: poppler-utils (pdfinfo) is not installed; the filled form was checked with lopdf only");
    }

    // Filling again without overwrite keeps the answers; with it, replaces them.
    let again = dir.join("again.pdf");
    let r = fill_workbook(&back, &review(&back, &[("Yes", ""); 5]), &again, &FillOptions::default()).unwrap();
    assert_eq!(r.written, 0);
    assert_eq!(r.skipped.len(), 5);
    let r = fill_workbook(&back, &review(&back, &[("No", ""), ("No", ""), ("Yes", ""), ("x", ""), ("Yes", "")]), &again, &FillOptions { overwrite_answered: true }).unwrap();
    assert_eq!(r.written, 5, "{:#?}", r.skipped);
    let twice = read_questionnaire(&again).unwrap();
    assert_eq!(twice.questions().map(|x| x.answer.as_str()).collect::<Vec<_>>(), ["No", "", "Yes", "x", "Yes"], "an unticked box reads as unanswered");
    assert!(std::fs::read(&again).unwrap().starts_with(&filled));

    // Radio buttons known only by their printed labels.
    let p = dir.join("opaque.pdf");
    opaque_radio_form(&p);
    let q = read_questionnaire(&p).unwrap();
    let out = dir.join("opaque.filled.pdf");
    let r = fill_workbook(&q, &review(&q, &[("No", "")]), &out, &FillOptions::default()).unwrap();
    assert_eq!(r.written, 1, "{:#?}", r.skipped);
    let back = read_questionnaire(&out).unwrap();
    assert_eq!(back.questions().next().unwrap().answer, "No");
    let r = fill_workbook(&q, &review(&q, &[("Only on Tuesdays", "")]), &dir.join("bad.pdf"), &FillOptions::default()).unwrap();
    assert_eq!(r.written, 0);
    assert!(r.skipped[0].reason.contains("none of the buttons (Yes, No, N/A)"), "{:?}", r.skipped);
}

/// The appearance states of a field's widgets.
fn quire_states(doc: &lopdf::Document, field: &str) -> Vec<String> {
    let fields = doc.catalog().unwrap().get(b"AcroForm").unwrap();
    let form = match fields { lopdf::Object::Reference(id) => doc.get_dictionary(*id).unwrap(), o => o.as_dict().unwrap() };
    for f in form.get(b"Fields").unwrap().as_array().unwrap() {
        let d = doc.get_dictionary(f.as_reference().unwrap()).unwrap();
        if d.get(b"T").unwrap().as_str().unwrap() == field.as_bytes() {
            return d.get(b"Kids").unwrap().as_array().unwrap().iter().map(|k| String::from_utf8_lossy(doc.get_dictionary(k.as_reference().unwrap()).unwrap().get(b"AS").unwrap().as_name().unwrap()).into_owned()).collect();
        }
    }
    panic!("no field {field}");
}

/// A flat PDF (Helvetica, WinAnsi) with lines of text at (x, y) on each page.
fn flat_pdf(path: &Path, pages: &[Vec<(i64, i64, String)>]) {
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.4");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding" });
    let mut kids = Vec::new();
    for lines in pages {
        let mut content = String::new();
        for (x, y, t) in lines {
            content.push_str(&format!("BT /F1 10 Tf {x} {y} Td ({}) Tj ET\n", t.replace('\\', "\\\\").replace('(', "\\(").replace(')', "\\)")));
        }
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()).with_compression(true));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        });
        kids.push(Object::from(page_id));
    }
    let count = kids.len() as i64;
    doc.objects.insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }));
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    doc.compress();
    doc.save(path).unwrap();
}

fn line(x: i64, y: i64, t: &str) -> (i64, i64, String) {
    (x, y, t.to_string())
}

#[test]
fn flat_pdfs_are_answered_in_a_response_document_that_reads_back() {
    let dir = tmp("response");
    let p = dir.join("flat.pdf");
    flat_pdf(
        &p,
        &[
            vec![
                line(72, 740, "Vendor Due Diligence"),
                line(72, 712, "1. Governance"),
                line(72, 690, "1.1 Do you have an information security policy approved by"),
                line(90, 678, "senior management and reviewed every year?"),
                line(72, 640, "1.2 Describe how you manage security risks of your own suppliers."),
                line(300, 60, "Page 1 of 2"),
            ],
            vec![line(72, 740, "2. Data"), line(72, 712, "Q3 Is customer data encrypted at rest?"), line(300, 60, "Page 2 of 2")],
        ],
    );
    let q = read_questionnaire(&p).unwrap();
    let got: Vec<(&str, &str, &str, &str, usize)> = q.questions().map(|x| (x.reference.as_str(), x.text.as_str(), x.domain.as_str(), x.sheet.as_str(), x.row)).collect();
    assert_eq!(
        got,
        [
            ("1.1", "Do you have an information security policy approved by senior management and reviewed every year?", "Governance", "Page 1", 3),
            ("1.2", "Describe how you manage security risks of your own suppliers.", "Governance", "Page 1", 5),
            ("Q3", "Is customer data encrypted at rest?", "Data", "Page 2", 2),
        ],
        "{:#?}",
        q.report()
    );
    assert!(!quire::sheet::pdf::is_form(&q));
    let answers = [("Yes", "Board approval <2026> & yearly review"), ("=HYPERLINK(\"http://x\") a formula-looking answer\nwith a second line", ""), ("Yes, AES-256", "Keys in a KMS")];
    let out = dir.join("flat.response.pdf");
    let report = fill_workbook(&q, &review(&q, &answers), &out, &FillOptions::default()).unwrap();
    let (docx, xlsx) = (dir.join("flat.response.docx"), dir.join("flat.response.xlsx"));
    assert_eq!((&report.output, &report.also_written), (&docx, &vec![xlsx.clone()]));
    assert_eq!((report.written, report.comments_written), (3, 2));
    assert!(report.format_note.is_some() && report.notes[0].contains("flat PDF"), "{:?}", report.notes);
    assert!(!out.exists(), "nothing is written under the PDF name");
    // Both documents read back as answered questionnaires with the customer's numbering.
    for path in [&docx, &xlsx] {
        let back = read_questionnaire(path).unwrap();
        let got: Vec<(&str, &str, &str, &str)> = back.questions().map(|x| (x.reference.as_str(), x.text.as_str(), x.answer.as_str(), x.comment.as_str())).collect();
        let want: Vec<(&str, &str, &str, &str)> = q.questions().zip(&answers).map(|(x, (a, c))| (x.reference.as_str(), x.text.as_str(), *a, *c)).collect();
        let flat = |v: Vec<(&str, &str, &str, &str)>| v.into_iter().map(|(r, t, a, c)| (r.to_string(), t.to_string(), a.split_whitespace().collect::<Vec<_>>().join(" "), c.to_string())).collect::<Vec<_>>();
        assert_eq!(flat(got), flat(want), "{}: {:#?}", path.display(), back.report());
    }
    // LibreOffice opens both.
    if writer() {
        for path in [&xlsx, &docx] {
            convert(path, "pdf");
        }
        let text = std::process::Command::new("pdftotext").arg(docx.with_extension("pdf")).arg("-").output().map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.is_empty() || (text.contains("Board approval") && text.contains("<2026> &") && text.contains("Q3") && text.contains("AES-256")), "{text}");
    }
}

fn quire_cli(db: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_quire")).args(args).env("QUIRE_DB", db).env_remove("QUIRE_PROFILES").output().expect("run quire")
}

/// The CLI and the app's one export path, end to end: an answered PDF form imported into the
/// library answers the blank form (filled in place) and a flat PDF (response document).
#[test]
fn cli_and_app_export_answer_pdf_questionnaires_from_the_library() {
    let dir = tmp("e2e");
    let blank = dir.join("form.pdf");
    let original = printed_form(&blank);
    let q = read_questionnaire(&blank).unwrap();
    let answers = [("Yes, AES-256", ""), ("Yes", ""), ("No", ""), ("Paged at once; customers told within 24 hours.", ""), ("Yes", "")];
    let answered = dir.join("answered.pdf");
    fill_workbook(&q, &review(&q, &answers), &answered, &FillOptions::default()).unwrap();
    let db = dir.join("library.sqlite");
    let o = quire_cli(&db, &["library", "import", answered.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let o = quire_cli(&db, &["inspect", blank.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success() && text.contains("fillable PDF form (AcroForm): 6 fields, 5 of them with a question"), "{text}");

    let out = dir.join("form.filled.pdf");
    let o = quire_cli(&db, &["fill", blank.to_str().unwrap(), "-o", out.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["fill"]["written"], 5, "{report}");
    assert!(std::fs::read(&out).unwrap().starts_with(&original));
    let back = read_questionnaire(&out).unwrap();
    // (The library suggests an answer's normalised form: "Yes, AES-256" is a Yes.)
    assert_eq!(back.questions().map(|x| x.answer.as_str()).collect::<Vec<_>>(), ["Yes", "Yes", "No", answers[3].0, "Yes"]);

    // A flat PDF of the same questions: the CLI writes the response document and workbook.
    let flat = dir.join("flat.pdf");
    flat_pdf(&flat, &[vec![line(72, 700, "1. Do you encrypt customer data at rest?"), line(72, 660, "2. Do you carry cyber insurance?")]]);
    let o = quire_cli(&db, &["inspect", flat.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("a flat PDF (1 page, text but no form fields)"), "{}", String::from_utf8_lossy(&o.stdout));
    let o = quire_cli(&db, &["fill", flat.to_str().unwrap(), "-o", dir.join("flat.response.docx").to_str().unwrap()]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success() && text.contains("flat.response.docx") && text.contains("flat.response.xlsx"), "{text}{}", String::from_utf8_lossy(&o.stderr));
    let back = read_questionnaire(&dir.join("flat.response.xlsx")).unwrap();
    assert_eq!(back.questions().map(|x| (x.reference.as_str(), x.answer.as_str())).collect::<Vec<_>>(), [("1", "Yes"), ("2", "Yes")]);

    // The app's export: same answers, never over an existing file.
    use quire::workflow;
    let mut lib = quire::library::Library::open(&db).unwrap();
    let quiet = |_: workflow::Progress| {};
    let exports = dir.join("exports");
    std::fs::create_dir_all(&exports).unwrap();
    for (file, want) in [(&blank, "form.filled.pdf"), (&flat, "flat.response.docx")] {
        let summary = workflow::start_review(&mut lib, file, &[], 0.5, &quiet).unwrap();
        let r = workflow::export_review(&lib, summary.id, &exports, false, &quiet).unwrap();
        assert_eq!(r.workbook, exports.join(want), "{:?}", r.notes);
        assert!(r.written >= 2, "{r:?}");
        if want.ends_with(".pdf") {
            assert!(std::fs::read(&r.workbook).unwrap().starts_with(&original));
        } else {
            assert!(exports.join("flat.response.xlsx").is_file());
            let again = workflow::export_review(&lib, summary.id, &exports, false, &quiet).unwrap();
            assert_eq!(again.workbook, exports.join("flat (2).response.docx"));
        }
    }
}

/// A copy of `src` encrypted (RC4, 128-bit) with a user password.
fn encrypted_copy(src: &Path, dst: &Path) {
    use lopdf::{Document, EncryptionState, EncryptionVersion, Permissions};
    let mut doc = Document::load(src).unwrap();
    let id = lopdf::Object::String(b"0123456789abcdef".to_vec(), lopdf::StringFormat::Hexadecimal);
    doc.trailer.set("ID", vec![id.clone(), id]);
    let version = EncryptionVersion::V2 { document: &doc, owner_password: "owner", user_password: "secret", key_length: 128, permissions: Permissions::PRINTABLE };
    let state = EncryptionState::try_from(version).unwrap();
    doc.encrypt(&state).unwrap();
    doc.save(dst).unwrap();
}

/// A form whose field tree loops (A → B → A), whose field list names one field 300,000 times,
/// and whose 2,000 other fields share one array of 20,000 widgets.
fn hostile_form(path: &Path) {
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let content_id = doc.add_object(Stream::new(dictionary! {}, b"BT /F1 11 Tf 72 700 Td (1. Do you encrypt data at rest?) Tj ET".to_vec()));
    let font_id = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" });
    let page_id = doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => content_id, "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } }, "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()] });
    doc.objects.insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 }));
    let a = doc.new_object_id();
    let b = doc.new_object_id();
    doc.objects.insert(a, Object::Dictionary(dictionary! { "T" => Object::string_literal("A"), "FT" => "Tx", "Kids" => vec![b.into()] }));
    doc.objects.insert(b, Object::Dictionary(dictionary! { "T" => Object::string_literal("B"), "Kids" => vec![a.into()], "Parent" => a }));
    let field = doc.add_object(dictionary! { "T" => Object::string_literal("Text1"), "FT" => "Tx", "Rect" => vec![350.into(), 696.into(), 560.into(), 712.into()], "P" => page_id });
    let mut fields: Vec<Object> = vec![a.into()];
    fields.extend(std::iter::repeat_n(Object::Reference(field), 300_000));
    // 2,000 fields sharing one array of 20,000 widgets: 40 million widgets if walked naively.
    let widget = doc.add_object(dictionary! { "Type" => "Annot", "Subtype" => "Widget", "Rect" => vec![0.into(), 0.into(), 1.into(), 1.into()] });
    let shared = doc.add_object(Object::Array(vec![Object::Reference(widget); 20_000]));
    for i in 0..2_000 {
        fields.push(doc.add_object(dictionary! { "T" => Object::string_literal(format!("W{i}")), "FT" => "Btn", "Kids" => shared }).into());
    }
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id, "AcroForm" => dictionary! { "Fields" => fields } });
    doc.trailer.set("Root", catalog);
    doc.save(path).unwrap();
}

#[test]
fn bad_pdfs_get_a_clear_error_and_nothing_is_written() {
    let dir = tmp("bad");
    let db = dir.join("library.sqlite");
    let good = dir.join("form.pdf");
    let bytes = printed_form(&good);

    // Encrypted: refused with what it is and what to do.
    let enc = dir.join("encrypted.pdf");
    encrypted_copy(&good, &enc);
    let e = read_questionnaire(&enc).unwrap_err().to_string();
    assert!(e.contains("encrypted (password-protected) PDF") && e.contains("unprotected copy"), "{e}");

    // Truncated: a clear error, or (if the parser recovers the objects) a normal read.
    let cut = dir.join("truncated.pdf");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    match read_questionnaire(&cut) {
        Err(e) => assert!(e.to_string().contains("truncated.pdf") && e.to_string().contains("cannot be read as one"), "{e}"),
        Ok(q) => eprintln!("the truncated PDF was recovered: {} questions", q.question_count()),
    }
    std::fs::write(&cut, b"%PDF-1.7\n1 0 obj <<").unwrap();
    let e = read_questionnaire(&cut).unwrap_err().to_string();
    assert!(e.contains("cannot be read as one"), "{e}");

    // A hostile form: loops and a huge field list are walked once, quickly.
    let hostile = dir.join("hostile.pdf");
    hostile_form(&hostile);
    let t = std::time::Instant::now();
    let q = read_questionnaire(&hostile).unwrap();
    assert!(t.elapsed().as_secs() < 10, "{:?}", t.elapsed());
    assert_eq!(q.questions().map(|x| (x.text.as_str(), x.answer_cell.as_deref())).collect::<Vec<_>>(), [("Do you encrypt data at rest?", Some("Text1"))]);

    // No text layer: the OCR refusal.
    let scan = dir.join("scan.pdf");
    flat_pdf(&scan, &[vec![]]);
    let e = read_questionnaire(&scan).unwrap_err().to_string();
    assert!(e.contains("needs OCR"), "{e}");

    // The CLI writes nothing for any of them.
    for bad in [&enc, &cut, &scan] {
        let out = dir.join("out.pdf");
        let o = quire_cli(&db, &["fill", bad.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(!out.exists() && !out.with_extension("docx").exists());
    }
    // A form changed since it was read is not filled.
    let q = read_questionnaire(&good).unwrap();
    let mut changed = bytes.clone();
    changed.extend_from_slice(b"\n% changed\n");
    std::fs::write(&good, &changed).unwrap();
    let out = dir.join("changed.pdf");
    let e = fill_workbook(&q, &review(&q, &[("Yes", "")]), &out, &FillOptions::default()).unwrap_err().to_string();
    assert!(e.contains("changed since its questions were read") && !out.exists(), "{e}");
    // Nor written over itself.
    std::fs::write(&good, &bytes).unwrap();
    let e = fill_workbook(&q, &review(&q, &[("Yes", "")]), &good, &FillOptions::default()).unwrap_err().to_string();
    assert!(e.contains("cannot be written over the questionnaire itself"), "{e}");
    assert_eq!(std::fs::read(&good).unwrap(), bytes);
}

/// PDFs among the shared real questionnaires, when there are any: each is read (or refused
/// with a clear reason) without a panic.
#[test]
fn shared_pdf_questionnaires_when_present() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/questionnaires");
    let mut pdfs = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("pdf")) {
                pdfs.push(p);
            }
        }
    }
    if pdfs.is_empty() {
        eprintln!("SKIPPED: no PDF questionnaires under {}", root.display());
        return;
    }
    for p in pdfs {
        match read_questionnaire(&p) {
            Ok(q) => eprintln!("{}: {} questions on {} sheets", p.display(), q.question_count(), q.sheets.len()),
            Err(e) => {
                let e = e.to_string();
                assert!(e.contains("OCR") || e.contains("encrypted") || e.contains("cannot be read"), "{}: {e}", p.display());
            }
        }
    }
}

/// A table whose first column holds the questions (no Ref column), rows of one to three
/// wrapped lines, continued on a second page without its header, with running page numbers.
#[test]
fn question_first_tables_are_cut_into_rows_by_position_across_pages() {
    let dir = tmp("qtable");
    let p = dir.join("table.pdf");
    let rows: [&[&str]; 5] = [
        &["Do you maintain an inventory of all", "systems that store customer data?"],
        &["Is there a written incident response plan?"],
        &["Describe how administrator access is", "granted, reviewed and removed, and who", "approves it."],
        &["Are backups encrypted?"],
        &["Do you test restores from backup at", "least once a year?"],
    ];
    // Page 2 has no answers: its lines use the question column only.
    let answers = ["Yes", "", "Through the IAM team's tickets", "", ""];
    let running = "ACME Health - Vendor Questionnaire - Confidential";
    let mut pages = vec![vec![line(72, 770, running), line(72, 740, "Security Controls"), line(72, 712, "Question"), line(330, 712, "Response"), line(450, 712, "Comments")], vec![line(72, 770, running)]];
    let mut y = 694;
    for (i, lines) in rows.iter().enumerate() {
        let page = if i < 3 { 0 } else { 1 };
        if i == 3 {
            y = 740;
        }
        for (k, l) in lines.iter().enumerate() {
            pages[page].push(line(72, y - 12 * k as i64, l));
        }
        if !answers[i].is_empty() {
            pages[page].push(line(330, y, answers[i]));
        }
        y -= 12 * lines.len() as i64 + 10;
    }
    pages[0].push(line(300, 40, "1"));
    pages[1].push(line(300, 40, "2"));
    flat_pdf(&p, &pages);
    let q = read_questionnaire(&p).unwrap();
    let got: Vec<(&str, &str, usize, &str, &str)> = q.questions().map(|x| (x.sheet.as_str(), x.text.as_str(), x.row, x.answer.as_str(), x.domain.as_str())).collect();
    let want: Vec<(&str, String, usize, &str, &str)> = vec![
        // Rows count content lines: the running header is not one.
        ("Page 1", rows[0].join(" "), 3, "Yes", "Security Controls"),
        ("Page 1", rows[1].join(" "), 5, "", "Security Controls"),
        ("Page 1", rows[2].join(" "), 6, "Through the IAM team's tickets", "Security Controls"),
        ("Page 2", rows[3].join(" "), 1, "", "Security Controls"),
        ("Page 2", rows[4].join(" "), 2, "", "Security Controls"),
    ];
    assert_eq!(got, want.iter().map(|(s, t, r, a, d)| (*s, t.as_str(), *r, *a, *d)).collect::<Vec<_>>(), "{:#?}", q.report());
    assert!(q.sheets[1].notes.iter().any(|n| n.contains("the table of page 1 continued")), "{:?}", q.sheets[1].notes);
    assert_eq!(quire::sheet::docx::describe_place("table.pdf", "Page 2", 1), "page 2 line 1");

    // A page of plain paragraphs after the table does not continue it.
    let p = dir.join("after.pdf");
    let mut after = pages.clone();
    after[1] = vec![line(72, 770, running), line(72, 740, "Thank you for completing this questionnaire."), line(72, 728, "Return it to the procurement office by the end of the month.")];
    flat_pdf(&p, &after);
    let q = read_questionnaire(&p).unwrap();
    assert_eq!(q.question_count(), 3, "{:#?}", q.report());
}

/// A numbered question wrapped across a page break, under a running header, is one question.
#[test]
fn numbered_questions_go_on_across_a_page_break_under_a_running_header() {
    let dir = tmp("pagebreak");
    let p = dir.join("break.pdf");
    let header = "Supplier Questionnaire v2 - Confidential";
    flat_pdf(
        &p,
        &[
            vec![line(72, 770, header), line(72, 700, "1. Do you have a policy for the secure disposal of equipment and media that held"), line(72, 80, "2. Do you maintain an asset register that records the owner of every system and")],
            vec![line(72, 770, header), line(72, 740, "the data it holds?"), line(72, 700, "3. Is there a named data protection officer?")],
        ],
    );
    let q = read_questionnaire(&p).unwrap();
    let got: Vec<(&str, &str)> = q.questions().map(|x| (x.reference.as_str(), x.text.as_str())).collect();
    assert_eq!(
        got,
        [
            ("1", "Do you have a policy for the secure disposal of equipment and media that held"),
            ("2", "Do you maintain an asset register that records the owner of every system and the data it holds?"),
            ("3", "Is there a named data protection officer?"),
        ],
        "{:#?}",
        q.report()
    );
}

/// The real Word questionnaires of ../shared/questionnaires/word printed to PDF by LibreOffice
/// read as the Word files do: the same refs, questions and answers (a word the narrow column
/// broke without a hyphen may differ), when the folder and LibreOffice are there.
#[test]
fn shared_word_questionnaires_printed_to_pdf_read_like_the_word_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/questionnaires/word");
    let docs: Vec<PathBuf> = std::fs::read_dir(&root).into_iter().flatten().flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "docx")).collect();
    if docs.is_empty() {
        eprintln!("SKIPPED: no Word questionnaires under {}", root.display());
        return;
    }
    if !writer() {
        return;
    }
    let dir = tmp("shared-word");
    let profile = format!("-env:UserInstallation=file://{}", dir.join("lo-profile").display());
    for doc in docs {
        let out = std::process::Command::new("soffice").args([profile.as_str(), "--headless", "--convert-to", "pdf", "--outdir"]).arg(&dir).arg(&doc).output().expect("soffice runs");
        let pdf = dir.join(doc.with_extension("pdf").file_name().unwrap());
        assert!(pdf.exists(), "{}: {}", doc.display(), String::from_utf8_lossy(&out.stderr));
        let word = read_questionnaire(&doc).unwrap();
        let printed = read_questionnaire(&pdf).unwrap();
        let key = |q: &Questionnaire| q.questions().map(|x| (x.reference.clone(), x.text.clone(), x.answer.clone())).collect::<Vec<_>>();
        let (w, p) = (key(&word), key(&printed));
        let same = p.iter().filter(|x| w.contains(x)).count();
        eprintln!("{}: {} questions in Word, {} in the PDF, {same} the same", doc.display(), w.len(), p.len());
        assert_eq!(p.len(), w.len(), "{}", doc.display());
        assert!(same * 100 >= w.len() * 95, "{}: only {same} of {} the same", doc.display(), w.len());
    }
}

/// A Word table printed to PDF as Word and LibreOffice print them: headers centred over their
/// columns, narrow empty Answer and Comments columns whose headers nearly touch, a reference
/// centred beside a question of two lines. Every question is one row, in its own words.
#[test]
fn centred_headers_and_narrow_answer_columns_are_a_table() {
    if !writer() {
        return;
    }
    let dir = tmp("centred");
    let qs = [
        "Is customer data encrypted at rest?",
        "Is multi-factor authentication required for all remote access to your environment, including by contractors and support staff?",
        "Do you hold a current SOC 2 Type II report?",
        "Do you have a documented disaster recovery plan?",
    ];
    let rows: String = qs.iter().enumerate().map(|(i, q)| format!("<tr><td>A.{}</td><td>{q}</td><td></td><td></td></tr>", i + 1)).collect();
    let html = dir.join("acme.html");
    std::fs::write(&html, format!("<html><body><h1>Acme Health vendor questionnaire</h1><table border=\"1\"><tr><th>Ref</th><th>Question</th><th>Answer</th><th>Comments</th></tr>{rows}</table></body></html>")).unwrap();
    let profile = format!("-env:UserInstallation=file://{}", dir.join("lo-profile").display());
    let out = std::process::Command::new("soffice")
        .args([profile.as_str(), "--headless", "--infilter=HTML (StarWriter)", "--convert-to", "docx:MS Word 2007 XML", "--outdir"])
        .arg(&dir)
        .arg(&html)
        .output()
        .unwrap();
    let docx = dir.join("acme.docx");
    assert!(docx.exists(), "{}", String::from_utf8_lossy(&out.stderr));
    let pdf = convert(&docx, "pdf");
    let q = read_questionnaire(&pdf).unwrap();
    let got = questions(&q);
    let want: Vec<(String, String)> = qs.iter().enumerate().map(|(i, q)| (format!("A.{}", i + 1), q.to_string())).collect();
    assert_eq!(got, want, "{:#?}", q.report());
    let sheet = q.sheets.iter().find(|s| s.used).unwrap();
    assert!(sheet.columns.is_some(), "read as a table, not as numbered lines: {:?}", sheet.notes);
}
