//! Backups of the library file: a consistent copy taken with SQLite's online backup API (safe
//! while the app has the library open), rolling automatic backups before imports, and restore,
//! which checks the backup first and keeps the current library until the restored one is in
//! place. Evidence and questionnaire copies live beside the library as content-addressed files
//! that are only added, so a restored library finds them where they were.

use super::crypt::{connect, Passphrase};
use super::lock::LibraryLock;
use super::{lib_err, Library, MIGRATIONS};
use crate::error::{Error, Result};
use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Automatic backups kept (the oldest beyond this are deleted).
pub const ROLLING_BACKUPS: usize = 5;

#[derive(Debug, Clone, Serialize)]
pub struct BackupReport {
    pub file: PathBuf,
    pub bytes: u64,
    pub entries: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RestoreReport {
    pub library: PathBuf,
    /// Where the library that was replaced was kept.
    pub previous: Option<PathBuf>,
    pub entries: usize,
    pub schema_version: usize,
}

/// Copies a database page by page; an encrypted one is copied encrypted with the same
/// passphrase (SQLCipher's backup API needs both sides keyed alike).
fn copy_database(from: &Connection, to: &Path, key: Option<&Passphrase>) -> Result<()> {
    let mut dst = connect(to, OpenFlags::default(), key)?;
    let backup = Backup::new(from, &mut dst).map_err(|e| lib_err(Some(to), e))?;
    backup.run_to_completion(256, Duration::from_millis(5), None).map_err(|e| lib_err(Some(to), e))?;
    Ok(())
}

/// The newest rolling backup beside a library (`<folder>/backups/library-<time>-….sqlite`) and
/// when it was made, for messages that tell a person what to restore.
pub(crate) fn newest_backup(library: &Path) -> Option<(PathBuf, String)> {
    let dir = library.parent()?.join("backups");
    let newest = std::fs::read_dir(&dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("library-")) && p.extension().is_some_and(|x| x == "sqlite"))
        .max()?;
    let stamp = newest.file_name()?.to_string_lossy().get(8..23)?.to_string();
    // "20261124-131502" → "2026-11-24 13:15:02 UTC"
    let when = if stamp.len() == 15 && stamp.as_bytes()[8] == b'-' {
        format!("{}-{}-{} {}:{}:{} UTC", &stamp[0..4], &stamp[4..6], &stamp[6..8], &stamp[9..11], &stamp[11..13], &stamp[13..15])
    } else {
        stamp
    };
    Some((newest, when))
}

/// "20261124-131502-123" (UTC, milliseconds): sorts in time order.
fn timestamp() -> String {
    let t = time::OffsetDateTime::now_utc();
    format!("{:04}{:02}{:02}-{:02}{:02}{:02}-{:03}", t.year(), t.month() as u8, t.day(), t.hour(), t.minute(), t.second(), t.millisecond())
}

impl Library {
    /// Writes a consistent copy of the library to `target` (atomically: a failed backup leaves
    /// no file behind, and never a half-written one).
    pub fn backup_to(&self, target: &Path) -> Result<BackupReport> {
        if self.path.as_deref().is_some_and(|p| std::fs::canonicalize(p).ok() == std::fs::canonicalize(target).ok()) {
            return Err(Error::invalid("library.backup.backup_go_another_file", "the backup must go to another file than the library itself"));
        }
        crate::atomic::write_atomically(target, |tmp| {
            // The temporary file exists (empty); SQLite writes a database into it.
            copy_database(&self.conn, tmp, self.key.as_ref())?;
            let check: String = connect(tmp, OpenFlags::default(), self.key.as_ref())?.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(|e| lib_err(Some(tmp), e))?;
            if check != "ok" {
                return Err(Error::invalid("library.backup.backup_copy_failed_integrity", format!("the backup copy failed its integrity check ({check}); nothing was written")));
            }
            Ok(())
        })?;
        let bytes = std::fs::metadata(target).map(|m| m.len()).unwrap_or(0);
        Ok(BackupReport { file: target.to_path_buf(), bytes, entries: self.entry_count()? })
    }

    /// A backup in `<library folder>/backups/`, keeping the newest `ROLLING_BACKUPS`.
    pub fn rolling_backup(&self, reason: &str) -> Result<Option<BackupReport>> {
        if self.path.is_none() {
            return Ok(None); // in memory
        }
        // A damaged library is not backed up (its copy would fail its check anyway, and must not
        // push a good backup out of the rolling five): the error names the newest good one.
        self.ensure_sound()?;
        let dir = self.folder().unwrap_or_else(|| PathBuf::from(".")).join("backups");
        std::fs::create_dir_all(&dir).map_err(|e| Error::write(&dir, e))?;
        let name = format!("library-{}-{}.sqlite", timestamp(), reason.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect::<String>());
        let report = self.backup_to(&dir.join(name))?;
        let mut old: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| Error::io(&dir, e))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("library-")) && p.extension().is_some_and(|x| x == "sqlite"))
            .collect();
        old.sort();
        while old.len() > ROLLING_BACKUPS {
            let _ = std::fs::remove_file(old.remove(0));
        }
        Ok(Some(report))
    }

    /// Replaces the library at `library` with the backup at `backup`. The backup is checked
    /// first (a SQLite file, intact, a Quire library of a schema this Quire knows); it is copied
    /// next to the library and brought up to date; only then is the current library moved aside
    /// (kept as `<name>.before-restore-<time>.sqlite`) and the copy put in its place. Run it with
    /// the library closed (the CLI; the app offers no restore while it has the library open).
    ///
    /// An encrypted backup needs its passphrase (the one the library had when the backup was
    /// made); the restored library keeps it.
    pub fn restore(library: &Path, backup: &Path, passphrase: Option<&Passphrase>) -> Result<RestoreReport> {
        let library = &super::absolute(library)?;
        let _lock = LibraryLock::exclusive(library)?;
        let bad = |detail: String| Error::Library { path: backup.display().to_string(), detail };
        let encrypted = super::crypt::is_encrypted(backup)?;
        let key = match (encrypted, passphrase) {
            (true, None) => return Err(Error::Locked { path: backup.display().to_string() }),
            (true, Some(k)) => Some(k),
            (false, _) => None,
        };
        let src = connect(backup, OpenFlags::SQLITE_OPEN_READ_ONLY, key).map_err(|e| match e {
            Error::WrongPassphrase { .. } => e,
            other => bad(format!("cannot open it: {other}")),
        })?;
        let check: String = src.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(|e| bad(format!("it is not a SQLite database ({e})")))?;
        if check != "ok" {
            return Err(bad(format!("it fails SQLite's integrity check ({check}); choose another backup")));
        }
        let version: i64 = src.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| bad(e.to_string()))?;
        let has_entries: bool = src
            .query_row("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'entries')", [], |r| r.get(0))
            .map_err(|e| bad(e.to_string()))?;
        if version < 1 || !has_entries {
            return Err(bad("it is not a Quire library backup".into()));
        }
        if version as usize > MIGRATIONS.len() {
            return Err(bad(format!("it was written by a newer Quire (schema {version}, this one knows {}); update Quire first", MIGRATIONS.len())));
        }
        let dir = library.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
        let staging = dir.join(format!(".restore-{}.sqlite", std::process::id()));
        let _ = std::fs::remove_file(&staging);
        let result = (|| {
            copy_database(&src, &staging, key)?;
            drop(src);
            // Brings an older schema up to date, and proves the copy opens as a library.
            let restored = Library::open_locked(&staging, key)?;
            if restored.integrity_check()? != "ok" {
                return Err(Error::invalid("library.backup.restored_copy_failed_integrity", "the restored copy failed its integrity check; the current library was not touched"));
            }
            let entries = restored.entry_count()?;
            let schema_version = restored.schema_version()?;
            restored.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;").map_err(|e| lib_err(Some(&staging), e))?;
            drop(restored);
            Ok((entries, schema_version))
        })();
        let (entries, schema_version) = match result {
            Ok(x) => x,
            Err(e) => {
                let _ = std::fs::remove_file(&staging);
                return Err(e);
            }
        };
        let previous = if library.exists() {
            // Fold the current library's write-ahead log into it, so it moves aside whole.
            // (An encrypted library's log cannot be read without its key; it is kept beside the
            // set-aside file instead, so nothing is lost either way.)
            let current = Connection::open(library).map_err(|e| lib_err(Some(library), e))?;
            let folded = current.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").is_ok();
            drop(current);
            let stem = library.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "library".into());
            let aside = dir.join(format!("{stem}.before-restore-{}.sqlite", timestamp()));
            std::fs::rename(library, &aside).map_err(|e| Error::write(&aside, e))?;
            for ext in ["-wal", "-shm"] {
                let side = PathBuf::from(format!("{}{ext}", library.display()));
                if !folded && ext == "-wal" && side.is_file() {
                    let _ = std::fs::rename(&side, format!("{}{ext}", aside.display()));
                }
                let _ = std::fs::remove_file(side);
            }
            Some(aside)
        } else {
            None
        };
        std::fs::rename(&staging, library).map_err(|e| Error::write(library, e))?;
        Ok(RestoreReport { library: library.to_path_buf(), previous, entries, schema_version })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seeded(dir: &Path) -> Library {
        let mut lib = Library::open(&dir.join("library.sqlite")).expect("open");
        std::fs::create_dir_all(dir.join("demo")).expect("folder");
        let samples = crate::samples::write_samples(&dir.join("demo")).expect("samples");
        let answered = crate::sheet::read_questionnaire(&samples[0]).expect("read");
        lib.import(&answered, &["demo".to_string()]).expect("import");
        lib
    }

    #[test]
    fn backup_and_restore_round_trip_and_keep_the_old_library() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut lib = seeded(dir.path());
        let n = lib.entry_count().expect("count");
        let backup = dir.path().join("backup.sqlite");
        let r = lib.backup_to(&backup).expect("backup");
        assert_eq!(r.entries, n);
        // A change after the backup is undone by the restore.
        let id = lib.recent(1).expect("recent")[0].id;
        lib.delete(id).expect("delete");
        drop(lib);
        let path = dir.path().join("library.sqlite");
        let restored = Library::restore(&path, &backup, None).expect("restore");
        assert_eq!(restored.entries, n);
        let previous = restored.previous.expect("old library kept");
        assert_eq!(Library::open(&previous).expect("old").entry_count().expect("count"), n - 1);
        let lib = Library::open(&path).expect("reopen");
        assert_eq!(lib.entry_count().expect("count"), n);
        assert_eq!(lib.integrity_check().expect("check"), "ok");
    }

    #[test]
    fn a_bad_backup_leaves_the_library_alone() {
        let dir = tempfile::tempdir().expect("tempdir");
        let lib = seeded(dir.path());
        let n = lib.entry_count().expect("count");
        drop(lib);
        let path = dir.path().join("library.sqlite");
        let junk = dir.path().join("junk.sqlite");
        std::fs::write(&junk, b"this is not a database at all, just text").expect("write");
        let e = Library::restore(&path, &junk, None).expect_err("junk");
        assert!(e.to_string().contains("not a SQLite database") || e.to_string().contains("cannot open"), "{e}");
        let other = dir.path().join("other.sqlite");
        Connection::open(&other).and_then(|c| c.execute_batch("CREATE TABLE t(x); PRAGMA user_version = 1;")).expect("other db");
        let e = Library::restore(&path, &other, None).expect_err("not quire");
        assert!(e.to_string().contains("not a Quire library"), "{e}");
        assert_eq!(Library::open(&path).expect("open").entry_count().expect("count"), n);
        assert!(std::fs::read_dir(dir.path()).expect("ls").flatten().all(|e| !e.file_name().to_string_lossy().starts_with(".restore-")));
    }

    #[test]
    fn rolling_backups_keep_the_newest() {
        let dir = tempfile::tempdir().expect("tempdir");
        let lib = seeded(dir.path());
        for i in 0..(ROLLING_BACKUPS + 2) {
            lib.rolling_backup(&format!("import{i}")).expect("backup").expect("a file library");
            std::thread::sleep(Duration::from_millis(3));
        }
        let n = std::fs::read_dir(dir.path().join("backups")).expect("ls").count();
        assert_eq!(n, ROLLING_BACKUPS);
        assert!(lib.backup_to(&dir.path().join("library.sqlite")).is_err(), "not over itself");
    }
}
