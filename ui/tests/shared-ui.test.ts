// @vitest-environment happy-dom
// The pieces the near-identical screens now share, through the screens that use them:
// VirtualGrid (ReviewTable, AnswersTable), ListScreen (SessionList, VendorList) and FolderExport
// (Export, AssessmentExport). Svelte's client runtime in happy-dom over a spy of Tauri's invoke.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { flushSync, mount, unmount } from "svelte";

const invoke = vi.fn();
const pickFolder = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...a: unknown[]) => invoke(...a) }));
vi.mock("@tauri-apps/api/event", () => ({ listen: async () => () => {} }));
vi.mock("@tauri-apps/plugin-dialog", () => ({ open: (...a: unknown[]) => pickFolder(...a), save: vi.fn() }));
vi.mock("@tauri-apps/plugin-opener", () => ({ revealItemInDir: vi.fn() }));

import ReviewTable from "../src/screens/review/ReviewTable.svelte";
import AnswersTable from "../src/screens/vendors/AnswersTable.svelte";
import SessionList from "../src/screens/review/SessionList.svelte";
import VendorList from "../src/screens/vendors/VendorList.svelte";
import { FolderExport } from "../src/lib/folder-export.svelte";
import { app } from "../src/lib/app.svelte";
import { emptyVendor } from "../src/lib/vendors";
import type { Progress, QuestionScore, ReviewItem, ReviewSummary, VendorSummary } from "../src/lib/types";

const g = globalThis as Record<string, unknown>;
let component: ReturnType<typeof mount> | null = null;
const $ = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const $$ = (id: string) => document.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`);

function item(i: number): ReviewItem {
  return {
    index: i, question: { sheet: "General", row: 5 + i, ref: `Q-${i + 1}`, text: `Question ${i + 1}?`, domain: "Access", answer: "", answer_kind: null, comment: "",
      answer_cell: null, choice_cells: [], comment_cell: null },
    answer: i % 2 ? "Yes" : null, comment: null, status: i % 2 ? "suggested" : "blank", confidence: i % 2 ? 0.7 : null, source: null, evidence: [],
    alternatives: [], changed_by: null, changed_at: null,
  };
}
function question(i: number): QuestionScore {
  return {
    sheet: "Security", row: 4 + i, ref: `GOV-${i + 1}`, question: i % 3 ? `Do you encrypt backups ${i}?` : `Is MFA enforced ${i}?`, answer: "Yes", comment: "",
    domain: "governance", criticality: "high", expected: "Yes", placement: "rubric", placed_as: null, outcome: "met", note: null, points: 3, earned: 3, frameworks: [],
    interpreted: { response: "yes", justified: false, evidence: [], planned: null, contradiction: null, note: null },
  };
}

beforeEach(() => {
  g.__TAURI_INTERNALS__ = {};
  g.ResizeObserver ??= class { observe() {} disconnect() {} };
  invoke.mockReset();
  pickFolder.mockReset();
  app.notices = [];
});
afterEach(() => {
  if (component) unmount(component);
  component = null;
  document.body.innerHTML = "";
});

describe("VirtualGrid", () => {
  it("the review table puts only a window of its 2,000 rows in the DOM, and reports clicks by position", () => {
    const items = Array.from({ length: 2000 }, (_, i) => item(i));
    const positions = items.map((_, i) => 1999 - i); // shown in reverse
    const onselect = vi.fn();
    const onactivate = vi.fn();
    component = mount(ReviewTable, { target: document.body, props: { items, positions, selected: 1999, onselect, onactivate } });
    flushSync();
    const table = $("review-table")!;
    expect(table.dataset.rows).toBe("2000");
    expect(table.getAttribute("tabindex")).toBe("0");
    const rows = $$("review-row");
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(50);
    expect(rows[0].dataset.index).toBe("1999");
    expect(rows[0].getAttribute("aria-selected")).toBe("true");
    expect(rows[0].classList.contains("sel")).toBe(true);
    rows[1].click();
    rows[2].dispatchEvent(new MouseEvent("dblclick", { bubbles: true }));
    expect(onselect).toHaveBeenCalledWith(1998);
    expect(onactivate).toHaveBeenCalledWith(1997);
  });

  it("the answers table renders every row up to 300, windows above, and filters", () => {
    const titles = new Map([["governance", "Governance"]]);
    component = mount(AnswersTable, { target: document.body, props: { questions: Array.from({ length: 40 }, (_, i) => question(i)), titles } });
    flushSync();
    expect($("answers-table")!.dataset.virtual).toBe("false");
    expect($$("answer-row")).toHaveLength(40);
    unmount(component);
    component = mount(AnswersTable, { target: document.body, props: { questions: Array.from({ length: 400 }, (_, i) => question(i)), titles } });
    flushSync();
    expect($("answers-table")!.dataset.virtual).toBe("true");
    expect($("answers-table")!.dataset.rows).toBe("400");
    expect($$("answer-row").length).toBeLessThan(50);
    const filter = $("answers-filter-text") as HTMLInputElement;
    filter.value = "MFA";
    filter.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    expect($("answers-table")!.dataset.rows).toBe("134");
    expect($("answers-shown")!.textContent).toBe("134 of 400");
    filter.value = "nothing like this";
    filter.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    expect($$("answer-row")).toHaveLength(0);
    expect(document.body.textContent).toContain("No question matches the filters.");
  });
});

describe("ListScreen", () => {
  const summary = (id: number, name: string): VendorSummary => ({ vendor: { ...emptyVendor(), id, name }, warnings: [], latest: null });

  it("the vendor list loads, shows its rows and filter count, or the empty state", async () => {
    invoke.mockImplementation(async (cmd: string) => (cmd === "vendor_list" ? [summary(1, "Acme Imaging"), summary(2, "Zenith Telehealth")] : null));
    component = mount(VendorList, { target: document.body });
    await vi.waitFor(() => expect($$("vendor-row")).toHaveLength(2));
    expect($("vendor-shown")!.textContent).toBe("2 of 2");
    expect($("vendor-none")).toBeNull();
    unmount(component);
    invoke.mockImplementation(async () => []);
    component = mount(VendorList, { target: document.body });
    await vi.waitFor(() => expect($("vendor-none")).not.toBeNull());
    expect($("vendor-none")!.textContent).toContain("No vendors yet.");
  });

  it("the review list loads again after a delete, and a failed load goes to the banner", async () => {
    const session: ReviewSummary = { id: 4, questionnaire: "acme.xlsx", path: "/q/acme.xlsx", created_at: "2026-01-02T10:00:00Z", updated_at: "2026-01-02T10:00:00Z", questions: 10, counts: { blank: 10, suggested: 0, draft: 0, reviewed: 0, approved: 0 } };
    let list = [session];
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === "review_list") return list;
      if (cmd === "review_delete") return (list = []), null;
      throw `unexpected command ${cmd}`;
    });
    component = mount(SessionList, { target: document.body });
    await vi.waitFor(() => expect($$("review-session")).toHaveLength(1));
    $("review-delete")!.click();
    flushSync();
    $("review-delete-confirm")!.click();
    await vi.waitFor(() => expect($("review-none")).not.toBeNull());
    expect(invoke.mock.calls.filter((c) => c[0] === "review_list")).toHaveLength(2);
    unmount(component);
    invoke.mockImplementation(async () => Promise.reject("the library is locked by another Quire window; close it and retry"));
    component = mount(SessionList, { target: document.body });
    await vi.waitFor(() => expect(app.notices.map((n) => n.text)).toContain("the library is locked by another Quire window; close it and retry"));
  });
});

describe("FolderExport", () => {
  it("writes into the first typed path, keeps the progress and the result, then is not busy", async () => {
    let finish: (r: string) => void = () => {};
    const write = vi.fn((dir: string, onProgress: (p: Progress) => void) => {
      onProgress({ task: "review_export", done: 1, total: 2, message: "Writing answers" });
      return new Promise<string>((r) => (finish = r));
    });
    const out = new FolderExport<string>("Choose a folder", write);
    await out.run("   ");
    expect(write).not.toHaveBeenCalled();
    const running = out.run('"/home/ana/Exports"\n/ignored');
    expect(out.busy).toBe(true);
    expect(write.mock.calls[0][0]).toBe("/home/ana/Exports");
    expect(out.progress?.message).toBe("Writing answers");
    finish("/home/ana/Exports/q.filled.xlsx");
    await running;
    expect(out.busy).toBe(false);
    expect(out.result).toBe("/home/ana/Exports/q.filled.xlsx");
  });

  it("a failed write shows its message in the banner and leaves no result; Browse fills the folder", async () => {
    const out = new FolderExport<string>("Choose where", () => Promise.reject("cannot write to /ro: permission denied"));
    await out.run("/ro");
    expect(out.busy).toBe(false);
    expect(out.result).toBeNull();
    expect(app.notices.map((n) => n.text)).toContain("cannot write to /ro: permission denied");
    pickFolder.mockResolvedValueOnce("/home/ana/Reports");
    await out.browse();
    expect(pickFolder.mock.calls[0][0]).toMatchObject({ directory: true, title: "Choose where" });
    expect(out.folder).toBe("/home/ana/Reports");
  });
});
