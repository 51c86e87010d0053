// library.ts owns pure helpers of the Library screen: grouping conflicting entries by question,
// parsing tags, the one-line summary of an import result, and the words for what a team sync kept
// aside. Unit-tested (tests/library.test.ts, tests/kept-aside.test.ts).

import { formatDate } from "./review";
import type { Entry, ImportResult, KeptAside } from "./types";

export interface ConflictGroup {
  question: string;
  entries: Entry[];
}

/** Lower-cased, whitespace-collapsed question text: the key conflicting answers share. */
export function questionKey(q: string): string {
  return q.trim().replace(/\s+/g, " ").toLowerCase();
}

/** Groups conflicting entries by question, keeping the order in which questions first appear. */
export function groupConflicts(entries: readonly Entry[]): ConflictGroup[] {
  const groups = new Map<string, ConflictGroup>();
  for (const e of entries) {
    const key = questionKey(e.question);
    let g = groups.get(key);
    if (!g) {
      g = { question: e.question, entries: [] };
      groups.set(key, g);
    }
    g.entries.push(e);
  }
  return [...groups.values()];
}

/** "soc2, iso 27001 ,, encryption" → ["soc2", "iso 27001", "encryption"] (no duplicates). */
export function parseTags(text: string): string[] {
  const out: string[] = [];
  for (const t of text.split(",")) {
    const v = t.trim();
    if (v !== "" && !out.includes(v)) out.push(v);
  }
  return out;
}

/** One line describing what importing one file did. */
export function importSummary(r: ImportResult): string {
  if (r.error) return r.error;
  const rep = r.report;
  if (!rep) return "Nothing was imported.";
  if (rep.already_imported) return `Already imported on ${rep.already_imported}; nothing changed.`;
  const parts = [`${rep.added} added`, `${rep.merged} merged`, `${rep.unchanged} unchanged`];
  if (rep.conflicting > 0) parts.push(`${rep.conflicting} conflicting`);
  if (rep.unanswered > 0) parts.push(`${rep.unanswered} unanswered skipped`);
  return `${rep.questions} questions: ${parts.join(", ")}.`;
}

/** Splits text typed into a path box: one path per line; surrounding quotes (as pasted from a file manager) removed. */
export function parsePaths(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim().replace(/^"(.*)"$/, "$1").replace(/^'(.*)'$/, "$1").trim())
    .filter((l) => l !== "");
}

/** The kind of row a kept-aside value belongs to, for people ("Vendor", "Review answer", …). */
export function keptAsideKind(table: string): string {
  switch (table) {
    case "entries":
      return "Library entry";
    case "vendors":
      return "Vendor";
    case "finding_status":
      return "Finding";
    case "review_items":
      return "Review answer";
    case "assignments":
      return "Assignment";
    case "comments":
      return "Comment";
    default:
      return table.replace(/_/g, " ");
  }
}

/**
 * The kind label to show before `what`, or null when `what` already says it ("vendor Acme
 * Health", "a comment that is no longer here"); a library entry's question or "question 3 of
 * customer.xlsx" get theirs.
 */
export function keptAsideLabel(k: Pick<KeptAside, "table" | "what">): string | null {
  const kind = keptAsideKind(k.table);
  const noun = kind.toLowerCase();
  const what = k.what.trim().toLowerCase();
  return what.startsWith(noun) || what.startsWith(`a ${noun}`) ? null : kind;
}

/** A field's name for people: "baa_status" → "baa status". */
export function keptAsideField(field: string): string {
  return field.replace(/_/g, " ").trim();
}

/** Who changed the field in the team library and when the sync kept this desktop's value aside. */
export function keptAsideWho(k: Pick<KeptAside, "by" | "at">): string {
  const by = k.by.trim() === "" ? "Someone" : k.by.trim();
  const when = formatDate(k.at);
  return when ? `${by} changed it in the team library; yours was kept aside ${when}` : `${by} changed it in the team library`;
}
