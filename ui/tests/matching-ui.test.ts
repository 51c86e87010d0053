// @vitest-environment happy-dom
// Matching by meaning as a person meets it: the whole App is mounted (Svelte's client runtime in
// happy-dom) over spies of Tauri's invoke and of the `progress` event, then the banner, the
// "Embed N entries" notice, the embed step of a library import and the alternatives' `why` are
// looked at.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { flushSync, mount, unmount } from "svelte";

const invoke = vi.fn();
let progressHandlers: ((e: { payload: unknown }) => void)[] = [];
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...a: unknown[]) => invoke(...a) }));
vi.mock("@tauri-apps/api/event", () => ({
  listen: async (_event: string, h: (e: { payload: unknown }) => void) => {
    progressHandlers.push(h);
    return () => (progressHandlers = progressHandlers.filter((x) => x !== h));
  },
}));
vi.mock("@tauri-apps/api/webview", () => ({ getCurrentWebview: () => ({ onDragDropEvent: async () => () => {} }) }));
vi.mock("@tauri-apps/plugin-dialog", () => ({ open: vi.fn(), save: vi.fn() }));
vi.mock("@tauri-apps/plugin-opener", () => ({ revealItemInDir: vi.fn() }));

import App from "../src/App.svelte";
import ReviewDetail from "../src/screens/review/ReviewDetail.svelte";
import { app } from "../src/lib/app.svelte";
import { matching } from "../src/lib/matching-store.svelte";
import type { AppState, EmbedOutcome, ImportResult, MatchingStatus, Progress } from "../src/lib/types";
import { alt, item } from "./fixtures";

const STATE: AppState = {
  version: "0.1.0", library_path: "/home/ana/.local/share/quire/library.sqlite", user: "ana", locked: false, encrypted: false,
  entries: 412, evidence: 0, conflicts: 0, demo_entries: 0, sample_questionnaire: null,
};
const NOTE =
  "no sentence-embedding model found (looked in QUIRE_MODEL_DIR, …); suggestions match by shared words only, so questions worded differently are found less often. Install the model with scripts/model.sh <b>not bold</b>";
const ABSENT: MatchingStatus = { by_meaning: false, note: NOTE, entries_without_embedding: 0 };
const READY: MatchingStatus = { by_meaning: true, note: null, entries_without_embedding: 0 };

const g = globalThis as Record<string, unknown>;
let component: ReturnType<typeof mount> | null = null;

/** The backend: matching_status answers `status()` (called each time); `extra` answers other commands. */
function backend(status: () => MatchingStatus, extra: (cmd: string, args?: Record<string, unknown>) => unknown = () => undefined) {
  invoke.mockImplementation(async (cmd: string, args?: Record<string, unknown>) => {
    if (cmd === "app_state") return STATE;
    if (cmd === "app_ready") return null;
    if (cmd === "matching_status") return status();
    if (cmd === "library_search") return [];
    const r = extra(cmd, args);
    if (r !== undefined) return r;
    throw `unexpected command ${cmd}`;
  });
}

const $ = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const calls = (cmd: string) => invoke.mock.calls.filter((c) => c[0] === cmd);
const emit = (p: Progress) => {
  for (const h of progressHandlers) h({ payload: p });
  flushSync();
};

async function start() {
  component = mount(App, { target: document.body });
  await vi.waitFor(() => expect(calls("matching_status")).toHaveLength(1));
  await new Promise((r) => setTimeout(r, 0));
  flushSync();
}

beforeEach(() => {
  g.__TAURI_INTERNALS__ = {};
  invoke.mockReset();
  progressHandlers = [];
  app.info = null;
  app.loaded = false;
  app.screen = "home";
  app.notices = [];
  matching.reset();
});
afterEach(() => {
  if (component) unmount(component);
  component = null;
  document.body.innerHTML = "";
  delete g.__TAURI_INTERNALS__;
});

describe("the matching banner", () => {
  it("asks matching_status once, after the first screen showed", async () => {
    backend(() => READY);
    await start();
    const order = invoke.mock.calls.map((c) => c[0]);
    expect(order.slice(0, 3)).toEqual(["app_state", "app_ready", "matching_status"]);
    // Moving between screens does not ask again.
    $("nav-library")!.click();
    $("nav-home")!.click();
    await new Promise((r) => setTimeout(r, 20));
    expect(calls("matching_status")).toHaveLength(1);
  });

  it("shows the backend's note, as text, when suggestions do not match by meaning", async () => {
    backend(() => ABSENT);
    await start();
    await vi.waitFor(() => expect($("matching-banner")).not.toBeNull());
    expect($("matching-banner")!.textContent).toContain("Suggestions match by shared words only.");
    expect($("matching-note")!.textContent).toBe(NOTE);
    expect($("matching-note")!.querySelector("b")).toBeNull(); // never HTML
    expect($("embed-notice")).toBeNull();
    expect($("error-banner")).toBeNull();
  });

  it("does not show when suggestions match by meaning", async () => {
    backend(() => READY);
    await start();
    expect($("matching-banner")).toBeNull();
    expect($("embed-notice")).toBeNull(); // nothing to embed either
  });

  it("× dismisses it for the session, even when the status is asked again", async () => {
    backend(() => ABSENT);
    await start();
    await vi.waitFor(() => expect($("matching-banner")).not.toBeNull());
    $("matching-banner-dismiss")!.click();
    flushSync();
    expect($("matching-banner")).toBeNull();
    await matching.changed(); // e.g. after an import
    flushSync();
    expect(calls("matching_status")).toHaveLength(2);
    expect($("matching-banner")).toBeNull();
  });

  it("a failing matching_status shows nothing (suggestions work as before)", async () => {
    backend(() => {
      throw "the library is busy";
    });
    await start();
    expect($("matching-banner")).toBeNull();
    expect($("embed-notice")).toBeNull();
    expect($("error-banner")).toBeNull();
  });
});

describe("the Embed N entries notice", () => {
  it("runs library_embed with its progress; Cancel calls library_embed_cancel; then the status is asked again", async () => {
    let status: MatchingStatus = { by_meaning: true, note: null, entries_without_embedding: 400 };
    let finish: (o: EmbedOutcome) => void = () => {};
    backend(
      () => status,
      (cmd) => {
        if (cmd === "library_embed") return new Promise<EmbedOutcome>((r) => (finish = r));
        if (cmd === "library_embed_cancel") return null;
        return undefined;
      },
    );
    await start();
    await vi.waitFor(() => expect($("embed-notice")).not.toBeNull());
    expect($("embed-notice-text")!.textContent).toContain("400 library entries do not match by meaning yet");
    expect($("embed-start")!.textContent).toBe("Embed 400 entries");
    $("embed-start")!.click();
    await vi.waitFor(() => expect(calls("library_embed")).toHaveLength(1));
    await vi.waitFor(() => expect($("embed-cancel")).not.toBeNull());
    emit({ task: "embed", done: 120, total: 400, message: "matching by meaning: 120 of 400 questions embedded" });
    expect($("embed-notice")!.querySelector('[data-testid="progress-label"]')!.textContent!.trim()).toBe("Matching by meaning: 120 of 400 questions");
    expect($("embed-start")).toBeNull();

    $("embed-cancel")!.click();
    await vi.waitFor(() => expect(calls("library_embed_cancel")).toHaveLength(1));
    flushSync();
    expect($("embed-cancel")!.textContent!.trim()).toBe("Stopping…");
    expect(($("embed-cancel") as HTMLButtonElement).disabled).toBe(true);

    status = { ...status, entries_without_embedding: 280 };
    finish({ missing: 400, embedded: 120, cancelled: true, secs: 2.5 });
    await vi.waitFor(() => expect(calls("matching_status")).toHaveLength(2));
    await vi.waitFor(() => expect($("embed-start")?.textContent).toBe("Embed 280 entries"));
    expect($("notice")!.textContent).toContain("Stopped after 120 entries; 280 entries still match by shared words only");
    expect(progressHandlers).toHaveLength(0); // stopped listening
  });

  it("disappears once everything is embedded", async () => {
    let status: MatchingStatus = { by_meaning: true, note: null, entries_without_embedding: 3 };
    backend(
      () => status,
      (cmd) => {
        if (cmd !== "library_embed") return undefined;
        status = { ...status, entries_without_embedding: 0 };
        return { missing: 3, embedded: 3, cancelled: false, secs: 0.2 };
      },
    );
    await start();
    await vi.waitFor(() => expect($("embed-start")?.textContent).toBe("Embed 3 entries"));
    $("embed-start")!.click();
    await vi.waitFor(() => expect($("embed-notice")).toBeNull());
    expect($("notice")!.textContent).toContain("Embedded 3 entries in 0.2 s");
  });

  it("× hides it until the number changes", async () => {
    backend(() => ({ by_meaning: true, note: null, entries_without_embedding: 12 }));
    await start();
    await vi.waitFor(() => expect($("embed-notice")).not.toBeNull());
    $("embed-dismiss")!.click();
    flushSync();
    expect($("embed-notice")).toBeNull();
    expect(calls("library_embed")).toHaveLength(0);
  });
});

describe("the embed step of a library import", () => {
  it("shows “Matching by meaning: …” with a Cancel that calls library_embed_cancel", async () => {
    let finish: (r: ImportResult[]) => void = () => {};
    backend(
      () => READY,
      (cmd) => {
        if (cmd === "library_import") return new Promise<ImportResult[]>((r) => (finish = r));
        if (cmd === "library_embed_cancel") return null;
        return undefined;
      },
    );
    await start();
    $("nav-library")!.click();
    flushSync();
    $("library-tab-import")!.click();
    flushSync();
    const input = $("library-import-path") as HTMLInputElement;
    input.value = "/home/ana/acme-2024.xlsx";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    $("library-import-button")!.click();
    await vi.waitFor(() => expect(calls("library_import")).toHaveLength(1));
    await vi.waitFor(() => expect(progressHandlers.length).toBeGreaterThan(0));

    emit({ task: "import", done: 0, total: 1, message: "importing acme-2024.xlsx" });
    expect($("progress-label")!.textContent).toContain("importing acme-2024.xlsx");
    expect($("library-import-embed-cancel")).toBeNull(); // nothing to cancel while reading files

    emit({ task: "embed", done: 120, total: 400, message: "matching by meaning: 120 of 400 questions embedded" });
    expect($("progress-label")!.textContent!.trim()).toBe("Matching by meaning: 120 of 400 questions");
    $("library-import-embed-cancel")!.click();
    await vi.waitFor(() => expect(calls("library_embed_cancel")).toHaveLength(1));
    flushSync();
    expect($("library-import-embed-cancel")!.textContent!.trim()).toBe("Stopping…");

    finish([{ path: "/home/ana/acme-2024.xlsx", error: null, report: { file: "acme-2024.xlsx", sha256: "", already_imported: null, questions: 400, answered: 400, added: 400, merged: 0, unchanged: 0, conflicting: 0, unanswered: 0 } }]);
    await vi.waitFor(() => expect($("library-import-results")).not.toBeNull());
    await vi.waitFor(() => expect(calls("matching_status")).toHaveLength(2)); // asked again: the notice offers the rest
    expect($("library-import-embed-cancel")).toBeNull();
  });

  it("an embed step that could not run leaves its sentence under the import", async () => {
    let finish: (r: ImportResult[]) => void = () => {};
    backend(
      () => READY,
      (cmd) => (cmd === "library_import" ? new Promise<ImportResult[]>((r) => (finish = r)) : undefined),
    );
    await start();
    $("nav-library")!.click();
    flushSync();
    $("library-tab-import")!.click();
    flushSync();
    const input = $("library-import-path") as HTMLInputElement;
    input.value = "/home/ana/acme-2024.xlsx";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    $("library-import-button")!.click();
    await vi.waitFor(() => expect(progressHandlers.length).toBeGreaterThan(0));
    emit({ task: "embed", done: 0, total: 0, message: "the new entries will match by shared words only for now: disk full" });
    expect($("library-import-embed-cancel")).toBeNull();
    finish([]);
    await vi.waitFor(() => expect($("library-import-embed-note")).not.toBeNull());
    expect($("library-import-embed-note")!.textContent).toBe("The new entries will match by shared words only for now: disk full");
  });
});

describe("alternatives say why they were offered", () => {
  function show(alternatives: ReturnType<typeof alt>[]) {
    component = mount(ReviewDetail, {
      target: document.body,
      props: { item: item({ alternatives }), onaction: async () => true, ondone: () => {} },
    });
    flushSync();
    return [...document.querySelectorAll<HTMLElement>('[data-testid="alternative"]')];
  }

  it("under each alternative, in small muted text; none when empty", () => {
    const rows = show([
      alt("Yes", 0.9, { why: "similar meaning: 0.81; shared words: encryption, data" }),
      alt("No", 0.6, { why: "" }),
      alt("Partly", 0.4, { why: "same question" }),
    ]);
    const why = rows.map((r) => r.querySelector('[data-testid="alternative-why"]')?.textContent?.trim() ?? null);
    expect(why).toEqual(["similar meaning: 0.81; shared words: encryption, data", null, "same question"]);
    expect(rows[0].querySelector('[data-testid="alternative-why"] .faint')).not.toBeNull();
    expect(document.querySelector('[data-testid="alternative-why-warning"]')).toBeNull();
  });

  it("“but asks about another …” is styled as a warning", () => {
    const rows = show([alt("Yes", 0.7, { why: "shared words: backup; but asks about another data state: at rest vs in transit" })]);
    const line = rows[0].querySelector('[data-testid="alternative-why"]')!;
    expect(line.textContent!.trim()).toBe("shared words: backup; but asks about another data state: at rest vs in transit");
    const warn = line.querySelector('[data-testid="alternative-why-warning"]')!;
    expect(warn.textContent).toBe("but asks about another data state: at rest vs in transit");
    expect(warn.classList.contains("why-warn")).toBe(true);
  });

  it("is text, never HTML", () => {
    const rows = show([alt("Yes", 0.7, { why: 'shared words: <img src=x onerror="alert(1)">' })]);
    const line = rows[0].querySelector('[data-testid="alternative-why"]')!;
    expect(line.querySelector("img")).toBeNull();
    expect(line.textContent!.trim()).toBe('shared words: <img src=x onerror="alert(1)">');
  });
});
