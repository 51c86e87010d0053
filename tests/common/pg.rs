//! A real, throw-away PostgreSQL server for the team-library tests: Debian's `postgresql`
//! binaries, a cluster made by initdb in a temporary folder, listening only on 127.0.0.1 on a
//! free port, with TLS on (a certificate authority and server certificate made here, so that
//! clients can verify the server as verify-full). Stopped and deleted when dropped, also when
//! the test panics; a cluster left behind by a killed test process is stopped by the next run.
//!
//! initdb refuses to run as root: when the tests run as root (CI), the folder is handed to the
//! `postgres` user and the server programs run through `runuser -u postgres`.
//!
//! Include it with `#[path = "common/pg.rs"] mod pg;`.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The superuser made by initdb.
pub const ADMIN: &str = "admin";

pub struct PgServer {
    pub bin: PathBuf,
    pub port: u16,
    pub admin_password: String,
    /// The certificate authority that signed the server's certificate (sslrootcert).
    pub ca_cert: PathBuf,
    /// How long initdb + start took.
    pub started_in: Duration,
    data: PathBuf,
    run_as: Option<String>,
    running: bool,
    dir: tempfile::TempDir,
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// The folder with initdb, pg_ctl and postgres: QUIRE_PG_BINDIR, `pg_config --bindir`, or the
/// newest /usr/lib/postgresql/N/bin.
pub fn find_bin() -> Option<PathBuf> {
    let ok = |d: &Path| ["initdb", "pg_ctl", "postgres", "psql"].iter().all(|b| d.join(b).is_file());
    if let Some(d) = std::env::var_os("QUIRE_PG_BINDIR").map(PathBuf::from) {
        return ok(&d).then_some(d);
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let d = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && ok(&d) {
            return Some(d);
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| Some((e.file_name().to_str()?.parse::<u32>().ok()?, e.path().join("bin"))))
        .filter(|(_, d)| ok(d))
        .collect();
    versions.sort();
    versions.pop().map(|(_, d)| d)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port on 127.0.0.1")
}

fn chown_to(path: &Path, user: &str) {
    let status = Command::new("chown").args(["-R", user]).arg(path).status().expect("chown runs");
    assert!(status.success(), "chown -R {user} {}", path.display());
}

/// Where clusters are made: the temporary folder, but /tmp when running as root, since the
/// `postgres` user must be able to reach it (a TMPDIR under /root would not do).
fn base_dir() -> PathBuf {
    if is_root() { PathBuf::from("/tmp") } else { std::env::temp_dir() }
}

/// Stops and removes clusters left in the temporary folder by test processes that no longer run.
fn clean_stale(bin: &Path) {
    let Ok(entries) = std::fs::read_dir(base_dir()) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix("quire-pg-").and_then(|r| r.split('-').next()).and_then(|p| p.parse::<i32>().ok()) else { continue };
        // SAFETY: kill with signal 0 only checks that the process exists.
        let alive = unsafe { libc::kill(pid, 0) == 0 } || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM);
        if alive {
            continue;
        }
        let data = e.path().join("data");
        if data.join("postmaster.pid").exists() {
            let mut cmd = if is_root() { let mut c = Command::new("runuser"); c.args(["-u", "postgres", "--"]).arg(bin.join("pg_ctl")); c } else { Command::new(bin.join("pg_ctl")) };
            let _ = cmd.args(["-D"]).arg(&data).args(["-m", "immediate", "stop"]).output();
        }
        let _ = std::fs::remove_dir_all(e.path());
    }
}

impl PgServer {
    /// Starts a server, or prints `SKIPPED <test>: …` and returns None when PostgreSQL is not
    /// installed. Under CI (CI set) a missing PostgreSQL is a failure: CI installs it.
    pub fn start(test: &str) -> Option<PgServer> {
        let Some(bin) = find_bin() else {
            let msg = format!("{test}: PostgreSQL server binaries not found (install Debian's postgresql package, or set QUIRE_PG_BINDIR)");
            if std::env::var_os("CI").is_some() {
                panic!("{msg}; CI installs it (scripts/dev.sh), so this is a setup failure");
            }
            println!("SKIPPED {msg}");
            return None;
        };
        let run_as = if is_root() {
            if Command::new("id").args(["-u", "postgres"]).output().map(|o| !o.status.success()).unwrap_or(true) {
                let msg = format!("{test}: running as root and there is no `postgres` user to run the server as");
                if std::env::var_os("CI").is_some() {
                    panic!("{msg}");
                }
                println!("SKIPPED {msg}");
                return None;
            }
            Some("postgres".to_string())
        } else {
            None
        };
        clean_stale(&bin);
        let t0 = Instant::now();
        let dir = tempfile::Builder::new().prefix(&format!("quire-pg-{}-", std::process::id())).tempdir_in(base_dir()).expect("a temporary folder");
        let data = dir.path().join("data");
        let admin_password = format!("pw-{}", uuid::Uuid::new_v4().simple());
        let pwfile = dir.path().join("pwfile");
        std::fs::write(&pwfile, &admin_password).unwrap();
        let ca_cert = dir.path().join("ca.crt");
        make_certificates(dir.path(), &ca_cert);
        if let Some(user) = &run_as {
            chown_to(dir.path(), user);
        }
        let mut server = PgServer { bin, port: 0, admin_password, ca_cert, started_in: Duration::ZERO, data, run_as, running: false, dir };
        let out = server
            .server_cmd("initdb")
            .arg("-D")
            .arg(&server.data)
            .args(["-A", "scram-sha-256", "-U", ADMIN, "-E", "UTF8", "--locale=C", "--no-sync", "--pwfile"])
            .arg(&pwfile)
            .output()
            .expect("initdb runs");
        assert!(out.status.success(), "initdb failed: {}", String::from_utf8_lossy(&out.stderr));
        let _ = std::fs::remove_file(&pwfile);
        for f in ["server.crt", "server.key"] {
            std::fs::rename(server.dir.path().join(f), server.data.join(f)).unwrap();
        }
        // fsync and full-page writes off: fast, and a stopped *process* (`stop` below is a crash,
        // `-m immediate`) loses nothing the OS already has. synchronous_commit stays ON: with it
        // off, a commit the server acknowledged can vanish in that crash, and a server that
        // forgets what it confirmed is not one a sync can be tested against (docs/team.md says
        // what an operator must keep on).
        let conf = format!(
            "\n# quire test harness\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\nssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\nfsync = off\nfull_page_writes = off\nmax_connections = 60\nshared_buffers = 32MB\nlog_min_messages = warning\n",
            server.dir.path().display()
        );
        let mut text = std::fs::read_to_string(server.data.join("postgresql.conf")).unwrap();
        text.push_str(&conf);
        std::fs::write(server.data.join("postgresql.conf"), text).unwrap();
        // Password logins over TCP only, and only with TLS: a client that tries without TLS is
        // refused, so a test passing proves TLS was used.
        std::fs::write(
            server.data.join("pg_hba.conf"),
            "local all all scram-sha-256\nhostssl all all 127.0.0.1/32 scram-sha-256\nhostnossl all all 127.0.0.1/32 reject\n",
        )
        .unwrap();
        if let Some(user) = &server.run_as {
            chown_to(&server.data, user);
        }
        server.start_again();
        server.started_in = t0.elapsed();
        eprintln!("{test}: PostgreSQL ({}) ready on 127.0.0.1:{} in {:.2} s", server.bin.display(), server.port, server.started_in.as_secs_f64());
        Some(server)
    }

    fn server_cmd(&self, program: &str) -> Command {
        match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(self.bin.join(program));
                c
            }
            None => Command::new(self.bin.join(program)),
        }
    }

    /// Starts the (stopped) server again, on a new free port if its old one was taken.
    pub fn start_again(&mut self) {
        for attempt in 0..5 {
            let port = if self.port != 0 && attempt == 0 { self.port } else { free_port() };
            let out = self
                .server_cmd("pg_ctl")
                .arg("-D")
                .arg(&self.data)
                .arg("-l")
                .arg(self.dir.path().join("server.log"))
                .args(["-o", &format!("-p {port}"), "-w", "-t", "60", "start"])
                .output()
                .expect("pg_ctl runs");
            if out.status.success() {
                self.port = port;
                self.running = true;
                return;
            }
        }
        panic!("PostgreSQL did not start; its log:\n{}", std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default());
    }

    /// Stops the server at once (as a crash or a power cut would: `-m immediate`).
    pub fn stop(&mut self) {
        if self.running {
            let _ = self.server_cmd("pg_ctl").arg("-D").arg(&self.data).args(["-m", "immediate", "-w", "stop"]).output();
            self.running = false;
        }
    }

    /// A file-level backup of the whole server, as a DBA's nightly one: stops the server,
    /// copies its data folder (owner and modes kept), starts it again.
    pub fn snapshot(&mut self) -> PathBuf {
        let to = self.dir.path().join(format!("backup-{}", self.dir.path().read_dir().map(|d| d.count()).unwrap_or(0)));
        self.stop();
        let out = Command::new("cp").arg("-a").arg(&self.data).arg(&to).output().expect("cp runs");
        assert!(out.status.success(), "backup copy failed: {}", String::from_utf8_lossy(&out.stderr));
        self.start_again();
        to
    }

    /// Restores a `snapshot`: the server comes back as it was then, everything since lost.
    pub fn restore(&mut self, snapshot: &Path) {
        self.stop();
        std::fs::remove_dir_all(&self.data).expect("remove the data folder");
        let out = Command::new("cp").arg("-a").arg(snapshot).arg(&self.data).output().expect("cp runs");
        assert!(out.status.success(), "restore copy failed: {}", String::from_utf8_lossy(&out.stderr));
        self.start_again();
    }

    /// A connection URL for a login, verifying the server's certificate and name.
    pub fn url(&self, user: &str, password: &str, db: &str) -> String {
        format!(
            "postgres://{user}:{password}@127.0.0.1:{}/{db}?sslmode=verify-full&sslrootcert={}",
            self.port,
            self.ca_cert.display()
        )
    }

    pub fn admin_url(&self, db: &str) -> String {
        self.url(ADMIN, &self.admin_password, db)
    }

    /// A libpq connection string for psql (the password goes through PGPASSWORD).
    pub fn conninfo(&self, user: &str, db: &str) -> String {
        format!("host=127.0.0.1 port={} dbname={db} user={user} sslmode=verify-full sslrootcert={}", self.port, self.ca_cert.display())
    }

    /// Runs SQL through plain `psql` as a login: (success, stdout, stderr).
    pub fn psql(&self, user: &str, password: &str, db: &str, sql: &str) -> Psql {
        let out: Output = Command::new(self.bin.join("psql"))
            .arg(self.conninfo(user, db))
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql])
            .env("PGPASSWORD", password)
            .env("PGCONNECT_TIMEOUT", "20")
            .env_remove("PGSERVICE")
            .output()
            .expect("psql runs");
        Psql { ok: out.status.success(), out: String::from_utf8_lossy(&out.stdout).trim().to_string(), err: String::from_utf8_lossy(&out.stderr).trim().to_string() }
    }

    /// psql as the superuser; panics when the SQL fails.
    pub fn admin_sql(&self, db: &str, sql: &str) -> String {
        let r = self.psql(ADMIN, &self.admin_password, db, sql);
        assert!(r.ok, "admin SQL failed: {sql}\n{}", r.err);
        r.out
    }

    /// Creates a database owned by the superuser.
    pub fn create_db(&self, db: &str) {
        self.admin_sql("postgres", &format!("CREATE DATABASE \"{db}\""));
    }

    /// Creates a login with a password (and no Quire role yet).
    pub fn create_login(&self, name: &str, password: &str) {
        self.admin_sql("postgres", &format!("CREATE ROLE \"{name}\" LOGIN PASSWORD '{password}'"));
    }

    /// Runs a server program from the same installation (pg_dump…) with the superuser's password.
    pub fn tool(&self, program: &str) -> Command {
        let mut c = Command::new(self.bin.join(program));
        c.env("PGPASSWORD", &self.admin_password);
        c
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The outcome of one psql run.
#[derive(Debug)]
pub struct Psql {
    pub ok: bool,
    pub out: String,
    pub err: String,
}

/// Writes ca.crt (a certificate authority) and server.crt / server.key (for localhost and
/// 127.0.0.1, signed by it) into `dir`.
fn make_certificates(dir: &Path, ca_path: &Path) {
    use openssl::asn1::Asn1Time;
    use openssl::bn::{BigNum, MsbOption};
    use openssl::ec::{EcGroup, EcKey};
    use openssl::hash::MessageDigest;
    use openssl::nid::Nid;
    use openssl::pkey::PKey;
    use openssl::x509::extension::{BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName};
    use openssl::x509::{X509NameBuilder, X509};

    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap();
    let key = || PKey::from_ec_key(EcKey::generate(&group).unwrap()).unwrap();
    let name = |cn: &str| {
        let mut n = X509NameBuilder::new().unwrap();
        n.append_entry_by_nid(Nid::COMMONNAME, cn).unwrap();
        n.build()
    };
    let serial = || {
        let mut bn = BigNum::new().unwrap();
        bn.rand(64, MsbOption::MAYBE_ZERO, false).unwrap();
        bn.to_asn1_integer().unwrap()
    };

    let ca_key = key();
    let mut ca = X509::builder().unwrap();
    ca.set_version(2).unwrap();
    ca.set_serial_number(&serial()).unwrap();
    ca.set_subject_name(&name("Quire test CA")).unwrap();
    ca.set_issuer_name(&name("Quire test CA")).unwrap();
    ca.set_pubkey(&ca_key).unwrap();
    ca.set_not_before(&Asn1Time::days_from_now(0).unwrap()).unwrap();
    ca.set_not_after(&Asn1Time::days_from_now(2).unwrap()).unwrap();
    ca.append_extension(BasicConstraints::new().critical().ca().build().unwrap()).unwrap();
    ca.append_extension(KeyUsage::new().critical().key_cert_sign().crl_sign().build().unwrap()).unwrap();
    ca.sign(&ca_key, MessageDigest::sha256()).unwrap();
    let ca = ca.build();

    let server_key = key();
    let mut cert = X509::builder().unwrap();
    cert.set_version(2).unwrap();
    cert.set_serial_number(&serial()).unwrap();
    cert.set_subject_name(&name("localhost")).unwrap();
    cert.set_issuer_name(ca.subject_name()).unwrap();
    cert.set_pubkey(&server_key).unwrap();
    cert.set_not_before(&Asn1Time::days_from_now(0).unwrap()).unwrap();
    cert.set_not_after(&Asn1Time::days_from_now(2).unwrap()).unwrap();
    let san = SubjectAlternativeName::new().dns("localhost").ip("127.0.0.1").build(&cert.x509v3_context(Some(&ca), None)).unwrap();
    cert.append_extension(san).unwrap();
    cert.append_extension(KeyUsage::new().critical().digital_signature().key_agreement().build().unwrap()).unwrap();
    cert.append_extension(ExtendedKeyUsage::new().server_auth().build().unwrap()).unwrap();
    cert.sign(&ca_key, MessageDigest::sha256()).unwrap();
    let cert = cert.build();

    std::fs::write(ca_path, ca.to_pem().unwrap()).unwrap();
    std::fs::write(dir.join("server.crt"), cert.to_pem().unwrap()).unwrap();
    let key_path = dir.join("server.key");
    std::fs::write(&key_path, server_key.private_key_to_pem_pkcs8().unwrap()).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key_path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}
