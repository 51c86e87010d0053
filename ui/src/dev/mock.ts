// mock.ts: a DEV-ONLY in-memory stand-in for the Tauri backend, used by the Vite dev server when
// the page is not inside the Tauri window (api.ts loads it only under `import.meta.env.DEV`, so
// `vite build` never includes it). It follows docs/app-commands.md closely enough to develop and
// look at every screen: 2,000-question sessions, progress events, errors as strings. The vendor and
// assessment commands live in mock-vendors.ts, the assignments and comment threads in mock-teamwork.ts,
// what team syncs kept aside (Library → Conflicts) in mock-kept-aside.ts.
//
// An encrypted, locked library: open the dev server with `?locked` (http://127.0.0.1:5173/?locked)
// and unlock it with MOCK_PASSPHRASE; any other passphrase is refused as the real backend does.
// Matching by meaning: by default the model is there and every entry has an embedding; `?nomodel`
// makes the model absent (with MOCK_NO_MODEL_NOTE), `?unembedded` leaves 240 entries to embed.

import type { Backend } from "../lib/api";
import { baseName } from "../lib/review";
import { EVIL, checkSpreadsheet, rng, sleep } from "./mock-common";
import { vendorCommands } from "./mock-vendors";
import { teamworkCommands } from "./mock-teamwork";
import { keptAsideCommands } from "./mock-kept-aside";
import type {
  AppState, Entry, EntryDetail, EmbedOutcome, EntryEdit, Evidence, ExportResult, HistoryItem, ImportResult,
  InspectReport, MatchingStatus, Progress, ReviewChange, ReviewItem, ReviewSession, ReviewSummary,
  SheetOverride, SheetReport, Status, SyncStatus,
} from "../lib/types";

const USER = "dev";
/** The passphrase of the mock's encrypted library (`?locked`). */
export const MOCK_PASSPHRASE = "correct horse battery staple";
const LIBRARY_PATH = "/home/dev/.local/share/quire/library.db";
/** What every command but app_state, app_ready, library_unlock, matching_status and library_embed_cancel says while the library is locked. */
const LOCKED = "the library is encrypted and still locked: enter its passphrase first";
const OPEN_WHILE_LOCKED = new Set(["app_state", "app_ready", "library_unlock", "matching_status", "library_embed_cancel"]);

/** What the mock's matching_status says when the sentence-embedding model is absent. */
export const MOCK_NO_MODEL_NOTE =
  "no sentence-embedding model found (looked in QUIRE_MODEL_DIR, a models/all-minilm-l6-v2 folder beside the program and /home/dev/.cache/quire/models/all-minilm-l6-v2); suggestions match by shared words only, so questions worded differently are found less often. Install the model with scripts/model.sh";

export interface MockMatching {
  /** the model is there and loads (default true) */
  by_meaning?: boolean;
  /** why it is absent (default MOCK_NO_MODEL_NOTE when by_meaning is false) */
  note?: string | null;
  /** entries without an embedding (default 0) */
  missing?: number;
}

export interface MockOptions {
  /** start on an encrypted library that waits for MOCK_PASSPHRASE (default: the page URL has `?locked`) */
  locked?: boolean;
  /** matching by meaning (default: the model is there, nothing to embed; the URL's `?nomodel`, `?unembedded`) */
  matching?: MockMatching;
}

function urlHas(flag: string): boolean {
  return typeof location !== "undefined" && new URLSearchParams(location.search).has(flag);
}
function lockedFromUrl(): boolean {
  return urlHas("locked");
}
function matchingFromUrl(): MockMatching {
  if (urlHas("nomodel")) return { by_meaning: false };
  if (urlHas("unembedded")) return { missing: 240 };
  return {};
}
const now = () => new Date().toISOString();

const TOPICS = [
  ["Access Control", "Is multi-factor authentication enforced for all administrative access?", "Yes", "MFA via hardware keys for all admins."],
  ["Access Control", "Are user access rights reviewed at least quarterly?", "Yes", "Quarterly reviews recorded in the ticketing system."],
  ["Encryption", "Is customer data encrypted at rest?", "Yes", "AES-256 on all volumes and backups."],
  ["Encryption", "Is data encrypted in transit using TLS 1.2 or later?", "Yes", "TLS 1.2+ only; HSTS enabled."],
  ["Business Continuity", "Do you test your disaster recovery plan annually?", "Yes", "Last test: March, RTO 4h met."],
  ["Incident Response", "Do you notify customers of security incidents within 72 hours?", "Yes", "Contractual 72h notification."],
  ["Vendor Management", "Do you assess the security of your subprocessors?", "Yes", "Annual questionnaire and SOC 2 review."],
  ["HR Security", "Do employees complete security awareness training?", "Yes", "On hire and annually."],
  ["Logging", "Are security logs retained for at least one year?", "No", "Logs retained for 180 days."],
  ["Application Security", "Do you perform annual third-party penetration tests?", "Yes", "Report available under NDA."],
];

/** Why alternative k was offered (the backend's few words). */
function whyOf(k: number, conf: number, i: number): string {
  if (k === 0) return i % 5 === 0 ? "same question" : `similar meaning: ${conf.toFixed(2)}; shared words: encryption, data`;
  if (k === 1) return `shared words: backup, data; but asks about another data state: at rest vs in transit`;
  return i % 2 ? `similar meaning: ${Math.max(0.3, conf - 0.3).toFixed(2)}` : "";
}

function makeEntries(): Entry[] {
  const out: Entry[] = [];
  let id = 1;
  for (let round = 0; round < 6; round++) {
    for (const [domain, q, a, c] of TOPICS) {
      const question = round === 0 ? q : `${q} (variant ${round})`;
      const provenance = { file: "demo-past-questionnaire.xlsx", sha256: "ab12".repeat(16), sheet: domain, row: 11 + id, ref: `D.${round}.${id + 1}`, answer_raw: a, comment: c, imported_at: "2025-01-10T09:00:00Z" };
      out.push({
        id: id++, question, answer: a, answer_raw: a, comment: c, domain, tags: ["demo"], owner: round % 2 ? "security@example.com" : "",
        last_reviewed: round % 3 ? "2025-01-15" : null, review_by: round % 3 ? "2026-01-15" : "", created_at: "2025-01-10T09:00:00Z",
        updated_at: `2025-0${1 + (round % 8)}-1${round}T10:30:00Z`, status: round % 3 ? "approved" : "draft", stale: round === 5, conflict: false, provenance: [provenance],
      });
    }
  }
  // Two conflicting answers to one question, and one hostile text.
  for (const [ans, com] of [
    ["Yes", "Backups are encrypted."],
    ["No", "Backups are not encrypted yet (planned Q3)."],
  ]) {
    const provenance = [{ ...out[2].provenance[0], file: ans === "Yes" ? "acme-2024.xlsx" : "globex-2023.xlsx" }];
    out.push({ ...out[2], id: id++, question: "Are backups encrypted?", answer: ans, answer_raw: ans, comment: com, conflict: true, tags: ["demo"], provenance });
  }
  out.push({ ...out[0], id: id++, question: `Hostile text test: ${EVIL}`, answer: EVIL, comment: EVIL, tags: ["demo"] });
  return out;
}

function makeEvidence(): Evidence[] {
  return [
    { id: 1, title: "SOC 2 Type II report 2024", file_name: "soc2-2024.pdf", stored_path: "/library/evidence/soc2-2024.pdf", sha256: "cd".repeat(32), kind: "pdf", added_at: "2025-01-10T09:00:00Z", expires: "2025-12-31", expired: false, tags: ["demo", "soc2"], owner: "security@example.com", text_chars: 182_311, linked_entries: [1, 2, 3] },
    { id: 2, title: "Penetration test summary", file_name: "pentest.pdf", stored_path: "/library/evidence/pentest.pdf", sha256: "ef".repeat(32), kind: "pdf", added_at: "2024-02-01T09:00:00Z", expires: "2024-12-31", expired: true, tags: ["demo"], owner: "", text_chars: 20_110, linked_entries: [10] },
    { id: 3, title: "Information security policy", file_name: "policy.docx", stored_path: "/library/evidence/policy.docx", sha256: "01".repeat(32), kind: "docx", added_at: "2025-03-01T09:00:00Z", expires: null, expired: false, tags: ["demo"], owner: "", text_chars: 40_500, linked_entries: [] },
  ];
}

function makeItems(n: number, seed: number): ReviewItem[] {
  const r = rng(seed);
  const items: ReviewItem[] = [];
  const sheets = ["General", "Security Controls", "Privacy"];
  for (let i = 0; i < n; i++) {
    const [domain, q, a, c] = TOPICS[i % TOPICS.length];
    const conf = r();
    const hasSuggestion = conf > 0.08;
    const text = i === 3 ? `Question with markup: ${EVIL}` : `${q} [#${i + 1}]`;
    const alternatives = hasSuggestion
      ? [0, 1, 2].slice(0, 1 + Math.floor(r() * 3)).map((k) => ({
          entry_id: 1 + ((i + k) % 60),
          question: k === 0 ? q : `${q} (variant ${k})`,
          answer: k === 0 ? a : k === 1 ? (a === "Yes" ? "No" : "Yes") : `${a}, partially`,
          comment: k === 0 ? c : `Alternative comment ${k}`,
          confidence: Math.max(0.05, conf - k * 0.2),
          source: `past-questionnaire-${k + 1}.xlsx, ${domain}!B${10 + k}`,
          evidence: k === 0 && i % 4 === 0 ? ["SOC 2 Type II report 2024"] : [],
          why: whyOf(k, conf, i),
        }))
      : [];
    const best = alternatives[0];
    items.push({
      index: i,
      question: { sheet: sheets[Math.floor(i / 700) % sheets.length], row: 5 + i, ref: `${domain.slice(0, 3).toUpperCase()}-${i + 1}`, text, domain, answer: "", answer_kind: null, comment: "",
        answer_cell: `C${5 + i}`, choice_cells: [], comment_cell: `D${5 + i}` },
      answer: best ? best.answer : null,
      comment: best ? best.comment : null,
      status: best ? "suggested" : "blank",
      confidence: best ? best.confidence : null,
      source: best ? best.source : null,
      evidence: best ? best.evidence : [],
      alternatives,
      changed_by: null,
      changed_at: null,
    });
  }
  return items;
}

function countsOf(items: ReviewItem[]): Record<Status, number> {
  const c: Record<Status, number> = { blank: 0, suggested: 0, draft: 0, reviewed: 0, approved: 0 };
  for (const i of items) c[i.status] += 1;
  return c;
}

export function createMockBackend(opts: MockOptions = {}): Backend {
  let locked = opts.locked ?? lockedFromUrl();
  const encrypted = locked;
  let entries = makeEntries();
  let evidence = makeEvidence();
  /** Files "written" by evidence_export: the mock refuses to overwrite them, as the backend does. */
  const written = new Set<string>();
  const history = new Map<number, HistoryItem[]>();
  const sessions = new Map<number, { summary: ReviewSummary; items: ReviewItem[] }>();
  let nextSession = 1;
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const emit = (p: Progress) => listeners.get("progress")?.forEach((cb) => cb(p));
  const m = { ...matchingFromUrl(), ...(opts.matching ?? {}) };
  const meaning = {
    byMeaning: m.by_meaning ?? true,
    note: m.by_meaning === false ? (m.note === undefined ? MOCK_NO_MODEL_NOTE : m.note) : null,
    missing: Math.max(0, m.missing ?? 0),
  };
  /** set by library_embed_cancel, cleared when an embedding starts */
  let embedCancelled = false;
  /** Embeds `total` entries in steps (progress task "embed"); stops early when cancelled. */
  const embedSteps = async (total: number): Promise<EmbedOutcome> => {
    embedCancelled = false;
    const started = Date.now();
    const step = Math.max(1, Math.ceil(total / 8));
    let done = 0;
    let cancelled = false;
    while (done < total) {
      if (embedCancelled) {
        cancelled = true;
        break;
      }
      done = Math.min(total, done + step);
      emit({ task: "embed", done, total, message: `matching by meaning: ${done} of ${total} questions embedded` });
      await sleep(60);
    }
    return { missing: total, embedded: done, cancelled, secs: (Date.now() - started) / 1000 };
  };

  const addSession = (path: string, n: number) => {
    const id = nextSession++;
    const items = makeItems(n, id * 7919);
    const summary: ReviewSummary = { id, questionnaire: baseName(path), path, created_at: now(), updated_at: now(), questions: n, counts: countsOf(items) };
    sessions.set(id, { summary, items });
    return summary;
  };
  addSession("/home/dev/Customers/initech-security-2025.xlsx", 2000);

  const session = (id: number) => {
    const s = sessions.get(id);
    if (!s) throw `review ${id} does not exist; it may have been deleted`;
    return s;
  };
  const touch = (s: { summary: ReviewSummary; items: ReviewItem[] }) => {
    s.summary = { ...s.summary, updated_at: now(), counts: countsOf(s.items) };
  };
  const inspect = (path: string, overrides: SheetOverride[]): InspectReport => {
    checkSpreadsheet(path);
    const sheets: SheetReport[] = [
      { name: "Instructions", used: false, reason: "no question column found (prose only)", header_row: null, confidence: 0.1, low_confidence: false, columns: {}, questions: 0, answered: 0, notes: [] },
      { name: "General", used: true, reason: null, header_row: 3, confidence: 0.92, low_confidence: false, columns: { ref: "A", question: "B", answer: "C", comment: "D" }, questions: 700, answered: 0, notes: ["answer column has a Yes/No/N/A dropdown"] },
      { name: "Security Controls", used: true, reason: null, header_row: 2, confidence: 0.41, low_confidence: true, columns: { ref: "A", question: "C", answer: "E" }, questions: 1300, answered: 12, notes: ["two candidate question columns (B, C); chose C", `header text: ${EVIL}`],
        preview: [["Ref", "Category", "Question", "Guidance", "Response", "Notes"], ["SC-1", "Access", "Is MFA enforced?", "Describe", "", ""], ["SC-2", "Crypto", EVIL, "", "Yes", ""]] },
    ];
    for (const o of overrides) {
      const s = sheets.find((x) => x.name === o.sheet);
      if (!s) throw `sheet "${o.sheet}" is not in ${baseName(path)}`;
      s.used = o.include;
      s.reason = o.include ? null : "skipped by you";
      if (o.columns) {
        s.columns = Object.fromEntries(Object.entries(o.columns).filter((e): e is [string, string] => !!e[1]));
        s.confidence = 1;
        s.low_confidence = false;
        s.notes = [...s.notes, "columns set by you"];
      }
      if (o.header_row) s.header_row = o.header_row;
      if (o.include && s.questions === 0) s.questions = 14;
    }
    const used = sheets.filter((s) => s.used);
    return { file: baseName(path), format: path.split(".").pop() ?? "xlsx", profile: null, family: null, sha256: "9f".repeat(32),
      questions: used.reduce((a, s) => a + s.questions, 0), answered: used.reduce((a, s) => a + s.answered, 0), sheets };
  };

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const keptAside = keptAsideCommands();
  const commands: Record<string, (a: any) => unknown> = {
    app_state: (): AppState =>
      locked
        ? { version: "0.1.0-dev", library_path: LIBRARY_PATH, user: USER, locked: true, encrypted: true,
            entries: 0, evidence: 0, conflicts: 0, demo_entries: 0, sample_questionnaire: null }
        : { version: "0.1.0-dev", library_path: LIBRARY_PATH, user: USER, locked: false, encrypted,
            entries: entries.length, evidence: evidence.length, conflicts: entries.filter((e) => e.conflict).length,
            demo_entries: entries.filter((e) => e.tags.includes("demo")).length,
            sample_questionnaire: "/home/dev/.local/share/quire/samples/sample-customer-questionnaire.xlsx" },
    app_ready: () => null,
    library_unlock: async ({ passphrase }): Promise<AppState> => {
      if (typeof passphrase !== "string" || passphrase === "") throw "the passphrase is empty; type the library's passphrase";
      await sleep(300); // the real key derivation takes ~0.2–0.5 s
      if (locked && passphrase !== MOCK_PASSPHRASE) {
        throw `answer library ${LIBRARY_PATH}: the passphrase is wrong (or the file is not a Quire library); nothing was changed, try again`;
      }
      locked = false;
      return commands.app_state({}) as AppState;
    },
    library_search: ({ text, limit }) => {
      const t = String(text ?? "").toLowerCase().trim();
      const words = t.split(/\s+/).filter(Boolean);
      const hits = entries.filter((e) => words.every((w) => `${e.question} ${e.answer} ${e.comment} ${e.domain}`.toLowerCase().includes(w)));
      if (!t) hits.sort((a, b) => b.updated_at.localeCompare(a.updated_at));
      return hits.slice(0, limit ?? 50);
    },
    library_entry: ({ id }): EntryDetail => {
      const entry = entries.find((e) => e.id === id);
      if (!entry) throw `library entry ${id} does not exist`;
      return { entry, history: history.get(id) ?? [{ changed_at: entry.created_at, field: "answer", old_value: null, new_value: entry.answer }],
        evidence: evidence.filter((v) => v.linked_entries.includes(id)) };
    },
    library_edit: ({ id, edit }: { id: number; edit: EntryEdit }) => {
      const i = entries.findIndex((e) => e.id === id);
      if (i < 0) throw `library entry ${id} does not exist`;
      const old = entries[i];
      const h = history.get(id) ?? [];
      for (const [k, v] of Object.entries(edit)) {
        const prev = (old as any)[k];
        if (JSON.stringify(prev) !== JSON.stringify(v)) h.unshift({ changed_at: now(), field: k, old_value: Array.isArray(prev) ? prev.join(", ") : prev, new_value: Array.isArray(v) ? v.join(", ") : (v as string) });
      }
      history.set(id, h);
      entries[i] = { ...old, ...edit, updated_at: now(), last_reviewed: now().slice(0, 10) };
      return entries[i];
    },
    library_conflicts: () => entries.filter((e) => e.conflict),
    library_resolve_conflict: ({ keepId }) => {
      const keep = entries.find((e) => e.id === keepId);
      if (!keep) throw `library entry ${keepId} does not exist`;
      const drop = entries.filter((e) => e.id !== keepId && e.conflict && e.question === keep.question);
      entries = entries.filter((e) => !drop.includes(e)).map((e) => (e.id === keepId ? { ...e, conflict: false } : e));
      return drop.length;
    },
    library_import: async ({ paths }: { paths: string[] }): Promise<ImportResult[]> => {
      const out: ImportResult[] = [];
      for (let k = 0; k < paths.length; k++) {
        const p = paths[k];
        for (let d = 0; d <= 4; d++) { emit({ task: "import", done: k * 4 + d, total: paths.length * 4, message: `Reading ${baseName(p)}` }); await sleep(80); }
        try {
          checkSpreadsheet(p);
          out.push({ path: p, error: null, report: { file: baseName(p), sha256: "aa".repeat(32), already_imported: /again/.test(p) ? "2025-02-01" : null, questions: 120, answered: 110, added: 80, merged: 20, unchanged: 7, conflicting: 3, unanswered: 10 } });
        } catch (e) {
          out.push({ path: p, report: null, error: String(e) });
        }
      }
      // The backend then embeds the new entries (task "embed"); a cancel leaves them to embed later.
      const added = out.reduce((n, r) => n + (r.report && !r.report.already_imported ? r.report.added : 0), 0);
      if (meaning.byMeaning && added > 0) {
        const done = await embedSteps(added);
        meaning.missing += done.missing - done.embedded;
      }
      return out;
    },
    // The mock library is not linked to a team library (the Library screen then shows no team line),
    // yet an earlier sync kept three values aside (mock-kept-aside.ts): Library → Conflicts shows them.
    team_status: (): SyncStatus => ({
      linked: false, server: null, login: null, joined_at: null, last_sync_at: null, last_pulled: 0, last_error: null,
      waiting: 0, refused: [], conflicts: 0, field_conflicts: keptAside.count(), skipped: 0,
    }),
    ...keptAside.commands,
    matching_status: async (): Promise<MatchingStatus> => {
      await sleep(200); // the real one loads the model on its first call (up to ~1 s)
      // While locked the backend cannot count the entries: 0.
      return { by_meaning: meaning.byMeaning, note: meaning.note, entries_without_embedding: meaning.byMeaning && !locked ? meaning.missing : 0 };
    },
    library_embed: async (): Promise<EmbedOutcome | null> => {
      if (!meaning.byMeaning) return null;
      const outcome = await embedSteps(meaning.missing);
      meaning.missing -= outcome.embedded;
      return outcome;
    },
    library_embed_cancel: () => {
      embedCancelled = true;
      return null;
    },
    demo_remove: () => {
      const n = entries.filter((e) => e.tags.includes("demo")).length;
      entries = entries.filter((e) => !e.tags.includes("demo"));
      evidence = evidence.filter((v) => !v.tags.includes("demo"));
      return n;
    },
    evidence_list: () => evidence,
    evidence_add: ({ path, title, expires, tags }) => {
      if (!path) throw "no file was given";
      if (/missing/.test(path)) throw `cannot read ${baseName(path)}: no such file`;
      if (expires && !/^\d{4}-\d{2}-\d{2}$/.test(expires)) throw `"${expires}" is not a date; write it as YYYY-MM-DD`;
      const ev: Evidence = { id: evidence.length + 1, title: title || baseName(path), file_name: baseName(path), stored_path: `/library/evidence/${baseName(path)}`, sha256: "77".repeat(32), kind: path.split(".").pop() ?? "", added_at: now(), expires: expires ?? null, expired: false, tags: tags ?? [], owner: "", text_chars: 1000, linked_entries: [] };
      evidence = [...evidence, ev];
      return ev;
    },
    evidence_export: async ({ id, path }): Promise<Evidence> => {
      const ev = evidence.find((v) => v.id === id);
      if (!ev) throw `no evidence document with id ${id}`;
      if (typeof path !== "string" || !path.trim()) throw "no file was given";
      if (written.has(path) || /exists/.test(path)) throw `${path} already exists; choose a new file name`;
      if (/missing|readonly/.test(path)) throw `cannot write ${path}: permission denied`;
      await sleep(150);
      written.add(path);
      return ev;
    },
    questionnaire_inspect: async ({ path, overrides }) => { await sleep(150); return inspect(path, overrides ?? []); },
    review_start: async ({ path, overrides }) => {
      const rep = inspect(path, overrides ?? []);
      const n = Math.max(1, Math.min(2000, rep.questions));
      for (let d = 0; d <= 20; d++) { emit({ task: "review_start", done: Math.round((d / 20) * n), total: n, message: d < 3 ? "Reading the questionnaire" : "Finding answers in the library" }); await sleep(60); }
      return addSession(path, n);
    },
    review_list: () => [...sessions.values()].map((s) => s.summary).sort((a, b) => b.id - a.id),
    review_get: ({ id }): ReviewSession => { const s = session(id); return { summary: s.summary, items: s.items }; },
    review_update: ({ id, index, change }: { id: number; index: number; change: ReviewChange }) => {
      const s = session(id);
      const item = s.items[index];
      if (!item) throw `question ${index + 1} is not in this review`;
      const next: ReviewItem = { ...item, changed_by: USER, changed_at: now() };
      if (change.pick !== undefined) {
        const alt = item.alternatives[change.pick];
        if (!alt) throw `there is no alternative ${change.pick + 1} for this question`;
        Object.assign(next, { answer: alt.answer, comment: alt.comment, confidence: alt.confidence, source: alt.source, evidence: alt.evidence, status: "reviewed" });
      }
      if (change.answer !== undefined) { next.answer = change.answer; next.status = "draft"; }
      if (change.comment !== undefined) next.comment = change.comment;
      if (change.status !== undefined) next.status = change.status;
      s.items = s.items.map((x, k) => (k === index ? next : x));
      touch(s);
      return next;
    },
    review_accept_above: ({ id, minConfidence }) => {
      const s = session(id);
      s.items = s.items.map((x) => (x.status === "suggested" && (x.confidence ?? -1) >= minConfidence ? { ...x, status: "reviewed" as Status, changed_by: USER, changed_at: now() } : x));
      touch(s);
      return s.summary;
    },
    review_save_to_library: ({ id }) => {
      const s = session(id);
      const saved = s.items.filter((x) => x.status === "reviewed" || x.status === "approved").length;
      return { saved, report: { file: s.summary.questionnaire, sha256: "", already_imported: null, questions: s.items.length, answered: saved, added: Math.floor(saved / 2), merged: saved - Math.floor(saved / 2), unchanged: 0, conflicting: 0, unanswered: 0 } };
    },
    review_export: async ({ id, folder, pdf }): Promise<ExportResult> => {
      const s = session(id);
      if (!folder) throw "choose a folder to save the export in";
      if (/missing/.test(folder)) throw `cannot write to ${folder}: no such folder`;
      const total = s.items.length;
      for (let d = 0; d <= 10; d++) { emit({ task: "review_export", done: Math.round((d / 10) * total), total, message: d < 8 ? "Writing answers" : "Writing the PDF summary" }); await sleep(70); }
      const stem = s.summary.questionnaire.replace(/\.[^.]+$/, "");
      const sep = folder.includes("\\") ? "\\" : "/";
      const dir = folder.replace(/[\\/]+$/, "");
      const answered = s.items.filter((x) => x.answer);
      return { workbook: `${dir}${sep}${stem}.filled.xlsx`, pdf: pdf ? `${dir}${sep}${stem}.summary.pdf` : null, written: answered.length, comments_written: answered.filter((x) => x.comment).length,
        skipped: [{ sheet: "General", row: 9, ref: "GEN-9", field: "answer", cell: "C9", reason: "answer cell is a formula; left unchanged" }], notes: [], unapproved: answered.filter((x) => x.status !== "approved").length };
    },
    review_delete: ({ id }) => { session(id); sessions.delete(id); return null; },
    // Third-party risk (vendors, assessments): mock-vendors.ts
    ...vendorCommands(emit),
    // Assignments and comment threads: mock-teamwork.ts
    ...teamworkCommands(USER, session, () => sessions),
  };

  return {
    async invoke<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
      const f = commands[cmd];
      if (!f) throw `unknown command ${cmd}`;
      await sleep(20);
      if (locked && !OPEN_WHILE_LOCKED.has(cmd)) throw LOCKED;
      // Commands reject with a string, as the real backend does; results are copied like JSON.
      const r = await f(args ?? {});
      return (r === undefined ? null : JSON.parse(JSON.stringify(r))) as T;
    },
    async listen<T>(event: string, cb: (payload: T) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const f = cb as (p: unknown) => void;
      set.add(f);
      return () => set.delete(f);
    },
  };
}
