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

    #[error("answer library {path} is encrypted: give its passphrase")]
    Locked { path: String },

    #[error("answer library {path}: the passphrase is wrong (or the file is not a Quire library); nothing was changed, try again")]
    WrongPassphrase { path: String },

    /// The team library (PostgreSQL): `server` is user@host:port/database, never a password.
    #[error("team library {server}: {detail}")]
    Team { server: String, detail: String },
    #[error("sentence-embedding model in {path}: {detail}")]
    Model { path: PathBuf, detail: String },

    /// A request Quire cannot do as asked, with a stable `code` for it (e.g.
    /// `library.reviews.review_deleted`): the app and scripts tell situations apart by code,
    /// never by the wording, which may improve.
    #[error("{message}")]
    Invalid { code: &'static str, message: String },
}

impl Error {
    /// A request that cannot be done as asked; `code` names the situation (see `Invalid`).
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        Error::Invalid { code, message: message.into() }
    }

    /// The error's stable code: the kind of failure, for programs (the app's messages, scripts
    /// reading `--json`), whatever the wording of the message.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Io { .. } => "file.read",
            Error::Write { .. } => "file.write",
            Error::NotASpreadsheet { .. } => "file.unsupported",
            Error::Encrypted { .. } => "file.encrypted_workbook",
            Error::EncryptedDocument { .. } => "file.encrypted_document",
            Error::Corrupt { .. } => "file.damaged",
            Error::Empty { .. } => "file.empty",
            Error::NoQuestions { .. } => "questionnaire.no_questions",
            Error::TooLarge { .. } => "file.too_large",
            Error::Encoding { .. } => "file.encoding",
            Error::Vsaq { .. } => "file.vsaq",
            Error::Profile { .. } => "profile.invalid",
            Error::Library { .. } => "library.failed",
            Error::Locked { .. } => "library.locked",
            Error::WrongPassphrase { .. } => "library.wrong_passphrase",
            Error::Team { .. } => "team.failed",
            Error::Model { .. } => "model.failed",
            Error::Invalid { code, .. } => code,
        }
    }

    /// The error as the app receives it: `{code, message, detail}`.
    pub fn reply(&self) -> ErrorReply {
        let detail = match self {
            Error::Io { source, .. } | Error::Write { source, .. } => Some(source.to_string()),
            Error::NotASpreadsheet { detail, .. }
            | Error::Corrupt { detail, .. }
            | Error::NoQuestions { detail, .. }
            | Error::TooLarge { detail, .. }
            | Error::Encoding { detail, .. }
            | Error::Vsaq { detail, .. }
            | Error::Profile { detail, .. }
            | Error::Library { detail, .. }
            | Error::Team { detail, .. }
            | Error::Model { detail, .. } => Some(detail.clone()),
            _ => None,
        };
        ErrorReply { code: self.code().to_string(), message: self.to_string(), detail }
    }

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

/// An error as the desktop app receives it from a command: a stable `code` to tell situations
/// apart, the `message` to show (it says what was wrong and what to do, in words that fit any
/// surface), and the raw `detail` behind it when there is one (the system's or parser's words).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ErrorReply {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl ErrorReply {
    /// An error of the app itself (not of the core), with its code.
    pub fn new(code: &str, message: impl Into<String>) -> ErrorReply {
        ErrorReply { code: code.into(), message: message.into(), detail: None }
    }
}

impl From<Error> for ErrorReply {
    fn from(e: Error) -> ErrorReply {
        e.reply()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_a_code_and_replies_with_it() {
        let e = Error::invalid("library.reviews.review_deleted", "there is no review 7; it may have been deleted");
        assert_eq!(e.code(), "library.reviews.review_deleted");
        let r = e.reply();
        assert_eq!(r.message, "there is no review 7; it may have been deleted");
        assert_eq!(serde_json::to_value(&r).unwrap(), serde_json::json!({"code": "library.reviews.review_deleted", "message": "there is no review 7; it may have been deleted"}));
        let io = Error::io(Path::new("/x/q.xlsx"), std::io::Error::new(std::io::ErrorKind::NotFound, "No such file"));
        let r = io.reply();
        assert_eq!(r.code, "file.read");
        assert!(r.message.contains("/x/q.xlsx"));
        assert_eq!(r.detail.as_deref(), Some("No such file"));
        assert_eq!(Error::corrupt(Path::new("a.docx"), "bad zip").reply().detail.as_deref(), Some("bad zip"));
    }
}
