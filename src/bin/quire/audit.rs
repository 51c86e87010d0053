//! `quire audit …`: verifying the library's hash-chained audit log and exporting it.

use clap::Subcommand;
use quire::{Error, Result};
use std::path::PathBuf;

use crate::access::Access;
use crate::print_json;

#[derive(Subcommand)]
pub(crate) enum AuditCommand {
    /// Recompute the hash chain; exit 1 and name every edited, deleted or moved record.
    Verify {
        #[arg(long)]
        json: bool,
        /// A head noted earlier (`RECORDS:HASH`, as verify prints it): the log must still hold
        /// it. Catches a log rewritten or cut short since, which the library alone cannot prove.
        #[arg(long, value_name = "HEAD")]
        expect: Option<String>,
        /// Check the team library's chain on its server instead (the library this one is linked
        /// to), recomputing every hash here, against the record this library verified last time.
        #[arg(long, conflicts_with = "expect")]
        team: bool,
    },
    /// Write the log to a .csv or .xlsx file for auditors.
    Export { file: PathBuf },
}

pub(crate) fn run(db: Access, cmd: AuditCommand) -> Result<()> {
    let lib = db.open()?;
    match cmd {
        AuditCommand::Verify { json, team: true, .. } => {
            let target = quire::team::sync::linked_server(&lib)?
                .ok_or_else(|| Error::invalid("team.sync.not_linked", "this library is not linked to a team library; join one first"))?;
            let (_, mut client) = crate::team::open(&target)?;
            let check = quire::team::audit::verify_linked(&lib, &mut client)?;
            if json {
                print_json(&check)?;
            } else {
                let head = check.head.as_ref().map(|(id, h)| format!("record {id}, {}", &h[..h.len().min(16)])).unwrap_or_else(|| "(none yet)".into());
                outln!("{} audit records in the team library {target}; head {head}", check.records);
                for p in &check.problems {
                    outln!("  TAMPERED: {p}");
                }
                if check.is_whole() {
                    outln!("the team library's chain is intact, and holds the record this library verified last time; this head is now the one the next check expects");
                }
            }
            if check.is_whole() {
                Ok(())
            } else {
                Err(Error::invalid("team.audit_tampered", format!("the team library's audit log was tampered with: {} problem(s); tell its administrator", check.problems.len())))
            }
        }
        AuditCommand::Verify { json, expect, .. } => {
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
                Err(Error::invalid("cli.audit.audit_log_tampered_problem", format!("the audit log was tampered with: {} problem(s); restore the library from a backup and investigate", v.problems.len())))
            }
        }
        AuditCommand::Export { file } => {
            let n = lib.export_audit(&file)?;
            outln!("wrote {n} audit records to {}", file.display());
            Ok(())
        }
    }
}
