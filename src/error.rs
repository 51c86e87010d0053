//! The one error type of the core. Every message says what failed, where (file, sheet, row)
//! and what the user can do about it; the CLI prints it as is and exits with status 1.

use std::path::{Path, PathBuf};

/// Result alias used throughout the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{path}: not a spreadsheet Quire can read ({detail}). Supported: .xlsx, .xlsm, .xls, .ods, .csv, .tsv, VSAQ .json, Word .docx/.docm and PDF questionnaires")]
    NotASpreadsheet { path: PathBuf, detail: String },

    #[error("{path}: the workbook is encrypted (password-protected); open it in your spreadsheet program, save an unprotected copy and import that copy")]
    Encrypted { path: PathBuf },

    #[error("{path}: the Word document is encrypted (password-protected); open it in Word, save a copy without a password (File > Info > Protect Document) and use that copy")]
    EncryptedDocument { path: PathBuf },

    #[error("{path}: the file is damaged or truncated ({detail}); re-download it or re-save it from your spreadsheet program")]
    Corrupt { path: PathBuf, detail: String },

    #[error("{path}: the workbook is empty: no sheet has any cells")]
    Empty { path: PathBuf },

    #[error("{path}: no questionnaire found. {detail}")]
    NoQuestions { path: PathBuf, detail: String },

    #[error("{path}: {detail}")]
    TooLarge { path: PathBuf, detail: String },

    #[error("{path}: cannot decode the text ({detail}); save the file as UTF-8 CSV and try again")]
    Encoding { path: PathBuf, detail: String },

    #[error("{path}: not a valid VSAQ questionnaire: {detail}")]
    Vsaq { path: PathBuf, detail: String },

    #[error("layout profile {name}: {detail}")]
    Profile { name: String, detail: String },

    #[error("answer library {path}: {detail}")]
    Library { path: String, detail: String },

    #[error("answer library {path} is encrypted: give its passphrase (the app asks for it; the quire command asks at the terminal, or reads QUIRE_PASSPHRASE or --passphrase-file)")]
    Locked { path: String },

    #[error("answer library {path}: the passphrase is wrong (or the file is not a Quire library); nothing was changed, try again")]
    WrongPassphrase { path: String },

    /// The team library (PostgreSQL): `server` is user@host:port/database, never a password.
    #[error("team library {server}: {detail}")]
    Team { server: String, detail: String },
    #[error("sentence-embedding model in {path}: {detail}")]
    Model { path: PathBuf, detail: String },

    #[error("{0}")]
    Invalid(String),
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io { path: path.to_path_buf(), source }
    }
    pub fn write(path: &Path, source: std::io::Error) -> Self {
        Error::Write { path: path.to_path_buf(), source }
    }
    pub fn corrupt(path: &Path, detail: impl Into<String>) -> Self {
        Error::Corrupt { path: path.to_path_buf(), detail: detail.into() }
    }
    pub fn model(path: &Path, detail: impl Into<String>) -> Self {
        Error::Model { path: path.to_path_buf(), detail: detail.into() }
    }
    pub fn not_a_spreadsheet(path: &Path, detail: impl Into<String>) -> Self {
        Error::NotASpreadsheet { path: path.to_path_buf(), detail: detail.into() }
    }
}
