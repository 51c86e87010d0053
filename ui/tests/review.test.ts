import { describe, expect, it } from "vitest";
import {
  applyChangeLocally,
  bulkAcceptTargets,
  changeFor,
  confidenceBadge,
  confidenceLevel,
  countByStatus,
  countItems,
  daysBetween,
  distinct,
  emptyFilter,
  expiryBadge,
  exportWarning,
  filterPositions,
  formatChanged,
  formatDate,
  formatPercent,
  indexOfSorted,
  isAccepted,
  isFilterEmpty,
  matchesFilter,
  moveSelection,
  parseThreshold,
  plural,
  progressShare,
  statusAfter,
  statusLabel,
  unapprovedFromCounts,
  baseName,
  todayIso,
} from "../src/lib/review";
import { item } from "./fixtures";

describe("filtering", () => {
  const items = [
    item({ index: 0, status: "suggested", confidence: 0.95 }, { sheet: "General", domain: "Access" }),
    item({ index: 1, status: "blank", answer: null, confidence: null, alternatives: [] }, { sheet: "General", domain: "Crypto" }),
    item({ index: 2, status: "suggested", confidence: 0.3 }, { sheet: "Privacy", domain: "Access", text: "Do you encrypt BACKUPS?" }),
    item({ index: 3, status: "reviewed", confidence: 0.7 }, { sheet: "Privacy", domain: "Crypto" }),
    item({ index: 4, status: "approved", confidence: 0.49 }, { sheet: "General", domain: "Access" }),
    item({ index: 5, status: "draft", answer: "   ", confidence: 0.6 }, { sheet: "Privacy", domain: "HR" }),
  ];
  const f = (over: Partial<ReturnType<typeof emptyFilter>>) => filterPositions(items, { ...emptyFilter(), ...over });

  it("shows everything with the empty filter", () => {
    expect(f({})).toEqual([0, 1, 2, 3, 4, 5]);
    expect(isFilterEmpty(emptyFilter())).toBe(true);
    expect(isFilterEmpty({ ...emptyFilter(), text: "  " })).toBe(true);
    expect(isFilterEmpty({ ...emptyFilter(), status: "draft" })).toBe(false);
  });
  it("unanswered = no answer or only blanks", () => {
    expect(f({ view: "unanswered" })).toEqual([1, 5]);
  });
  it("low confidence is strictly below the threshold and ignores missing confidence", () => {
    expect(f({ view: "low" })).toEqual([2, 4]);
    expect(f({ view: "low", lowThreshold: 0.7 })).toEqual([2, 4, 5]);
    expect(f({ view: "low", lowThreshold: 0.3 })).toEqual([]);
  });
  it("accepted = reviewed or approved; open = the rest", () => {
    expect(f({ view: "accepted" })).toEqual([3, 4]);
    expect(f({ view: "open" })).toEqual([0, 1, 2, 5]);
    expect(isAccepted({ status: "draft" })).toBe(false);
  });
  it("filters by status, sheet and domain, combined", () => {
    expect(f({ status: "suggested" })).toEqual([0, 2]);
    expect(f({ section: "Privacy" })).toEqual([2, 3, 5]);
    expect(f({ domain: "Crypto" })).toEqual([1, 3]);
    expect(f({ section: "Privacy", domain: "Access", status: "suggested" })).toEqual([2]);
    expect(f({ view: "accepted", section: "General" })).toEqual([4]);
  });
  it("text matches ref, question, answer and comment case-insensitively", () => {
    expect(f({ text: "backups" })).toEqual([2]);
    expect(f({ text: "r-3" })).toEqual([3]);
    expect(matchesFilter(item({ comment: "See SOC 2" }), { ...emptyFilter(), text: "soc 2" })).toBe(true);
    expect(f({ text: "nothing like this" })).toEqual([]);
  });
  it("distinct keeps first-seen order and drops empty values", () => {
    expect(distinct(["b", "", "a", "b", "c", "a"])).toEqual(["b", "a", "c"]);
  });
});

describe("counting", () => {
  const items = [
    item({ status: "suggested", confidence: 0.9 }),
    item({ status: "suggested", confidence: 0.2 }),
    item({ status: "blank", answer: null, confidence: null }),
    item({ status: "draft", confidence: null }),
    item({ status: "reviewed" }),
    item({ status: "approved" }),
    item({ status: "approved" }),
  ];
  it("counts by status", () => {
    expect(countByStatus(items)).toEqual({ blank: 1, suggested: 2, draft: 1, reviewed: 1, approved: 2 });
  });
  it("counts unanswered, low, accepted and unapproved answers", () => {
    const c = countItems(items);
    expect(c.total).toBe(7);
    expect(c.unanswered).toBe(1);
    expect(c.low).toBe(1);
    expect(c.accepted).toBe(3);
    expect(c.unapproved).toBe(4); // 2 suggested + draft + reviewed
  });
  it("counts unapproved answers from a summary", () => {
    expect(unapprovedFromCounts({ blank: 5, suggested: 7, draft: 2, reviewed: 3, approved: 9 })).toBe(12);
    expect(unapprovedFromCounts({})).toBe(0);
  });
  it("progress share is accepted over total, and 0 for an empty review", () => {
    expect(progressShare({ reviewed: 1, approved: 1 }, 4)).toBe(0.5);
    expect(progressShare({ reviewed: 1 }, 0)).toBe(0);
  });
});

describe("navigation (j/k)", () => {
  const visible = [2, 5, 9, 14];
  it("moves down and up through the filtered list, stopping at the ends", () => {
    expect(moveSelection(visible, 5, 1)).toBe(9);
    expect(moveSelection(visible, 5, -1)).toBe(2);
    expect(moveSelection(visible, 14, 1)).toBe(14);
    expect(moveSelection(visible, 2, -1)).toBe(2);
  });
  it("pages by several rows, clamped", () => {
    expect(moveSelection(visible, 2, 10)).toBe(14);
    expect(moveSelection(visible, 14, -2)).toBe(5);
  });
  it("starts at the first (j) or last (k) row when nothing is selected", () => {
    expect(moveSelection(visible, null, 1)).toBe(2);
    expect(moveSelection(visible, null, -1)).toBe(14);
  });
  it("from a row hidden by the filter, goes to the neighbour in that direction", () => {
    expect(moveSelection(visible, 6, 1)).toBe(9);
    expect(moveSelection(visible, 6, -1)).toBe(5);
    expect(moveSelection(visible, 20, 1)).toBe(14);
    expect(moveSelection(visible, 0, -1)).toBe(2);
  });
  it("returns null when nothing is visible", () => {
    expect(moveSelection([], 3, 1)).toBeNull();
  });
  it("binary search finds positions", () => {
    expect(indexOfSorted(visible, 9)).toBe(2);
    expect(indexOfSorted(visible, 10)).toBe(-1);
    expect(indexOfSorted([], 1)).toBe(-1);
  });
});

describe("key actions and statuses", () => {
  it("Enter on a suggestion or a draft makes it reviewed", () => {
    expect(statusAfter(item({ status: "suggested" }), { kind: "accept" })).toBe("reviewed");
    expect(statusAfter(item({ status: "draft" }), { kind: "accept" })).toBe("reviewed");
    expect(changeFor(item({ status: "suggested" }), { kind: "accept" })).toEqual({ status: "reviewed" });
  });
  it("Enter does nothing on blank, reviewed or approved questions", () => {
    expect(changeFor(item({ status: "blank", answer: null }), { kind: "accept" })).toBeNull();
    expect(changeFor(item({ status: "reviewed" }), { kind: "accept" })).toBeNull();
    expect(changeFor(item({ status: "approved" }), { kind: "accept" })).toBeNull();
    expect(changeFor(item({ status: "draft", answer: "" }), { kind: "accept" })).toBeNull();
  });
  it("typing an answer makes it a draft", () => {
    expect(statusAfter(item({ status: "approved" }), { kind: "edit", answer: "No" })).toBe("draft");
    expect(changeFor(item({ status: "suggested", answer: "Yes" }), { kind: "edit", answer: "No" })).toEqual({ answer: "No", status: "draft" });
    // Saving the same text of a suggestion still turns it into the person's draft…
    expect(changeFor(item({ status: "suggested", answer: "Yes" }), { kind: "edit", answer: "Yes" })).toEqual({ answer: "Yes", status: "draft" });
    // …but an unchanged draft sends nothing.
    expect(changeFor(item({ status: "draft", answer: "Yes" }), { kind: "edit", answer: "Yes" })).toBeNull();
  });
  it("approve makes any answered question approved", () => {
    expect(changeFor(item({ status: "suggested" }), { kind: "approve" })).toEqual({ status: "approved" });
    expect(changeFor(item({ status: "reviewed" }), { kind: "approve" })).toEqual({ status: "approved" });
    expect(changeFor(item({ status: "approved" }), { kind: "approve" })).toBeNull();
    expect(changeFor(item({ status: "blank", answer: null }), { kind: "approve" })).toBeNull();
  });
  it("picking alternative n sends pick n and leads to reviewed", () => {
    const it2 = item({ status: "suggested" });
    expect(statusAfter(it2, { kind: "pick", n: 1 })).toBe("reviewed");
    expect(changeFor(it2, { kind: "pick", n: 1 })).toEqual({ pick: 1 });
    expect(changeFor(it2, { kind: "pick", n: 2 })).toBeNull(); // only two alternatives
    expect(changeFor(item({ alternatives: [] }), { kind: "pick", n: 0 })).toBeNull();
  });
  it("a comment change keeps the status and sends only when changed", () => {
    expect(changeFor(item({ status: "reviewed", comment: "a" }), { kind: "comment", comment: "b" })).toEqual({ comment: "b" });
    expect(changeFor(item({ comment: null }), { kind: "comment", comment: "" })).toBeNull();
  });
  it("applies a pick locally like the backend", () => {
    const it3 = applyChangeLocally(item({ status: "suggested", answer: "Yes" }), { pick: 1 });
    expect(it3.answer).toBe("No");
    expect(it3.status).toBe("reviewed");
    expect(it3.confidence).toBe(0.6);
  });
});

describe("bulk accept", () => {
  const items = [
    item({ index: 0, status: "suggested", confidence: 0.8 }),
    item({ index: 1, status: "suggested", confidence: 0.79 }),
    item({ index: 2, status: "draft", confidence: 0.95 }),
    item({ index: 3, status: "suggested", confidence: 0.99 }),
    item({ index: 4, status: "reviewed", confidence: 0.99 }),
    item({ index: 5, status: "suggested", confidence: null }),
  ];
  it("changes only suggestions at or above the threshold", () => {
    expect(bulkAcceptTargets(items, 0.8).map((i) => i.index)).toEqual([0, 3]);
    expect(bulkAcceptTargets(items, 0.5).map((i) => i.index)).toEqual([0, 1, 3]);
    expect(bulkAcceptTargets(items, 1)).toEqual([]);
  });
  it("parses thresholds typed as fraction or percent", () => {
    expect(parseThreshold("0.8")).toBe(0.8);
    expect(parseThreshold("80")).toBe(0.8);
    expect(parseThreshold("85%")).toBe(0.85);
    expect(parseThreshold(" 90 % ")).toBe(0.9);
    expect(parseThreshold(".5")).toBe(0.5);
    expect(parseThreshold("1")).toBe(1);
    expect(parseThreshold("150")).toBeNull();
    expect(parseThreshold("-1")).toBeNull();
    expect(parseThreshold("abc")).toBeNull();
    expect(parseThreshold("")).toBeNull();
  });
});

describe("export warning", () => {
  it("says how many answered questions are not approved", () => {
    expect(exportWarning(12)).toBe("12 answered questions are not approved yet");
    expect(exportWarning(1)).toBe("1 answered question is not approved yet");
    expect(exportWarning(0)).toBeNull();
  });
  it("pluralises", () => {
    expect(plural(1, "entry", "entries")).toBe("1 entry");
    expect(plural(3, "entry", "entries")).toBe("3 entries");
    expect(plural(0, "answer")).toBe("0 answers");
  });
});

describe("formatting", () => {
  it("confidence levels: high ≥ 0.8, medium ≥ 0.5, low below", () => {
    expect(confidenceLevel(0.8)).toBe("high");
    expect(confidenceLevel(0.7999)).toBe("medium");
    expect(confidenceLevel(0.5)).toBe("medium");
    expect(confidenceLevel(0.49)).toBe("low");
    expect(confidenceLevel(null)).toBe("none");
    expect(confidenceLevel(Number.NaN)).toBe("none");
  });
  it("percentages never round a medium score up to a high-looking one", () => {
    expect(formatPercent(0.934)).toBe("93%");
    expect(formatPercent(0.799)).toBe("79%");
    expect(formatPercent(0.8)).toBe("80%");
    expect(formatPercent(0.29)).toBe("29%");
    expect(formatPercent(1.2)).toBe("100%");
    expect(formatPercent(null)).toBe("–");
    expect(confidenceBadge(0.93)).toEqual({ text: "93%", level: "high", title: "93% confidence (high)" });
    expect(confidenceBadge(undefined).level).toBe("none");
  });
  it("status labels", () => {
    expect(statusLabel("reviewed")).toBe("Reviewed");
    expect(statusLabel("blank")).toBe("Blank");
    expect(statusLabel("weird")).toBe("weird");
  });
  it("dates: plain dates stay, timestamps become local minutes, junk passes through", () => {
    expect(formatDate("2025-03-04")).toBe("2025-03-04");
    expect(formatDate("2025-03-04T14:05:59Z")).toBe("2025-03-04 14:05"); // TZ=UTC in vite.config.ts
    expect(formatDate("2025-03-04 09:07:00")).toBe("2025-03-04 09:07");
    expect(formatDate("yesterday")).toBe("yesterday");
    expect(formatDate(null)).toBe("");
    expect(formatChanged("alice", "2025-03-04")).toBe("alice, 2025-03-04");
    expect(formatChanged(null, null)).toBe("");
    expect(formatChanged("bob", null)).toBe("bob");
  });
  it("evidence expiry badges", () => {
    const today = "2025-06-01";
    expect(expiryBadge(null, false, today)).toEqual({ text: "No expiry", level: "none" });
    expect(expiryBadge("2025-05-31", false, today)).toEqual({ text: "Expired 2025-05-31", level: "expired" });
    expect(expiryBadge("2026-01-01", true, today).level).toBe("expired");
    expect(expiryBadge("2025-06-01", false, today)).toEqual({ text: "Expires today", level: "soon" });
    expect(expiryBadge("2025-06-02", false, today)).toEqual({ text: "Expires in 1 day", level: "soon" });
    expect(expiryBadge("2025-07-01", false, today)).toEqual({ text: "Expires in 30 days", level: "soon" });
    expect(expiryBadge("2025-07-02", false, today)).toEqual({ text: "Expires 2025-07-02", level: "ok" });
    expect(daysBetween("2024-02-28", "2024-03-01")).toBe(2);
    expect(daysBetween("x", "2024-03-01")).toBeNull();
    expect(todayIso(new Date(2025, 0, 9))).toBe("2025-01-09");
  });
  it("base names of both kinds of path", () => {
    expect(baseName("/home/a/q.xlsx")).toBe("q.xlsx");
    expect(baseName("C:\\Users\\a\\q.xlsx")).toBe("q.xlsx");
    expect(baseName("q.xlsx")).toBe("q.xlsx");
  });
});
