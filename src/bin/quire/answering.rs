//! The vendor side's questionnaire commands: `quire inspect` (what Quire detects in a file),
//! `quire suggest`, `quire fill` (through `quire::workflow::write_answers`, as the app's Export)
//! and `quire demo`.

use quire::display::shorten;
use quire::review::ReviewStatus;
use quire::sheet::profile::Profiles;
use quire::sheet::{read_questionnaire, read_questionnaire_with, InspectReport, Questionnaire, ReadOptions};
use quire::suggest::Suggester;
use quire::{workflow, Error, Result};
use std::path::{Path, PathBuf};

use crate::access::Access;
use crate::print_json;

pub(crate) fn parse_confidence(s: &str) -> std::result::Result<f32, String> {
    match s.parse::<f32>() {
        Ok(c) if (0.0..=1.0).contains(&c) => Ok(c),
        _ => Err(format!("{s:?} is not a confidence between 0 and 1 (e.g. 0.8)")),
    }
}

pub(crate) fn inspect(file: &Path, json: bool, list_questions: bool, no_profile: bool) -> Result<()> {
    let q = if no_profile { read_questionnaire_with(file, ReadOptions { profiles: Some(&Profiles::generic_only()?), ..ReadOptions::default() })? } else { read_questionnaire(file)? };
    let report = q.report();
    if json && list_questions {
        // The report plus every question as read (sheet, row, ref, text, answer, cells).
        let mut value = serde_json::to_value(&report).map_err(|e| Error::invalid("cli.answering.cannot_print_json", format!("cannot print JSON: {e}")))?;
        let items = serde_json::to_value(q.questions().collect::<Vec<_>>()).map_err(|e| Error::invalid("cli.answering.cannot_print_json", format!("cannot print JSON: {e}")))?;
        value["items"] = items;
        print_json(&value)?;
    } else if json {
        print_json(&report)?;
    } else {
        print_inspect(&report);
        if list_questions {
            print_questions(&q);
        }
    }
    q.require_questions()
}

pub(crate) fn print_inspect(r: &InspectReport) {
    let profile = r.profile.as_deref().map(|p| format!(", profile {p}")).unwrap_or_default();
    outln!("{} ({}{profile}): {} questions, {} answered", r.file, r.format, r.questions, r.answered);
    match &r.family {
        Some(f) => {
            outln!("  questionnaire: {} ({}, confidence {:.2})", f.label(), f.certainty, f.confidence);
            for e in &f.evidence {
                outln!("    seen: {e}");
            }
        }
        None => outln!("  questionnaire: no known family recognised (scored with the default rubric unless one is named)"),
    }
    for s in &r.sheets {
        if s.used {
            let header = s.header_row.map(|h| format!("header row {h}")).unwrap_or_else(|| "no header row".into());
            let cols: Vec<String> = s.columns.iter().map(|(role, col)| format!("{role} {col}")).collect();
            let layout = if cols.is_empty() { "numbered questions, answer in the paragraph after each".to_string() } else { format!("{header}; columns: {}", cols.join(", ")) };
            outln!("  used     {:<28} {:>4} questions, {:>4} answered; {layout}; confidence {:.2}", quote(&s.name), s.questions, s.answered, s.confidence);
            if s.low_confidence {
                outln!("           low confidence: the layout is a guess. First rows seen:");
                for row in s.preview.iter().flatten() {
                    outln!("             | {}", row.join(" | "));
                }
            }
        } else {
            outln!("  skipped  {:<28} {}", quote(&s.name), s.reason.as_deref().unwrap_or(""));
        }
        for n in &s.notes {
            outln!("           note: {n}");
        }
    }
}

pub(crate) fn print_questions(q: &Questionnaire) {
    for x in q.questions() {
        let answer = if x.answer.is_empty() { "-".to_string() } else { x.answer.clone() };
        outln!("{}!{}\t{}\t{}\t{}\t[{}]", x.sheet, x.row, x.reference, shorten(&x.text, 90), shorten(&answer, 30), x.domain);
    }
}

pub(crate) fn quote(s: &str) -> String {
    format!("\"{s}\"")
}

/// Reads a questionnaire and opens the library's suggester; an empty library is an error that
/// says how to fill it.
pub(crate) fn suggester_for(db: Access, file: &Path) -> Result<(Questionnaire, Suggester)> {
    let q = read_questionnaire(file)?;
    q.require_questions()?;
    let lib = db.open()?;
    if lib.entry_count()? == 0 {
        return Err(Error::invalid("cli.answering.answer_library_empty_nothing", format!(
            "the answer library at {} is empty, so there is nothing to suggest from; import questionnaires you have already answered first: quire library import past.xlsx (or try quire demo)",
            lib.path()
        )));
    }
    let s = Suggester::from_library(&lib)?;
    if let Some(reason) = s.meaning().absent_reason() {
        errln!("note: {reason}");
    } else if s.load_report().embeddings_missing > 0 {
        errln!("note: {} entries have no embedding yet and match by shared words only; run: quire library embed", s.load_report().embeddings_missing);
    }
    Ok((q, s))
}

pub(crate) fn suggest(db: Access, file: &Path, top: usize, json: bool) -> Result<()> {
    let (q, s) = suggester_for(db, file)?;
    let report = s.suggest_all(&q, top);
    if json {
        return print_json(&report);
    }
    let mut sure = 0;
    for x in &report.questions {
        outln!("{}!{} {} {}", x.sheet, x.row, x.reference, shorten(&x.question, 100));
        if x.suggestions.first().is_some_and(|b| b.confidence >= 0.8) {
            sure += 1;
        }
        if x.suggestions.is_empty() {
            outln!("    (no suggestion)");
        }
        for (i, g) in x.suggestions.iter().enumerate() {
            let mut flags = Vec::new();
            if g.stale {
                flags.push("STALE");
            }
            if g.conflict {
                flags.push("CONFLICT");
            }
            if g.evidence.iter().any(|e| e.expired) {
                flags.push("EXPIRED EVIDENCE");
            }
            let flags = if flags.is_empty() { String::new() } else { format!(" [{}]", flags.join(", ")) };
            outln!("  {}. {:>3.0}%  {:<8} #{} {}{}", i + 1, (g.confidence * 100.0).floor(), shorten(&g.answer, 30), g.entry_id, shorten(&g.question, 70), flags);
            if i == 0 {
                let mut why: Vec<String> = g.why.concepts.iter().map(|c| format!("~{c}")).chain(g.why.terms.iter().cloned()).collect();
                if g.why.same_text {
                    why.insert(0, "same question".into());
                }
                if let Some(m) = g.why.meaning {
                    why.insert(0, format!("similar meaning: {m:.2}"));
                }
                if let Some(m) = &g.why.mismatch {
                    why.push(format!("but it asks about another {m}"));
                }
                outln!("       why: {}{}", why.join(", "), if g.why.opposed.is_empty() { String::new() } else { format!("; but {}", g.why.opposed.join(", ")) });
                if let Some(src) = &g.source {
                    outln!("       from: {} {} {} (imported {})", src.file, quire::sheet::docx::describe_place(&src.file, &src.sheet, src.row), src.reference, src.imported_at.get(..10).unwrap_or(""));
                }
                if !g.evidence.is_empty() {
                    let ev: Vec<String> = g.evidence.iter().map(|e| format!("#{} {}{}{}", e.id, e.title, if e.confirmed { " (linked)" } else { "" }, if e.expired { " (EXPIRED)" } else { "" })).collect();
                    outln!("       evidence: {}", ev.join("; "));
                }
            }
        }
    }
    outln!("\n{}: {} questions; {} with a suggestion at confidence ≥ 80%", report.questionnaire, report.questions.len(), sure);
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn fill(db: Access, file: &Path, output: &Path, min_confidence: f32, pdf: Option<&Path>, clean: Option<&Path>, overwrite: bool, json: bool) -> Result<()> {
    let (q, s) = suggester_for(db, file)?;
    let review = s.review(&q, min_confidence);
    let options = quire::fill::FillOptions { overwrite_answered: overwrite };
    let filled = workflow::write_answers(&q, None, &review, &options, |_| output.to_path_buf())?;
    let mut written = vec![filled.output.clone()];
    if let Some(r) = &filled.fill {
        written.extend(r.also_written.iter().cloned());
    }
    let report = filled.fill;
    if report.is_none() && !json {
        for n in &filled.notes {
            errln!("note: {n}");
        }
    }
    if let Some(p) = clean {
        quire::report::export_answers_xlsx(&review, p)?;
        written.push(p.to_path_buf());
    }
    if let Some(p) = pdf {
        quire::report::summary_pdf(&review, p, &quire::report::SummaryOptions::default())?;
        written.push(p.to_path_buf());
    }
    let counts = serde_json::json!({
        "questions": review.questions.len(),
        "suggested": review.count(ReviewStatus::Suggested),
        "already_answered": review.count(ReviewStatus::Reviewed),
        "blank": review.count(ReviewStatus::Blank),
    });
    if json {
        return print_json(&serde_json::json!({"questionnaire": q.file, "counts": counts, "fill": report, "written": written}));
    }
    outln!(
        "{}: {} questions; {} answered from the library (confidence ≥ {:.0}%), {} already answered, {} left blank",
        q.file,
        review.questions.len(),
        review.count(ReviewStatus::Suggested),
        min_confidence * 100.0,
        review.count(ReviewStatus::Reviewed),
        review.count(ReviewStatus::Blank)
    );
    if let Some(r) = &report {
        outln!("  {} answers and {} comments written", r.written, r.comments_written);
        for sk in &r.skipped {
            outln!("  not written: {} {}: {}", quire::sheet::docx::describe_place(&q.file, &sk.sheet, sk.row), sk.reference, sk.reason);
        }
        for n in r.notes.iter().chain(r.format_note.iter()) {
            outln!("  note: {n}");
        }
    }
    for w in &written {
        outln!("wrote {}", w.display());
    }
    Ok(())
}

pub(crate) fn demo(db: Access, dir: Option<PathBuf>) -> Result<()> {
    let mut lib = db.open()?;
    let dir = match dir {
        Some(d) => d,
        None => Path::new(&lib.path()).parent().map(|p| p.join("demo")).unwrap_or_else(|| PathBuf::from("demo")),
    };
    let seed = workflow::seed_demo(&mut lib, &dir)?;
    let samples = seed.samples;
    outln!("Sample questionnaires written to {}:", dir.display());
    for s in &samples {
        outln!("  {}", s.display());
    }
    let answered = read_questionnaire(&samples[0])?;
    crate::library::print_import(&seed.import, &answered);
    outln!();
    let fresh = read_questionnaire(&samples[1])?;
    print_inspect(&fresh.report());
    outln!();
    outln!("The library {} holds {} entries. Try:", lib.path(), lib.entry_count()?);
    outln!("  quire library list");
    outln!("  quire library search \"multi-factor authentication\"");
    outln!("  quire inspect {} --questions", samples[1].display());
    Ok(())
}
