// @vitest-environment happy-dom
// Shared reviews (issue 18): the rules of lib/assignments.ts, the "My assignments" screen and the
// assignments and comment threads of the Review screen — Svelte's client runtime in happy-dom
// over a fake of Tauri's invoke that keeps its own lists, as the backend does.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { flushSync, mount, tick, unmount } from "svelte";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...a: unknown[]) => invoke(...a) }));
vi.mock("@tauri-apps/api/event", () => ({ listen: async () => () => {} }));
vi.mock("@tauri-apps/api/webview", () => ({ getCurrentWebview: () => ({ onDragDropEvent: async () => () => {} }) }));
vi.mock("@tauri-apps/plugin-dialog", () => ({ open: vi.fn(), save: vi.fn() }));
vi.mock("@tauri-apps/plugin-opener", () => ({ revealItemInDir: vi.fn() }));

import Assignments from "../src/screens/Assignments.svelte";
import ReviewWorkspace from "../src/screens/review/ReviewWorkspace.svelte";
import { app } from "../src/lib/app.svelte";
import {
  TEAMS_KEY,
  assignmentsCovering,
  commentCounts,
  dueState,
  isOwnComment,
  loadTeamsText,
  parseTeams,
  progressText,
  saveTeamsText,
  scopeLabel,
  threadOf,
} from "../src/lib/assignments";
import { createMockBackend } from "../src/dev/mock";
import type { Assignment, ReviewComment, ReviewSummary, SyncStatus } from "../src/lib/types";
import { item } from "./fixtures";

const g = globalThis as Record<string, unknown>;
let component: ReturnType<typeof mount> | null = null;
const $ = (id: string, root: ParentNode = document) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const $$ = (id: string, root: ParentNode = document) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
const settle = async () => {
  for (let i = 0; i < 6; i++) {
    await tick();
    await new Promise((r) => setTimeout(r, 0));
  }
  flushSync();
};
const type = (el: HTMLElement | null, v: string) => {
  const input = el as HTMLInputElement | HTMLTextAreaElement;
  input.value = v;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  flushSync();
};
/** invoke's calls of one command, by their arguments */
const callsOf = (cmd: string) => invoke.mock.calls.filter((c) => c[0] === cmd).map((c) => c[1]);

function assignment(over: Partial<Assignment> = {}): Assignment {
  return {
    id: 1, review_id: 3, questionnaire: "acme-2026.xlsx", scope: { kind: "question", index: 12 }, question: "R-12 Do you encrypt backups?",
    open_questions: 1, questions: 1, assignee: "ana", note: "", due: null, done: false, assigned_by: "bob",
    created_at: "2026-11-30T10:00:00Z", updated_at: "2026-11-30T10:00:00Z", ...over,
  };
}
function comment(over: Partial<ReviewComment> = {}): ReviewComment {
  return { id: 1, review_id: 3, index: 0, body: "A comment", author: "ana", created_at: "2026-11-30T10:00:00Z", updated_at: "2026-11-30T10:00:00Z", ...over };
}

const UNLINKED: SyncStatus = { linked: false, server: null, login: null, joined_at: null, last_sync_at: null, last_pulled: 0, last_error: null, waiting: 0, refused: [], conflicts: 0, field_conflicts: 0, skipped: 0 };
const LINKED_ANA: SyncStatus = { ...UNLINKED, linked: true, server: "postgres://ana@db.example.org/quire", login: "ana" };

beforeEach(() => {
  g.__TAURI_INTERNALS__ = {};
  g.ResizeObserver ??= class { observe() {} disconnect() {} };
  invoke.mockReset();
  localStorage.clear();
  app.notices = [];
  app.screen = "assignments";
  app.reviewId = null;
  app.reviewFocus = null;
  app.teamSyncs = 0;
  app.info = null;
});
afterEach(() => {
  if (component) unmount(component);
  component = null;
  document.body.innerHTML = "";
});

describe("assignment rules", () => {
  it("due dates: overdue, today, within a week, later, none, done", () => {
    const today = "2026-12-02";
    expect(dueState("2026-11-30", false, today)).toEqual({ level: "overdue", text: "Overdue since 2026-11-30 (2 days)" });
    expect(dueState("2026-12-01", false, today).text).toBe("Overdue since 2026-12-01 (1 day)");
    expect(dueState("2026-12-02", false, today)).toEqual({ level: "today", text: "Due today" });
    expect(dueState("2026-12-09", false, today)).toEqual({ level: "soon", text: "Due 2026-12-09 (in 7 days)" });
    expect(dueState("2026-12-10", false, today)).toEqual({ level: "later", text: "Due 2026-12-10" });
    expect(dueState(null, false, today)).toEqual({ level: "none", text: "No due date" });
    // A done assignment is never overdue.
    expect(dueState("2026-11-30", true, today)).toEqual({ level: "done", text: "Due 2026-11-30" });
  });

  it("says what is assigned and how far it is", () => {
    expect(scopeLabel(assignment())).toBe("Question 13: R-12 Do you encrypt backups?");
    expect(scopeLabel(assignment({ scope: { kind: "section", name: "Privacy" }, question: null }))).toBe("Section Privacy");
    expect(scopeLabel(assignment({ scope: { kind: "review" }, question: null }))).toBe("Whole review");
    expect(progressText(assignment({ scope: { kind: "section", name: "Privacy" }, open_questions: 2, questions: 5 }))).toBe("2 of 5 open");
    expect(progressText(assignment({ open_questions: 1, questions: 1 }))).toBe("open");
    expect(progressText(assignment({ open_questions: 0, questions: 1 }))).toBe("answered");
    expect(progressText(assignment({ done: true, open_questions: 3, questions: 5 }))).toBe("done");
  });

  it("finds the assignments covering a question and the comments of a thread", () => {
    const list = [
      assignment({ id: 1, scope: { kind: "question", index: 4 } }),
      assignment({ id: 2, scope: { kind: "question", index: 5 } }),
      assignment({ id: 3, scope: { kind: "section", name: "Privacy" } }),
      assignment({ id: 4, scope: { kind: "section", name: "General" } }),
      assignment({ id: 5, scope: { kind: "review" } }),
    ];
    expect(assignmentsCovering(list, 4, "Privacy").map((a) => a.id)).toEqual([1, 3, 5]);
    expect(assignmentsCovering(list, 9, "Other").map((a) => a.id)).toEqual([5]);
    const cs = [comment({ id: 1, index: 2 }), comment({ id: 2, index: null }), comment({ id: 3, index: 2 }), comment({ id: 4, index: 0 })];
    expect(threadOf(cs, 2).map((c) => c.id)).toEqual([1, 3]);
    expect(threadOf(cs, null).map((c) => c.id)).toEqual([2]);
    expect([...commentCounts(cs)]).toEqual([[2, 2], [0, 1]]);
  });

  it("own comments are the OS user's or the team login's", () => {
    expect(isOwnComment({ author: "ana" }, ["dev", "ana"])).toBe(true);
    expect(isOwnComment({ author: "dev" }, ["dev", null])).toBe(true);
    expect(isOwnComment({ author: "bob" }, ["dev", "ana"])).toBe(false);
    expect(isOwnComment({ author: "" }, [null, ""])).toBe(false);
  });

  it("parses and remembers the teams the person answers for", () => {
    expect(parseTeams(" Legal, Security ,, legal;Privacy\n")).toEqual(["Legal", "Security", "Privacy"]);
    expect(parseTeams("  ")).toEqual([]);
    expect(loadTeamsText()).toBe("");
    saveTeamsText(" Legal, Security ");
    expect(localStorage.getItem(TEAMS_KEY)).toBe("Legal, Security");
    expect(loadTeamsText()).toBe("Legal, Security");
  });
});

describe("My assignments", () => {
  const LIST = [
    assignment({ id: 7, due: "2020-03-01", note: "Check the wording with the DPO", assigned_by: "bob" }),
    assignment({ id: 8, scope: { kind: "section", name: "Privacy" }, question: null, assignee: "Legal", open_questions: 2, questions: 5, due: "2999-01-01", review_id: 4, questionnaire: "globex.xlsx" }),
    assignment({ id: 9, scope: { kind: "review" }, question: null, open_questions: 30, questions: 40, review_id: 5 }),
  ];

  function backend(list: Assignment[] = LIST) {
    let rows = list;
    invoke.mockImplementation(async (cmd: string, args?: Record<string, unknown>) => {
      if (cmd === "assignments_mine") return rows.filter((a) => !a.done);
      if (cmd === "assignment_done") {
        rows = rows.map((a) => (a.id === args?.assignment ? { ...a, done: args?.done as boolean } : a));
        return rows.find((a) => a.id === args?.assignment);
      }
      if (cmd === "team_status") return UNLINKED;
      throw `unexpected ${cmd}`;
    });
  }

  it("lists the person's and their teams' assignments with due dates, overdue ones highlighted", async () => {
    localStorage.setItem(TEAMS_KEY, "Legal, Security");
    backend();
    component = mount(Assignments, { target: document.body });
    await settle();
    expect(callsOf("assignments_mine")).toEqual([{ teams: ["Legal", "Security"] }]);
    expect(($("assignments-teams") as HTMLInputElement).value).toBe("Legal, Security");
    const rows = $$("assignment");
    expect(rows.map((r) => r.dataset.id)).toEqual(["7", "8", "9"]);
    expect($("assignment-what", rows[0])?.textContent).toBe("Question 13: R-12 Do you encrypt backups?");
    expect($("assignment-note", rows[0])?.textContent).toBe("Check the wording with the DPO");
    expect($("assignment-due", rows[0])?.dataset.level).toBe("overdue");
    expect($("assignment-due", rows[0])?.textContent).toContain("Overdue since 2020-03-01");
    expect(rows[0].classList.contains("overdue")).toBe(true);
    expect($("assignment-due", rows[1])?.dataset.level).toBe("later");
    expect(rows[1].classList.contains("overdue")).toBe(false);
    expect($("assignment-what", rows[1])?.textContent).toBe("Section Privacy");
    expect($("assignment-progress", rows[1])?.textContent).toBe("2 of 5 open");
    expect(rows[1].textContent).toContain("Legal");
    expect($("assignment-due", rows[2])?.textContent).toBe("No due date");
    expect($("assignment-progress", rows[2])?.textContent).toBe("30 of 40 open");
    // The team line is not offered on this screen for a library that is not linked.
    expect($("team-join")).toBeNull();
  });

  it("Done marks the assignment done and updates its row; Reopen undoes it", async () => {
    backend();
    component = mount(Assignments, { target: document.body });
    await settle();
    const row = () => $$("assignment").find((r) => r.dataset.id === "7")!;
    $("assignment-done", row())!.click();
    await settle();
    expect(callsOf("assignment_done")).toEqual([{ assignment: 7, done: true }]);
    expect(row().classList.contains("done")).toBe(true);
    expect($("assignment-done", row())?.textContent).toBe("Reopen");
    expect($("assignment-progress", row())?.textContent).toBe("done");
    expect($("assignment-due", row())?.dataset.level).toBe("done");
    $("assignment-done", row())!.click();
    await settle();
    expect(callsOf("assignment_done")[1]).toEqual({ assignment: 7, done: false });
    expect(row().classList.contains("done")).toBe(false);
  });

  it("opens the review at the question, or at the section", async () => {
    backend();
    component = mount(Assignments, { target: document.body });
    await settle();
    $("assignment-open", $$("assignment")[0])!.click();
    expect(app.screen).toBe("review");
    expect(app.reviewId).toBe(3);
    expect(app.reviewFocus).toEqual({ index: 12 });
    $("assignment-open-button", $$("assignment")[1])!.click();
    expect(app.reviewId).toBe(4);
    expect(app.reviewFocus).toEqual({ section: "Privacy" });
  });

  it("explains assignments when there are none, and reloads for the teams typed (remembered)", async () => {
    backend([]);
    component = mount(Assignments, { target: document.body });
    await settle();
    const empty = $("assignments-none")!;
    expect(empty.textContent).toContain("Nothing is assigned to you.");
    expect(empty.textContent).toContain("An assignment asks a person or a team to answer part of a questionnaire");
    expect(empty.textContent).toContain("Assign…");
    const field = $("assignments-teams")!;
    type(field, "Legal ,Security");
    field.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    await settle();
    expect(callsOf("assignments_mine")).toEqual([{ teams: [] }, { teams: ["Legal", "Security"] }]);
    expect(localStorage.getItem(TEAMS_KEY)).toBe("Legal, Security");
    expect($("assignments-none")!.textContent).toContain("Nothing is assigned to you or to Legal, Security.");
  });

  it("reloads after a team sync (once per sync, not for the syncs before it opened)", async () => {
    backend([]);
    app.teamSyncs = 2;
    component = mount(Assignments, { target: document.body });
    await settle();
    expect(callsOf("assignments_mine")).toHaveLength(1);
    backend([assignment({ id: 11 })]);
    app.teamSyncs += 1;
    await settle();
    expect(callsOf("assignments_mine")).toEqual([{ teams: [] }, { teams: [] }]);
    expect($$("assignment").map((r) => r.dataset.id)).toEqual(["11"]);
  });
});

describe("Review screen: assignments and comment threads", () => {
  const ITEMS = [
    item({ index: 0 }, { sheet: "General", ref: "G-1", text: "Is MFA enforced?" }),
    item({ index: 1 }, { sheet: "General", ref: "G-2", text: "Are backups encrypted?" }),
    item({ index: 2, status: "blank", answer: null }, { sheet: "Privacy", ref: "P-1", text: "Do you have a DPO?" }),
  ];
  const SUMMARY: ReviewSummary = { id: 3, questionnaire: "acme-2026.xlsx", path: "/tmp/acme-2026.xlsx", created_at: "2026-11-30T10:00:00Z", updated_at: "2026-11-30T10:00:00Z", questions: 3, counts: { suggested: 2, blank: 1 } };

  /** A backend with its own lists; the person is OS user "dev", linked to the team library as "ana". */
  function backend(opts: { assignments?: Assignment[]; comments?: ReviewComment[]; status?: SyncStatus } = {}) {
    let assignments = opts.assignments ?? [];
    let comments = opts.comments ?? [];
    let next = 100;
    invoke.mockImplementation(async (cmd: string, args: Record<string, unknown> = {}) => {
      switch (cmd) {
        case "review_get":
          return { summary: SUMMARY, items: ITEMS };
        case "team_status":
          return opts.status ?? LINKED_ANA;
        case "assignments_of_review":
          return assignments;
        case "comments_of_review":
          return comments;
        case "assignment_add": {
          const a = assignment({ id: next++, scope: args.scope as Assignment["scope"], assignee: args.assignee as string, due: args.due as string | null, note: (args.note as string | null) ?? "", assigned_by: "ana" });
          assignments = [...assignments, a];
          return a;
        }
        case "comment_add": {
          const c = comment({ id: next++, index: args.index as number | null, body: args.body as string, author: "ana", created_at: "2026-12-02T09:30:00Z" });
          comments = [...comments, c];
          return c;
        }
        case "review_update": {
          // Accepting question 0 answers what its assignments cover.
          assignments = assignments.map((a) => (a.scope.kind === "question" && a.scope.index === args.index ? { ...a, open_questions: 0 } : a));
          return { ...ITEMS[args.index as number], status: "reviewed" };
        }
        case "comment_delete": {
          const c = comments.find((x) => x.id === args.comment);
          if (c?.author !== "ana") throw { code: "library.assignments.not_your_comment", message: `comment ${args.comment} is ${c?.author}'s; only its author can delete it` };
          comments = comments.filter((x) => x.id !== args.comment);
          return null;
        }
      }
      throw `unexpected ${cmd}`;
    });
  }

  async function open(focus: { index?: number; section?: string } | null = null) {
    app.info = { version: "t", library_path: "/x", user: "dev", locked: false, encrypted: false, entries: 0, evidence: 0, conflicts: 0, demo_entries: 0, sample_questionnaire: null };
    app.openReview(3, focus);
    component = mount(ReviewWorkspace, { target: document.body, props: { id: 3 } });
    await settle();
  }
  const row = (index: number) => $$("review-row").find((r) => r.dataset.index === String(index))!;
  const thread = () => $("thread", $("question-team")!.parentElement!)!;

  it("shows comment counts and assignment markers on the questions, and the selected question's assignments", async () => {
    backend({
      assignments: [
        assignment({ id: 1, scope: { kind: "question", index: 1 }, assignee: "bob", due: "2020-01-10" }),
        assignment({ id: 2, scope: { kind: "section", name: "Privacy" }, assignee: "Legal", question: null }),
      ],
      comments: [comment({ id: 5, index: 1 }), comment({ id: 6, index: 1, author: "bob" }), comment({ id: 7, index: null })],
    });
    await open();
    expect(callsOf("assignments_of_review")).toEqual([{ id: 3 }]);
    expect(callsOf("comments_of_review")).toEqual([{ id: 3 }]);
    expect($("row-comments", row(1))?.textContent).toBe("2");
    expect($("row-comments", row(0))).toBeNull();
    expect($("row-assigned", row(1))).not.toBeNull();
    expect($("row-assigned", row(2))).toBeNull(); // its section is assigned, not the question itself
    // Question 1 (selected first): nothing covers it.
    expect($("question-unassigned")).not.toBeNull();
    row(1).click();
    flushSync();
    const mine = $$("review-assignment");
    expect(mine).toHaveLength(1);
    expect($("review-assignment-assignee", mine[0])?.textContent).toBe("bob");
    expect($("review-assignment-due", mine[0])?.dataset.level).toBe("overdue");
    expect($$("thread-comment", thread()).map((c) => c.dataset.id)).toEqual(["5", "6"]);
    row(2).click();
    flushSync();
    expect($$("review-assignment").map((a) => $("review-assignment-assignee", a)?.textContent)).toEqual(["Legal"]);
    expect($("review-team-toggle")?.textContent?.trim()).toBe("Team · 1 assigned · 1 comment");
  });

  it("Assign… on a question calls assignment_add and shows the assignment", async () => {
    backend();
    await open();
    $("question-assign")!.click();
    flushSync();
    $("assign-assignee")!.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    flushSync();
    expect($("assign-form")).toBeNull(); // Escape cancels
    $("question-assign")!.click();
    flushSync();
    type($("assign-assignee"), " bob ");
    type($("assign-due"), "2027-01-15");
    type($("assign-note"), "needs Legal");
    $("assign-submit")!.click();
    await settle();
    expect(callsOf("assignment_add")).toEqual([{ id: 3, scope: { kind: "question", index: 0 }, assignee: "bob", due: "2027-01-15", note: "needs Legal" }]);
    expect($("assign-form")).toBeNull();
    const a = $$("review-assignment");
    expect(a).toHaveLength(1);
    expect($("review-assignment-assignee", a[0])?.textContent).toBe("bob");
    expect($("review-assignment-due", a[0])?.textContent).toBe("Due 2027-01-15");
    expect($("row-assigned", row(0))).not.toBeNull();
  });

  it("the assignments' progress follows the answers (reloaded shortly after a change)", async () => {
    backend({ assignments: [assignment({ id: 1, scope: { kind: "question", index: 0 }, assignee: "bob" })] });
    await open();
    const progress = () => $$("review-assignment")[0].textContent;
    expect(progress()).toContain("open");
    $("detail-accept")!.click();
    await settle();
    expect(callsOf("review_update")).toEqual([{ id: 3, index: 0, change: { status: "reviewed" } }]);
    await new Promise((r) => setTimeout(r, 450));
    await settle();
    expect(callsOf("assignments_of_review")).toHaveLength(2);
    expect(progress()).toContain("answered");
  });

  it("a team sync loads the review's assignments and comments again", async () => {
    backend();
    app.teamSyncs = 1;
    await open();
    expect(callsOf("comments_of_review")).toHaveLength(1);
    app.teamSyncs += 1;
    await settle();
    expect(callsOf("assignments_of_review")).toHaveLength(2);
    expect(callsOf("comments_of_review")).toHaveLength(2);
  });

  it("a refused assignment shows the core's message in the form", async () => {
    backend();
    await open();
    const impl = invoke.getMockImplementation()!;
    invoke.mockImplementation(async (cmd: string, args?: Record<string, unknown>) => {
      if (cmd === "assignment_add") throw { code: "dates.invalid", message: '"2027-13-01" is not a date; write it as YYYY-MM-DD' };
      return impl(cmd, args);
    });
    $("question-assign")!.click();
    flushSync();
    type($("assign-assignee"), "bob");
    $("assign-submit")!.click();
    await settle();
    expect($("assign-error")?.textContent).toBe('"2027-13-01" is not a date; write it as YYYY-MM-DD');
    expect($("assign-form")).not.toBeNull();
  });

  it("assigns a section or the whole review from the Team panel (sections are the review's sheets)", async () => {
    backend();
    await open();
    $("review-team-toggle")!.click();
    flushSync();
    $("review-assign")!.click();
    flushSync();
    const select = $("assign-scope") as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(["Whole review", "Section General", "Section Privacy"]);
    select.options[2].selected = true;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    type($("assign-assignee"), "Legal");
    $("assign-submit")!.click();
    await settle();
    expect(callsOf("assignment_add")).toEqual([{ id: 3, scope: { kind: "section", name: "Privacy" }, assignee: "Legal", due: null, note: null }]);
    expect($$("review-assignment", $("review-team-panel")!).map((a) => a.textContent)).toEqual([expect.stringContaining("section Privacy")]);
  });

  it("adding a comment calls comment_add and shows it in the thread, with the count on the question", async () => {
    backend();
    await open();
    expect($("thread-empty", thread())).not.toBeNull();
    type($("thread-input", thread()), "  Who owns this one?  ");
    $("thread-add", thread())!.click();
    await settle();
    expect(callsOf("comment_add")).toEqual([{ id: 3, index: 0, body: "Who owns this one?" }]);
    const shown = $$("thread-comment", thread());
    expect(shown).toHaveLength(1);
    expect($("thread-body", shown[0])?.textContent).toBe("Who owns this one?");
    expect($("thread-author", shown[0])?.textContent).toBe("ana");
    expect(shown[0].textContent).toContain("2026-12-02 09:30");
    expect(($("thread-input", thread()) as HTMLTextAreaElement).value).toBe("");
    expect($("row-comments", row(0))?.textContent).toBe("1");
  });

  it("deleting another's comment shows the core's message; one's own goes", async () => {
    // Linked as "ana": a comment signed with the OS user "dev" looks like the person's own, but
    // the core (the person is the team login) refuses it.
    backend({ comments: [comment({ id: 5, index: 0, author: "dev", body: "old" }), comment({ id: 6, index: 0, author: "ana", body: "mine" }), comment({ id: 7, index: 0, author: "bob", body: "bob's" })] });
    await open();
    const byId = (id: number) => $$("thread-comment", thread()).find((c) => c.dataset.id === String(id));
    expect($("thread-delete", byId(7)!)).toBeNull(); // plainly someone else's: no Delete
    $("thread-delete", byId(5)!)!.click();
    await settle();
    expect(callsOf("comment_delete")).toEqual([{ comment: 5 }]);
    expect($("thread-error", thread())?.textContent).toBe("comment 5 is dev's; only its author can delete it");
    expect(byId(5)).toBeDefined();
    $("thread-delete", byId(6)!)!.click();
    await settle();
    expect(byId(6)).toBeUndefined();
    expect($("thread-error", thread())).toBeNull();
    expect($("row-comments", row(0))?.textContent).toBe("2");
  });

  it("the review's own thread takes comments with index null", async () => {
    backend({ comments: [comment({ id: 5, index: null, body: "Due to the customer on Friday" })] });
    await open();
    $("review-team-toggle")!.click();
    flushSync();
    const panel = $("review-team-panel")!;
    expect($$("thread-body", panel).map((b) => b.textContent)).toEqual(["Due to the customer on Friday"]);
    type($("thread-input", panel), "Sent the draft");
    $("thread-add", panel)!.click();
    await settle();
    expect(callsOf("comment_add")).toEqual([{ id: 3, index: null, body: "Sent the draft" }]);
    expect($$("thread-body", panel).map((b) => b.textContent)).toEqual(["Due to the customer on Friday", "Sent the draft"]);
  });

  it("opened from My assignments, starts at the question, or filters to the section", async () => {
    backend();
    await open({ index: 2 });
    expect($("review-detail")?.dataset.index).toBe("2");
    expect(app.reviewFocus).toBeNull();
    unmount(component!);
    component = null;
    document.body.innerHTML = "";
    await open({ section: "Privacy" });
    expect(($("filter-section") as HTMLSelectElement).value).toBe("Privacy");
    expect($$("review-row").map((r) => r.dataset.index)).toEqual(["2"]);
    expect($("review-detail")?.dataset.index).toBe("2");
  });
});

describe("dev mock", () => {
  it("serves My assignments, refuses to delete another's comment and keeps new comments", async () => {
    const b = createMockBackend({ locked: false });
    const mine = await b.invoke<Assignment[]>("assignments_mine", { teams: [] });
    expect(mine).toHaveLength(1);
    expect(mine[0].scope).toEqual({ kind: "question", index: 4 });
    expect((await b.invoke<Assignment[]>("assignments_mine", { teams: ["legal"] })).map((a) => a.assignee)).toEqual(["dev", "Legal"]);
    const comments = await b.invoke<ReviewComment[]>("comments_of_review", { id: 1 });
    const other = comments.find((c) => c.author !== "dev")!;
    await expect(b.invoke("comment_delete", { comment: other.id })).rejects.toMatchObject({ code: "library.assignments.not_your_comment" });
    const added = await b.invoke<ReviewComment>("comment_add", { id: 1, index: null, body: "hello" });
    expect(added.author).toBe("dev");
    const after = await b.invoke<ReviewComment[]>("comments_of_review", { id: 1 });
    expect(after[after.length - 1]).toEqual(added);
    const done = await b.invoke<Assignment>("assignment_done", { assignment: mine[0].id, done: true });
    expect(done.done).toBe(true);
    expect(await b.invoke<Assignment[]>("assignments_mine", { teams: [] })).toEqual([]);
  });
});
