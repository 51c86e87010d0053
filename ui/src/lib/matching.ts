// matching.ts owns pure helpers of "matching by meaning" (the sentence-embedding model behind
// answer suggestions): the words of the embed progress and outcome, and the split of an
// alternative's `why` into its plain part and its warning. Unit-tested (tests/matching.test.ts).

import { plural } from "./review";
import type { EmbedOutcome, Progress } from "./types";

/** The `task` of the progress events of embedding (library_embed, and the end of library_import). */
export const EMBED_TASK = "embed";

/** The part of a `why` that says the library's question is about something else. */
const WARNING_MARK = "but asks about another";

/** True for a progress event of embedding. */
export function isEmbedProgress(p: Progress | null | undefined): boolean {
  return !!p && p.task === EMBED_TASK;
}

/** "Embed 1 entry" / "Embed 240 entries". */
export function embedLabel(n: number): string {
  return `Embed ${plural(n, "entry", "entries")}`;
}

/**
 * The line shown for an embed progress event: "Matching by meaning: 120 of 400 questions"; an event
 * without counts (total 0, e.g. the backend saying the new entries will match by shared words only)
 * shows its own message, first letter capitalised.
 */
export function embedProgressText(p: Progress): string {
  if (p.total > 0) return `Matching by meaning: ${p.done} of ${p.total} questions`;
  return capitalise(p.message.trim()) || "Matching by meaning…";
}

/** What a finished library_embed did, in one sentence. */
export function embedOutcomeText(o: EmbedOutcome | null): string {
  if (o === null) return "No sentence-embedding model is installed: suggestions match by shared words only.";
  if (o.cancelled) {
    const left = Math.max(0, o.missing - o.embedded);
    return `Stopped after ${plural(o.embedded, "entry", "entries")}; ${plural(left, "entry", "entries")} still match by shared words only (you can embed them later).`;
  }
  if (o.missing === 0) return "Every library entry already matches by meaning.";
  return `Embedded ${plural(o.embedded, "entry", "entries")} in ${formatSecs(o.secs)}: suggestions now match them by meaning.`;
}

/** "0.4 s", "12 s", "2 min 5 s". */
export function formatSecs(secs: number): string {
  if (!Number.isFinite(secs) || secs < 0) return "0 s";
  if (secs < 10) return `${Math.round(secs * 10) / 10} s`;
  if (secs < 60) return `${Math.round(secs)} s`;
  const m = Math.floor(secs / 60);
  const s = Math.round(secs - m * 60);
  return s === 0 ? `${m} min` : `${m} min ${s} s`;
}

export interface WhyParts {
  /** the reasons it was offered ("similar meaning: 0.81; shared words: backup"), "" when none */
  plain: string;
  /** "but asks about another data state: at rest vs in transit", or null */
  warning: string | null;
}

/** Splits an alternative's `why` at "but asks about another…" (case-insensitive), which is shown as a warning. */
export function splitWhy(why: string | null | undefined): WhyParts {
  const text = (why ?? "").trim();
  const at = text.toLowerCase().indexOf(WARNING_MARK);
  if (at < 0) return { plain: text, warning: null };
  const plain = text.slice(0, at).replace(/[\s;,]+$/, "");
  return { plain, warning: text.slice(at).trim() };
}

function capitalise(s: string): string {
  return s === "" ? s : s[0].toUpperCase() + s.slice(1);
}
