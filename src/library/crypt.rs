//! Encryption at rest. An encrypted library is a SQLCipher database (AES-256 pages with an
//! HMAC-SHA512 per page; the key comes from the passphrase through PBKDF2-HMAC-SHA512 with
//! 256,000 iterations and a per-file salt: SQLCipher 4's defaults, not changed here). The files
//! the library keeps beside itself (evidence documents, copies of questionnaires under review)
//! are encrypted with `age` to an X25519 key that is stored inside the encrypted database, so
//! the passphrase protects both and changing it (rekey) does not touch the files.
//!
//! Turning encryption on, off or changing the passphrase rewrites the database into a new file
//! with `sqlcipher_export`, checks the new file (opens with the new key, integrity check, same
//! rows, audit chain still intact) and only then renames it over the old one, so a wrong
//! passphrase, a full disk or a crash leaves the old library as it was. Files are encrypted
//! after the database (decrypted before it), and a file's own header says whether it is
//! encrypted, so an interruption between the two steps leaves every file readable and running
//! the command again finishes it. Rolling backups are converted the same way.
//!
//! Not covered, and said so in docs/robustness.md: the old plain file is deleted, not wiped
//! (on SSDs no program can promise a wipe); a passphrase that is lost cannot be recovered.

use super::lock::LibraryLock;
use super::{lib_err, Library};
use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::Serialize;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use zeroize::Zeroizing;

/// A passphrase, wiped from memory when dropped and never printed.
#[derive(Clone)]
pub struct Passphrase(Zeroizing<String>);

/// Shortest passphrase accepted when encrypting or rekeying.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

impl Passphrase {
    /// A passphrase to open a library with (any non-empty text).
    pub fn new(text: impl Into<String>) -> Result<Passphrase> {
        let text = Zeroizing::new(text.into());
        if text.is_empty() {
            return Err(Error::invalid("library.crypt.passphrase_empty_type_library", "the passphrase is empty; type the library's passphrase"));
        }
        Ok(Passphrase(text))
    }

    /// A passphrase to encrypt with: at least `MIN_PASSPHRASE_CHARS` characters, not only spaces.
    pub fn new_for_encryption(text: impl Into<String>) -> Result<Passphrase> {
        let p = Passphrase::new(text)?;
        if p.0.chars().count() < MIN_PASSPHRASE_CHARS || p.0.trim().is_empty() {
            return Err(Error::invalid("library.crypt.new_passphrase_too_short", format!(
                "the new passphrase is too short: use at least {MIN_PASSPHRASE_CHARS} characters (a few unrelated words are easy to remember and hard to guess)"
            )));
        }
        Ok(p)
    }

    fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(…)")
    }
}

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";
const AGE_HEADER: &[u8] = b"age-encryption.org/v1\n";
/// The settings key under which an encrypted library keeps its file key.
const FILE_KEY: &str = "file_key";

/// True when `path` is an encrypted library: a file of whole database pages (SQLCipher writes
/// pages of 512 bytes or a multiple) that does not start with SQLite's plain header. A missing
/// or empty file is a new, plain library; anything else (a text file, say) is left for SQLite
/// to refuse as "not a database".
pub fn is_encrypted(path: &Path) -> Result<bool> {
    let len = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(Error::io(path, e)),
    };
    if len < 512 || len % 512 != 0 {
        return Ok(false);
    }
    let mut head = [0u8; 16];
    let mut f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(Error::io(path, e)),
    };
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) => return Err(Error::io(path, e)),
        }
    }
    Ok(n == head.len() && &head != SQLITE_HEADER)
}

/// Opens a database file, keyed when `key` is given: SQLCipher gets the key before anything else
/// touches the file, and a key that does not open it is `Error::WrongPassphrase` (a wrong key
/// fails the first read). Without a key the connection is plain and nothing is read yet.
pub(crate) fn connect(path: &Path, flags: OpenFlags, key: Option<&Passphrase>) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, flags).map_err(|e| lib_err(Some(path), e))?;
    let Some(key) = key else { return Ok(conn) };
    // SQLCipher logs failed page checks (a wrong passphrase) to stderr; Quire says it in words.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;").map_err(|e| lib_err(Some(path), e))?;
    conn.pragma_update(None, "key", key.expose()).map_err(|e| lib_err(Some(path), e))?;
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)) {
        Ok(_) => Ok(conn),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::NotADatabase => Err(Error::WrongPassphrase { path: path.display().to_string() }),
        Err(e) => Err(lib_err(Some(path), e)),
    }
}

/// The key that encrypts the files an encrypted library keeps.
pub(crate) struct FileKey(age::x25519::Identity);

impl FileKey {
    fn generate() -> FileKey {
        FileKey(age::x25519::Identity::generate())
    }

    fn secret(&self) -> Zeroizing<String> {
        use age::secrecy::ExposeSecret;
        Zeroizing::new(self.0.to_string().expose_secret().to_string())
    }

    /// Reads the library's file key, creating one when an encrypted library has none yet.
    pub(crate) fn load_or_create(lib: &Library, path: Option<&Path>) -> Result<FileKey> {
        let stored: Option<Zeroizing<String>> =
            lib.conn.query_row("SELECT value FROM settings WHERE key = ?1", [FILE_KEY], |r| r.get::<_, String>(0)).optional().map_err(|e| lib_err(path, e))?.map(Zeroizing::new);
        if let Some(text) = stored {
            let id = age::x25519::Identity::from_str(text.trim()).map_err(|e| Error::Library {
                path: path.map(|p| p.display().to_string()).unwrap_or_default(),
                detail: format!("its key for evidence files is damaged ({e}); restore the library from a backup"),
            })?;
            return Ok(FileKey(id));
        }
        let key = FileKey::generate();
        lib.write_one("INSERT OR REPLACE INTO settings(key, value) VALUES (?1, ?2)", rusqlite::params![FILE_KEY, key.secret().as_str()])?;
        Ok(key)
    }

    pub(crate) fn seal(&self, plain: &[u8]) -> Result<Vec<u8>> {
        age::encrypt(&self.0.to_public(), plain).map_err(|e| Error::invalid("library.crypt.cannot_encrypt_file_library", format!("cannot encrypt a file for the library: {e}")))
    }

    /// Decrypts an encrypted file; plain bytes (a file stored before the library was
    /// encrypted, or by an interrupted conversion) are returned as they are.
    pub(crate) fn open(&self, bytes: Vec<u8>, path: &Path) -> Result<Vec<u8>> {
        if !is_sealed(&bytes) {
            return Ok(bytes);
        }
        age::decrypt(&self.0, &bytes).map_err(|e| Error::corrupt(path, format!("it cannot be decrypted with this library's key ({e}); restore it from a backup")))
    }
}

/// True when bytes are an age-encrypted file.
pub(crate) fn is_sealed(bytes: &[u8]) -> bool {
    bytes.starts_with(AGE_HEADER)
}

/// What a conversion did.
#[derive(Debug, Clone, Serialize)]
pub struct CryptReport {
    pub library: PathBuf,
    /// The library is encrypted afterwards.
    pub encrypted: bool,
    /// The library was already in the asked state (only files were finished, if any).
    pub unchanged: bool,
    /// Only the passphrase changed.
    pub rekeyed: bool,
    pub entries: usize,
    /// Evidence and questionnaire files converted.
    pub files: usize,
    /// Rolling backups and set-aside libraries converted.
    pub backups: usize,
    /// Backups that did not open with the current passphrase, left as they were.
    pub backups_skipped: Vec<PathBuf>,
}

impl Library {
    /// True when the library file is encrypted.
    pub fn is_encrypted(&self) -> bool {
        self.key.is_some()
    }

    /// Encrypts a plain library with `new` (see the module's notes). On an already encrypted
    /// library that `new` opens, only finishes files an interrupted run left plain.
    pub fn encrypt(path: &Path, new: &Passphrase) -> Result<CryptReport> {
        let path = &super::absolute(path)?;
        let _lock = LibraryLock::exclusive(path)?;
        if is_encrypted(path)? {
            let lib = Library::open_locked(path, Some(new))?;
            let files = lib.convert_files(Direction::Seal)?;
            lib.check_all_sealed()?;
            return Ok(CryptReport { library: path.to_path_buf(), encrypted: true, unchanged: true, rekeyed: false, entries: lib.entry_count()?, files, backups: 0, backups_skipped: Vec::new() });
        }
        if !path.is_file() {
            return Err(missing(path));
        }
        let file_key = FileKey::generate();
        let entries = rewrite(path, None, Some(new), KeyChange::Add(&file_key))?;
        let (backups, backups_skipped) = convert_backups(path, None, Some(new), KeyChange::Add(&file_key));
        let lib = Library::open_locked(path, Some(new))?;
        let files = lib.convert_files(Direction::Seal)?;
        lib.check_all_sealed()?;
        Ok(CryptReport { library: path.to_path_buf(), encrypted: true, unchanged: false, rekeyed: false, entries, files, backups, backups_skipped })
    }

    /// Decrypts an encrypted library for good: its files first, then the database.
    pub fn decrypt(path: &Path, current: &Passphrase) -> Result<CryptReport> {
        let path = &super::absolute(path)?;
        let _lock = LibraryLock::exclusive(path)?;
        if !is_encrypted(path)? {
            if !path.is_file() {
                return Err(missing(path));
            }
            let lib = Library::open_locked(path, None)?;
            return Ok(CryptReport { library: path.to_path_buf(), encrypted: false, unchanged: true, rekeyed: false, entries: lib.entry_count()?, files: 0, backups: 0, backups_skipped: Vec::new() });
        }
        let files = {
            let lib = Library::open_locked(path, Some(current))?;
            lib.convert_files(Direction::Open)?
        };
        // `rewrite` refuses to drop the file key while any recorded file still needs it.
        let entries = rewrite(path, Some(current), None, KeyChange::Remove)?;
        let (backups, backups_skipped) = convert_backups(path, Some(current), None, KeyChange::Remove);
        Ok(CryptReport { library: path.to_path_buf(), encrypted: false, unchanged: false, rekeyed: false, entries, files, backups, backups_skipped })
    }

    /// Changes the passphrase of an encrypted library (and of its rolling backups that open
    /// with the current one). The files keep their key, which lives inside the database.
    pub fn rekey(path: &Path, current: &Passphrase, new: &Passphrase) -> Result<CryptReport> {
        let path = &super::absolute(path)?;
        let _lock = LibraryLock::exclusive(path)?;
        if !is_encrypted(path)? {
            return Err(Error::invalid("library.crypt.not_encrypted", format!("{} is not encrypted; encrypt it instead", path.display())));
        }
        let entries = rewrite(path, Some(current), Some(new), KeyChange::Keep)?;
        let (backups, backups_skipped) = convert_backups(path, Some(current), Some(new), KeyChange::Keep);
        Ok(CryptReport { library: path.to_path_buf(), encrypted: true, unchanged: false, rekeyed: true, entries, files: 0, backups, backups_skipped })
    }

    /// Reads a file the library keeps (evidence, questionnaire copies), decrypting it when the
    /// library is encrypted.
    pub fn read_kept_file(&self, path: &Path) -> Result<Vec<u8>> {
        let path = &self.kept_path(path);
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        match &self.file_key {
            Some(k) => k.open(bytes, path),
            None if is_sealed(&bytes) => Err(Error::invalid("library.crypt.encrypted_but_library_key", format!(
                "{} is encrypted but this library has no key for it (it was probably restored from a backup older than its encryption); restore a backup made after the library was encrypted",
                path.display()
            ))),
            None => Ok(bytes),
        }
    }

    /// Every file the library records (evidence documents and review copies) that exists, where
    /// it is now.
    fn recorded_files(&self) -> Result<Vec<PathBuf>> {
        let mut stmt = self.conn.prepare("SELECT stored_path FROM evidence UNION SELECT stored_path FROM reviews").map_err(|e| self.err(e))?;
        let paths = stmt.query_map([], |r| r.get::<_, String>(0)).map_err(|e| self.err(e))?.collect::<rusqlite::Result<Vec<String>>>().map_err(|e| self.err(e))?;
        Ok(paths.into_iter().map(|p| self.kept_path(Path::new(&p))).filter(|p| p.is_file()).collect())
    }

    /// The files the library keeps beside itself: recorded files inside its folder (never a
    /// user's original elsewhere).
    fn kept_files(&self) -> Result<Vec<PathBuf>> {
        let folder = self.folder().ok_or_else(|| Error::invalid("library.crypt.library_memory_keeps_files", "a library in memory keeps no files"))?;
        let folder = std::fs::canonicalize(&folder).map_err(|e| Error::io(&folder, e))?;
        Ok(self.recorded_files()?.into_iter().filter(|p| std::fs::canonicalize(p).is_ok_and(|p| p.starts_with(&folder))).collect())
    }

    /// Recorded files that are still encrypted: they need the file key, which must not be dropped.
    fn sealed_files(&self) -> Result<Vec<PathBuf>> {
        let mut out = Vec::new();
        for p in self.recorded_files()? {
            let mut head = vec![0u8; AGE_HEADER.len()];
            let n = std::fs::File::open(&p).and_then(|mut f| f.read(&mut head)).map_err(|e| Error::io(&p, e))?;
            if is_sealed(&head[..n]) {
                out.push(p);
            }
        }
        Ok(out)
    }

    /// Encrypts (or decrypts) every kept file that is not yet so; returns how many changed.
    fn convert_files(&self, direction: Direction) -> Result<usize> {
        let key = self.file_key.as_ref().ok_or_else(|| Error::invalid("library.crypt.library_file_key_open", "the library has no file key; open it with its passphrase first"))?;
        let mut changed = 0;
        for path in self.kept_files()? {
            let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            let out = match (direction, is_sealed(&bytes)) {
                (Direction::Seal, false) => key.seal(&bytes)?,
                (Direction::Open, true) => key.open(bytes, &path)?,
                _ => continue,
            };
            crate::atomic::write_bytes(&path, &out)?;
            changed += 1;
        }
        Ok(changed)
    }
}

impl Library {
    /// After encrypting: every file the library keeps is encrypted, or the error lists those
    /// that are not (the library itself is encrypted by then; running encrypt again finishes).
    fn check_all_sealed(&self) -> Result<()> {
        let sealed = self.sealed_files()?;
        let plain: Vec<PathBuf> = self.kept_files()?.into_iter().filter(|p| !sealed.contains(p)).collect();
        if plain.is_empty() {
            return Ok(());
        }
        Err(Error::Library {
            path: self.path(),
            detail: format!(
                "the library is encrypted, but {} of the documents it keeps are still plain ({}); run the encryption again to finish them",
                plain.len(),
                plain.iter().take(3).map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
            ),
        })
    }
}

#[derive(Clone, Copy)]
enum Direction {
    Seal,
    Open,
}

/// What happens to the file key when a database is rewritten.
#[derive(Clone, Copy)]
enum KeyChange<'a> {
    Add(&'a FileKey),
    Keep,
    Remove,
}

fn missing(path: &Path) -> Error {
    Error::invalid("library.crypt.no_library", format!("there is no library at {}; check the path", path.display()))
}

/// Rewrites the database at `path` from key `from` to key `to` (`None` = plain) into a new file
/// beside it, checks the new file, and renames it into place. Returns the entries it holds.
/// The caller holds the exclusive lock.
fn rewrite(path: &Path, from: Option<&Passphrase>, to: Option<&Passphrase>, file_key: KeyChange<'_>) -> Result<usize> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let err = |e| lib_err(Some(path), e);
    let source = Library::open_locked(path, from)?;
    if matches!(file_key, KeyChange::Remove) {
        let sealed = source.sealed_files()?;
        if !sealed.is_empty() {
            return Err(Error::Library {
                path: path.display().to_string(),
                detail: format!(
                    "{} kept documents are still encrypted and need the library's key ({}), so it was not decrypted; nothing was changed",
                    sealed.len(),
                    sealed.iter().take(3).map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
                ),
            });
        }
    }
    let entries = source.entry_count()?;
    let audit_was_intact = source.verify_audit()?.ok();
    source.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").map_err(err)?;

    let tmp = tempfile::Builder::new()
        .prefix(&format!(".quire-{}-", std::process::id()))
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(|e| Error::write(path, e))?
        .into_temp_path();
    let _sides = SideFiles(tmp.to_path_buf());
    let tmp_text = tmp.to_str().ok_or_else(|| Error::invalid("library.crypt.library_folder_name_valid", format!("{}: the library's folder name is not valid text; move the library to a plain folder name", dir.display())))?.to_string();
    // The export runs inside one connection: ATTACH the new file with its key ('' = plain),
    // copy schema and rows, carry the schema version, set the file key, detach.
    let new_key = to.map(|p| p.expose().to_string()).map(Zeroizing::new).unwrap_or_default();
    source.conn.execute("ATTACH DATABASE ?1 AS converted KEY ?2", rusqlite::params![tmp_text, new_key.as_str()]).map_err(err)?;
    let exported = (|| {
        source.conn.query_row("SELECT sqlcipher_export('converted')", [], |_| Ok(())).map_err(err)?;
        let version = source.schema_version()?;
        source.conn.execute_batch(&format!("PRAGMA converted.user_version = {version}; PRAGMA converted.application_id = {};", super::APPLICATION_ID)).map_err(err)?;
        match file_key {
            KeyChange::Add(k) => {
                source.conn.execute("INSERT OR REPLACE INTO converted.settings(key, value) VALUES (?1, ?2)", rusqlite::params![FILE_KEY, k.secret().as_str()]).map_err(err)?;
            }
            KeyChange::Remove => {
                source.conn.execute("DELETE FROM converted.settings WHERE key = ?1", [FILE_KEY]).map_err(err)?;
            }
            KeyChange::Keep => {}
        }
        Ok::<_, Error>(())
    })();
    let detached = source.conn.execute_batch("DETACH DATABASE converted;").map_err(err);
    exported?;
    detached?;
    drop(source); // the last connection: SQLite folds and removes the -wal file

    // Check the new file before it replaces anything.
    {
        let check = Library::open_locked(&tmp, to).map_err(|e| Error::invalid("library.crypt.converted_copy_did_open", format!("the converted copy did not open ({e}); the library was not changed")))?;
        let ok = check.integrity_check()?;
        let rows = check.entry_count()?;
        let audit_ok = check.verify_audit()?.ok();
        if ok != "ok" || rows != entries || (audit_was_intact && !audit_ok) {
            return Err(Error::invalid("library.crypt.converted_copy_failed_checks", format!(
                "the converted copy failed its checks (integrity {ok}, {rows} of {entries} entries, audit chain {}); the library was not changed",
                if audit_ok { "intact" } else { "broken" }
            )));
        }
        check.conn.execute_batch("PRAGMA journal_mode = DELETE;").map_err(err)?;
    }
    std::fs::File::open(&tmp).and_then(|f| f.sync_all()).map_err(|e| Error::write(path, e))?;
    for side in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{side}", path.display()));
    }
    tmp.persist(path).map_err(|e| Error::write(path, e.error))?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(entries)
}

/// Removes a temporary database's `-wal` and `-shm` files when the conversion ends, however it
/// ends (the temporary file itself is removed by `TempPath` unless it was renamed into place).
struct SideFiles(PathBuf);

impl Drop for SideFiles {
    fn drop(&mut self) {
        for side in ["-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(format!("{}{side}", self.0.display()));
        }
    }
}

/// Converts the rolling backups (`backups/library-*.sqlite`) and the libraries a restore set
/// aside (`<name>.before-restore-*.sqlite`) the same way; those that do not open with `from`
/// are left alone and listed.
fn convert_backups(path: &Path, from: Option<&Passphrase>, to: Option<&Passphrase>, file_key: KeyChange<'_>) -> (usize, Vec<PathBuf>) {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let mut copies: Vec<PathBuf> = Vec::new();
    let list = |folder: &Path, keep: &dyn Fn(&str) -> bool| -> Vec<PathBuf> {
        std::fs::read_dir(folder)
            .map(|it| it.flatten().map(|e| e.path()).filter(|p| p.file_name().is_some_and(|n| keep(&n.to_string_lossy()))).collect())
            .unwrap_or_default()
    };
    copies.extend(list(&dir.join("backups"), &|n| n.starts_with("library-") && n.ends_with(".sqlite")));
    let aside = format!("{stem}.before-restore-");
    copies.extend(list(&dir, &|n| n.starts_with(&aside) && n.ends_with(".sqlite")));
    copies.sort();
    let (mut done, mut skipped) = (0, Vec::new());
    for copy in copies {
        let opens = match (is_encrypted(&copy), from) {
            (Ok(true), Some(_)) | (Ok(false), None) => true,
            _ => false,
        };
        if opens && rewrite(&copy, from, to, file_key).is_ok() {
            done += 1;
        } else {
            skipped.push(copy);
        }
    }
    (done, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_tell_plain_from_encrypted() {
        let dir = tempfile::tempdir().expect("dir");
        let p = dir.path().join("x.sqlite");
        assert!(!is_encrypted(&p).expect("missing is plain"));
        std::fs::write(&p, b"").expect("write");
        assert!(!is_encrypted(&p).expect("empty is new"));
        std::fs::write(&p, b"SQLite format 3\0rest of the page").expect("write");
        assert!(!is_encrypted(&p).expect("plain"));
        std::fs::write(&p, [7u8; 4096]).expect("write");
        assert!(is_encrypted(&p).expect("a page of random bytes"));
        std::fs::write(&p, b"just some text, not a library").expect("write");
        assert!(!is_encrypted(&p).expect("text"));
    }

    #[test]
    fn passphrases_are_checked_and_never_printed() {
        assert!(Passphrase::new("").is_err());
        assert!(Passphrase::new_for_encryption("short").expect_err("short").to_string().contains("at least 8"));
        assert!(Passphrase::new_for_encryption("        ").is_err());
        let p = Passphrase::new_for_encryption("correct horse battery").expect("ok");
        assert!(!format!("{p:?}").contains("horse"));
    }

    #[test]
    fn files_seal_and_open_and_plain_files_pass_through() {
        let k = FileKey::generate();
        let sealed = k.seal(b"SOC 2 report").expect("seal");
        assert!(is_sealed(&sealed));
        assert!(!sealed.windows(3).any(|w| w == b"SOC"));
        assert_eq!(k.open(sealed.clone(), Path::new("x")).expect("open"), b"SOC 2 report");
        assert_eq!(k.open(b"plain".to_vec(), Path::new("x")).expect("plain"), b"plain");
        let other = FileKey::generate();
        assert!(other.open(sealed, Path::new("x")).is_err());
    }
}
