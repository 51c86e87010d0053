//! Where the team library's connection settings come from, resolved as libpq (psql, pg_dump)
//! resolves them, so that whatever works for `psql` works for Quire: a `postgres://` URL or a
//! `key=value` string, then the service named by `service=`/`PGSERVICE` in `~/.pg_service.conf`
//! or the system `pg_service.conf`, then the `PG*` environment variables, then the defaults;
//! and the password, when none of those gave one, from `~/.pgpass` (or `PGPASSFILE`).
//! rust-postgres reads none of these files itself.
//!
//! Where Quire differs from libpq, on purpose: it talks to the team library only over TLS, so
//! over TCP `sslmode` defaults to `require`, `prefer` and `allow` mean `require`, and `disable`
//! is refused; one host only (no failover lists); an empty environment variable counts as unset.
//! The password is held in a zeroizing string and never appears in `Debug` or in messages.

use crate::{Error, Result};
use percent_encoding::percent_decode_str;
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;
use zeroize::Zeroizing;

/// What the resolution reads from the outside world; tests give their own.
pub trait Environment {
    /// An environment variable (PGHOST, PGSERVICE…).
    fn var(&self, name: &str) -> Option<String>;
    /// The user's home folder (for ~/.pgpass, ~/.pg_service.conf, ~/.postgresql/).
    fn home(&self) -> Option<PathBuf>;
    /// The operating-system user name (the default database user).
    fn os_user(&self) -> Option<String>;
}

/// The real process environment.
pub struct ProcessEnvironment;

impl Environment for ProcessEnvironment {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
    fn home(&self) -> Option<PathBuf> {
        std::env::var_os("HOME").map(PathBuf::from).or_else(|| directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf()))
    }
    fn os_user(&self) -> Option<String> {
        std::env::var("USER").ok().or_else(|| std::env::var("USERNAME").ok()).or_else(|| std::env::var("LOGNAME").ok())
    }
}

/// libpq's `sslmode`. Quire connects with `Require` or stricter (see the module comment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    /// Encrypt; verify the server's certificate only if a root certificate is given (as libpq).
    Require,
    /// Encrypt and verify the certificate chain against the root certificate.
    VerifyCa,
    /// Also check that the certificate names the host connected to.
    VerifyFull,
}

/// Which certificates the server's is checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootCert {
    /// A PEM file (`sslrootcert=`, `PGSSLROOTCERT`, or `~/.postgresql/root.crt`).
    File(PathBuf),
    /// The operating system's trusted certificates (`sslrootcert=system`, as in libpq 16).
    System,
}

/// Where the password came from (for messages: "the password from ~/.pgpass was refused").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordSource {
    None,
    ConnectionString,
    ServiceFile(PathBuf),
    Environment,
    PassFile(PathBuf),
    Prompt,
}

/// Resolved connection settings for one server.
#[derive(Clone)]
pub struct ConnInfo {
    /// A host name or IP address, or a Unix-socket folder (starts with `/`).
    pub host: String,
    pub hostaddr: Option<IpAddr>,
    pub port: u16,
    pub user: String,
    pub dbname: String,
    password: Option<Zeroizing<String>>,
    pub password_source: PasswordSource,
    pub sslmode: SslMode,
    pub sslrootcert: Option<RootCert>,
    pub sslcert: Option<PathBuf>,
    pub sslkey: Option<PathBuf>,
    pub connect_timeout: Option<Duration>,
    pub application_name: String,
    pub service: Option<String>,
    /// Things the person should know that did not stop the resolution (a .pgpass file that is
    /// readable by others and so was ignored, as libpq ignores it).
    pub warnings: Vec<String>,
}

impl std::fmt::Debug for ConnInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnInfo")
            .field("server", &self.server())
            .field("password", &self.password.as_ref().map(|_| "<hidden>"))
            .field("password_source", &self.password_source)
            .field("sslmode", &self.sslmode)
            .field("sslrootcert", &self.sslrootcert)
            .finish_non_exhaustive()
    }
}

const KEYWORDS: &[&str] = &[
    "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "service", "sslmode", "sslrootcert", "sslcert",
    "sslkey", "connect_timeout", "application_name",
];

const ENV_VARS: &[(&str, &str)] = &[
    ("host", "PGHOST"),
    ("hostaddr", "PGHOSTADDR"),
    ("port", "PGPORT"),
    ("dbname", "PGDATABASE"),
    ("user", "PGUSER"),
    ("password", "PGPASSWORD"),
    ("passfile", "PGPASSFILE"),
    ("sslmode", "PGSSLMODE"),
    ("sslrootcert", "PGSSLROOTCERT"),
    ("sslcert", "PGSSLCERT"),
    ("sslkey", "PGSSLKEY"),
    ("connect_timeout", "PGCONNECT_TIMEOUT"),
    ("application_name", "PGAPPNAME"),
];

/// Settings as given, before defaults: keyword → value.
type Params = BTreeMap<String, String>;

fn bad(target: &str, detail: impl std::fmt::Display) -> Error {
    Error::Team { server: redact(target), detail: detail.to_string() }
}

/// The target as it may be shown: a URL's password replaced by `***`, a `password=` value too.
pub fn redact(target: &str) -> String {
    if let Some(rest) = target.strip_prefix("postgresql://").or_else(|| target.strip_prefix("postgres://")) {
        let scheme = &target[..target.len() - rest.len()];
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        if let Some(at) = rest[..authority_end].rfind('@') {
            let userinfo = &rest[..at];
            if let Some(colon) = userinfo.find(':') {
                return format!("{scheme}{}:***{}", &userinfo[..colon], &rest[at..]);
            }
        }
        return target.to_string();
    }
    match parse_keywords(target) {
        Ok(p) => p
            .iter()
            .map(|(k, v)| if k == "password" { format!("{k}=***") } else { format!("{k}={v}") })
            .collect::<Vec<_>>()
            .join(" "),
        Err(_) => "(the connection string)".to_string(),
    }
}

/// Resolves a connection target (a URL, a `key=value` string, or empty for "from the
/// environment and service file only") into settings for one server.
pub fn resolve(target: &str, env: &dyn Environment) -> Result<ConnInfo> {
    let target = target.trim();
    let given = if target.starts_with("postgres://") || target.starts_with("postgresql://") {
        parse_url(target).map_err(|d| bad(target, d))?
    } else if target.is_empty() {
        Params::new()
    } else if target.contains('=') {
        parse_keywords(target).map_err(|d| bad(target, d))?
    } else {
        return Err(bad(
            target,
            "not a connection string: give a URL such as postgres://alice@db.example.org/quire, or key=value settings such as \"host=db.example.org dbname=quire\", or service=NAME",
        ));
    };
    for k in given.keys() {
        if !KEYWORDS.contains(&k.as_str()) {
            return Err(bad(target, format!("unknown connection setting \"{k}\" (Quire understands: {})", KEYWORDS.join(", "))));
        }
    }

    // The service file fills what the string did not give; the environment fills what is left.
    let mut params = given;
    let mut password_source = if params.contains_key("password") { PasswordSource::ConnectionString } else { PasswordSource::None };
    let service = params.get("service").cloned().or_else(|| nonempty(env.var("PGSERVICE")));
    if let Some(name) = &service {
        let (file, values) = find_service(name, env).map_err(|d| bad(target, d))?;
        for (k, v) in values {
            if k == "password" && !params.contains_key("password") {
                password_source = PasswordSource::ServiceFile(file.clone());
            }
            params.entry(k).or_insert(v);
        }
    }
    for (k, var) in ENV_VARS {
        if !params.contains_key(*k) {
            if let Some(v) = nonempty(env.var(var)) {
                if *k == "password" {
                    password_source = PasswordSource::Environment;
                }
                params.insert(k.to_string(), v);
            }
        }
    }
    let server_hint = redact(target);
    let fail = |detail: String| Error::Team { server: server_hint.clone(), detail };

    let host = match params.get("host").filter(|h| !h.is_empty()) {
        Some(h) if h.contains(',') => return Err(fail("Quire connects to one server: give one host, not a list".into())),
        Some(h) => h.clone(),
        None => default_host(),
    };
    let hostaddr = match params.get("hostaddr") {
        Some(a) => Some(a.parse::<IpAddr>().map_err(|_| fail(format!("hostaddr \"{a}\" is not an IP address")))?),
        None => None,
    };
    let port = match params.get("port") {
        Some(p) => p.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| fail(format!("port \"{p}\" is not a port number")))?,
        None => 5432,
    };
    let user = match params.get("user") {
        Some(u) => u.clone(),
        None => env.os_user().ok_or_else(|| fail("no user name: give one in the URL (postgres://NAME@host/db), user=, or PGUSER".into()))?,
    };
    let dbname = params.get("dbname").cloned().unwrap_or_else(|| user.clone());
    let sslmode = match params.get("sslmode").map(String::as_str) {
        None | Some("require") | Some("prefer") | Some("allow") => SslMode::Require,
        Some("verify-ca") => SslMode::VerifyCa,
        Some("verify-full") => SslMode::VerifyFull,
        Some("disable") => {
            return Err(fail(
                "sslmode=disable: Quire sends answers and evidence to the team library only over TLS; use sslmode=require, verify-ca or verify-full".into(),
            ))
        }
        Some(other) => return Err(fail(format!("sslmode \"{other}\" is not one of require, verify-ca, verify-full"))),
    };
    let home = env.home();
    let pg_dir = home.as_ref().map(|h| h.join(".postgresql"));
    let sslrootcert = match params.get("sslrootcert").map(String::as_str) {
        Some("system") => Some(RootCert::System),
        Some(p) => Some(RootCert::File(PathBuf::from(p))),
        None => pg_dir.as_ref().map(|d| d.join("root.crt")).filter(|p| p.is_file()).map(RootCert::File),
    };
    if sslmode != SslMode::Require && sslrootcert.is_none() {
        return Err(fail(
            "sslmode=verify-ca/verify-full needs the certificate that signed the server's: give sslrootcert=FILE (or sslrootcert=system), or put it in ~/.postgresql/root.crt".into(),
        ));
    }
    let sslcert = params.get("sslcert").map(PathBuf::from).or_else(|| pg_dir.as_ref().map(|d| d.join("postgresql.crt")).filter(|p| p.is_file()));
    let sslkey = params.get("sslkey").map(PathBuf::from).or_else(|| sslcert.as_ref().and_then(|_| pg_dir.as_ref().map(|d| d.join("postgresql.key"))));
    let connect_timeout = match params.get("connect_timeout") {
        Some(t) => {
            let secs = t.parse::<u64>().map_err(|_| fail(format!("connect_timeout \"{t}\" is not a number of seconds")))?;
            (secs > 0).then(|| Duration::from_secs(secs.max(2)))
        }
        None => None,
    };

    let mut info = ConnInfo {
        host,
        hostaddr,
        port,
        user,
        dbname,
        password: params.get("password").map(|p| Zeroizing::new(p.clone())),
        password_source,
        sslmode,
        sslrootcert,
        sslcert,
        sslkey,
        connect_timeout,
        application_name: params.get("application_name").cloned().unwrap_or_else(|| "quire".into()),
        service,
        warnings: Vec::new(),
    };
    if info.password.is_none() {
        let passfile = params.get("passfile").map(PathBuf::from).or_else(|| home.as_ref().map(|h| h.join(".pgpass")));
        if let Some(file) = passfile {
            match passfile_lookup(&file, &info) {
                Ok(Some(pw)) => {
                    info.password = Some(pw);
                    info.password_source = PasswordSource::PassFile(file);
                }
                Ok(None) => {}
                Err(warning) => info.warnings.push(warning),
            }
        }
    }
    Ok(info)
}

fn nonempty(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.is_empty())
}

/// libpq's default: the local Unix socket (Debian's folder, else /tmp), localhost elsewhere.
fn default_host() -> String {
    if cfg!(unix) {
        if Path::new("/var/run/postgresql").is_dir() { "/var/run/postgresql".into() } else { "/tmp".into() }
    } else {
        "localhost".into()
    }
}

impl ConnInfo {
    /// `user@host:port/dbname`, for messages (never the password).
    pub fn server(&self) -> String {
        format!("{}@{}:{}/{}", self.user, self.host, self.port, self.dbname)
    }

    /// Whether the connection goes through a local Unix socket (no TLS there, nor needed).
    pub fn is_socket(&self) -> bool {
        self.host.starts_with('/')
    }

    pub fn password(&self) -> Option<&str> {
        self.password.as_ref().map(|p| p.as_str())
    }

    /// Sets a password the person typed (the app's join form): kept for this connection only,
    /// zeroed when dropped.
    pub fn use_password(&mut self, password: String) {
        self.set_prompted_password(Zeroizing::new(password));
    }

    /// Sets the password the person typed at a prompt.
    pub fn set_prompted_password(&mut self, password: Zeroizing<String>) {
        self.password = Some(password);
        self.password_source = PasswordSource::Prompt;
    }

    /// Whether the server's certificate will be checked (else a warning is due).
    pub fn verifies_server(&self) -> bool {
        self.is_socket() || self.sslrootcert.is_some()
    }
}

/// Parses `postgres://[user[:password]@][host][:port][/dbname][?key=value&…]`.
fn parse_url(url: &str) -> std::result::Result<Params, String> {
    let rest = url.strip_prefix("postgresql://").or_else(|| url.strip_prefix("postgres://")).ok_or("not a postgres:// URL")?;
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match rest.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (rest, None),
    };
    let mut params = Params::new();
    let hostport = match authority.rsplit_once('@') {
        Some((userinfo, hostport)) => {
            let (user, password) = match userinfo.split_once(':') {
                Some((u, p)) => (u, Some(p)),
                None => (userinfo, None),
            };
            if !user.is_empty() {
                params.insert("user".into(), decode(user, "user name")?);
            }
            if let Some(p) = password {
                params.insert("password".into(), decode(p, "password")?);
            }
            hostport
        }
        None => authority,
    };
    if hostport.contains(',') {
        return Err("Quire connects to one server: give one host, not a list".into());
    }
    let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
        let (h, after) = v6.split_once(']').ok_or("an IPv6 address in [brackets] is not closed")?;
        (h.to_string(), after.strip_prefix(':').map(str::to_string))
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (decode(h, "host")?, Some(p.to_string())),
            None => (decode(hostport, "host")?, None),
        }
    };
    if !host.is_empty() {
        params.insert("host".into(), host);
    }
    if let Some(p) = port.filter(|p| !p.is_empty()) {
        params.insert("port".into(), p);
    }
    if let Some(db) = path.filter(|p| !p.is_empty()) {
        params.insert("dbname".into(), decode(db, "database name")?);
    }
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').ok_or_else(|| format!("\"{pair}\" in the URL is not key=value"))?;
        let k = decode(k, "setting")?;
        let v = decode(v, "setting")?;
        // libpq accepts the JDBC spelling ssl=true.
        if k == "ssl" && v == "true" {
            params.insert("sslmode".into(), "require".into());
        } else {
            params.insert(k, v);
        }
    }
    Ok(params)
}

fn decode(s: &str, what: &str) -> std::result::Result<String, String> {
    let bytes: Vec<u8> = percent_decode_str(s).collect();
    String::from_utf8(bytes).map_err(|_| format!("the {what} in the URL is not valid UTF-8 once %-decoded"))
}

/// Parses libpq's `key=value key='quoted value'` form (backslash escapes quotes and itself).
fn parse_keywords(s: &str) -> std::result::Result<Params, String> {
    let mut params = Params::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            return Ok(params);
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            key.push(c);
            chars.next();
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.next() != Some('=') {
            return Err(format!("\"{key}\" has no value: write {key}=VALUE"));
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'\'') {
            chars.next();
            let mut closed = false;
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.push(chars.next().ok_or("a backslash ends the connection string")?),
                    '\'' => {
                        closed = true;
                        break;
                    }
                    c => value.push(c),
                }
            }
            if !closed {
                return Err(format!("the quoted value of {key} is not closed"));
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                chars.next();
                if c == '\\' {
                    value.push(chars.next().ok_or("a backslash ends the connection string")?);
                } else {
                    value.push(c);
                }
            }
        }
        params.insert(key, value);
    }
}

/// Finds a service's settings: first in PGSERVICEFILE or ~/.pg_service.conf, then in
/// PGSYSCONFDIR/pg_service.conf (Debian's libpq: /etc/postgresql-common/pg_service.conf).
fn find_service(name: &str, env: &dyn Environment) -> std::result::Result<(PathBuf, Params), String> {
    let user_file = nonempty(env.var("PGSERVICEFILE")).map(PathBuf::from).or_else(|| env.home().map(|h| h.join(".pg_service.conf")));
    let sys_dir = nonempty(env.var("PGSYSCONFDIR")).map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/etc/postgresql-common"));
    let sys_file = sys_dir.join("pg_service.conf");
    let mut looked = Vec::new();
    for file in user_file.into_iter().chain(std::iter::once(sys_file)) {
        looked.push(file.display().to_string());
        let text = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(format!("cannot read the service file {}: {e}", file.display())),
        };
        if let Some(params) = parse_service(&text, name).map_err(|d| format!("service file {}: {d}", file.display()))? {
            return Ok((file, params));
        }
    }
    Err(format!("no service named \"{name}\" (looked in {})", looked.join(" and ")))
}

/// The settings of section `[name]` of a pg_service.conf, if it has one.
fn parse_service(text: &str, name: &str) -> std::result::Result<Option<Params>, String> {
    let mut found = None;
    let mut in_section = false;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(section) = line.strip_prefix('[') {
            let section = section.strip_suffix(']').ok_or_else(|| format!("line {}: a [section] is not closed", n + 1))?;
            if found.is_some() && in_section {
                break;
            }
            in_section = section.trim() == name;
            if in_section {
                found = Some(Params::new());
            }
            continue;
        }
        if !in_section {
            continue;
        }
        let (k, v) = line.split_once('=').ok_or_else(|| format!("line {}: not key=value", n + 1))?;
        let k = k.trim();
        if k == "service" {
            return Err(format!("line {}: a service cannot name another service", n + 1));
        }
        if !KEYWORDS.contains(&k) {
            return Err(format!("line {}: unknown setting \"{k}\"", n + 1));
        }
        if let Some(p) = found.as_mut() {
            p.insert(k.to_string(), v.trim().to_string());
        }
    }
    Ok(found)
}

/// The password for this connection in a .pgpass file (`host:port:database:user:password`,
/// `*` matches anything, `\` escapes `:` and `\`; the first matching line wins). Err is a
/// warning: the file is readable by others, and is ignored as libpq ignores it.
fn passfile_lookup(file: &Path, info: &ConnInfo) -> std::result::Result<Option<Zeroizing<String>>, String> {
    let meta = match std::fs::metadata(file) {
        Ok(m) => m,
        Err(_) => return Ok(None),
    };
    if !meta.is_file() {
        return Ok(None);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            return Err(format!(
                "the password file {} is readable by other users and was ignored; make it private: chmod 600 {}",
                file.display(),
                file.display()
            ));
        }
    }
    let text = match std::fs::read_to_string(file) {
        Ok(t) => Zeroizing::new(t),
        Err(_) => return Ok(None),
    };
    // A socket in the default folder is "localhost" to .pgpass, as in libpq.
    let host = if info.is_socket() && info.host == default_host() {
        "localhost".to_string()
    } else if info.host.is_empty() {
        info.hostaddr.map(|a| a.to_string()).unwrap_or_default()
    } else {
        info.host.clone()
    };
    let port = info.port.to_string();
    let wanted = [host.as_str(), port.as_str(), info.dbname.as_str(), info.user.as_str()];
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields = split_pgpass(line);
        if fields.len() < 5 {
            continue;
        }
        if fields[..4].iter().zip(wanted).all(|(f, w)| f.as_str() == "*" || f.as_str() == w) {
            return Ok(Some(Zeroizing::new(fields[4].to_string())));
        }
    }
    Ok(None)
}

/// Splits a .pgpass line into its four keys and the password (the rest of the line).
fn split_pgpass(line: &str) -> Vec<Zeroizing<String>> {
    let mut fields = vec![Zeroizing::new(String::new())];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        let last = fields.len() - 1;
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    fields[last].push(n);
                }
            }
            ':' if fields.len() < 5 => fields.push(Zeroizing::new(String::new())),
            c => fields[last].push(c),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct FakeEnv {
        vars: HashMap<&'static str, String>,
        home: Option<PathBuf>,
    }
    impl Environment for FakeEnv {
        fn var(&self, name: &str) -> Option<String> {
            self.vars.get(name).cloned()
        }
        fn home(&self) -> Option<PathBuf> {
            self.home.clone()
        }
        fn os_user(&self) -> Option<String> {
            Some("osuser".into())
        }
    }
    fn env(vars: &[(&'static str, &str)], home: Option<&Path>) -> FakeEnv {
        FakeEnv { vars: vars.iter().map(|(k, v)| (*k, v.to_string())).collect(), home: home.map(Path::to_path_buf) }
    }
    fn private_file(path: &Path, text: &str) {
        std::fs::write(path, text).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
    }

    #[test]
    fn url_with_everything() {
        let e = env(&[], None);
        let i = resolve("postgres://al%40ice:p%3Ass@db.example.org:6543/quire%20team?sslmode=verify-full&sslrootcert=/ca.pem&application_name=x", &e).unwrap();
        assert_eq!(i.user, "al@ice");
        assert_eq!(i.password(), Some("p:ss"));
        assert_eq!(i.password_source, PasswordSource::ConnectionString);
        assert_eq!(i.host, "db.example.org");
        assert_eq!(i.port, 6543);
        assert_eq!(i.dbname, "quire team");
        assert_eq!(i.sslmode, SslMode::VerifyFull);
        assert_eq!(i.sslrootcert, Some(RootCert::File("/ca.pem".into())));
        assert_eq!(i.application_name, "x");
        assert!(!format!("{i:?}").contains("p:ss"), "Debug must not show the password");
    }

    #[test]
    fn url_ipv6_and_socket_and_defaults() {
        let e = env(&[], None);
        let i = resolve("postgresql://[::1]:5433/db", &e).unwrap();
        assert_eq!((i.host.as_str(), i.port, i.user.as_str()), ("::1", 5433, "osuser"));
        let i = resolve("postgresql://%2Fvar%2Frun%2Fpg/db", &e).unwrap();
        assert!(i.is_socket());
        assert_eq!(i.host, "/var/run/pg");
        let i = resolve("postgres://h", &e).unwrap();
        assert_eq!((i.port, i.dbname.as_str(), i.sslmode), (5432, "osuser", SslMode::Require));
    }

    #[test]
    fn refusals_say_what_to_do() {
        let e = env(&[], None);
        let msg = |t: &str| resolve(t, &e).unwrap_err().to_string();
        assert!(msg("postgres://u@h/d?sslmode=disable").contains("only over TLS"));
        assert!(msg("postgres://u@a,b/d").contains("one host"));
        assert!(msg("postgres://u@h/d?sslmode=verify-full").contains("sslrootcert"));
        assert!(msg("postgres://u@h/d?bogus=1").contains("unknown connection setting \"bogus\""));
        assert!(msg("postgres://u@h:notaport/d").contains("not a port"));
        assert!(msg("just-a-name").contains("not a connection string"));
        // The password never shows in a message.
        let m = msg("postgres://u:sekrit@h/d?bogus=1");
        assert!(!m.contains("sekrit") && m.contains("u:***@h"), "{m}");
    }

    #[test]
    fn keyword_form_with_quotes_and_escapes() {
        let e = env(&[], None);
        let i = resolve(r"host=h port = 7 dbname='my db' user=o\'k password='it\'s'", &e).unwrap();
        assert_eq!((i.host.as_str(), i.port, i.dbname.as_str(), i.user.as_str()), ("h", 7, "my db", "o'k"));
        assert_eq!(i.password(), Some("it's"));
        assert!(redact("host=h password=x").contains("password=***"));
        assert!(resolve("host='h", &e).unwrap_err().to_string().contains("not closed"));
    }

    #[test]
    fn environment_fills_what_the_string_does_not_give() {
        let e = env(&[("PGHOST", "envhost"), ("PGPORT", "6000"), ("PGUSER", "envuser"), ("PGPASSWORD", "envpw"), ("PGDATABASE", "")], None);
        let i = resolve("postgres://urluser@urlhost", &e).unwrap();
        assert_eq!((i.host.as_str(), i.port, i.user.as_str()), ("urlhost", 6000, "urluser"));
        assert_eq!(i.password(), Some("envpw"));
        assert_eq!(i.password_source, PasswordSource::Environment);
        // An empty variable is unset: the database defaults to the user.
        assert_eq!(i.dbname, "urluser");
    }

    #[test]
    fn service_file_sits_between_the_string_and_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("services.conf");
        std::fs::write(&file, "# team\n[other]\nhost=wrong\n\n[team]\nhost = svc-host\nport=7000\ndbname=svcdb\nuser=svcuser\npassword=svcpw\n").unwrap();
        let f = file.to_str().unwrap();
        let e = env(&[("PGSERVICEFILE", f), ("PGPORT", "9999"), ("PGSSLMODE", "require")], None);
        let i = resolve("service=team user=me", &e).unwrap();
        assert_eq!((i.host.as_str(), i.port, i.dbname.as_str(), i.user.as_str()), ("svc-host", 7000, "svcdb", "me"));
        assert_eq!(i.password(), Some("svcpw"));
        assert_eq!(i.password_source, PasswordSource::ServiceFile(file.clone()));
        let e = env(&[("PGSERVICEFILE", f), ("PGSERVICE", "team")], None);
        assert_eq!(resolve("", &e).unwrap().host, "svc-host");
        let e = env(&[("PGSERVICEFILE", f), ("PGSYSCONFDIR", dir.path().to_str().unwrap())], None);
        let err = resolve("service=missing", &e).unwrap_err().to_string();
        assert!(err.contains("no service named \"missing\""), "{err}");
        std::fs::write(&file, "[team]\nfoo=1\n").unwrap();
        assert!(resolve("service=team", &e).unwrap_err().to_string().contains("unknown setting \"foo\""));
    }

    #[test]
    fn system_service_file_when_the_user_has_none() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("pg_service.conf"), "[corp]\nhost=corp-db\n").unwrap();
        let e = env(&[("PGSYSCONFDIR", dir.path().to_str().unwrap())], Some(dir.path()));
        assert_eq!(resolve("service=corp", &e).unwrap().host, "corp-db");
    }

    #[test]
    fn pgpass_first_matching_line_wins() {
        let home = tempfile::tempdir().unwrap();
        let pgpass = home.path().join(".pgpass");
        private_file(
            &pgpass,
            "# comment\nother:5432:*:alice:nope\ndb.example.org:5432:quire:bob:notbob\ndb.example.org:*:quire:alice:a\\:b\\\\c:d\n*:*:*:*:fallback\n",
        );
        let e = env(&[], Some(home.path()));
        let i = resolve("postgres://alice@db.example.org/quire", &e).unwrap();
        assert_eq!(i.password(), Some("a:b\\c:d"));
        assert_eq!(i.password_source, PasswordSource::PassFile(pgpass.clone()));
        assert_eq!(resolve("postgres://carol@x/y", &e).unwrap().password(), Some("fallback"));
        // A password given anywhere else wins over the file.
        assert_eq!(resolve("postgres://alice:given@db.example.org/quire", &e).unwrap().password(), Some("given"));
        // PGPASSFILE points elsewhere.
        let other = home.path().join("other-pass");
        private_file(&other, "*:*:*:alice:from-other\n");
        let e = env(&[("PGPASSFILE", other.to_str().unwrap())], Some(home.path()));
        assert_eq!(resolve("postgres://alice@db.example.org/quire", &e).unwrap().password(), Some("from-other"));
    }

    #[cfg(unix)]
    #[test]
    fn pgpass_readable_by_others_is_ignored_with_a_warning() {
        use std::os::unix::fs::PermissionsExt;
        let home = tempfile::tempdir().unwrap();
        let pgpass = home.path().join(".pgpass");
        std::fs::write(&pgpass, "*:*:*:*:pw\n").unwrap();
        std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o644)).unwrap();
        let i = resolve("postgres://u@h/d", &env(&[], Some(home.path()))).unwrap();
        assert_eq!(i.password(), None);
        assert!(i.warnings[0].contains("chmod 600"), "{:?}", i.warnings);
    }

    #[test]
    fn root_certificate_from_the_home_folder() {
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir(home.path().join(".postgresql")).unwrap();
        std::fs::write(home.path().join(".postgresql/root.crt"), "x").unwrap();
        let i = resolve("postgres://u@h/d?sslmode=verify-full", &env(&[], Some(home.path()))).unwrap();
        assert_eq!(i.sslrootcert, Some(RootCert::File(home.path().join(".postgresql/root.crt"))));
        assert!(i.verifies_server());
        assert!(!resolve("postgres://u@h/d", &env(&[], None)).unwrap().verifies_server());
    }
}
