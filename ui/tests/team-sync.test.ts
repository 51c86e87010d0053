// @vitest-environment happy-dom
// The team library's line on the Library screen: hidden for a library that is not linked; for a
// linked one the server, login, last sync and changes waiting, "Sync now" with its result, and a
// server that cannot be reached shown as offline (the changes wait); the embedding of what a sync
// pulled shown with its progress and a Cancel.
import { afterEach, describe, expect, it, vi } from "vitest";
import { flushSync, mount, tick, unmount } from "svelte";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...a: unknown[]) => invoke(...a) }));
let progress: ((e: { payload: unknown }) => void) | null = null;
vi.mock("@tauri-apps/api/event", () => ({
  listen: async (_: string, cb: (e: { payload: unknown }) => void) => {
    progress = cb;
    return () => {
      progress = null;
    };
  },
}));
vi.mock("@tauri-apps/api/webview", () => ({ getCurrentWebview: () => ({ onDragDropEvent: async () => () => {} }) }));
vi.mock("@tauri-apps/plugin-dialog", () => ({ open: vi.fn(), save: vi.fn() }));
vi.mock("@tauri-apps/plugin-opener", () => ({ revealItemInDir: vi.fn() }));

import TeamSync from "../src/components/TeamSync.svelte";
import type { SyncReport, SyncStatus } from "../src/lib/types";

(globalThis as Record<string, unknown>).__TAURI_INTERNALS__ = {};

const UNLINKED: SyncStatus = { linked: false, server: null, login: null, joined_at: null, last_sync_at: null, last_pulled: 0, last_error: null, waiting: 0, refused: [], conflicts: 0, field_conflicts: 0, skipped: 0 };
const LINKED: SyncStatus = { ...UNLINKED, linked: true, server: "postgres://ana@db.example.org/quire", login: "ana", last_sync_at: "2026-12-02T09:15:03.123Z", last_pulled: 120, waiting: 3, conflicts: 1 };
const REPORT: SyncReport = { server: "postgres://ana@db.example.org/quire", login: "ana", role: "contributor", pulled: 4, fetched: 4, pushed: 3, last_pulled: 130, conflicts: [], refused: [], skipped: [], waiting: 0, rewound: null };

let component: ReturnType<typeof mount> | null = null;
const $ = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const settle = async () => {
  for (let i = 0; i < 5; i++) {
    await tick();
    await new Promise((r) => setTimeout(r, 0));
  }
  flushSync();
};

afterEach(() => {
  if (component) unmount(component);
  component = null;
  document.body.innerHTML = "";
  invoke.mockReset();
});

describe("TeamSync", () => {
  it("offers to join for a library that is not linked, and joins", async () => {
    let status = UNLINKED;
    invoke.mockImplementation(async (cmd: string, args?: Record<string, unknown>) => {
      if (cmd === "team_status") return status;
      if (cmd === "team_join") {
        expect(args).toEqual({ url: "postgres://ana@db.example.org/quire", password: "s3cret" });
        status = LINKED;
        return { ...REPORT, pulled: 412, pushed: 0 };
      }
      throw `unexpected ${cmd}`;
    });
    component = mount(TeamSync, { target: document.body });
    await settle();
    expect($("team-status")).toBeNull();
    expect($("team-join")).not.toBeNull();
    expect(invoke.mock.calls.map((c) => c[0])).toEqual(["team_status"]);
    const set = (id: string, v: string) => {
      const el = $(id) as HTMLInputElement;
      el.value = v;
      el.dispatchEvent(new Event("input", { bubbles: true }));
    };
    set("team-join-url", "  postgres://ana@db.example.org/quire ");
    set("team-join-password", "s3cret");
    flushSync();
    $("team-join-button")!.click();
    await settle();
    expect($("team-status")?.textContent).toContain("as ana");
    expect($("team-result")?.textContent).toContain("Pulled 412, pushed 0.");
    expect($("team-join")).toBeNull();
  });

  it("a join the server refuses says why and keeps the form", async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === "team_status") return UNLINKED;
      if (cmd === "team_join") throw { code: "team.failed", message: "team library postgres://ana@db.example.org/quire: password authentication failed" };
      throw `unexpected ${cmd}`;
    });
    component = mount(TeamSync, { target: document.body });
    await settle();
    const el = $("team-join-url") as HTMLInputElement;
    el.value = "postgres://ana@db.example.org/quire";
    el.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    $("team-join-button")!.click();
    await settle();
    expect($("team-error")?.textContent).toContain("password authentication failed");
    expect($("team-join")).not.toBeNull();
  });

  it("shows where the library syncs and syncs on request", async () => {
    let status = LINKED;
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === "team_status") return status;
      if (cmd === "team_sync") {
        status = { ...LINKED, waiting: 0, last_sync_at: "2026-12-02T10:00:00Z", field_conflicts: 2 };
        return REPORT;
      }
      if (cmd === "app_state") return null; // the figures are read again after a sync
      throw `unexpected ${cmd}`;
    });
    component = mount(TeamSync, { target: document.body });
    await settle();
    expect($("team-kept-aside")).toBeNull();
    expect($("team-status")?.textContent).toContain("postgres://ana@db.example.org/quire");
    expect($("team-status")?.textContent).toContain("2026-12-02 09:15:03 UTC");
    expect($("team-waiting")?.textContent).toBe("3 changes waiting");
    $("team-sync")!.click();
    await settle();
    expect($("team-result")?.textContent).toContain("Pulled 4, pushed 3.");
    expect($("team-waiting")?.textContent).toBe("0 changes waiting");
    expect($("team-kept-aside")?.textContent).toBe("2 kept aside");
    expect($("team-offline")).toBeNull();
  });

  it("says offline when the server cannot be reached, and the changes wait", async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === "team_status") return LINKED;
      if (cmd === "team_sync") throw { code: "team.failed", message: "team library postgres://ana@db.example.org/quire: cannot connect (connection refused)" };
      throw `unexpected ${cmd}`;
    });
    component = mount(TeamSync, { target: document.body });
    await settle();
    $("team-sync")!.click();
    await settle();
    expect($("team-offline")?.textContent).toBe("offline");
    expect($("team-error")?.textContent).toContain("your changes wait");
    expect($("team-error")?.textContent).toContain("connection refused");
    expect($("team-waiting")?.textContent).toBe("3 changes waiting");
  });

  it("shows the embedding of what a sync pulled, and cancels it", async () => {
    let finish: (r: SyncReport) => void = () => {};
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === "team_status") return LINKED;
      if (cmd === "team_sync") {
        progress?.({ payload: { task: "embed", done: 120, total: 400, message: "matching by meaning: 120 of 400 questions embedded" } });
        return new Promise<SyncReport>((resolve) => (finish = resolve));
      }
      if (cmd === "library_embed_cancel") return null;
      if (cmd === "app_state") return null;
      throw `unexpected ${cmd}`;
    });
    component = mount(TeamSync, { target: document.body });
    await settle();
    expect($("team-embedding")).toBeNull();
    $("team-sync")!.click();
    await settle();
    expect($("team-embedding")?.textContent).toContain("Matching by meaning: 120 of 400 questions");
    $("team-embed-cancel")!.click();
    await settle();
    expect(invoke.mock.calls.map((c) => c[0])).toContain("library_embed_cancel");
    expect($("team-embed-cancel")?.textContent).toBe("Stopping…");
    finish({ ...REPORT, pulled: 400 });
    await settle();
    expect($("team-embedding")).toBeNull();
    expect($("team-result")?.textContent).toContain("Pulled 400, pushed 3.");
  });
});
