// The JSON types of the UI ⇄ backend contract (docs/app-commands.md). Keep in step with that page.

export type Status = "blank" | "suggested" | "draft" | "reviewed" | "approved";
export const STATUSES: readonly Status[] = ["blank", "suggested", "draft", "reviewed", "approved"];

export interface AppState {
  version: string;
  library_path: string;
  /** OS user name, recorded on changes */
  user: string;
  entries: number;
  evidence: number;
  conflicts: number;
  /** entries tagged "demo" (0 once the demo is removed) */
  demo_entries: number;
  /** path of the generated sample customer questionnaire, if present */
  sample_questionnaire: string | null;
}

export interface Provenance {
  file: string;
  sha256: string;
  sheet: string;
  row: number;
  ref: string;
  answer_raw: string;
  comment: string;
  imported_at: string;
}

export interface Entry {
  id: number;
  question: string;
  answer: string;
  answer_raw: string;
  comment: string;
  domain: string;
  tags: string[];
  owner: string;
  last_reviewed: string | null;
  review_by: string;
  created_at: string;
  updated_at: string;
  stale: boolean;
  conflict: boolean;
  provenance: Provenance[];
}

export interface HistoryItem {
  changed_at: string;
  field: string;
  old_value: string | null;
  new_value: string | null;
}

export interface Evidence {
  id: number;
  title: string;
  file_name: string;
  stored_path: string;
  sha256: string;
  kind: string;
  added_at: string;
  expires: string | null;
  expired: boolean;
  tags: string[];
  owner: string;
  text_chars: number;
  linked_entries: number[];
}

export interface EntryDetail {
  entry: Entry;
  history: HistoryItem[];
  evidence: Evidence[];
}

export interface EntryEdit {
  answer?: string;
  comment?: string;
  domain?: string;
  tags?: string[];
  owner?: string;
  review_by?: string;
}

export interface ImportReport {
  file: string;
  sha256: string;
  already_imported: string | null;
  questions: number;
  answered: number;
  added: number;
  merged: number;
  unchanged: number;
  conflicting: number;
  unanswered: number;
}

export interface ImportResult {
  path: string;
  report: ImportReport | null;
  error: string | null;
}

/** Column roles that detection assigns a letter to. */
export type ColumnRole = "ref" | "question" | "answer" | "comment" | "domain";
export const COLUMN_ROLES: readonly ColumnRole[] = ["ref", "question", "answer", "comment", "domain"];

export interface SheetReport {
  name: string;
  used: boolean;
  reason: string | null;
  header_row: number | null;
  confidence: number;
  low_confidence: boolean;
  /** role -> column letter */
  columns: Record<string, string>;
  questions: number;
  answered: number;
  notes: string[];
  preview?: string[][];
}

export interface InspectReport {
  file: string;
  format: string;
  profile: string | null;
  sha256: string;
  questions: number;
  answered: number;
  sheets: SheetReport[];
}

export interface SheetOverrideColumns {
  ref?: string;
  question: string;
  answer?: string;
  comment?: string;
  domain?: string;
}

/** A person's correction of detection, per sheet. */
export interface SheetOverride {
  sheet: string;
  include: boolean;
  header_row?: number;
  columns?: SheetOverrideColumns;
}

export interface Question {
  sheet: string;
  row: number;
  ref: string;
  text: string;
  domain: string;
  answer: string;
  comment: string;
}

export interface Alternative {
  entry_id: number;
  question: string;
  answer: string;
  comment: string;
  confidence: number;
  source: string;
  evidence: string[];
}

export interface ReviewItem {
  index: number;
  question: Question;
  answer: string | null;
  comment: string | null;
  status: Status;
  confidence: number | null;
  source: string | null;
  evidence: string[];
  /** best first, up to 3 */
  alternatives: Alternative[];
  changed_by: string | null;
  changed_at: string | null;
}

export interface ReviewSummary {
  id: number;
  questionnaire: string;
  path: string;
  created_at: string;
  updated_at: string;
  questions: number;
  counts: Record<Status, number>;
}

export interface ReviewSession {
  summary: ReviewSummary;
  items: ReviewItem[];
}

/** A change to one question. `pick` takes alternative n (0-based) as the answer. */
export interface ReviewChange {
  answer?: string | null;
  comment?: string | null;
  status?: Status;
  pick?: number;
}

export interface ExportSkip {
  sheet: string;
  row: number;
  ref: string;
  reason: string;
}

export interface ExportResult {
  workbook: string;
  pdf: string | null;
  written: number;
  comments_written: number;
  skipped: ExportSkip[];
  notes: string[];
  unapproved: number;
}

export interface SaveResult {
  saved: number;
  report: ImportReport;
}

/** Payload of the `progress` event emitted by long commands. */
export interface Progress {
  task: string;
  done: number;
  total: number;
  message: string;
}
