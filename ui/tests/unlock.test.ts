// @vitest-environment happy-dom
// The encrypted library as a person meets it: the whole App is mounted (Svelte's client runtime in
// happy-dom) over a spy of Tauri's invoke, so the screens see exactly what the backend answers.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { flushSync, mount, unmount } from "svelte";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...a: unknown[]) => invoke(...a) }));
vi.mock("@tauri-apps/api/event", () => ({ listen: async () => () => {} }));
vi.mock("@tauri-apps/api/webview", () => ({ getCurrentWebview: () => ({ onDragDropEvent: async () => () => {} }) }));
vi.mock("@tauri-apps/plugin-dialog", () => ({ open: vi.fn() }));
vi.mock("@tauri-apps/plugin-opener", () => ({ revealItemInDir: vi.fn() }));

import App from "../src/App.svelte";
import { app } from "../src/lib/app.svelte";
import type { AppState } from "../src/lib/types";

const PATH = "/home/ana/.local/share/quire/library.sqlite";
const WRONG = `answer library ${PATH}: the passphrase is wrong (or the file is not a Quire library); nothing was changed, try again`;
const BADGE_TITLE = "This library is encrypted at rest (AES-256)";

const LOCKED: AppState = {
  version: "0.1.0", library_path: PATH, user: "ana", locked: true, encrypted: true,
  entries: 0, evidence: 0, conflicts: 0, demo_entries: 0, sample_questionnaire: null,
};
const OPEN: AppState = {
  ...LOCKED, locked: false, entries: 412, evidence: 3, conflicts: 2, demo_entries: 412,
  sample_questionnaire: "/home/ana/.local/share/quire/demo/customer-questionnaire-2026.xlsx",
};

const g = globalThis as Record<string, unknown>;
let component: ReturnType<typeof mount> | null = null;
/** What the window showed when it called app_ready (the cold-start benchmark stops there). */
let shownAtReady: string[] = [];

/** The backend: `state` is what app_state answers; library_unlock takes `secret`. */
function backend(state: AppState, secret = "tide pool 42", unlocked: AppState = OPEN) {
  invoke.mockImplementation(async (cmd: string, args?: Record<string, unknown>) => {
    if (cmd === "app_state") return state;
    if (cmd === "app_ready") {
      shownAtReady = ["unlock-screen", "home-stats", "unlock-passphrase"].filter((id) => $(id) !== null);
      return null;
    }
    if (cmd === "library_unlock") {
      if (args?.passphrase === "") throw "the passphrase is empty; type the library's passphrase";
      if (args?.passphrase !== secret) throw WRONG;
      return unlocked;
    }
    throw "the library is encrypted and still locked: enter its passphrase first";
  });
}

const $ = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const calls = (cmd: string) => invoke.mock.calls.filter((c) => c[0] === cmd);

async function start() {
  component = mount(App, { target: document.body });
  await vi.waitFor(() => expect(calls("app_ready")).toHaveLength(1));
  flushSync();
}

function type(text: string) {
  const input = $("unlock-passphrase") as HTMLInputElement;
  input.value = text;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  flushSync();
}

beforeEach(() => {
  g.__TAURI_INTERNALS__ = {};
  invoke.mockReset();
  shownAtReady = [];
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

describe("a locked, encrypted library", () => {
  it("shows the unlock screen instead of Home, and calls app_ready once it shows", async () => {
    backend(LOCKED);
    await start();
    expect($("unlock-screen")).not.toBeNull();
    expect($("home-stats")).toBeNull();
    expect($("nav-home")).toBeNull(); // no navigation into a library that cannot be read
    expect($("unlock-path")?.textContent).toBe(PATH);
    const input = $("unlock-passphrase") as HTMLInputElement;
    expect(input.type).toBe("password");
    expect(input.getAttribute("autocomplete")).toBe("off");
    expect(document.querySelector('label[for="unlock-passphrase"]')?.textContent).toBe("Passphrase");
    expect(document.activeElement).toBe(input);
    expect($("unlock-submit")?.textContent).toBe("Unlock");
    expect($("unlock-hint")?.textContent).toMatch(/lost passphrase cannot be recovered.*quire library decrypt\|rekey/);
    expect($("encrypted-badge")).toBeNull();
    // app_ready came once the unlock screen (with its field) was on screen, app_state before it.
    expect(invoke.mock.calls.map((c) => c[0])).toEqual(["app_state", "app_ready"]);
    expect(shownAtReady).toEqual(["unlock-screen", "unlock-passphrase"]);
  });

  it("a wrong passphrase shows the backend's message and stays, the text selected for retyping", async () => {
    backend(LOCKED);
    await start();
    type("tide pool 41");
    $("unlock-submit")!.click();
    await vi.waitFor(() => expect($("unlock-error")?.textContent).toBe(WRONG));
    expect(calls("library_unlock")).toEqual([["library_unlock", { passphrase: "tide pool 41" }]]);
    expect($("unlock-screen")).not.toBeNull();
    expect($("home-stats")).toBeNull();
    expect($("error-banner")).toBeNull(); // the message is under the field, not in the banner
    const input = $("unlock-passphrase") as HTMLInputElement;
    await vi.waitFor(() => expect(document.activeElement).toBe(input));
    expect([input.selectionStart, input.selectionEnd]).toEqual([0, "tide pool 41".length]);
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(($("unlock-submit") as HTMLButtonElement).disabled).toBe(false);
    expect($("unlock-submit")?.textContent).toBe("Unlock");
  });

  it("an empty passphrase is answered by the backend's sentence", async () => {
    backend(LOCKED);
    await start();
    $("unlock-submit")!.click();
    await vi.waitFor(() => expect($("unlock-error")?.textContent).toBe("the passphrase is empty; type the library's passphrase"));
    expect($("unlock-screen")).not.toBeNull();
  });

  it("says Unlocking… with the button disabled while the call runs, then shows Home with the fresh state", async () => {
    backend(LOCKED);
    let finish: (s: AppState) => void = () => {};
    const pending = new Promise<AppState>((r) => (finish = r));
    const answer = invoke.getMockImplementation()!;
    invoke.mockImplementation((cmd: string, args?: Record<string, unknown>) => (cmd === "library_unlock" ? pending : answer(cmd, args)));
    await start();
    type("tide pool 42");
    ($("unlock-screen")!.querySelector("form") as HTMLFormElement).requestSubmit(); // what Enter does
    await vi.waitFor(() => expect($("unlock-submit")?.textContent).toBe("Unlocking…"));
    expect(($("unlock-submit") as HTMLButtonElement).disabled).toBe(true);
    expect(($("unlock-passphrase") as HTMLInputElement).readOnly).toBe(true);
    // A second Enter while it runs sends nothing more.
    ($("unlock-screen")!.querySelector("form") as HTMLFormElement).requestSubmit();
    expect(calls("library_unlock")).toHaveLength(1);
    finish(OPEN);
    await vi.waitFor(() => expect($("home-stats")).not.toBeNull());
    expect($("unlock-screen")).toBeNull();
    expect($("home-stats")?.textContent).toContain("412");
    expect($("demo-panel")).not.toBeNull();
    expect($("nav-library")).not.toBeNull();
    expect(app.info).toEqual(OPEN);
    expect(calls("app_ready")).toHaveLength(1); // ready is the first screen only, not the unlock
  });

  it("the right passphrase after a wrong one opens the library", async () => {
    backend(LOCKED);
    await start();
    type("nope");
    $("unlock-submit")!.click();
    await vi.waitFor(() => expect($("unlock-error")).not.toBeNull());
    type("tide pool 42");
    $("unlock-submit")!.click();
    await vi.waitFor(() => expect($("home-stats")).not.toBeNull());
    expect($("unlock-error")).toBeNull();
    expect(calls("library_unlock").map((c) => c[1])).toEqual([{ passphrase: "nope" }, { passphrase: "tide pool 42" }]);
  });
});

describe("the Encrypted badge", () => {
  it("shows, with its title, once an encrypted library is open", async () => {
    backend(LOCKED);
    await start();
    type("tide pool 42");
    $("unlock-submit")!.click();
    await vi.waitFor(() => expect($("encrypted-badge")).not.toBeNull());
    expect($("encrypted-badge")?.textContent).toBe("Encrypted");
    expect($("encrypted-badge")?.getAttribute("title")).toBe(BADGE_TITLE);
  });

  it("shows for an encrypted library opened without the unlock screen", async () => {
    backend(OPEN);
    await start();
    expect($("home-stats")).not.toBeNull();
    expect($("unlock-screen")).toBeNull();
    expect($("encrypted-badge")?.getAttribute("title")).toBe(BADGE_TITLE);
  });

  it("does not show for a plain library", async () => {
    backend({ ...OPEN, encrypted: false });
    await start();
    expect(shownAtReady).toEqual(["home-stats"]); // as before encryption: ready = Home with its figures
    expect($("home-stats")).not.toBeNull();
    expect($("unlock-screen")).toBeNull();
    expect($("encrypted-badge")).toBeNull();
  });
});
