//! Who may use a library file at the same time. Every `Library` holds a shared lock on
//! `<library>.lock` while it is open; the operations that replace the file (encrypt, decrypt,
//! rekey, restore) take it exclusively, so they refuse to run while the app or another `quire`
//! command has the library open, instead of swapping the file under it. A separate lock file is
//! used, not the database itself, because SQLite's own byte-range locks on the database must not
//! be disturbed (on Windows a whole-file lock would conflict with them).

use crate::error::{Error, Result};
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

/// Held for as long as the library is in use; released when dropped.
#[derive(Debug)]
pub(crate) struct LibraryLock {
    _file: File,
}

fn lock_path(library: &Path) -> PathBuf {
    let mut name = library.file_name().map(|n| n.to_os_string()).unwrap_or_else(|| "library".into());
    name.push(".lock");
    library.with_file_name(name)
}

/// How long a lock is tried for before the library is reported busy. A lock can look taken for
/// a moment after its holder let it go: a process that forked (to start any program) between
/// the holder's open and its release keeps the descriptor, and so the lock, until the child
/// starts its program.
const PATIENCE: std::time::Duration = std::time::Duration::from_millis(600);

/// Tries `take` until it succeeds, fails for another reason, or `PATIENCE` has passed.
fn with_patience(file: &File, take: impl Fn(&File) -> std::result::Result<(), TryLockError>) -> std::result::Result<(), TryLockError> {
    let started = std::time::Instant::now();
    loop {
        match take(file) {
            Err(TryLockError::WouldBlock) if started.elapsed() < PATIENCE => std::thread::sleep(std::time::Duration::from_millis(25)),
            other => return other,
        }
    }
}

fn open(library: &Path) -> Result<File> {
    let path = lock_path(library);
    OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(|e| Error::write(&path, e))
}

impl LibraryLock {
    /// For everyday use: any number of readers and writers (SQLite orders their writes).
    pub(crate) fn shared(library: &Path) -> Result<LibraryLock> {
        let file = open(library)?;
        match with_patience(&file, File::try_lock_shared) {
            Ok(()) => Ok(LibraryLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(Error::Library {
                path: library.display().to_string(),
                detail: "another Quire process is encrypting, decrypting or restoring it right now; try again when that has finished".into(),
            }),
            Err(TryLockError::Error(e)) => Err(Error::io(&lock_path(library), e)),
        }
    }

    /// For replacing the file: nobody else may have it open.
    pub(crate) fn exclusive(library: &Path) -> Result<LibraryLock> {
        let file = open(library)?;
        match with_patience(&file, File::try_lock) {
            Ok(()) => Ok(LibraryLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(Error::Library {
                path: library.display().to_string(),
                detail: "it is open in the Quire app or another quire command; close that first, then try again (nothing was changed)".into(),
            }),
            Err(TryLockError::Error(e)) => Err(Error::io(&lock_path(library), e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exclusive_waits_for_every_shared_holder() {
        let dir = tempfile::tempdir().expect("dir");
        let lib = dir.path().join("library.sqlite");
        let a = LibraryLock::shared(&lib).expect("shared");
        let b = LibraryLock::shared(&lib).expect("two readers");
        let refused = LibraryLock::exclusive(&lib).expect_err("busy");
        assert!(refused.to_string().contains("close that first"), "{refused}");
        drop((a, b));
        let x = LibraryLock::exclusive(&lib).expect("free now");
        assert!(LibraryLock::shared(&lib).expect_err("being replaced").to_string().contains("try again"));
        drop(x);
    }
}
