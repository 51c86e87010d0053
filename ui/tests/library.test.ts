import { describe, expect, it } from "vitest";
import { groupConflicts, importSummary, parsePaths, parseTags, questionKey } from "../src/lib/library";
import type { Entry, ImportReport } from "../src/lib/types";

const entry = (id: number, question: string, answer: string): Entry => ({
  id, question, answer, answer_raw: answer, comment: "", domain: "", tags: [], owner: "", last_reviewed: null, review_by: "", status: "draft",
  created_at: "", updated_at: "", stale: false, conflict: true, provenance: [],
});
const report = (over: Partial<ImportReport> = {}): ImportReport => ({
  file: "a.xlsx", sha256: "", already_imported: null, questions: 120, answered: 110, added: 80, merged: 20, unchanged: 7, conflicting: 0, unanswered: 0, ...over,
});

describe("conflicts", () => {
  it("groups by question, ignoring case and spacing, in first-seen order", () => {
    const groups = groupConflicts([
      entry(1, "Are backups encrypted?", "Yes"),
      entry(2, "Is MFA enforced?", "Yes"),
      entry(3, "are  backups encrypted? ", "No"),
      entry(4, "Is MFA enforced?", "Partly"),
    ]);
    expect(groups.map((g) => [g.question, g.entries.map((e) => e.id)])).toEqual([
      ["Are backups encrypted?", [1, 3]],
      ["Is MFA enforced?", [2, 4]],
    ]);
    expect(questionKey("  A\tB  ")).toBe("a b");
  });
});

describe("import results", () => {
  it("summarises a report, an error and a file imported before", () => {
    expect(importSummary({ path: "/a.xlsx", report: report(), error: null })).toBe("120 questions: 80 added, 20 merged, 7 unchanged.");
    expect(importSummary({ path: "/a.xlsx", report: report({ conflicting: 3, unanswered: 10 }), error: null })).toBe(
      "120 questions: 80 added, 20 merged, 7 unchanged, 3 conflicting, 10 unanswered skipped.",
    );
    expect(importSummary({ path: "/b.xlsx", report: null, error: "cannot read b.xlsx: password-protected" })).toBe("cannot read b.xlsx: password-protected");
    expect(importSummary({ path: "/a.xlsx", report: report({ already_imported: "2025-02-01" }), error: null })).toBe(
      "Already imported on 2025-02-01; nothing changed.",
    );
  });
});

describe("parsing", () => {
  it("tags", () => {
    expect(parseTags("soc2, iso 27001 ,, soc2, ")).toEqual(["soc2", "iso 27001"]);
    expect(parseTags("")).toEqual([]);
  });
  it("paths, one per line, quotes removed", () => {
    expect(parsePaths(' "/a b.xlsx"\n\n/c.csv \r\n\'/d.xlsx\'')).toEqual(["/a b.xlsx", "/c.csv", "/d.xlsx"]);
  });
});
