//! Connecting to the team library as libpq users expect, against a real PostgreSQL with TLS
//! (tests/common/pg.rs): the server's certificate verified, the password from the URL,
//! PGPASSWORD, ~/.pgpass, a service file or a prompt, and messages that say what to do.

#[path = "common/pg.rs"]
mod pg;

use pg::PgServer;
use quire::team::{self, conninfo::PasswordSource, Environment};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// An environment of the test's own (no PG* variable of the machine running the tests leaks in).
struct Env {
    vars: HashMap<&'static str, String>,
    home: PathBuf,
}
impl Environment for Env {
    fn var(&self, name: &str) -> Option<String> {
        self.vars.get(name).cloned()
    }
    fn home(&self) -> Option<PathBuf> {
        Some(self.home.clone())
    }
    fn os_user(&self) -> Option<String> {
        Some("nobody-here".into())
    }
}

fn private_file(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

fn uses_tls(c: &mut postgres::Client) -> bool {
    c.query_one("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", &[]).unwrap().get(0)
}

#[test]
fn connections_use_tls_and_find_the_password_where_libpq_would() {
    let Some(pg) = PgServer::start("connections_use_tls_and_find_the_password_where_libpq_would") else { return };
    pg.create_db("quire");
    pg.create_login("alice", "alice-pw");
    let home = tempfile::tempdir().unwrap();
    let env = |vars: &[(&'static str, String)]| Env { vars: vars.iter().cloned().collect(), home: home.path().to_path_buf() };
    let ca = pg.ca_cert.display().to_string();
    let port = pg.port;

    // The URL, verify-full against the test CA; by IP and by name.
    let info = team::resolve(&pg.url("alice", "alice-pw", "quire"), &env(&[])).unwrap();
    assert!(info.verifies_server());
    let mut c = team::connect(&info).unwrap();
    assert!(uses_tls(&mut c));
    let who: String = c.query_one("SELECT current_user::text", &[]).unwrap().get(0);
    assert_eq!(who, "alice");
    let by_name = format!("postgres://alice:alice-pw@localhost:{port}/quire?sslmode=verify-full&sslrootcert={ca}");
    assert!(uses_tls(&mut team::connect(&team::resolve(&by_name, &env(&[])).unwrap()).unwrap()));

    // sslmode=require without a root certificate encrypts without verifying (as libpq).
    let info = team::resolve(&format!("postgres://alice:alice-pw@127.0.0.1:{port}/quire"), &env(&[])).unwrap();
    assert!(!info.verifies_server());
    assert!(uses_tls(&mut team::connect(&info).unwrap()));

    // A certificate the system does not trust is refused under verify-full, with what to do.
    let untrusted = format!("postgres://alice:alice-pw@127.0.0.1:{port}/quire?sslmode=verify-full&sslrootcert=system");
    let e = team::connect(&team::resolve(&untrusted, &env(&[])).unwrap()).err().expect("the connection must fail").to_string();
    assert!(e.contains("could not be verified") && e.contains("sslrootcert"), "{e}");
    // A certificate for another name is refused under verify-full, accepted under verify-ca.
    let wrong_name = format!("host=127.0.0.2 hostaddr=127.0.0.1 port={port} dbname=quire user=alice password=alice-pw sslmode=verify-full sslrootcert={ca}");
    let e = team::connect(&team::resolve(&wrong_name, &env(&[])).unwrap()).err().expect("the connection must fail").to_string();
    assert!(e.contains("could not be verified"), "{e}");
    let ca_only = wrong_name.replace("verify-full", "verify-ca");
    assert!(uses_tls(&mut team::connect(&team::resolve(&ca_only, &env(&[])).unwrap()).unwrap()));

    // PGPASSWORD and the PG* variables.
    let vars = [("PGHOST", "127.0.0.1".to_string()), ("PGPORT", port.to_string()), ("PGDATABASE", "quire".into()), ("PGUSER", "alice".into()),
                ("PGSSLMODE", "verify-full".into()), ("PGSSLROOTCERT", ca.clone()), ("PGPASSWORD", "alice-pw".into())];
    let info = team::resolve("", &env(&vars)).unwrap();
    assert_eq!(info.password_source, PasswordSource::Environment);
    team::connect(&info).unwrap();

    // ~/.pgpass, matched on host, port, database and user.
    private_file(&home.path().join(".pgpass"), &format!("127.0.0.1:{port}:other:alice:wrong\n127.0.0.1:{port}:quire:alice:alice-pw\n"));
    let info = team::resolve(&format!("postgres://alice@127.0.0.1:{port}/quire?sslrootcert={ca}&sslmode=verify-full"), &env(&[])).unwrap();
    assert_eq!(info.password_source, PasswordSource::PassFile(home.path().join(".pgpass")));
    team::connect(&info).unwrap();

    // A service in ~/.pg_service.conf (the password then from ~/.pgpass).
    std::fs::write(
        home.path().join(".pg_service.conf"),
        format!("[team]\nhost=127.0.0.1\nport={port}\ndbname=quire\nuser=alice\nsslmode=verify-full\nsslrootcert={ca}\n"),
    )
    .unwrap();
    let info = team::resolve("service=team", &env(&[])).unwrap();
    assert!(uses_tls(&mut team::connect(&info).unwrap()));
    let info = team::resolve("", &env(&[("PGSERVICE", "team".into())])).unwrap();
    team::connect(&info).unwrap();
    std::fs::remove_file(home.path().join(".pgpass")).unwrap();

    // No password anywhere: asked once, then used.
    let mut info = team::resolve("service=team", &env(&[])).unwrap();
    let e = team::connect(&info).err().expect("the connection must fail").to_string();
    assert!(e.contains("password") && e.contains(".pgpass"), "{e}");
    let mut asked = 0;
    let mut c = team::connect_prompting(&mut info, &mut |_| {
        asked += 1;
        Some(zeroize::Zeroizing::new("alice-pw".to_string()))
    })
    .unwrap();
    assert_eq!(asked, 1);
    assert_eq!(info.password_source, PasswordSource::Prompt);
    assert!(uses_tls(&mut c));
    // Nobody to ask (no terminal): the message says where a password may go.
    let mut info = team::resolve("service=team", &env(&[])).unwrap();
    let e = team::connect_prompting(&mut info, &mut |_| None).err().expect("the connection must fail").to_string();
    assert!(e.contains("none was given"), "{e}");

    // A wrong password says where it came from; a missing database says so.
    let info = team::resolve("service=team password=nope", &env(&[])).unwrap();
    let e = team::connect(&info).err().expect("the connection must fail").to_string();
    assert!(e.contains("was refused") && e.contains("connection string") && !e.contains("nope"), "{e}");
    let info = team::resolve(&pg.url("alice", "alice-pw", "missing"), &env(&[])).unwrap();
    let e = team::connect(&info).err().expect("the connection must fail").to_string();
    assert!(e.contains("no database \"missing\""), "{e}");
    // Nothing listening: the message names the server and what to check.
    let closed = "postgres://alice:alice-pw@127.0.0.1:1/quire?connect_timeout=3".to_string();
    let e = team::connect(&team::resolve(&closed, &env(&[])).unwrap()).err().expect("the connection must fail").to_string();
    assert!(e.contains("alice@127.0.0.1:1/quire") && e.contains("cannot connect"), "{e}");
}
