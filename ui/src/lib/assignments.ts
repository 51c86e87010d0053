// assignments.ts owns the pure rules of shared reviews in the UI (docs/team.md, "Reviews"): what
// an assignment covers in words, when it is due, its progress, which assignments and comments
// belong to a question, whose comments the person may delete, and the teams the person answers
// for (remembered in localStorage). No Svelte, no backend calls.

import { daysBetween, plural, todayIso } from "./review";
import type { Assignment, AssignmentScope, ReviewComment } from "./types";

/** What an assignment covers, in words: "Question 12: R-12 Do you…", "Sheet General", "Whole review". */
export function scopeLabel(a: Pick<Assignment, "scope" | "question">): string {
  const s = a.scope;
  if (s.kind === "question") return a.question ? `Question ${s.index + 1}: ${a.question}` : `Question ${s.index + 1}`;
  if (s.kind === "section") return `Section ${s.name}`;
  return "Whole review";
}

/** Short form of a scope (for a review's own list): "question 12", "section General", "whole review". */
export function scopeShort(s: AssignmentScope): string {
  if (s.kind === "question") return `question ${s.index + 1}`;
  if (s.kind === "section") return `section ${s.name}`;
  return "whole review";
}

export type DueLevel = "none" | "overdue" | "today" | "soon" | "later" | "done";

export interface DueState {
  level: DueLevel;
  text: string;
}

/** How an assignment's due date stands on `today` (YYYY-MM-DD): overdue, due today, within a week, later. */
export function dueState(due: string | null, done: boolean, today = todayIso()): DueState {
  if (!due) return { level: done ? "done" : "none", text: "No due date" };
  if (done) return { level: "done", text: `Due ${due}` };
  const days = daysBetween(today, due);
  if (days === null) return { level: "none", text: `Due ${due}` };
  if (days < 0) return { level: "overdue", text: `Overdue since ${due} (${plural(-days, "day")})` };
  if (days === 0) return { level: "today", text: "Due today" };
  if (days <= 7) return { level: "soon", text: `Due ${due} (in ${plural(days, "day")})` };
  return { level: "later", text: `Due ${due}` };
}

/** "2 of 5 open", "answered" / "open" for one question, "done" once marked so. */
export function progressText(a: Pick<Assignment, "open_questions" | "questions" | "done" | "scope">): string {
  if (a.done) return "done";
  if (a.scope.kind === "question" && a.questions <= 1) return a.open_questions > 0 ? "open" : "answered";
  return `${a.open_questions} of ${a.questions} open`;
}

/** The assignments that cover the question at `index` on sheet `sheet`: its own, its section's, the whole review's. */
export function assignmentsCovering(list: readonly Assignment[], index: number, sheet: string): Assignment[] {
  return list.filter((a) => {
    const s = a.scope;
    return (s.kind === "question" && s.index === index) || (s.kind === "section" && s.name === sheet) || s.kind === "review";
  });
}

/** The comments of one thread (a question's, or the review's own with null), oldest first. */
export function threadOf(list: readonly ReviewComment[], index: number | null): ReviewComment[] {
  return list.filter((c) => c.index === index);
}

/** How many comments each question has (questions without comments are absent). */
export function commentCounts(list: readonly ReviewComment[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const c of list) if (c.index !== null) m.set(c.index, (m.get(c.index) ?? 0) + 1);
  return m;
}

/**
 * True when the comment looks like the person's own: its author is the OS user or the team
 * login. Only a hint for showing "Delete": the core decides (the person is the team login when
 * the library is linked) and refuses another's comment with a message.
 */
export function isOwnComment(c: Pick<ReviewComment, "author">, me: readonly (string | null | undefined)[]): boolean {
  return me.some((m) => !!m && m === c.author);
}

/** "Legal, Security ,legal" → ["Legal", "Security"] (trimmed, without empties and case-insensitive repeats). */
export function parseTeams(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/[,;\n]/)) {
    const t = raw.trim();
    if (t === "" || seen.has(t.toLowerCase())) continue;
    seen.add(t.toLowerCase());
    out.push(t);
  }
  return out;
}

/** localStorage key of the teams the person answers for. */
export const TEAMS_KEY = "quire.assignments.teams";

/** The teams text as last saved ("" when none or when storage is unavailable). */
export function loadTeamsText(): string {
  try {
    return globalThis.localStorage?.getItem(TEAMS_KEY) ?? "";
  } catch {
    return "";
  }
}

/** Remembers the teams text (storage failures are ignored: it is a convenience). */
export function saveTeamsText(text: string): void {
  try {
    globalThis.localStorage?.setItem(TEAMS_KEY, text.trim());
  } catch {
    // private mode, quota: the field just starts empty next time
  }
}
