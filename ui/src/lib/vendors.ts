// vendors.ts owns the pure logic of the third-party-risk screens: tier labels, ranks and colour
// classes, the Vendors list's order and filter, warning badges, overdue reviews, the vendor
// form's clean-up and tier preview, finding filters and sorting, the domain chart's bars and
// labels, coverage and outcome labels. No DOM, no backend calls (tests/vendors.test.ts).
// The rules it mirrors are docs/assessment.md's.

import { daysBetween, plural, todayIso } from "./review";
import type {
  Certification,
  CoverageStatus,
  DomainScore,
  Finding,
  FindingStatus,
  Intake,
  Level,
  Outcome,
  PhiActivities,
  QuestionScore,
  Severity,
  Recognition,
  RubricChoice,
  Tier,
  Vendor,
  VendorSummary,
  VendorWarning,
  WarningSeverity,
} from "./types";

// ---------------------------------------------------------------------------------------------
// Tiers

const TIER_LABELS: Record<Tier, string> = { low: "Low", moderate: "Moderate", high: "High", critical: "Critical" };
const TIER_RANK: Record<Tier, number> = { low: 0, moderate: 1, high: 2, critical: 3 };

export function tierLabel(t: Tier | null | undefined): string {
  if (!t) return "—";
  return TIER_LABELS[t] ?? t;
}

/** low 0 … critical 3; anything unknown -1 (sorts below low). */
export function tierRank(t: Tier | null | undefined): number {
  return t ? (TIER_RANK[t] ?? -1) : -1;
}

/**
 * The colour class of a tier (app.css): low green, moderate amber, high orange, critical red.
 * The same classes colour finding severities and warning badges ("risk-high" is orange everywhere).
 */
export function tierClass(t: Tier | null | undefined): string {
  return t && t in TIER_RANK ? `risk-${t}` : "risk-none";
}

/** How the residual tier relates to the inherent one. */
export function tierStep(inherent: Tier, residual: Tier): "lowered" | "kept" | "raised" {
  const d = tierRank(residual) - tierRank(inherent);
  return d < 0 ? "lowered" : d > 0 ? "raised" : "kept";
}

/** "High → Moderate" with what happened, for titles and the PDF-like header. */
export function tierChangeText(inherent: Tier, residual: Tier): string {
  const step = tierStep(inherent, residual);
  const what = step === "kept" ? "kept by the score" : step === "lowered" ? "lowered by the score" : "raised by the score";
  return `${tierLabel(inherent)} → ${tierLabel(residual)} (${what})`;
}

// ---------------------------------------------------------------------------------------------
// Scores

/** A 0–100 score with one decimal, as the backend rounds it: 72.46 → "72.5", 80 → "80.0", null → "—". */
export function formatScore(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "—";
  return (Math.round(n * 10) / 10).toFixed(1);
}

/** Points (criticality weights, halves for partial credit): 3 → "3", 1.5 → "1.5". */
export function formatPoints(n: number): string {
  if (!Number.isFinite(n)) return "—";
  const r = Math.round(n * 10) / 10;
  return Number.isInteger(r) ? String(r) : r.toFixed(1);
}

/** A change of score with one decimal: 4.2 → "+4.2", -3 → "−3.0", 0 → "±0.0", null → "—". */
export function formatDelta(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "—";
  const r = Math.round(n * 10) / 10;
  if (r === 0) return "±0.0";
  return `${r > 0 ? "+" : "−"}${Math.abs(r).toFixed(1)}`;
}

/**
 * The tier a score implies on its own, with the residual-tier thresholds (≥ 85, 70–85, 50–70,
 * < 50): used to colour score bars like tiers. null for no score.
 */
export function scoreBand(score: number | null | undefined): Tier | null {
  if (score === null || score === undefined || !Number.isFinite(score)) return null;
  if (score >= 85) return "low";
  if (score >= 70) return "moderate";
  if (score >= 50) return "high";
  return "critical";
}

// ---------------------------------------------------------------------------------------------
// Domain chart

export interface DomainBar {
  id: string;
  title: string;
  score: number | null;
  /** width of the bar in percent of the track, 0–100 (0 for no score) */
  width: number;
  /** "72.5" or "no score" */
  label: string;
  /** colour class of the bar; "" for no score */
  cls: string;
  /** tooltip: points and questions */
  detail: string;
  weight: number;
}

/** Bar width in percent: the score clamped to 0–100; no score → 0 (the label says "no score"). */
export function barWidth(score: number | null | undefined): number {
  if (score === null || score === undefined || !Number.isFinite(score)) return 0;
  return Math.max(0, Math.min(100, score));
}

export function barLabel(score: number | null | undefined): string {
  return score === null || score === undefined || !Number.isFinite(score) ? "no score" : formatScore(score);
}

export function domainBars(domains: readonly DomainScore[]): DomainBar[] {
  return domains.map((d) => {
    const band = scoreBand(d.score);
    const detail =
      d.score === null
        ? `${plural(d.questions, "question")}, none scorable: no score (not 0)`
        : `${formatPoints(d.earned)} of ${formatPoints(d.possible)} points · ${d.scored} of ${plural(d.questions, "question")} scored · weight ${formatPoints(d.weight)}`;
    return { id: d.id, title: d.title, score: d.score, width: barWidth(d.score), label: barLabel(d.score), cls: band ? tierClass(band) : "", detail, weight: d.weight };
  });
}

/** Domain id → title (findings and changes name domains by id). */
export function domainTitles(domains: readonly Pick<DomainScore, "id" | "title">[]): Map<string, string> {
  return new Map(domains.map((d) => [d.id, d.title]));
}

// ---------------------------------------------------------------------------------------------
// Vendors list

/**
 * The tier the list sorts by: the latest assessment's residual tier, or the inherent tier while
 * the vendor is not assessed (an unassessed critical vendor belongs at the top, not the bottom).
 */
export function listTier(s: VendorSummary): Tier {
  return s.latest?.residual_tier ?? s.vendor.inherent_tier;
}

const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });

/** Highest tier first, then by name. */
export function compareVendors(a: VendorSummary, b: VendorSummary): number {
  return tierRank(listTier(b)) - tierRank(listTier(a)) || collator.compare(a.vendor.name, b.vendor.name) || a.vendor.id - b.vendor.id;
}

export function sortVendors(list: readonly VendorSummary[]): VendorSummary[] {
  return [...list].sort(compareVendors);
}

/** Case-insensitive words (all must occur) in name, service, notes or certification kinds. */
export function matchesVendor(s: VendorSummary, text: string): boolean {
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const v = s.vendor;
  const hay = [v.name, v.service, v.notes, ...v.certifications.map((c) => c.kind)].join("\n").toLowerCase();
  return words.every((w) => hay.includes(w));
}

export function filterVendors(list: readonly VendorSummary[], text: string): VendorSummary[] {
  return sortVendors(list.filter((s) => matchesVendor(s, text)));
}

// ---------------------------------------------------------------------------------------------
// Warnings

const WARNING_ORDER: readonly WarningSeverity[] = ["critical", "high", "medium"];

export interface WarningBadge {
  severity: WarningSeverity;
  count: number;
  /** "2 critical" */
  text: string;
  /** every message of that severity, one per line */
  title: string;
  cls: string;
}

/** The colour class of a warning severity (critical red, high orange, medium amber). */
export function warningClass(s: string): string {
  return s === "critical" ? "risk-critical" : s === "high" ? "risk-high" : "risk-moderate";
}

/** One badge per severity present, most serious first; unknown severities count as medium. */
export function warningBadges(warnings: readonly VendorWarning[]): WarningBadge[] {
  const by = new Map<WarningSeverity, string[]>();
  for (const w of warnings) {
    const s: WarningSeverity = WARNING_ORDER.includes(w.severity) ? w.severity : "medium";
    by.set(s, [...(by.get(s) ?? []), w.message]);
  }
  return WARNING_ORDER.filter((s) => by.has(s)).map((s) => {
    const msgs = by.get(s) ?? [];
    return { severity: s, count: msgs.length, text: `${msgs.length} ${s}`, title: msgs.join("\n"), cls: warningClass(s) };
  });
}

/** What the paperwork badges count, said in words ("1 critical paperwork warning (BAA, …)"). */
export function paperworkSummary(warnings: readonly VendorWarning[]): string {
  if (warnings.length === 0) return "No paperwork warnings";
  return `${plural(warnings.length, "paperwork warning")} about the vendor record (BAA, certifications, review dates) — not findings from the answers`;
}

/** What the finding counts count, said in words. */
export function findingsSummary(counts: Readonly<Record<string, number>>): string {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return total === 0 ? "No findings from the vendor's answers" : `${plural(total, "finding")} from the vendor's answers, by severity`;
}

// ---------------------------------------------------------------------------------------------
// Questionnaire recognition and rubric choice

/** "EDUCAUSE HECVAT Lite 3.01" / "CSA CAIQ 4.x (no version cell)"; null → "Not recognised". */
export function recognitionLabel(r: Recognition | null | undefined): string {
  if (!r) return "No known questionnaire family recognised";
  let s = r.family_title;
  if (r.edition_title) s += ` ${r.edition_title}`;
  if (r.version) s += ` ${r.version}`;
  else if (r.generation) s += ` ${r.generation}.x (no version cell)`;
  else s += " (version not stated)";
  return s;
}

const HOW_LABELS: Record<string, string> = {
  named: "chosen by you",
  version: "written for this version",
  closest: "closest of the family by question text",
  profile: "from the layout",
  default: "default rubric (no family rubric fits)",
};

/** How the rubric was chosen, in a few words. */
export function choiceHow(how: string): string {
  return HOW_LABELS[how] ?? how;
}

/** "120 by ID · 14 by text · 6 by keywords · 2 guesswork". */
export function placementSummary(c: Pick<RubricChoice, "by_id" | "by_text" | "classified" | "guessed">): string {
  const parts = [`${c.by_id} by question ID`, `${c.by_text} by question text`, `${c.classified} by keywords`];
  if (c.guessed > 0) parts.push(`${c.guessed} by guesswork (findings at most low)`);
  return parts.join(" · ");
}

// ---------------------------------------------------------------------------------------------
// Review dates

/** True when `date` (YYYY-MM-DD…) is before `today`. Missing or unreadable dates are not overdue. */
export function isOverdue(date: string | null | undefined, today: string = todayIso()): boolean {
  if (!date) return false;
  const d = daysBetween(today, date);
  return d !== null && d < 0;
}

/** The next-review cell: "2026-05-01", "2025-01-01 (overdue 30 days)", "—". */
export function reviewText(next: string | null | undefined, today: string = todayIso()): string {
  if (!next) return "—";
  const d = daysBetween(today, next);
  if (d === null) return next;
  if (d < 0) return `${next.slice(0, 10)} (overdue ${plural(-d, "day")})`;
  if (d === 0) return `${next.slice(0, 10)} (today)`;
  return next.slice(0, 10);
}

/** Days ahead in which an expiry is flagged (the backend's EXPIRY_NOTICE_DAYS). */
export const EXPIRY_NOTICE_DAYS = 60;

/** A BAA or certification expiry: "expired", "soon" (within 60 days, as the backend warns), "ok" or "none". */
export function expiryLevel(expires: string | null | undefined, today: string = todayIso()): "none" | "ok" | "soon" | "expired" {
  if (!expires) return "none";
  const d = daysBetween(today, expires);
  if (d === null) return "none";
  if (d < 0) return "expired";
  return d <= EXPIRY_NOTICE_DAYS ? "soon" : "ok";
}

export function expiryClass(expires: string | null | undefined, today: string = todayIso()): string {
  const l = expiryLevel(expires, today);
  return l === "expired" ? "risk-critical" : l === "soon" ? "risk-moderate" : "risk-none";
}

// ---------------------------------------------------------------------------------------------
// The vendor form

export const CERTIFICATION_KINDS: readonly string[] = [
  "SOC 2 Type II",
  "HITRUST r2",
  "HITRUST i1",
  "HITRUST e1",
  "ISO 27001",
  "ISO 27017",
  "PCI DSS",
];

export const PHI_ACTIVITIES: readonly { key: keyof PhiActivities; label: string }[] = [
  { key: "creates", label: "Creates" },
  { key: "receives", label: "Receives" },
  { key: "maintains", label: "Maintains" },
  { key: "transmits", label: "Transmits" },
];

/** Any PHI activity makes the vendor a HIPAA business associate. */
export function isBusinessAssociate(phi: PhiActivities): boolean {
  return phi.creates || phi.receives || phi.maintains || phi.transmits;
}

export function phiText(phi: PhiActivities): string {
  const on = PHI_ACTIVITIES.filter((a) => phi[a.key]).map((a) => a.label.toLowerCase());
  return on.length === 0 ? "no PHI" : on.join(", ");
}

const LEVEL_POINTS: Record<Level, number> = { none: 0, low: 1, medium: 2, high: 3, critical: 4 };

/**
 * The inherent tier the intake gives (docs/assessment.md): PHI volume and criticality 0–4
 * points each, connectivity 0–2, hosted by the vendor 1; 0–2 low, 3–5 moderate, 6–8 high,
 * 9+ critical; a business associate is at least moderate. A preview only: saving derives the
 * tier that counts.
 */
export function previewInherentTier(intake: Intake, businessAssociate: boolean): Tier {
  const points =
    (LEVEL_POINTS[intake.phi_volume] ?? 0) +
    (LEVEL_POINTS[intake.criticality] ?? 0) +
    (intake.connectivity === "network" ? 2 : intake.connectivity === "integration" ? 1 : 0) +
    (intake.hosting === "on-prem" ? 0 : 1);
  const tier: Tier = points <= 2 ? "low" : points <= 5 ? "moderate" : points <= 8 ? "high" : "critical";
  return businessAssociate && tierRank(tier) < tierRank("moderate") ? "moderate" : tier;
}

export const LEVEL_LABELS: Record<Level, string> = { none: "None", low: "Low", medium: "Medium", high: "High", critical: "Critical" };
export const BAA_LABELS: Record<string, string> = { "not-needed": "Not needed", missing: "Missing", requested: "Requested", signed: "Signed" };
export const CONNECTIVITY_LABELS: Record<string, string> = {
  none: "None",
  integration: "Integration (files, API, SSO)",
  network: "Network (VPN, remote access)",
};
export const HOSTING_LABELS: Record<string, string> = { saas: "SaaS", paas: "PaaS", iaas: "IaaS", "on-prem": "On-premises" };

export function emptyVendor(): Vendor {
  return {
    id: 0,
    name: "",
    service: "",
    phi: { creates: false, receives: false, maintains: false, transmits: false },
    baa: { status: "not-needed", signed: null, expires: null },
    certifications: [],
    intake: { phi_volume: "medium", criticality: "medium", connectivity: "integration", hosting: "saas" },
    notes: "",
    inherent_tier: "moderate",
    last_assessed: null,
    next_review: null,
  };
}

/** A deep copy to edit (the form never changes the record it was given). */
export function copyVendor(v: Vendor): Vendor {
  return JSON.parse(JSON.stringify(v)) as Vendor;
}

const blankToNull = (s: string | null | undefined): string | null => {
  const t = (s ?? "").trim();
  return t === "" ? null : t;
};

/**
 * The record to send to vendor_save: text trimmed, blank dates null, certification rows that are
 * entirely blank dropped (a row with dates but no kind is kept, so the backend says what is
 * missing). Derived fields travel unchanged: last_assessed sets the next review.
 */
export function cleanVendor(v: Vendor): Vendor {
  const certifications: Certification[] = v.certifications
    .map((c) => ({ kind: c.kind.trim(), period_end: blankToNull(c.period_end), expires: blankToNull(c.expires) }))
    .filter((c) => c.kind !== "" || c.period_end !== null || c.expires !== null);
  return {
    ...v,
    name: v.name.trim(),
    service: v.service.trim(),
    phi: { ...v.phi },
    baa: { status: v.baa.status, signed: blankToNull(v.baa.signed), expires: blankToNull(v.baa.expires) },
    certifications,
    intake: { ...v.intake },
    notes: v.notes.trim(),
  };
}

/** A hint for the BAA field, or null: PHI without a signed BAA, or a BAA for a vendor without PHI. */
export function baaHint(v: Pick<Vendor, "phi" | "baa">): string | null {
  const ba = isBusinessAssociate(v.phi);
  if (ba && v.baa.status === "not-needed") return "Handles PHI, so a BAA is needed: saving records it as missing.";
  if (ba && v.baa.status !== "signed") return "Handles PHI without a signed BAA.";
  return null;
}

// ---------------------------------------------------------------------------------------------
// Findings

const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export function severityRank(s: string): number {
  return (SEVERITY_RANK as Record<string, number>)[s] ?? -1;
}

/** Severities share the tier colours: critical red, high orange, medium amber; low is grey. */
export function severityClass(s: string): string {
  return s === "critical" ? "risk-critical" : s === "high" ? "risk-high" : s === "medium" ? "risk-moderate" : "risk-none";
}

export const FINDING_STATUS_LABELS: Record<FindingStatus, string> = { open: "Open", accepted: "Accepted", remediated: "Remediated" };

export interface FindingFilter {
  /** "" = any */
  severity: Severity | "";
  /** domain id, "" = any */
  domain: string;
  status: FindingStatus | "";
  /** case-insensitive text in ref, question, answer, why or remediation */
  text: string;
}

export function emptyFindingFilter(): FindingFilter {
  return { severity: "", domain: "", status: "", text: "" };
}

export function isFindingFilterEmpty(f: FindingFilter): boolean {
  return f.severity === "" && f.domain === "" && f.status === "" && f.text.trim() === "";
}

/** Indices (into `findings`) of the findings that pass the filter, in order. */
export function filterFindings(findings: readonly Finding[], statuses: readonly FindingStatus[], f: FindingFilter): number[] {
  const needle = f.text.trim().toLowerCase();
  const out: number[] = [];
  findings.forEach((x, i) => {
    if (f.severity !== "" && x.severity !== f.severity) return;
    if (f.domain !== "" && x.domain !== f.domain) return;
    if (f.status !== "" && (statuses[i] ?? "open") !== f.status) return;
    if (needle !== "" && ![x.ref, x.question, x.answer, x.why, x.remediation].join("\n").toLowerCase().includes(needle)) return;
    out.push(i);
  });
  return out;
}

export type FindingSortKey = "severity" | "due";
export interface FindingSort {
  key: FindingSortKey;
  /** severity "desc" = critical first; due "asc" = soonest first */
  dir: "asc" | "desc";
}

export const DEFAULT_FINDING_SORT: FindingSort = { key: "severity", dir: "desc" };

/**
 * Sorts finding indices. By severity: then soonest due, then original order. By due date: then
 * most severe, then original order. `dir` flips only the primary key.
 */
export function sortFindings(findings: readonly Finding[], indices: readonly number[], sort: FindingSort): number[] {
  const sign = sort.dir === "asc" ? 1 : -1;
  const due = (i: number) => findings[i].due ?? "";
  const sev = (i: number) => severityRank(findings[i].severity);
  return [...indices].sort((a, b) => {
    if (sort.key === "severity") {
      return sign * (sev(a) - sev(b)) || due(a).localeCompare(due(b)) || a - b;
    }
    return sign * due(a).localeCompare(due(b)) || sev(b) - sev(a) || a - b;
  });
}

/** The sort after clicking a column header: the same column flips, another starts at its natural order. */
export function nextFindingSort(current: FindingSort, key: FindingSortKey): FindingSort {
  if (current.key === key) return { key, dir: current.dir === "asc" ? "desc" : "asc" };
  return { key, dir: key === "severity" ? "desc" : "asc" };
}

export function countStatuses(statuses: readonly FindingStatus[], total = statuses.length): Record<FindingStatus, number> {
  const c: Record<FindingStatus, number> = { open: 0, accepted: 0, remediated: 0 };
  for (let i = 0; i < total; i++) c[statuses[i] ?? "open"] += 1;
  return c;
}

/** An open finding whose due date has passed. */
export function isFindingOverdue(f: Pick<Finding, "due">, status: FindingStatus, today: string = todayIso()): boolean {
  return status === "open" && isOverdue(f.due, today);
}

/** Replaces one status (the list the UI keeps after finding_set_status succeeds). */
export function withStatus(statuses: readonly FindingStatus[], index: number, status: FindingStatus): FindingStatus[] {
  const next = [...statuses];
  while (next.length <= index) next.push("open");
  next[index] = status;
  return next;
}

// ---------------------------------------------------------------------------------------------
// Coverage and outcomes

const COVERAGE_LABELS: Record<CoverageStatus, string> = { supported: "Supported", mixed: "Mixed", contradicted: "Contradicted", "no-evidence": "No evidence" };

export function coverageLabel(s: string): string {
  return (COVERAGE_LABELS as Record<string, string>)[s] ?? s;
}

export function coverageClass(s: string): string {
  return s === "supported" ? "risk-low" : s === "mixed" ? "risk-moderate" : s === "contradicted" ? "risk-critical" : "risk-none";
}

const OWNER_LABELS: Record<string, string> = { vendor: "Vendor", provider: "Cloud provider", customer: "Us (customer)", shared: "Shared" };

export function ownerLabel(o: string | null | undefined): string {
  if (!o) return "—";
  return OWNER_LABELS[o] ?? o;
}

const OUTCOME_LABELS: Record<Outcome, string> = {
  met: "Met",
  partial: "Partial",
  contradicted: "Contradicted",
  gap: "Gap",
  unanswered: "Unanswered",
  unclear: "Unclear",
  "unjustified-na": "N/A without reason",
  "not-applicable": "Not applicable",
  informational: "Informational",
  "not-in-scope": "Not in scope",
  scoping: "Scoping question",
};

export const OUTCOMES = Object.keys(OUTCOME_LABELS) as Outcome[];

export function outcomeLabel(o: string): string {
  return (OUTCOME_LABELS as Record<string, string>)[o] ?? o;
}

export function outcomeClass(o: string): string {
  switch (o) {
    case "met":
      return "risk-low";
    case "partial":
    case "contradicted":
    case "unclear":
    case "unjustified-na":
      return "risk-moderate";
    case "gap":
    case "unanswered":
      return "risk-critical";
    default:
      return "risk-none";
  }
}

const RESPONSE_LABELS: Record<string, string> = { yes: "Yes", no: "No", "n/a": "N/A", partial: "Partial", unclear: "Unclear", unanswered: "Unanswered", choice: "Choice" };

/** How a question was placed in the rubric, for the answer detail. */
export function placementLabel(p: string, placedAs?: string | null): string {
  switch (p) {
    case "rubric":
      return "placed by the rubric (its ID)";
    case "text":
      return `placed by its text on the rubric's ${placedAs ?? "entry"}`;
    case "guessed":
      return "nothing placed it: guesswork, a finding at most low";
    default:
      return "classified from its words";
  }
}

/** What a finding is about, when it is not a control ("Scoping question unanswered"). */
export function findingKindLabel(k: string): string {
  return k === "scoping" ? "Scoping question unanswered" : k === "contradiction" ? "Contradicts the vendor record" : "Control";
}

/** How the scoring read an answer ("n/a" → "N/A"); unknown values are shown as they are. */
export function responseLabel(r: string): string {
  return RESPONSE_LABELS[r] ?? r;
}

/** Indices of the questions matching an outcome ("" = any) and text (ref, question, answer, comment). */
export function filterAnswers(questions: readonly QuestionScore[], outcome: Outcome | "", text: string): number[] {
  const needle = text.trim().toLowerCase();
  const out: number[] = [];
  questions.forEach((q, i) => {
    if (outcome !== "" && q.outcome !== outcome) return;
    if (needle !== "" && ![q.ref, q.question, q.answer, q.comment].join("\n").toLowerCase().includes(needle)) return;
    out.push(i);
  });
  return out;
}

/** A question's label as coverage and changes name it: its ref, or "Sheet row N". */
export function questionLabel(q: Pick<QuestionScore, "ref" | "sheet" | "row">): string {
  return q.ref.trim() !== "" ? q.ref : `${q.sheet} row ${q.row}`;
}
