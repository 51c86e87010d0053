//! The desktop's sync of its local library with the team library (docs/team.md, "The desktop
//! side"): `join` links a library to a server and syncs, `sync` pulls what changed since the
//! last pulled revision and pushes what changed here, `status` says where things stand without
//! the network, `leave` unlinks. The CLI (`quire team …`) and the app call these.
//!
//! What syncs: the answer library (imported files' records, entries with their status and
//! provenance, evidence documents with their files, links: `answers.rs`); the vendor register
//! (vendors, assessments, finding statuses: `register.rs`); and reviews in progress with their
//! answers, assignments and comment threads (`reviews.rs`). Each row's bookkeeping and the checks
//! of what the server sent are `rows.rs`. Local state lives in the library (migrations 010–012): every synced row's global id, the server
//! revision it was last seen at, the row as it was then (the base of a three-way merge), and a
//! stamp marking a local change not yet pushed; triggers keep the stamps.
//!
//! Why an interrupted sync leaves both sides consistent: a pulled page is applied in one SQLite
//! write transaction together with the new watermark (`last_pulled`), so a kill leaves either
//! both or neither; a push is one call of `quire.push`, one server transaction, and its results
//! are recorded in one SQLite transaction afterwards. Killed between the two, the next sync
//! pulls the pushed rows back: they match the local ones field for field, so they only clear
//! the marks (no duplicate: rows are known by their global id, and a revision already seen is
//! skipped).
//!
//! Conflicts are never silent. An entry changed on both sides is merged field by field against
//! its base; fields only one side changed are taken from that side. When both changed the
//! answer differently (or one side deleted what the other edited), both answers are kept: the
//! server's under the entry's id, the local one as a new entry, and the library shows them as a
//! conflict (`library list --conflicts`) until someone resolves it, which deletes the other side
//! — a change that syncs like any other. When the answer is the same but both changed, say, the
//! comment, the server's value is kept and the local one goes to `sync_conflicts` and the
//! entry's history. A change the server refuses (a contributor approving, or editing an
//! approved answer) stays waiting, with the server's reason, until an approver makes it.

use super::answers::{apply_entry, apply_evidence, apply_link, apply_provenance, apply_source};
use super::rows::{a, is_deleted, noun, short, sql, sync_row, NOT_HERE_YET};
use crate::library::{os_user, Library};
use crate::{Error, Result};
use postgres::Client;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::{json, Value};

/// What this Quire syncs. A library last synced with another scope pulls again from revision 0
/// (idempotent: rows already here are recognised by their global id).
pub const SCOPE: &str = "library-2:sources,entries,provenance,evidence,entry_evidence,vendors,assessments,finding_status,reviews,review_items,assignments,comments";

/// Rows asked for per pull page (each page is one local transaction).
const PULL_PAGE: i32 = 1000;
/// The tables this Quire syncs: the answer library's (here), the vendor register's
/// (`register`) and the reviews' (`reviews`), parents before children.
const SYNCED: [&str; 12] =
    ["sources", "entries", "provenance", "evidence", "entry_evidence", "vendors", "assessments", "finding_status", "reviews", "review_items", "assignments", "comments"];

/// Largest file (evidence, questionnaire) taken from the server (the server's own limit is 256 MiB).
const MAX_FILE: usize = 256 * 1024 * 1024;

/// Files fetched for a pull page (evidence documents, reviews' questionnaires), by table and
/// sha256: where the library now keeps the copy. By table too, because the two are kept apart
/// (a questionnaire's copy keeps its file name, which its reader needs).
pub(super) type Files = std::collections::HashMap<(&'static str, String), String>;

/// Changes sent per `quire.push` call (each is one server transaction).
const PUSH_BATCH: usize = 1000;

/// What one sync did.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncReport {
    pub server: String,
    pub login: String,
    pub role: String,
    /// Rows taken from the server (new or changed here).
    pub pulled: usize,
    /// Rows the server sent, taken or not (rows this library already has are sent again only
    /// when another writer's rows came between them and the last pull).
    pub fetched: usize,
    /// Local changes the server took.
    pub pushed: usize,
    /// The highest server revision this library has now applied.
    pub last_pulled: i64,
    /// Conflicts met in this sync (both versions kept, or the local value kept aside).
    pub conflicts: Vec<ConflictNote>,
    /// Local changes the server refused; they stay waiting.
    pub refused: Vec<Refusal>,
    /// Rows from the server this library could not take.
    pub skipped: Vec<Skipped>,
    /// Local changes still waiting to be pushed after this sync.
    pub waiting: usize,
    /// Set when the team library was found behind this library (restored from an older backup,
    /// or a crash that lost commits it had confirmed): what this library sends again.
    pub rewound: Option<Rewound>,
}

/// The team library went back in time: its newest revision is below the one this library had
/// pulled. Every row this library knew at a revision the server no longer has is sent again,
/// based on the revision the server holds for it now (or as a new row when it has none).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Rewound {
    /// The revision this library had pulled up to.
    pub from: i64,
    /// The newest revision the team library holds now.
    pub to: i64,
    /// Rows (and deletions) marked to be sent again.
    pub resent: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConflictNote {
    /// The local entry (the server's version).
    pub entry_id: Option<i64>,
    /// The entry the local version was kept as, when both answers are kept.
    pub kept_as: Option<i64>,
    pub question: String,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Refusal {
    pub table: String,
    pub local_id: Option<i64>,
    pub what: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Skipped {
    pub table: String,
    pub id: String,
    pub reason: String,
}

/// Where the library stands with its team library, read locally (no connection).
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncStatus {
    pub linked: bool,
    pub server: Option<String>,
    pub login: Option<String>,
    pub joined_at: Option<String>,
    pub last_sync_at: Option<String>,
    pub last_pulled: i64,
    pub last_error: Option<String>,
    /// Local changes not yet on the server.
    pub waiting: usize,
    /// Of which the server refused the last push (with its reason).
    pub refused: Vec<Refusal>,
    /// Entries that have another answer to the same question (library conflicts).
    pub conflicts: usize,
    /// Fields where the server's value was kept over a local edit (`sync_conflicts`).
    pub field_conflicts: usize,
    /// Rows from the server this library could not take.
    pub skipped: usize,
}

struct State {
    server: String,
    login: String,
    scope: String,
    last_pulled: i64,
}

/// A connection target as it may be kept: without a password (a URL's is removed, a
/// `password=` setting dropped). Passwords come from PGPASSWORD, ~/.pgpass, the service file or
/// a prompt at every sync, as for psql.
pub fn without_password(target: &str) -> String {
    let t = target.trim();
    if let Some(rest) = t.strip_prefix("postgresql://").or_else(|| t.strip_prefix("postgres://")) {
        let scheme = &t[..t.len() - rest.len()];
        let end = rest.find(['/', '?']).unwrap_or(rest.len());
        if let Some(at) = rest[..end].rfind('@') {
            if let Some(colon) = rest[..at].find(':') {
                return format!("{scheme}{}{}", &rest[..colon], &rest[at..]);
            }
        }
        // A password given as a query parameter.
        if let Some(q) = rest.find('?') {
            let kept: Vec<&str> = rest[q + 1..].split('&').filter(|kv| !kv.to_ascii_lowercase().starts_with("password=")).collect();
            return if kept.is_empty() { format!("{scheme}{}", &rest[..q]) } else { format!("{scheme}{}?{}", &rest[..q], kept.join("&")) };
        }
        return t.to_string();
    }
    // key=value settings: drop password=… (quoted values may hold spaces).
    let mut out = Vec::new();
    let mut rest = t;
    while !rest.is_empty() {
        rest = rest.trim_start();
        let Some(eq) = rest.find('=') else {
            out.push(rest.to_string());
            break;
        };
        let key = rest[..eq].trim().to_string();
        let mut v = rest[eq + 1..].trim_start();
        let value_end = if v.starts_with('\'') {
            let mut i = 1;
            let b = v.as_bytes();
            while i < b.len() && b[i] != b'\'' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            (i + 1).min(v.len())
        } else {
            v.find(char::is_whitespace).unwrap_or(v.len())
        };
        let value = &v[..value_end];
        if !key.eq_ignore_ascii_case("password") {
            out.push(format!("{key}={value}"));
        }
        v = &v[value_end..];
        rest = v;
    }
    out.join(" ")
}

/// The server the library is linked to (as kept: no password), if any.
pub fn linked_server(lib: &Library) -> Result<Option<String>> {
    Ok(load_state(lib)?.map(|s| s.server))
}

/// Links the library to the team library `client` is connected to (`target` is kept without
/// its password) and syncs: the first sync pulls everything, then pushes what this library has.
pub fn join(lib: &mut Library, client: &mut Client, target: &str) -> Result<SyncReport> {
    let server = without_password(target);
    let (login, role) = whoami(client, &server)?;
    match load_state(lib)? {
        Some(s) if s.server != server || s.login != login => {
            return Err(Error::invalid("team.sync.already_linked", format!(
                "this library is already linked to the team library {} as {}; leave it first to link this library to another",
                s.server, s.login
            )))
        }
        Some(_) => {}
        None => {
            let tx = lib.write_tx()?;
            tx.execute(
                "INSERT INTO sync_state(id, server, login, scope, last_pulled, joined_at) VALUES (1, ?1, ?2, ?3, 0, ?4)",
                params![server, login, SCOPE, crate::dates::now_text()],
            )
            .map_err(|e| lib.err(e))?;
            // What this person wrote before joining was signed with the computer's user name;
            // from now on they are their login (the server records the login for them too).
            tx.execute("UPDATE comments SET author = ?1 WHERE author = ?2", params![login, os_user()]).map_err(|e| lib.err(e))?;
            tx.execute("UPDATE assignments SET assigned_by = ?1 WHERE assigned_by = ?2", params![login, os_user()]).map_err(|e| lib.err(e))?;
            tx.commit().map_err(|e| lib.err(e))?;
        }
    }
    let _ = role;
    sync(lib, client)
}

/// Unlinks the library: it keeps everything it has, forgets the server's revisions, and its
/// rows wait to be pushed to whichever team library it joins next.
pub fn leave(lib: &mut Library) -> Result<bool> {
    let tx = lib.write_tx()?;
    let linked = tx.execute("DELETE FROM sync_state", []).map_err(|e| lib.err(e))? > 0;
    tx.execute_batch(
        "DELETE FROM sync_rows WHERE local_id IS NULL;
         UPDATE sync_rows SET revision = NULL, base = NULL, problem = NULL, dirty = (random() & 4611686018427387903) + 1;
         DELETE FROM sync_skipped;
         DELETE FROM sync_conflicts;",
    )
    .map_err(|e| lib.err(e))?;
    tx.commit().map_err(|e| lib.err(e))?;
    Ok(linked)
}

/// Where the library stands, without connecting.
pub fn status(lib: &Library) -> Result<SyncStatus> {
    let conn = lib.conn();
    let err = |e| lib.err(e);
    let mut st = SyncStatus { conflicts: lib.conflict_count()?, ..Default::default() };
    type StateRow = (String, String, String, Option<String>, i64, Option<String>);
    let row: Option<StateRow> = conn
        .query_row("SELECT server, login, joined_at, last_sync_at, last_pulled, last_error FROM sync_state WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
        })
        .optional()
        .map_err(err)?;
    if let Some((server, login, joined, last, pulled, error)) = row {
        st.linked = true;
        st.server = Some(server);
        st.login = Some(login);
        st.joined_at = Some(joined);
        st.last_sync_at = last;
        st.last_pulled = pulled;
        st.last_error = error;
    }
    st.waiting = count(conn, "SELECT COUNT(*) FROM sync_rows WHERE dirty <> 0").map_err(err)?;
    st.field_conflicts = count(conn, "SELECT COUNT(*) FROM sync_conflicts").map_err(err)?;
    st.skipped = count(conn, "SELECT COUNT(*) FROM sync_skipped").map_err(err)?;
    let mut q = conn.prepare("SELECT tbl, local_id, deleted, problem FROM sync_rows WHERE dirty <> 0 AND problem IS NOT NULL ORDER BY tbl, local_id").map_err(err)?;
    st.refused = q
        .query_map([], |r| {
            let tbl: String = r.get(0)?;
            let id: Option<i64> = r.get(1)?;
            let deleted: bool = r.get(2)?;
            Ok(Refusal { what: describe(&tbl, id, deleted), table: tbl, local_id: id, reason: r.get(3)? })
        })
        .map_err(err)?
        .collect::<rusqlite::Result<_>>()
        .map_err(err)?;
    Ok(st)
}

/// Pulls what changed on the server since the last pulled revision and applies it, then pushes
/// the local changes; once more when the push met changes made meanwhile.
pub fn sync(lib: &mut Library, client: &mut Client) -> Result<SyncReport> {
    let state = load_state(lib)?.ok_or_else(|| Error::invalid("team.sync.not_linked", "this library is not linked to a team library; join one first"))?;
    let (login, role) = whoami(client, &state.server)?;
    if login != state.login {
        return Err(Error::invalid("team.sync.other_login", format!(
            "this library syncs as {} with {}, but the connection logged in as {login}; connect as {} (or leave the team library and join it again)",
            state.login, state.server, state.login
        )));
    }
    if state.scope != SCOPE {
        lib.write_one("UPDATE sync_state SET last_pulled = 0, scope = ?1", [SCOPE])?;
    }
    let mut report = SyncReport { server: state.server.clone(), login, role: role.clone(), ..Default::default() };
    let result = (|| -> Result<()> {
        report.rewound = rewind_if_behind(lib, client, &state.server)?;
        for round in 0..2 {
            pull(lib, client, &state.server, &mut report)?;
            if role == "reader" {
                break;
            }
            let conflicts_before = report.conflicts.len();
            let met_changes = push(lib, client, &state.server, &mut report)?;
            if !met_changes && report.conflicts.len() == conflicts_before || round == 1 {
                break;
            }
        }
        Ok(())
    })();
    match &result {
        Ok(()) => {
            lib.write_one("UPDATE sync_state SET last_sync_at = ?1, last_error = NULL WHERE id = 1", [crate::dates::now_text()])?;
        }
        Err(e) => {
            let _ = lib.write_one("UPDATE sync_state SET last_error = ?1 WHERE id = 1", [e.to_string()]);
        }
    }
    lib.set_actor(&os_user());
    result?;
    let now = status(lib)?;
    report.waiting = now.waiting;
    report.last_pulled = now.last_pulled;
    // What is refused now (a refusal met in the first round may have been settled in the
    // second; one from an earlier sync that still waits is reported again).
    report.refused = now.refused;
    Ok(report)
}

/// The tables `quire.pull` reads (src/team/migrations/008_sync.sql): the newest revision among
/// them is the newest a pull can have seen.
const PULLED: [&str; 16] = [
    "sources", "entries", "provenance", "entry_history", "evidence", "entry_evidence", "reviews", "review_items", "review_history", "assignments", "comments", "vendors",
    "assessments", "finding_status", "rubrics", "people",
];

/// The newest revision on the server among the rows this login can see (as `quire.pull` would).
fn server_top(client: &mut Client, server: &str) -> Result<i64> {
    let sql = format!("SELECT greatest(0, {})", PULLED.iter().map(|t| format!("(SELECT max(revision) FROM quire.{t})")).collect::<Vec<_>>().join(", "));
    let row = client.query_one(&sql, &[]).map_err(|e| super::connect::query_error(server, "cannot read the team library's revisions", &e))?;
    Ok(row.get::<_, Option<i64>>(0).unwrap_or(0))
}

/// The first revision after `since` among the rows this login can see (as `quire.pull` would
/// return first), from each table's revision index: cheap however much follows.
fn server_next(client: &mut Client, server: &str, since: i64) -> Result<Option<i64>> {
    let sql = format!("SELECT least({})", PULLED.iter().map(|t| format!("(SELECT min(revision) FROM quire.{t} WHERE revision > $1)")).collect::<Vec<_>>().join(", "));
    let row = client.query_one(&sql, &[&since]).map_err(|e| super::connect::query_error(server, "cannot read the team library's revisions", &e))?;
    Ok(row.get::<_, Option<i64>>(0))
}

/// Detects a team library that went back in time (see [`Rewound`]) and marks what this library
/// must send again: each row it knew at a revision above the server's newest is re-based on the
/// server's current revision of that row (or becomes a new row when the server has none), and
/// marked changed; then pulling resumes from the server's newest revision. Detected when this
/// desktop syncs before others have written past the revision it had pulled.
fn rewind_if_behind(lib: &mut Library, client: &mut Client, server: &str) -> Result<Option<Rewound>> {
    let Some(state) = load_state(lib)? else { return Ok(None) };
    let err = |e| lib.err(e);
    // The newest revision this library knows of: pulled, or given to one of its own pushes.
    let pushed: Option<i64> = lib.conn().query_row("SELECT max(revision) FROM sync_rows", [], |r| r.get(0)).map_err(err)?;
    let known = state.last_pulled.max(pushed.unwrap_or(0));
    if known == 0 {
        return Ok(None);
    }
    let top = server_top(client, server)?;
    if top >= known {
        return Ok(None);
    }
    let ahead: Vec<(String, String)> = {
        let mut st = lib.conn().prepare("SELECT gid, tbl FROM sync_rows WHERE revision > ?1").map_err(err)?;
        let rows = st.query_map([top], |r| Ok((r.get(0)?, r.get(1)?))).map_err(err)?;
        rows.collect::<rusqlite::Result<_>>().map_err(err)?
    };
    // What the server holds now for those rows.
    let mut now: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    for tbl in SYNCED {
        let ids: Vec<uuid::Uuid> = ahead.iter().filter(|(_, t)| t == tbl).filter_map(|(g, _)| uuid::Uuid::parse_str(g).ok()).collect();
        for chunk in ids.chunks(1000) {
            let rows = client
                .query(&format!("SELECT id, revision FROM quire.{tbl} WHERE id = ANY($1)"), &[&chunk])
                .map_err(|e| super::connect::query_error(server, "cannot read the team library's rows", &e))?;
            for r in rows {
                let id: uuid::Uuid = r.get(0);
                now.insert(id.to_string(), r.get(1));
            }
        }
    }
    let tx = lib.write_tx()?;
    let mut resent = 0;
    for (gid, _) in &ahead {
        let revision = now.get(gid).copied();
        // A deletion of a row the server never had (or no longer has) has nothing to send.
        let dropped = tx.execute("DELETE FROM sync_rows WHERE gid = ?1 AND local_id IS NULL AND ?2 IS NULL", params![gid, revision]).map_err(err)?;
        if dropped > 0 {
            continue;
        }
        resent += tx
            .execute(
                "UPDATE sync_rows SET revision = ?2, dirty = (random() & 4611686018427387903) + 1, problem = NULL WHERE gid = ?1",
                params![gid, revision],
            )
            .map_err(err)?;
    }
    tx.execute("UPDATE sync_state SET last_pulled = min(last_pulled, ?1), own_revisions = '[]' WHERE id = 1", [top]).map_err(err)?;
    tx.commit().map_err(err)?;
    Ok(Some(Rewound { from: known, to: top, resent }))
}

fn whoami(client: &mut Client, server: &str) -> Result<(String, String)> {
    let row = client.query_one("SELECT login, role FROM quire.my_role()", &[]).map_err(|e| {
        if e.as_db_error().is_some_and(|d| d.code() == &postgres::error::SqlState::UNDEFINED_FUNCTION || d.code() == &postgres::error::SqlState::INVALID_SCHEMA_NAME) {
            Error::Team { server: server.to_string(), detail: "this database holds no team library; its administrator creates one first".into() }
        } else {
            super::connect::query_error(server, "cannot ask the server who you are", &e)
        }
    })?;
    let login: String = row.get(0);
    let role: String = row.get(1);
    if role == "none" {
        return Err(Error::Team {
            server: server.to_string(),
            detail: format!("the login {login} has no Quire role on this team library; ask a Quire admin to give it one (SELECT quire.set_person('{login}', 'contributor'))"),
        });
    }
    Ok((login, role))
}

fn load_state(lib: &Library) -> Result<Option<State>> {
    lib.conn()
        .query_row("SELECT server, login, scope, last_pulled FROM sync_state WHERE id = 1", [], |r| {
            Ok(State { server: r.get(0)?, login: r.get(1)?, scope: r.get(2)?, last_pulled: r.get(3)? })
        })
        .optional()
        .map_err(|e| lib.err(e))
}

fn count(conn: &Connection, sql: &str) -> rusqlite::Result<usize> {
    conn.query_row(sql, [], |r| r.get::<_, i64>(0)).map(|n| n.max(0) as usize)
}

fn describe(tbl: &str, id: Option<i64>, deleted: bool) -> String {
    let what = noun(tbl);
    let id = if matches!(tbl, "entry_evidence" | "finding_status" | "review_items") { None } else { id };
    match (deleted, id) {
        (true, _) => format!("deletion of {}", a(what)),
        (false, None) => what.to_string(),
        (false, Some(id)) => format!("{what} {id}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Pull

fn pull(lib: &mut Library, client: &mut Client, server: &str, report: &mut SyncReport) -> Result<()> {
    loop {
        skip_own_pushes(lib, client, server)?;
        let since = load_state(lib)?.map(|s| s.last_pulled).unwrap_or(0);
        let rows = client
            .query("SELECT tbl, revision, id::text, row_data FROM quire.pull($1, $2)", &[&since, &PULL_PAGE])
            .map_err(|e| super::connect::query_error(server, "cannot pull from the team library", &e))?;
        if rows.is_empty() {
            return Ok(());
        }
        report.fetched += rows.len();
        let page: Vec<(String, i64, String, Value)> = rows.iter().map(|r| (r.get(0), r.get(1), r.get(2), r.get(3))).collect();
        let top = page.iter().map(|p| p.1).max().unwrap_or(since);
        let files = fetch_files(lib, client, server, &page)?;
        let mut tx = lib.write_tx()?;
        for (tbl, rev, gid, row) in &page {
            if !SYNCED.contains(&tbl.as_str()) {
                continue;
            }
            lib.set_actor(&format!("{} (team library)", short(row.get("updated_by").and_then(Value::as_str).unwrap_or("?"), 100)));
            let sp = tx.savepoint().map_err(|e| lib.err(e))?;
            match apply_remote(&sp, tbl, gid, *rev, row, &files, report) {
                Ok(applied) => {
                    sp.commit().map_err(|e| lib.err(e))?;
                    if applied {
                        report.pulled += 1;
                    }
                }
                Err(reason) => {
                    drop(sp); // rolls back this row only
                    let reason = short(&reason, 500);
                    // A row waiting for its parent keeps its data, to be tried again below.
                    let kept = reason.ends_with(NOT_HERE_YET).then(|| row.to_string());
                    tx.execute(
                        "INSERT INTO sync_skipped(gid, tbl, revision, reason, at, row_data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                         ON CONFLICT(gid) DO UPDATE SET revision = excluded.revision, reason = excluded.reason, at = excluded.at, row_data = excluded.row_data",
                        params![short(gid, 100), tbl, rev, reason, crate::dates::now_text(), kept],
                    )
                    .map_err(|e| lib.err(e))?;
                    report.skipped.retain(|s| s.id != short(gid, 100));
                    report.skipped.push(Skipped { table: tbl.clone(), id: short(gid, 100), reason });
                }
            }
        }
        retry_waiting(lib, &mut tx, report)?;
        tx.execute("UPDATE sync_state SET last_pulled = ?1 WHERE id = 1 AND last_pulled < ?1", [top]).map_err(|e| lib.err(e))?;
        if count(&tx, "SELECT COUNT(*) FROM sync_state").map_err(|e| lib.err(e))? == 0 {
            // Unlinked (`team leave`) while this sync ran: nothing of this page is kept.
            return Err(Error::invalid("team.sync.library_unlinked_team_library", "the library was unlinked from its team library during the sync; nothing more was pulled"));
        }
        tx.commit().map_err(|e| lib.err(e))?;
        lib.set_actor(&os_user());
        if rows.len() < PULL_PAGE as usize {
            return Ok(());
        }
    }
}

/// Moves the pull's watermark past this desktop's own pushes, so that a sync after a large push
/// (the first sync of a big library) does not fetch it all back. A push is one server
/// transaction holding the clock, so the revisions it drew form one run that no other writer's
/// rows interleave (`own_revisions` in `sync_state`, recorded with the push's results). When the
/// first row after the watermark on the server falls in such a run, everything up to the run's
/// end is this desktop's own and already here.
fn skip_own_pushes(lib: &Library, client: &mut Client, server: &str) -> Result<()> {
    let err = |e| lib.err(e);
    loop {
        let state: Option<(i64, String)> =
            lib.conn().query_row("SELECT last_pulled, own_revisions FROM sync_state WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?))).optional().map_err(err)?;
        let Some((since, runs)) = state else { return Ok(()) };
        let mut runs: Vec<(i64, i64)> = serde_json::from_str(&runs).unwrap_or_default();
        let before = runs.len();
        runs.retain(|r| r.1 > since && r.0 <= r.1);
        runs.sort_unstable();
        let first = match runs.first() {
            Some(_) => server_next(client, server, since)?,
            None => None,
        };
        let skip = match (runs.first(), first) {
            (Some(&(lo, hi)), Some(f)) if f >= lo && f <= hi => Some(hi),
            _ => None,
        };
        if skip.is_some() {
            runs.remove(0);
        }
        if skip.is_some() || runs.len() != before {
            let text = serde_json::to_string(&runs).unwrap_or_else(|_| "[]".into());
            lib.write_one("UPDATE sync_state SET own_revisions = ?1, last_pulled = max(last_pulled, ?2) WHERE id = 1", params![text, skip.unwrap_or(since)])?;
        }
        if skip.is_none() {
            return Ok(());
        }
    }
}

/// Tries again the pulled rows that wait for a parent (`sync_skipped` with their data), until a
/// round takes none: an assessment may wait for its vendor, and its finding statuses for it.
fn retry_waiting(lib: &Library, tx: &mut rusqlite::Transaction<'_>, report: &mut SyncReport) -> Result<()> {
    let err = |e| lib.err(e);
    loop {
        let waiting: Vec<(String, String, i64, String)> = {
            let mut st = tx.prepare("SELECT gid, tbl, revision, row_data FROM sync_skipped WHERE row_data IS NOT NULL ORDER BY revision").map_err(err)?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).map_err(err)?;
            rows.collect::<rusqlite::Result<_>>().map_err(err)?
        };
        let mut taken = 0;
        for (gid, tbl, rev, data) in waiting {
            let Ok(row) = serde_json::from_str::<Value>(&data) else { continue };
            if !SYNCED.contains(&tbl.as_str()) {
                continue;
            }
            let sp = tx.savepoint().map_err(err)?;
            match apply_remote(&sp, &tbl, &gid, rev, &row, &Files::new(), report) {
                Ok(applied) => {
                    sp.execute("DELETE FROM sync_skipped WHERE gid = ?1", [&gid]).map_err(err)?;
                    sp.commit().map_err(err)?;
                    report.skipped.retain(|s| s.id != gid);
                    if applied {
                        report.pulled += 1;
                    }
                    taken += 1;
                }
                Err(_) => drop(sp),
            }
        }
        if taken == 0 {
            return Ok(());
        }
    }
}

/// Applies one row from the server (pulled, or returned by a push as the conflicting row).
/// Ok(true) when the library changed; Err(reason) when the row cannot be taken (the caller rolls
/// back this row and reports it).
fn apply_remote(conn: &Connection, tbl: &str, gid: &str, rev: i64, row: &Value, files: &Files, report: &mut SyncReport) -> std::result::Result<bool, String> {
    uuid::Uuid::parse_str(gid).map_err(|_| "its id is not a uuid".to_string())?;
    let known = sync_row(conn, gid).map_err(sql)?;
    if let Some(k) = &known {
        if k.revision.is_some_and(|r| r >= rev) {
            return Ok(false);
        }
    }
    match tbl {
        "entries" => apply_entry(conn, gid, rev, row, known, report),
        "sources" => apply_source(conn, gid, rev, row, known),
        "evidence" => apply_evidence(conn, gid, rev, row, known, files),
        "entry_evidence" => apply_link(conn, gid, rev, row, known),
        "vendors" => super::register::apply_vendor(conn, gid, rev, row, known, report),
        "assessments" => super::register::apply_assessment(conn, gid, rev, row, known),
        "finding_status" => super::register::apply_finding(conn, gid, rev, row, known, report),
        "reviews" => super::reviews::apply_review(conn, gid, rev, row, known, files),
        "review_items" => super::reviews::apply_item(conn, gid, rev, row, known, report),
        "assignments" => super::reviews::apply_assignment(conn, gid, rev, row, known, report),
        "comments" => super::reviews::apply_comment(conn, gid, rev, row, known, report),
        _ => apply_provenance(conn, gid, rev, row, known),
    }
}

// --- evidence: the file travels through the server's blobs, by its sha256 ---

/// Fetches the files of the evidence and review rows in a pull page that this library does not
/// keep yet, checks each against its hash and keeps a copy (encrypted when the library is).
/// Before the page's transaction: a copy left by an interrupted sync is content-addressed and
/// harmless.
fn fetch_files(lib: &Library, client: &mut Client, server: &str, page: &[(String, i64, String, Value)]) -> Result<Files> {
    let mut files = Files::new();
    for (tbl, _, _, row) in page {
        let (table, kept_sql): (&'static str, &str) = match tbl.as_str() {
            "evidence" => ("evidence", "SELECT stored_path FROM evidence WHERE sha256 = ?1 LIMIT 1"),
            "reviews" => ("reviews", "SELECT stored_path FROM reviews WHERE sha256 = ?1 LIMIT 1"),
            _ => continue,
        };
        if is_deleted(row) {
            continue;
        }
        let Some(sha) = row.get("sha256").and_then(Value::as_str).map(str::to_lowercase) else { continue };
        if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) || files.contains_key(&(table, sha.clone())) {
            continue;
        }
        let kept: Option<String> = lib.conn().query_row(kept_sql, [&sha], |r| r.get(0)).optional().map_err(|e| lib.err(e))?;
        if let Some(p) = kept {
            files.insert((table, sha), p);
            continue;
        }
        // Not there (or not matching its hash): the row is then not taken, and says why.
        let Some(bytes) = fetch_blob(client, server, &sha)? else { continue };
        let stored = match table {
            "evidence" => lib.store_copy("evidence", std::path::Path::new(&super::answers::evidence_copy_name(row)), &sha, &bytes)?,
            _ => lib.store_named_copy("questionnaires", std::path::Path::new(&super::reviews::safe_file_name(row.get("questionnaire").and_then(Value::as_str).unwrap_or(""))), &sha, &bytes)?,
        };
        files.insert((table, sha), stored.display().to_string());
    }
    Ok(files)
}

/// A file from the team library's blobs, checked against its hash (`None` when the server does
/// not have it, it is too large, or its bytes do not match).
pub(super) fn fetch_blob(client: &mut Client, server: &str, sha: &str) -> Result<Option<Vec<u8>>> {
    let rows = client
        .query("SELECT bytes FROM quire.blobs WHERE sha256 = $1 AND octet_length(bytes) <= $2", &[&sha, &(MAX_FILE as i32)])
        .map_err(|e| super::connect::query_error(server, "cannot fetch a file from the team library", &e))?;
    let Some(r) = rows.first() else { return Ok(None) };
    let bytes: Vec<u8> = r.get(0);
    Ok((crate::sheet::read::sha256_hex(&bytes) == sha).then_some(bytes))
}

/// Uploads the files of the evidence documents and reviews (the questionnaire) in a push batch that the server does not have
/// yet (each its own transaction: blobs are insert-only and named by their hash, so one left by
/// an interrupted sync is simply there next time). A kept copy that cannot be read or no longer
/// matches its hash is not sent; the server then refuses the document, and the sync says so.
fn upload_files(lib: &Library, client: &mut Client, server: &str, batch: &[Outgoing]) -> Result<()> {
    for o in batch {
        if o.tbl != "evidence" && o.tbl != "reviews" {
            continue;
        }
        let (Some(id), Some(sha)) = (o.local_id, o.change["row"].get("sha256").and_then(Value::as_str)) else { continue };
        let there = client
            .query_opt("SELECT 1 FROM quire.blobs WHERE sha256 = $1", &[&sha])
            .map_err(|e| super::connect::query_error(server, "cannot ask the team library for a file", &e))?
            .is_some();
        if there {
            continue;
        }
        let stored: Option<String> = match o.tbl.as_str() {
            "reviews" => super::reviews::stored_file(lib.conn(), id).map_err(|e| lib.err(e))?,
            _ => lib.conn().query_row("SELECT stored_path FROM evidence WHERE id = ?1", [id], |r| r.get(0)).optional().map_err(|e| lib.err(e))?,
        };
        let Some(bytes) = stored.and_then(|p| lib.read_kept_file(std::path::Path::new(&p)).ok()) else { continue };
        if crate::sheet::read::sha256_hex(&bytes) != sha {
            continue;
        }
        client
            .execute("INSERT INTO quire.blobs(sha256, bytes) VALUES ($1, $2) ON CONFLICT DO NOTHING", &[&sha, &bytes])
            .map_err(|e| super::connect::query_error(server, "cannot upload a file to the team library", &e))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Push

/// One change on its way to the server, with the stamp it had when read.
struct Outgoing {
    gid: String,
    tbl: String,
    local_id: Option<i64>,
    stamp: i64,
    base: Option<Value>,
    change: Value,
}

/// Pushes every waiting change, in batches; true when the server had changes this library had
/// not pulled yet (conflicts), so that another pull is worth it.
fn push(lib: &mut Library, client: &mut Client, server: &str, report: &mut SyncReport) -> Result<bool> {
    let outgoing = collect_outgoing(lib)?;
    let mut met = false;
    for batch in outgoing.chunks(PUSH_BATCH) {
        upload_files(lib, client, server, batch)?;
        let changes = Value::Array(batch.iter().map(|o| o.change.clone()).collect());
        let row = client
            .query_one("SELECT quire.push($1)", &[&changes])
            .map_err(|e| super::connect::query_error(server, "the team library did not take the push (nothing of it was saved there; sync again)", &e))?;
        let results: Value = row.get(0);
        let results = results.as_array().cloned().unwrap_or_default();
        let mut tx = lib.write_tx()?;
        // The run of revisions this push drew (see `skip_own_pushes`): rows it wrote, not rows
        // the server already had ("unchanged") or another's (conflicts).
        let drawn = results
            .iter()
            .filter(|r| r.get("status").and_then(Value::as_str) == Some("applied") && r.get("unchanged").and_then(Value::as_bool) != Some(true))
            .filter_map(|r| r.get("revision").and_then(Value::as_i64));
        if let (Some(lo), Some(hi)) = (drawn.clone().min(), drawn.max()) {
            let text: Option<String> = tx.query_row("SELECT own_revisions FROM sync_state WHERE id = 1", [], |r| r.get(0)).optional().map_err(|e| lib.err(e))?;
            let mut runs: Vec<(i64, i64)> = text.and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default();
            match runs.last_mut() {
                // Nobody drew a revision between the two pushes: one run.
                Some(last) if last.1 + 1 == lo => last.1 = hi,
                _ => runs.push((lo, hi)),
            }
            let text = serde_json::to_string(&runs).unwrap_or_else(|_| "[]".into());
            tx.execute("UPDATE sync_state SET own_revisions = ?1 WHERE id = 1", [text]).map_err(|e| lib.err(e))?;
        }
        for o in batch {
            let Some(r) = results.iter().find(|r| r.get("id").and_then(Value::as_str) == Some(o.gid.as_str())) else { continue };
            let status = r.get("status").and_then(Value::as_str).unwrap_or("");
            let reason = short(r.get("reason").and_then(Value::as_str).unwrap_or(""), 300);
            let err = |e| lib.err(e);
            match status {
                "applied" => {
                    let rev = r.get("revision").and_then(Value::as_i64);
                    tx.execute(
                        "UPDATE sync_rows SET revision = ?1, base = ?2, problem = NULL, dirty = CASE WHEN dirty = ?3 THEN 0 ELSE dirty END WHERE gid = ?4",
                        params![rev, o.base.as_ref().map(Value::to_string), o.stamp, o.gid],
                    )
                    .map_err(err)?;
                    if r.get("unchanged").and_then(Value::as_bool) != Some(true) {
                        report.pushed += 1;
                    }
                }
                "conflict" => {
                    met = true;
                    match (r.get("server_row"), r.get("revision").and_then(Value::as_i64)) {
                        (Some(srv), Some(rev)) => {
                            let sp = tx.savepoint().map_err(err)?;
                            // The server's row is newer than our base: merge it as if pulled.
                            match apply_remote(&sp, &o.tbl, &o.gid, rev, srv, &Files::new(), report) {
                                Ok(_) => sp.commit().map_err(err)?,
                                Err(why) => {
                                    drop(sp);
                                    tx.execute("UPDATE sync_rows SET problem = ?1 WHERE gid = ?2", params![format!("conflict with the team library's version, which this library cannot take: {why}"), o.gid]).map_err(err)?;
                                }
                            }
                        }
                        _ => {
                            // Not on the server although this library had it there (another
                            // team library, or hidden): a deletion has nothing to do; anything
                            // else goes again as a new row.
                            tx.execute("DELETE FROM sync_rows WHERE gid = ?1 AND local_id IS NULL", [&o.gid]).map_err(err)?;
                            tx.execute("UPDATE sync_rows SET revision = NULL, base = NULL WHERE gid = ?1", [&o.gid]).map_err(err)?;
                        }
                    }
                }
                "duplicate" => {
                    met = true;
                    let existing = r.get("existing_id").and_then(Value::as_str).map(str::to_string);
                    let taken = match &existing {
                        Some(id) => sync_row(&tx, id).map_err(err)?.is_some(),
                        None => true,
                    };
                    match existing {
                        Some(id) if !taken => {
                            // The team library has this row already: this library adopts its id.
                            tx.execute("UPDATE sync_rows SET gid = ?1, revision = NULL, base = NULL, problem = NULL WHERE gid = ?2", params![id, o.gid]).map_err(err)?;
                        }
                        _ => {
                            tx.execute("UPDATE sync_rows SET problem = ?1 WHERE gid = ?2", params![format!("duplicate: {reason}"), o.gid]).map_err(err)?;
                            report.refused.push(Refusal { table: o.tbl.clone(), local_id: o.local_id, what: describe(&o.tbl, o.local_id, o.local_id.is_none()), reason: format!("duplicate: {reason}") });
                        }
                    }
                }
                other => {
                    let why = if other == "forbidden" {
                        format!("refused by the team library: {reason} (an approver must make this change; it stays waiting)")
                    } else {
                        format!("refused by the team library ({other}): {reason}")
                    };
                    tx.execute("UPDATE sync_rows SET problem = ?1 WHERE gid = ?2", params![why, o.gid]).map_err(err)?;
                    report.refused.push(Refusal { table: o.tbl.clone(), local_id: o.local_id, what: describe(&o.tbl, o.local_id, o.local_id.is_none()), reason: why });
                }
            }
        }
        tx.commit().map_err(|e| lib.err(e))?;
    }
    Ok(met)
}

fn collect_outgoing(lib: &Library) -> Result<Vec<Outgoing>> {
    let conn = lib.conn();
    let err = |e| lib.err(e);
    let mut st = conn
        .prepare(
            "SELECT gid, tbl, local_id, revision, dirty FROM sync_rows WHERE dirty <> 0
             ORDER BY CASE tbl WHEN 'sources' THEN 0 WHEN 'entries' THEN 1 WHEN 'evidence' THEN 2 WHEN 'provenance' THEN 3 WHEN 'entry_evidence' THEN 4
                               WHEN 'vendors' THEN 5 WHEN 'assessments' THEN 6 WHEN 'finding_status' THEN 7 WHEN 'reviews' THEN 8
                               WHEN 'review_items' THEN 9 ELSE 10 END, local_id IS NULL, local_id",
        )
        .map_err(err)?;
    type Waiting = (String, String, Option<i64>, Option<i64>, i64);
    let rows: Vec<Waiting> =
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))).map_err(err)?.collect::<rusqlite::Result<_>>().map_err(err)?;
    let gid_of = |tbl: &str, id: i64| -> rusqlite::Result<Option<String>> {
        conn.query_row("SELECT gid FROM sync_rows WHERE tbl = ?1 AND local_id = ?2", params![tbl, id], |r| r.get(0)).optional()
    };
    let mut out = Vec::new();
    for (gid, tbl, local_id, revision, stamp) in rows {
        let (row, base) = match local_id {
            None => {
                if revision.is_none() {
                    continue;
                }
                (json!({"deleted": true}), None)
            }
            Some(id) => match tbl.as_str() {
                "vendors" | "assessments" | "finding_status" => {
                    let Some(out) = super::register::outgoing(conn, &tbl, id, &gid_of).map_err(err)? else { continue };
                    out
                }
                "reviews" | "review_items" | "assignments" | "comments" => {
                    let Some(out) = super::reviews::outgoing(conn, &tbl, id, &gid_of).map_err(err)? else { continue };
                    out
                }
                _ => {
                    let Some(out) = super::answers::outgoing(conn, &tbl, id, &gid_of).map_err(err)? else { continue };
                    out
                }
            },
        };
        let change = json!({"table": tbl, "id": gid, "base_revision": revision, "row": row});
        out.push(Outgoing { gid, tbl, local_id, stamp, base, change });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use super::super::answers::insert_entry;
    use serde_json::Map;

    fn add_entry(lib: &Library, q: &str, a: &str) -> i64 {
        let m: Map<String, Value> = serde_json::from_value(json!({"question": q, "answer": a, "answer_raw": a, "comment": "", "domain": "", "tags": "",
            "owner": "", "last_reviewed": null, "review_by": "2030-01-01", "status": "draft"}))
        .unwrap();
        let tx = lib.write_tx().unwrap();
        let id = insert_entry(&tx, &m, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z").unwrap();
        tx.commit().unwrap();
        id
    }

    fn line(lib: &Library, id: i64) -> Option<(String, Option<i64>, i64, i64)> {
        lib.conn()
            .query_row("SELECT gid, revision, dirty, deleted FROM sync_rows WHERE tbl = 'entries' AND local_id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()
            .unwrap()
    }

    #[test]
    fn every_write_marks_the_row_for_the_next_push() {
        let mut lib = Library::in_memory().unwrap();
        let id = add_entry(&lib, "Do you encrypt data at rest?", "Yes");
        let (gid, rev, stamp, deleted) = line(&lib, id).expect("a new entry gets a global id");
        assert!(uuid::Uuid::parse_str(&gid).is_ok_and(|u| u.get_version_num() == 4), "{gid}");
        assert_eq!((rev, deleted), (None, 0));
        assert_ne!(stamp, 0, "a new entry waits to be pushed");

        // As if pushed: clean, at revision 7.
        lib.write_one("UPDATE sync_rows SET revision = 7, dirty = 0 WHERE gid = ?1", [&gid]).unwrap();
        lib.edit(id, &crate::library::EntryEdit { comment: Some("AES-256".into()), ..Default::default() }).unwrap();
        let (_, _, stamp2, _) = line(&lib, id).unwrap();
        assert_ne!(stamp2, 0, "an edit marks it");
        lib.write_one("UPDATE sync_rows SET dirty = 0 WHERE gid = ?1", [&gid]).unwrap();
        lib.set_status(id, "approved").unwrap();
        assert_ne!(line(&lib, id).unwrap().2, 0, "a change of status marks it");
        assert!(lib.history(id).unwrap().iter().any(|h| h.field == "status" && h.new_value.as_deref() == Some("approved")));

        // Deleting a row the server has leaves a tombstone to push; one it never had is forgotten.
        lib.delete(id).unwrap();
        let t: (Option<i64>, i64, i64) = lib.conn().query_row("SELECT local_id, deleted, dirty FROM sync_rows WHERE gid = ?1", [&gid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
        assert_eq!((t.0, t.1), (None, 1));
        assert_ne!(t.2, 0);
        let other = add_entry(&lib, "Is MFA enforced?", "No");
        let other_gid = line(&lib, other).unwrap().0;
        lib.delete(other).unwrap();
        assert_eq!(count(lib.conn(), &format!("SELECT COUNT(*) FROM sync_rows WHERE gid = '{other_gid}'")).unwrap(), 0);
        assert!(lib.set_status(add_entry(&lib, "Q?", "Yes"), "signed").is_err());
    }

    #[test]
    fn the_status_of_an_unlinked_library() {
        let lib = Library::in_memory().unwrap();
        add_entry(&lib, "Do you encrypt data at rest?", "Yes");
        let st = status(&lib).unwrap();
        assert!(!st.linked);
        assert_eq!(st.waiting, 1);
    }

    #[test]
    fn passwords_are_never_kept() {
        assert_eq!(without_password("postgres://bob:s3cret@db.example.org:5432/quire?sslmode=verify-full"), "postgres://bob@db.example.org:5432/quire?sslmode=verify-full");
        assert_eq!(without_password("postgresql://db/quire?user=bob&password=x&sslmode=require"), "postgresql://db/quire?user=bob&sslmode=require");
        assert_eq!(without_password("host=db user=bob password='a b' dbname=quire"), "host=db user=bob dbname=quire");
        assert_eq!(without_password("service=team"), "service=team");
    }
}
