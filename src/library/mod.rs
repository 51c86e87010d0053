//! The answer library: one SQLite file (WAL, foreign keys on) holding past answers, where each
//! came from, its edit history and review dates, and an FTS5 index over the questions.
//! `Library::open` runs the numbered migrations in `migrations/`; tests use `in_memory`.

mod assignments;
mod audit;
mod backup;
mod corpus;
mod crypt;
mod embeddings;
mod entry;
mod evidence;
mod import;
mod lock;
mod reviews;
mod vendors;

pub use assignments::{Assignment, AssignmentFilter, AssignmentScope, Comment};
pub use audit::{chain_hash, open_plain, AuditRecord, AuditVerification};
pub use backup::{BackupReport, RestoreReport, ROLLING_BACKUPS};
pub use corpus::{CorpusEntry, CorpusSource};
pub use crypt::{is_encrypted, CryptReport, Passphrase, MIN_PASSPHRASE_CHARS};
pub use entry::{fts_query, Entry, ENTRY_STATUSES, EntryEdit, EntryFilter, HistoryItem, ProvenanceItem};
pub use evidence::{Evidence, EvidenceText, NewEvidence};
pub use import::{answer_key, question_key, ImportReport};
pub use reviews::{ReviewItem, ReviewSession, ReviewSummary, SaveReport};
pub use vendors::{AssessmentSummary, FindingStatus, SavedAssessment, VendorSummary};

use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension};
use std::path::{Path, PathBuf};

/// Numbered migrations, applied in order; `PRAGMA user_version` records how many ran.
pub(crate) const MIGRATIONS: &[(&str, &str)] = &[
    ("001_init", include_str!("migrations/001_init.sql")),
    ("002_fts", include_str!("migrations/002_fts.sql")),
    ("003_evidence", include_str!("migrations/003_evidence.sql")),
    ("004_reviews", include_str!("migrations/004_reviews.sql")),
    ("005_suggest_cache", include_str!("migrations/005_suggest_cache.sql")),
    ("006_vendors", include_str!("migrations/006_vendors.sql")),
    ("007_audit", include_str!("migrations/007_audit.sql")),
    ("008_identity_anchor", include_str!("migrations/008_identity_anchor.sql")),
    ("009_embeddings", include_str!("migrations/009_embeddings.sql")),
    ("010_team_sync", include_str!("migrations/010_team_sync.sql")),
    ("011_team_register", include_str!("migrations/011_team_register.sql")),
    ("012_review_teamwork", include_str!("migrations/012_review_teamwork.sql")),
];

/// The SQLite header's application id of a Quire library (`PRAGMA application_id`), ASCII
/// "Quir". Set by migration 008; a file with another id belongs to another program.
pub const APPLICATION_ID: i32 = 0x5175_6972;

/// How long a write waits for another process's write to finish before giving up.
pub const WRITE_WAIT: std::time::Duration = std::time::Duration::from_secs(120);

/// Default months between an answer's reviews (a setting: `review_cadence_months`).
pub const DEFAULT_REVIEW_MONTHS: u32 = 12;

pub struct Library {
    conn: Connection,
    path: Option<PathBuf>,
    /// Who the audit log names (see `audit`).
    actor: std::sync::Arc<std::sync::RwLock<String>>,
    /// The passphrase of an encrypted library (backups are written with it).
    key: Option<Passphrase>,
    /// The key of the files an encrypted library keeps (see `crypt`).
    file_key: Option<crypt::FileKey>,
    /// Shared use of the file (see `lock`); `None` in memory or while a conversion holds it.
    _lock: Option<lock::LibraryLock>,
    /// The file passed its integrity check since it was opened (done once, before the first
    /// write: a damaged library is never written to).
    checked: std::cell::Cell<bool>,
    /// Told when a write has to wait for another process's write (see `write_tx`).
    on_wait: Option<WaitNotice>,
}

/// Called when a write waits for another writer: with how long it has waited so far.
pub type WaitNotice = std::sync::Arc<dyn Fn(std::time::Duration) + Send + Sync>;

impl Library {
    /// Opens (creating if needed) the library at `path` and brings its schema up to date. An
    /// encrypted library gives `Error::Locked`: open it with `open_with` and its passphrase.
    pub fn open(path: &Path) -> Result<Library> {
        Library::open_with(path, None)
    }

    /// Opens the library with its passphrase when it is encrypted (`Error::WrongPassphrase`
    /// when the passphrase does not open it; nothing is written then). A passphrase given for
    /// a plain library is not used: `encrypt` turns encryption on.
    ///
    /// The path is made absolute once, here: the library finds the files it keeps beside
    /// itself through it, whatever the working folder later is.
    pub fn open_with(path: &Path, passphrase: Option<&Passphrase>) -> Result<Library> {
        let path = &absolute(path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
        }
        let lock = lock::LibraryLock::shared(path)?;
        let mut lib = Library::open_locked(path, passphrase)?;
        lib._lock = Some(lock);
        Ok(lib)
    }

    /// Opens without taking the shared lock (the caller holds the exclusive one, or the file is
    /// a copy nobody else knows of). The file is identified read-only first: another program's
    /// database, or a library of a newer Quire, is refused before anything is written to it.
    fn open_locked(path: &Path, passphrase: Option<&Passphrase>) -> Result<Library> {
        let path = &absolute(path)?;
        let key = match (crypt::is_encrypted(path)?, passphrase) {
            (false, _) => None,
            (true, None) => return Err(Error::Locked { path: path.display().to_string() }),
            (true, Some(p)) => Some(p.clone()),
        };
        identify(path, key.as_ref())?;
        let conn = crypt::connect(path, rusqlite::OpenFlags::default(), key.as_ref())?;
        let mut lib = Library::with_connection(conn, Some(path.to_path_buf()));
        lib.key = key;
        lib.prepare()?;
        if lib.key.is_some() {
            lib.file_key = Some(crypt::FileKey::load_or_create(&lib, Some(path))?);
        }
        Ok(lib)
    }

    fn with_connection(conn: Connection, path: Option<PathBuf>) -> Library {
        Library { conn, path, actor: Default::default(), key: None, file_key: None, _lock: None, checked: std::cell::Cell::new(false), on_wait: None }
    }

    /// Who to tell when a write waits for another process (the CLI prints a line, the app
    /// shows it). Without one, writes wait silently.
    pub fn set_wait_notice(&mut self, notice: WaitNotice) {
        self.on_wait = Some(notice);
    }

    /// A library that lives in memory (tests, benchmarks).
    pub fn in_memory() -> Result<Library> {
        let conn = Connection::open_in_memory().map_err(|e| lib_err(None, e))?;
        let mut lib = Library::with_connection(conn, None);
        lib.prepare()?;
        Ok(lib)
    }

    /// The platform's data folder for Quire's library (e.g. `~/.local/share/quire/library.sqlite`).
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "quire").map(|d| d.data_dir().join("library.sqlite"))
    }

    /// The folder the library file sits in (evidence files and the user's thesaurus live there).
    pub fn folder(&self) -> Option<PathBuf> {
        self.path.as_ref().and_then(|p| p.parent()).filter(|d| !d.as_os_str().is_empty()).map(|d| d.to_path_buf())
    }

    pub fn path(&self) -> String {
        self.path.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| ":memory:".into())
    }

    fn prepare(&mut self) -> Result<()> {
        let path = self.path.clone();
        let err = |e| lib_err(path.as_deref(), e);
        // `identify` has vouched for the file; a damaged one still fails here, before writing.
        let journal: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| Error::Library {
                path: self.path(),
                detail: format!("cannot open it as an answer library ({e}); is it a Quire library file?"),
            })?;
        let _ = journal; // in-memory databases answer "memory"; both are fine
        self.conn.execute_batch("PRAGMA foreign_keys = ON;").map_err(err)?;
        self.conn.busy_timeout(BUSY_STEP).map_err(err)?;
        if let Ok(mut a) = self.actor.write() {
            *a = os_user();
        }
        audit::register(&self.conn, self.actor.clone()).map_err(err)?;
        let version: i64 = self.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(err)?;
        let version = version.max(0) as usize;
        if version > MIGRATIONS.len() {
            return Err(newer_schema(&self.path(), version));
        }
        for (i, (name, sql)) in MIGRATIONS.iter().enumerate().skip(version) {
            let tx = self.write_tx()?;
            tx.execute_batch(sql).map_err(|e| Error::Library { path: self.path(), detail: format!("migration {name} failed: {e}") })?;
            if *name == "008_identity_anchor" {
                audit::record_existing_rows(&tx).map_err(|e| Error::Library { path: self.path(), detail: format!("migration {name} failed: {e}") })?;
            }
            tx.pragma_update(None, "user_version", (i + 1) as i64).map_err(err)?;
            tx.commit().map_err(err)?;
        }
        Ok(())
    }

    /// Begins a write transaction. It is IMMEDIATE: the write lock is taken at BEGIN, so a
    /// second writer waits for the first (a deferred transaction that reads first and then
    /// writes gets "database is locked" at once instead: SQLite cannot wait for a lock it would
    /// have to upgrade). While it waits, `on_wait` hears about it every few seconds; after
    /// `WRITE_WAIT` it gives up with an error that says another process is writing.
    ///
    /// Before the first write after opening, the file's integrity is checked: a damaged library
    /// is never written to (the error names the newest backup).
    pub(crate) fn write_tx(&self) -> Result<rusqlite::Transaction<'_>> {
        self.ensure_sound()?;
        let started = std::time::Instant::now();
        loop {
            match rusqlite::Transaction::new_unchecked(&self.conn, rusqlite::TransactionBehavior::Immediate) {
                Ok(tx) => return Ok(tx),
                Err(e) if is_busy(&e) && started.elapsed() < WRITE_WAIT => {
                    if let Some(notice) = &self.on_wait {
                        notice(started.elapsed());
                    }
                }
                Err(e) if is_busy(&e) => {
                    return Err(Error::Library {
                        path: self.path(),
                        detail: format!(
                            "another Quire process has been writing to it for {} s and has not finished; nothing was written, try again when it is done",
                            started.elapsed().as_secs()
                        ),
                    })
                }
                Err(e) => return Err(self.err(e)),
            }
        }
    }

    /// Runs one write statement in its own write transaction (see `write_tx`).
    pub(crate) fn write_one<P: rusqlite::Params>(&self, sql: &str, params: P) -> Result<usize> {
        let tx = self.write_tx()?;
        let n = tx.execute(sql, params).map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))?;
        Ok(n)
    }

    /// Checks the file once per opening, before the first write (`PRAGMA quick_check`: every
    /// page and record readable and well-formed).
    pub(crate) fn ensure_sound(&self) -> Result<()> {
        if self.checked.get() || self.path.is_none() {
            return Ok(());
        }
        let problems: Vec<String> = (|| {
            let mut st = self.conn.prepare("PRAGMA quick_check(5)")?;
            let rows = st.query_map([], |r| r.get::<_, String>(0))?;
            rows.collect::<rusqlite::Result<Vec<String>>>()
        })()
        .unwrap_or_else(|e| vec![e.to_string()]);
        if problems.iter().any(|p| p != "ok") {
            return Err(self.damaged(&problems.join("; ")));
        }
        self.checked.set(true);
        Ok(())
    }

    /// The error for a library whose file is damaged: what SQLite found, and the newest backup.
    pub(crate) fn damaged(&self, found: &str) -> Error {
        damaged(self.path.as_deref(), found)
    }

    pub fn schema_version(&self) -> Result<usize> {
        let v: i64 = self.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| self.err(e))?;
        Ok(v.max(0) as usize)
    }

    /// The connection, for the core modules that read the library's tables themselves (the
    /// team sync). Writes still go through `write_tx`.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn err(&self, e: rusqlite::Error) -> Error {
        lib_err(self.path.as_deref(), e)
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        match key {
            "review_cadence_months" => {
                let n: u32 = value.parse().map_err(|_| Error::invalid("library.review_cadence_months_whole", format!("review_cadence_months must be a whole number of months, not {value:?}")))?;
                if n == 0 || n > 120 {
                    return Err(Error::invalid("library.review_cadence_months_between", "review_cadence_months must be between 1 and 120"));
                }
            }
            // When the demo library was first seeded (it is not seeded again once removed).
            "demo_seeded" => {
                crate::dates::parse_date(value)?;
            }
            // The last record of the linked team library's audit chain this library verified
            // (`team::audit::verify_linked`): ID:HASH:SERVER.
            "team_audit_anchor" => {
                let mut parts = value.splitn(3, ':');
                let ok = parts.next().is_some_and(|id| id.parse::<i64>().is_ok()) && parts.next().is_some_and(|h| h.len() == 64) && parts.next().is_some_and(|s| !s.is_empty());
                if !ok {
                    return Err(Error::invalid("library.team_audit_anchor", format!("{value:?} is not an audit anchor (ID:HASH:SERVER)")));
                }
            }
            other => return Err(Error::invalid("library.unknown_setting_known_review", format!("unknown setting {other:?}; known: review_cadence_months"))),
        }
        self.write_one("INSERT INTO settings(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])?;
        Ok(())
    }

    /// Months between reviews of an answer.
    pub fn review_cadence_months(&self) -> Result<u32> {
        Ok(self.setting("review_cadence_months")?.and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_REVIEW_MONTHS))
    }

    pub fn entry_count(&self) -> Result<usize> {
        let n: i64 = self.conn.query_row("SELECT COUNT(*) FROM entries", [], |r| r.get(0)).map_err(|e| self.err(e))?;
        Ok(n.max(0) as usize)
    }

    /// Copies a file the library keeps (evidence) to `<library folder>/<kind>/<sha256>.<ext>`,
    /// atomically; an in-memory library keeps the original path.
    pub(crate) fn store_copy(&self, kind: &str, file: &Path, sha: &str, bytes: &[u8]) -> Result<PathBuf> {
        let ext = file.extension().map(|e| format!(".{}", e.to_string_lossy().to_lowercase())).unwrap_or_default();
        self.write_copy(file, &Path::new(kind).join(format!("{sha}{ext}")), bytes)
    }

    /// Like `store_copy`, but keeps the file's own name: `<kind>/<sha256>/<name>`. Readers
    /// that name a sheet after its file (CSV, TSV, VSAQ) then read the copy exactly as the
    /// original.
    pub(crate) fn store_named_copy(&self, kind: &str, file: &Path, sha: &str, bytes: &[u8]) -> Result<PathBuf> {
        let name = file.file_name().map(|n| n.to_os_string()).unwrap_or_else(|| "questionnaire".into());
        self.write_copy(file, &Path::new(kind).join(sha).join(name), bytes)
    }

    /// Writes `bytes` to `relative` inside the library folder (the original path in memory).
    fn write_copy(&self, original: &Path, relative: &Path, bytes: &[u8]) -> Result<PathBuf> {
        if self.path.is_none() {
            return Ok(original.to_path_buf());
        }
        let target = self.folder().unwrap_or_else(|| PathBuf::from(".")).join(relative);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
        }
        match &self.file_key {
            Some(k) => crate::atomic::write_bytes(&target, &k.seal(bytes)?)?,
            None => crate::atomic::write_bytes(&target, bytes)?,
        }
        Ok(std::fs::canonicalize(&target).unwrap_or(target))
    }

    /// Where a file the library keeps is now. Recorded paths are absolute; a library folder that
    /// was moved, copied or restored elsewhere finds its files by their place inside the folder
    /// (`evidence/…`, `questionnaires/…`). Paths outside any library folder (an in-memory
    /// library keeps the user's original) are returned as they are.
    pub(crate) fn kept_path(&self, recorded: &Path) -> PathBuf {
        let Some(folder) = self.folder() else { return recorded.to_path_buf() };
        let folder = std::fs::canonicalize(&folder).unwrap_or(folder);
        if recorded.starts_with(&folder) || !is_kept_layout(recorded) {
            return recorded.to_path_buf();
        }
        let parts: Vec<_> = recorded.components().collect();
        for kind in ["evidence", "questionnaires"] {
            if let Some(i) = parts.iter().rposition(|c| c.as_os_str() == kind) {
                let rebased = folder.join(parts[i..].iter().collect::<PathBuf>());
                if rebased.is_file() {
                    return rebased;
                }
            }
        }
        recorded.to_path_buf()
    }

    /// Deletes a copy made by `store_copy`; a file outside the library's `<kind>` folder (a
    /// user's original, as in-memory libraries keep) is never touched.
    pub(crate) fn remove_copy(&self, kind: &str, stored: &Path) {
        if self.path.is_none() {
            return;
        }
        let stored = &self.kept_path(stored);
        let folder = self.folder().unwrap_or_else(|| PathBuf::from(".")).join(kind);
        if std::fs::canonicalize(folder).is_ok_and(|d| stored.starts_with(d)) {
            let _ = std::fs::remove_file(stored);
            // A named copy sits in its own <sha256> folder: remove it when empty.
            if let Some(parent) = stored.parent() {
                let _ = std::fs::remove_dir(parent);
            }
        }
    }

    /// Runs SQLite's own consistency check; "ok" when the file is sound.
    pub fn integrity_check(&self) -> Result<String> {
        self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(|e| self.err(e))
    }
}

/// True when a path looks like a copy a library keeps: `…/evidence/<sha256>.<ext>` or
/// `…/questionnaires/<sha256>/<name>`.
fn is_kept_layout(p: &Path) -> bool {
    let sha = |s: &std::ffi::OsStr| s.to_str().is_some_and(|s| s.len() >= 64 && s[..64].bytes().all(|b| b.is_ascii_hexdigit()));
    let parent = p.parent();
    let in_evidence = parent.and_then(|d| d.file_name()).is_some_and(|n| n == "evidence") && p.file_name().is_some_and(sha);
    let in_questionnaires = parent.and_then(|d| d.file_name()).is_some_and(sha) && parent.and_then(|d| d.parent()).and_then(|d| d.file_name()).is_some_and(|n| n == "questionnaires");
    in_evidence || in_questionnaires
}

/// How long one attempt to take the write lock waits (SQLite's busy timeout) before
/// `write_tx` tells `on_wait` and tries again.
const BUSY_STEP: std::time::Duration = std::time::Duration::from_millis(2_000);

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
}

/// A library path made absolute against the current folder (without resolving links, and for a
/// file that does not exist yet too), so that `folder()` is always the library's real folder.
pub(crate) fn absolute(path: &Path) -> Result<PathBuf> {
    if path.as_os_str().is_empty() {
        return Err(Error::invalid("library.library_path_empty_give", "the library path is empty; give a file name for the library"));
    }
    std::path::absolute(path).map_err(|e| Error::io(path, e))
}

fn newer_schema(path: &str, version: usize) -> Error {
    Error::Library { path: path.to_string(), detail: format!("it was written by a newer Quire (schema {version}, this one knows {}); update Quire. Nothing was changed", MIGRATIONS.len()) }
}

/// What a file at a library path is, found without writing to it.
fn identify(path: &Path, key: Option<&Passphrase>) -> Result<()> {
    match std::fs::metadata(path) {
        Ok(m) if m.len() > 0 => {}
        _ => return Ok(()), // a new library
    }
    let not_a_library = |detail: String| Error::Library { path: path.display().to_string(), detail };
    let conn = crypt::connect(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX, key)?;
    let read = || -> rusqlite::Result<(i32, i64, Vec<String>)> {
        let app: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let mut st = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?;
        let tables = st.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
        Ok((app, version, tables))
    };
    let (app, version, tables) = read().map_err(|e| match &e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::DatabaseCorrupt => damaged(Some(path), &e.to_string()),
        _ => not_a_library(format!("cannot open it as an answer library ({e}); is it a Quire library file? Nothing was changed")),
    })?;
    let quire_tables = ["entries", "provenance", "settings", "sources"];
    let looks_like_quire = quire_tables.iter().all(|t| tables.iter().any(|x| x == t));
    match app {
        APPLICATION_ID => {}
        // Libraries made before migration 008 carry no id: known by their tables.
        0 if tables.is_empty() || (looks_like_quire && version >= 1) => {}
        0 => {
            let shown: Vec<&str> = tables.iter().take(5).map(String::as_str).collect();
            return Err(not_a_library(format!(
                "it is a SQLite database of another program (tables {}{}), not a Quire answer library; nothing was changed. Choose another file for the library",
                shown.join(", "),
                if tables.len() > shown.len() { ", …" } else { "" }
            )));
        }
        other => {
            return Err(not_a_library(format!(
                "it is a SQLite database of another program (application id {other:#x}), not a Quire answer library; nothing was changed. Choose another file for the library"
            )))
        }
    }
    if version.max(0) as usize > MIGRATIONS.len() {
        return Err(newer_schema(&path.display().to_string(), version as usize));
    }
    Ok(())
}

/// The error for a library whose file is damaged: what SQLite found, and the newest backup.
pub(crate) fn damaged(path: Option<&Path>, found: &str) -> Error {
    let found: String = found.chars().take(300).collect();
    let backup = match path.and_then(backup::newest_backup) {
        Some((file, when)) => format!("restore it from the newest backup, {} (made {when})", file.display()),
        None => "no backup of it was found in its backups folder; restore a copy you kept elsewhere".to_string(),
    };
    Error::Library {
        path: path.map(|p| p.display().to_string()).unwrap_or_else(|| ":memory:".into()),
        detail: format!("the file is damaged ({found}); nothing was written to it. To go on, {backup}"),
    }
}

/// A SQLite error as the library's error; a damaged file (SQLITE_CORRUPT) says so and names
/// the newest backup, whatever read or write ran into it.
pub(crate) fn lib_err(path: Option<&Path>, e: rusqlite::Error) -> Error {
    if matches!(&e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::DatabaseCorrupt) {
        return damaged(path, &e.to_string());
    }
    Error::Library { path: path.map(|p| p.display().to_string()).unwrap_or_else(|| ":memory:".into()), detail: e.to_string() }
}

/// The person at the keyboard, as the operating system names them (recorded on every change).
pub fn os_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .or_else(account_name)
        .unwrap_or_else(|| "unknown user".into())
}

/// The login name of the process's user from the account database, for when the environment
/// does not say (programs started by other programs often get a bare environment).
#[cfg(unix)]
fn account_name() -> Option<String> {
    let mut buf = vec![0 as libc::c_char; 4096];
    // SAFETY: getpwuid_r writes into `pwd` and `buf` (of the length given) only; `result` is
    // null or points at `pwd`, whose name points into `buf`, alive for this whole function.
    unsafe {
        let mut pwd: libc::passwd = std::mem::zeroed();
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        let rc = libc::getpwuid_r(libc::getuid(), &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result);
        if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
            return None;
        }
        std::ffi::CStr::from_ptr(pwd.pw_name).to_str().ok().map(str::to_string).filter(|s| !s.is_empty())
    }
}

#[cfg(not(unix))]
fn account_name() -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_run_once_and_record_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lib.sqlite");
        let lib = Library::open(&path).unwrap();
        assert_eq!(lib.schema_version().unwrap(), MIGRATIONS.len());
        drop(lib);
        let lib = Library::open(&path).unwrap();
        assert_eq!(lib.schema_version().unwrap(), MIGRATIONS.len());
        let mode: String = lib.conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = lib.conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
        assert_eq!(fk, 1);
    }

    #[test]
    fn a_file_that_is_not_a_library_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.sqlite");
        std::fs::write(&path, "these are my notes, not a database ".repeat(200)).unwrap();
        let err = Library::open(&path).err().expect("must fail").to_string();
        assert!(err.contains("is it a Quire library file"), "{err}");
        assert!(std::fs::read_to_string(&path).unwrap().starts_with("these are my notes"));
    }

    #[test]
    fn settings_are_checked() {
        let lib = Library::in_memory().unwrap();
        assert_eq!(lib.review_cadence_months().unwrap(), 12);
        lib.set_setting("review_cadence_months", "6").unwrap();
        assert_eq!(lib.review_cadence_months().unwrap(), 6);
        assert!(lib.set_setting("review_cadence_months", "soon").is_err());
        assert!(lib.set_setting("colour", "blue").is_err());
    }
}
