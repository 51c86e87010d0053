// The JSON types of the UI ⇄ backend contract (docs/app-commands.md).
//
// They are GENERATED from the Rust types into ./generated/ (the core's) and ./generated/shell/
// (the Tauri shell's own replies), by ts-rs (ui/README.md, "Types from Rust"): never edit those
// files; change the Rust type and regenerate. This file re-exports them under the names the UI
// uses and declares by hand only UI-only lists and unions.

import type {
  ReviewStatus,
  Role,
  Tier,
  Level,
  BaaStatus,
  Connectivity,
  Hosting,
  FindingStatus,
  Criticality,
  Warning,
} from "./generated";

export type {
  SyncReport,
  SyncStatus,
  Alternative,
  AnswerChange,
  AnswerKind,
  AssessResult,
  Assessment,
  Assignment,
  AssignmentScope,
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
  KeptAside,
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
  Comment as ReviewComment,
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

// The replies the Tauri shell declares itself (src-tauri/src/commands.rs), generated the same way.
export type { AppState, EntryDetail, EntryEdit, MatchingStatus, RubricInfo, VendorDetail } from "./generated/shell";
