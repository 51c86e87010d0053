// mock-teamwork.ts: DEV ONLY — the mock backend's shared-review commands (assignments and comment
// threads, docs/app-commands.md), imported by mock.ts only. The person is the mock's user; one
// question of the first review is assigned to them (overdue), a section to "Legal", and a
// question carries two comments, one of them by someone else (its delete is refused as the core
// refuses it). Errors are `{code, message}` objects, as the real backend's.

import type { Assignment, AssignmentScope, ReviewComment, ReviewItem, ReviewSummary } from "../lib/types";

interface Session {
  summary: ReviewSummary;
  items: ReviewItem[];
}

const now = () => new Date().toISOString();
const open = (it: ReviewItem) => it.status !== "reviewed" && it.status !== "approved";
const err = (code: string, message: string) => ({ code, message, detail: null });

/** The commands, over the mock's sessions (`session` throws for an unknown review). */
export function teamworkCommands(user: string, session: (id: number) => Session, sessions: () => Map<number, Session>) {
  type Row = Omit<Assignment, "questionnaire" | "question" | "open_questions" | "questions">;
  let rows: Row[] = [];
  let comments: ReviewComment[] = [];
  let nextId = 1;

  const covered = (s: Session, scope: AssignmentScope) =>
    scope.kind === "question" ? s.items.filter((x) => x.index === scope.index) : scope.kind === "section" ? s.items.filter((x) => x.question.sheet === scope.name) : s.items;
  const full = (r: Row): Assignment => {
    const s = session(r.review_id);
    const items = covered(s, r.scope);
    const q = r.scope.kind === "question" ? items[0] : undefined;
    return { ...r, questionnaire: s.summary.questionnaire, question: q ? `${q.question.ref} ${q.question.text}` : null, open_questions: items.filter(open).length, questions: items.length };
  };
  const byDue = (a: Assignment, b: Assignment) => (a.due ?? "9999").localeCompare(b.due ?? "9999") || a.id - b.id;

  const add = (id: number, scope: AssignmentScope, assignee: string, due: string | null, note: string | null, by = user): Assignment => {
    const s = session(id);
    if (!assignee?.trim()) throw err("library.assignments.no_assignee", "say who the assignment is for (a person's login or a team name)");
    if (scope.kind === "question" && !s.items[scope.index]) throw err("library.assignments.no_such_question", `question ${scope.index + 1} is not in this review`);
    if (scope.kind === "section" && !s.items.some((x) => x.question.sheet === scope.name)) {
      const sheets = [...new Set(s.items.map((x) => x.question.sheet))].join(", ");
      throw err("library.assignments.no_such_section", `this review has no section "${scope.name}"; its sections are ${sheets}`);
    }
    if (due && !/^\d{4}-\d{2}-\d{2}$/.test(due)) throw err("dates.invalid", `"${due}" is not a date; write it as YYYY-MM-DD`);
    const r: Row = { id: nextId++, review_id: id, scope, assignee: assignee.trim(), note: note ?? "", due: due || null, done: false, assigned_by: by, created_at: now(), updated_at: now() };
    rows = [...rows, r];
    return full(r);
  };
  const row = (id: number) => {
    const r = rows.find((x) => x.id === id);
    if (!r) throw err("library.assignments.no_assignment", `there is no assignment ${id}`);
    return r;
  };

  // Sample data on the first review.
  const first = [...sessions().keys()][0];
  if (first !== undefined) {
    add(first, { kind: "question", index: 4 }, user, "2025-01-15", "Check the wording with the DPO", "ana");
    add(first, { kind: "section", name: "General" }, "Legal", null, "", "ana");
    comments = [
      { id: nextId++, review_id: first, index: 4, body: "Is this about backups too?", author: "ana", created_at: "2025-01-10T09:00:00Z", updated_at: "2025-01-10T09:00:00Z" },
      { id: nextId++, review_id: first, index: 4, body: "Yes: all copies are encrypted.", author: user, created_at: "2025-01-10T10:30:00Z", updated_at: "2025-01-10T10:30:00Z" },
    ];
  }

  return {
    assignments_mine: ({ teams }: { teams: string[] }) => {
      const who = new Set([user, ...(teams ?? [])].map((t) => t.toLowerCase()));
      return rows.filter((r) => !r.done && who.has(r.assignee.toLowerCase()) && sessions().has(r.review_id)).map(full).sort(byDue);
    },
    assignments_of_review: ({ id }: { id: number }) => {
      session(id);
      return rows.filter((r) => r.review_id === id).map(full).sort(byDue);
    },
    assignment_add: ({ id, scope, assignee, due, note }: { id: number; scope: AssignmentScope; assignee: string; due: string | null; note: string | null }) => add(id, scope, assignee, due, note),
    assignment_done: ({ assignment, done }: { assignment: number; done: boolean }) => {
      const r = row(assignment);
      rows = rows.map((x) => (x.id === r.id ? { ...x, done, updated_at: now() } : x));
      return full(row(assignment));
    },
    assignment_remove: ({ assignment }: { assignment: number }) => {
      row(assignment);
      rows = rows.filter((x) => x.id !== assignment);
      return null;
    },
    comments_of_review: ({ id }: { id: number }) => {
      session(id);
      return comments.filter((c) => c.review_id === id);
    },
    comment_add: ({ id, index, body }: { id: number; index: number | null; body: string }) => {
      const s = session(id);
      if (index !== null && !s.items[index]) throw err("library.assignments.no_such_question", `question ${index + 1} is not in this review`);
      if (!body?.trim()) throw err("library.assignments.empty_comment", "the comment is empty; write something first");
      const c: ReviewComment = { id: nextId++, review_id: id, index, body: body.trim(), author: user, created_at: now(), updated_at: now() };
      comments = [...comments, c];
      return c;
    },
    comment_delete: ({ comment }: { comment: number }) => {
      const c = comments.find((x) => x.id === comment);
      if (!c) throw err("library.assignments.no_comment", `there is no comment ${comment}`);
      if (c.author !== user) throw err("library.assignments.not_your_comment", `comment ${comment} is ${c.author}'s; only its author can delete it`);
      comments = comments.filter((x) => x.id !== comment);
      return null;
    },
  };
}
