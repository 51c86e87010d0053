// @vitest-environment happy-dom
// "Save a copy…" of an evidence document, as a person meets it: the whole App is mounted (Svelte's
// client runtime in happy-dom) over spies of Tauri's invoke, the save dialog and the opener, then
// Library → Evidence is opened and a row's button clicked.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { flushSync, mount, unmount } from "svelte";

const invoke = vi.fn();
const save = vi.fn();
const revealItemInDir = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...a: unknown[]) => invoke(...a) }));
vi.mock("@tauri-apps/api/event", () => ({ listen: async () => () => {} }));
vi.mock("@tauri-apps/api/webview", () => ({ getCurrentWebview: () => ({ onDragDropEvent: async () => () => {} }) }));
vi.mock("@tauri-apps/plugin-dialog", () => ({ open: vi.fn(), save: (...a: unknown[]) => save(...a) }));
vi.mock("@tauri-apps/plugin-opener", () => ({ revealItemInDir: (...a: unknown[]) => revealItemInDir(...a) }));

import App from "../src/App.svelte";
import { app } from "../src/lib/app.svelte";
import type { AppState, Evidence } from "../src/lib/types";

const STATE: AppState = {
  version: "0.1.0", library_path: "/home/ana/.local/share/quire/library.sqlite", user: "ana", locked: false, encrypted: true,
  entries: 12, evidence: 2, conflicts: 0, demo_entries: 0, sample_questionnaire: null,
};
const SOC2: Evidence = {
  id: 7, title: "SOC 2 Type II report 2025", file_name: "soc2-2025.pdf", stored_path: "/lib/evidence/3f9a.pdf.enc", sha256: "ab".repeat(32),
  kind: "pdf", added_at: "2025-04-01T09:00:00Z", expires: "2026-03-31", expired: false, tags: ["audit"], owner: "", text_chars: 1000, linked_entries: [1],
};
const POLICY: Evidence = { ...SOC2, id: 9, title: "Information security policy", file_name: "policy.docx", kind: "docx", tags: [], expires: null };
const TARGET = "/home/ana/Documents/soc2-2025.pdf";
const EXISTS = `${TARGET} already exists; choose a new file name`;

const g = globalThis as Record<string, unknown>;
let component: ReturnType<typeof mount> | null = null;

/** The backend; `exportCopy` answers evidence_export. */
function backend(exportCopy: (args: Record<string, unknown>) => unknown = () => SOC2) {
  invoke.mockImplementation(async (cmd: string, args?: Record<string, unknown>) => {
    if (cmd === "app_state") return STATE;
    if (cmd === "app_ready") return null;
    if (cmd === "library_search") return [];
    if (cmd === "evidence_list") return [SOC2, POLICY];
    if (cmd === "evidence_export") return exportCopy(args ?? {});
    throw `unexpected command ${cmd}`;
  });
}

const $ = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const saveButton = (id: number) => document.querySelector<HTMLButtonElement>(`[data-testid="evidence-save"][data-id="${id}"]`)!;
/** Lets every pending promise of the click run to its end. */
const settle = () => new Promise((r) => setTimeout(r, 50));
const calls = (cmd: string) => invoke.mock.calls.filter((c) => c[0] === cmd);

/** Starts the App and opens Library → Evidence. */
async function openEvidence() {
  component = mount(App, { target: document.body });
  await vi.waitFor(() => expect($("nav-library")).not.toBeNull());
  $("nav-library")!.click();
  flushSync();
  $("library-tab-evidence")!.click();
  await vi.waitFor(() => expect(document.querySelectorAll('[data-testid="evidence-save"]')).toHaveLength(2));
}

beforeEach(() => {
  g.__TAURI_INTERNALS__ = {};
  invoke.mockReset();
  save.mockReset();
  revealItemInDir.mockReset();
  app.info = null;
  app.loaded = false;
  app.screen = "home";
  app.notices = [];
});
afterEach(() => {
  if (component) unmount(component);
  component = null;
  document.body.innerHTML = "";
  delete g.__TAURI_INTERNALS__;
});

describe("Save a copy… of an evidence document", () => {
  it("has one button per row, named by the evidence id", async () => {
    backend();
    await openEvidence();
    expect(saveButton(7).textContent).toBe("Save a copy…");
    expect(saveButton(9).textContent).toBe("Save a copy…");
    expect(saveButton(7).disabled).toBe(false);
    expect(saveButton(7).closest('[data-testid="evidence-row"]')?.getAttribute("data-id")).toBe("7");
    expect(saveButton(7).title).toBe("Save a decrypted copy of soc2-2025.pdf to a file you choose");
  });

  it("asks where with the save dialog (its file name, its extension), then sends evidence_export { id, path }", async () => {
    backend();
    save.mockResolvedValueOnce(TARGET);
    await openEvidence();
    saveButton(7).click();
    await vi.waitFor(() => expect(calls("evidence_export")).toHaveLength(1));
    expect(save).toHaveBeenCalledTimes(1);
    expect(save.mock.calls[0][0]).toMatchObject({ defaultPath: "soc2-2025.pdf", filters: [{ name: "PDF file", extensions: ["pdf"] }] });
    expect(calls("evidence_export")).toEqual([["evidence_export", { id: 7, path: TARGET }]]);
  });

  it("does nothing when the dialog is cancelled", async () => {
    backend();
    save.mockResolvedValueOnce(null);
    await openEvidence();
    saveButton(9).click();
    await vi.waitFor(() => expect(save).toHaveBeenCalledTimes(1));
    await settle();
    flushSync();
    expect(saveButton(9).disabled).toBe(false);
    expect(save.mock.calls[0][0]).toMatchObject({ defaultPath: "policy.docx", filters: [{ extensions: ["docx"] }] });
    expect(calls("evidence_export")).toHaveLength(0);
    expect($("notice")).toBeNull();
    expect($("error-banner")).toBeNull();
  });

  it("disables the button while saving, then confirms with “Show in folder”", async () => {
    let finish: (e: Evidence) => void = () => {};
    const pending = new Promise<Evidence>((r) => (finish = r));
    backend(() => pending);
    save.mockResolvedValueOnce(TARGET);
    await openEvidence();
    saveButton(7).click();
    await vi.waitFor(() => expect(calls("evidence_export")).toHaveLength(1));
    flushSync();
    expect(saveButton(7).disabled).toBe(true);
    expect(saveButton(7).textContent).toBe("Saving…");
    expect(saveButton(9).disabled).toBe(false); // only the row being saved
    saveButton(7).click(); // a second click while saving starts nothing
    finish(SOC2);
    await vi.waitFor(() => expect($("notice")).not.toBeNull());
    expect($("notice")?.textContent).toContain(`Saved “SOC 2 Type II report 2025” to ${TARGET}`);
    expect(saveButton(7).disabled).toBe(false);
    expect(saveButton(7).textContent).toBe("Save a copy…");
    expect(save).toHaveBeenCalledTimes(1);
    expect(calls("evidence_export")).toHaveLength(1);
    expect($("error-banner")).toBeNull();

    const reveal = $("evidence-saved-reveal")!;
    expect(reveal.textContent).toBe("Show in folder");
    reveal.click();
    await vi.waitFor(() => expect(revealItemInDir).toHaveBeenCalledWith(TARGET));
  });

  it("shows the backend's message when the copy is refused, and nothing is confirmed", async () => {
    backend(() => {
      throw EXISTS;
    });
    save.mockResolvedValueOnce(TARGET);
    await openEvidence();
    saveButton(7).click();
    await vi.waitFor(() => expect($("error-text")?.textContent).toBe(EXISTS));
    expect($("notice")).toBeNull();
    expect(saveButton(7).disabled).toBe(false);
  });

  it("shows the opener's message when the folder cannot be shown", async () => {
    backend();
    save.mockResolvedValueOnce(TARGET);
    revealItemInDir.mockRejectedValueOnce("no file manager found");
    await openEvidence();
    saveButton(7).click();
    await vi.waitFor(() => expect($("evidence-saved-reveal")).not.toBeNull());
    $("evidence-saved-reveal")!.click();
    await vi.waitFor(() => expect($("error-text")?.textContent).toBe("no file manager found"));
  });
});
