// @vitest-environment happy-dom
// The Library after a team sync: the answers list searches again (pulled rows change it) and the
// app's figures (entries, conflicting answers) are read again.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { flushSync, mount, tick, unmount } from "svelte";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...a: unknown[]) => invoke(...a) }));
vi.mock("@tauri-apps/api/event", () => ({ listen: async () => () => {} }));

import Answers from "../src/screens/library/Answers.svelte";
import TeamSync from "../src/components/TeamSync.svelte";
import { app } from "../src/lib/app.svelte";
import type { Entry, SyncReport, SyncStatus } from "../src/lib/types";

const entry = (id: number, answer: string): Entry => ({
  id, question: `Question ${id}?`, answer, answer_raw: answer, comment: "", domain: "", tags: [], owner: "", last_reviewed: null, review_by: "",
  status: "draft", created_at: "", updated_at: "", stale: false, conflict: false, provenance: [],
});
const STATUS: SyncStatus = {
  linked: true, server: "postgres://ana@db/quire", login: "ana", joined_at: "2026-12-01T09:00:00Z", last_sync_at: null, last_pulled: 0, last_error: null,
  waiting: 0, refused: [], conflicts: 0, field_conflicts: 0, skipped: 0,
};
const REPORT: SyncReport = { server: "postgres://ana@db/quire", login: "ana", role: "contributor", pulled: 2, fetched: 2, pushed: 0, last_pulled: 9, conflicts: [], refused: [], skipped: [], waiting: 0, rewound: null };

let mounted: ReturnType<typeof mount>[] = [];
const settle = async () => {
  for (let i = 0; i < 6; i++) {
    await tick();
    await new Promise((r) => setTimeout(r, 0));
  }
  flushSync();
};
const texts = (id: string) => [...document.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)].map((e) => e.textContent ?? "");

let hits: Entry[] = [];
let appStates = 0;
beforeEach(() => {
  (globalThis as Record<string, unknown>).__TAURI_INTERNALS__ = {}; // the app's window, not the browser preview
  invoke.mockReset();
  appStates = 0;
  app.teamSyncs = 0;
  invoke.mockImplementation(async (cmd: string) => {
    switch (cmd) {
      case "library_search": return hits;
      case "library_entry": return { entry: hits[0], history: [], evidence: [] };
      case "team_status": return STATUS;
      case "team_sync": return REPORT;
      case "app_state":
        appStates += 1;
        return { version: "0.1.0", library_path: "/l.sqlite", user: "ana", locked: false, encrypted: false, entries: hits.length, evidence: 0, conflicts: 1, demo_entries: 0, sample_questionnaire: null };
      default: return null;
    }
  });
});
afterEach(() => {
  for (const m of mounted) unmount(m);
  mounted = [];
  document.body.innerHTML = "";
});

describe("Library after a team sync", () => {
  it("searches again and reads the app's figures again", async () => {
    hits = [entry(1, "Yes")];
    mounted.push(mount(Answers, { target: document.body }));
    const line = document.createElement("div");
    document.body.appendChild(line);
    mounted.push(mount(TeamSync, { target: line, props: { offerJoin: false } }));
    await settle();
    expect(texts("library-result").join(" ")).toContain("Question 1?");
    expect(texts("library-result").join(" ")).not.toContain("Question 2?");

    hits = [entry(1, "Partial"), entry(2, "No")];
    (document.querySelector('[data-testid="team-sync"]') as HTMLButtonElement).click();
    await settle();
    expect(invoke.mock.calls.filter((c) => c[0] === "library_search")).toHaveLength(2);
    expect(texts("library-result").join(" ")).toContain("Question 2?");
    expect(appStates).toBe(1);
    expect(app.info?.conflicts).toBe(1);
  });
});
