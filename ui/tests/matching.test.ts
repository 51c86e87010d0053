// Matching by meaning: the pure helpers (lib/matching.ts), the api wrappers' command names, and
// the dev mock's matching_status / library_embed / library_embed_cancel.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...a: unknown[]) => invoke(...a) }));
vi.mock("@tauri-apps/api/event", () => ({ listen: async () => () => {} }));
vi.mock("@tauri-apps/api/webview", () => ({ getCurrentWebview: () => ({ onDragDropEvent: async () => () => {} }) }));
vi.mock("@tauri-apps/plugin-dialog", () => ({ open: vi.fn(), save: vi.fn() }));
vi.mock("@tauri-apps/plugin-opener", () => ({ revealItemInDir: vi.fn() }));

import * as api from "../src/lib/api";
import { embedLabel, embedOutcomeText, embedProgressText, formatSecs, isEmbedProgress, splitWhy } from "../src/lib/matching";
import { createMockBackend, MOCK_NO_MODEL_NOTE } from "../src/dev/mock";
import type { EmbedOutcome, ImportResult, MatchingStatus, Progress } from "../src/lib/types";

const g = globalThis as Record<string, unknown>;
beforeEach(() => {
  g.__TAURI_INTERNALS__ = {};
  invoke.mockReset();
});
afterEach(() => {
  delete g.__TAURI_INTERNALS__;
});

describe("why an alternative was offered", () => {
  it("keeps a plain reason whole", () => {
    expect(splitWhy("similar meaning: 0.81; shared words: encryption, data")).toEqual({ plain: "similar meaning: 0.81; shared words: encryption, data", warning: null });
    expect(splitWhy("same question")).toEqual({ plain: "same question", warning: null });
  });
  it("splits off “but asks about another …” as the warning", () => {
    expect(splitWhy("shared words: backup; but asks about another data state: at rest vs in transit")).toEqual({
      plain: "shared words: backup",
      warning: "but asks about another data state: at rest vs in transit",
    });
    expect(splitWhy("But asks about another report: SOC 1 vs SOC 2")).toEqual({ plain: "", warning: "But asks about another report: SOC 1 vs SOC 2" });
  });
  it("empty (reviews saved before) and missing give nothing", () => {
    expect(splitWhy("")).toEqual({ plain: "", warning: null });
    expect(splitWhy(undefined)).toEqual({ plain: "", warning: null });
  });
});

describe("embedding words", () => {
  const p = (done: number, total: number, message = "matching by meaning: x"): Progress => ({ task: "embed", done, total, message });
  it("progress reads as questions matched by meaning", () => {
    expect(embedProgressText(p(120, 400))).toBe("Matching by meaning: 120 of 400 questions");
    expect(embedProgressText(p(0, 0, "the new entries will match by shared words only for now: disk full"))).toBe(
      "The new entries will match by shared words only for now: disk full",
    );
    expect(isEmbedProgress(p(1, 2))).toBe(true);
    expect(isEmbedProgress({ task: "import", done: 1, total: 2, message: "" })).toBe(false);
    expect(isEmbedProgress(null)).toBe(false);
  });
  it("the button and the outcome", () => {
    expect(embedLabel(1)).toBe("Embed 1 entry");
    expect(embedLabel(240)).toBe("Embed 240 entries");
    const o = (over: Partial<EmbedOutcome>): EmbedOutcome => ({ missing: 240, embedded: 240, cancelled: false, secs: 3.24, ...over });
    expect(embedOutcomeText(o({}))).toBe("Embedded 240 entries in 3.2 s: suggestions now match them by meaning.");
    expect(embedOutcomeText(o({ embedded: 64, cancelled: true }))).toBe(
      "Stopped after 64 entries; 176 entries still match by shared words only (you can embed them later).",
    );
    expect(embedOutcomeText(o({ missing: 0, embedded: 0 }))).toBe("Every library entry already matches by meaning.");
    expect(embedOutcomeText(null)).toMatch(/shared words only/);
    expect([formatSecs(0.42), formatSecs(12.6), formatSecs(125), formatSecs(120)]).toEqual(["0.4 s", "13 s", "2 min 5 s", "2 min"]);
  });
});

describe("commands", () => {
  it("use the contract's names, without arguments", async () => {
    const status: MatchingStatus = { by_meaning: true, note: null, entries_without_embedding: 3 };
    invoke.mockResolvedValueOnce(status).mockResolvedValueOnce(null).mockResolvedValueOnce(null);
    expect(await api.matchingStatus()).toEqual(status);
    expect(await api.libraryEmbed()).toBeNull();
    await api.libraryEmbedCancel();
    expect(invoke.mock.calls).toEqual([["matching_status", undefined], ["library_embed", undefined], ["library_embed_cancel", undefined]]);
  });
});

describe("the dev mock", () => {
  /** The mock with a spy on its progress events. */
  async function mockWithProgress(opts: Parameters<typeof createMockBackend>[0]) {
    const mock = createMockBackend({ locked: false, ...opts });
    const seen: Progress[] = [];
    await mock.listen<Progress>("progress", (p) => seen.push(p));
    return { mock, seen };
  }

  it("matches by meaning with nothing to embed by default", async () => {
    const mock = createMockBackend({ locked: false });
    expect(await mock.invoke("matching_status")).toEqual({ by_meaning: true, note: null, entries_without_embedding: 0 });
  });

  it("can be without the model, with the note saying why; library_embed is then null", async () => {
    const mock = createMockBackend({ locked: false, matching: { by_meaning: false } });
    expect(await mock.invoke("matching_status")).toEqual({ by_meaning: false, note: MOCK_NO_MODEL_NOTE, entries_without_embedding: 0 });
    expect(MOCK_NO_MODEL_NOTE).toMatch(/^no sentence-embedding model found .*Install the model with scripts\/model\.sh$/);
    expect(await mock.invoke("library_embed")).toBeNull();
    const custom = createMockBackend({ locked: false, matching: { by_meaning: false, note: "the model is damaged" } });
    expect((await custom.invoke<MatchingStatus>("matching_status")).note).toBe("the model is damaged");
  });

  it("library_embed emits embed progress and embeds what was missing", async () => {
    const { mock, seen } = await mockWithProgress({ matching: { missing: 40 } });
    const out = await mock.invoke<EmbedOutcome>("library_embed");
    expect(out).toMatchObject({ missing: 40, embedded: 40, cancelled: false });
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.every((p) => p.task === "embed" && p.total === 40)).toBe(true);
    expect(seen[seen.length - 1].done).toBe(40);
    expect((await mock.invoke<MatchingStatus>("matching_status")).entries_without_embedding).toBe(0);
  });

  it("library_embed_cancel stops it, keeping what was done", async () => {
    const { mock, seen } = await mockWithProgress({ matching: { missing: 80 } });
    const running = mock.invoke<EmbedOutcome>("library_embed");
    await vi.waitFor(() => expect(seen.length).toBeGreaterThan(0));
    await mock.invoke("library_embed_cancel");
    const out = await running;
    expect(out.cancelled).toBe(true);
    expect(out.embedded).toBeLessThan(80);
    expect((await mock.invoke<MatchingStatus>("matching_status")).entries_without_embedding).toBe(80 - out.embedded);
  });

  it("library_import embeds its new entries after the files (task embed after import)", async () => {
    const { mock, seen } = await mockWithProgress({});
    const [r] = await mock.invoke<ImportResult[]>("library_import", { paths: ["/home/dev/acme-2024.xlsx"] });
    expect(r.error).toBeNull();
    const tasks = [...new Set(seen.map((p) => p.task))];
    expect(tasks).toEqual(["import", "embed"]);
    expect(seen[seen.length - 1]).toMatchObject({ task: "embed", done: r.report!.added, total: r.report!.added });
  });
});
