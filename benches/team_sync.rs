//! Figures for the desktop side of the team library (src/team/sync.rs) against a real
//! PostgreSQL started here (tests/common/pg.rs), through the same functions as `quire team join`
//! and `quire team sync`: the first sync of a 50,000-entry library with 200 evidence files (its
//! push), a second desktop's first sync of all of it (its pull), an incremental sync of 100
//! changes both ways, and 20 desktops syncing at once. Prints figures; asserts that nothing was
//! lost. `cargo bench --bench team_sync` (QUIRE_BENCH_ENTRIES to change the size).

#[path = "../tests/common/pg.rs"]
mod pg;

use quire::library::{EntryEdit, EntryFilter, Library, NewEvidence};
use quire::team::{self, sync, ProcessEnvironment};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const DB: &str = "quire";

fn client(pg: &pg::PgServer, login: &str, db: &str) -> postgres::Client {
    team::connect(&team::resolve(&pg.url(login, login, db), &ProcessEnvironment).unwrap()).unwrap()
}

/// An answered questionnaire of `n` distinct questions, as a CSV file.
fn answered_csv(dir: &Path, name: &str, n: usize, from: usize) -> PathBuf {
    let topics = ["encryption at rest", "multi-factor authentication", "vendor risk reviews", "backup restore tests", "incident response drills", "log retention", "secure code review", "data classification"];
    let answers = ["Yes", "No", "Partial", "N/A"];
    let mut text = String::from("ID,Question,Answer,Comment\n");
    for i in from..from + n {
        text.push_str(&format!(
            "Q.{i},\"Control {i}: is {} covered by the programme for system {}?\",{},\"Evidence kept in the ISMS, item {i}.\"\n",
            topics[i % topics.len()],
            i / topics.len(),
            answers[i % answers.len()]
        ));
    }
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn import(lib: &mut Library, csv: &Path) {
    let q = quire::sheet::read_questionnaire(csv).unwrap();
    lib.import(&q, &[]).unwrap();
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn main() {
    let Some(pg) = pg::PgServer::start("team sync bench") else { return };
    pg.create_db(DB);
    team::init(&mut team::connect(&team::resolve(&pg.admin_url(DB), &ProcessEnvironment).unwrap()).unwrap(), "bench").unwrap();
    for login in ["ana", "ben"] {
        pg.create_login(login, login);
        pg.admin_sql(DB, &format!("SELECT quire.set_person('{login}', 'contributor')"));
    }
    let n: usize = std::env::var("QUIRE_BENCH_ENTRIES").ok().and_then(|v| v.parse().ok()).unwrap_or(50_000);
    let dir = tempfile::tempdir().unwrap();
    for d in ["a", "b", "files"] {
        std::fs::create_dir(dir.path().join(d)).unwrap();
    }

    // Ana's library: n entries and 200 evidence documents (20 KB each), each linked to an entry.
    let a_path = dir.path().join("a/ana.sqlite");
    let mut a = Library::open(&a_path).unwrap();
    let t = Instant::now();
    import(&mut a, &answered_csv(dir.path(), "past.csv", n, 0));
    let ids: Vec<i64> = a.list(EntryFilter::default()).unwrap().iter().map(|e| e.id).collect();
    // (Two generated questions may read as one to the library's question key.)
    assert!(ids.len() >= n * 99 / 100, "{} of {n} entries imported", ids.len());
    let n = ids.len();
    for i in 0..200 {
        let f = dir.path().join(format!("files/policy-{i}.txt"));
        std::fs::write(&f, format!("Policy {i}. ").repeat(2000)).unwrap();
        let (ev, _) = a.add_evidence(&f, &NewEvidence { title: Some(format!("Policy {i}")), ..NewEvidence::default() }).unwrap();
        a.link_evidence(ids[i * (n / 200)], ev.id).unwrap();
    }
    println!("setup: a {n}-entry library with 200 evidence documents in {}", secs(t.elapsed()));

    // First sync: join pushes everything.
    let t = Instant::now();
    let r = sync::join(&mut a, &mut client(&pg, "ana", DB), &pg.url("ana", "ana", DB)).unwrap();
    let push = t.elapsed();
    assert_eq!(r.waiting, 0, "{r:?}");
    assert!(r.refused.is_empty() && r.skipped.is_empty(), "{r:?}");
    println!("first sync of the library (push): {} rows in {} ({:.0} rows/s)", r.pushed, secs(push), r.pushed as f64 / push.as_secs_f64());

    // A second desktop's first sync: it pulls everything, files included.
    let b_path = dir.path().join("b/ben.sqlite");
    let mut b = Library::open(&b_path).unwrap();
    let t = Instant::now();
    let r = sync::join(&mut b, &mut client(&pg, "ben", DB), &pg.url("ben", "ben", DB)).unwrap();
    let pull = t.elapsed();
    assert!(r.skipped.is_empty(), "{r:?}");
    assert_eq!(b.entry_count().unwrap(), n);
    assert_eq!(b.evidence_count().unwrap(), 200);
    println!("first sync of a new desktop (pull): {} rows in {} ({:.0} rows/s)", r.pulled, secs(pull), r.pulled as f64 / pull.as_secs_f64());
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
    println!("  library files: {:.1} MB (Ana), {:.1} MB (Ben)", size(&a_path), size(&b_path));

    // An incremental sync of 100 changes: Ana pushes, Ben pulls.
    for (k, id) in ids.iter().step_by(n / 100).take(100).enumerate() {
        a.edit(*id, &EntryEdit { comment: Some(format!("Reviewed again ({k}).")), ..EntryEdit::default() }).unwrap();
    }
    let mut times = Vec::new();
    let t = Instant::now();
    let r = sync::sync(&mut a, &mut client(&pg, "ana", DB)).unwrap();
    times.push(("push", t.elapsed()));
    assert_eq!(r.pushed, 100, "{r:?}");
    assert_eq!(r.fetched, 0, "Ana's own first push is not fetched back: {r:?}");
    let t = Instant::now();
    let r = sync::sync(&mut b, &mut client(&pg, "ben", DB)).unwrap();
    times.push(("pull", t.elapsed()));
    assert_eq!(r.pulled, 100, "{r:?}");
    println!("incremental sync of 100 changes (target < 1 s): {} (connect, pull, push), {} (connect, pull 100, push)", secs(times[0].1), secs(times[1].1));
    let t = Instant::now();
    sync::sync(&mut b, &mut client(&pg, "ben", DB)).unwrap();
    println!("a sync with nothing to do: {}", secs(t.elapsed()));
    drop((a, b));

    // 20 desktops at once, on a team library of 1,000 entries: each joins, edits 50 entries of
    // its own, and all sync together, twice (the second round brings everyone's edits).
    pg.create_db("crowd");
    team::init(&mut team::connect(&team::resolve(&pg.admin_url("crowd"), &ProcessEnvironment).unwrap()).unwrap(), "bench").unwrap();
    let people: Vec<String> = (0..20).map(|i| format!("p{i}")).collect();
    for p in &people {
        pg.create_login(p, p);
        pg.admin_sql("crowd", &format!("SELECT quire.set_person('{p}', 'contributor')"));
    }
    let seed = dir.path().join("crowd-seed.sqlite");
    let mut s = Library::open(&seed).unwrap();
    import(&mut s, &answered_csv(dir.path(), "crowd.csv", 1000, 0));
    sync::join(&mut s, &mut client(&pg, "p0", "crowd"), &pg.url("p0", "p0", "crowd")).unwrap();
    drop(s);
    let paths: Vec<PathBuf> = people.iter().map(|p| dir.path().join(format!("{p}.sqlite"))).collect();
    for (p, path) in people.iter().zip(&paths) {
        let mut lib = Library::open(path).unwrap();
        sync::join(&mut lib, &mut client(&pg, p, "crowd"), &pg.url(p, p, "crowd")).unwrap();
        let mut entries = lib.list(EntryFilter::default()).unwrap();
        entries.sort_by(|x, y| x.question.cmp(&y.question));
        let k = people.iter().position(|x| x == p).unwrap_or(0);
        for e in entries.iter().skip(k * 50).take(50) {
            lib.edit(e.id, &EntryEdit { comment: Some(format!("checked by {p}")), ..EntryEdit::default() }).unwrap();
        }
    }
    for round in 1..=2 {
        let t = Instant::now();
        let handles: Vec<_> = people
            .iter()
            .zip(&paths)
            .map(|(p, path)| {
                let (p, path, url) = (p.clone(), path.clone(), pg.url(p, p, "crowd"));
                std::thread::spawn(move || {
                    let t = Instant::now();
                    let mut lib = Library::open(&path).unwrap();
                    let mut c = team::connect(&team::resolve(&url, &ProcessEnvironment).unwrap()).unwrap();
                    let r = sync::sync(&mut lib, &mut c).unwrap_or_else(|e| panic!("{p}: {e}"));
                    assert!(r.refused.is_empty() && r.skipped.is_empty(), "{p}: {r:?}");
                    t.elapsed()
                })
            })
            .collect();
        let mut each: Vec<Duration> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let wall = t.elapsed();
        each.sort();
        println!(
            "20 desktops syncing at once, round {round}: all done in {}; per sync median {}, slowest {}",
            secs(wall),
            secs(each[each.len() / 2]),
            secs(each[each.len() - 1])
        );
    }
    // One more quiet round so that everyone has everyone's edits; then nothing may be missing.
    for (p, path) in people.iter().zip(&paths) {
        sync::sync(&mut Library::open(path).unwrap(), &mut client(&pg, p, "crowd")).unwrap();
    }
    for path in &paths {
        let lib = Library::open(path).unwrap();
        let edited = lib.list(EntryFilter::default()).unwrap().iter().filter(|e| e.comment.starts_with("checked by")).count();
        assert_eq!(edited, 1000, "{}: a change was lost", path.display());
        assert_eq!(sync::status(&lib).unwrap().waiting, 0);
    }
    println!("20 desktops: every one has all 1,000 edits, nothing waiting");
}
