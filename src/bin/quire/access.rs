//! Which library a command uses and how it gets an encrypted library's passphrase: from
//! `--passphrase-file`, else `QUIRE_PASSPHRASE`, else asked at the terminal without echo (three
//! tries). New passphrases (encrypt, rekey) come from `--new-passphrase-file`, else
//! `QUIRE_NEW_PASSPHRASE`, else are asked twice at the terminal.

use quire::library::{is_encrypted, Library, Passphrase};
use quire::{Error, Result};
use std::path::{Path, PathBuf};

/// The global options that pick and unlock the library.
#[derive(Clone, Default)]
pub struct Access {
    pub db: Option<PathBuf>,
    pub passphrase_file: Option<PathBuf>,
}

const TRIES: usize = 3;

impl Access {
    pub fn path(&self) -> Result<PathBuf> {
        match &self.db {
            Some(p) => Ok(p.clone()),
            None => Library::default_path().ok_or_else(|| Error::invalid("cli.access.home_folder_found_answer", "no home folder found for the answer library; pass --db PATH or set QUIRE_DB")),
        }
    }

    /// Opens the library, asking for its passphrase when it is encrypted.
    pub fn open(&self) -> Result<Library> {
        let path = self.path()?;
        let mut lib = if !is_encrypted(&path)? {
            Library::open(&path)?
        } else {
            self.with_passphrase(&path, "Passphrase for the answer library", |p| Library::open_with(&path, Some(p)))?
        };
        lib.set_wait_notice(wait_notice());
        Ok(lib)
    }

    /// Runs `work` with the current passphrase of the encrypted file `path`; at the terminal a
    /// wrong passphrase is asked again (three tries).
    pub fn with_passphrase<T>(&self, path: &Path, prompt: &str, work: impl Fn(&Passphrase) -> Result<T>) -> Result<T> {
        if let Some(p) = self.given()? {
            return work(&p);
        }
        let mut attempt = 1;
        loop {
            let p = ask(path, &format!("{prompt} {}: ", path.display()))?;
            match work(&p) {
                Err(Error::WrongPassphrase { .. }) if attempt < TRIES => {
                    errln!("wrong passphrase, try again");
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    /// The passphrase given without a terminal, if any.
    fn given(&self) -> Result<Option<Passphrase>> {
        if let Some(file) = &self.passphrase_file {
            return Passphrase::new(first_line(file)?.as_str()).map(Some);
        }
        match std::env::var("QUIRE_PASSPHRASE") {
            Ok(v) if !v.is_empty() => Passphrase::new(v).map(Some),
            _ => Ok(None),
        }
    }

    /// A new passphrase (to encrypt or rekey with).
    pub fn new_passphrase(&self, file: Option<&Path>) -> Result<Passphrase> {
        if let Some(f) = file {
            return Passphrase::new_for_encryption(first_line(f)?.as_str());
        }
        if let Ok(v) = std::env::var("QUIRE_NEW_PASSPHRASE") {
            if !v.is_empty() {
                return Passphrase::new_for_encryption(v);
            }
        }
        let first = rpassword::prompt_password("New passphrase: ").map_err(no_terminal)?;
        let p = Passphrase::new_for_encryption(first.clone())?;
        let again = zeroize::Zeroizing::new(rpassword::prompt_password("The same passphrase again: ").map_err(no_terminal)?);
        if *again != first {
            return Err(Error::invalid("cli.access.two_passphrases_differ_nothing", "the two passphrases differ; nothing was changed, run the command again"));
        }
        Ok(p)
    }
}

fn ask(path: &Path, prompt: &str) -> Result<Passphrase> {
    let text = rpassword::prompt_password(prompt).map_err(|_| Error::Locked { path: path.display().to_string() })?;
    Passphrase::new(text)
}

fn no_terminal(_: std::io::Error) -> Error {
    Error::invalid("cli.access.terminal_ask_new_passphrase", "no terminal to ask for the new passphrase: set QUIRE_NEW_PASSPHRASE or pass --new-passphrase-file")
}

/// A passphrase file's first line, without the line break.
fn first_line(path: &Path) -> Result<zeroize::Zeroizing<String>> {
    let text = zeroize::Zeroizing::new(std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?);
    let line = zeroize::Zeroizing::new(text.lines().next().unwrap_or("").to_string());
    if line.is_empty() {
        return Err(Error::invalid("cli.access.empty_first_line_passphrase", format!("{} is empty; its first line must be the passphrase", path.display())));
    }
    Ok(line)
}

/// Says on stderr that a write waits for another process (at once, then every 10 seconds).
fn wait_notice() -> quire::library::WaitNotice {
    let said = std::sync::atomic::AtomicU64::new(u64::MAX);
    std::sync::Arc::new(move |waited: std::time::Duration| {
        use std::sync::atomic::Ordering;
        let secs = waited.as_secs();
        let last = said.load(Ordering::Relaxed);
        if last == u64::MAX || secs >= last + 10 {
            said.store(secs, Ordering::Relaxed);
            errln!("waiting: another Quire process is writing to the library ({secs} s so far); this command goes on when it has finished");
        }
    })
}
