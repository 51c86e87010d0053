//! `quire team …`: the team library on the organisation's PostgreSQL. Parsing and printing
//! only; the schema, roles and connection are in the core (`quire::team`).

use clap::Subcommand;
use crate::access::Access;
use quire::team::{self, sync, ConnInfo, ProcessEnvironment};
use quire::Result;
use std::io::IsTerminal;

#[derive(Subcommand)]
pub enum TeamCommand {
    /// Create (or bring up to date) the team library on a PostgreSQL server: the `quire` schema,
    /// the roles quire_reader, quire_contributor, quire_approver and quire_admin, and what each
    /// may do. Run once by a database administrator; running it again changes nothing.
    Init {
        /// The server: postgres://USER@HOST[:PORT]/DATABASE[?sslmode=verify-full&sslrootcert=FILE],
        /// key=value settings, or service=NAME. The password comes from the URL, PGPASSWORD,
        /// ~/.pgpass, the service file, or is asked at the terminal.
        target: String,
        /// Also make these existing PostgreSQL logins Quire admins (repeatable).
        #[arg(long, value_name = "LOGIN")]
        admin: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Link this library to a team library and sync: the first sync pulls everything the team
    /// has, then pushes what this library has. The server is kept without its password.
    Join {
        /// The server, as for init (postgres://USER@HOST/DATABASE?sslmode=verify-full&sslrootcert=FILE).
        target: String,
        #[arg(long)]
        json: bool,
    },
    /// Pull what changed in the team library, push what changed here.
    Sync {
        #[arg(long)]
        json: bool,
    },
    /// The last sync, changes waiting, refused changes, conflicts and the server (no network).
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Unlink this library from its team library (it keeps everything it has).
    Leave,
    /// Values a sync kept aside: fields you and someone else both changed, theirs kept. Side by
    /// side, with the id to settle each.
    Conflicts {
        #[arg(long)]
        json: bool,
    },
    /// Settle a value kept aside: --mine puts yours back (synced next), --theirs keeps theirs.
    Resolve {
        id: i64,
        #[arg(long, conflicts_with = "theirs", required_unless_present = "theirs")]
        mine: bool,
        #[arg(long)]
        theirs: bool,
    },
}

pub fn run(cmd: TeamCommand, db: &Access) -> Result<()> {
    match cmd {
        TeamCommand::Conflicts { json } => {
            let list = quire::team::kept_aside(&db.open()?)?;
            if json {
                return crate::print_json(&list);
            }
            if list.is_empty() {
                outln!("nothing kept aside: no field was changed here and in the team library at once");
            }
            for k in &list {
                outln!("{:>4}  {} — {} (changed by {} in the team library, {})", k.id, crate::term::safe(&k.what), k.field, k.by, k.at);
                outln!("      yours:  {}", crate::term::safe(k.yours.as_deref().unwrap_or("(empty)")));
                outln!("      theirs: {}{}", crate::term::safe(k.theirs.as_deref().unwrap_or("(empty)")), if k.restorable { "" } else { "   (its row is gone: only --theirs)" });
            }
            Ok(())
        }
        TeamCommand::Resolve { id, mine, .. } => {
            quire::team::resolve_kept_aside(&mut db.open()?, id, mine)?;
            outln!("{}", if mine { "your value is back; the next sync sends it" } else { "the team library's value stays" });
            Ok(())
        }
        TeamCommand::Init { target, admin, json } => init(&target, &admin, json),
        TeamCommand::Join { target, json } => {
            let mut lib = db.open()?;
            let (_, mut client) = open(&target)?;
            let report = quire::workflow::sync_team(&mut lib, &mut client, Some(&target), &crate::library::progress_printer(json))?;
            print_report(&report, json)
        }
        TeamCommand::Sync { json } => {
            let mut lib = db.open()?;
            let target = sync::linked_server(&lib)?
                .ok_or_else(|| quire::Error::invalid("cli.team.library_linked_team_library", "this library is not linked to a team library; run `quire team join URL` first"))?;
            let (_, mut client) = open(&target)?;
            let report = quire::workflow::sync_team(&mut lib, &mut client, None, &crate::library::progress_printer(json))?;
            print_report(&report, json)
        }
        TeamCommand::Status { json } => {
            let lib = db.open()?;
            let st = sync::status(&lib)?;
            if json {
                let s = serde_json::to_string_pretty(&st).map_err(|e| quire::Error::invalid("cli.team.cannot_print_json", format!("cannot print JSON: {e}")))?;
                outln!("{s}");
                return Ok(());
            }
            match (&st.server, &st.login) {
                (Some(server), Some(login)) => outln!("linked to {server} as {login} (since {})", st.joined_at.as_deref().unwrap_or("?")),
                _ => outln!("not linked to a team library (`quire team join URL` links it)"),
            }
            if st.linked {
                outln!("last sync: {}; pulled up to revision {}", st.last_sync_at.as_deref().unwrap_or("never"), st.last_pulled);
                if let Some(e) = &st.last_error {
                    outln!("the last sync failed: {e}");
                }
            }
            outln!("changes waiting to be pushed: {}", st.waiting);
            for r in &st.refused {
                outln!("  {}: {}", r.what, r.reason);
            }
            outln!("conflicting answers in the library: {} (`quire library list --conflicts`)", st.conflicts);
            if st.field_conflicts > 0 {
                outln!("edits where the team library's value was kept over yours: {} (see the entries' history)", st.field_conflicts);
            }
            if st.skipped > 0 {
                outln!("rows from the team library this library could not take: {}", st.skipped);
            }
            Ok(())
        }
        TeamCommand::Leave => {
            let mut lib = db.open()?;
            if sync::leave(&mut lib)? {
                outln!("this library is no longer linked to a team library; it keeps all its entries");
            } else {
                outln!("this library was not linked to a team library");
            }
            Ok(())
        }
    }
}

fn print_report(r: &sync::SyncReport, json: bool) -> Result<()> {
    if json {
        let s = serde_json::to_string_pretty(r).map_err(|e| quire::Error::invalid("cli.team.cannot_print_json", format!("cannot print JSON: {e}")))?;
        outln!("{s}");
    } else {
        outln!("synced with {} as {} ({})", r.server, r.login, r.role);
        if let Some(w) = &r.rewound {
            outln!(
                "warning: the team library was behind this library (its newest change is revision {}, this library had seen {}): it was restored from an older backup or lost changes in a crash; {} change(s) this library had sent were sent again",
                w.to, w.from, w.resent
            );
        }
        outln!("pulled {} change(s), pushed {}; at revision {}", r.pulled, r.pushed, r.last_pulled);
        for c in &r.conflicts {
            outln!("  CONFLICT: {:?}: {}", c.question.chars().take(80).collect::<String>(), c.detail);
        }
        for x in &r.refused {
            outln!("  REFUSED: {}: {}", x.what, x.reason);
        }
        for x in &r.skipped {
            outln!("  NOT TAKEN from the server: {} {}: {}", x.table, x.id, x.reason);
        }
        if r.waiting > 0 {
            outln!("{} change(s) still waiting (`quire team status`)", r.waiting);
        }
    }
    if r.refused.is_empty() {
        Ok(())
    } else {
        Err(quire::Error::invalid("cli.team.team_library_refused_change", format!("the team library refused {} change(s); they stay waiting here (see above)", r.refused.len())))
    }
}

pub(crate) fn open(target: &str) -> Result<(ConnInfo, postgres::Client)> {
    let mut info = team::resolve(target, &ProcessEnvironment)?;
    for w in &info.warnings {
        errln!("warning: {w}");
    }
    if !info.verifies_server() {
        errln!(
            "warning: the server's certificate is not verified (sslmode=require without a root certificate); anyone on the network path could pose as the server. Use sslmode=verify-full&sslrootcert=FILE"
        );
    }
    let client = team::connect_prompting(&mut info, &mut |i| {
        if !std::io::stdin().is_terminal() {
            return None;
        }
        rpassword::prompt_password(format!("Password for {}: ", i.server())).ok().map(zeroize::Zeroizing::new)
    })?;
    Ok((info, client))
}

fn init(target: &str, admins: &[String], json: bool) -> Result<()> {
    let (info, mut client) = open(target)?;
    let server = info.server();
    let report = team::init(&mut client, &server)?;
    for login in admins {
        team::set_person(&mut client, &server, login, "admin", None)?;
    }
    if json {
        let s = serde_json::to_string_pretty(&report).map_err(|e| quire::Error::invalid("cli.team.cannot_print_json", format!("cannot print JSON: {e}")))?;
        outln!("{s}");
        return Ok(());
    }
    outln!("team library {server} (PostgreSQL {})", report.server_version);
    if report.applied.is_empty() {
        outln!("already up to date: schema version {}", report.schema_version);
    } else {
        for (v, name) in &report.applied {
            outln!("  applied {v:03}_{name}");
        }
        outln!("schema version {} ({} migrations applied now, {} already there)", report.schema_version, report.applied.len(), report.already);
    }
    for login in admins {
        outln!("  {login} is a Quire admin");
    }
    Ok(())
}
