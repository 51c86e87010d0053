//! `quire team …`: the team library on the organisation's PostgreSQL. Parsing and printing
//! only; the schema, roles and connection are in the core (`quire::team`).

use clap::Subcommand;
use quire::team::{self, ConnInfo, ProcessEnvironment};
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
}

pub fn run(cmd: TeamCommand) -> Result<()> {
    match cmd {
        TeamCommand::Init { target, admin, json } => init(&target, &admin, json),
    }
}

fn open(target: &str) -> Result<(ConnInfo, postgres::Client)> {
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
        let s = serde_json::to_string_pretty(&report).map_err(|e| quire::Error::Invalid(format!("cannot print JSON: {e}")))?;
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
