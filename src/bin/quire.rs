//! The `quire` command line: parses arguments, calls the core, prints. Exit status 0 on success,
//! 1 on a user error (message on stderr), 2 on bad arguments (clap's own).

use clap::{Args, Parser, Subcommand};
use quire::library::{export_entries, Entry, EntryEdit, EntryFilter, ImportReport, Library, NewEvidence};
use quire::review::{Review, ReviewStatus};
use quire::suggest::Suggester;
use quire::sheet::profile::Profiles;
use quire::sheet::{read_questionnaire, read_questionnaire_with, InspectReport, Questionnaire};
use quire::{Error, Result};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[path = "quire/term.rs"]
#[macro_use]
mod term;
#[path = "quire/access.rs"]
mod access;
#[path = "quire/tprm.rs"]
mod tprm;
#[path = "quire/team.rs"]
mod team;

use access::Access;

#[derive(Parser)]
#[command(name = "quire", version, about = "Answer and score security questionnaires, offline.")]
struct Cli {
    /// The answer library (SQLite). Default: the platform data folder; QUIRE_DB overrides it.
    #[arg(long, global = true, env = "QUIRE_DB", value_name = "PATH")]
    db: Option<PathBuf>,
    /// An encrypted library's passphrase, as the first line of this file (else QUIRE_PASSPHRASE,
    /// else it is asked at the terminal).
    #[arg(long, global = true, value_name = "FILE")]
    passphrase_file: Option<PathBuf>,
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
        /// Also list every question found (with --json: an "items" array of questions as read).
        #[arg(long)]
        questions: bool,
        /// Ignore the known-format profiles and detect every sheet from its content.
        #[arg(long)]
        no_profile: bool,
    },
    /// The answer library: import past answered questionnaires, list, search, edit, export.
    #[command(subcommand)]
    Library(LibraryCommand),
    /// Suggest answers for every question of a questionnaire from the answer library.
    Suggest {
        file: PathBuf,
        /// Suggestions per question.
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=50))]
        top: u16,
        #[arg(long)]
        json: bool,
    },
    /// Fill the questionnaire with the library's answers: the same workbook, Word document or
    /// PDF form with only the answer places written, a response document (.docx + .xlsx) for a
    /// flat PDF, or a clean workbook for other formats.
    Fill {
        file: PathBuf,
        /// The filled workbook to write (never the input).
        #[arg(short = 'o', long = "output", value_name = "OUT.xlsx")]
        output: PathBuf,
        /// Write only suggestions at or above this confidence (0–1).
        #[arg(long, default_value_t = 0.8, value_parser = parse_confidence)]
        min_confidence: f32,
        /// Also write a PDF summary.
        #[arg(long, value_name = "SUMMARY.pdf")]
        pdf: Option<PathBuf>,
        /// Also write a clean workbook of all answers (ref, question, answer, confidence, source…).
        #[arg(long, value_name = "ANSWERS.xlsx")]
        clean: Option<PathBuf>,
        /// Replace answers the workbook already has.
        #[arg(long)]
        overwrite: bool,
        #[arg(long)]
        json: bool,
    },
    /// Evidence documents (policies, SOC 2 reports, certificates) that support answers.
    #[command(subcommand)]
    Evidence(EvidenceCommand),
    /// The tamper-evident audit log of every change.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Vendors whose questionnaires you assess (third-party risk).
    #[command(subcommand)]
    Vendor(tprm::VendorCommand),
    /// Score a vendor's completed questionnaire against a rubric: domain scores, findings,
    /// HIPAA / ISO 27017 coverage, residual risk tier. Saved with the vendor.
    Assess {
        file: PathBuf,
        /// The vendor (name or id), added before with `quire vendor add`.
        #[arg(long)]
        vendor: String,
        /// A rubric by name (default: the one for the questionnaire's layout, else "default").
        #[arg(long)]
        rubric: Option<String>,
        /// Write the PDF risk report.
        #[arg(long, value_name = "REPORT.pdf")]
        pdf: Option<PathBuf>,
        /// Write the findings workbook for follow-up.
        #[arg(long, value_name = "FINDINGS.xlsx")]
        xlsx: Option<PathBuf>,
        #[arg(long)]
        json: bool,
        /// Do not save the assessment with the vendor.
        #[arg(long)]
        no_save: bool,
    },
    /// The team library on the organisation's PostgreSQL server.
    #[command(subcommand)]
    Team(team::TeamCommand),
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
    /// Set an entry's status: draft, reviewed or approved (in a team library only an approver
    /// may approve; the server refuses anyone else's approval at the next sync).
    Status { id: i64, status: String },
    /// Export entries to a new .xlsx or .csv file.
    Export {
        file: PathBuf,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Compute the embeddings that let suggestions match questions by meaning, for entries that
    /// lack them (imports do this themselves; needed after changing the model).
    Embed {
        #[arg(long)]
        json: bool,
    },
    /// Show or change a setting (review_cadence_months).
    Config { key: Option<String>, value: Option<String> },
    /// Write a consistent copy of the library (safe while the app is open).
    Backup { file: PathBuf },
    /// Replace the library with a backup (checked first; the current library is kept beside it).
    /// An encrypted backup asks for the passphrase it was made with.
    Restore { file: PathBuf },
    /// Encrypt the library (SQLCipher, AES-256) and the documents it keeps, with a new
    /// passphrase; rolling backups are encrypted too. Close the app first.
    Encrypt {
        /// The new passphrase as the first line of this file (else QUIRE_NEW_PASSPHRASE, else
        /// asked twice at the terminal).
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
    },
    /// Decrypt the library and its documents for good (asks for the passphrase).
    Decrypt,
    /// Change the passphrase of an encrypted library (and of its rolling backups).
    Rekey {
        /// The new passphrase as the first line of this file (else QUIRE_NEW_PASSPHRASE, else
        /// asked twice at the terminal).
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the hash chain; exit 1 and name every edited, deleted or moved record.
    Verify {
        #[arg(long)]
        json: bool,
        /// A head noted earlier (`RECORDS:HASH`, as verify prints it): the log must still hold
        /// it. Catches a log rewritten or cut short since, which the library alone cannot prove.
        #[arg(long, value_name = "HEAD")]
        expect: Option<String>,
    },
    /// Write the log to a .csv or .xlsx file for auditors.
    Export { file: PathBuf },
}

#[derive(Subcommand)]
enum EvidenceCommand {
    /// Add a document (PDF, DOCX, XLSX, TXT, MD); a copy is kept in the library's folder.
    Add {
        file: PathBuf,
        #[arg(long)]
        title: Option<String>,
        /// Expiry date, YYYY-MM-DD (e.g. the end of a SOC 2 report's validity).
        #[arg(long)]
        expires: Option<String>,
        #[arg(long, value_delimiter = ',')]
        tags: Vec<String>,
        #[arg(long)]
        owner: Option<String>,
    },
    /// List documents with their expiry and linked entries.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Confirm that a document supports a library entry's answer.
    Link { entry: i64, evidence: i64 },
    /// Remove a confirmed link.
    Unlink { entry: i64, evidence: i64 },
    /// Remove a document (and the library's copy of it).
    Remove { id: i64 },
    /// Write a copy of a kept document (decrypted when the library is encrypted).
    Export {
        id: i64,
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
    },
}

fn parse_confidence(s: &str) -> std::result::Result<f32, String> {
    match s.parse::<f32>() {
        Ok(c) if (0.0..=1.0).contains(&c) => Ok(c),
        _ => Err(format!("{s:?} is not a confidence between 0 and 1 (e.g. 0.8)")),
    }
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
    // Rust ignores SIGPIPE, so `quire suggest … | head` would panic on the closed pipe; a
    // command-line tool should just stop, as cat or grep do.
    #[cfg(unix)]
    // SAFETY: setting a signal disposition to its default before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            errln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    let db = Access { db: cli.db, passphrase_file: cli.passphrase_file };
    match cli.command {
        Command::Inspect { file, json, questions, no_profile } => inspect(&file, json, questions, no_profile),
        Command::Library(cmd) => library(db.clone(), cmd),
        Command::Suggest { file, top, json } => suggest(db.clone(), &file, top as usize, json),
        Command::Fill { file, output, min_confidence, pdf, clean, overwrite, json } => fill(db.clone(), &file, &output, min_confidence, pdf.as_deref(), clean.as_deref(), overwrite, json),
        Command::Evidence(cmd) => evidence(db.clone(), cmd),
        Command::Audit(cmd) => audit(db.clone(), cmd),
        Command::Vendor(cmd) => tprm::vendor(&mut db.open()?, cmd),
        Command::Assess { file, vendor, rubric, pdf, xlsx, json, no_save } => {
            let args = tprm::AssessArgs { file: &file, vendor: &vendor, rubric: rubric.as_deref(), pdf, xlsx, json, no_save };
            tprm::assess(&mut db.open()?, args)
        }
        Command::Demo { dir } => demo(db.clone(), dir),
        Command::Team(cmd) => team::run(cmd, &db),
    }
}

fn audit(db: Access, cmd: AuditCommand) -> Result<()> {
    let lib = db.open()?;
    match cmd {
        AuditCommand::Verify { json, expect } => {
            let v = match &expect {
                Some(head) => lib.verify_audit_against(head)?,
                None => lib.verify_audit()?,
            };
            if json {
                print_json(&v)?;
            } else {
                outln!("{} audit records; head {}", v.records, if v.head.is_empty() { "(none yet)" } else { &v.head_mark });
                for p in &v.problems {
                    outln!("  TAMPERED: {p}");
                }
                if v.ok() && expect.is_some() {
                    outln!("the chain is intact, anchored, and still holds the expected head");
                } else if v.ok() {
                    outln!("the chain is intact and anchored (note the head somewhere else; `quire audit verify --expect HEAD` later proves nothing was rewritten since)");
                }
            }
            if v.ok() {
                Ok(())
            } else {
                Err(Error::Invalid(format!("the audit log was tampered with: {} problem(s); restore the library from a backup and investigate", v.problems.len())))
            }
        }
        AuditCommand::Export { file } => {
            let n = lib.export_audit(&file)?;
            outln!("wrote {n} audit records to {}", file.display());
            Ok(())
        }
    }
}

fn print_crypt_report(r: &quire::library::CryptReport) {
    let state = if r.encrypted { "encrypted" } else { "not encrypted" };
    if r.unchanged {
        outln!("{} was already {state} ({} entries)", r.library.display(), r.entries);
    } else if r.rekeyed {
        outln!("{}: passphrase changed ({} entries)", r.library.display(), r.entries);
    } else {
        outln!("{} is now {state} ({} entries)", r.library.display(), r.entries);
    }
    if r.files > 0 {
        outln!("{} kept document(s) {}", r.files, if r.encrypted { "encrypted" } else { "decrypted" });
    }
    if r.backups > 0 {
        outln!("{} backup(s) converted too", r.backups);
    }
    for b in &r.backups_skipped {
        outln!("  left as it was (it does not open with this passphrase): {}", b.display());
    }
    if r.encrypted && !r.unchanged && !r.rekeyed {
        outln!("keep the passphrase safe: without it the library cannot be opened, by you or by anyone");
    }
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    let s = serde_json::to_string_pretty(value).map_err(|e| Error::Invalid(format!("cannot print JSON: {e}")))?;
    outln!("{s}");
    Ok(())
}

fn inspect(file: &Path, json: bool, list_questions: bool, no_profile: bool) -> Result<()> {
    let q = if no_profile { read_questionnaire_with(file, &Profiles::generic_only()?)? } else { read_questionnaire(file)? };
    let report = q.report();
    if json && list_questions {
        // The report plus every question as read (sheet, row, ref, text, answer, cells).
        let mut value = serde_json::to_value(&report).map_err(|e| Error::Invalid(format!("cannot print JSON: {e}")))?;
        let items = serde_json::to_value(q.questions().collect::<Vec<_>>()).map_err(|e| Error::Invalid(format!("cannot print JSON: {e}")))?;
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

fn print_inspect(r: &InspectReport) {
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

fn print_questions(q: &Questionnaire) {
    for x in q.questions() {
        let answer = if x.answer.is_empty() { "-".to_string() } else { x.answer.clone() };
        outln!("{}!{}\t{}\t{}\t{}\t[{}]", x.sheet, x.row, x.reference, clip(&x.text, 90), clip(&answer, 30), x.domain);
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

fn library(db: Access, cmd: LibraryCommand) -> Result<()> {
    match cmd {
        LibraryCommand::Import { files, tags, json } => {
            // Read every file first: a bad file stops the whole command before anything changes.
            let mut read = Vec::new();
            for (i, f) in files.iter().enumerate() {
                if !json {
                    errln!("[{}/{}] reading {}", i + 1, files.len(), f.display());
                }
                let q = read_questionnaire(f)?;
                q.require_questions()?;
                read.push(q);
            }
            let mut lib = db.open()?;
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
                outln!("library {} now holds {} entries", lib.path(), lib.entry_count()?);
            }
            embed_entries(&lib, json, false)?;
            Ok(())
        }
        LibraryCommand::Embed { json } => {
            let lib = db.open()?;
            embed_entries(&lib, json, true)
        }
        LibraryCommand::List { filter, json } => {
            let lib = db.open()?;
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
            let lib = db.open()?;
            let entries = lib.search(&text, limit)?;
            if json {
                return print_json(&entries);
            }
            if entries.is_empty() {
                if lib.entry_count()? == 0 {
                    print_empty_hint(&lib, FilterArgs { conflicts: false, stale: false })?;
                } else {
                    outln!("no entries match {text:?}");
                }
            }
            print_entries(&entries, false);
            Ok(())
        }
        LibraryCommand::Show { id, json } => {
            let lib = db.open()?;
            let entry = lib.get(id)?;
            let history = lib.history(id)?;
            if json {
                return print_json(&serde_json::json!({"entry": entry, "history": history}));
            }
            print_entry_detail(&entry);
            if !history.is_empty() {
                outln!("history:");
                for h in history {
                    outln!("  {}  {}: {:?} → {:?}", h.changed_at, h.field, h.old_value.unwrap_or_default(), h.new_value.unwrap_or_default());
                }
            }
            Ok(())
        }
        LibraryCommand::Edit { id, answer, comment, domain, tags, owner, review_by, last_reviewed } => {
            let mut lib = db.open()?;
            let edit = EntryEdit { answer, comment, domain, tags, owner, review_by, last_reviewed };
            let e = lib.edit(id, &edit)?;
            print_entry_detail(&e);
            Ok(())
        }
        LibraryCommand::Review { id, owner } => {
            let mut lib = db.open()?;
            let e = lib.mark_reviewed(id, owner.as_deref())?;
            outln!("entry {} reviewed; next review by {}", e.id, e.review_by);
            Ok(())
        }
        LibraryCommand::Status { id, status } => {
            let mut lib = db.open()?;
            let e = lib.set_status(id, &status)?;
            outln!("entry {} is {}", e.id, e.status);
            Ok(())
        }
        LibraryCommand::Delete { id } => {
            let mut lib = db.open()?;
            lib.delete(id)?;
            outln!("entry {id} deleted");
            Ok(())
        }
        LibraryCommand::Export { file, filter } => {
            let lib = db.open()?;
            let entries = lib.list(filter.into())?;
            export_entries(&entries, &file)?;
            outln!("exported {} entries to {}", entries.len(), file.display());
            Ok(())
        }
        LibraryCommand::Backup { file } => {
            let r = db.open()?.backup_to(&file)?;
            outln!("backed up {} entries to {} ({} bytes)", r.entries, r.file.display(), r.bytes);
            Ok(())
        }
        LibraryCommand::Restore { file } => {
            let path = db.path()?;
            let r = if quire::library::is_encrypted(&file)? {
                db.with_passphrase(&file, "Passphrase of the backup", |p| Library::restore(&path, &file, Some(p)))?
            } else {
                Library::restore(&path, &file, None)?
            };
            outln!("restored {} ({} entries, schema {})", r.library.display(), r.entries, r.schema_version);
            if let Some(p) = r.previous {
                outln!("the library it replaced is kept as {}", p.display());
            }
            Ok(())
        }
        LibraryCommand::Encrypt { new_passphrase_file } => {
            let path = db.path()?;
            let r = if quire::library::is_encrypted(&path)? {
                // Already encrypted: finish any files an interrupted run left plain.
                db.with_passphrase(&path, "Passphrase for the answer library", |p| Library::encrypt(&path, p))?
            } else {
                let new = db.new_passphrase(new_passphrase_file.as_deref())?;
                Library::encrypt(&path, &new)?
            };
            print_crypt_report(&r);
            Ok(())
        }
        LibraryCommand::Decrypt => {
            let path = db.path()?;
            let r = db.with_passphrase(&path, "Passphrase for the answer library", |p| Library::decrypt(&path, p))?;
            print_crypt_report(&r);
            Ok(())
        }
        LibraryCommand::Rekey { new_passphrase_file } => {
            let path = db.path()?;
            if !quire::library::is_encrypted(&path)? {
                return Err(Error::Invalid(format!("{} is not encrypted; encrypt it with `quire library encrypt` instead", path.display())));
            }
            // Check the current passphrase before asking for a new one.
            let current = db.with_passphrase(&path, "Current passphrase for", |p| Library::open_with(&path, Some(p)).map(|_| p.clone()))?;
            let new = db.new_passphrase(new_passphrase_file.as_deref())?;
            let r = Library::rekey(&path, &current, &new)?;
            print_crypt_report(&r);
            Ok(())
        }
        LibraryCommand::Config { key, value } => {
            let lib = db.open()?;
            match (key, value) {
                (Some(k), Some(v)) => {
                    lib.set_setting(&k, &v)?;
                    outln!("{k} = {v}");
                }
                (Some(k), None) => match k.as_str() {
                    "review_cadence_months" => outln!("{k} = {}", lib.review_cadence_months()?),
                    other => return Err(Error::Invalid(format!("unknown setting {other:?}; known: review_cadence_months"))),
                },
                (None, _) => {
                    outln!("library = {}", lib.path());
                    outln!("review_cadence_months = {}", lib.review_cadence_months()?);
                }
            }
            Ok(())
        }
    }
}

fn print_import(r: &ImportReport, q: &Questionnaire) {
    let again = r.already_imported.as_deref().map(|at| format!(" (this file was already imported on {at})")).unwrap_or_default();
    outln!(
        "{}: {} questions, {} answered → {} added, {} merged, {} conflicting, {} unchanged; {} unanswered not imported{again}",
        r.file, r.questions, r.answered, r.added, r.merged, r.conflicting, r.unchanged, r.unanswered
    );
    for s in q.sheets.iter().filter(|s| s.used && s.confidence < quire::sheet::detect::LOW_CONFIDENCE) {
        outln!("  warning: sheet \"{}\" was read with low layout confidence ({:.2}); check it with `quire inspect`", s.name, s.confidence);
    }
}

fn print_empty_hint(lib: &Library, filter: FilterArgs) -> Result<()> {
    if lib.entry_count()? == 0 {
        outln!("The answer library at {} is empty.", lib.path());
        outln!("Fill it with questionnaires you have already answered:");
        outln!("  quire library import past-questionnaire.xlsx [more files…]");
        outln!("or try the sample: quire demo");
    } else if filter.conflicts {
        outln!("no conflicting answers");
    } else if filter.stale {
        outln!("no answers are past their review-by date");
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
            outln!("\n{}", e.question);
            last_question = e.question.clone();
        }
        let src = e.provenance.first().map(|p| format!("{} {}", p.file, p.reference)).unwrap_or_default();
        let more = if e.provenance.len() > 1 { format!(" +{}", e.provenance.len() - 1) } else { String::new() };
        if group_conflicts {
            outln!("  #{:<5} {:<8} {}  ({src}{more}){}", e.id, e.answer, clip(&e.answer_raw, 50), flags(e));
        } else {
            outln!("#{:<5} {:<8} {}  ({src}{more}; review by {}){}", e.id, e.answer, clip(&e.question, 80), e.review_by, flags(e));
        }
    }
}

fn print_entry_detail(e: &Entry) {
    outln!("#{}{}", e.id, flags(e));
    outln!("question:      {}", e.question);
    outln!("answer:        {} ({})", e.answer, e.answer_raw);
    if !e.comment.is_empty() {
        outln!("comment:       {}", e.comment);
    }
    outln!("domain:        {}", e.domain);
    outln!("tags:          {}", e.tags.join(", "));
    outln!("owner:         {}", if e.owner.is_empty() { "-" } else { &e.owner });
    outln!("status:        {}", e.status);
    outln!("last reviewed: {}", e.last_reviewed.as_deref().unwrap_or("never"));
    outln!("review by:     {}{}", e.review_by, if e.stale { "  (past due: this answer is stale)" } else { "" });
    outln!("sources:");
    for p in &e.provenance {
        outln!("  {} (sha256 {}…) {} {} — imported {}", p.file, &p.sha256[..12.min(p.sha256.len())], quire::sheet::docx::describe_place(&p.file, &p.sheet, p.row), p.reference, p.imported_at);
    }
}

/// Reads a questionnaire and opens the library's suggester; an empty library is an error that
/// says how to fill it.
fn suggester_for(db: Access, file: &Path) -> Result<(Questionnaire, Suggester)> {
    let q = read_questionnaire(file)?;
    q.require_questions()?;
    let lib = db.open()?;
    if lib.entry_count()? == 0 {
        return Err(Error::Invalid(format!(
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

/// Embeds the entries that lack an embedding, with progress on stderr; without a model, says so
/// (an error when `required`, a note otherwise).
fn embed_entries(lib: &Library, json: bool, required: bool) -> Result<()> {
    let meaning = quire::suggest::meaning::Meaning::shared();
    let Some(embedder) = meaning.embedder() else {
        let reason = meaning.absent_reason().unwrap_or_default().to_string();
        if required {
            return Err(Error::Invalid(reason));
        }
        errln!("note: {reason}");
        return Ok(());
    };
    let mut last = std::time::Instant::now();
    let outcome = quire::suggest::meaning::embed_missing(lib, embedder, |done, total| {
        if !json && (last.elapsed().as_secs_f32() > 1.0 || done == total) {
            errln!("embedding questions for matching by meaning: {done} of {total}");
            last = std::time::Instant::now();
        }
        true
    })?;
    if json && required {
        print_json(&outcome)?;
    } else if required {
        let (have, of) = lib.embedding_coverage(embedder.model_id())?;
        outln!("embedded {} entries in {:.1} s; {have} of {of} entries can be matched by meaning", outcome.embedded, outcome.secs);
    }
    Ok(())
}

fn suggest(db: Access, file: &Path, top: usize, json: bool) -> Result<()> {
    let (q, s) = suggester_for(db, file)?;
    let report = s.suggest_all(&q, top);
    if json {
        return print_json(&report);
    }
    let mut sure = 0;
    for x in &report.questions {
        outln!("{}!{} {} {}", x.sheet, x.row, x.reference, clip(&x.question, 100));
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
            outln!("  {}. {:>3.0}%  {:<8} #{} {}{}", i + 1, (g.confidence * 100.0).floor(), clip(&g.answer, 30), g.entry_id, clip(&g.question, 70), flags);
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
fn fill(db: Access, file: &Path, output: &Path, min_confidence: f32, pdf: Option<&Path>, clean: Option<&Path>, overwrite: bool, json: bool) -> Result<()> {
    let (q, s) = suggester_for(db, file)?;
    let review = Review::from_suggestions(&q, &s, min_confidence);
    let mut written = Vec::new();
    let report = if quire::fill::can_fill_in_place(q.format) {
        let r = quire::fill::fill_workbook(&q, &review, output, &quire::fill::FillOptions { overwrite_answered: overwrite })?;
        written.push(r.output.clone());
        written.extend(r.also_written.iter().cloned());
        Some(r)
    } else {
        quire::report::export_answers_xlsx(&review, output)?;
        if !json {
            errln!("note: {} is a {} file, which Quire cannot edit in place; wrote a clean workbook with every question and answer instead", q.file, q.format.as_str());
        }
        written.push(output.to_path_buf());
        None
    };
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

fn evidence(db: Access, cmd: EvidenceCommand) -> Result<()> {
    let mut lib = db.open()?;
    match cmd {
        EvidenceCommand::Add { file, title, expires, tags, owner } => {
            let (ev, new) = lib.add_evidence(&file, &NewEvidence { title, expires, tags, owner })?;
            if new {
                outln!("evidence #{} \"{}\" added ({} characters of text indexed); kept at {}", ev.id, ev.title, ev.text_chars, ev.stored_path);
            } else {
                outln!("this file is already evidence #{} \"{}\"", ev.id, ev.title);
            }
            if ev.expired {
                outln!("warning: it expired on {}", ev.expires.as_deref().unwrap_or(""));
            }
        }
        EvidenceCommand::List { json } => {
            let list = lib.evidence_list()?;
            if json {
                return print_json(&list);
            }
            if list.is_empty() {
                outln!("no evidence documents yet; add one with: quire evidence add soc2-report.pdf --expires 2027-06-30");
            }
            for e in &list {
                let exp = match (&e.expires, e.expired) {
                    (Some(d), true) => format!("EXPIRED {d}"),
                    (Some(d), false) => format!("expires {d}"),
                    (None, _) => "no expiry".into(),
                };
                let links = if e.linked_entries.is_empty() { String::new() } else { format!("; linked to entries {:?}", e.linked_entries) };
                outln!("#{:<4} {:<40} {:<6} {exp}{links}", e.id, clip(&e.title, 40), e.kind);
            }
        }
        EvidenceCommand::Link { entry, evidence } => {
            lib.link_evidence(entry, evidence)?;
            outln!("entry {entry} is now supported by evidence {evidence}");
        }
        EvidenceCommand::Unlink { entry, evidence } => {
            lib.unlink_evidence(entry, evidence)?;
            outln!("entry {entry} is no longer linked to evidence {evidence}");
        }
        EvidenceCommand::Export { id, output } => {
            let ev = lib.export_evidence(id, &output)?;
            outln!("wrote \"{}\" ({}) to {}", ev.title, ev.file_name, output.display());
        }
        EvidenceCommand::Remove { id } => {
            let ev = lib.remove_evidence(id)?;
            outln!("evidence #{} \"{}\" removed", ev.id, ev.title);
        }
    }
    Ok(())
}

fn demo(db: Access, dir: Option<PathBuf>) -> Result<()> {
    let mut lib = db.open()?;
    let dir = match dir {
        Some(d) => d,
        None => Path::new(&lib.path()).parent().map(|p| p.join("demo")).unwrap_or_else(|| PathBuf::from("demo")),
    };
    let seed = quire::workflow::seed_demo(&mut lib, &dir)?;
    let samples = seed.samples;
    outln!("Sample questionnaires written to {}:", dir.display());
    for s in &samples {
        outln!("  {}", s.display());
    }
    let answered = read_questionnaire(&samples[0])?;
    print_import(&seed.import, &answered);
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
