//! Opening a connection to the team library: resolved settings (conninfo.rs) → a rust-postgres
//! client over TLS (the system OpenSSL), with the server's certificate checked as `sslmode`
//! says, and errors a person can act on (wrong password, unreachable server, untrusted
//! certificate, no TLS on the server).

use super::conninfo::{ConnInfo, RootCert, SslMode};
use crate::{Error, Result};
use openssl::ssl::{SslConnector, SslFiletype, SslMethod, SslVerifyMode};
use postgres::config::SslMode as PgSslMode;
use postgres::{Client, Config, NoTls};
use postgres_openssl::MakeTlsConnector;
use zeroize::Zeroizing;

/// Connects with the settings as resolved.
pub fn connect(info: &ConnInfo) -> Result<Client> {
    let config = config(info);
    let result = if info.is_socket() { config.connect(NoTls) } else { config.connect(tls_connector(info)?) };
    result.map_err(|e| connect_error(info, &e))
}

/// Connects, and when the server asks for a password that nothing gave, asks `prompt` for it
/// once (the CLI reads it from the terminal without echo) and tries again.
pub fn connect_prompting(info: &mut ConnInfo, prompt: &mut dyn FnMut(&ConnInfo) -> Option<Zeroizing<String>>) -> Result<Client> {
    let config = config(info);
    let first = if info.is_socket() { config.connect(NoTls) } else { config.connect(tls_connector(info)?) };
    match first {
        Ok(c) => Ok(c),
        Err(e) if info.password().is_none() && full_text(&e).contains("password missing") => match prompt(info) {
            Some(pw) => {
                info.set_prompted_password(pw);
                connect(info)
            }
            None => Err(connect_error(info, &e)),
        },
        Err(e) => Err(connect_error(info, &e)),
    }
}

/// The error with its cause ("invalid configuration: password missing"): rust-postgres keeps
/// the cause apart from its Display.
fn full_text(e: &postgres::Error) -> String {
    match std::error::Error::source(e) {
        Some(s) if !e.to_string().contains(&s.to_string()) => format!("{e}: {s}"),
        _ => e.to_string(),
    }
}

fn config(info: &ConnInfo) -> Config {
    let mut c = Config::new();
    c.user(&info.user).dbname(&info.dbname).port(info.port).application_name(&info.application_name);
    if info.is_socket() {
        c.host_path(&info.host).ssl_mode(PgSslMode::Disable);
    } else {
        c.host(&info.host).ssl_mode(PgSslMode::Require);
        if let Some(addr) = info.hostaddr {
            c.hostaddr(addr);
        }
    }
    if let Some(pw) = info.password() {
        c.password(pw);
    }
    if let Some(t) = info.connect_timeout {
        c.connect_timeout(t);
    }
    c
}

/// The TLS client: no certificate check for plain `require` without a root certificate (as
/// libpq), the chain for `verify-ca` (and `require` with a root certificate), the chain and the
/// host name for `verify-full`. A client certificate when one is given.
fn tls_connector(info: &ConnInfo) -> Result<MakeTlsConnector> {
    let server = info.server();
    let tls_err = |what: &str, e: openssl::error::ErrorStack| Error::Team { server: server.clone(), detail: format!("{what}: {e}") };
    let mut b = SslConnector::builder(SslMethod::tls_client()).map_err(|e| tls_err("cannot set up TLS", e))?;
    match &info.sslrootcert {
        None => b.set_verify(SslVerifyMode::NONE),
        Some(RootCert::System) => {
            b.set_default_verify_paths().map_err(|e| tls_err("cannot load the system's trusted certificates", e))?;
            b.set_verify(SslVerifyMode::PEER);
        }
        Some(RootCert::File(path)) => {
            b.set_ca_file(path).map_err(|e| tls_err(&format!("cannot load the root certificate {}", path.display()), e))?;
            b.set_verify(SslVerifyMode::PEER);
        }
    }
    if let Some(cert) = &info.sslcert {
        b.set_certificate_chain_file(cert).map_err(|e| tls_err(&format!("cannot load the client certificate {}", cert.display()), e))?;
        if let Some(key) = &info.sslkey {
            b.set_private_key_file(key, SslFiletype::PEM).map_err(|e| tls_err(&format!("cannot load the client key {}", key.display()), e))?;
        }
    }
    let mut connector = MakeTlsConnector::new(b.build());
    if info.sslmode != SslMode::VerifyFull {
        connector.set_callback(|cfg, _host| {
            cfg.set_verify_hostname(false);
            Ok(())
        });
    }
    Ok(connector)
}

/// A connection failure, said so that the person knows what to do.
fn connect_error(info: &ConnInfo, e: &postgres::Error) -> Error {
    use postgres::error::SqlState;
    let text = full_text(e);
    let source = std::error::Error::source(e).map(|s| s.to_string()).unwrap_or_default();
    let detail = if e.code() == Some(&SqlState::INVALID_PASSWORD) {
        format!(
            "the password for {} was refused ({}); check it, or the login's entry in ~/.pgpass",
            info.user,
            match &info.password_source {
                super::conninfo::PasswordSource::ConnectionString => "given in the connection string".to_string(),
                super::conninfo::PasswordSource::ServiceFile(f) => format!("from the service file {}", f.display()),
                super::conninfo::PasswordSource::Environment => "from PGPASSWORD".to_string(),
                super::conninfo::PasswordSource::PassFile(f) => format!("from {}", f.display()),
                super::conninfo::PasswordSource::Prompt => "as typed".to_string(),
                super::conninfo::PasswordSource::None => "none given".to_string(),
            }
        )
    } else if e.code() == Some(&SqlState::INVALID_CATALOG_NAME) {
        format!("there is no database \"{}\" on the server; ask its administrator to create it (createdb), or check the name", info.dbname)
    } else if e.code() == Some(&SqlState::INVALID_AUTHORIZATION_SPECIFICATION) {
        format!("the server does not let {} in: {}", info.user, e.as_db_error().map(|d| d.message().to_string()).unwrap_or(text))
    } else if text.contains("password missing") {
        format!("the server asks for {}'s password and none was given: put it in ~/.pgpass (host:port:database:user:password, chmod 600) or PGPASSWORD, or run from a terminal to be asked", info.user)
    } else if text.contains("server does not support TLS") {
        "the server does not accept TLS connections; Quire sends the team library only over TLS: ask the database administrator to turn on ssl in postgresql.conf".to_string()
    } else if text.contains("certificate verify failed") {
        format!(
            "the server's TLS certificate could not be verified ({source}); give the certificate that signed it with sslrootcert=FILE{}",
            if info.sslmode == SslMode::VerifyFull { ", and connect with the host name the certificate names" } else { "" }
        )
    } else if let Some(db) = e.as_db_error() {
        db.message().to_string()
    } else {
        format!("cannot connect ({text}); check the host and port, and that the server is running and reachable")
    };
    Error::Team { server: info.server(), detail }
}

/// A query error on an open connection, as a team-library error naming the server.
pub fn query_error(server: &str, what: &str, e: &postgres::Error) -> Error {
    let detail = match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(d) => format!("{what}: {} ({d})", db.message()),
            None => format!("{what}: {}", db.message()),
        },
        None => format!("{what}: {e}"),
    };
    Error::Team { server: server.to_string(), detail }
}
