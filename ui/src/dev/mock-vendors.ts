// mock-vendors.ts: DEV ONLY — the mock backend's third-party-risk commands (vendors, rubrics,
// assessments, finding statuses, export), imported by mock.ts only. It follows the rules of
// docs/assessment.md closely enough to look at every screen: six vendors (assessed and not),
// a 331-question assessment over the 16 default domains (one with no score, one at 0) with
// ~100 findings, HIPAA (71 controls) and ISO/IEC 27017 coverage, and changes since the
// previous assessment. Errors are strings, as the real backend's.

import { DOMAINS, FRAMEWORKS } from "./mock-tprm-data";
import { daysBetween, todayIso } from "../lib/review";
import { isBusinessAssociate, previewInherentTier, responseLabel, tierRank } from "../lib/vendors";
import type {
  Assessment,
  AssessmentSummary,
  Changes,
  DomainScore,
  Finding,
  FindingStatus,
  FrameworkCoverage,
  Outcome,
  Progress,
  QuestionScore,
  RubricInfo,
  SavedAssessment,
  Severity,
  Tier,
  Vendor,
  VendorWarning,
} from "../lib/types";

const EVIL = '<img src=x onerror=alert(1)> <b>bold?</b> <script>alert("x")</script>';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function addDays(iso: string, n: number): string {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.slice(0, 10).split("-").map(Number);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total % 12;
  const last = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
  return `${ny}-${String(nm + 1).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

const REVIEW_MONTHS: Record<Tier, number> = { critical: 6, high: 12, moderate: 24, low: 36 };
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function checkDate(d: string | null) {
  if (d !== null && !DATE_RE.test(d)) throw `"${d}" is not a date; write it as YYYY-MM-DD`;
}

/** vendor.rs settle(): checks the record, derives the tier and next review. */
function settle(v: Vendor, today: string): Vendor {
  if (!v.name || v.name.trim() === "") throw "a vendor needs a name";
  checkDate(v.baa.signed);
  checkDate(v.baa.expires);
  for (const c of v.certifications) {
    if (!c.kind || c.kind.trim() === "") throw 'a certification needs a kind, e.g. "SOC 2 Type II"';
    checkDate(c.period_end);
    checkDate(c.expires);
  }
  const out: Vendor = JSON.parse(JSON.stringify(v));
  out.name = out.name.trim();
  const ba = isBusinessAssociate(out.phi);
  if (ba && out.baa.status === "not-needed") out.baa.status = "missing";
  out.inherent_tier = previewInherentTier(out.intake, ba);
  out.next_review = addMonths(out.last_assessed ?? today, REVIEW_MONTHS[out.inherent_tier]);
  return out;
}

/** vendor.rs warnings(). */
function warningsOf(v: Vendor, today: string): VendorWarning[] {
  const out: VendorWarning[] = [];
  const days = (d: string | null) => (d ? daysBetween(today, d) : null);
  if (isBusinessAssociate(v.phi)) {
    if (v.baa.status === "requested") out.push({ severity: "high", message: "handles PHI and the BAA is requested but not signed" });
    else if (v.baa.status !== "signed") out.push({ severity: "critical", message: "handles PHI without a signed business associate agreement (BAA)" });
  }
  if (v.baa.status === "signed") {
    const d = days(v.baa.expires);
    if (d !== null && d < 0) out.push({ severity: "critical", message: `the BAA expired on ${v.baa.expires}` });
    else if (d !== null && d <= 60) out.push({ severity: "medium", message: `the BAA expires on ${v.baa.expires}` });
  }
  for (const c of v.certifications) {
    const d = days(c.expires);
    if (d !== null && d < 0) out.push({ severity: "high", message: `${c.kind} expired on ${c.expires}` });
    else if (d !== null && d <= 60) out.push({ severity: "medium", message: `${c.kind} expires on ${c.expires}` });
    const p = days(c.period_end);
    if (p !== null && -p > 365) out.push({ severity: "medium", message: `${c.kind} covers a period that ended on ${c.period_end}, over a year ago: ask for the current report` });
  }
  const n = days(v.next_review);
  if (n !== null && n < 0) out.push({ severity: "medium", message: `reassessment was due on ${v.next_review}` });
  const rank = (s: string) => (s === "critical" ? 0 : s === "high" ? 1 : 2);
  return out.sort((a, b) => rank(a.severity) - rank(b.severity));
}

// ---------------------------------------------------------------------------------------------
// Questionnaires and scoring

const QUESTIONS: Record<string, string[]> = {
  governance: ["Do you maintain a formal information security program with a named security officer?", "Is an enterprise risk assessment performed at least annually?", "Do you hold a current independent assurance report (SOC 2 Type II, ISO 27001 or HITRUST)?", "Are audit findings tracked to remediation with owners and dates?"],
  policy: ["Is your information security policy approved by leadership and reviewed annually?", "Are security policies communicated to all staff and contractors?", "Is there a documented exception process for policy deviations?"],
  access: ["Is multi-factor authentication enforced for all remote and administrative access?", "Can the service use single sign-on with the hospital's identity provider?", "Are privileged accounts reviewed at least quarterly?", "Are accounts of leavers disabled within one business day?", "Do sessions time out automatically after inactivity?"],
  data_protection: ["Is ePHI encrypted at rest with AES-256 or equivalent?", "Is data in transit protected with TLS 1.2 or later?", "Are encryption keys managed separately from the data they protect?", "Is hospital data returned and securely deleted at contract end?"],
  privacy: ["Will you sign a business associate agreement (BAA) before receiving PHI?", "Is PHI used only for the contracted purpose?", "Do you sell, combine or use PHI for marketing?", "Is PHI ever stored or processed outside the United States?"],
  appsec: ["Do you follow a documented secure development lifecycle?", "Is code reviewed and scanned (SAST/DAST) before release?", "Are third-party libraries tracked and patched (SCA)?", "Are production changes approved through change control?"],
  vulnerability: ["Do you run authenticated vulnerability scans at least monthly?", "Is an independent penetration test performed annually?", "Are critical vulnerabilities patched within 15 days?"],
  infrastructure: ["Are production networks segmented with default-deny firewalls?", "Is endpoint detection and response deployed on all servers and laptops?", "Are systems built from hardened baseline images?", "Is production separated from development and test?"],
  logging: ["Are user and administrator actions on ePHI logged?", "Are logs protected from tampering and retained at least six years?", "Are security events monitored 24x7?"],
  incident: ["Do you maintain a tested incident response plan?", "Will you notify the hospital of a suspected incident within 72 hours?", "Have you had a data breach in the last three years?"],
  continuity: ["Are business continuity and disaster recovery plans tested annually?", "Are backups encrypted, immutable and tested by restoring?", "Do RTO and RPO meet clinical needs (RTO ≤ 4 hours)?"],
  third_party: ["Do you keep an inventory of subprocessors with access to hospital data?", "Are subprocessors assessed before onboarding and annually?", "Do subprocessor contracts flow down BAA obligations?"],
  physical: ["Are data centres covered by current SOC 2 or ISO 27001 reports?", "Is physical access badge-controlled and logged?"],
  hr: ["Are background checks performed before access to PHI?", "Do staff complete HIPAA and security training at hire and annually?", "Do staff sign confidentiality agreements?"],
  ai: ["Is hospital data excluded from training AI models without written authorization?", "Can AI features be disabled by the customer?", "Are AI model risks assessed before release?"],
  accessibility: ["Do you provide a current VPAT / Accessibility Conformance Report?", "Do you commit to WCAG 2.1 AA conformance?"],
};
const SCOPES = ["", " (production)", " (corporate systems)", " (support staff)", " (subprocessors)", " (mobile apps)", " (APIs)", " (backups)"];
const PREFIX: Record<string, string> = {
  governance: "GOV", policy: "POL", access: "IAM", data_protection: "DPE", privacy: "PRV", appsec: "APP", vulnerability: "VUL", infrastructure: "INF",
  logging: "LOG", incident: "IRP", continuity: "BCP", third_party: "TPM", physical: "PHY", hr: "HRS", ai: "AIM", accessibility: "ACC",
};

interface Spec {
  sheet: string;
  row: number;
  ref: string;
  question: string;
  domain: string;
  criticality: Severity;
  expected: "Yes" | "No";
  informational: boolean;
  frameworks: string[];
}

/** A questionnaire of `n` questions over the 16 default domains (deterministic for `seed`). */
function makeQuestionnaire(n: number, seed: number): Spec[] {
  const r = rng(seed);
  const total = DOMAINS.reduce((a, d) => a + d[2], 0);
  const specs: Spec[] = [];
  const hipaa = FRAMEWORKS[0].controls;
  const iso = FRAMEWORKS[1].controls;
  for (const [id, , weight] of DOMAINS) {
    // a domain with nothing scorable (accessibility) keeps a few questions
    const count = id === "accessibility" ? 3 : id === "ai" ? 4 : Math.max(3, Math.round(((n - 7) * weight) / (total - 6)));
    const texts = QUESTIONS[id] ?? ["Is this control in place?"];
    for (let k = 0; k < count; k++) {
      const i = specs.length;
      const base = texts[k % texts.length];
      let question = `${base.replace(/\?$/, "")}${SCOPES[Math.floor(k / texts.length) % SCOPES.length]}?`;
      const informational = k > 0 && k % 17 === 0;
      if (informational) question = `Describe how you handle: ${base.replace(/^(Do|Does|Is|Are|Can|Will|Have) (you )?/i, "").replace(/\?$/, "")}.`;
      if (i === 5) question = `${question} ${EVIL}`;
      const x = r();
      const criticality: Severity = x < 0.15 ? "critical" : x < 0.45 ? "high" : x < 0.85 ? "medium" : "low";
      const frameworks: string[] = [];
      if (id !== "accessibility" && id !== "ai" && i % 5 !== 0) frameworks.push(`hipaa:${hipaa[(i * 7) % 55][0]}`);
      if (i % 11 === 3) frameworks.push(`hipaa:${hipaa[(i * 3) % 55][0]}`);
      if ((id === "infrastructure" || id === "data_protection" || id === "access") && k % 2 === 0) frameworks.push(`iso27017:${iso[k % 6][0]}`);
      specs.push({
        sheet: i < n / 2 ? "Security" : "Privacy and Operations",
        row: 4 + i,
        ref: `${PREFIX[id] ?? "Q"}-${String(k + 1).padStart(2, "0")}`,
        question,
        domain: id,
        criticality,
        expected: /breach|sell, combine|outside the United States/.test(base) ? "No" : "Yes",
        informational,
        frameworks: [...new Set(frameworks)],
      });
    }
  }
  return specs.slice(0, Math.max(n, 20));
}

const POINTS: Record<Severity, number> = { low: 1, medium: 2, high: 3, critical: 5 };
const LOWER: Record<Severity, Severity> = { critical: "high", high: "medium", medium: "low", low: "low" };
const DUE_DAYS: Record<Severity, number> = { critical: 30, high: 60, medium: 90, low: 180 };

function pickOutcome(spec: Spec, quality: number, x: number): Outcome {
  if (spec.informational) return "informational";
  if (spec.domain === "accessibility") return "not-applicable";
  if (spec.domain === "ai" && quality < 0.8) return "gap";
  if (x < quality) return "met";
  const y = (x - quality) / (1 - quality);
  if (y < 0.4) return "gap";
  if (y < 0.55) return "partial";
  if (y < 0.67) return "contradicted";
  if (y < 0.8) return "unanswered";
  if (y < 0.9) return "unclear";
  if (y < 0.95) return "unjustified-na";
  return "not-applicable";
}

function scoreQuestion(spec: Spec, outcome: Outcome, today: string): QuestionScore {
  const yes = spec.expected === "Yes";
  const good = yes ? "Yes" : "No";
  const bad = yes ? "No" : "Yes";
  let answer = "";
  let comment = "";
  const interpreted = { response: "unanswered", justified: false, evidence: [] as string[], planned: null as string | null, contradiction: null as string | null, note: null as string | null };
  let note: string | null = null;
  switch (outcome) {
    case "met":
      answer = good;
      comment = spec.row % 4 === 0 ? "We are SOC 2 Type II certified; see section CC6 of the report." : "";
      interpreted.response = good.toLowerCase();
      if (comment) interpreted.evidence = ["SOC 2 Type II"];
      break;
    case "gap":
      answer = bad;
      comment = spec.row % 3 === 0 ? "Not currently in place." : "";
      interpreted.response = bad.toLowerCase();
      break;
    case "partial":
      answer = "Partial";
      comment = "In place for production; corporate laptops are in progress.";
      interpreted.response = "partial";
      break;
    case "contradicted":
      answer = "Yes";
      comment = "Rollout planned for Q3 2026.";
      interpreted.response = "yes";
      interpreted.planned = "2026-09-30";
      interpreted.contradiction = 'the comment says "planned": the control is not in place yet';
      break;
    case "unanswered":
      break;
    case "unclear":
      answer = "Please refer to our security whitepaper.";
      interpreted.response = "unclear";
      interpreted.note = "read as unclear: the answer says neither yes nor no";
      break;
    case "unjustified-na":
      answer = "N/A";
      interpreted.response = "n/a";
      break;
    case "not-applicable":
      answer = "N/A";
      comment = "We host no on-premises hardware; all services run in AWS.";
      interpreted.response = "n/a";
      interpreted.justified = true;
      note = `N/A: ${comment}`;
      break;
    case "informational":
      answer = "Our platform runs on AWS in two US regions with nightly replicated backups.";
      interpreted.response = "unclear";
      break;
    default:
      break;
  }
  const scored = outcome !== "not-applicable" && outcome !== "informational" && outcome !== "not-in-scope";
  const points = scored ? POINTS[spec.criticality] : 0;
  const credit = outcome === "met" ? 1 : outcome === "partial" || outcome === "contradicted" ? 0.5 : 0;
  void today;
  return {
    sheet: spec.sheet, row: spec.row, ref: spec.ref, question: spec.question, answer, comment, domain: spec.domain, criticality: spec.criticality,
    expected: spec.expected, placement: spec.row % 3 === 0 ? "classified" : "rubric", interpreted, outcome, note, points, earned: points * credit, frameworks: spec.frameworks,
  };
}

function findingOf(q: QuestionScore, today: string): Finding | null {
  let why: string;
  let severity: Severity = q.criticality;
  switch (q.outcome) {
    case "gap":
      why = `answered ${q.answer}, where ${q.expected} means the control is in place`;
      break;
    case "partial":
      why = "only partly in place";
      severity = LOWER[q.criticality];
      break;
    case "contradicted":
      why = q.interpreted.contradiction ?? "the comment contradicts the answer";
      severity = LOWER[q.criticality];
      break;
    case "unanswered":
      why = "not answered: counts as not in place until the vendor answers";
      break;
    case "unclear":
      why = q.interpreted.note ?? "the answer is neither yes nor no";
      severity = LOWER[q.criticality];
      break;
    case "unjustified-na":
      why = "N/A without a reason: ask the vendor why it does not apply";
      severity = LOWER[q.criticality];
      break;
    default:
      return null;
  }
  let due = addDays(today, DUE_DAYS[severity]);
  const planned = q.interpreted.planned;
  if (planned && planned >= today && planned < due) due = planned;
  const dom = DOMAINS.find((d) => d[0] === q.domain);
  return { ref: q.ref, sheet: q.sheet, row: q.row, question: q.question, answer: q.answer.trim() === "" ? "(blank)" : q.answer, domain: q.domain, why, severity, remediation: dom ? dom[3] : "Ask the vendor for its remediation plan and a date.", due };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

function residual(inherent: Tier, overall: number | null): Tier {
  if (overall === null) return inherent;
  const order: Tier[] = ["low", "moderate", "high", "critical"];
  const i = tierRank(inherent);
  if (overall >= 85) return order[Math.max(0, i - 1)];
  if (overall >= 70) return inherent;
  if (overall >= 50) return order[Math.min(3, i + 1)];
  return "critical";
}

function coverageOf(questions: QuestionScore[], hosting: Vendor["intake"]["hosting"]): FrameworkCoverage[] {
  const col = hosting === "saas" ? 4 : hosting === "paas" ? 5 : hosting === "iaas" ? 6 : 7;
  return FRAMEWORKS.map((f) => {
    const controls = f.controls.map((c) => {
      const key = `${f.id}:${c[0]}`;
      const mapped = questions.filter((q) => q.outcome !== "not-applicable" && q.outcome !== "informational" && q.outcome !== "not-in-scope" && q.frameworks.includes(key));
      const label = (q: QuestionScore) => q.ref || `${q.sheet} row ${q.row}`;
      const supporting = mapped.filter((q) => q.outcome === "met").map(label);
      const contradicting = mapped.filter((q) => q.outcome !== "met" && q.outcome !== "unanswered").map(label);
      const status = supporting.length === 0 && contradicting.length === 0 ? "no-evidence" : contradicting.length === 0 ? "supported" : supporting.length === 0 ? "contradicted" : "mixed";
      return { framework: f.id, id: c[0], title: c[1], group: c[2], kind: c[3], owner: c[col] ?? null, status: status as FrameworkCoverage["controls"][number]["status"], supporting, contradicting };
    });
    const count = (s: string) => controls.filter((c) => c.status === s).length;
    return { id: f.id, title: f.title, controls, supported: count("supported"), contradicted: count("contradicted") + count("mixed"), no_evidence: count("no-evidence") };
  });
}

function changesOf(prev: Assessment, now: Assessment["scorecard"]): Changes {
  const key = (q: { ref: string; sheet: string; row: number }) => q.ref || `${q.sheet}!${q.row}`;
  const before = new Map(prev.scorecard.questions.map((q) => [key(q), q]));
  const answers = now.questions
    .filter((q) => { const b = before.get(key(q)); return b !== undefined && b.interpreted.response !== q.interpreted.response; })
    .map((q) => ({ ref: q.ref || `${q.sheet} row ${q.row}`, before: responseLabel(before.get(key(q))!.interpreted.response), after: responseLabel(q.interpreted.response) }));
  const old = new Set(prev.scorecard.findings.map(key));
  const neu = new Set(now.findings.map(key));
  const domain_deltas: Record<string, number> = {};
  for (const d of now.domains) {
    const p = prev.scorecard.domains.find((x) => x.id === d.id)?.score;
    if (p !== null && p !== undefined && d.score !== null) domain_deltas[d.id] = round1(d.score - p);
  }
  return {
    previous_on: prev.assessed_on,
    previous_overall: prev.scorecard.overall,
    overall_delta: now.overall !== null && prev.scorecard.overall !== null ? round1(now.overall - prev.scorecard.overall) : null,
    domain_deltas,
    answers,
    closed_findings: [...old].filter((k) => !neu.has(k)).sort(),
    new_findings: [...neu].filter((k) => !old.has(k)).sort(),
  };
}


function assess(vendor: Vendor, opts: { questionnaire: string; n: number; seed: number; quality: number; on: string; rubric: string; previous: Assessment | null }): Assessment {
  const specs = makeQuestionnaire(opts.n, 4242);
  const r = rng(opts.seed);
  const questions = specs.map((s) => scoreQuestion(s, pickOutcome(s, opts.quality, r()), opts.on));
  const domains: DomainScore[] = DOMAINS.map(([id, title, weight]) => {
    const mine = questions.filter((q) => q.domain === id);
    const possible = mine.reduce((a, q) => a + q.points, 0);
    const earned = mine.reduce((a, q) => a + q.earned, 0);
    const scored = mine.filter((q) => q.outcome !== "not-applicable" && q.outcome !== "informational" && q.outcome !== "not-in-scope").length;
    return { id, title, weight, score: possible > 0 ? round1((100 * earned) / possible) : null, earned, possible, questions: mine.length, scored };
  });
  const weighted = domains.filter((d) => d.score !== null);
  const tw = weighted.reduce((a, d) => a + d.weight, 0);
  const overall = tw > 0 ? round1(weighted.reduce((a, d) => a + d.weight * (d.score as number), 0) / tw) : null;
  const findings = questions.map((q) => findingOf(q, opts.on)).filter((f): f is Finding => f !== null);
  const rubricTitle = RUBRICS.find((x) => x.name === opts.rubric)?.title ?? opts.rubric;
  const scorecard = { rubric: opts.rubric, rubric_title: rubricTitle, overall, domains, findings, questions };
  const v = settle({ ...vendor, last_assessed: opts.on }, opts.on);
  const finding_counts: Record<string, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of findings) finding_counts[f.severity] += 1;
  return {
    vendor: v, questionnaire: opts.questionnaire, sha256: "5e".repeat(32), assessed_on: opts.on, inherent_tier: v.inherent_tier,
    residual_tier: residual(v.inherent_tier, overall), warnings: warningsOf(v, opts.on), scorecard, coverage: coverageOf(questions, v.intake.hosting),
    finding_counts, changes: opts.previous ? changesOf(opts.previous, scorecard) : null,
  };
}

const RUBRICS: RubricInfo[] = [
  { name: "caiq-v4", title: "CSA CAIQ v4", profiles: ["caiq-v4"] },
  { name: "default", title: "Quire default healthcare vendor-risk rubric", profiles: [] },
  { name: "hecvat", title: "EDUCAUSE HECVAT 4", profiles: ["hecvat-4"] },
  { name: "hecvat-3", title: "EDUCAUSE HECVAT 3", profiles: ["hecvat-3"] },
];

// ---------------------------------------------------------------------------------------------
// The commands

type Emit = (p: Progress) => void;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function vendorCommands(emit: Emit): Record<string, (a: any) => unknown> {
  const today = todayIso();
  const vendors = new Map<number, Vendor>();
  const saved = new Map<number, { vendorId: number; at: string; saved: SavedAssessment }>();
  let nextVendor = 1;
  let nextAssessment = 1;

  const base = (name: string, p: Partial<Vendor>): Vendor => ({
    id: 0, name, service: "", phi: { creates: false, receives: false, maintains: false, transmits: false }, baa: { status: "not-needed", signed: null, expires: null },
    certifications: [], intake: { phi_volume: "medium", criticality: "medium", connectivity: "integration", hosting: "saas" }, notes: "", inherent_tier: "moderate",
    last_assessed: null, next_review: null, ...p,
  });
  const add = (v: Vendor) => {
    const s = settle(v, today);
    s.id = nextVendor++;
    vendors.set(s.id, s);
    return s;
  };
  const record = (vendorId: number, a: Assessment, statuses?: (i: number) => FindingStatus) => {
    const id = nextAssessment++;
    const finding_status = a.scorecard.findings.map((_, i) => (statuses ? statuses(i) : "open"));
    saved.set(id, { vendorId, at: `${a.assessed_on}T14:${String(10 + id).padStart(2, "0")}:00Z`, saved: { id, assessment: a, finding_status } });
    if (vendors.has(vendorId)) vendors.set(vendorId, { ...a.vendor, id: vendorId });
    return id;
  };
  const latestOf = (vendorId: number) => summaries(vendorId)[0] ?? null;
  const summaries = (vendorId: number): AssessmentSummary[] =>
    [...saved.entries()]
      .filter(([, s]) => s.vendorId === vendorId)
      .sort((a, b) => b[1].at.localeCompare(a[1].at) || b[0] - a[0])
      .map(([id, s]) => ({
        id, questionnaire: s.saved.assessment.questionnaire, rubric: s.saved.assessment.scorecard.rubric, assessed_at: s.at, overall: s.saved.assessment.scorecard.overall,
        residual_tier: s.saved.assessment.residual_tier, findings: s.saved.finding_status.length, open_findings: s.saved.finding_status.filter((x) => x === "open").length,
      }));

  // Seed data, dated relative to today so that warnings and overdue reviews show.
  const meridian = add(base("Meridian EHR Cloud", {
    service: "Hosted electronic health record and patient portal",
    phi: { creates: true, receives: true, maintains: true, transmits: true },
    baa: { status: "signed", signed: addDays(today, -700), expires: addDays(today, 40) },
    certifications: [
      { kind: "SOC 2 Type II", period_end: addDays(today, -420), expires: addDays(today, 300) },
      { kind: "HITRUST r2", period_end: null, expires: addDays(today, 500) },
    ],
    intake: { phi_volume: "high", criticality: "critical", connectivity: "network", hosting: "saas" },
    notes: "Primary EHR. Site-to-site VPN to the data centre; HL7 and FHIR interfaces.",
  }));
  const prev = assess(meridian, { questionnaire: "meridian-hecvat-4.1.xlsx", n: 331, seed: 12, quality: 0.6, on: addDays(today, -400), rubric: "hecvat", previous: null });
  record(meridian.id, prev, (i) => (i % 3 === 0 ? "remediated" : "accepted"));
  const latest = assess(vendors.get(meridian.id)!, { questionnaire: "meridian-hecvat-4.1.4-2025.xlsx", n: 331, seed: 12, quality: 0.69, on: addDays(today, -20), rubric: "hecvat", previous: prev });
  record(meridian.id, latest, (i) => (i % 9 === 4 ? "accepted" : i % 13 === 2 ? "remediated" : "open"));

  const acme = add(base("Acme Imaging", {
    service: "PACS and radiology image sharing",
    phi: { creates: false, receives: true, maintains: true, transmits: false },
    baa: { status: "missing", signed: null, expires: null },
    certifications: [{ kind: "SOC 2 Type II", period_end: addDays(today, -200), expires: addDays(today, -30) }],
    intake: { phi_volume: "high", criticality: "high", connectivity: "integration", hosting: "saas" },
  }));
  record(acme.id, assess(acme, { questionnaire: "acme-imaging-sig-lite.xlsx", n: 120, seed: 21, quality: 0.74, on: addDays(today, -410), rubric: "default", previous: null }));

  const bright = add(base("Brightline Payroll", {
    service: "Payroll and HR administration",
    certifications: [{ kind: "ISO 27001", period_end: addDays(today, -100), expires: addDays(today, 400) }],
    intake: { phi_volume: "none", criticality: "medium", connectivity: "integration", hosting: "saas" },
  }));
  record(bright.id, assess(bright, { questionnaire: "brightline-caiq-v4.xlsx", n: 90, seed: 31, quality: 0.93, on: addDays(today, -90), rubric: "caiq-v4", previous: null }));

  add(base("Northwind Courier", { service: "Specimen courier", intake: { phi_volume: "none", criticality: "low", connectivity: "none", hosting: "on-prem" } }));
  add(base("Helix Transcription", {
    service: "Medical transcription",
    phi: { creates: true, receives: true, maintains: false, transmits: true },
    baa: { status: "requested", signed: null, expires: null },
    intake: { phi_volume: "medium", criticality: "low", connectivity: "integration", hosting: "saas" },
    notes: `Hostile text test: ${EVIL}`,
  }));
  add(base("Zenith Telehealth", {
    service: "Virtual visits and remote patient monitoring",
    phi: { creates: true, receives: true, maintains: true, transmits: true },
    baa: { status: "signed", signed: addDays(today, -1100), expires: addDays(today, -5) },
    intake: { phi_volume: "high", criticality: "critical", connectivity: "network", hosting: "saas" },
  }));

  const vendor = (id: number) => {
    const v = vendors.get(id);
    if (!v) throw `no vendor named "${id}"; \`quire vendor list\` shows them, \`quire vendor add NAME\` adds one`;
    return v;
  };
  const assessment = (id: number) => {
    const s = saved.get(id);
    if (!s) throw `there is no assessment ${id}`;
    return s;
  };

  return {
    vendor_list: () =>
      [...vendors.values()]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((v) => ({ vendor: v, warnings: warningsOf(v, today), latest: latestOf(v.id) })),
    vendor_get: ({ id }) => {
      const v = vendor(id);
      return { vendor: v, warnings: warningsOf(v, today), assessments: summaries(id) };
    },
    vendor_save: ({ vendor: v }: { vendor: Vendor }) => {
      const s = settle(v, today);
      const clash = [...vendors.values()].find((x) => x.id !== v.id && x.name.toLowerCase() === s.name.toLowerCase());
      if (v.id === 0) {
        if (clash) throw `a vendor named "${s.name}" already exists; edit it instead (quire vendor edit)`;
        s.id = nextVendor++;
      } else {
        vendor(v.id);
        if (clash) throw `another vendor is already named "${s.name}"`;
      }
      vendors.set(s.id, s);
      return s;
    },
    rubric_list: () => RUBRICS,
    assess_preview: ({ path, rubric }: { path: string; rubric: string | null }) => {
      const name = String(path ?? "").split(/[\\/]/).pop() ?? "";
      if (!name.trim()) throw "no file was given";
      const lite = /lite/i.test(name);
      const version = /(\d+\.\d+(?:\.\d+)?)/.exec(name)?.[1] ?? null;
      const family = /hecvat|k-?12/i.test(name) ? "hecvat" : /caiq/i.test(name) ? "caiq" : null;
      const auto = family === "hecvat" ? (version?.startsWith("4") ? "hecvat" : "hecvat-3") : family === "caiq" ? "caiq-v4" : "default";
      const chosen = rubric ?? auto;
      const title = RUBRICS.find((r) => r.name === chosen)?.title ?? chosen;
      const recognition = family
        ? { family, family_title: family === "hecvat" ? "EDUCAUSE HECVAT" : "CSA CAIQ", edition: lite ? "lite" : null, edition_title: lite ? "Lite" : null, version, generation: version?.split(".")[0] ?? null, confidence: 0.95, certainty: "certain" as const, evidence: [`${family.toUpperCase()} in the file name (mock)`] }
        : null;
      const how = rubric ? "named" : family ? (lite ? "closest" : "version") : "default";
      const reason = rubric ? `rubric ${title} chosen by the analyst` : family ? `scored with ${title} (mock preview)` : "no questionnaire family recognised: questions are classified by the default rubric";
      return { rubric: chosen, rubric_title: title, how, reason, recognition, id_check: null, newer_than_rubric: false, by_id: family && !lite ? 120 : 0, by_text: lite ? 80 : 0, classified: family ? 8 : 130, guessed: family ? 0 : 10, unplaced: [], alternatives: [] };
    },
    assess_run: async ({ vendorId, path, rubric }: { vendorId: number; path: string; rubric: string | null }) => {
      const v = vendor(vendorId);
      if (!path || !String(path).trim()) throw "no file was given";
      const name = String(path).split(/[\\/]/).pop() ?? String(path);
      if (/missing|nope/i.test(path)) throw `cannot read ${name}: no such file; check the path and retry`;
      if (!/\.(xlsx|xlsm|xls|ods|csv)$/i.test(path)) throw `cannot read ${name}: not a spreadsheet (.xlsx, .xls, .ods or .csv)`;
      const chosen = rubric ?? (/hecvat/i.test(name) ? "hecvat" : /caiq/i.test(name) ? "caiq-v4" : "default");
      if (!RUBRICS.some((r) => r.name === chosen)) throw `unknown rubric "${chosen}"; \`quire rubrics\` lists them`;
      const steps = ["reading the questionnaire", "scoring 140 questions", "saving the assessment", "done"];
      for (let d = 0; d < steps.length; d++) { emit({ task: "assess", done: d, total: 3, message: steps[d] }); await sleep(250); }
      const last = latestOf(vendorId);
      const previous = last ? assessment(last.id).saved.assessment : null;
      const a = assess(v, { questionnaire: name, n: 140, seed: 50 + nextAssessment, quality: 0.78, on: today, rubric: chosen, previous });
      const id = record(vendorId, a);
      return { id, assessment: a };
    },
    assessment_get: ({ id }) => assessment(id).saved,
    finding_set_status: ({ assessmentId, finding, status }: { assessmentId: number; finding: number; status: FindingStatus }) => {
      const s = assessment(assessmentId);
      const n = s.saved.finding_status.length;
      if (!(finding >= 0 && finding < n)) throw `assessment ${assessmentId} has no finding ${finding + 1} (it has ${n})`;
      if (!["open", "accepted", "remediated"].includes(status)) throw `unknown finding status "${status}"`;
      s.saved.finding_status = s.saved.finding_status.map((x, i) => (i === finding ? status : x));
      return null;
    },
    assessment_export: async ({ id, folder, pdf, xlsx }: { id: number; folder: string; pdf: boolean; xlsx: boolean }) => {
      const s = assessment(id);
      if (!folder || /missing/.test(folder)) throw `${folder} is not a folder; choose an existing folder to export into`;
      if (!pdf && !xlsx) throw "choose the PDF report, the findings workbook or both";
      await sleep(400);
      const dir = folder.replace(/[\\/]+$/, "");
      const sep = folder.includes("\\") ? "\\" : "/";
      const stem = `${s.saved.assessment.vendor.name} risk ${s.saved.assessment.assessed_on}`.replace(/[^\p{L}\p{N} -]/gu, "_");
      return { pdf: pdf ? `${dir}${sep}${stem}.pdf` : null, xlsx: xlsx ? `${dir}${sep}${stem} findings.xlsx` : null };
    },
  };
}
