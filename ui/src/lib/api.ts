// api.ts owns every call from the UI to the backend: Tauri commands (invoke), the `progress`
// event, the dialog and opener plugins and the webview's drag-and-drop event. Nothing else in
// the UI imports @tauri-apps/*. The contract is docs/app-commands.md.
//
// Every failure reaches callers as an `Error` whose message is readable text (commands reject
// with a string written for the user; anything else is mapped to a plain sentence).

import { invoke as tauriInvoke } from "@tauri-apps/api/core";
import { listen as tauriListen } from "@tauri-apps/api/event";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { open as dialogOpen, save as dialogSave } from "@tauri-apps/plugin-dialog";
import { revealItemInDir } from "@tauri-apps/plugin-opener";
import type {
  AppState,
  Assignment,
  AssignmentScope,
  AssessmentExportResult,
  AssessResult,
  EmbedOutcome,
  Entry,
  EntryDetail,
  EntryEdit,
  Evidence,
  ExportResult,
  FindingStatus,
  ImportResult,
  InspectReport,
  KeptAside,
  MatchingStatus,
  Progress,
  ReviewChange,
  ReviewComment,
  ReviewItem,
  ReviewSession,
  ReviewSummary,
  RubricInfo,
  RubricChoice,
  SavedAssessment,
  SaveResult,
  SheetOverride,
  SyncReport,
  SyncStatus,
  Vendor,
  VendorDetail,
  VendorSummary,
} from "./types";

/** Shown when the built UI is opened outside the Tauri window (e.g. in a browser). */
export const NOT_IN_APP = "Quire's window must be started by the app";

/** An error from the backend, with the message to show and the code when the backend gave one. */
/**
 * A command's error. Commands reject with `{ code, message, detail? }` (Rust's
 * `quire::ErrorReply`): `code` names the situation stably (e.g. "library.locked",
 * "file.encrypted_workbook"; see docs/app-commands.md), `message` is what to show, `detail` the
 * raw words behind it (the system's or a parser's), for a "details" line.
 */
export class ApiError extends Error {
  readonly code: string | null;
  readonly detail: string | null;
  constructor(message: string, code: string | null = null, detail: string | null = null) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.detail = detail;
  }
}

const FALLBACK = "The operation failed and gave no reason. Please try again.";

/**
 * Turns anything a command or plugin rejects with into an Error with readable text.
 * Strings (the contract) are used as they are; `{ message, code? }` objects and Errors keep
 * their message; anything else gets a plain sentence, never a dump of the value.
 */
export function toError(e: unknown): Error {
  if (e instanceof ApiError) return e;
  if (typeof e === "string") {
    const text = e.trim();
    return new ApiError(text === "" ? FALLBACK : text);
  }
  if (e instanceof Error) {
    const text = (e.message || "").trim();
    return new ApiError(text === "" ? FALLBACK : text);
  }
  if (e !== null && typeof e === "object") {
    const o = e as Record<string, unknown>;
    const code = typeof o.code === "string" ? o.code : null;
    const detail = typeof o.detail === "string" && o.detail.trim() !== "" ? o.detail.trim() : null;
    for (const key of ["message", "error", "msg"]) {
      const v = o[key];
      if (typeof v === "string" && v.trim() !== "") return new ApiError(v.trim(), code, detail);
    }
    return new ApiError(FALLBACK, code, detail);
  }
  if (typeof e === "number" || typeof e === "boolean") return new ApiError(`The operation failed (${String(e)}).`);
  return new ApiError(FALLBACK);
}

// ---------------------------------------------------------------------------------------------
// Backend selection: the real Tauri IPC, the dev-only mock, or an error.

/** What api.ts needs from a backend. The mock (dev only) implements the same. */
export interface Backend {
  invoke<T>(cmd: string, args?: Record<string, unknown>): Promise<T>;
  listen<T>(event: string, cb: (payload: T) => void): Promise<() => void>;
}

const tauriBackend: Backend = {
  invoke: <T>(cmd: string, args?: Record<string, unknown>) => tauriInvoke<T>(cmd, args),
  listen: async <T>(event: string, cb: (payload: T) => void) => {
    const unlisten = await tauriListen<T>(event, (e) => cb(e.payload));
    return unlisten;
  },
};

/** True inside the Tauri window. */
export function inTauri(): boolean {
  return typeof globalThis !== "undefined" && (globalThis as Record<string, unknown>).__TAURI_INTERNALS__ !== undefined;
}

/** True when the dev-only mock backend serves the UI (Vite dev server, no Tauri). */
export function usingMock(): boolean {
  return !inTauri() && import.meta.env.DEV === true;
}

let backendPromise: Promise<Backend> | null = null;

function backend(): Promise<Backend> {
  if (inTauri()) return Promise.resolve(tauriBackend);
  if (import.meta.env.DEV) {
    // Dev server only: `import.meta.env.DEV` is false in `vite build`, so this branch and the
    // mock module are dropped from the production bundle.
    backendPromise ??= import("../dev/mock").then((m) => m.createMockBackend());
    return backendPromise;
  }
  return Promise.reject(new ApiError(NOT_IN_APP));
}

/** Calls one command; any rejection becomes a readable Error. */
async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    const b = await backend();
    return await b.invoke<T>(cmd, args);
  } catch (e) {
    throw toError(e);
  }
}

// ---------------------------------------------------------------------------------------------
// Commands (one function per row of the table in docs/app-commands.md)

export const appState = () => call<AppState>("app_state");
/** Tells the shell the first screen is showing (the cold-start benchmark measures up to here). */
export const appReady = () => call<void>("app_ready");
/**
 * Opens the encrypted library with the passphrase as typed (not trimmed: spaces may be part of
 * it). Resolves to the fresh AppState (`locked: false`); a wrong or empty passphrase rejects with
 * the backend's sentence and leaves the library locked. Takes ~0.2–0.5 s (key derivation).
 */
export const libraryUnlock = (passphrase: string) => call<AppState>("library_unlock", { passphrase });

export const librarySearch = (text: string, limit = 200) => call<Entry[]>("library_search", { text, limit });
/** Where the library stands with its team library (read locally; no connection). */
export const teamStatus = () => call<SyncStatus>("team_status");
/** Syncs with the linked team library (password from PGPASSWORD / ~/.pgpass, never asked). */
export const teamSync = () => call<SyncReport>("team_sync");
/** Links the library to a team library and syncs; the password is used for this session only. */
export const teamJoin = (url: string, password: string) => call<SyncReport>("team_join", { url, password: password === "" ? null : password });
/**
 * What team syncs kept aside, newest first: fields changed here and in the team library at once,
 * where the team library's value was kept and this desktop's put aside. Read locally.
 */
export const teamKeptAside = () => call<KeptAside[]>("team_kept_aside");
/**
 * Settles one kept-aside value and resolves to what is left. `keepMine` true puts this desktop's
 * value back (a local change, synced next); false keeps the team library's. Rejects with
 * `team.kept_aside.row_gone` when its row is gone and `keepMine` is true.
 */
export const teamResolveKeptAside = (id: number, keepMine: boolean) => call<KeptAside[]>("team_resolve_kept_aside", { id, keepMine });
export const libraryEntry = (id: number) => call<EntryDetail>("library_entry", { id });
export const libraryEdit = (id: number, edit: EntryEdit) => call<Entry>("library_edit", { id, edit });
export const libraryConflicts = () => call<Entry[]>("library_conflicts");
export const libraryResolveConflict = (keepId: number) => call<number>("library_resolve_conflict", { keepId });
export const libraryImport = (paths: string[]) => call<ImportResult[]>("library_import", { paths });
export const demoRemove = () => call<number>("demo_remove");

/**
 * Whether suggestions match by meaning (the sentence-embedding model is there and loads) and how
 * many entries still lack an embedding. Loads the model on its first call (up to ~1 s): call it
 * once the library shows, never on the way to the first screen.
 */
export const matchingStatus = () => call<MatchingStatus>("matching_status");
/**
 * Embeds the library entries that lack an embedding; progress events with task "embed". Resolves
 * to null when there is no model. `libraryEmbedCancel` stops it early (what was done is kept).
 */
export const libraryEmbed = () => call<EmbedOutcome | null>("library_embed");
/** Asks a running embedding (library_embed, or the "embed" step at the end of library_import) to stop. */
export const libraryEmbedCancel = () => call<void>("library_embed_cancel");

export const evidenceList = () => call<Evidence[]>("evidence_list");
export interface EvidenceOptions {
  title?: string;
  expires?: string;
  tags?: string[];
}
export const evidenceAdd = (path: string, opts: EvidenceOptions = {}) =>
  call<Evidence>("evidence_add", {
    path,
    title: opts.title?.trim() ? opts.title.trim() : null,
    expires: opts.expires?.trim() ? opts.expires.trim() : null,
    tags: opts.tags && opts.tags.length > 0 ? opts.tags : null,
  });

/**
 * Writes a copy of kept evidence document `id` to `path` (decrypted when the library is encrypted
 * at rest) and resolves to its Evidence record. Never overwrites: an existing `path` rejects with
 * "<path> already exists; choose a new file name".
 */
export const evidenceExport = (id: number, path: string) => call<Evidence>("evidence_export", { id, path });

export const questionnaireInspect = (path: string, overrides: SheetOverride[] = []) =>
  call<InspectReport>("questionnaire_inspect", { path, overrides });
export const reviewStart = (path: string, overrides: SheetOverride[] = []) =>
  call<ReviewSummary>("review_start", { path, overrides });
export const reviewList = () => call<ReviewSummary[]>("review_list");
export const reviewGet = (id: number) => call<ReviewSession>("review_get", { id });
export const reviewUpdate = (id: number, index: number, change: ReviewChange) =>
  call<ReviewItem>("review_update", { id, index, change });
export const reviewAcceptAbove = (id: number, minConfidence: number) =>
  call<ReviewSummary>("review_accept_above", { id, minConfidence });
export const reviewSaveToLibrary = (id: number) => call<SaveResult>("review_save_to_library", { id });
export const reviewExport = (id: number, folder: string, pdf: boolean) =>
  call<ExportResult>("review_export", { id, folder, pdf });
export const reviewDelete = (id: number) => call<void>("review_delete", { id });

// Several people on one review: assignments and comment threads
/**
 * The open assignments of the person (the team login when the library is linked, else the OS
 * user) and of the teams named (e.g. ["Legal"]), by due date.
 */
export const assignmentsMine = (teams: string[]) => call<Assignment[]>("assignments_mine", { teams });
/** Every assignment of review `id`, done ones too. */
export const assignmentsOfReview = (id: number) => call<Assignment[]>("assignments_of_review", { id });
/** Gives a question, a section (sheet) or the whole review to `assignee` (a login or a team name). */
export const assignmentAdd = (id: number, scope: AssignmentScope, assignee: string, due?: string, note?: string) =>
  call<Assignment>("assignment_add", { id, scope, assignee, due: due?.trim() ? due.trim() : null, note: note?.trim() ? note.trim() : null });
export const assignmentDone = (assignment: number, done: boolean) => call<Assignment>("assignment_done", { assignment, done });
export const assignmentRemove = (assignment: number) => call<void>("assignment_remove", { assignment });
/** Every comment of review `id`, oldest first (`index` null: on the review itself). */
export const commentsOfReview = (id: number) => call<ReviewComment[]>("comments_of_review", { id });
/** Adds a comment to question `index`'s thread, or to the review's own (null). */
export const commentAdd = (id: number, index: number | null, body: string) => call<ReviewComment>("comment_add", { id, index, body });
/** Deletes a comment; only the author's own (another's rejects with `library.assignments.not_your_comment`). */
export const commentDelete = (comment: number) => call<void>("comment_delete", { comment });

// Third-party risk: vendors and assessments
export const vendorList = () => call<VendorSummary[]>("vendor_list");
export const vendorGet = (id: number) => call<VendorDetail>("vendor_get", { id });
/** Adds the vendor when `vendor.id` is 0, else saves it; the result has its tier and next review derived. */
export const vendorSave = (vendor: Vendor) => call<Vendor>("vendor_save", { vendor });
export const rubricList = () => call<RubricInfo[]>("rubric_list");
/** The family, version and rubric Quire would use for a questionnaire (or `rubric`, if named). */
export const assessPreview = (path: string, rubric = "") => call<RubricChoice>("assess_preview", { path, rubric: rubric || null });
/** Scores a completed questionnaire for a vendor and saves it. `rubric` "" = chosen by the questionnaire's layout. Emits progress. */
export const assessRun = (vendorId: number, path: string, rubric = "") =>
  call<AssessResult & { id: number }>("assess_run", { vendorId, path, rubric: rubric.trim() === "" ? null : rubric.trim() });
export const assessmentGet = (id: number) => call<SavedAssessment>("assessment_get", { id });
/** Sets the follow-up status of finding `finding` (its index in the scorecard's findings). */
export const findingSetStatus = (assessmentId: number, finding: number, status: FindingStatus, note?: string) =>
  call<void>("finding_set_status", { assessmentId, finding, status, note: note?.trim() ? note.trim() : null });
export const assessmentExport = (id: number, folder: string, pdf: boolean, xlsx: boolean) =>
  call<AssessmentExportResult>("assessment_export", { id, folder, pdf, xlsx });

// ---------------------------------------------------------------------------------------------
// Events

/** Listens to the `progress` event of long commands. Resolves to the function that stops listening. */
export async function onProgress(cb: (p: Progress) => void): Promise<() => void> {
  try {
    const b = await backend();
    return await b.listen<Progress>("progress", cb);
  } catch (e) {
    throw toError(e);
  }
}

/**
 * Runs a long command while forwarding its progress events to `cb`; stops listening afterwards,
 * whether the command succeeded or failed.
 */
export async function withProgress<T>(cb: (p: Progress) => void, run: () => Promise<T>): Promise<T> {
  let stop: (() => void) | null = null;
  try {
    stop = await onProgress(cb);
  } catch {
    stop = null; // progress is a nicety: the command still runs without it
  }
  try {
    return await run();
  } finally {
    stop?.();
  }
}

export type DropState = "over" | "leave";

/**
 * Files dropped on the window (real paths, from the webview's drag-and-drop event). `onHover`
 * tells when files are dragged over the window or leave it. Resolves to the unlisten function.
 */
export async function onFilesDropped(
  cb: (paths: string[]) => void,
  onHover?: (state: DropState) => void,
): Promise<() => void> {
  if (!inTauri()) return () => {};
  try {
    return await getCurrentWebview().onDragDropEvent((event) => {
      const p = event.payload;
      if (p.type === "drop") {
        onHover?.("leave");
        if (p.paths.length > 0) cb(p.paths);
      } else if (p.type === "enter" || p.type === "over") {
        onHover?.("over");
      } else {
        onHover?.("leave");
      }
    });
  } catch (e) {
    throw toError(e);
  }
}

// ---------------------------------------------------------------------------------------------
// Dialog and opener plugins

export interface FileFilter {
  name: string;
  extensions: string[];
}

/** Files a questionnaire can come in: workbooks, CSV/TSV, VSAQ JSON, Word documents and PDFs. */
export const QUESTIONNAIRE_FILTERS: FileFilter[] = [
  { name: "Questionnaires", extensions: ["xlsx", "xlsm", "xls", "ods", "csv", "tsv", "json", "docx", "docm", "pdf"] },
];

function normalisePicked(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  return list
    .map((x) => (typeof x === "string" ? x : x && typeof x === "object" && "path" in x ? String((x as { path: unknown }).path) : ""))
    .filter((x) => x !== "");
}

/** Asks for one or several files. Resolves to [] when the person cancels. */
export async function pickFiles(opts: { multiple?: boolean; filters?: FileFilter[]; title?: string } = {}): Promise<string[]> {
  if (!inTauri()) return devPrompt(opts.title ?? "Path of the file");
  try {
    const picked = await dialogOpen({
      multiple: opts.multiple ?? false,
      directory: false,
      filters: opts.filters,
      title: opts.title,
    });
    return normalisePicked(picked);
  } catch (e) {
    throw toError(e);
  }
}

/** Asks for a folder. Resolves to null when the person cancels. */
export async function pickFolder(title = "Choose a folder"): Promise<string | null> {
  if (!inTauri()) return (await devPrompt(title))[0] ?? null;
  try {
    const picked = await dialogOpen({ directory: true, multiple: false, title });
    return normalisePicked(picked)[0] ?? null;
  } catch (e) {
    throw toError(e);
  }
}

/** The extension of a file name, lower-case and without the dot ("" when it has none). */
export function fileExtension(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? "";
  const dot = base.lastIndexOf(".");
  return dot > 0 && dot < base.length - 1 ? base.slice(dot + 1).toLowerCase() : "";
}

/** A save dialog's filter for files like `fileName` (its extension); [] when it has none. */
export function filtersFor(fileName: string): FileFilter[] {
  const ext = fileExtension(fileName);
  return ext === "" ? [] : [{ name: `${ext.toUpperCase()} file`, extensions: [ext] }];
}

/**
 * Asks where to save a file (the system's save dialog; it may ask before replacing a file, the
 * backend still refuses to overwrite). Resolves to null when the person cancels.
 */
export async function pickSavePath(opts: { defaultPath?: string; filters?: FileFilter[]; title?: string } = {}): Promise<string | null> {
  if (!inTauri()) return (await devPrompt(opts.title ?? "Save as", opts.defaultPath))[0] ?? null;
  try {
    const picked = await dialogSave({
      defaultPath: opts.defaultPath,
      filters: opts.filters && opts.filters.length > 0 ? opts.filters : undefined,
      title: opts.title,
    });
    return typeof picked === "string" && picked.trim() !== "" ? picked : null;
  } catch (e) {
    throw toError(e);
  }
}

/**
 * Asks where to save a copy of an evidence document: the dialog proposes its original file name
 * and filters by its extension. Resolves to null when the person cancels.
 */
export function pickEvidenceSavePath(ev: Pick<Evidence, "title" | "file_name">): Promise<string | null> {
  return pickSavePath({
    defaultPath: ev.file_name || undefined,
    filters: filtersFor(ev.file_name),
    title: `Save a copy of “${ev.title}”`,
  });
}

/** Shows a file in the system's file manager (its folder opened, the file selected). */
export async function revealInFolder(path: string): Promise<void> {
  if (!inTauri()) {
    if (import.meta.env.DEV) return;
    throw new ApiError(NOT_IN_APP);
  }
  try {
    await revealItemInDir(path);
  } catch (e) {
    throw toError(e);
  }
}

async function devPrompt(title: string, suggested?: string): Promise<string[]> {
  if (!import.meta.env.DEV) throw new ApiError(NOT_IN_APP);
  const v = typeof window !== "undefined" ? window.prompt(`${title} (dev mock: type a path)`, suggested ? `/home/dev/Documents/${suggested}` : undefined) : null;
  return v && v.trim() ? [v.trim()] : [];
}
