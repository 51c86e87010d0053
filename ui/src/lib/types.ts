// The JSON types of the UI ⇄ backend contract (docs/app-commands.md).
//
// The types the Rust core owns are GENERATED from it into ./generated/ (ts-rs; ui/README.md,
// "Types from Rust"): never edit those files, change the Rust type and regenerate. This file
// re-exports them under the names the UI uses, and declares by hand only what the core does not
// own: the Tauri shell's own replies and arguments (src-tauri/src/commands.rs: AppState,
// EntryDetail, EntryEdit, MatchingStatus, VendorDetail, RubricInfo) and UI-only lists.

import type {
  AssessmentSummary,
  Entry,
  Evidence,
  HistoryItem,
  ReviewStatus,
  Role,
  Tier,
  Level,
  BaaStatus,
  Connectivity,
  Hosting,
  FindingStatus,
  Criticality,
  Vendor,
  Warning,
} from "./generated";

export type {
  Alternative,
  AnswerChange,
  AnswerKind,
  AssessResult,
  Assessment,
  AssessmentSummary,
  Baa,
  BaaStatus,
  Certification,
  Changes,
  Connectivity,
  ControlCoverage,
  CoverageStatus,
  DomainScore,
  EmbedOutcome,
  Entry,
  Evidence,
  Expected,
  ExportResult,
  Field,
  Finding,
  FindingKind,
  FindingStatus,
  FrameworkCoverage,
  HistoryItem,
  Hosting,
  IdCheck,
  ImportReport,
  ImportResult,
  InspectReport,
  Intake,
  Interpreted,
  Level,
  Outcome,
  PhiActivities,
  Placement,
  Progress,
  Question,
  QuestionScore,
  Recognition,
  Response,
  ReviewChange,
  ReviewItem,
  ReviewSession,
  ReviewSummary,
  RubricAlternative,
  RubricChoice,
  SavedAssessment,
  Scorecard,
  SheetOverride,
  SheetReport,
  Tier,
  Vendor,
  VendorSummary,
} from "./generated";

// The UI's names for generated types (the Rust names differ).
export type {
  ReviewStatus as Status,
  ProvenanceItem as Provenance,
  Role as ColumnRole,
  ColumnLetters as SheetOverrideColumns,
  FillSkip as ExportSkip,
  SaveReport as SaveResult,
  Warning as VendorWarning,
  Criticality as Severity,
  AssessmentExport as AssessmentExportResult,
} from "./generated";

export type WarningSeverity = Warning["severity"];

export const STATUSES: readonly ReviewStatus[] = ["blank", "suggested", "draft", "reviewed", "approved"];
/** Column roles that detection assigns a letter to. */
export const COLUMN_ROLES: readonly Role[] = ["ref", "question", "answer", "comment", "domain"];
export const TIERS: readonly Tier[] = ["low", "moderate", "high", "critical"];
export const LEVELS: readonly Level[] = ["none", "low", "medium", "high", "critical"];
export const BAA_STATUSES: readonly BaaStatus[] = ["not-needed", "missing", "requested", "signed"];
export const CONNECTIVITIES: readonly Connectivity[] = ["none", "integration", "network"];
export const HOSTINGS: readonly Hosting[] = ["saas", "paas", "iaas", "on-prem"];
export const FINDING_STATUSES: readonly FindingStatus[] = ["open", "accepted", "remediated"];
export const SEVERITIES: readonly Criticality[] = ["low", "medium", "high", "critical"];

/** Who operates a control for a vendor's hosting model (ControlCoverage.owner, when set). */
export type ControlOwner = "vendor" | "provider" | "customer" | "shared";

// ---------------------------------------------------------------------------------------------
// Declared by the Tauri shell (src-tauri/src/commands.rs), not the core: written by hand.

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

/** How answer suggestions match questions (matching_status). */
export interface MatchingStatus {
  /** the sentence-embedding model is there and loads: suggestions also match by meaning */
  by_meaning: boolean;
  /** when by_meaning is false, a sentence saying why (and how to install the model) */
  note: string | null;
  /** library entries that have no embedding yet (0 when by_meaning is false) */
  entries_without_embedding: number;
}

export interface VendorDetail {
  vendor: Vendor;
  warnings: Warning[];
  /** newest first */
  assessments: AssessmentSummary[];
}

export interface RubricInfo {
  name: string;
  title: string;
  /** layout profiles it applies to automatically */
  profiles: string[];
}
