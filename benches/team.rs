//! Figures for the team library's server side against a real PostgreSQL started here
//! (tests/common/pg.rs): the test harness's start, `quire team init`, a first push of a 50,000-entry
//! library in batches, an incremental push of 100 changes, a full pull, and 20 clients pushing at
//! once. Prints figures; asserts only that nothing was lost. `cargo bench --bench team`.

#[path = "../tests/common/pg.rs"]
mod pg;

use quire::team::{self, ProcessEnvironment};
use serde_json::{json, Value};
use std::time::Instant;

fn entry(i: usize) -> Value {
    json!({"question": format!("Question number {i}: is customer data encrypted at rest with keys you manage?"),
           "question_key": format!("question {i} customer data encrypted rest keys manage"),
           "answer": "Yes", "answer_raw": "Yes", "answer_key": "yes",
           "comment": format!("AES-256 on every volume; keys in the HSM (entry {i})."), "review_by": "2027-06-30", "tags": "crypto"})
}

fn push(c: &mut postgres::Client, changes: &[Value]) -> Vec<Value> {
    let r: Value = c.query_one("SELECT quire.push($1)", &[&Value::Array(changes.to_vec())]).unwrap().get(0);
    let r = r.as_array().unwrap().clone();
    assert!(r.iter().all(|x| x["status"] == "applied"), "{:?}", r.iter().find(|x| x["status"] != "applied"));
    r
}

fn main() {
    let Some(pg) = pg::PgServer::start("team bench") else { return };
    println!("harness: initdb + TLS certificates + start: {:.2} s", pg.started_in.as_secs_f64());
    pg.create_db("quire");
    let mut admin = team::connect(&team::resolve(&pg.admin_url("quire"), &ProcessEnvironment).unwrap()).unwrap();
    let t = Instant::now();
    team::init(&mut admin, "bench").unwrap();
    println!("quire team init (8 migrations): {:.0} ms", t.elapsed().as_secs_f64() * 1000.0);
    for i in 0..20 {
        pg.create_login(&format!("p{i}"), "pw");
        pg.admin_sql("quire", &format!("SELECT quire.set_person('p{i}', 'contributor')"));
    }
    let connect = |user: &str| team::connect(&team::resolve(&pg.url(user, "pw", "quire"), &ProcessEnvironment).unwrap()).unwrap();
    let mut c = connect("p0");

    // First push of a 50,000-entry library, 2,000 changes a transaction.
    let ids: Vec<String> = (0..50_000).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    let t = Instant::now();
    let mut revisions = Vec::with_capacity(ids.len());
    for chunk in (0..ids.len()).collect::<Vec<_>>().chunks(2000) {
        let changes: Vec<Value> = chunk.iter().map(|&i| json!({"table": "entries", "id": ids[i], "row": entry(i)})).collect();
        let mut tx = c.transaction().unwrap();
        let r: Value = tx.query_one("SELECT quire.push($1)", &[&Value::Array(changes)]).unwrap().get(0);
        tx.commit().unwrap();
        revisions.extend(r.as_array().unwrap().iter().map(|x| x["revision"].as_i64().unwrap()));
    }
    let first = t.elapsed().as_secs_f64();
    println!("first push, 50,000 entries in 25 transactions: {first:.1} s ({:.0} entries/s)", 50_000.0 / first);

    // An incremental push of 100 changes (edits with their base revisions), one transaction.
    let changes: Vec<Value> = (0..100)
        .map(|i| json!({"table": "entries", "id": ids[i * 7], "base_revision": revisions[i * 7], "row": {"comment": format!("edited {i}")}}))
        .collect();
    let t = Instant::now();
    push(&mut c, &changes);
    println!("incremental push, 100 edits: {:.0} ms", t.elapsed().as_secs_f64() * 1000.0);

    // A full pull by another person, in pages of 5,000.
    let mut reader = connect("p1");
    let t = Instant::now();
    let (mut since, mut rows, mut bytes) = (0i64, 0usize, 0usize);
    loop {
        let page = reader.query("SELECT revision, row_data::text FROM quire.pull($1, 5000)", &[&since]).unwrap();
        if page.is_empty() {
            break;
        }
        rows += page.len();
        bytes += page.iter().map(|r| r.get::<_, String>(1).len()).sum::<usize>();
        since = page.last().unwrap().get(0);
    }
    println!("full pull: {rows} rows ({:.1} MB of JSON) in {:.1} s", bytes as f64 / 1e6, t.elapsed().as_secs_f64());
    let t = Instant::now();
    let n = reader.query("SELECT 1 FROM quire.pull($1, 5000)", &[&since]).unwrap().len();
    println!("incremental pull with nothing new: {:.1} ms ({n} rows)", t.elapsed().as_secs_f64() * 1000.0);

    // 20 people push 100 new entries each at once.
    let t = Instant::now();
    let urls: Vec<String> = (0..20).map(|i| pg.url(&format!("p{i}"), "pw", "quire")).collect();
    let times: Vec<f64> = std::thread::scope(|s| {
        let handles: Vec<_> = urls
            .iter()
            .enumerate()
            .map(|(w, url)| {
                s.spawn(move || {
                    let mut c = team::connect(&team::resolve(url, &ProcessEnvironment).unwrap()).unwrap();
                    let changes: Vec<Value> = (0..100).map(|i| json!({"table": "entries", "id": uuid::Uuid::new_v4().to_string(), "row": entry(100_000 + w * 1000 + i)})).collect();
                    let t = Instant::now();
                    push(&mut c, &changes);
                    t.elapsed().as_secs_f64()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let total = t.elapsed().as_secs_f64();
    let max = times.iter().cloned().fold(0.0, f64::max);
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    let count: i64 = reader.query_one("SELECT count(*) FROM quire.entries", &[]).unwrap().get(0);
    assert_eq!(count, 52_000, "no change lost");
    println!("20 clients x 100 new entries at once: {total:.2} s in all (connect included); per push mean {:.0} ms, slowest {:.0} ms", mean * 1000.0, max * 1000.0);
    let audit: i64 = reader.query_one("SELECT count(*) FROM quire.audit_log", &[]).unwrap().get(0);
    let t = Instant::now();
    let check = team::audit::verify(&mut reader, "bench", None).unwrap();
    assert!(check.is_whole());
    println!("audit chain of {audit} records verified on the desktop in {:.1} s", t.elapsed().as_secs_f64());
    let size: String = reader.query_one("SELECT pg_size_pretty(pg_database_size('quire'))", &[]).unwrap().get(0);
    println!("database size: {size}");
}
