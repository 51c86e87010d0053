//! `quire review …`: reviews from the terminal (start, list, show, answer) and the team's
//! division of work on them: assignments ("needs an answer from Legal") and comment threads.
//! Parsing and printing only; the work is in the core (`quire::workflow::start_review`,
//! `quire::library` reviews and assignments).

use crate::access::Access;
use quire::display::shorten;
use quire::library::{Assignment, AssignmentFilter, AssignmentScope, Comment};
use quire::review::{ReviewChange, ReviewStatus};
use quire::{Error, Result};
use std::path::PathBuf;

#[derive(clap::Subcommand)]
pub enum ReviewCommand {
    /// Start a review of a questionnaire: every question gets the library's best suggestion.
    Start {
        file: PathBuf,
        /// Suggestions below this confidence are not offered as the answer (0–1).
        #[arg(long, default_value_t = 0.5, value_parser = crate::answering::parse_confidence)]
        min_confidence: f32,
        #[arg(long)]
        json: bool,
    },
    /// The reviews in the library, most recently changed first, with their progress.
    List {
        #[arg(long)]
        json: bool,
    },
    /// A review's questions with their answers and statuses.
    Show {
        review: i64,
        #[arg(long)]
        json: bool,
    },
    /// Answer a question, change its comment or its status.
    Set {
        review: i64,
        /// The question's number (1 = the first question of the review).
        question: usize,
        #[arg(long)]
        answer: Option<String>,
        #[arg(long)]
        comment: Option<String>,
        /// draft, reviewed or approved.
        #[arg(long, value_parser = status)]
        status: Option<ReviewStatus>,
    },
    /// Give a question, a section (sheet) or the whole review to a person or a team.
    Assign {
        review: i64,
        /// Who: a person's login (the team login in a team library) or a team name ("Legal").
        #[arg(long = "to")]
        assignee: String,
        /// One question (its number).
        #[arg(long, conflicts_with_all = ["section", "all"])]
        question: Option<usize>,
        /// Every question of a sheet or section.
        #[arg(long, conflicts_with = "all")]
        section: Option<String>,
        /// The whole review.
        #[arg(long)]
        all: bool,
        /// Due date (YYYY-MM-DD).
        #[arg(long)]
        due: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        json: bool,
    },
    /// Open assignments: yours (and your teams', with --team), someone else's (--to), or all.
    Assigned {
        /// Someone else's assignments.
        #[arg(long = "to", conflicts_with = "everyone")]
        assignee: Option<String>,
        /// A team you answer for (repeatable): its assignments are listed with yours.
        #[arg(long = "team")]
        teams: Vec<String>,
        /// Everyone's.
        #[arg(long)]
        everyone: bool,
        /// Only this review's.
        #[arg(long)]
        review: Option<i64>,
        /// Done ones too.
        #[arg(long)]
        done: bool,
        #[arg(long)]
        json: bool,
    },
    /// Mark an assignment done (or open again with --undo).
    Done {
        assignment: i64,
        #[arg(long)]
        undo: bool,
    },
    /// Remove an assignment.
    Unassign { assignment: i64 },
    /// Add a comment to a question's thread (or to the review's, without --question).
    Comment {
        review: i64,
        text: String,
        #[arg(long)]
        question: Option<usize>,
    },
    /// A review's comments (one question's thread with --question).
    Comments {
        review: i64,
        #[arg(long)]
        question: Option<usize>,
        #[arg(long)]
        json: bool,
    },
}

fn status(s: &str) -> std::result::Result<ReviewStatus, String> {
    match s.trim().to_lowercase().as_str() {
        "draft" => Ok(ReviewStatus::Draft),
        "reviewed" => Ok(ReviewStatus::Reviewed),
        "approved" => Ok(ReviewStatus::Approved),
        _ => Err(format!("{s:?} is not a status a person sets: draft, reviewed or approved")),
    }
}

/// A question number as people count (1 = first) to the review's index.
fn index(n: usize) -> Result<usize> {
    n.checked_sub(1).ok_or_else(|| Error::invalid("cli.review.question_number", "questions are numbered from 1"))
}

pub fn run(db: Access, cmd: ReviewCommand) -> Result<()> {
    let mut lib = db.open()?;
    match cmd {
        ReviewCommand::Start { file, min_confidence, json } => {
            let on = |_: quire::workflow::Progress| {};
            let s = quire::workflow::start_review(&mut lib, &file, &[], min_confidence, &on)?;
            if json {
                return crate::print_json(&s);
            }
            outln!("started review {} of {}: {} questions, {} with a suggested answer", s.id, s.questionnaire, s.questions, s.counts.get("suggested").copied().unwrap_or(0));
            Ok(())
        }
        ReviewCommand::List { json } => {
            let list = lib.review_summaries()?;
            if json {
                return crate::print_json(&list);
            }
            if list.is_empty() {
                outln!("no reviews yet");
            }
            for s in list {
                let done = s.counts.get("reviewed").copied().unwrap_or(0) + s.counts.get("approved").copied().unwrap_or(0);
                outln!("{:>4}  {}  {done}/{} reviewed or approved  (changed {})", s.id, s.questionnaire, s.questions, s.updated_at);
            }
            Ok(())
        }
        ReviewCommand::Show { review, json } => {
            let session = lib.review_session(review)?;
            if json {
                return crate::print_json(&session);
            }
            outln!("review {} of {} ({} questions)", session.summary.id, session.summary.questionnaire, session.summary.questions);
            for i in &session.items {
                let q = &i.item.question;
                outln!(
                    "{:>4}  {:<9}  {:<10}  {}  {}",
                    i.index + 1,
                    i.item.status.as_str(),
                    shorten(i.item.answer.as_deref().unwrap_or("-"), 10),
                    q.reference,
                    shorten(&q.text, 90)
                );
            }
            Ok(())
        }
        ReviewCommand::Set { review, question, answer, comment, status } => {
            if answer.is_none() && comment.is_none() && status.is_none() {
                return Err(Error::invalid("cli.review.nothing_to_change", "say what to change: --answer, --comment or --status"));
            }
            let change = ReviewChange { answer, comment, status, ..ReviewChange::default() };
            let user = lib.person()?;
            let item = lib.update_review_item(review, index(question)?, &change, &user)?;
            outln!("question {}: {} ({})", question, item.item.answer.as_deref().unwrap_or("-"), item.item.status.as_str());
            Ok(())
        }
        ReviewCommand::Assign { review, assignee, question, section, all, due, note, json } => {
            let scope = match (question, section) {
                (Some(n), _) => AssignmentScope::Question { index: index(n)? },
                (None, Some(name)) => AssignmentScope::Section { name },
                (None, None) if all => AssignmentScope::Review,
                (None, None) => return Err(Error::invalid("cli.review.assign_what", "say what to assign: --question N, --section NAME or --all")),
            };
            let a = lib.assign(review, &scope, &assignee, due.as_deref(), &note)?;
            if json {
                return crate::print_json(&a);
            }
            outln!("assignment {}: {} to {}{}", a.id, what(&a), a.assignee, a.due.as_deref().map(|d| format!(", due {d}")).unwrap_or_default());
            Ok(())
        }
        ReviewCommand::Assigned { assignee, teams, everyone, review, done, json } => {
            let assignees = match (everyone, &assignee) {
                (true, _) => Vec::new(),
                (false, Some(a)) => vec![a.clone()],
                (false, None) => std::iter::once(lib.person()?).chain(teams).collect(),
            };
            let list = lib.assignments(&AssignmentFilter { review, assignees: assignees.clone(), include_done: done })?;
            if json {
                return crate::print_json(&list);
            }
            if list.is_empty() {
                let whose = if assignees.is_empty() { "anyone".to_string() } else { assignees.join(" or ") };
                outln!("no {}assignments for {whose}", if done { "" } else { "open " });
            }
            print_assignments(&list);
            Ok(())
        }
        ReviewCommand::Done { assignment, undo } => {
            let a = lib.set_assignment_done(assignment, !undo)?;
            outln!("assignment {} ({}, {}) is {}", a.id, a.questionnaire, what(&a), if a.done { "done" } else { "open again" });
            Ok(())
        }
        ReviewCommand::Unassign { assignment } => {
            lib.remove_assignment(assignment)?;
            outln!("assignment {assignment} removed");
            Ok(())
        }
        ReviewCommand::Comment { review, text, question } => {
            let c = lib.add_comment(review, question.map(index).transpose()?, &text)?;
            outln!("comment {} added {}", c.id, thread(&c));
            Ok(())
        }
        ReviewCommand::Comments { review, question, json } => {
            let thread_of = match question {
                Some(n) => Some(Some(index(n)?)),
                None => None,
            };
            let list = lib.comments(review, thread_of)?;
            if json {
                return crate::print_json(&list);
            }
            if list.is_empty() {
                outln!("no comments");
            }
            for c in list {
                outln!("{:>4}  {} {} {}:", c.id, c.created_at, c.author, thread(&c));
                for line in c.body.lines() {
                    outln!("      {}", crate::term::safe(line));
                }
            }
            Ok(())
        }
    }
}

fn what(a: &Assignment) -> String {
    match &a.scope {
        AssignmentScope::Question { index } => format!("question {}", index + 1),
        AssignmentScope::Section { name } => format!("section {name}"),
        AssignmentScope::Review => "the whole review".to_string(),
    }
}

fn thread(c: &Comment) -> String {
    match c.index {
        Some(i) => format!("on question {}", i + 1),
        None => "on the review".to_string(),
    }
}

fn print_assignments(list: &[Assignment]) {
    for a in list {
        let progress = if a.questions > 0 { format!("{} of {} open", a.open_questions, a.questions) } else { String::new() };
        outln!(
            "{:>4}  {:<10}  {:<12}  review {} {}: {}{}  [{progress}]{}",
            a.id,
            a.due.as_deref().unwrap_or("no due date"),
            shorten(&a.assignee, 12),
            a.review_id,
            shorten(&a.questionnaire, 40),
            what(a),
            a.question.as_deref().map(|q| format!(" — {}", shorten(q, 70))).unwrap_or_default(),
            if a.done { "  done" } else { "" }
        );
        if !a.note.is_empty() {
            outln!("      {} (from {})", crate::term::safe(&shorten(&a.note, 200)), a.assigned_by);
        }
    }
}
