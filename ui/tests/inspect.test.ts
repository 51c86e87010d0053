import { describe, expect, it } from "vitest";
import { buildOverrides, columnLetter, columnRoles, editProblem, effectiveColumns, normaliseLetter, usedSheetCount, withEdit } from "../src/lib/inspect";
import type { InspectReport, SheetReport } from "../src/lib/types";

const sheet = (name: string, over: Partial<SheetReport> = {}): SheetReport => ({
  name, used: true, reason: null, header_row: 3, confidence: 0.9, low_confidence: false,
  columns: { ref: "A", question: "B", answer: "C" }, questions: 10, answered: 0, notes: [], ...over,
});
const report: InspectReport = {
  file: "q.xlsx", format: "xlsx", profile: null, family: null, sha256: "", questions: 10, answered: 0,
  sheets: [sheet("Intro", { used: false, reason: "no questions", columns: {}, header_row: null, questions: 0 }), sheet("Main")],
};

describe("column letters", () => {
  it("normalises typed letters", () => {
    expect(normaliseLetter(" b ")).toBe("B");
    expect(normaliseLetter("aa")).toBe("AA");
    expect(normaliseLetter("")).toBe("");
    expect(normaliseLetter("B2")).toBeNull();
    expect(normaliseLetter("ABCD")).toBeNull();
  });
  it("lists roles in order with empty letters for missing ones", () => {
    expect(columnRoles({ question: "B", ref: "A" })).toEqual([
      { role: "ref", letter: "A" }, { role: "question", letter: "B" }, { role: "answer", letter: "" },
      { role: "comment", letter: "" }, { role: "domain", letter: "" },
    ]);
  });
  it("numbers preview columns like a spreadsheet", () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual(["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
  });
});

describe("overrides", () => {
  it("no edits → no overrides", () => {
    expect(buildOverrides(report, {})).toEqual([]);
  });
  it("skipping a used sheet", () => {
    expect(buildOverrides(report, withEdit({}, "Main", { include: false }))).toEqual([{ sheet: "Main", include: false }]);
  });
  it("including a skipped sheet", () => {
    expect(buildOverrides(report, { Intro: { include: true } })).toEqual([{ sheet: "Intro", include: true }]);
  });
  it("changing one letter pins all roles (detected + edited) with the header row", () => {
    const edits = withEdit({}, "Main", { columns: { answer: "E" } });
    expect(buildOverrides(report, edits)).toEqual([
      { sheet: "Main", include: true, header_row: 3, columns: { question: "B", ref: "A", answer: "E" } },
    ]);
  });
  it("clearing a role drops it; edits accumulate", () => {
    let edits = withEdit({}, "Main", { columns: { ref: "" } });
    edits = withEdit(edits, "Main", { columns: { comment: "D" } });
    edits = withEdit(edits, "Main", { include: true });
    expect(effectiveColumns(report.sheets[1], edits.Main)).toEqual({ question: "B", answer: "C", comment: "D" });
    expect(buildOverrides(report, edits)[0].columns).toEqual({ question: "B", answer: "C", comment: "D" });
  });
  it("keeps report order and is kept while the edit exists", () => {
    const edits = { Main: { include: false }, Intro: { include: true } };
    expect(buildOverrides(report, edits).map((o) => o.sheet)).toEqual(["Intro", "Main"]);
    // After re-inspecting, the report shows the override as detection; it is still sent.
    const after: InspectReport = { ...report, sheets: [report.sheets[0], { ...report.sheets[1], used: false }] };
    expect(buildOverrides(after, { Main: { include: false } })).toEqual([{ sheet: "Main", include: false }]);
  });
  it("reports problems and does not pin broken columns", () => {
    const noQuestion = { columns: { question: "" } };
    expect(editProblem(report.sheets[1], noQuestion)).toBe("Give the question column a letter.");
    expect(buildOverrides(report, { Main: noQuestion })).toEqual([{ sheet: "Main", include: true }]);
    expect(editProblem(report.sheets[1], { columns: { answer: "B" } })).toBe("Column B is both question and answer.");
    expect(editProblem(report.sheets[1], { include: false })).toBeNull();
  });
  it("counts used sheets", () => {
    expect(usedSheetCount(report)).toBe(1);
    expect(usedSheetCount(null)).toBe(0);
  });
});
