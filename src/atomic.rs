//! Writes that a user cannot lose half of: the content goes to a temporary file in the target's
//! folder and is renamed over the target only when complete. The input of an operation is never
//! the output.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::Path;

/// Writes `target` atomically with what `fill` writes into the temporary file's path.
pub fn write_atomically(target: &Path, fill: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(Error::invalid("atomic.cannot_write_folder_does", format!("cannot write {}: the folder {} does not exist", target.display(), dir.display())));
    }
    remove_stale_parts(dir);
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".quire-{}-", std::process::id()))
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(|e| Error::write(target, e))?;
    // A writer that is a database (backups) leaves side files beside the temporary file
    // (`-journal`, `-wal`, `-shm`); they go with it, whatever happens.
    let _sides = SideFiles(tmp.path().to_path_buf());
    fill(tmp.path())?;
    // On disk before the rename, so a power cut cannot leave a renamed but empty file.
    std::fs::File::open(tmp.path()).and_then(|f| f.sync_all()).map_err(|e| Error::write(target, e))?;
    tmp.persist(target).map_err(|e| Error::write(target, e.error))?;
    Ok(())
}

/// Side files a database writes beside its file.
const SIDE_SUFFIXES: [&str; 3] = ["-journal", "-wal", "-shm"];

/// Removes a temporary file's database side files when dropped.
struct SideFiles(std::path::PathBuf);

impl Drop for SideFiles {
    fn drop(&mut self) {
        for side in SIDE_SUFFIXES {
            let mut name = self.0.clone().into_os_string();
            name.push(side);
            let _ = std::fs::remove_file(name);
        }
    }
}

/// Removes `.quire-<pid>-*.part` files left by a Quire process that was killed mid-write (its
/// pid no longer runs), so an interrupted write leaves nothing behind once Quire writes there
/// again. Where processes cannot be checked, parts older than a day are removed.
fn remove_stale_parts(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let is_part = name.ends_with(".part") || SIDE_SUFFIXES.iter().any(|s| name.ends_with(&format!(".part{s}")));
        let Some(rest) = name.strip_prefix(".quire-").filter(|_| is_part) else { continue };
        let pid: Option<u32> = rest.split('-').next().and_then(|p| p.parse().ok());
        let dead = match pid {
            Some(pid) if cfg!(target_os = "linux") => pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists(),
            _ => e.metadata().and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok()).is_some_and(|age| age.as_secs() > 86_400),
        };
        if dead {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Writes bytes atomically.
pub fn write_bytes(target: &Path, bytes: &[u8]) -> Result<()> {
    write_atomically(target, |tmp| {
        let mut f = std::fs::File::create(tmp).map_err(|e| Error::write(target, e))?;
        f.write_all(bytes).map_err(|e| Error::write(target, e))?;
        f.sync_all().map_err(|e| Error::write(target, e))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_leaves_no_file_and_keeps_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        std::fs::write(&target, "old").unwrap();
        let r = write_atomically(&target, |_| Err(Error::invalid("atomic.boom", "boom")));
        assert!(r.is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().filter_map(|e| e.ok()).filter(|e| e.file_name().to_string_lossy().ends_with(".part")).collect();
        assert!(leftovers.is_empty());
        write_bytes(&target, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
    }

    #[test]
    fn a_failed_database_write_leaves_no_side_file() {
        // Issue 14: a full disk during `library backup` left `.part-journal` behind for good.
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("backup.sqlite");
        let r = write_atomically(&target, |tmp| {
            let mut journal = tmp.to_path_buf().into_os_string();
            journal.push("-journal");
            std::fs::write(journal, b"half a journal").unwrap();
            Err(Error::invalid("atomic.disk_full", "disk full"))
        });
        assert!(r.is_err());
        let left: Vec<String> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        assert!(left.is_empty(), "{left:?}");
        // One left by a process that was killed (its pid is gone) is removed by the next write.
        let stale = dir.path().join(".quire-4194303-abc.part-journal");
        std::fs::write(&stale, b"x").unwrap();
        write_bytes(&target, b"new").unwrap();
        assert!(!stale.exists());
    }
}
