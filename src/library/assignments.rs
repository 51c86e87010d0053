//! Several people answering one questionnaire (migration 012): **assignments** ("needs an
//! answer from Legal": one question, a section, or the whole review, given to a person or a
//! team, with a note and a due date) and a **comment thread** per question or on the review.
//! Who assigned or wrote what, and when, is kept on every row. In a team library these rows sync
//! like the answers (src/team/reviews.rs); the person is then the team login.

use super::Library;
use crate::dates::{now_text, parse_date};
use crate::error::{Error, Result};
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

/// What an assignment covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum AssignmentScope {
    /// One question (0-based index in the review).
    Question { index: usize },
    /// Every question of a sheet or section.
    Section { name: String },
    /// The whole questionnaire.
    Review,
}

/// One assignment, with what a "My assignments" list shows about it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Assignment {
    pub id: i64,
    pub review_id: i64,
    /// The review's questionnaire (file name).
    pub questionnaire: String,
    pub scope: AssignmentScope,
    /// The question's reference and text, for a question.
    pub question: Option<String>,
    /// Questions it covers that are not yet reviewed or approved.
    pub open_questions: usize,
    pub questions: usize,
    pub assignee: String,
    pub note: String,
    /// YYYY-MM-DD.
    pub due: Option<String>,
    pub done: bool,
    pub assigned_by: String,
    pub created_at: String,
    pub updated_at: String,
}

/// A comment on a question (or on the review when `index` is none).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Comment {
    pub id: i64,
    pub review_id: i64,
    pub index: Option<usize>,
    pub body: String,
    pub author: String,
    pub created_at: String,
    pub updated_at: String,
}

/// Which assignments to list.
#[derive(Debug, Clone, Default)]
pub struct AssignmentFilter {
    pub review: Option<i64>,
    /// Given to any of these people or teams (case-insensitive); empty: to anyone.
    pub assignees: Vec<String>,
    /// Done ones too.
    pub include_done: bool,
}

const MAX_ASSIGNEE: usize = 200;
const MAX_NOTE: usize = 10_000;
const MAX_COMMENT: usize = 20_000;

fn too_long(what: &str, max: usize) -> Error {
    Error::invalid("library.assignments.too_long", format!("the {what} is longer than {max} characters; shorten it"))
}

impl Library {
    /// Who this library's changes are made by: the team login when the library is linked to a
    /// team library (so that an assignment to "bob" reaches Bob's desktop), else the person at
    /// the keyboard as the operating system names them.
    pub fn person(&self) -> Result<String> {
        let login: Option<String> = self.conn.query_row("SELECT login FROM sync_state WHERE id = 1", [], |r| r.get(0)).optional().map_err(|e| self.err(e))?;
        Ok(login.unwrap_or_else(super::os_user))
    }

    /// Assigns part of a review to `assignee` (a person or a team name).
    pub fn assign(&mut self, review_id: i64, scope: &AssignmentScope, assignee: &str, due: Option<&str>, note: &str) -> Result<Assignment> {
        let assignee = assignee.trim();
        if assignee.is_empty() {
            return Err(Error::invalid("library.assignments.no_assignee", "say who the assignment is for (a person's login or a team name)"));
        }
        if assignee.chars().count() > MAX_ASSIGNEE {
            return Err(too_long("assignee's name", MAX_ASSIGNEE));
        }
        if note.chars().count() > MAX_NOTE {
            return Err(too_long("note", MAX_NOTE));
        }
        let due = match due.map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => Some(parse_date(d)?.to_string()),
            None => None,
        };
        let session = self.review_session(review_id)?;
        let (idx, section) = match scope {
            AssignmentScope::Question { index } => {
                if *index >= session.items.len() {
                    return Err(Error::invalid("library.assignments.no_such_question", format!(
                        "the review of {} has no question {} (it has {})",
                        session.summary.questionnaire,
                        index + 1,
                        session.items.len()
                    )));
                }
                (Some(*index as i64), None)
            }
            AssignmentScope::Section { name } => {
                let name = name.trim();
                if !session.items.iter().any(|i| in_section(&i.item.question, name)) {
                    let mut known: Vec<&str> = session.items.iter().map(|i| i.item.question.sheet.as_str()).collect();
                    known.dedup();
                    return Err(Error::invalid("library.assignments.no_such_section", format!(
                        "the review of {} has no sheet or section named \"{name}\" (its sheets: {})",
                        session.summary.questionnaire,
                        known.join(", ")
                    )));
                }
                (None, Some(name.to_string()))
            }
            AssignmentScope::Review => (None, None),
        };
        let by = self.person()?;
        let now = now_text();
        let tx = self.write_tx()?;
        tx.execute(
            "INSERT INTO assignments(review_id, idx, section, assignee, note, due, done, assigned_by, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?8, ?8)",
            params![review_id, idx, section, assignee, note, due, by, now],
        )
        .map_err(|e| self.err(e))?;
        let id = tx.last_insert_rowid();
        tx.commit().map_err(|e| self.err(e))?;
        self.assignment(id)
    }

    pub fn assignment(&self, id: i64) -> Result<Assignment> {
        let found = self.assignments_where("a.id = ?1", params![id])?;
        found.into_iter().next().ok_or_else(|| Error::invalid("library.assignments.no_such_assignment", format!("there is no assignment {id}; it may have been removed")))
    }

    /// Assignments, open ones first by due date (those without one last), then by review.
    pub fn assignments(&self, filter: &AssignmentFilter) -> Result<Vec<Assignment>> {
        let who: Vec<String> = filter.assignees.iter().map(|a| a.trim().to_lowercase()).filter(|a| !a.is_empty()).collect();
        let who = serde_json::to_string(&who).unwrap_or_else(|_| "[]".into());
        self.assignments_where(
            "(?1 IS NULL OR a.review_id = ?1) AND (?2 = '[]' OR lower(a.assignee) IN (SELECT value FROM json_each(?2))) AND (?3 OR a.done = 0)",
            params![filter.review, who, filter.include_done],
        )
    }

    /// The open assignments of this library's person (see [`person`](Self::person)) and of
    /// the teams given (a person may answer for Legal, say).
    pub fn my_assignments(&self, teams: &[String]) -> Result<Vec<Assignment>> {
        let mut assignees = vec![self.person()?];
        assignees.extend(teams.iter().cloned());
        self.assignments(&AssignmentFilter { assignees, ..Default::default() })
    }

    fn assignments_where(&self, condition: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<Assignment>> {
        let sql = format!(
            "SELECT a.id, a.review_id, r.questionnaire, a.idx, a.section, a.assignee, a.note, a.due, a.done, a.assigned_by, a.created_at, a.updated_at
               FROM assignments a JOIN reviews r ON r.id = a.review_id
              WHERE {condition}
              ORDER BY a.done, a.due IS NULL, a.due, a.review_id, a.idx IS NULL, a.idx, a.id"
        );
        let rows: Vec<RawAssignment> = {
            let mut st = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
            let rows = st.query_map(args, raw_assignment).map_err(|e| self.err(e))?;
            rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))?
        };
        let mut sessions: std::collections::HashMap<i64, super::ReviewSession> = std::collections::HashMap::new();
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            if !sessions.contains_key(&r.review_id) {
                sessions.insert(r.review_id, self.review_session(r.review_id)?);
            }
            let session = &sessions[&r.review_id];
            let scope = match (r.idx, &r.section) {
                (Some(i), _) => AssignmentScope::Question { index: i.max(0) as usize },
                (None, Some(s)) => AssignmentScope::Section { name: s.clone() },
                (None, None) => AssignmentScope::Review,
            };
            let covered: Vec<&super::ReviewItem> = session
                .items
                .iter()
                .filter(|i| match &scope {
                    AssignmentScope::Question { index } => i.index == *index,
                    AssignmentScope::Section { name } => in_section(&i.item.question, name),
                    AssignmentScope::Review => true,
                })
                .collect();
            let open = covered.iter().filter(|i| !matches!(i.item.status, crate::review::ReviewStatus::Reviewed | crate::review::ReviewStatus::Approved)).count();
            let question = match &scope {
                AssignmentScope::Question { .. } => covered.first().map(|i| {
                    let q = &i.item.question;
                    if q.reference.is_empty() {
                        q.text.clone()
                    } else {
                        format!("{} {}", q.reference, q.text)
                    }
                }),
                _ => None,
            };
            out.push(Assignment {
                id: r.id,
                review_id: r.review_id,
                questionnaire: r.questionnaire,
                scope,
                question,
                open_questions: open,
                questions: covered.len(),
                assignee: r.assignee,
                note: r.note,
                due: r.due,
                done: r.done,
                assigned_by: r.assigned_by,
                created_at: r.created_at,
                updated_at: r.updated_at,
            });
        }
        Ok(out)
    }

    /// Marks an assignment done (or open again).
    pub fn set_assignment_done(&mut self, id: i64, done: bool) -> Result<Assignment> {
        self.assignment(id)?;
        self.write_one("UPDATE assignments SET done = ?2, updated_at = ?3 WHERE id = ?1", params![id, done, now_text()])?;
        self.assignment(id)
    }

    /// Removes an assignment.
    pub fn remove_assignment(&mut self, id: i64) -> Result<()> {
        self.assignment(id)?;
        self.write_one("DELETE FROM assignments WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Adds a comment to a question's thread (`index`), or to the review's.
    pub fn add_comment(&mut self, review_id: i64, index: Option<usize>, body: &str) -> Result<Comment> {
        let body = body.trim();
        if body.is_empty() {
            return Err(Error::invalid("library.assignments.empty_comment", "the comment is empty; write something"));
        }
        if body.chars().count() > MAX_COMMENT {
            return Err(too_long("comment", MAX_COMMENT));
        }
        let summary = self.review_summary(review_id)?;
        if let Some(i) = index {
            if i >= summary.questions {
                return Err(Error::invalid("library.assignments.no_such_question", format!("the review of {} has no question {} (it has {})", summary.questionnaire, i + 1, summary.questions)));
            }
        }
        let author = self.person()?;
        let now = now_text();
        let tx = self.write_tx()?;
        tx.execute(
            "INSERT INTO comments(review_id, idx, body, author, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            params![review_id, index.map(|i| i as i64), body, author, now],
        )
        .map_err(|e| self.err(e))?;
        let id = tx.last_insert_rowid();
        tx.commit().map_err(|e| self.err(e))?;
        self.comment(id)
    }

    pub fn comment(&self, id: i64) -> Result<Comment> {
        let found: Option<Comment> = self
            .conn
            .query_row("SELECT id, review_id, idx, body, author, created_at, updated_at FROM comments WHERE id = ?1", [id], comment_from_row)
            .optional()
            .map_err(|e| self.err(e))?;
        found.ok_or_else(|| Error::invalid("library.assignments.no_such_comment", format!("there is no comment {id}; it may have been deleted")))
    }

    /// A review's comments, oldest first: all of them (`None`), or one thread
    /// (`Some(Some(index))` for a question, `Some(None)` for the review's own).
    pub fn comments(&self, review_id: i64, thread: Option<Option<usize>>) -> Result<Vec<Comment>> {
        self.review_summary(review_id)?;
        let (all, idx) = match thread {
            None => (true, None),
            Some(i) => (false, i.map(|i| i as i64)),
        };
        let mut st = self
            .conn
            .prepare("SELECT id, review_id, idx, body, author, created_at, updated_at FROM comments WHERE review_id = ?1 AND (?2 OR idx IS ?3) ORDER BY created_at, id")
            .map_err(|e| self.err(e))?;
        let rows = st.query_map(params![review_id, all, idx], comment_from_row).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))
    }

    /// Deletes a comment; only its author may (in a team library the server checks it too).
    pub fn delete_comment(&mut self, id: i64) -> Result<()> {
        let c = self.comment(id)?;
        let me = self.person()?;
        if !c.author.eq_ignore_ascii_case(&me) {
            return Err(Error::invalid("library.assignments.not_your_comment", format!("comment {id} was written by {}; only its author can delete it", c.author)));
        }
        self.write_one("DELETE FROM comments WHERE id = ?1", [id])?;
        Ok(())
    }
}

/// Whether a question belongs to the sheet or section `name` (its sheet, or its domain, which
/// is the section heading for questionnaires that have them).
fn in_section(q: &crate::sheet::model::Question, name: &str) -> bool {
    q.sheet.eq_ignore_ascii_case(name) || (!q.domain.is_empty() && q.domain.eq_ignore_ascii_case(name))
}

struct RawAssignment {
    id: i64,
    review_id: i64,
    questionnaire: String,
    idx: Option<i64>,
    section: Option<String>,
    assignee: String,
    note: String,
    due: Option<String>,
    done: bool,
    assigned_by: String,
    created_at: String,
    updated_at: String,
}

fn raw_assignment(r: &Row<'_>) -> rusqlite::Result<RawAssignment> {
    Ok(RawAssignment {
        id: r.get(0)?,
        review_id: r.get(1)?,
        questionnaire: r.get(2)?,
        idx: r.get(3)?,
        section: r.get(4)?,
        assignee: r.get(5)?,
        note: r.get(6)?,
        due: r.get(7)?,
        done: r.get(8)?,
        assigned_by: r.get(9)?,
        created_at: r.get(10)?,
        updated_at: r.get(11)?,
    })
}

fn comment_from_row(r: &Row<'_>) -> rusqlite::Result<Comment> {
    let idx: Option<i64> = r.get(2)?;
    Ok(Comment { id: r.get(0)?, review_id: r.get(1)?, index: idx.map(|i| i.max(0) as usize), body: r.get(3)?, author: r.get(4)?, created_at: r.get(5)?, updated_at: r.get(6)? })
}
