//! `quire library …`: importing answered questionnaires, listing, searching, editing and
//! exporting entries, embedding them, encryption, backups. Parsing and printing only; the jobs
//! the app shares (import with its backup, embedding) go through `quire::workflow`.

use clap::{Args, Subcommand};
use quire::display::shorten;
use quire::library::{Entry, EntryEdit, EntryFilter, ImportReport, Library};
use quire::sheet::{read_questionnaire, Questionnaire};
use quire::{workflow, Error, Result};
use std::path::PathBuf;

use crate::access::Access;
use crate::print_json;

#[derive(Subcommand)]
pub(crate) enum LibraryCommand {
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

#[derive(Args, Clone, Copy)]
pub(crate) struct FilterArgs {
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

pub(crate) fn run(db: Access, cmd: LibraryCommand) -> Result<()> {
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
                read.push((f.clone(), Ok(q)));
            }
            let mut lib = db.open()?;
            // The app's import: a rolling backup first, one transaction per file, then the new
            // entries embedded for matching by meaning.
            let results = workflow::import_read(&mut lib, &read, &tags, &progress_printer(json));
            let mut reports = Vec::new();
            for ((_, q), result) in read.iter().zip(results) {
                let (Ok(q), Some(r)) = (q, result.report) else {
                    return Err(Error::invalid("cli.library.imported", result.error.unwrap_or_else(|| format!("{} was not imported", result.path))));
                };
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
            if let Some(reason) = quire::suggest::meaning::Meaning::shared().absent_reason() {
                errln!("note: {reason}");
            }
            Ok(())
        }
        LibraryCommand::Embed { json } => {
            let lib = db.open()?;
            embed_entries(&lib, json)
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
            quire::report::export_entries(&entries, &file)?;
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
                return Err(Error::invalid("library.crypt.not_encrypted", format!("{} is not encrypted; encrypt it with `quire library encrypt` instead", path.display())));
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
                    other => return Err(Error::invalid("cli.library.unknown_setting_known_review", format!("unknown setting {other:?}; known: review_cadence_months"))),
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

pub(crate) fn print_import(r: &ImportReport, q: &Questionnaire) {
    let again = r.already_imported.as_deref().map(|at| format!(" (this file was already imported on {at})")).unwrap_or_default();
    outln!(
        "{}: {} questions, {} answered → {} added, {} merged, {} conflicting, {} unchanged; {} unanswered not imported{again}",
        r.file, r.questions, r.answered, r.added, r.merged, r.conflicting, r.unchanged, r.unanswered
    );
    for s in q.sheets.iter().filter(|s| s.used && s.confidence < quire::sheet::detect::LOW_CONFIDENCE) {
        outln!("  warning: sheet \"{}\" was read with low layout confidence ({:.2}); check it with `quire inspect`", s.name, s.confidence);
    }
}

pub(crate) fn print_empty_hint(lib: &Library, filter: FilterArgs) -> Result<()> {
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

pub(crate) fn flags(e: &Entry) -> String {
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

pub(crate) fn print_entries(entries: &[Entry], group_conflicts: bool) {
    let mut last_question = String::new();
    for e in entries {
        if group_conflicts && e.question != last_question {
            outln!("\n{}", e.question);
            last_question = e.question.clone();
        }
        let src = e.provenance.first().map(|p| format!("{} {}", p.file, p.reference)).unwrap_or_default();
        let more = if e.provenance.len() > 1 { format!(" +{}", e.provenance.len() - 1) } else { String::new() };
        if group_conflicts {
            outln!("  #{:<5} {:<8} {}  ({src}{more}){}", e.id, e.answer, shorten(&e.answer_raw, 50), flags(e));
        } else {
            outln!("#{:<5} {:<8} {}  ({src}{more}; review by {}){}", e.id, e.answer, shorten(&e.question, 80), e.review_by, flags(e));
        }
    }
}

pub(crate) fn print_entry_detail(e: &Entry) {
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

/// Embeds the entries that lack an embedding, with progress on stderr; without a model, says so
/// (an error when `required`, a note otherwise).
/// `quire library embed`: the embeddings entries lack, with progress on stderr.
pub(crate) fn embed_entries(lib: &Library, json: bool) -> Result<()> {
    let meaning = quire::suggest::meaning::Meaning::shared();
    let Some(outcome) = workflow::embed_library(lib, &progress_printer(json))? else {
        return Err(Error::invalid("cli.library.invalid", meaning.absent_reason().unwrap_or_default().to_string()));
    };
    if json {
        return print_json(&outcome);
    }
    if let Some(embedder) = meaning.embedder() {
        let (have, of) = lib.embedding_coverage(embedder.model_id())?;
        outln!("embedded {} entries in {:.1} s; {have} of {of} entries can be matched by meaning", outcome.embedded, outcome.secs);
    }
    Ok(())
}

/// Progress of the long steps the CLI shares with the app (embedding the library's questions),
/// on stderr at most once a second and at the end; nothing with `--json`.
pub(crate) fn progress_printer(json: bool) -> impl Fn(workflow::Progress) + Sync {
    let last = std::sync::Mutex::new(None::<std::time::Instant>);
    move |p: workflow::Progress| {
        if json || p.task != "embed" || p.total == 0 {
            return;
        }
        let Ok(mut last) = last.lock() else { return };
        if last.is_none_or(|t| t.elapsed().as_secs_f32() > 1.0) || p.done == p.total {
            errln!("embedding questions for matching by meaning: {} of {}", p.done, p.total);
            *last = Some(std::time::Instant::now());
        }
    }
}

pub(crate) fn print_crypt_report(r: &quire::library::CryptReport) {
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
