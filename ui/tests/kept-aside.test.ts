// @vitest-environment happy-dom
// Library → Conflicts, "Changed here and in the team library": what team syncs kept aside, shown
// side by side (yours | theirs, now in the library) and settled with "Keep mine" / "Keep theirs"
// through team_resolve_kept_aside, whose reply replaces the list; the core's refusal shows next to
// its value; a value whose row is gone can only be dropped; the list reloads after a team sync;
// the Library's Conflicts tab counts kept-aside values too. Svelte's client runtime in happy-dom
// over a spy of Tauri's invoke.
import { afterEach, describe, expect, it, vi } from "vitest";
import { flushSync, mount, tick, unmount } from "svelte";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...a: unknown[]) => invoke(...a) }));
vi.mock("@tauri-apps/api/event", () => ({ listen: async () => () => {} }));
vi.mock("@tauri-apps/api/webview", () => ({ getCurrentWebview: () => ({ onDragDropEvent: async () => () => {} }) }));
vi.mock("@tauri-apps/plugin-dialog", () => ({ open: vi.fn(), save: vi.fn() }));
vi.mock("@tauri-apps/plugin-opener", () => ({ revealItemInDir: vi.fn() }));

import Conflicts from "../src/screens/library/Conflicts.svelte";
import Library from "../src/screens/Library.svelte";
import { app } from "../src/lib/app.svelte";
import { keptAsideField, keptAsideKind, keptAsideLabel, keptAsideWho } from "../src/lib/library";
import type { AppState, Entry, KeptAside, SyncStatus } from "../src/lib/types";

(globalThis as Record<string, unknown>).__TAURI_INTERNALS__ = {};

const NOTES: KeptAside = {
  id: 3, table: "vendors", what: "vendor Acme Health", field: "notes",
  yours: "Asked for the HITRUST r2 report.\n<b>promised</b> by end of April", theirs: "HITRUST pending.",
  by: "ana", at: "2026-12-02T09:15:03Z", restorable: true,
};
const ANSWER: KeptAside = {
  id: 2, table: "review_items", what: "question 3 of customer.xlsx", field: "answer",
  yours: "Yes, AES-256 at rest; restores tested quarterly.", theirs: "Yes", by: "bruno", at: "2026-12-02T08:00:00Z", restorable: true,
};
const GONE: KeptAside = {
  id: 1, table: "comments", what: "a comment that is no longer here", field: "body",
  yours: "Legal should look at this first.", theirs: null, by: "carla", at: "2026-12-01T17:00:00Z", restorable: false,
};
const UNLINKED: SyncStatus = { linked: false, server: null, login: null, joined_at: null, last_sync_at: null, last_pulled: 0, last_error: null, waiting: 0, refused: [], conflicts: 0, field_conflicts: 0, skipped: 0 };
const LINKED: SyncStatus = { ...UNLINKED, linked: true, server: "postgres://ana@db.example.org/quire", login: "ana", last_sync_at: "2026-12-02T09:15:03Z" };
const ENTRY = (id: number, answer: string): Entry => ({
  id, question: "Do you encrypt backups?", answer, answer_raw: answer, comment: "", domain: "", tags: [], provenance: [], created_at: "2025-01-10T09:00:00Z", updated_at: "2025-01-10T09:00:00Z",
} as unknown as Entry);
const STATE: AppState = {
  version: "0.1.0", library_path: "/home/ana/library.sqlite", user: "ana", locked: false, encrypted: false,
  entries: 12, evidence: 0, conflicts: 2, demo_entries: 0, sample_questionnaire: null,
};

let component: ReturnType<typeof mount> | null = null;
const $ = (id: string, root: ParentNode = document) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const $$ = (id: string, root: ParentNode = document) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
const item = (id: number) => document.querySelector<HTMLElement>(`[data-testid="kept-aside-item"][data-id="${id}"]`)!;
const ids = () => $$("kept-aside-item").map((e) => Number(e.dataset.id));
const calls = (cmd: string) => invoke.mock.calls.filter((c) => c[0] === cmd);
const settle = async () => {
  for (let i = 0; i < 6; i++) {
    await tick();
    await new Promise((r) => setTimeout(r, 0));
  }
  flushSync();
};

/** The backend: the kept-aside list, team_status, and how team_resolve_kept_aside answers. */
function backend(opts: { list?: KeptAside[]; status?: SyncStatus; conflicts?: Entry[]; resolve?: (args: { id: number; keepMine: boolean }) => KeptAside[] } = {}) {
  let list = opts.list ?? [NOTES, ANSWER, GONE];
  invoke.mockImplementation(async (cmd: string, args?: Record<string, unknown>) => {
    if (cmd === "library_conflicts") return opts.conflicts ?? [];
    if (cmd === "team_status") return { ...(opts.status ?? UNLINKED), field_conflicts: list.length };
    if (cmd === "team_kept_aside") return list;
    if (cmd === "team_resolve_kept_aside") {
      const a = args as { id: number; keepMine: boolean };
      if (opts.resolve) return (list = opts.resolve(a));
      list = list.filter((k) => k.id !== a.id);
      return list;
    }
    if (cmd === "app_state") return STATE;
    if (cmd === "library_search") return [];
    if (cmd === "matching_status") return { by_meaning: true, note: null, entries_without_embedding: 0 };
    throw `unexpected command ${cmd}`;
  });
  return { set: (l: KeptAside[]) => (list = l) };
}

async function open(onkeptaside?: (n: number) => void) {
  component = mount(Conflicts, { target: document.body, props: { onkeptaside } });
  await settle();
}

afterEach(() => {
  if (component) unmount(component);
  component = null;
  document.body.innerHTML = "";
  invoke.mockReset();
  app.notices = [];
  app.info = null;
});

describe("kept-aside words", () => {
  it("names the kind of row, the field and who changed it", () => {
    expect(keptAsideKind("vendors")).toBe("Vendor");
    expect(keptAsideKind("review_items")).toBe("Review answer");
    expect(keptAsideKind("finding_status")).toBe("Finding");
    expect(keptAsideKind("entries")).toBe("Library entry");
    expect(keptAsideKind("something_new")).toBe("something new");
    expect(keptAsideField("baa_status")).toBe("baa status");
    // The label only when `what` does not say it already.
    expect(keptAsideLabel({ table: "vendors", what: "vendor Acme Health" })).toBeNull();
    expect(keptAsideLabel({ table: "comments", what: "a comment that is no longer here" })).toBeNull();
    expect(keptAsideLabel({ table: "review_items", what: "question 3 of customer.xlsx" })).toBe("Review answer");
    expect(keptAsideLabel({ table: "entries", what: "Do you encrypt backups?" })).toBe("Library entry");
    expect(keptAsideWho({ by: "ana", at: "2026-12-02" })).toBe("ana changed it in the team library; yours was kept aside 2026-12-02");
    expect(keptAsideWho({ by: " ", at: "" })).toBe("Someone changed it in the team library");
  });
});

describe("Library → Conflicts: changed here and in the team library", () => {
  it("shows each value kept aside with yours and theirs side by side, as text", async () => {
    backend();
    await open();
    expect($("kept-aside")).not.toBeNull();
    expect(ids()).toEqual([3, 2, 1]);
    const notes = item(3);
    expect(notes.textContent).toContain("vendor Acme Health");
    expect(notes.textContent).toContain("notes");
    expect(notes.textContent).toContain("ana changed it in the team library");
    const yours = $("kept-aside-yours", notes)!;
    const theirs = $("kept-aside-theirs", notes)!;
    // Both in one row of the same item, yours first, each under its label.
    expect(yours.parentElement!.parentElement).toBe(theirs.parentElement!.parentElement);
    expect(yours.parentElement!.textContent).toMatch(/^\s*Yours/);
    expect(theirs.parentElement!.textContent).toMatch(/^\s*Theirs \(now in the library\)/);
    expect(yours.compareDocumentPosition(theirs) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    // The whole text, line breaks kept, markup shown as text.
    expect(yours.textContent).toBe(NOTES.yours);
    expect(yours.querySelector("b")).toBeNull();
    expect(theirs.textContent).toBe("HITRUST pending.");
    expect($("kept-aside-theirs", item(2))!.textContent).toBe("Yes");
    expect($("kept-aside-theirs", item(1))!.textContent).toBe("(empty)");
  });

  it("Keep mine sends keepMine true and shows what is left", async () => {
    backend();
    const counts: number[] = [];
    await open((n) => counts.push(n));
    expect(counts).toEqual([3]);
    $("kept-aside-mine", item(3))!.click();
    await settle();
    expect(calls("team_resolve_kept_aside")).toEqual([["team_resolve_kept_aside", { id: 3, keepMine: true }]]);
    expect(ids()).toEqual([2, 1]);
    expect(counts).toEqual([3, 2]);
    expect(app.notices[app.notices.length - 1]?.text).toBe("Kept your notes; the next sync sends it to the team library.");
  });

  it("Keep theirs sends keepMine false, and the reply replaces the list", async () => {
    // The reply is what the core says is left, not a local guess: here another value came in too.
    const NEW: KeptAside = { ...ANSWER, id: 9, what: "vendor Globex", field: "service", yours: "Billing", theirs: "Claims" };
    backend({ resolve: () => [NEW, NOTES, GONE] });
    await open();
    $("kept-aside-theirs-button", item(2))!.click();
    await settle();
    expect(calls("team_resolve_kept_aside")).toEqual([["team_resolve_kept_aside", { id: 2, keepMine: false }]]);
    expect(ids()).toEqual([9, 3, 1]);
    expect($("kept-aside-yours", item(9))!.textContent).toBe("Billing");
  });

  it("shows the core's refusal next to its value and keeps it in the list", async () => {
    backend({
      resolve: ({ id, keepMine }) => {
        expect({ id, keepMine }).toEqual({ id: 2, keepMine: true });
        throw { code: "team.kept_aside.row_gone", message: "the review answer this value belonged to is no longer here, so it cannot be put back; keep theirs to clear it", detail: null };
      },
    });
    await open();
    $("kept-aside-mine", item(2))!.click();
    await settle();
    expect($("kept-aside-error", item(2))?.textContent).toBe("the review answer this value belonged to is no longer here, so it cannot be put back; keep theirs to clear it");
    expect($$("kept-aside-error")).toHaveLength(1);
    expect(ids()).toEqual([3, 2, 1]);
    // The buttons work again after the refusal.
    expect(($("kept-aside-theirs-button", item(2)) as HTMLButtonElement).disabled).toBe(false);
  });

  it("a value whose row is gone can only be dropped: Keep mine is disabled and says why", async () => {
    backend();
    await open();
    const mine = $("kept-aside-mine", item(1)) as HTMLButtonElement;
    expect(mine.disabled).toBe(true);
    expect(mine.title).toContain("no longer here");
    expect(($("kept-aside-mine", item(3)) as HTMLButtonElement).disabled).toBe(false);
    mine.click();
    await settle();
    expect(calls("team_resolve_kept_aside")).toHaveLength(0);
    const theirs = $("kept-aside-theirs-button", item(1)) as HTMLButtonElement;
    expect(theirs.disabled).toBe(false);
    theirs.click();
    await settle();
    expect(calls("team_resolve_kept_aside")).toEqual([["team_resolve_kept_aside", { id: 1, keepMine: false }]]);
    expect(ids()).toEqual([3, 2]);
  });

  it("reloads after a team sync", async () => {
    const b = backend({ list: [], status: LINKED });
    await open();
    expect($("kept-aside-empty")).not.toBeNull(); // linked: an empty list says so
    expect(ids()).toEqual([]);
    b.set([ANSWER]);
    app.teamSyncs += 1;
    await settle();
    expect(calls("team_kept_aside")).toHaveLength(2);
    expect(ids()).toEqual([2]);
    expect($("kept-aside-empty")).toBeNull();
  });

  it("shows no section for a library that is not linked and has nothing kept aside; the conflicting answers still show", async () => {
    backend({ list: [], conflicts: [ENTRY(4, "Yes"), ENTRY(5, "No")] });
    await open();
    expect($("kept-aside")).toBeNull();
    expect($$("conflict-group")).toHaveLength(1);
    expect($$("conflict-keep").map((b) => b.dataset.id)).toEqual(["4", "5"]);
  });

  it("the Library's Conflicts tab counts the values kept aside with the conflicting answers", async () => {
    backend();
    app.info = STATE; // 2 conflicting answers
    component = mount(Library, { target: document.body });
    await settle();
    expect($("library-tab-conflicts")?.textContent).toContain("5");
    $("library-tab-conflicts")!.click();
    await settle();
    expect(ids()).toEqual([3, 2, 1]);
    $("kept-aside-theirs-button", item(3))!.click();
    await settle();
    expect($("library-tab-conflicts")?.textContent).toContain("4");
  });
});
