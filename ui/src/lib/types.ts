// The JSON types of the UI ⇄ backend contract (docs/app-commands.md). Keep in step with that page.

export type Status = "blank" | "suggested" | "draft" | "reviewed" | "approved";
export const STATUSES: readonly Status[] = ["blank", "suggested", "draft", "reviewed", "approved"];

export interface AppState {
  version: string;
  library_path: string;
  /** OS user name, recorded on changes */
  user: string;
  /** true = the library is encrypted and waits for its passphrase (library_unlock); the counts
   *  are then 0, sample_questionnaire is null, and every other command fails */
  locked: boolean;
  /** the library is encrypted at rest (SQLCipher, AES-256) */
  encrypted: boolean;
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

/** What Quire recognised a questionnaire as (family, edition, version) and how sure it is. */
export interface Recognition {
  family: string;
  family_title: string;
  edition: string | null;
  edition_title: string | null;
  version: string | null;
  generation: string | null;
  confidence: number;
  certainty: "certain" | "likely" | "possible";
  evidence: string[];
}

export interface InspectReport {
  file: string;
  format: string;
  profile: string | null;
  family?: Recognition | null;
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
  /** why it was offered, in a few words ("similar meaning: 0.81; shared words: encryption, data",
   *  "same question", "…; but asks about another data state: at rest vs in transit"); "" in
   *  reviews saved before the backend gave reasons */
  why: string;
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

/** How answer suggestions match questions (matching_status). */
export interface MatchingStatus {
  /** the sentence-embedding model is there and loads: suggestions also match by meaning */
  by_meaning: boolean;
  /** when by_meaning is false, a sentence saying why (and how to install the model) */
  note: string | null;
  /** library entries that have no embedding yet (0 when by_meaning is false) */
  entries_without_embedding: number;
}

/** What library_embed did (null from the command when there is no model). */
export interface EmbedOutcome {
  /** entries that lacked an embedding when it started */
  missing: number;
  /** embeddings computed and stored */
  embedded: number;
  /** stopped by library_embed_cancel before the end (what was stored stays) */
  cancelled: boolean;
  secs: number;
}

// ---------------------------------------------------------------------------------------------
// Third-party risk: vendors and assessments (docs/app-commands.md, last section; the core's
// src/assess/ and src/library/vendors.rs)

export type Tier = "low" | "moderate" | "high" | "critical";
export const TIERS: readonly Tier[] = ["low", "moderate", "high", "critical"];
export type Level = "none" | "low" | "medium" | "high" | "critical";
export const LEVELS: readonly Level[] = ["none", "low", "medium", "high", "critical"];
export type BaaStatus = "not-needed" | "missing" | "requested" | "signed";
export const BAA_STATUSES: readonly BaaStatus[] = ["not-needed", "missing", "requested", "signed"];
export type Connectivity = "none" | "integration" | "network";
export const CONNECTIVITIES: readonly Connectivity[] = ["none", "integration", "network"];
export type Hosting = "saas" | "paas" | "iaas" | "on-prem";
export const HOSTINGS: readonly Hosting[] = ["saas", "paas", "iaas", "on-prem"];

export interface PhiActivities {
  creates: boolean;
  receives: boolean;
  maintains: boolean;
  transmits: boolean;
}

export interface Baa {
  status: BaaStatus;
  /** YYYY-MM-DD */
  signed: string | null;
  expires: string | null;
}

export interface Certification {
  /** "SOC 2 Type II", "HITRUST r2", "ISO 27001", … */
  kind: string;
  /** end of the period the report covers (SOC 2) or issue date */
  period_end: string | null;
  expires: string | null;
}

export interface Intake {
  phi_volume: Level;
  criticality: Level;
  connectivity: Connectivity;
  hosting: Hosting;
}

export interface Vendor {
  /** 0 = new */
  id: number;
  name: string;
  service: string;
  phi: PhiActivities;
  baa: Baa;
  certifications: Certification[];
  intake: Intake;
  notes: string;
  /** derived on save */
  inherent_tier: Tier;
  last_assessed: string | null;
  next_review: string | null;
}

export type WarningSeverity = "critical" | "high" | "medium";

export interface VendorWarning {
  severity: WarningSeverity;
  message: string;
}

export interface AssessmentSummary {
  id: number;
  questionnaire: string;
  rubric: string;
  /** timestamp (RFC 3339) */
  assessed_at: string;
  overall: number | null;
  residual_tier: Tier;
  /** findings not accepted or remediated */
  open_findings: number;
  findings: number;
}

export interface VendorSummary {
  vendor: Vendor;
  warnings: VendorWarning[];
  latest: AssessmentSummary | null;
}

export interface VendorDetail {
  vendor: Vendor;
  warnings: VendorWarning[];
  /** newest first */
  assessments: AssessmentSummary[];
}

export interface RubricInfo {
  name: string;
  title: string;
  /** layout profiles it applies to automatically */
  profiles: string[];
}

export type FindingStatus = "open" | "accepted" | "remediated";
export const FINDING_STATUSES: readonly FindingStatus[] = ["open", "accepted", "remediated"];
export type Severity = "low" | "medium" | "high" | "critical";
export const SEVERITIES: readonly Severity[] = ["low", "medium", "high", "critical"];

export interface DomainScore {
  id: string;
  title: string;
  weight: number;
  /** 0–100, or null when nothing in the domain could be scored (not 0) */
  score: number | null;
  earned: number;
  possible: number;
  questions: number;
  scored: number;
}

/** control: an answer other than expected; scoping: a scoping question unanswered;
 *  contradiction: a scoping answer that disagrees with the vendor record */
export type FindingKind = "control" | "scoping" | "contradiction";

export interface Finding {
  kind?: FindingKind;
  ref: string;
  sheet: string;
  row: number;
  question: string;
  answer: string;
  /** a domain id of the scorecard */
  domain: string;
  why: string;
  severity: Severity;
  remediation: string;
  /** YYYY-MM-DD */
  due: string;
}

export type Outcome =
  | "met"
  | "partial"
  | "contradicted"
  | "gap"
  | "unanswered"
  | "unclear"
  | "unjustified-na"
  | "not-applicable"
  | "informational"
  | "not-in-scope"
  | "scoping";

export interface Interpreted {
  /** the core's serde names: yes, no, n/a, partial, unclear, unanswered, choice */
  response: string;
  justified: boolean;
  evidence: string[];
  planned: string | null;
  contradiction: string | null;
  note: string | null;
}

export interface QuestionScore {
  sheet: string;
  row: number;
  ref: string;
  question: string;
  answer: string;
  comment: string;
  domain: string;
  criticality: Severity;
  expected: "Yes" | "No";
  /** rubric: by its ID; text: by its question text (placed_as); classified: by keywords;
   *  guessed: nothing placed it (findings at most low) */
  placement: "rubric" | "text" | "classified" | "guessed";
  placed_as?: string | null;
  interpreted: Interpreted;
  outcome: Outcome;
  note: string | null;
  points: number;
  earned: number;
  /** "hipaa:164.312(d)" */
  frameworks: string[];
}

export interface Scorecard {
  rubric: string;
  rubric_title: string;
  overall: number | null;
  domains: DomainScore[];
  findings: Finding[];
  questions: QuestionScore[];
}

export type CoverageStatus = "supported" | "mixed" | "contradicted" | "no-evidence";
export type ControlOwner = "vendor" | "provider" | "customer" | "shared";

export interface ControlCoverage {
  framework: string;
  id: string;
  title: string;
  group: string;
  kind: string;
  owner: string | null;
  status: CoverageStatus;
  supporting: string[];
  contradicting: string[];
}

export interface FrameworkCoverage {
  id: string;
  title: string;
  controls: ControlCoverage[];
  supported: number;
  /** contradicted + mixed */
  contradicted: number;
  no_evidence: number;
}

export interface AnswerChange {
  ref: string;
  before: string;
  after: string;
}

export interface Changes {
  previous_on: string;
  previous_overall: number | null;
  overall_delta: number | null;
  /** domain id → score change (points) */
  domain_deltas: Record<string, number>;
  answers: AnswerChange[];
  /** finding refs */
  closed_findings: string[];
  new_findings: string[];
}

export interface IdCheck {
  listed: number;
  agreed: number;
  disagreed: number;
  trusted: boolean;
  examples: string[];
}

/** Which rubric scores a questionnaire and why (shown before scoring and with the result). */
export interface RubricChoice {
  rubric: string;
  rubric_title: string;
  /** named | version | closest | profile | default */
  how: string;
  reason: string;
  recognition: Recognition | null;
  id_check: IdCheck | null;
  newer_than_rubric: boolean;
  by_id: number;
  by_text: number;
  classified: number;
  guessed: number;
  unplaced: string[];
  alternatives: { rubric: string; title: string; coverage: number }[];
}

export interface Assessment {
  vendor: Vendor;
  /** absent in assessments saved before rubric choice was recorded */
  choice?: RubricChoice;
  questionnaire: string;
  sha256: string;
  /** YYYY-MM-DD */
  assessed_on: string;
  inherent_tier: Tier;
  residual_tier: Tier;
  warnings: VendorWarning[];
  scorecard: Scorecard;
  coverage: FrameworkCoverage[];
  /** severity → count */
  finding_counts: Record<string, number>;
  changes: Changes | null;
}

export interface SavedAssessment {
  id: number;
  assessment: Assessment;
  /** same order as assessment.scorecard.findings */
  finding_status: FindingStatus[];
}

export interface AssessResult {
  id: number;
  assessment: Assessment;
}

export interface AssessmentExportResult {
  pdf: string | null;
  xlsx: string | null;
}
