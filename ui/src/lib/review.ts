// review.ts owns the pure logic of reviewing: filters, counts, j/k navigation, which change a key
// produces, bulk-accept targets, the export warning, and formatting of confidence, dates and
// statuses. No DOM, no backend calls: everything here is unit-tested (tests/review.test.ts).

import { STATUSES, type ReviewChange, type ReviewItem, type Status } from "./types";

// ---------------------------------------------------------------------------------------------
// Answers and statuses

/** True when the item has a non-blank answer (chosen or suggested). */
export function isAnswered(item: Pick<ReviewItem, "answer">): boolean {
  return item.answer !== null && item.answer.trim() !== "";
}

/** Accepted = a person has looked at it: reviewed or approved. */
export function isAccepted(item: Pick<ReviewItem, "status">): boolean {
  return item.status === "reviewed" || item.status === "approved";
}

export const DEFAULT_LOW_THRESHOLD = 0.5;
export const DEFAULT_ACCEPT_THRESHOLD = 0.8;

/** Low confidence: a suggestion whose confidence is below the threshold. No suggestion is not "low". */
export function isLowConfidence(item: Pick<ReviewItem, "confidence">, threshold = DEFAULT_LOW_THRESHOLD): boolean {
  return item.confidence !== null && item.confidence < threshold;
}

// ---------------------------------------------------------------------------------------------
// Filtering

export type FilterView = "all" | "unanswered" | "low" | "accepted" | "open";

export const FILTER_VIEWS: { value: FilterView; label: string }[] = [
  { value: "all", label: "All questions" },
  { value: "open", label: "Not accepted yet" },
  { value: "unanswered", label: "Unanswered" },
  { value: "low", label: "Low confidence" },
  { value: "accepted", label: "Accepted" },
];

export interface ReviewFilter {
  view: FilterView;
  /** "" = any status */
  status: Status | "";
  /** sheet name, "" = any */
  section: string;
  /** domain, "" = any */
  domain: string;
  /** case-insensitive text in ref, question, answer or comment; "" = any */
  text: string;
  /** below this a confidence counts as low */
  lowThreshold: number;
}

export function emptyFilter(): ReviewFilter {
  return { view: "all", status: "", section: "", domain: "", text: "", lowThreshold: DEFAULT_LOW_THRESHOLD };
}

export function matchesFilter(item: ReviewItem, f: ReviewFilter): boolean {
  switch (f.view) {
    case "unanswered":
      if (isAnswered(item)) return false;
      break;
    case "low":
      if (!isLowConfidence(item, f.lowThreshold)) return false;
      break;
    case "accepted":
      if (!isAccepted(item)) return false;
      break;
    case "open":
      if (isAccepted(item)) return false;
      break;
  }
  if (f.status !== "" && item.status !== f.status) return false;
  if (f.section !== "" && item.question.sheet !== f.section) return false;
  if (f.domain !== "" && item.question.domain !== f.domain) return false;
  const needle = f.text.trim().toLowerCase();
  if (needle !== "") {
    const hay = [item.question.ref, item.question.text, item.answer ?? "", item.comment ?? ""].join("\n").toLowerCase();
    if (!hay.includes(needle)) return false;
  }
  return true;
}

/** Positions (into `items`) of the items that pass the filter, in order. */
export function filterPositions(items: readonly ReviewItem[], f: ReviewFilter): number[] {
  const out: number[] = [];
  for (let i = 0; i < items.length; i++) if (matchesFilter(items[i], f)) out.push(i);
  return out;
}

/** True when the filter hides nothing by itself (the default view). */
export function isFilterEmpty(f: ReviewFilter): boolean {
  return f.view === "all" && f.status === "" && f.section === "" && f.domain === "" && f.text.trim() === "";
}

/** Distinct non-empty values, in first-seen order (sheets, domains). */
export function distinct(values: Iterable<string>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    if (v !== "" && !seen.has(v)) {
      seen.add(v);
      out.push(v);
    }
  }
  return out;
}

export const sectionsOf = (items: readonly ReviewItem[]) => distinct(items.map((i) => i.question.sheet));
export const domainsOf = (items: readonly ReviewItem[]) => distinct(items.map((i) => i.question.domain));

// ---------------------------------------------------------------------------------------------
// Counting

export function zeroCounts(): Record<Status, number> {
  return { blank: 0, suggested: 0, draft: 0, reviewed: 0, approved: 0 };
}

export function countByStatus(items: readonly Pick<ReviewItem, "status">[]): Record<Status, number> {
  const c = zeroCounts();
  for (const i of items) c[i.status] += 1;
  return c;
}

export interface ReviewCounts {
  total: number;
  byStatus: Record<Status, number>;
  unanswered: number;
  low: number;
  accepted: number;
  /** answered but not approved: what the export warns about */
  unapproved: number;
}

export function countItems(items: readonly ReviewItem[], lowThreshold = DEFAULT_LOW_THRESHOLD): ReviewCounts {
  const byStatus = countByStatus(items);
  let unanswered = 0;
  let low = 0;
  let unapproved = 0;
  for (const i of items) {
    if (!isAnswered(i)) unanswered += 1;
    else if (i.status !== "approved") unapproved += 1;
    if (isLowConfidence(i, lowThreshold)) low += 1;
  }
  return { total: items.length, byStatus, unanswered, low, accepted: byStatus.reviewed + byStatus.approved, unapproved };
}

/** From a summary's counts: answers that exist but are not approved (suggested, draft, reviewed). */
export function unapprovedFromCounts(counts: Partial<Record<Status, number>>): number {
  return (counts.suggested ?? 0) + (counts.draft ?? 0) + (counts.reviewed ?? 0);
}

/** Share of questions accepted (reviewed or approved), 0..1. */
export function progressShare(counts: Partial<Record<Status, number>>, total: number): number {
  if (total <= 0) return 0;
  return Math.min(1, ((counts.reviewed ?? 0) + (counts.approved ?? 0)) / total);
}

// ---------------------------------------------------------------------------------------------
// Navigation (j / k over the filtered list)

/**
 * The item position to select after moving by `delta` (+1 = j, -1 = k) over the filtered
 * `positions`. Stops at the ends (no wrap). When the current item is hidden by the filter, j goes
 * to the first visible item after it and k to the last before it. Returns null when nothing is
 * visible.
 */
export function moveSelection(positions: readonly number[], current: number | null, delta: number): number | null {
  if (positions.length === 0) return null;
  if (current === null) return delta >= 0 ? positions[0] : positions[positions.length - 1];
  const at = indexOfSorted(positions, current);
  if (at >= 0) {
    const next = Math.max(0, Math.min(positions.length - 1, at + delta));
    return positions[next];
  }
  // Hidden: find neighbours.
  if (delta >= 0) {
    const after = positions.find((p) => p > current);
    return after ?? positions[positions.length - 1];
  }
  for (let i = positions.length - 1; i >= 0; i--) if (positions[i] < current) return positions[i];
  return positions[0];
}

/** Binary search in an ascending list; -1 when absent. */
export function indexOfSorted(list: readonly number[], value: number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] === value) return mid;
    if (list[mid] < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Key actions → the change sent to review_update

export type ReviewAction =
  | { kind: "accept" } // Enter
  | { kind: "approve" } // a
  | { kind: "edit"; answer: string } // e, then save
  | { kind: "pick"; n: number } // 1..3 → n = 0..2
  | { kind: "comment"; comment: string };

/** The status an action leads to, or null when the action does nothing for this item. */
export function statusAfter(item: ReviewItem, action: ReviewAction): Status | null {
  switch (action.kind) {
    case "accept":
      if ((item.status === "suggested" || item.status === "draft") && isAnswered(item)) return "reviewed";
      return null;
    case "approve":
      if (item.status === "approved" || !isAnswered(item)) return null;
      return "approved";
    case "edit":
      return "draft";
    case "pick":
      return action.n >= 0 && action.n < item.alternatives.length ? "reviewed" : null;
    case "comment":
      return item.status;
  }
}

/** The ReviewChange for an action, or null when there is nothing to send. */
export function changeFor(item: ReviewItem, action: ReviewAction): ReviewChange | null {
  const status = statusAfter(item, action);
  if (status === null) return null;
  switch (action.kind) {
    case "accept":
    case "approve":
      return { status };
    case "edit":
      if (action.answer === (item.answer ?? "") && item.status === "draft") return null;
      return { answer: action.answer, status: "draft" };
    case "pick":
      return { pick: action.n };
    case "comment":
      if (action.comment === (item.comment ?? "")) return null;
      return { comment: action.comment };
  }
}

/** Applies a change locally (used only to predict; the backend's returned item is the truth). */
export function applyChangeLocally(item: ReviewItem, change: ReviewChange): ReviewItem {
  const next: ReviewItem = { ...item };
  if (change.pick !== undefined) {
    const alt = item.alternatives[change.pick];
    if (alt) {
      next.answer = alt.answer;
      next.comment = alt.comment;
      next.confidence = alt.confidence;
      next.source = alt.source;
      next.evidence = alt.evidence;
      next.status = "reviewed";
    }
  }
  if (change.answer !== undefined) next.answer = change.answer;
  if (change.comment !== undefined) next.comment = change.comment;
  if (change.status !== undefined) next.status = change.status;
  return next;
}

// ---------------------------------------------------------------------------------------------
// Bulk accept

/** Items that "accept everything at or above `min`" would change: suggested, with an answer, confidence ≥ min. */
export function bulkAcceptTargets(items: readonly ReviewItem[], min: number): ReviewItem[] {
  return items.filter((i) => i.status === "suggested" && i.confidence !== null && i.confidence >= min && isAnswered(i));
}

/** Parses a threshold typed as 0.8, 80 or 80%; null when it is not a number in range. */
export function parseThreshold(text: string): number | null {
  const t = text.trim().replace(/%$/, "").trim();
  if (t === "" || !/^\d+(\.\d+)?$|^\.\d+$/.test(t)) return null;
  let v = Number(t);
  if (!Number.isFinite(v)) return null;
  if (v > 1) v = v / 100;
  if (v < 0 || v > 1) return null;
  return Math.round(v * 1000) / 1000;
}

// ---------------------------------------------------------------------------------------------
// Export warning

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "12 answered questions are not approved yet", or null when there are none. */
export function exportWarning(unapproved: number): string | null {
  if (unapproved <= 0) return null;
  return unapproved === 1
    ? "1 answered question is not approved yet"
    : `${unapproved} answered questions are not approved yet`;
}

// ---------------------------------------------------------------------------------------------
// Formatting

export type ConfidenceLevel = "high" | "medium" | "low" | "none";

export function confidenceLevel(c: number | null | undefined): ConfidenceLevel {
  if (c === null || c === undefined || !Number.isFinite(c)) return "none";
  if (c >= 0.8) return "high";
  if (c >= 0.5) return "medium";
  return "low";
}

/** 0.934 → "93%"; null → "–". Never shows more than 100% or less than 0%. */
export function formatPercent(c: number | null | undefined): string {
  if (c === null || c === undefined || !Number.isFinite(c)) return "–";
  const v = Math.max(0, Math.min(1, c));
  return `${Math.floor(v * 100 + 1e-9)}%`;
}

export function confidenceBadge(c: number | null | undefined): { text: string; level: ConfidenceLevel; title: string } {
  const level = confidenceLevel(c);
  const text = formatPercent(c);
  const title =
    level === "none" ? "No suggestion" : `${text} confidence (${level === "high" ? "high" : level === "medium" ? "medium" : "low"})`;
  return { text, level, title };
}

const STATUS_LABELS: Record<Status, string> = {
  blank: "Blank",
  suggested: "Suggested",
  draft: "Draft",
  reviewed: "Reviewed",
  approved: "Approved",
};

export function statusLabel(s: Status | string): string {
  return (STATUS_LABELS as Record<string, string>)[s] ?? s;
}

export const STATUS_OPTIONS = STATUSES.map((s) => ({ value: s, label: statusLabel(s) }));

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * Formats a date or timestamp from the backend for display: "2025-03-04" stays as it is;
 * timestamps become local "2025-03-04 14:05". Unparseable text is returned unchanged; null → "".
 */
export function formatDate(value: string | null | undefined): string {
  if (value === null || value === undefined) return "";
  const v = value.trim();
  if (v === "") return "";
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  // Accept "YYYY-MM-DD HH:MM:SS" as UTC-less local time by turning the space into a T.
  const d = new Date(/^\d{4}-\d{2}-\d{2} \d/.test(v) ? v.replace(" ", "T") : v);
  if (Number.isNaN(d.getTime())) return v;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "alice, 2025-03-04 14:05" for who/when; "" when neither is known. */
export function formatChanged(by: string | null, at: string | null): string {
  const when = formatDate(at);
  if (by && when) return `${by}, ${when}`;
  return by ?? when;
}

export type ExpiryLevel = "none" | "ok" | "soon" | "expired";

/** Evidence expiry badge relative to `today` (YYYY-MM-DD). "Soon" = within 30 days. */
export function expiryBadge(
  expires: string | null,
  expired: boolean,
  today: string = todayIso(),
): { text: string; level: ExpiryLevel } {
  if (!expires) return { text: "No expiry", level: expired ? "expired" : "none" };
  const days = daysBetween(today, expires);
  if (expired || (days !== null && days < 0)) return { text: `Expired ${expires}`, level: "expired" };
  if (days === null) return { text: `Expires ${expires}`, level: "ok" };
  if (days === 0) return { text: "Expires today", level: "soon" };
  if (days <= 30) return { text: `Expires in ${plural(days, "day")}`, level: "soon" };
  return { text: `Expires ${expires}`, level: "ok" };
}

export function todayIso(now: Date = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Whole days from `a` to `b` (both YYYY-MM-DD); null when either is not a date. */
export function daysBetween(a: string, b: string): number | null {
  const re = /^(\d{4})-(\d{2})-(\d{2})/;
  const ma = re.exec(a);
  const mb = re.exec(b);
  if (!ma || !mb) return null;
  const ta = Date.UTC(+ma[1], +ma[2] - 1, +ma[3]);
  const tb = Date.UTC(+mb[1], +mb[2] - 1, +mb[3]);
  return Math.round((tb - ta) / 86_400_000);
}

/** The file name at the end of a path (either separator). */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}
