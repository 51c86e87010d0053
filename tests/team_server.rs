//! The team library's server side against a real PostgreSQL (tests/common/pg.rs): `quire team
//! init` and its idempotence, the roles enforced by the server for any client (plain psql as
//! each role), what a hostile client cannot do, the audit chain, and push/pull.

#[path = "common/pg.rs"]
mod pg;

use pg::{PgServer, Psql};
use postgres::Client;
use quire::team::{self, ProcessEnvironment};
use serde_json::{json, Value};
use std::time::Instant;

const DB: &str = "quire";

fn client(pg: &PgServer, user: &str, password: &str) -> Client {
    let info = team::resolve(&pg.url(user, password, DB), &ProcessEnvironment).unwrap();
    team::connect(&info).unwrap()
}

/// A server with the team library initialised in database `quire`, and one login per role
/// (password = login name), given their roles by an admin through quire.set_person.
fn team_server(test: &str) -> Option<PgServer> {
    let pg = PgServer::start(test)?;
    pg.create_db(DB);
    let mut admin = client(&pg, pg::ADMIN, &pg.admin_password);
    let t = Instant::now();
    let report = team::init(&mut admin, "test").unwrap();
    eprintln!("{test}: quire team init applied {} migrations in {:.0} ms", report.applied.len(), t.elapsed().as_secs_f64() * 1000.0);
    for login in ["reader1", "contrib1", "contrib2", "approver1", "admin1"] {
        pg.create_login(login, login);
    }
    pg.admin_sql(DB, "SELECT quire.set_person('admin1', 'admin', 'Ada Admin', 'Security')");
    for (login, role) in [("reader1", "reader"), ("contrib1", "contributor"), ("contrib2", "contributor"), ("approver1", "approver")] {
        let r = pg.psql("admin1", "admin1", DB, &format!("SELECT quire.set_person('{login}', '{role}')"));
        assert!(r.ok, "admin1 gives {login} the role {role}: {}", r.err);
    }
    Some(pg)
}

fn as_user(pg: &PgServer, user: &str, sql: &str) -> Psql {
    pg.psql(user, user, DB, sql)
}

#[track_caller]
fn ok(r: Psql) -> String {
    assert!(r.ok, "expected success, got: {}", r.err);
    r.out
}

#[track_caller]
fn refused(r: Psql, needle: &str) {
    assert!(!r.ok, "expected a refusal ({needle}), but it succeeded: {}", r.out);
    assert!(r.err.contains(needle), "expected an error containing {needle:?}, got: {}", r.err);
}

const ENTRY: &str = "11111111-1111-1111-1111-111111111111";

fn insert_entry_sql(id: &str, status: &str) -> String {
    format!(
        "INSERT INTO quire.entries(id, question, question_key, answer, answer_raw, answer_key, review_by, status) \
         VALUES ('{id}', 'Do you encrypt data at rest?', 'encrypt data rest {id}', 'Yes', 'Yes, AES-256', 'yes', '2027-01-01', '{status}')"
    )
}

/// Everything that init defines, as text: the schema (pg_dump), the roles and their
/// memberships, the migrations recorded, default privileges.
fn catalog_snapshot(pg: &PgServer, db: &str) -> String {
    let out = pg
        .tool("pg_dump")
        .arg(pg.conninfo(pg::ADMIN, db))
        .args(["--schema-only", "--schema=quire"])
        .output()
        .unwrap();
    assert!(out.status.success(), "pg_dump: {}", String::from_utf8_lossy(&out.stderr));
    let roles = pg.admin_sql(
        db,
        "SELECT string_agg(format('%s %s %s %s', r.rolname, r.rolcanlogin, g.rolname, m.admin_option), E'\\n' ORDER BY r.rolname, g.rolname)
           FROM pg_roles r LEFT JOIN pg_auth_members m ON m.member = r.oid LEFT JOIN pg_roles g ON g.oid = m.roleid
          WHERE r.rolname LIKE 'quire%'",
    );
    let migrations = pg.admin_sql(db, "SELECT string_agg(format('%s %s %s %s', version, name, checksum, applied_at), E'\\n' ORDER BY version) FROM quire.migrations");
    let acl = pg.admin_sql(db, "SELECT string_agg(defaclacl::text, ';') FROM pg_default_acl");
    // pg_dump 15.14+ brackets its output with \restrict KEY / \unrestrict KEY, a fresh random key each run.
    let dump: String = String::from_utf8_lossy(&out.stdout).lines().filter(|l| !l.starts_with("\\restrict") && !l.starts_with("\\unrestrict")).collect::<Vec<_>>().join("\n");
    format!("{dump}\n{roles}\n{migrations}\n{acl}")
}

#[track_caller]
fn assert_same_text(after: &str, before: &str, what: &str) {
    if let Some((i, (a, b))) = after.lines().zip(before.lines()).enumerate().find(|(_, (a, b))| a != b) {
        panic!("{what}: line {} differs:\n  before: {b}\n  after:  {a}", i + 1);
    }
    assert_eq!(after.lines().count(), before.lines().count(), "{what}: not the same number of lines");
}

#[test]
fn init_creates_the_schema_once_and_running_it_again_changes_nothing() {
    let Some(pg) = PgServer::start("init_creates_the_schema_once_and_running_it_again_changes_nothing") else { return };
    pg.create_db(DB);
    let mut admin = client(&pg, pg::ADMIN, &pg.admin_password);
    let t = Instant::now();
    let first = team::init(&mut admin, "test").unwrap();
    let first_ms = t.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(first.applied.len(), team::migrate::MIGRATIONS.len());
    assert_eq!(first.already, 0);
    assert!(first.server_version.starts_with(|c: char| c.is_ascii_digit()), "{}", first.server_version);
    let before = catalog_snapshot(&pg, DB);
    assert!(before.contains("CREATE TABLE quire.entries"), "the dump shows the schema");

    let t = Instant::now();
    let second = team::init(&mut admin, "test").unwrap();
    let second_ms = t.elapsed().as_secs_f64() * 1000.0;
    assert!(second.applied.is_empty(), "nothing to apply the second time: {:?}", second.applied);
    assert_eq!(second.already, team::migrate::MIGRATIONS.len());
    assert_same_text(&catalog_snapshot(&pg, DB), &before, "a second init changed the schema, the roles or the migrations");
    eprintln!("figures: init {first_ms:.0} ms on an empty database, {second_ms:.0} ms when up to date");

    // Everything belongs to quire_owner; no function is executable by PUBLIC.
    assert_eq!(
        pg.admin_sql(DB, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'quire' AND pg_get_userbyid(c.relowner) <> 'quire_owner'"),
        "0"
    );
    assert_eq!(
        pg.admin_sql(
            DB,
            "SELECT coalesce(string_agg(p.proname, ', '), '') FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE n.nspname = 'quire' AND (p.proacl IS NULL OR EXISTS (SELECT 1 FROM aclexplode(p.proacl) a WHERE a.grantee = 0))"
        ),
        "",
        "functions executable by PUBLIC"
    );
    // Every synced table has row-level security on.
    assert_eq!(
        pg.admin_sql(DB, "SELECT coalesce(string_agg(relname, ', '), '') FROM pg_class c JOIN quire.sync_tables s ON s.name = c.relname WHERE c.relnamespace = 'quire'::regnamespace AND NOT c.relrowsecurity"),
        ""
    );

    // A database administrator who is not a superuser (CREATEROLE, owner of the database), as
    // on managed PostgreSQL services, can init a second database; the roles are shared.
    pg.admin_sql("postgres", "CREATE ROLE dba LOGIN CREATEROLE PASSWORD 'dba'");
    pg.admin_sql("postgres", "CREATE DATABASE teamb OWNER dba");
    let info = team::resolve(&pg.url("dba", "dba", "teamb"), &ProcessEnvironment).unwrap();
    let mut dba = team::connect(&info).unwrap();
    let r = team::init(&mut dba, "teamb").unwrap();
    assert_eq!(r.applied.len(), team::migrate::MIGRATIONS.len());
    assert_eq!(pg.admin_sql("teamb", "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'quire'"), "quire_owner");

    // A schema named quire that init did not make is left alone.
    pg.create_db("other");
    pg.admin_sql("other", "CREATE SCHEMA quire; CREATE TABLE quire.mine(x int)");
    let mut other = team::connect(&team::resolve(&pg.admin_url("other"), &ProcessEnvironment).unwrap()).unwrap();
    let e = team::init(&mut other, "other").unwrap_err().to_string();
    assert!(e.contains("did not make"), "{e}");
    assert_eq!(pg.admin_sql("other", "SELECT count(*) FROM quire.mine"), "0");

    // A database not in UTF-8 is refused before anything is created.
    pg.admin_sql("postgres", "CREATE DATABASE ascii TEMPLATE template0 ENCODING 'SQL_ASCII'");
    let mut ascii = team::connect(&team::resolve(&pg.admin_url("ascii"), &ProcessEnvironment).unwrap()).unwrap();
    let e = team::init(&mut ascii, "ascii").unwrap_err().to_string();
    assert!(e.contains("UTF8"), "{e}");
    assert_eq!(pg.admin_sql("ascii", "SELECT count(*) FROM pg_namespace WHERE nspname = 'quire'"), "0");

    // A migration whose file changed after it was applied is reported, not re-run.
    pg.admin_sql(DB, "UPDATE quire.migrations SET checksum = 'x' WHERE version = 3");
    let e = team::init(&mut admin, "test").unwrap_err().to_string();
    assert!(e.contains("003_library") && e.contains("differs"), "{e}");
}

#[test]
fn roles_are_enforced_by_the_server_for_plain_psql() {
    let Some(pg) = team_server("roles_are_enforced_by_the_server_for_plain_psql") else { return };

    // Who is who, as the server sees it.
    assert_eq!(ok(as_user(&pg, "contrib1", "SELECT role FROM quire.my_role()")), "contributor");
    assert_eq!(ok(as_user(&pg, "admin1", "SELECT role FROM quire.my_role()")), "admin");
    assert_eq!(ok(as_user(&pg, "approver1", "SELECT role FROM quire.people WHERE login = 'approver1'")), "approver");

    // A contributor drafts and marks reviewed, but neither approves nor inserts as approved.
    ok(as_user(&pg, "contrib1", &insert_entry_sql(ENTRY, "draft")));
    ok(as_user(&pg, "contrib1", &format!("UPDATE quire.entries SET status = 'reviewed', last_reviewed = '2026-06-01' WHERE id = '{ENTRY}'")));
    refused(as_user(&pg, "contrib1", &format!("UPDATE quire.entries SET status = 'approved' WHERE id = '{ENTRY}'")), "row-level security");
    refused(as_user(&pg, "contrib1", &insert_entry_sql("22222222-2222-2222-2222-222222222222", "approved")), "row-level security");

    // An approver approves; the server records who.
    ok(as_user(&pg, "approver1", &format!("UPDATE quire.entries SET status = 'approved' WHERE id = '{ENTRY}'")));
    assert_eq!(ok(as_user(&pg, "reader1", &format!("SELECT status || ' by ' || approved_by FROM quire.entries WHERE id = '{ENTRY}'"))), "approved by approver1");

    // A contributor cannot change, un-approve or delete an approved answer: the row is not theirs to update.
    assert_eq!(ok(as_user(&pg, "contrib1", &format!("UPDATE quire.entries SET answer_raw = 'No' WHERE id = '{ENTRY}' RETURNING id"))), "");
    assert_eq!(ok(as_user(&pg, "contrib1", &format!("UPDATE quire.entries SET status = 'draft' WHERE id = '{ENTRY}' RETURNING id"))), "");
    assert_eq!(ok(as_user(&pg, "contrib1", &format!("UPDATE quire.entries SET deleted = true WHERE id = '{ENTRY}' RETURNING id"))), "");
    assert_eq!(ok(as_user(&pg, "reader1", &format!("SELECT answer_raw || ' ' || status || ' ' || deleted FROM quire.entries WHERE id = '{ENTRY}'"))), "Yes, AES-256 approved false");

    // An approver changes an approved answer (it stays approved, now by them).
    ok(as_user(&pg, "approver1", &format!("UPDATE quire.entries SET answer_raw = 'Yes, AES-256-GCM' WHERE id = '{ENTRY}'")));
    assert_eq!(ok(as_user(&pg, "reader1", &format!("SELECT answer_raw FROM quire.entries WHERE id = '{ENTRY}'"))), "Yes, AES-256-GCM");
    // ... and the server kept the history, with who did it.
    assert_eq!(
        ok(as_user(&pg, "reader1", &format!("SELECT string_agg(field || ':' || created_by, ',' ORDER BY revision) FROM quire.entry_history WHERE entry_id = '{ENTRY}'"))),
        "last_reviewed:contrib1,status:contrib1,status:approver1,answer_raw:approver1"
    );

    // Review answers follow the same rule.
    let sha = ok(as_user(&pg, "contrib1", "SELECT encode(sha256('workbook'::bytea), 'hex')"));
    ok(as_user(&pg, "contrib1", &format!("INSERT INTO quire.blobs(sha256, bytes) VALUES ('{sha}', 'workbook'::bytea)")));
    ok(as_user(&pg, "contrib1", &format!("INSERT INTO quire.reviews(id, questionnaire, sha256) VALUES ('33333333-3333-3333-3333-333333333333', 'acme.xlsx', '{sha}')")));
    ok(as_user(&pg, "contrib1", "INSERT INTO quire.review_items(id, review_id, idx, question, answer, status) VALUES ('44444444-4444-4444-4444-444444444444', '33333333-3333-3333-3333-333333333333', 0, 'MFA?', 'Yes', 'draft')"));
    refused(as_user(&pg, "contrib1", "UPDATE quire.review_items SET status = 'approved' WHERE idx = 0"), "row-level security");
    ok(as_user(&pg, "approver1", "UPDATE quire.review_items SET status = 'approved' WHERE idx = 0"));
    assert_eq!(ok(as_user(&pg, "contrib1", "UPDATE quire.review_items SET answer = 'No' WHERE idx = 0 RETURNING idx")), "");
    // Assignments and comments: contributors work on them; the comment's author is the server's.
    ok(as_user(&pg, "contrib1", "INSERT INTO quire.assignments(id, review_id, idx, assignee, note) VALUES (gen_random_uuid(), '33333333-3333-3333-3333-333333333333', 0, 'Legal', 'needs an answer from Legal')"));
    ok(as_user(&pg, "contrib2", "INSERT INTO quire.comments(id, review_id, idx, body) VALUES ('55555555-5555-5555-5555-555555555555', '33333333-3333-3333-3333-333333333333', 0, 'Which MFA?')"));
    assert_eq!(ok(as_user(&pg, "reader1", "SELECT created_by FROM quire.comments")), "contrib2");

    // Finding statuses: accepting a risk is for approvers.
    ok(as_user(&pg, "contrib1", "INSERT INTO quire.vendors(id, name, record) VALUES ('66666666-6666-6666-6666-666666666666', 'Acme', '{}')"));
    ok(as_user(&pg, "contrib1", &format!("INSERT INTO quire.assessments(id, vendor_id, questionnaire, sha256, rubric, assessed_at, residual_tier, result) VALUES ('77777777-7777-7777-7777-777777777777', '66666666-6666-6666-6666-666666666666', 'acme.xlsx', '{sha}', 'default', now(), 'high', '{{}}')")));
    ok(as_user(&pg, "contrib1", "INSERT INTO quire.finding_status(id, assessment_id, finding, status) VALUES ('88888888-8888-8888-8888-888888888888', '77777777-7777-7777-7777-777777777777', 0, 'open')"));
    refused(as_user(&pg, "contrib1", "UPDATE quire.finding_status SET status = 'accepted' WHERE finding = 0"), "row-level security");
    ok(as_user(&pg, "approver1", "UPDATE quire.finding_status SET status = 'accepted', note = 'compensating control' WHERE finding = 0"));

    // A reader reads everything and changes nothing.
    assert_eq!(ok(as_user(&pg, "reader1", "SELECT count(*) FROM quire.entries")), "1");
    assert!(ok(as_user(&pg, "reader1", "SELECT count(*) FROM quire.audit_log")).parse::<i32>().unwrap() > 5);
    refused(as_user(&pg, "reader1", &insert_entry_sql("99999999-9999-9999-9999-999999999999", "draft")), "permission denied");
    refused(as_user(&pg, "reader1", &format!("UPDATE quire.entries SET comment = 'x' WHERE id = '{ENTRY}'")), "permission denied");
    refused(as_user(&pg, "reader1", "INSERT INTO quire.comments(id, review_id, body) VALUES (gen_random_uuid(), '33333333-3333-3333-3333-333333333333', 'hi')"), "permission denied");
    refused(as_user(&pg, "reader1", "SELECT quire.push('[]')"), "permission denied");
    refused(as_user(&pg, "reader1", "SELECT quire.log_event('export', 'review', 'x')"), "permission denied");
    ok(as_user(&pg, "reader1", "SELECT count(*) FROM quire.pull(0)"));

    // Only an admin manages rubrics and people.
    let rubric = "INSERT INTO quire.rubrics(id, name, body) VALUES (gen_random_uuid(), 'hospital', 'name = \"hospital\"')";
    refused(as_user(&pg, "contrib1", rubric), "permission denied");
    refused(as_user(&pg, "approver1", rubric), "permission denied");
    ok(as_user(&pg, "admin1", rubric));
    refused(as_user(&pg, "approver1", "UPDATE quire.rubrics SET body = 'x'"), "permission denied");
    refused(as_user(&pg, "approver1", "SELECT quire.set_person('contrib2', 'approver')"), "permission denied");
    refused(as_user(&pg, "contrib1", "SELECT quire.set_person('contrib1', 'admin')"), "permission denied");
    refused(as_user(&pg, "admin1", "INSERT INTO quire.people(login, display_name, role) VALUES ('contrib2', 'x', 'admin')"), "permission denied");
    refused(as_user(&pg, "admin1", "SELECT quire.set_person('admin', 'reader')"), "not a superuser");
    refused(as_user(&pg, "admin1", "SELECT quire.set_person('nobody', 'reader')"), "no PostgreSQL login");
    refused(as_user(&pg, "admin1", "SELECT quire.set_person('admin1', 'reader')"), "own admin role");
    // An admin promotes a contributor, and the server's role follows.
    ok(as_user(&pg, "admin1", "SELECT quire.set_person('contrib2', 'approver', 'Carl', 'Legal')"));
    assert_eq!(ok(as_user(&pg, "contrib2", "SELECT role FROM quire.my_role()")), "approver");
    ok(as_user(&pg, "contrib2", &format!("UPDATE quire.entries SET comment = 'checked' WHERE id = '{ENTRY}'")));
    ok(as_user(&pg, "admin1", "SELECT quire.remove_person('contrib2')"));
    // Removed: no role left, so not even the schema is visible.
    refused(as_user(&pg, "contrib2", "SELECT role FROM quire.my_role()"), "permission denied for schema quire");
    refused(as_user(&pg, "contrib2", "SELECT count(*) FROM quire.entries"), "permission denied");
    assert_eq!(ok(as_user(&pg, "reader1", "SELECT deleted FROM quire.people WHERE login = 'contrib2'")), "t");
}

#[test]
fn a_hostile_client_cannot_bypass_the_server() {
    let Some(pg) = team_server("a_hostile_client_cannot_bypass_the_server") else { return };
    ok(as_user(&pg, "contrib1", &insert_entry_sql(ENTRY, "draft")));
    ok(as_user(&pg, "approver1", "INSERT INTO quire.vendors(id, name, record) VALUES (gen_random_uuid(), 'Acme', '{}')"));

    // Revisions and who/when are the server's.
    refused(as_user(&pg, "contrib1", &format!("UPDATE quire.entries SET revision = 1 WHERE id = '{ENTRY}'")), "permission denied");
    refused(as_user(&pg, "contrib1", &format!("UPDATE quire.entries SET updated_by = 'approver1' WHERE id = '{ENTRY}'")), "permission denied");
    refused(as_user(&pg, "contrib1", &format!("UPDATE quire.entries SET approved_by = 'approver1' WHERE id = '{ENTRY}'")), "permission denied");
    refused(
        as_user(&pg, "contrib1", "INSERT INTO quire.entries(id, question, question_key, answer, answer_raw, answer_key, review_by, created_by) VALUES (gen_random_uuid(), 'q', 'k', 'Yes', 'Yes', 'y', '2027-01-01', 'approver1')"),
        "permission denied",
    );
    refused(as_user(&pg, "contrib1", "SELECT nextval('quire.revision_seq')"), "permission denied");
    refused(as_user(&pg, "contrib1", "UPDATE quire.clock SET holder = NULL"), "permission denied");
    refused(as_user(&pg, "contrib1", "SELECT * FROM quire.clock"), "permission denied");
    // Through quire.push too: the server's columns are ignored, not written.
    let before = ok(as_user(&pg, "contrib1", &format!("SELECT revision FROM quire.entries WHERE id = '{ENTRY}'"))).parse::<i64>().unwrap();
    let pushed = ok(as_user(
        &pg,
        "contrib1",
        &format!("SELECT quire.push('[{{\"table\": \"entries\", \"id\": \"{ENTRY}\", \"base_revision\": {before}, \"row\": {{\"comment\": \"c\", \"revision\": 1, \"updated_by\": \"approver1\", \"created_by\": \"approver1\"}}}}]')"),
    ));
    assert!(pushed.contains("\"applied\""), "{pushed}");
    assert_eq!(
        ok(as_user(&pg, "reader1", &format!("SELECT revision > {before}, created_by, updated_by FROM quire.entries WHERE id = '{ENTRY}'"))),
        "t|contrib1|contrib1"
    );

    // Nobody deletes rows, nor empties a table.
    refused(as_user(&pg, "approver1", &format!("DELETE FROM quire.entries WHERE id = '{ENTRY}'")), "permission denied");
    refused(as_user(&pg, "admin1", "TRUNCATE quire.entries"), "permission denied");
    refused(as_user(&pg, "admin1", "DELETE FROM quire.vendors"), "permission denied");

    // The audit log: no client writes it except through log_event, nobody rewrites it.
    refused(as_user(&pg, "admin1", "DELETE FROM quire.audit_log"), "permission denied");
    refused(as_user(&pg, "admin1", "UPDATE quire.audit_log SET actor = 'someone'"), "permission denied");
    refused(as_user(&pg, "admin1", "TRUNCATE quire.audit_log"), "permission denied");
    refused(
        as_user(&pg, "admin1", "INSERT INTO quire.audit_log VALUES (999, now(), 'x', 'insert', 'entries', 'x', NULL, NULL, '', '')"),
        "permission denied",
    );
    refused(as_user(&pg, "admin1", "SELECT quire.audit_write('insert', 'entries', 'x', NULL, NULL)"), "permission denied");
    refused(as_user(&pg, "admin1", "SELECT quire.clock_take()"), "permission denied");
    refused(as_user(&pg, "contrib1", "SELECT quire.log_event('update', 'entries', 'x')"), "not allowed");
    ok(as_user(&pg, "contrib1", "SELECT quire.log_event('export', 'review', 'acme.xlsx', '{\"file\": \"acme.filled.xlsx\"}')"));
    assert_eq!(ok(as_user(&pg, "reader1", "SELECT actor FROM quire.audit_log WHERE action = 'export'")), "contrib1");
    // Even the owner's own edits are refused by the append-only trigger (a superuser must disable it).
    refused(pg.psql(pg::ADMIN, &pg.admin_password, DB, "UPDATE quire.audit_log SET actor = 'x'"), "append-only");

    // Nobody becomes someone else, or changes the rules.
    refused(as_user(&pg, "contrib1", "SET ROLE quire_approver"), "permission denied");
    refused(as_user(&pg, "contrib1", "SET ROLE quire_owner"), "permission denied");
    refused(as_user(&pg, "contrib1", "SET SESSION AUTHORIZATION approver1"), "permission denied");
    refused(as_user(&pg, "admin1", "ALTER TABLE quire.entries DISABLE ROW LEVEL SECURITY"), "must be owner");
    refused(as_user(&pg, "admin1", "DROP POLICY contribute_update ON quire.entries"), "must be owner");
    refused(as_user(&pg, "admin1", "CREATE FUNCTION quire.now() RETURNS int LANGUAGE sql AS 'SELECT 1'"), "permission denied for schema quire");
    refused(as_user(&pg, "admin1", "GRANT quire_admin TO contrib1"), "admin option");
    // Another's comment is not yours to edit.
    let sha = ok(as_user(&pg, "contrib1", "SELECT encode(sha256('wb'::bytea), 'hex')"));
    ok(as_user(&pg, "contrib1", &format!("INSERT INTO quire.blobs(sha256, bytes) VALUES ('{sha}', 'wb'::bytea)")));
    ok(as_user(&pg, "contrib1", &format!("INSERT INTO quire.reviews(id, questionnaire, sha256) VALUES ('33333333-3333-3333-3333-333333333333', 'r.xlsx', '{sha}')")));
    ok(as_user(&pg, "contrib1", "INSERT INTO quire.comments(id, review_id, body) VALUES ('55555555-5555-5555-5555-555555555555', '33333333-3333-3333-3333-333333333333', 'mine')"));
    assert_eq!(ok(as_user(&pg, "contrib2", "UPDATE quire.comments SET body = 'forged' RETURNING id")), "");
    assert_eq!(ok(as_user(&pg, "approver1", "UPDATE quire.comments SET body = 'forged' RETURNING id")), "");
    ok(as_user(&pg, "admin1", "UPDATE quire.comments SET deleted = true"));
    assert_eq!(ok(as_user(&pg, "reader1", "SELECT body || ' ' || created_by || ' ' || updated_by FROM quire.comments")), "mine contrib1 admin1");

    // File bytes are exactly what their name says, and never change.
    refused(as_user(&pg, "contrib1", &format!("INSERT INTO quire.blobs(sha256, bytes) VALUES ('{sha}', 'other'::bytea) ON CONFLICT DO NOTHING RETURNING 1 ; INSERT INTO quire.blobs(sha256, bytes) VALUES (repeat('0', 64), 'x'::bytea)")), "blobs_hash_matches");
    refused(as_user(&pg, "contrib1", "UPDATE quire.blobs SET bytes = 'x'"), "permission denied");

    // Hostile values are refused by the table's rules, not stored.
    refused(as_user(&pg, "contrib1", &format!("UPDATE quire.entries SET answer = '=HYPERLINK(\"x\")' WHERE id = '{ENTRY}'")), "check constraint");
    refused(as_user(&pg, "contrib1", &format!("UPDATE quire.entries SET comment = repeat('x', 100001) WHERE id = '{ENTRY}'")), "check constraint");
}

#[test]
fn the_audit_chain_shows_a_superusers_edit() {
    let Some(pg) = team_server("the_audit_chain_shows_a_superusers_edit") else { return };
    ok(as_user(&pg, "contrib1", &insert_entry_sql(ENTRY, "draft")));
    ok(as_user(&pg, "contrib1", &format!("UPDATE quire.entries SET status = 'reviewed' WHERE id = '{ENTRY}'")));
    ok(as_user(&pg, "approver1", &format!("UPDATE quire.entries SET status = 'approved' WHERE id = '{ENTRY}'")));
    ok(as_user(&pg, "contrib1", "INSERT INTO quire.vendors(id, name, record) VALUES (gen_random_uuid(), 'Acme', '{\"service\": \"é ünïcode <b>x</b>\"}')"));

    // Who did what: the server's login, not anything the client said.
    assert_eq!(
        ok(as_user(&pg, "reader1", "SELECT string_agg(actor || ' ' || action || ' ' || entity, ', ' ORDER BY id) FROM quire.audit_log WHERE entity IN ('entries', 'vendors')")),
        "contrib1 insert entries, contrib1 update entries, approver1 update entries, contrib1 insert vendors"
    );
    assert_eq!(ok(as_user(&pg, "reader1", "SELECT coalesce(first_bad::text, 'whole') FROM quire.verify_audit()")), "whole");
    let mut reader = client(&pg, "reader1", "reader1");
    let check = team::audit::verify(&mut reader, "test", None).unwrap();
    assert!(check.is_whole(), "{:?}", check.problems);
    let records = check.records;
    assert!(records >= 9, "people, entries and the vendor were recorded: {records}");
    let (head_id, head_hash) = check.head.clone().unwrap();

    // A superuser edits a record in the middle (disabling the append-only trigger first).
    let victim: i64 = pg.admin_sql(DB, "SELECT id FROM quire.audit_log WHERE entity = 'entries' AND action = 'update' ORDER BY id LIMIT 1").parse().unwrap();
    pg.admin_sql(DB, &format!("ALTER TABLE quire.audit_log DISABLE TRIGGER audit_log_immutable; UPDATE quire.audit_log SET actor = 'approver1' WHERE id = {victim}; ALTER TABLE quire.audit_log ENABLE TRIGGER audit_log_immutable"));
    assert_eq!(ok(as_user(&pg, "reader1", "SELECT first_bad FROM quire.verify_audit()")), victim.to_string());
    let check = team::audit::verify(&mut reader, "test", Some((head_id, &head_hash))).unwrap();
    assert!(!check.is_whole());
    assert!(check.problems[0].contains(&format!("record {victim}")) && check.problems[0].contains("changed"), "{:?}", check.problems);

    // Put right, then a record removed from the middle: the next record's link breaks.
    pg.admin_sql(DB, &format!("ALTER TABLE quire.audit_log DISABLE TRIGGER audit_log_immutable; UPDATE quire.audit_log SET actor = 'contrib1' WHERE id = {victim}; ALTER TABLE quire.audit_log ENABLE TRIGGER audit_log_immutable"));
    assert!(team::audit::verify(&mut reader, "test", Some((head_id, &head_hash))).unwrap().is_whole());
    pg.admin_sql(DB, &format!("ALTER TABLE quire.audit_log DISABLE TRIGGER USER; DELETE FROM quire.audit_log WHERE id = {victim}; ALTER TABLE quire.audit_log ENABLE TRIGGER USER"));
    let check = team::audit::verify(&mut reader, "test", None).unwrap();
    assert!(check.problems.iter().any(|p| p.contains("link")), "{:?}", check.problems);
    assert_ne!(ok(as_user(&pg, "reader1", "SELECT coalesce(first_bad::text, 'whole') FROM quire.verify_audit()")), "whole");

    // Removing the END of the chain leaves a whole chain; the remembered anchor shows it.
    pg.admin_sql(DB, &format!("ALTER TABLE quire.audit_log DISABLE TRIGGER USER; DELETE FROM quire.audit_log WHERE id >= {victim}; ALTER TABLE quire.audit_log ENABLE TRIGGER USER"));
    let check = team::audit::verify(&mut reader, "test", None).unwrap();
    assert!(check.is_whole(), "a truncated chain is whole by itself: {:?}", check.problems);
    let check = team::audit::verify(&mut reader, "test", Some((head_id, &head_hash))).unwrap();
    assert!(check.problems.iter().any(|p| p.contains("no longer in the log")), "{:?}", check.problems);
}

fn push(c: &mut Client, changes: Value) -> Vec<Value> {
    let r: Value = c.query_one("SELECT quire.push($1)", &[&changes]).unwrap().get(0);
    r.as_array().unwrap().clone()
}

fn entry_row(question_key: &str, answer_raw: &str) -> Value {
    json!({"question": "Is data encrypted at rest?", "question_key": question_key, "answer": "Yes", "answer_raw": answer_raw,
           "answer_key": "yes", "review_by": "2027-01-01", "tags": "crypto"})
}

#[test]
fn push_applies_in_one_transaction_and_reports_conflicts_instead_of_overwriting() {
    let Some(pg) = team_server("push_applies_in_one_transaction_and_reports_conflicts_instead_of_overwriting") else { return };
    let mut alice = client(&pg, "contrib1", "contrib1");
    let mut bob = client(&pg, "contrib2", "contrib2");
    let mut approver = client(&pg, "approver1", "approver1");
    let a = uuid::Uuid::new_v4().to_string();
    let s = uuid::Uuid::new_v4().to_string();
    let p = uuid::Uuid::new_v4().to_string();
    let sha = "a".repeat(64);

    // A first batch: an entry, its source and provenance, parents first.
    let r = push(&mut alice, json!([
        {"table": "entries", "id": a, "base_revision": null, "row": entry_row("encrypt rest", "Yes, AES-256")},
        {"table": "sources", "id": s, "base_revision": null, "row": {"file_name": "hecvat.xlsx", "sha256": sha, "format": "xlsx",
                                                                      "imported_at": "2026-01-02T03:04:05Z", "questions": 10, "answered": 9}},
        {"table": "provenance", "id": p, "base_revision": null, "row": {"entry_id": a, "source_id": s, "sheet": "Data", "row": 12,
                                                                         "ref": "DATA-01", "answer_raw": "Yes", "imported_at": "2026-01-02T03:04:05Z"}}
    ]));
    assert!(r.iter().all(|x| x["status"] == "applied"), "{r:?}");
    let revs: Vec<i64> = r.iter().map(|x| x["revision"].as_i64().unwrap()).collect();
    assert!(revs.windows(2).all(|w| w[0] < w[1]), "{revs:?}");
    let rev_a = revs[0];

    // Bob edits the entry from what he pulled.
    let pulled: Vec<(String, i64)> = bob.query("SELECT tbl, revision FROM quire.pull(0)", &[]).unwrap().iter().map(|r| (r.get(0), r.get(1))).collect();
    assert!(pulled.contains(&("entries".to_string(), rev_a)), "{pulled:?}");
    let r = push(&mut bob, json!([{"table": "entries", "id": a, "base_revision": rev_a, "row": {"answer_raw": "Yes, AES-256-GCM"}}]));
    assert_eq!(r[0]["status"], "applied", "{r:?}");
    let rev_b = r[0]["revision"].as_i64().unwrap();

    // Alice edits the same entry offline from the old revision: a conflict, nothing overwritten,
    // the server's version returned to be shown side by side.
    let r = push(&mut alice, json!([{"table": "entries", "id": a, "base_revision": rev_a, "row": {"answer_raw": "Yes, with our own keys"}}]));
    assert_eq!(r[0]["status"], "conflict", "{r:?}");
    assert_eq!(r[0]["revision"], rev_b);
    assert_eq!(r[0]["server_row"]["answer_raw"], "Yes, AES-256-GCM");
    assert_eq!(r[0]["server_row"]["updated_by"], "contrib2");
    let now: String = alice.query_one("SELECT answer_raw FROM quire.entries WHERE id = $1::text::uuid", &[&a]).unwrap().get(0);
    assert_eq!(now, "Yes, AES-256-GCM");

    // A push retried after its commit went unseen (same values, old base) is applied, not a conflict.
    let r = push(&mut bob, json!([{"table": "entries", "id": a, "base_revision": rev_a, "row": {"answer_raw": "Yes, AES-256-GCM"}}]));
    assert_eq!((r[0]["status"].as_str(), r[0]["unchanged"].as_bool(), r[0]["revision"].as_i64()), (Some("applied"), Some(true), Some(rev_b)), "{r:?}");
    // So is an insert retried.
    let r = push(&mut alice, json!([{"table": "entries", "id": a, "base_revision": null, "row": {"answer_raw": "Yes, AES-256-GCM"}}]));
    assert_eq!(r[0]["status"], "applied", "{r:?}");

    // The same question and answer created on another desktop: a duplicate naming the row to adopt.
    let dup = uuid::Uuid::new_v4().to_string();
    let r = push(&mut bob, json!([{"table": "entries", "id": dup, "base_revision": null, "row": entry_row("encrypt rest", "Yes")}]));
    assert_eq!((r[0]["status"].as_str(), r[0]["existing_id"].as_str()), (Some("duplicate"), Some(a.as_str())), "{r:?}");

    // Approving: forbidden to a contributor, done by an approver; then the contributor's
    // change to the approved entry is forbidden even with the right base revision.
    let r = push(&mut alice, json!([{"table": "entries", "id": a, "base_revision": rev_b, "row": {"status": "approved"}}]));
    assert_eq!(r[0]["status"], "forbidden", "{r:?}");
    let r = push(&mut approver, json!([{"table": "entries", "id": a, "base_revision": rev_b, "row": {"status": "approved"}}]));
    assert_eq!(r[0]["status"], "applied", "{r:?}");
    let rev_c = r[0]["revision"].as_i64().unwrap();
    let r = push(&mut alice, json!([{"table": "entries", "id": a, "base_revision": rev_c, "row": {"answer_raw": "No"}}]));
    assert_eq!(r[0]["status"], "forbidden", "{r:?}");

    // One batch, mixed: the good changes are applied, each bad one is reported with its reason.
    let good = uuid::Uuid::new_v4().to_string();
    let r = push(&mut alice, json!([
        {"table": "entries", "id": good, "base_revision": null, "row": entry_row("mfa", "Yes")},
        {"table": "nope", "id": uuid::Uuid::new_v4().to_string(), "row": {}},
        {"table": "entries", "id": "not-a-uuid", "row": {}},
        {"table": "entries", "id": uuid::Uuid::new_v4().to_string(), "row": {"question": "q", "colour": "red"}},
        {"table": "entries", "id": uuid::Uuid::new_v4().to_string(), "row": entry_row("x", "Maybe") .as_object().map(|o| { let mut o = o.clone(); o.insert("answer".into(), json!("Maybe")); Value::Object(o) }).unwrap()},
        {"table": "entries", "id": uuid::Uuid::new_v4().to_string(), "row": {"question": 5, "question_key": [1], "answer": "Yes", "answer_raw": "", "answer_key": "", "review_by": "not a date"}},
        {"table": "evidence", "id": uuid::Uuid::new_v4().to_string(), "row": {"title": "SOC 2", "file_name": "soc2.pdf", "sha256": "b".repeat(64), "kind": "pdf", "added_at": "2026-01-01T00:00:00Z"}},
        {"table": "entries", "id": uuid::Uuid::new_v4().to_string(), "base_revision": 5, "row": {"question": "gone"}}
    ]));
    let statuses: Vec<&str> = r.iter().map(|x| x["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["applied", "rejected", "rejected", "rejected", "rejected", "rejected", "rejected", "conflict"], "{r:#?}");
    assert!(r[3]["reason"].as_str().unwrap().contains("colour"), "{:?}", r[3]);
    assert_eq!(r[4]["sqlstate"], "23514", "a check violation: {:?}", r[4]);
    assert_eq!(r[6]["sqlstate"], "23503", "evidence needs its file first: {:?}", r[6]);
    let n: i64 = alice.query_one("SELECT count(*) FROM quire.entries WHERE id = $1::text::uuid", &[&good]).unwrap().get(0);
    assert_eq!(n, 1);

    // Runs of new rows go in together; a run with a bad row falls back to row by row, so each
    // row still gets its own answer, in order.
    let ids: Vec<String> = (0..6).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    let run: Vec<Value> = (0..6).map(|i| json!({"table": "entries", "id": ids[i], "row": entry_row(&format!("bulk {i}"), "Yes")})).collect();
    let r = push(&mut alice, Value::Array(run[..3].to_vec()));
    assert!(r.iter().all(|x| x["status"] == "applied" && x["bulk"] == true), "inserted as one run: {r:?}");
    let revs: Vec<i64> = r.iter().map(|x| x["revision"].as_i64().unwrap()).collect();
    assert!(revs.windows(2).all(|w| w[0] < w[1]), "{revs:?}");
    // Again, with one new row: the three already there are "applied, unchanged", the new one applied.
    let r = push(&mut alice, Value::Array(run[..4].to_vec()));
    assert_eq!(r.iter().map(|x| x["status"].as_str().unwrap()).collect::<Vec<_>>(), ["applied"; 4], "{r:?}");
    assert_eq!(r[0]["revision"], revs[0]);
    assert_eq!(r[0]["unchanged"], true);
    let mut approved = run[5].clone();
    approved["row"]["status"] = json!("approved");
    let clash = json!({"table": "entries", "id": uuid::Uuid::new_v4().to_string(), "row": entry_row("bulk 0", "Yes")});
    let r = push(&mut alice, json!([run[4], clash, approved]));
    assert_eq!(r.iter().map(|x| x["status"].as_str().unwrap()).collect::<Vec<_>>(), ["applied", "duplicate", "forbidden"], "{r:#?}");
    assert_eq!(r[0]["bulk"], true, "the run went in together, skipping the clash: {r:?}");
    assert_eq!(r[1]["existing_id"], ids[0].as_str());

    // A push inside a transaction that is rolled back leaves nothing.
    let mut tx = alice.transaction().unwrap();
    let gone = uuid::Uuid::new_v4().to_string();
    let r: Value = tx.query_one("SELECT quire.push($1)", &[&json!([{"table": "entries", "id": gone, "row": entry_row("rolled back", "Yes")}])]).unwrap().get(0);
    assert_eq!(r[0]["status"], "applied");
    tx.rollback().unwrap();
    let n: i64 = alice.query_one("SELECT count(*) FROM quire.entries WHERE id = $1::text::uuid", &[&gone]).unwrap().get(0);
    assert_eq!(n, 0);

    // A reader cannot push.
    let mut reader = client(&pg, "reader1", "reader1");
    let e = reader.query_one("SELECT quire.push('[]')", &[]).unwrap_err();
    assert!(e.to_string().contains("permission denied") || format!("{e:?}").contains("permission denied"), "{e:?}");

    // Pull: everything in revision order, pages that join up, history included.
    let all: Vec<(String, i64, Value)> = reader.query("SELECT tbl, revision, row_data FROM quire.pull(0, 100000)", &[]).unwrap().iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect();
    assert!(all.windows(2).all(|w| w[0].1 < w[1].1));
    assert!(all.iter().any(|(t, _, row)| t == "entry_history" && row["field"] == "status" && row["created_by"] == "approver1"));
    let mut paged = Vec::new();
    let mut since = 0i64;
    loop {
        let page: Vec<i64> = reader.query("SELECT revision FROM quire.pull($1, 3)", &[&since]).unwrap().iter().map(|r| r.get(0)).collect();
        if page.is_empty() {
            break;
        }
        since = *page.last().unwrap();
        paged.extend(page);
    }
    assert_eq!(paged, all.iter().map(|x| x.1).collect::<Vec<_>>());
}

#[test]
fn revisions_follow_commit_order_so_a_pull_never_skips_a_late_commit() {
    let Some(pg) = team_server("revisions_follow_commit_order_so_a_pull_never_skips_a_late_commit") else { return };
    let mut alice = client(&pg, "contrib1", "contrib1");
    let mut reader = client(&pg, "reader1", "reader1");
    let first = uuid::Uuid::new_v4().to_string();
    push(&mut alice, json!([{"table": "entries", "id": first, "row": entry_row("one", "Yes")}]));
    let seen: i64 = reader.query_one("SELECT coalesce(max(revision), 0) FROM quire.pull(0, 100000)", &[]).unwrap().get(0);

    // Alice's transaction writes and stays open; Bob's write must wait for it.
    let mut tx = alice.transaction().unwrap();
    let slow = uuid::Uuid::new_v4().to_string();
    let r: Value = tx.query_one("SELECT quire.push($1)", &[&json!([{"table": "entries", "id": slow, "row": entry_row("slow", "Yes")}])]).unwrap().get(0);
    let slow_rev = r[0]["revision"].as_i64().unwrap();
    let url = pg.url("contrib2", "contrib2", DB);
    let fast = uuid::Uuid::new_v4().to_string();
    let fast_id = fast.clone();
    let bob = std::thread::spawn(move || {
        let mut bob = team::connect(&team::resolve(&url, &ProcessEnvironment).unwrap()).unwrap();
        let r = push(&mut bob, json!([{"table": "entries", "id": fast_id, "row": entry_row("fast", "Yes")}]));
        r[0]["revision"].as_i64().unwrap()
    });
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(!bob.is_finished(), "a second writer waits for the open transaction");
    // A pull now sees neither, so its watermark stays below both.
    let now: i64 = reader.query_one("SELECT coalesce(max(revision), 0) FROM quire.pull(0, 100000)", &[]).unwrap().get(0);
    assert_eq!(now, seen);
    tx.commit().unwrap();
    let fast_rev = bob.join().unwrap();
    assert!(fast_rev > slow_rev, "the later commit has the higher revision ({fast_rev} > {slow_rev})");
    let after: Vec<i64> = reader.query("SELECT revision FROM quire.pull($1, 100000) WHERE tbl = 'entries'", &[&seen]).unwrap().iter().map(|r| r.get(0)).collect();
    assert_eq!(after, vec![slow_rev, fast_rev]);
}

#[test]
fn the_command_line_inits_once_then_reports_up_to_date() {
    let Some(pg) = PgServer::start("the_command_line_inits_once_then_reports_up_to_date") else { return };
    pg.create_db(DB);
    pg.create_login("alice", "alice");
    let quire = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_quire"))
            .args(args)
            .env_remove("PGSERVICE")
            .env_remove("PGPASSWORD")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let url = pg.admin_url(DB);
    let (code, out, err) = quire(&["team", "init", &url, "--admin", "alice"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("applied 001_roles_schema") && out.contains("alice is a Quire admin"), "{out}");
    assert!(!out.contains(&pg.admin_password) && !err.contains(&pg.admin_password), "the password is never printed");
    assert!(!err.contains("warning"), "verify-full with the test CA gives no warning: {err}");
    let (code, out, _) = quire(&["team", "init", &url]);
    assert_eq!(code, Some(0));
    assert!(out.contains("already up to date"), "{out}");
    assert_eq!(ok(as_user(&pg, "alice", "SELECT role FROM quire.my_role()")), "admin");

    // Refusals exit 1 with the reason; the password stays hidden.
    let (code, _, err) = quire(&["team", "init", &url.replace("sslmode=verify-full", "sslmode=disable")]);
    assert_eq!(code, Some(1));
    assert!(err.contains("only over TLS") && !err.contains(&pg.admin_password), "{err}");
    let (code, _, err) = quire(&["team", "init", &url.replace(&pg.admin_password, "wrong")]);
    assert_eq!(code, Some(1));
    assert!(err.contains("was refused"), "{err}");
    // Without a password and without a terminal to ask at: say where a password may go.
    let (code, _, err) = quire(&["team", "init", &format!("postgres://admin@127.0.0.1:{}/{DB}?sslmode=require", pg.port)]);
    assert_eq!(code, Some(1));
    assert!(err.contains("certificate is not verified") && err.contains(".pgpass"), "{err}");
}
