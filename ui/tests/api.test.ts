import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// The Tauri modules are replaced by spies: api.ts is the only module that talks to them.
const invoke = vi.fn();
const unlisten = vi.fn();
let progressHandler: ((e: { payload: unknown }) => void) | null = null;
const listen = vi.fn(async (_event: string, h: (e: { payload: unknown }) => void) => {
  progressHandler = h;
  return unlisten;
});
let dropHandler: ((e: { payload: unknown }) => void) | null = null;
const dropUnlisten = vi.fn();
const open = vi.fn();
const save = vi.fn();
const revealItemInDir = vi.fn();

vi.mock("@tauri-apps/api/core", () => ({ invoke: (...a: unknown[]) => invoke(...a) }));
vi.mock("@tauri-apps/api/event", () => ({ listen: (e: string, h: (e: { payload: unknown }) => void) => listen(e, h) }));
vi.mock("@tauri-apps/api/webview", () => ({
  getCurrentWebview: () => ({
    onDragDropEvent: async (h: (e: { payload: unknown }) => void) => {
      dropHandler = h;
      return dropUnlisten;
    },
  }),
}));
vi.mock("@tauri-apps/plugin-dialog", () => ({ open: (...a: unknown[]) => open(...a), save: (...a: unknown[]) => save(...a) }));
vi.mock("@tauri-apps/plugin-opener", () => ({ revealItemInDir: (...a: unknown[]) => revealItemInDir(...a) }));

import * as api from "../src/lib/api";
import type { AppState, Vendor } from "../src/lib/types";

const g = globalThis as Record<string, unknown>;

beforeEach(() => {
  g.__TAURI_INTERNALS__ = {};
  invoke.mockReset();
  open.mockReset();
  save.mockReset();
  revealItemInDir.mockReset();
  unlisten.mockReset();
  listen.mockClear();
  progressHandler = null;
  dropHandler = null;
});
afterEach(() => {
  delete g.__TAURI_INTERNALS__;
  vi.unstubAllEnvs();
});

describe("toError", () => {
  it("keeps a string rejection as the message", () => {
    const e = api.toError("cannot read vendor.xlsx: not a zip file; save it again as .xlsx and retry");
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toBe("cannot read vendor.xlsx: not a zip file; save it again as .xlsx and retry");
  });
  it("takes the message of {code, message} objects and keeps the code", () => {
    const e = api.toError({ code: "not_found", message: "review 4 does not exist" }) as api.ApiError;
    expect(e.message).toBe("review 4 does not exist");
    expect(e.code).toBe("not_found");
  });

  it("keeps the code and the detail of a command's {code, message, detail}", () => {
    const e = api.toError({ code: "file.read", message: "cannot read /x/q.xlsx: No such file", detail: "No such file" }) as api.ApiError;
    expect(e.code).toBe("file.read");
    expect(e.message).toBe("cannot read /x/q.xlsx: No such file");
    expect(e.detail).toBe("No such file");
    const plain = api.toError({ code: "library.locked", message: "locked" }) as api.ApiError;
    expect(plain.detail).toBeNull();
  });
  it("keeps an Error's message", () => {
    expect(api.toError(new TypeError("boom")).message).toBe("boom");
  });
  it("never shows [object Object] or a dump", () => {
    for (const v of [{}, { detail: { deep: 1 } }, null, undefined, "", "   ", new Error(""), [1, 2]]) {
      const m = api.toError(v).message;
      expect(m).not.toContain("[object");
      expect(m).not.toContain("{");
      expect(m.length).toBeGreaterThan(10);
    }
  });
  it("words numbers plainly", () => {
    expect(api.toError(42).message).toBe("The operation failed (42).");
  });
});

describe("commands", () => {
  it("rejections become Errors with the backend's text", async () => {
    invoke.mockRejectedValueOnce("the library is locked by another Quire window; close it and retry");
    await expect(api.appState()).rejects.toThrow("the library is locked by another Quire window; close it and retry");
    invoke.mockRejectedValueOnce({ code: "io", message: "disk full" });
    const err = await api.reviewList().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe("disk full");
  });
  it("returns the command's value", async () => {
    invoke.mockResolvedValueOnce([{ id: 1 }]);
    await expect(api.librarySearch("mfa", 20)).resolves.toEqual([{ id: 1 }]);
    expect(invoke).toHaveBeenCalledWith("library_search", { text: "mfa", limit: 20 });
  });
  it("uses the contract's command names and camelCase top-level arguments", async () => {
    invoke.mockResolvedValue(null);
    await api.reviewAcceptAbove(3, 0.8);
    await api.libraryResolveConflict(9);
    await api.reviewUpdate(3, 17, { pick: 1 });
    await api.reviewExport(3, "/tmp/out", true);
    await api.questionnaireInspect("/q.xlsx", [{ sheet: "S", include: false }]);
    await api.reviewStart("/q.xlsx");
    await api.libraryImport(["/a.xlsx", "/b.csv"]);
    await api.libraryEdit(5, { answer: "Yes", tags: ["x"] });
    await api.reviewDelete(3);
    await api.demoRemove();
    await api.libraryUnlock(" pass phrase ");
    expect(invoke.mock.calls).toEqual([
      ["review_accept_above", { id: 3, minConfidence: 0.8 }],
      ["library_resolve_conflict", { keepId: 9 }],
      ["review_update", { id: 3, index: 17, change: { pick: 1 } }],
      ["review_export", { id: 3, folder: "/tmp/out", pdf: true }],
      ["questionnaire_inspect", { path: "/q.xlsx", overrides: [{ sheet: "S", include: false }] }],
      ["review_start", { path: "/q.xlsx", overrides: [] }],
      ["library_import", { paths: ["/a.xlsx", "/b.csv"] }],
      ["library_edit", { id: 5, edit: { answer: "Yes", tags: ["x"] } }],
      ["review_delete", { id: 3 }],
      ["demo_remove", undefined],
      ["library_unlock", { passphrase: " pass phrase " }], // as typed: spaces may be part of it
    ]);
  });
  it("vendor and assessment commands use the contract's names and argument keys", async () => {
    invoke.mockResolvedValue(null);
    const v = { id: 0, name: "Acme" } as unknown as Vendor;
    await api.vendorList();
    await api.vendorGet(7);
    await api.vendorSave(v);
    await api.rubricList();
    await api.assessRun(7, "/q/acme.xlsx", "hecvat");
    await api.assessmentGet(12);
    await api.findingSetStatus(12, 4, "accepted");
    await api.findingSetStatus(12, 5, "remediated", "  fixed in v2 ");
    await api.assessmentExport(12, "/out", true, false);
    expect(invoke.mock.calls).toEqual([
      ["vendor_list", undefined],
      ["vendor_get", { id: 7 }],
      ["vendor_save", { vendor: v }],
      ["rubric_list", undefined],
      ["assess_run", { vendorId: 7, path: "/q/acme.xlsx", rubric: "hecvat" }],
      ["assessment_get", { id: 12 }],
      ["finding_set_status", { assessmentId: 12, finding: 4, status: "accepted", note: null }],
      ["finding_set_status", { assessmentId: 12, finding: 5, status: "remediated", note: "fixed in v2" }],
      ["assessment_export", { id: 12, folder: "/out", pdf: true, xlsx: false }],
    ]);
  });
  it("assess_run sends no rubric (null) when it is to be chosen by the questionnaire's layout", async () => {
    invoke.mockResolvedValue({ id: 1, assessment: {} });
    await api.assessRun(3, "/q.xlsx");
    await api.assessRun(3, "/q.xlsx", "  ");
    expect(invoke.mock.calls).toEqual([
      ["assess_run", { vendorId: 3, path: "/q.xlsx", rubric: null }],
      ["assess_run", { vendorId: 3, path: "/q.xlsx", rubric: null }],
    ]);
  });
  it("assess_run reports progress through withProgress and maps its rejection", async () => {
    const seen: string[] = [];
    invoke.mockImplementationOnce(async () => {
      progressHandler?.({ payload: { task: "assess", done: 1, total: 3, message: "scoring 331 questions" } });
      throw "cannot read acme.xlsx: not a spreadsheet";
    });
    await expect(api.withProgress((p) => seen.push(p.message), () => api.assessRun(3, "/acme.xlsx"))).rejects.toThrow("cannot read acme.xlsx: not a spreadsheet");
    expect(seen).toEqual(["scoring 331 questions"]);
    expect(unlisten).toHaveBeenCalledTimes(1);
  });
  it("evidence_add sends blank options as null", async () => {
    invoke.mockResolvedValue({});
    await api.evidenceAdd("/soc2.pdf", { title: "  ", expires: "", tags: [] });
    await api.evidenceAdd("/soc2.pdf", { title: " SOC 2 ", expires: "2026-01-31", tags: ["audit"] });
    expect(invoke.mock.calls[0]).toEqual(["evidence_add", { path: "/soc2.pdf", title: null, expires: null, tags: null }]);
    expect(invoke.mock.calls[1]).toEqual(["evidence_add", { path: "/soc2.pdf", title: "SOC 2", expires: "2026-01-31", tags: ["audit"] }]);
  });
});

describe("evidence_export", () => {
  it("sends the id and the chosen path, and returns the Evidence record", async () => {
    invoke.mockResolvedValueOnce({ id: 4, title: "SOC 2" });
    await expect(api.evidenceExport(4, "/home/me/soc2 copy.pdf")).resolves.toEqual({ id: 4, title: "SOC 2" });
    expect(invoke.mock.calls).toEqual([["evidence_export", { id: 4, path: "/home/me/soc2 copy.pdf" }]]);
  });
  it("an existing file is refused with the backend's sentence", async () => {
    invoke.mockRejectedValueOnce("/home/me/soc2.pdf already exists; choose a new file name");
    await expect(api.evidenceExport(4, "/home/me/soc2.pdf")).rejects.toThrow("/home/me/soc2.pdf already exists; choose a new file name");
  });
  it("the dev mock refuses to overwrite a file it wrote, and unknown ids", async () => {
    const { createMockBackend } = await import("../src/dev/mock");
    const mock = createMockBackend({ locked: false });
    const ev = await mock.invoke<{ id: number; title: string }>("evidence_export", { id: 1, path: "/tmp/out/soc2-2024.pdf" });
    expect(ev).toMatchObject({ id: 1, title: "SOC 2 Type II report 2024" });
    await expect(mock.invoke("evidence_export", { id: 1, path: "/tmp/out/soc2-2024.pdf" })).rejects.toBe(
      "/tmp/out/soc2-2024.pdf already exists; choose a new file name",
    );
    await expect(mock.invoke("evidence_export", { id: 2, path: "/tmp/out/pentest.pdf" })).resolves.toMatchObject({ id: 2 });
    await expect(mock.invoke("evidence_export", { id: 999, path: "/tmp/out/x.pdf" })).rejects.toMatch(/^no evidence document with id 999/);
  });
});

describe("progress events", () => {
  it("listens to `progress` and passes the payload", async () => {
    const seen: unknown[] = [];
    const stop = await api.onProgress((p) => seen.push(p));
    expect(listen).toHaveBeenCalledWith("progress", expect.any(Function));
    progressHandler?.({ payload: { task: "review_start", done: 3, total: 10, message: "Reading" } });
    expect(seen).toEqual([{ task: "review_start", done: 3, total: 10, message: "Reading" }]);
    stop();
    expect(unlisten).toHaveBeenCalledTimes(1);
  });
  it("withProgress stops listening after success and after failure", async () => {
    const seen: number[] = [];
    const r = await api.withProgress(
      (p) => seen.push(p.done),
      async () => {
        progressHandler?.({ payload: { task: "t", done: 5, total: 9, message: "" } });
        return "ok";
      },
    );
    expect(r).toBe("ok");
    expect(seen).toEqual([5]);
    expect(unlisten).toHaveBeenCalledTimes(1);
    invoke.mockRejectedValueOnce("cannot write to /x: permission denied");
    await expect(api.withProgress(() => {}, () => api.reviewExport(1, "/x", false))).rejects.toThrow("cannot write to /x: permission denied");
    expect(unlisten).toHaveBeenCalledTimes(2);
  });
});

describe("dialogs, opener, drag and drop", () => {
  it("pickFiles normalises the dialog's answer", async () => {
    open.mockResolvedValueOnce(["/a.xlsx", "/b.xlsx"]);
    await expect(api.pickFiles({ multiple: true })).resolves.toEqual(["/a.xlsx", "/b.xlsx"]);
    expect(open.mock.calls[0][0]).toMatchObject({ multiple: true, directory: false });
    open.mockResolvedValueOnce("/one.xlsx");
    await expect(api.pickFiles()).resolves.toEqual(["/one.xlsx"]);
    open.mockResolvedValueOnce(null);
    await expect(api.pickFiles()).resolves.toEqual([]);
  });
  it("pickFolder asks for a directory and returns null on cancel", async () => {
    open.mockResolvedValueOnce("/home/me/out");
    await expect(api.pickFolder()).resolves.toBe("/home/me/out");
    expect(open.mock.calls[0][0]).toMatchObject({ directory: true, multiple: false });
    open.mockResolvedValueOnce(null);
    await expect(api.pickFolder()).resolves.toBeNull();
  });
  it("pickEvidenceSavePath proposes the file's name, filters by its extension, and returns null on cancel", async () => {
    save.mockResolvedValueOnce("/home/me/Documents/soc2-2025.pdf");
    await expect(api.pickEvidenceSavePath({ title: "SOC 2 report", file_name: "soc2-2025.PDF" })).resolves.toBe("/home/me/Documents/soc2-2025.pdf");
    expect(save.mock.calls[0][0]).toEqual({
      defaultPath: "soc2-2025.PDF",
      filters: [{ name: "PDF file", extensions: ["pdf"] }],
      title: "Save a copy of “SOC 2 report”",
    });
    save.mockResolvedValueOnce(null);
    await expect(api.pickEvidenceSavePath({ title: "Notes", file_name: "NOTES" })).resolves.toBeNull();
    expect(save.mock.calls[1][0].filters).toBeUndefined(); // no extension: no filter
    expect(open).not.toHaveBeenCalled();
    save.mockRejectedValueOnce("dialog failed");
    await expect(api.pickSavePath()).rejects.toThrow("dialog failed");
  });
  it("filtersFor takes the last extension of the name only", () => {
    expect(api.filtersFor("report.final.docx")).toEqual([{ name: "DOCX file", extensions: ["docx"] }]);
    expect(api.filtersFor(".bashrc")).toEqual([]);
    expect(api.filtersFor("trailing.")).toEqual([]);
    expect(api.filtersFor("C:\\docs.d\\README")).toEqual([]);
  });
  it("revealInFolder uses revealItemInDir and maps its errors", async () => {
    await api.revealInFolder("/out/q.filled.xlsx");
    expect(revealItemInDir).toHaveBeenCalledWith("/out/q.filled.xlsx");
    revealItemInDir.mockRejectedValueOnce("no file manager found");
    await expect(api.revealInFolder("/x")).rejects.toThrow("no file manager found");
  });
  it("onFilesDropped gives the dropped paths and hover state", async () => {
    const dropped: string[][] = [];
    const hover: string[] = [];
    const stop = await api.onFilesDropped((p) => dropped.push(p), (s) => hover.push(s));
    dropHandler?.({ payload: { type: "enter", paths: ["/a.xlsx"], position: { x: 0, y: 0 } } });
    dropHandler?.({ payload: { type: "drop", paths: ["/a.xlsx", "/b.csv"], position: { x: 0, y: 0 } } });
    dropHandler?.({ payload: { type: "leave" } });
    expect(dropped).toEqual([["/a.xlsx", "/b.csv"]]);
    expect(hover).toEqual(["over", "leave", "leave"]);
    stop();
    expect(dropUnlisten).toHaveBeenCalled();
  });
});

describe("outside the Tauri window", () => {
  it("in a production build, commands fail with a readable message", async () => {
    delete g.__TAURI_INTERNALS__;
    vi.stubEnv("DEV", false);
    expect(api.inTauri()).toBe(false);
    expect(api.usingMock()).toBe(false);
    await expect(api.appState()).rejects.toThrow(api.NOT_IN_APP);
    expect(invoke).not.toHaveBeenCalled();
  });
  it("on the dev server, the in-memory mock answers (and rejects with text)", async () => {
    delete g.__TAURI_INTERNALS__;
    expect(api.usingMock()).toBe(true);
    const state = await api.appState();
    expect(state.demo_entries).toBeGreaterThan(0);
    const [session] = await api.reviewList();
    expect(session.questions).toBe(2000);
    const item = await api.reviewUpdate(session.id, 0, { answer: "Partly" });
    expect(item.status).toBe("draft");
    expect(item.changed_by).toBe("dev");
    await expect(api.reviewGet(987654)).rejects.toThrow("review 987654 does not exist");
    const vendors = await api.vendorList();
    expect(vendors.length).toBeGreaterThan(3);
    const assessed = vendors.find((s) => s.latest !== null && s.vendor.name.startsWith("Meridian"));
    expect(assessed).toBeDefined();
    const saved = await api.assessmentGet(assessed!.latest!.id);
    expect(saved.finding_status.length).toBe(saved.assessment.scorecard.findings.length);
    expect(saved.assessment.scorecard.domains.some((d) => d.score === null)).toBe(true);
    await api.findingSetStatus(saved.id, 0, "remediated");
    expect((await api.assessmentGet(saved.id)).finding_status[0]).toBe("remediated");
    await expect(api.vendorSave({ ...assessed!.vendor, id: 0, name: assessed!.vendor.name.toUpperCase() })).rejects.toThrow("already exists");
    expect(state.locked).toBe(false);
    expect(state.encrypted).toBe(false);
    expect(invoke).not.toHaveBeenCalled();
  });
  it("the dev mock's locked library refuses commands until its passphrase is given", async () => {
    const { createMockBackend, MOCK_PASSPHRASE } = await import("../src/dev/mock");
    const mock = createMockBackend({ locked: true });
    const locked = await mock.invoke<AppState>("app_state");
    expect(locked).toMatchObject({ locked: true, encrypted: true, entries: 0, demo_entries: 0, sample_questionnaire: null });
    await expect(mock.invoke("library_search", { text: "", limit: 5 })).rejects.toBe("the library is encrypted and still locked: enter its passphrase first");
    await expect(mock.invoke("library_unlock", { passphrase: "" })).rejects.toBe("the passphrase is empty; type the library's passphrase");
    await expect(mock.invoke("library_unlock", { passphrase: "guess" })).rejects.toMatch(/the passphrase is wrong .*try again$/);
    expect((await mock.invoke<AppState>("app_state")).locked).toBe(true);
    const open = await mock.invoke<AppState>("library_unlock", { passphrase: MOCK_PASSPHRASE });
    expect(open).toMatchObject({ locked: false, encrypted: true });
    expect(open.entries).toBeGreaterThan(0);
    expect((await mock.invoke<unknown[]>("library_search", { text: "", limit: 5 })).length).toBe(5);
  });
});
