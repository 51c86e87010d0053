//! The `quire` command line: parses arguments, calls the core, prints. Exit status 0 on success,
//! 1 on a user error (message on stderr), 2 on bad arguments (clap's own).

use clap::{Parser, Subcommand};
use quire::{Error, Result};
use std::path::PathBuf;
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
#[path = "quire/library.rs"]
mod library;
#[path = "quire/evidence.rs"]
mod evidence;
#[path = "quire/audit.rs"]
mod audit;
#[path = "quire/answering.rs"]
mod answering;
#[path = "quire/reviews.rs"]
mod reviews;

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
    Library(library::LibraryCommand),
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
        #[arg(long, default_value_t = 0.8, value_parser = answering::parse_confidence)]
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
    Evidence(evidence::EvidenceCommand),
    /// The tamper-evident audit log of every change.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
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
    /// Reviews of questionnaires being answered: start, show, answer, and share the work out
    /// (assignments, comment threads).
    #[command(subcommand)]
    Review(reviews::ReviewCommand),
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
            if let Some(h) = hint(e.code()) {
                errln!("hint: {h}");
            }
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    let db = Access { db: cli.db, passphrase_file: cli.passphrase_file };
    match cli.command {
        Command::Inspect { file, json, questions, no_profile } => answering::inspect(&file, json, questions, no_profile),
        Command::Library(cmd) => library::run(db.clone(), cmd),
        Command::Suggest { file, top, json } => answering::suggest(db.clone(), &file, top as usize, json),
        Command::Fill { file, output, min_confidence, pdf, clean, overwrite, json } => answering::fill(db.clone(), &file, &output, min_confidence, pdf.as_deref(), clean.as_deref(), overwrite, json),
        Command::Evidence(cmd) => evidence::run(db.clone(), cmd),
        Command::Audit(cmd) => audit::run(db.clone(), cmd),
        Command::Vendor(cmd) => tprm::vendor(&mut db.open()?, cmd),
        Command::Assess { file, vendor, rubric, pdf, xlsx, json, no_save } => {
            let args = tprm::AssessArgs { file: &file, vendor: &vendor, rubric: rubric.as_deref(), pdf, xlsx, json, no_save };
            tprm::assess(&mut db.open()?, args)
        }
        Command::Demo { dir } => answering::demo(db.clone(), dir),
        Command::Team(cmd) => team::run(cmd, &db),
        Command::Review(cmd) => reviews::run(db.clone(), cmd),
    }
}



pub(crate) fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    let s = serde_json::to_string_pretty(value).map_err(|e| Error::invalid("cli.cannot_print_json", format!("cannot print JSON: {e}")))?;
    outln!("{s}");
    Ok(())
}

/// What to type next, for the errors whose fix is a command. The core's messages name no
/// commands (the app shows them too); the CLI adds its own advice by the error's code.
fn hint(code: &str) -> Option<&'static str> {
    Some(match code {
        "library.entry.no_entry" => "`quire library list` shows the ids",
        "library.evidence.no_document" => "`quire evidence list` shows the ids",
        "library.vendors.no_vendor_named" => "`quire vendor list` shows the vendors, `quire vendor add NAME` adds one",
        "library.vendors.vendor_exists" => "change it with `quire vendor edit NAME`",
        "library.crypt.not_encrypted" => "encrypt it with `quire library encrypt`",
        "library.crypt.no_library" => "name the library with --db PATH or QUIRE_DB",
        "library.locked" => "quire asks for the passphrase at the terminal, or reads it from QUIRE_PASSPHRASE or --passphrase-file",
        "library.reviews.review_deleted" => "`quire review list` shows the reviews",
        "library.assignments.no_such_assignment" => "`quire review assigned --everyone --done` shows the assignments",
        "team.sync.not_linked" => "`quire team join URL` links this library to a team library",
        "team.sync.already_linked" | "team.sync.other_login" => "`quire team leave` unlinks this library (it keeps everything it has)",
        _ => return None,
    })
}
