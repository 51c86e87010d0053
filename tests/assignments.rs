//! Sharing out a review's work on one desktop (the team library tests cover several): assigning
//! questions, sections and the whole review, "my assignments", done/undone/removed, comment
//! threads, what is refused and why; and the same through `quire review …` as a person types it.

use quire::library::{AssignmentFilter, AssignmentScope, Library};
use quire::review::{ReviewChange, ReviewStatus};
use quire::workflow::{self, Progress};
use std::path::{Path, PathBuf};
use std::process::Command;

fn quiet(_: Progress) {}

/// A library with the demo and a review of its sample customer questionnaire.
fn with_review(dir: &Path) -> (Library, i64, PathBuf) {
    let db = dir.join("library.sqlite");
    let mut lib = Library::open(&db).expect("open");
    let seed = workflow::seed_demo_on_first_run(&mut lib, &dir.join("demo")).expect("seed").expect("first run seeds");
    let review = workflow::start_review(&mut lib, &seed.samples[1], &[], 0.5, &quiet).expect("a review").id;
    (lib, review, db)
}

#[test]
fn work_on_a_review_is_assigned_tracked_and_discussed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut lib, review, _) = with_review(dir.path());
    let session = lib.review_session(review).expect("session");
    let n = session.items.len();
    let sheet = session.items[0].item.question.sheet.clone();
    let me = lib.person().expect("who");

    let q = lib.assign(review, &AssignmentScope::Question { index: 2 }, "bob", Some("2027-01-15"), "needs Legal").expect("assign a question");
    assert_eq!((q.questions, q.assignee.as_str(), q.assigned_by.as_str(), q.due.as_deref()), (1, "bob", me.as_str(), Some("2027-01-15")));
    assert!(q.question.as_deref().is_some_and(|t| t.contains(&session.items[2].item.question.text)), "{q:?}");
    let s = lib.assign(review, &AssignmentScope::Section { name: sheet.to_uppercase() }, "Legal", None, "").expect("a section, any case");
    assert!(s.questions >= 1 && s.questions <= n, "{s:?}");
    let all = lib.assign(review, &AssignmentScope::Review, &me, Some("2027-02-01"), "").expect("the whole review");
    assert_eq!(all.questions, n);

    // What is refused, and says why.
    let e = lib.assign(review, &AssignmentScope::Question { index: n }, "bob", None, "").expect_err("no such question");
    assert_eq!(e.code(), "library.assignments.no_such_question");
    assert!(e.to_string().contains(&format!("has no question {}", n + 1)), "{e}");
    let e = lib.assign(review, &AssignmentScope::Section { name: "Nope".into() }, "bob", None, "").expect_err("no such section");
    assert!(e.to_string().contains(&sheet), "the message lists the sheets: {e}");
    assert!(lib.assign(review, &AssignmentScope::Review, "  ", None, "").is_err());
    assert!(lib.assign(review, &AssignmentScope::Review, "bob", Some("next Tuesday"), "").is_err());
    assert!(lib.assign(review + 100, &AssignmentScope::Review, "bob", None, "").is_err());

    // My assignments: mine, and my teams' when I say I answer for them; by due date.
    let mine = lib.my_assignments(&[]).expect("mine");
    assert_eq!(mine.iter().map(|a| a.id).collect::<Vec<_>>(), [all.id]);
    let with_legal = lib.my_assignments(&["legal".to_string()]).expect("mine and Legal's");
    assert_eq!(with_legal.iter().map(|a| a.id).collect::<Vec<_>>(), [all.id, s.id], "dated first");
    assert_eq!(lib.assignments(&AssignmentFilter { assignees: vec!["BOB".into()], ..Default::default() }).expect("bob's").len(), 1);

    // Answering a question counts down the assignment's open questions; done and undone.
    assert_eq!(all.open_questions, n - session.items.iter().filter(|i| matches!(i.item.status, ReviewStatus::Reviewed | ReviewStatus::Approved)).count());
    lib.update_review_item(review, 2, &ReviewChange { answer: Some("Yes".into()), status: Some(ReviewStatus::Reviewed), ..Default::default() }, "bob").expect("answer");
    assert_eq!(lib.assignment(q.id).expect("again").open_questions, 0);
    assert!(lib.set_assignment_done(q.id, true).expect("done").done);
    assert!(lib.my_assignments(&[]).expect("mine").iter().all(|a| a.id != q.id));
    assert!(lib.assignments(&AssignmentFilter { review: Some(review), include_done: true, ..Default::default() }).expect("all").iter().any(|a| a.id == q.id && a.done));
    assert!(!lib.set_assignment_done(q.id, false).expect("undone").done);
    lib.remove_assignment(s.id).expect("remove");
    assert_eq!(lib.assignment(s.id).expect_err("gone").code(), "library.assignments.no_such_assignment");

    // Threads: per question and on the review, oldest first; only the author deletes.
    let c1 = lib.add_comment(review, Some(2), "Is the cyber policy renewed?").expect("comment");
    let c2 = lib.add_comment(review, Some(2), "Yes, in June.").expect("reply");
    lib.add_comment(review, None, "Due to the customer on Friday.").expect("on the review");
    assert_eq!(lib.comments(review, Some(Some(2))).expect("thread").iter().map(|c| c.id).collect::<Vec<_>>(), [c1.id, c2.id]);
    assert_eq!(lib.comments(review, Some(None)).expect("the review's").len(), 1);
    assert_eq!(lib.comments(review, None).expect("all").len(), 3);
    assert_eq!(c1.author, me);
    assert!(lib.add_comment(review, Some(2), "   ").is_err());
    assert!(lib.add_comment(review, Some(n), "x").is_err());
    assert!(lib.add_comment(review, None, &"x".repeat(20_001)).is_err());
    lib.delete_comment(c2.id).expect("my own");
    assert_eq!(lib.comments(review, Some(Some(2))).expect("thread").len(), 1);

    // Deleting the review takes its assignments and comments with it.
    lib.delete_review(review).expect("delete");
    assert!(lib.assignments(&AssignmentFilter { include_done: true, ..Default::default() }).expect("none").is_empty());
}

fn quire(db: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_quire")).arg("--db").arg(db).args(args).env_remove("QUIRE_PASSPHRASE").output().expect("run quire");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn the_review_commands_share_out_the_work() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (lib, review, db) = with_review(dir.path());
    let me = lib.person().expect("who");
    drop(lib);
    let r = review.to_string();

    let (ok, out, err) = quire(&db, &["review", "list"]);
    assert!(ok && out.contains("customer") && out.contains("reviewed or approved"), "{out}{err}");
    let (ok, out, err) = quire(&db, &["review", "assign", &r, "--question", "3", "--to", &me, "--due", "2027-01-15", "--note", "needs Legal"]);
    assert!(ok && out.contains("question 3") && out.contains("due 2027-01-15"), "{out}{err}");
    let (ok, out, _) = quire(&db, &["review", "assigned"]);
    assert!(ok && out.contains("question 3") && out.contains("needs Legal") && out.contains("2027-01-15"), "{out}");
    let (ok, out, _) = quire(&db, &["review", "assigned", "--to", "nobody"]);
    assert!(ok && out.contains("no open assignments for nobody"), "{out}");
    let (ok, out, _) = quire(&db, &["review", "assigned", "--json"]);
    let list: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert!(ok && list[0]["scope"]["kind"] == "question" && list[0]["scope"]["index"] == 2, "{out}");
    let id = list[0]["id"].as_i64().expect("id").to_string();

    let (ok, out, err) = quire(&db, &["review", "set", &r, "3", "--answer", "Yes", "--status", "reviewed"]);
    assert!(ok && out.contains("question 3: Yes (reviewed)"), "{out}{err}");
    let (ok, out, _) = quire(&db, &["review", "done", &id]);
    assert!(ok && out.contains("is done"), "{out}");
    let (ok, out, _) = quire(&db, &["review", "assigned"]);
    assert!(ok && out.contains("no open assignments"), "{out}");

    let (ok, _, err) = quire(&db, &["review", "comment", &r, "--question", "3", "Renewed in June?"]);
    assert!(ok, "{err}");
    let (ok, out, _) = quire(&db, &["review", "comments", &r, "--question", "3"]);
    assert!(ok && out.contains("Renewed in June?") && out.contains("on question 3") && out.contains(&me), "{out}");

    // Mistakes say what to do.
    let (ok, _, err) = quire(&db, &["review", "assign", &r, "--to", "bob"]);
    assert!(!ok && err.contains("--question N, --section NAME or --all"), "{err}");
    let (ok, _, err) = quire(&db, &["review", "set", &r, "0", "--answer", "Yes"]);
    assert!(!ok && err.contains("numbered from 1"), "{err}");
    let (ok, _, err) = quire(&db, &["review", "show", "999"]);
    assert!(!ok && err.contains("no review 999") && err.contains("quire review list"), "{err}");
}
