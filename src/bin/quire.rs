//! The `quire` command line: parses arguments, calls the core, prints. Exit status 0 on success,
//! 1 on a user error (message on stderr), 2 on bad arguments (clap's own).

use clap::{Args, Parser, Subcommand};
use quire::library::{export_entries, Entry, EntryEdit, EntryFilter, ImportReport, Library};
use quire::sheet::profile::Profiles;
use quire::sheet::{read_questionnaire, read_questionnaire_with, InspectReport, Questionnaire};
use quire::{Error, Result};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "quire", version, about = "Answer and score security questionnaires, offline.")]
struct Cli {
    /// The answer library (SQLite). Default: the platform data folder; QUIRE_DB overrides it.
    #[arg(long, global = true, env = "QUIRE_DB", value_name = "PATH")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Show what Quire detects in a questionnaire: sheets used or skipped (and why), header row,
    /// column roles, question and answered counts, layout confidence.
    Inspect {
        file: PathBuf,
        #[arg(long)]
        json: bool,
        /// Also list every question found.
        #[arg(long)]
        questions: bool,
        /// Ignore the known-format profiles and detect every sheet from its content.
        #[arg(long)]
        no_profile: bool,
    },
    /// The answer library: import past answered questionnaires, list, search, edit, export.
    #[command(subcommand)]
    Library(LibraryCommand),
    /// Write a sample answered questionnaire and import it, so there is something to try.
    Demo {
        /// Where the sample workbooks go (default: a `demo` folder beside the library).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum LibraryCommand {
    /// Import answered questionnaires (xlsx, xlsm, xls, ods, csv, tsv) into the library.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Tags for every imported entry (comma-separated).
        #[arg(long, value_delimiter = ',')]
        tags: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// List entries.
    List {
        #[command(flatten)]
        filter: FilterArgs,
        #[arg(long)]
        json: bool,
    },
    /// Full-text search over questions and comments.
    Search {
        text: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// One entry with its provenance and edit history.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Change an entry; previous values are kept in its history.
    Edit {
        id: i64,
        #[arg(long)]
        answer: Option<String>,
        #[arg(long)]
        comment: Option<String>,
        #[arg(long)]
        domain: Option<String>,
        #[arg(long, value_delimiter = ',')]
        tags: Option<Vec<String>>,
        #[arg(long)]
        owner: Option<String>,
        /// YYYY-MM-DD
        #[arg(long)]
        review_by: Option<String>,
        /// YYYY-MM-DD
        #[arg(long)]
        last_reviewed: Option<String>,
    },
    /// Mark an entry reviewed today (its next review moves one cadence on).
    Review {
        id: i64,
        #[arg(long)]
        owner: Option<String>,
    },
    /// Delete an entry (e.g. the wrong side of a conflict).
    Delete { id: i64 },
    /// Export entries to a new .xlsx or .csv file.
    Export {
        file: PathBuf,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Show or change a setting (review_cadence_months).
    Config { key: Option<String>, value: Option<String> },
}

#[derive(Args, Clone, Copy)]
struct FilterArgs {
    /// Only questions answered differently in different files.
    #[arg(long)]
    conflicts: bool,
    /// Only answers past their review-by date.
    #[arg(long)]
    stale: bool,
}

impl From<FilterArgs> for EntryFilter {
    fn from(f: FilterArgs) -> Self {
        EntryFilter { conflicts_only: f.conflicts, stale_only: f.stale }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Inspect { file, json, questions, no_profile } => inspect(&file, json, questions, no_profile),
        Command::Library(cmd) => library(cli.db, cmd),
        Command::Demo { dir } => demo(cli.db, dir),
    }
}

fn open_library(db: Option<PathBuf>) -> Result<Library> {
    let path = match db {
        Some(p) => p,
        None => Library::default_path().ok_or_else(|| Error::Invalid("no home folder found for the answer library; pass --db PATH or set QUIRE_DB".into()))?,
    };
    Library::open(&path)
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    let s = serde_json::to_string_pretty(value).map_err(|e| Error::Invalid(format!("cannot print JSON: {e}")))?;
    println!("{s}");
    Ok(())
}

fn inspect(file: &Path, json: bool, list_questions: bool, no_profile: bool) -> Result<()> {
    let q = if no_profile { read_questionnaire_with(file, &Profiles::generic_only()?)? } else { read_questionnaire(file)? };
    let report = q.report();
    if json {
        print_json(&report)?;
    } else {
        print_inspect(&report);
        if list_questions {
            print_questions(&q);
        }
    }
    q.require_questions()
}

fn print_inspect(r: &InspectReport) {
    let profile = r.profile.as_deref().map(|p| format!(", profile {p}")).unwrap_or_default();
    println!("{} ({}{profile}): {} questions, {} answered", r.file, r.format, r.questions, r.answered);
    for s in &r.sheets {
        if s.used {
            let header = s.header_row.map(|h| format!("header row {h}")).unwrap_or_else(|| "no header row".into());
            let cols: Vec<String> = s.columns.iter().map(|(role, col)| format!("{role} {col}")).collect();
            println!("  used     {:<28} {:>4} questions, {:>4} answered; {header}; columns: {}; confidence {:.2}", quote(&s.name), s.questions, s.answered, cols.join(", "), s.confidence);
            if s.low_confidence {
                println!("           low confidence: the layout is a guess. First rows seen:");
                for row in s.preview.iter().flatten() {
                    println!("             | {}", row.join(" | "));
                }
            }
        } else {
            println!("  skipped  {:<28} {}", quote(&s.name), s.reason.as_deref().unwrap_or(""));
        }
        for n in &s.notes {
            println!("           note: {n}");
        }
    }
}

fn print_questions(q: &Questionnaire) {
    for x in q.questions() {
        let answer = if x.answer.is_empty() { "-".to_string() } else { x.answer.clone() };
        println!("{}!{}\t{}\t{}\t{}\t[{}]", x.sheet, x.row, x.reference, clip(&x.text, 90), clip(&answer, 30), x.domain);
    }
}

fn quote(s: &str) -> String {
    format!("\"{s}\"")
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

fn library(db: Option<PathBuf>, cmd: LibraryCommand) -> Result<()> {
    match cmd {
        LibraryCommand::Import { files, tags, json } => {
            // Read every file first: a bad file stops the whole command before anything changes.
            let mut read = Vec::new();
            for (i, f) in files.iter().enumerate() {
                if !json {
                    eprintln!("[{}/{}] reading {}", i + 1, files.len(), f.display());
                }
                let q = read_questionnaire(f)?;
                q.require_questions()?;
                read.push(q);
            }
            let mut lib = open_library(db)?;
            let mut reports = Vec::new();
            for q in &read {
                let r = lib.import(q, &tags)?;
                if !json {
                    print_import(&r, q);
                }
                reports.push(r);
            }
            if json {
                print_json(&reports)?;
            } else {
                println!("library {} now holds {} entries", lib.path(), lib.entry_count()?);
            }
            Ok(())
        }
        LibraryCommand::List { filter, json } => {
            let lib = open_library(db)?;
            let entries = lib.list(filter.into())?;
            if json {
                return print_json(&entries);
            }
            if entries.is_empty() {
                print_empty_hint(&lib, filter)?;
            }
            print_entries(&entries, filter.conflicts);
            Ok(())
        }
        LibraryCommand::Search { text, limit, json } => {
            let lib = open_library(db)?;
            let entries = lib.search(&text, limit)?;
            if json {
                return print_json(&entries);
            }
            if entries.is_empty() {
                if lib.entry_count()? == 0 {
                    print_empty_hint(&lib, FilterArgs { conflicts: false, stale: false })?;
                } else {
                    println!("no entries match {text:?}");
                }
            }
            print_entries(&entries, false);
            Ok(())
        }
        LibraryCommand::Show { id, json } => {
            let lib = open_library(db)?;
            let entry = lib.get(id)?;
            let history = lib.history(id)?;
            if json {
                return print_json(&serde_json::json!({"entry": entry, "history": history}));
            }
            print_entry_detail(&entry);
            if !history.is_empty() {
                println!("history:");
                for h in history {
                    println!("  {}  {}: {:?} → {:?}", h.changed_at, h.field, h.old_value.unwrap_or_default(), h.new_value.unwrap_or_default());
                }
            }
            Ok(())
        }
        LibraryCommand::Edit { id, answer, comment, domain, tags, owner, review_by, last_reviewed } => {
            let mut lib = open_library(db)?;
            let edit = EntryEdit { answer, comment, domain, tags, owner, review_by, last_reviewed };
            let e = lib.edit(id, &edit)?;
            print_entry_detail(&e);
            Ok(())
        }
        LibraryCommand::Review { id, owner } => {
            let mut lib = open_library(db)?;
            let e = lib.mark_reviewed(id, owner.as_deref())?;
            println!("entry {} reviewed; next review by {}", e.id, e.review_by);
            Ok(())
        }
        LibraryCommand::Delete { id } => {
            let mut lib = open_library(db)?;
            lib.delete(id)?;
            println!("entry {id} deleted");
            Ok(())
        }
        LibraryCommand::Export { file, filter } => {
            let lib = open_library(db)?;
            let entries = lib.list(filter.into())?;
            export_entries(&entries, &file)?;
            println!("exported {} entries to {}", entries.len(), file.display());
            Ok(())
        }
        LibraryCommand::Config { key, value } => {
            let lib = open_library(db)?;
            match (key, value) {
                (Some(k), Some(v)) => {
                    lib.set_setting(&k, &v)?;
                    println!("{k} = {v}");
                }
                (Some(k), None) => match k.as_str() {
                    "review_cadence_months" => println!("{k} = {}", lib.review_cadence_months()?),
                    other => return Err(Error::Invalid(format!("unknown setting {other:?}; known: review_cadence_months"))),
                },
                (None, _) => {
                    println!("library = {}", lib.path());
                    println!("review_cadence_months = {}", lib.review_cadence_months()?);
                }
            }
            Ok(())
        }
    }
}

fn print_import(r: &ImportReport, q: &Questionnaire) {
    let again = r.already_imported.as_deref().map(|at| format!(" (this file was already imported on {at})")).unwrap_or_default();
    println!(
        "{}: {} questions, {} answered → {} added, {} merged, {} conflicting, {} unchanged; {} unanswered not imported{again}",
        r.file, r.questions, r.answered, r.added, r.merged, r.conflicting, r.unchanged, r.unanswered
    );
    for s in q.sheets.iter().filter(|s| s.used && s.confidence < quire::sheet::detect::LOW_CONFIDENCE) {
        println!("  warning: sheet \"{}\" was read with low layout confidence ({:.2}); check it with `quire inspect`", s.name, s.confidence);
    }
}

fn print_empty_hint(lib: &Library, filter: FilterArgs) -> Result<()> {
    if lib.entry_count()? == 0 {
        println!("The answer library at {} is empty.", lib.path());
        println!("Fill it with questionnaires you have already answered:");
        println!("  quire library import past-questionnaire.xlsx [more files…]");
        println!("or try the sample: quire demo");
    } else if filter.conflicts {
        println!("no conflicting answers");
    } else if filter.stale {
        println!("no answers are past their review-by date");
    }
    Ok(())
}

fn flags(e: &Entry) -> String {
    let mut f = Vec::new();
    if e.stale {
        f.push("STALE");
    }
    if e.conflict {
        f.push("CONFLICT");
    }
    if f.is_empty() {
        String::new()
    } else {
        format!(" [{}]", f.join(", "))
    }
}

fn print_entries(entries: &[Entry], group_conflicts: bool) {
    let mut last_question = String::new();
    for e in entries {
        if group_conflicts && e.question != last_question {
            println!("\n{}", e.question);
            last_question = e.question.clone();
        }
        let src = e.provenance.first().map(|p| format!("{} {}", p.file, p.reference)).unwrap_or_default();
        let more = if e.provenance.len() > 1 { format!(" +{}", e.provenance.len() - 1) } else { String::new() };
        if group_conflicts {
            println!("  #{:<5} {:<8} {}  ({src}{more}){}", e.id, e.answer, clip(&e.answer_raw, 50), flags(e));
        } else {
            println!("#{:<5} {:<8} {}  ({src}{more}; review by {}){}", e.id, e.answer, clip(&e.question, 80), e.review_by, flags(e));
        }
    }
}

fn print_entry_detail(e: &Entry) {
    println!("#{}{}", e.id, flags(e));
    println!("question:      {}", e.question);
    println!("answer:        {} ({})", e.answer, e.answer_raw);
    if !e.comment.is_empty() {
        println!("comment:       {}", e.comment);
    }
    println!("domain:        {}", e.domain);
    println!("tags:          {}", e.tags.join(", "));
    println!("owner:         {}", if e.owner.is_empty() { "-" } else { &e.owner });
    println!("last reviewed: {}", e.last_reviewed.as_deref().unwrap_or("never"));
    println!("review by:     {}{}", e.review_by, if e.stale { "  (past due: this answer is stale)" } else { "" });
    println!("sources:");
    for p in &e.provenance {
        println!("  {} (sha256 {}…) sheet \"{}\" row {} {} — imported {}", p.file, &p.sha256[..12.min(p.sha256.len())], p.sheet, p.row, p.reference, p.imported_at);
    }
}

fn demo(db: Option<PathBuf>, dir: Option<PathBuf>) -> Result<()> {
    let mut lib = open_library(db)?;
    let dir = match dir {
        Some(d) => d,
        None => Path::new(&lib.path()).parent().map(|p| p.join("demo")).unwrap_or_else(|| PathBuf::from("demo")),
    };
    std::fs::create_dir_all(&dir).map_err(|e| Error::write(&dir, e))?;
    let samples = quire::samples::write_samples(&dir)?;
    println!("Sample questionnaires written to {}:", dir.display());
    for s in &samples {
        println!("  {}", s.display());
    }
    let answered = read_questionnaire(&samples[0])?;
    let r = lib.import(&answered, &["demo".to_string()])?;
    print_import(&r, &answered);
    println!();
    let fresh = read_questionnaire(&samples[1])?;
    print_inspect(&fresh.report());
    println!();
    println!("The library {} holds {} entries. Try:", lib.path(), lib.entry_count()?);
    println!("  quire library list");
    println!("  quire library search \"multi-factor authentication\"");
    println!("  quire inspect {} --questions", samples[1].display());
    Ok(())
}
