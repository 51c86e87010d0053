//! `quire evidence …`: adding evidence documents, listing them, linking them to entries.

use clap::Subcommand;
use quire::display::shorten;
use quire::library::NewEvidence;
use quire::Result;
use std::path::PathBuf;

use crate::access::Access;
use crate::print_json;

#[derive(Subcommand)]
pub(crate) enum EvidenceCommand {
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

pub(crate) fn run(db: Access, cmd: EvidenceCommand) -> Result<()> {
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
                outln!("#{:<4} {:<40} {:<6} {exp}{links}", e.id, shorten(&e.title, 40), e.kind);
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
