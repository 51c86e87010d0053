// inspect.ts owns the pure logic of correcting layout detection on the Import screen: the
// person's per-sheet edits (include/skip, column letters, header row) and the SheetOverride[]
// they become for questionnaire_inspect / review_start. Unit-tested (tests/inspect.test.ts).

import { COLUMN_ROLES, type ColumnRole, type InspectReport, type SheetOverride, type SheetReport } from "./types";

/** What the person changed on one sheet. Absent fields keep what detection found. */
export interface SheetEdit {
  include?: boolean;
  header_row?: number | null;
  columns?: Partial<Record<ColumnRole, string>>;
}

export type SheetEdits = Record<string, SheetEdit>;

/** Normalises a typed column letter: "b " → "B"; "" stays "" (clears the role); null when invalid. */
export function normaliseLetter(text: string): string | null {
  const t = text.trim().toUpperCase();
  if (t === "") return "";
  return /^[A-Z]{1,3}$/.test(t) ? t : null;
}

/** Roles in display order with the letter detection (or an override) gave them, "" when none. */
export function columnRoles(columns: Record<string, string>): { role: ColumnRole; letter: string }[] {
  return COLUMN_ROLES.map((role) => ({ role, letter: columns[role] ?? "" }));
}

/** The columns a sheet will use: detected letters with the person's edits on top. */
export function effectiveColumns(sheet: SheetReport | undefined, edit: SheetEdit | undefined): Partial<Record<ColumnRole, string>> {
  const out: Partial<Record<ColumnRole, string>> = {};
  for (const role of COLUMN_ROLES) {
    const detected = sheet?.columns[role] ?? "";
    const edited = edit?.columns?.[role];
    const v = edited !== undefined ? edited : detected;
    if (v !== "") out[role] = v;
  }
  return out;
}

/** Why an edit cannot be sent as it is, or null when it can. */
export function editProblem(sheet: SheetReport | undefined, edit: SheetEdit | undefined): string | null {
  if (!edit?.columns || Object.keys(edit.columns).length === 0) return null;
  const cols = effectiveColumns(sheet, edit);
  if (!cols.question) return "Give the question column a letter.";
  const seen = new Map<string, ColumnRole>();
  for (const role of COLUMN_ROLES) {
    const l = cols[role];
    if (!l) continue;
    const other = seen.get(l);
    if (other) return `Column ${l} is both ${other} and ${role}.`;
    seen.set(l, role);
  }
  return null;
}

/**
 * The overrides to send: one per sheet the person touched (in the report's sheet order), always
 * sent while the edit exists so that re-inspecting keeps it. Column roles are pinned only when the
 * person changed a letter, and only when the result has a question column.
 */
export function buildOverrides(report: InspectReport | null, edits: SheetEdits): SheetOverride[] {
  const order = report ? report.sheets.map((s) => s.name) : [];
  const names = [...order.filter((n) => n in edits), ...Object.keys(edits).filter((n) => !order.includes(n))];
  const out: SheetOverride[] = [];
  for (const name of names) {
    const edit = edits[name];
    const sheet = report?.sheets.find((s) => s.name === name);
    const o: SheetOverride = { sheet: name, include: edit.include ?? sheet?.used ?? true };
    const header = edit.header_row !== undefined ? edit.header_row : null;
    const pinColumns = !!edit.columns && Object.keys(edit.columns).length > 0 && editProblem(sheet, edit) === null;
    if (pinColumns) {
      const cols = effectiveColumns(sheet, edit);
      o.columns = { question: cols.question as string };
      if (cols.ref) o.columns.ref = cols.ref;
      if (cols.answer) o.columns.answer = cols.answer;
      if (cols.comment) o.columns.comment = cols.comment;
      if (cols.domain) o.columns.domain = cols.domain;
      const h = header ?? sheet?.header_row ?? null;
      if (h !== null) o.header_row = h;
    } else if (header !== null) {
      o.header_row = header;
    }
    out.push(o);
  }
  return out;
}

/** Returns edits with one field of one sheet changed (immutable update). */
export function withEdit(edits: SheetEdits, sheet: string, change: SheetEdit): SheetEdits {
  const prev = edits[sheet] ?? {};
  const next: SheetEdit = { ...prev, ...change };
  if (change.columns) next.columns = { ...(prev.columns ?? {}), ...change.columns };
  return { ...edits, [sheet]: next };
}

/** Sheets the review would use after the edits (for the summary line and the Start button). */
export function usedSheetCount(report: InspectReport | null): number {
  return report ? report.sheets.filter((s) => s.used).length : 0;
}

/** 0 → "A", 25 → "Z", 26 → "AA": the letter of a preview column (previews start at column A). */
export function columnLetter(index: number): string {
  let n = Math.floor(index);
  if (n < 0) return "";
  let s = "";
  n += 1;
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}
