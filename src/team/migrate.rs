//! `quire team init`: creates or upgrades the team library's schema on a PostgreSQL server by
//! applying the numbered SQL files in src/team/migrations/ that the server does not have yet,
//! each in its own transaction, recorded with its checksum in `quire.migrations`. Running it
//! again changes nothing; two administrators running it at once wait for each other (an
//! advisory lock). It refuses servers older than PostgreSQL 14 and databases not in UTF-8.

use super::connect::query_error;
use crate::{Error, Result};
use postgres::Client;
use sha2::{Digest, Sha256};

/// The oldest server the schema is written for.
pub const MIN_SERVER_VERSION: u32 = 140000;

/// One migration: its number, name and SQL.
pub struct Migration {
    pub version: i32,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every migration, in order. A file, once released, is never edited: a change is a new file.
pub const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "roles_schema", sql: include_str!("migrations/001_roles_schema.sql") },
    Migration { version: 2, name: "sync_core", sql: include_str!("migrations/002_sync_core.sql") },
    Migration { version: 3, name: "library", sql: include_str!("migrations/003_library.sql") },
    Migration { version: 4, name: "reviews", sql: include_str!("migrations/004_reviews.sql") },
    Migration { version: 5, name: "vendors", sql: include_str!("migrations/005_vendors.sql") },
    Migration { version: 6, name: "admin", sql: include_str!("migrations/006_admin.sql") },
    Migration { version: 7, name: "security", sql: include_str!("migrations/007_security.sql") },
    Migration { version: 8, name: "sync", sql: include_str!("migrations/008_sync.sql") },
];

/// The schema version this build of Quire expects.
pub fn schema_version() -> i32 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// What `init` did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct InitReport {
    /// The server's version, as it names itself (e.g. "15.18 (Debian 15.18-0+deb12u1)").
    pub server_version: String,
    /// Migrations applied now: (version, name).
    pub applied: Vec<(i32, String)>,
    /// Migrations the server already had.
    pub already: usize,
    pub schema_version: i32,
}

/// Parses `server_version_num` (e.g. "150018" → 150018).
pub fn parse_version_num(s: &str) -> Option<u32> {
    s.trim().parse::<u32>().ok().filter(|n| *n >= 10000)
}

/// Refuses a server older than PostgreSQL 14, naming the version found.
pub fn check_version(version_num: u32, version_text: &str) -> std::result::Result<(), String> {
    if version_num < MIN_SERVER_VERSION {
        let major = if version_num >= 100000 { format!("{}", version_num / 10000) } else { format!("{}.{}", version_num / 10000, version_num / 100 % 100) };
        return Err(format!(
            "the server runs PostgreSQL {major} ({version_text}); the team library needs PostgreSQL 14 or newer: ask the database administrator to upgrade it, or use a newer server"
        ));
    }
    Ok(())
}

fn checksum(sql: &str) -> String {
    Sha256::digest(sql.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// An arbitrary constant: the advisory lock two `quire team init` runs share.
const INIT_LOCK: i64 = 0x7175_6972_655f_696e; // "quire_in"

/// Creates or upgrades the schema. `server` names the server in messages.
pub fn init(client: &mut Client, server: &str) -> Result<InitReport> {
    let fail = |detail: String| Error::Team { server: server.to_string(), detail };
    let row = client
        .query_one("SELECT current_setting('server_version_num'), current_setting('server_version'), pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()", &[])
        .map_err(|e| query_error(server, "cannot read the server's version", &e))?;
    let (num, text, encoding): (String, String, String) = (row.get(0), row.get(1), row.get(2));
    let version = parse_version_num(&num).ok_or_else(|| fail(format!("the server reports an unreadable version \"{num}\"")))?;
    check_version(version, &text).map_err(fail)?;
    if encoding != "UTF8" {
        return Err(fail(format!(
            "the database's encoding is {encoding}; the team library needs a UTF8 database: create one with createdb -E UTF8 -T template0"
        )));
    }

    let mut report = InitReport { server_version: text, applied: Vec::new(), already: 0, schema_version: schema_version() };
    for m in MIGRATIONS {
        let mut tx = client.transaction().map_err(|e| query_error(server, "cannot start a transaction", &e))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&INIT_LOCK]).map_err(|e| query_error(server, "cannot take the init lock", &e))?;
        let has_table: bool = tx
            .query_one("SELECT to_regclass('quire.migrations') IS NOT NULL", &[])
            .map_err(|e| query_error(server, "cannot read the schema", &e))?
            .get(0);
        if !has_table && m.version == 1 {
            let schema_exists: bool = tx
                .query_one("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'quire')", &[])
                .map_err(|e| query_error(server, "cannot read the schema", &e))?
                .get(0);
            if schema_exists {
                return Err(fail(
                    "the database already has a schema named \"quire\" that Quire did not make (it has no quire.migrations table); use another database, or drop that schema".into(),
                ));
            }
        }
        let applied = if has_table {
            tx.query_opt("SELECT checksum FROM quire.migrations WHERE version = $1", &[&m.version])
                .map_err(|e| query_error(server, "cannot read quire.migrations", &e))?
                .map(|r| r.get::<_, String>(0))
        } else {
            None
        };
        let sum = checksum(m.sql);
        match applied {
            Some(existing) if existing == sum => {
                report.already += 1;
                continue;
            }
            Some(_) => {
                return Err(fail(format!(
                    "migration {:03}_{} on the server differs from this version of Quire's; the schema was made by another build: use the Quire version that made it",
                    m.version, m.name
                )))
            }
            None => {}
        }
        tx.batch_execute(m.sql).map_err(|e| query_error(server, &format!("migration {:03}_{} failed (nothing of it was applied)", m.version, m.name), &e))?;
        tx.batch_execute("RESET ROLE").map_err(|e| query_error(server, "cannot reset the role", &e))?;
        tx.execute("INSERT INTO quire.migrations(version, name, checksum) VALUES ($1, $2, $3)", &[&m.version, &m.name, &sum])
            .map_err(|e| query_error(server, "cannot record the migration", &e))?;
        tx.commit().map_err(|e| query_error(server, &format!("migration {:03}_{} could not be committed", m.version, m.name), &e))?;
        report.applied.push((m.version, m.name.to_string()));
    }
    // A server whose schema is newer than this Quire knows (a colleague upgraded first).
    let newest: Option<i32> = client
        .query_one("SELECT max(version) FROM quire.migrations", &[])
        .map_err(|e| query_error(server, "cannot read quire.migrations", &e))?
        .get(0);
    if let Some(n) = newest.filter(|n| *n > schema_version()) {
        return Err(fail(format!("the team library's schema is version {n}, newer than this Quire knows ({}); upgrade Quire", schema_version())));
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_numbers() {
        assert_eq!(parse_version_num("150018"), Some(150018));
        assert_eq!(parse_version_num(" 140000\n"), Some(140000));
        assert_eq!(parse_version_num("90624"), Some(90624));
        assert_eq!(parse_version_num("15.4"), None);
        assert_eq!(parse_version_num(""), None);
        assert_eq!(parse_version_num("42"), None);
    }

    #[test]
    fn servers_older_than_14_are_refused_by_name() {
        assert!(check_version(140000, "14.0").is_ok());
        assert!(check_version(170002, "17.2").is_ok());
        let e = check_version(130011, "13.11 (Debian 13.11-0+deb11u1)").unwrap_err();
        assert!(e.contains("PostgreSQL 13 (13.11 (Debian") && e.contains("14 or newer"), "{e}");
        let e = check_version(90624, "9.6.24").unwrap_err();
        assert!(e.contains("PostgreSQL 9.6 (9.6.24)"), "{e}");
    }

    #[test]
    fn migrations_are_numbered_in_order_and_named_after_their_files() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i32 + 1);
            assert!(!m.sql.trim().is_empty());
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/team/migrations");
        let mut files: Vec<String> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        files.sort();
        let expected: Vec<String> = MIGRATIONS.iter().map(|m| format!("{:03}_{}.sql", m.version, m.name)).collect();
        assert_eq!(files, expected, "every migration file is listed in MIGRATIONS, and only those");
        assert_eq!(schema_version(), MIGRATIONS.len() as i32);
    }

    #[test]
    fn every_migration_after_the_first_runs_as_the_owner() {
        for m in &MIGRATIONS[1..] {
            let first_statement = m.sql.lines().find(|l| !l.trim().is_empty() && !l.trim_start().starts_with("--")).unwrap_or("");
            assert_eq!(first_statement.trim(), "SET LOCAL ROLE quire_owner;", "migration {} must create its objects as quire_owner", m.version);
        }
    }
}
