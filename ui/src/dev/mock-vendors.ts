// mock-vendors.ts: DEV ONLY — the mock backend's third-party-risk commands (vendors, rubrics,
// assessments, finding statuses, export), imported by mock.ts only. Enough to look at every
// screen, not a copy of the rules of docs/assessment.md: six vendors (assessed and not, every kind
// of warning), a 331-question assessment over 16 domains (one with no score, one at 0) with
// findings, HIPAA and ISO/IEC 27017 coverage, and changes since the previous assessment. The
// questions, controls and remediations are generated from a few templates per domain and section.
// Errors are strings, as the real backend's.

import { EVIL, checkSpreadsheet, rng, sleep } from "./mock-common";
import { baseName, daysBetween, todayIso } from "../lib/review";
import { isBusinessAssociate, previewInherentTier, responseLabel, tierRank } from "../lib/vendors";
import type {
  Assessment, AssessmentSummary, Changes, DomainScore, Finding, FindingStatus, FrameworkCoverage, Outcome,
  Progress, QuestionScore, Response, RubricChoice, RubricInfo, SavedAssessment, Severity, Tier, Vendor, VendorWarning,
} from "../lib/types";

// ---------------------------------------------------------------------------------------------
// Sample data: domains (id, title, weight, ref prefix, what its questions ask about) and controls

const DOMAINS: [string, string, number, string, string[]][] = [
  ["governance", "Governance, risk management and compliance", 8, "GOV", ["a formal security program with a named officer", "an annual enterprise risk assessment", "a current SOC 2 Type II or ISO 27001 report"]],
  ["policy", "Security policies and documentation", 5, "POL", ["an approved information security policy", "a policy exception process"]],
  ["access", "Identity and access management", 15, "IAM", ["multi-factor authentication for remote and admin access", "single sign-on with the hospital's identity provider", "quarterly reviews of privileged accounts"]],
  ["data_protection", "Data protection and encryption", 15, "DPE", ["encryption of ePHI at rest (AES-256)", "TLS 1.2 or later in transit", "key management separate from the data"]],
  ["privacy", "Privacy, PHI handling and business associate agreements", 12, "PRV", ["a signed business associate agreement", "use of PHI for the contracted purpose only", "!a history of data breaches in the last three years"]],
  ["appsec", "Application security, SDLC and change management", 8, "APP", ["a secure development lifecycle", "code scanning (SAST/DAST) before release"]],
  ["vulnerability", "Vulnerability and patch management", 10, "VUL", ["monthly authenticated vulnerability scans", "an annual independent penetration test"]],
  ["infrastructure", "Infrastructure, network, endpoint and cloud security", 9, "INF", ["segmented networks with default-deny firewalls", "endpoint detection and response"]],
  ["logging", "Logging and monitoring", 9, "LOG", ["audit logs of actions on ePHI", "24x7 security monitoring"]],
  ["incident", "Incident response and breach notification", 13, "IRP", ["a tested incident response plan", "notification of incidents within 72 hours"]],
  ["continuity", "Business continuity, disaster recovery and backup", 13, "BCP", ["annual disaster recovery tests", "encrypted, immutable backups"]],
  ["third_party", "Third parties, subprocessors and supply chain", 8, "TPM", ["an inventory of subprocessors", "BAA obligations flowed down to subprocessors"]],
  ["physical", "Physical and data centre security", 5, "PHY", ["badge-controlled data centre access"]],
  ["hr", "Personnel security and training", 5, "HRS", ["background checks before access to PHI", "annual HIPAA and security training"]],
  ["ai", "Artificial intelligence and machine learning", 4, "AIM", ["a ban on training AI models with hospital data"]],
  ["accessibility", "IT accessibility", 2, "ACC", ["a current VPAT / Accessibility Conformance Report"]],
];
const SCOPES = ["", " (production)", " (corporate systems)", " (support staff)", " (subprocessors)", " (mobile apps)", " (APIs)", " (backups)"];

type Owner = "vendor" | "provider" | "shared" | "customer";
/** A framework's controls: one section per group, "id suffix:title" each; owners per hosting (saas, paas, iaas, on-prem). */
interface Section {
  group: string;
  prefix: string;
  kind: string;
  owners: [Owner, Owner, Owner, Owner];
  controls: string[];
}
const FRAMEWORK_SECTIONS: { id: string; title: string; sections: Section[] }[] = [
  {
    id: "hipaa",
    title: "HIPAA Security Rule (45 CFR Part 164 Subpart C)",
    sections: [
      { group: "Administrative safeguards (164.308)", prefix: "164.308", kind: "required", owners: ["shared", "shared", "customer", "customer"],
        controls: ["(a)(1):Security management process", "(a)(1)(ii)(A):Risk analysis of ePHI", "(a)(2):Named security official", "(a)(3):Workforce security", "(a)(4):Information access management", "(a)(5):Security awareness and training", "(a)(6):Security incident procedures", "(a)(7):Contingency planning", "(a)(7)(ii)(A):Data backup plan", "(a)(8):Periodic security evaluation", "(b)(1):Business associate contracts"] },
      { group: "Physical safeguards (164.310)", prefix: "164.310", kind: "addressable", owners: ["provider", "provider", "provider", "customer"],
        controls: ["(a)(1):Facility access controls", "(b):Workstation use", "(d)(1):Device and media controls", "(d)(2)(i):Disposal of ePHI and media"] },
      { group: "Technical safeguards (164.312)", prefix: "164.312", kind: "required", owners: ["vendor", "shared", "customer", "customer"],
        controls: ["(a)(1):Technical access control", "(a)(2)(i):Unique user identification", "(a)(2)(iv):Encryption of stored ePHI", "(b):Audit controls", "(c)(1):Integrity of ePHI", "(d):Person or entity authentication", "(e)(1):Transmission security"] },
      { group: "Organizational requirements (164.314)", prefix: "164.314", kind: "required", owners: ["vendor", "provider", "provider", "vendor"],
        controls: ["(a)(1):Business associate contracts (organizational)", "(a)(2)(i)(C):BA reports security incidents and breaches", "(b)(1):Group health plan requirements"] },
      { group: "Policies, procedures and documentation (164.316)", prefix: "164.316", kind: "required", owners: ["shared", "shared", "customer", "customer"],
        controls: ["(a):Written security policies and procedures", "(b)(2)(i):Keeping documentation six years"] },
    ],
  },
  {
    id: "iso27017",
    title: "ISO/IEC 27017 cloud-specific controls",
    sections: [
      { group: "Cloud-specific controls (CLD)", prefix: "CLD.", kind: "control", owners: ["vendor", "shared", "shared", "customer"],
        controls: ["6.3.1:Shared security roles and responsibilities", "8.1.5:Returning and removing customer assets", "9.5.1:Separating tenants in virtual environments", "12.4.5:Customer-facing monitoring of cloud services"] },
    ],
  },
];
/** [framework id, control id, title, group, kind, owner per hosting] */
const FRAMEWORKS = FRAMEWORK_SECTIONS.map((f) => ({
  id: f.id,
  title: f.title,
  controls: f.sections.flatMap((s) =>
    s.controls.map((c) => {
      const [suffix, title] = c.split(":");
      return { id: `${s.prefix}${suffix}`, title, group: s.group, kind: s.kind, owners: s.owners };
    }),
  ),
}));

const RUBRICS: RubricInfo[] = [
  { name: "caiq-v4", title: "CSA CAIQ v4", profiles: ["caiq-v4"] },
  { name: "default", title: "Quire default healthcare vendor-risk rubric", profiles: [] },
  { name: "hecvat", title: "EDUCAUSE HECVAT 4", profiles: ["hecvat-4"] },
  { name: "hecvat-3", title: "EDUCAUSE HECVAT 3", profiles: ["hecvat-3"] },
];

// ---------------------------------------------------------------------------------------------
// Dates, vendors and their warnings

function addDays(iso: string, n: number): string {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
const REVIEW_DAYS: Record<Tier, number> = { critical: 182, high: 365, moderate: 730, low: 1095 };

function checkDate(d: string | null) {
  if (d !== null && !/^\d{4}-\d{2}-\d{2}$/.test(d)) throw `"${d}" is not a date; write it as YYYY-MM-DD`;
}

/** Checks the record, derives the tier and next review (as the backend's vendor save does). */
function settle(v: Vendor, today: string): Vendor {
  if (!v.name || v.name.trim() === "") throw "a vendor needs a name";
  [v.baa.signed, v.baa.expires, ...v.certifications.flatMap((c) => [c.period_end, c.expires])].forEach(checkDate);
  if (v.certifications.some((c) => !c.kind?.trim())) throw 'a certification needs a kind, e.g. "SOC 2 Type II"';
  const out: Vendor = JSON.parse(JSON.stringify(v));
  out.name = out.name.trim();
  const ba = isBusinessAssociate(out.phi);
  if (ba && out.baa.status === "not-needed") out.baa.status = "missing";
  out.inherent_tier = previewInherentTier(out.intake, ba);
  out.next_review = addDays(out.last_assessed ?? today, REVIEW_DAYS[out.inherent_tier]);
  return out;
}

/** The paperwork warnings, most severe first. */
function warningsOf(v: Vendor, today: string): VendorWarning[] {
  const out: VendorWarning[] = [];
  const add = (severity: VendorWarning["severity"], message: string) => out.push({ severity, message });
  const days = (d: string | null) => (d ? daysBetween(today, d) : null);
  /** expired (`bad`) or within 60 days (medium) */
  const expiry = (what: string, date: string | null, bad: VendorWarning["severity"]) => {
    const d = days(date);
    if (d !== null && d < 0) add(bad, `${what} expired on ${date}`);
    else if (d !== null && d <= 60) add("medium", `${what} expires on ${date}`);
  };
  if (isBusinessAssociate(v.phi) && v.baa.status === "requested") add("high", "handles PHI and the BAA is requested but not signed");
  else if (isBusinessAssociate(v.phi) && v.baa.status !== "signed") add("critical", "handles PHI without a signed business associate agreement (BAA)");
  if (v.baa.status === "signed") expiry("the BAA", v.baa.expires, "critical");
  for (const c of v.certifications) expiry(c.kind, c.expires, "high");
  for (const c of v.certifications.filter((c) => (days(c.period_end) ?? 0) < -365))
    add("medium", `${c.kind} covers a period that ended on ${c.period_end}, over a year ago: ask for the current report`);
  if ((days(v.next_review) ?? 0) < 0) add("medium", `reassessment was due on ${v.next_review}`);
  const rank = (s: string) => ["critical", "high"].indexOf(s) + 1 || 3;
  return out.sort((a, b) => rank(a.severity) - rank(b.severity));
}

// ---------------------------------------------------------------------------------------------
// Questionnaires and scoring

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

/** A questionnaire of `n` questions over the 16 domains (deterministic for `seed`). */
function makeQuestionnaire(n: number, seed: number): Spec[] {
  const r = rng(seed);
  const total = DOMAINS.reduce((a, d) => a + d[2], 0);
  const [hipaa, iso] = FRAMEWORKS.map((f) => f.controls);
  const specs: Spec[] = [];
  for (const [id, , weight, prefix, topics] of DOMAINS) {
    // a domain with nothing scorable (accessibility) keeps a few questions
    const count = id === "accessibility" ? 3 : id === "ai" ? 4 : Math.max(3, Math.round(((n - 7) * weight) / (total - 6)));
    for (let k = 0; k < count; k++) {
      const i = specs.length;
      const topic = topics[k % topics.length].replace(/^!/, "");
      const scope = SCOPES[Math.floor(k / topics.length) % SCOPES.length];
      const informational = k > 0 && k % 17 === 0;
      let question = informational ? `Describe ${topic}${scope}.` : `Do you have ${topic}${scope}?`;
      if (i === 5) question = `${question} ${EVIL}`;
      const x = r();
      const frameworks: string[] = [];
      // the last few HIPAA controls get no question: "no evidence" shows too
      if (id !== "accessibility" && id !== "ai" && i % 5 !== 0) frameworks.push(`hipaa:${hipaa[(i * 7) % (hipaa.length - 4)].id}`);
      if (["infrastructure", "data_protection", "access"].includes(id) && k % 2 === 0) frameworks.push(`iso27017:${iso[k % iso.length].id}`);
      specs.push({
        sheet: i < n / 2 ? "Security" : "Privacy and Operations",
        row: 4 + i,
        ref: `${prefix}-${String(k + 1).padStart(2, "0")}`,
        question,
        domain: id,
        criticality: x < 0.15 ? "critical" : x < 0.45 ? "high" : x < 0.85 ? "medium" : "low",
        expected: topics[k % topics.length].startsWith("!") ? "No" : "Yes",
        informational,
        frameworks,
      });
    }
  }
  return specs.slice(0, Math.max(n, 20));
}

function pickOutcome(spec: Spec, quality: number, x: number): Outcome {
  if (spec.informational) return "informational";
  if (spec.domain === "accessibility") return "not-applicable";
  if (spec.domain === "ai" && quality < 0.8) return "gap";
  if (x < quality) return "met";
  const y = (x - quality) / (1 - quality);
  const [, outcome] = ([[0.4, "gap"], [0.55, "partial"], [0.67, "contradicted"], [0.8, "unanswered"], [0.9, "unclear"], [0.95, "unjustified-na"], [1.1, "not-applicable"]] as [number, Outcome][]).find(([upTo]) => y < upTo)!;
  return outcome;
}

/** What a vendor wrote for each outcome ("good"/"bad": the answer that meets / fails the expectation), how it was read, and the finding it gives. */
const OUTCOME_SAMPLES: Partial<Record<Outcome, { answer: string; comment?: string; response?: Response; why?: string; lower?: boolean }>> = {
  met: { answer: "good", comment: "We are SOC 2 Type II certified; see section CC6 of the report." },
  gap: { answer: "bad", comment: "Not currently in place.", why: "answered {answer}, where {expected} means the control is in place" },
  partial: { answer: "Partial", comment: "In place for production; corporate laptops are in progress.", response: "partial", why: "only partly in place", lower: true },
  contradicted: { answer: "Yes", comment: "Rollout planned for Q3 2026.", response: "yes", why: 'the comment says "planned": the control is not in place yet', lower: true },
  unanswered: { answer: "", why: "not answered: counts as not in place until the vendor answers" },
  unclear: { answer: "Please refer to our security whitepaper.", response: "unclear", why: "read as unclear: the answer says neither yes nor no", lower: true },
  "unjustified-na": { answer: "N/A", response: "n/a", why: "N/A without a reason: ask the vendor why it does not apply", lower: true },
  "not-applicable": { answer: "N/A", comment: "We host no on-premises hardware; all services run in AWS.", response: "n/a" },
  informational: { answer: "Our platform runs on AWS in two US regions with nightly replicated backups.", response: "unclear" },
};
const POINTS: Record<Severity, number> = { low: 1, medium: 2, high: 3, critical: 5 };
const LOWER: Record<Severity, Severity> = { critical: "high", high: "medium", medium: "low", low: "low" };
const DUE_DAYS: Record<Severity, number> = { critical: 30, high: 60, medium: 90, low: 180 };
const isScored = (o: Outcome) => o !== "not-applicable" && o !== "informational" && o !== "not-in-scope";

function scoreQuestion(spec: Spec, outcome: Outcome): QuestionScore {
  const sample = OUTCOME_SAMPLES[outcome] ?? { answer: "" };
  const good = spec.expected;
  const answer = sample.answer === "good" ? good : sample.answer === "bad" ? (good === "Yes" ? "No" : "Yes") : sample.answer;
  // Only some answers carry their comment, so that both kinds show.
  const comment = sample.comment && (outcome === "met" ? spec.row % 4 === 0 : outcome === "gap" ? spec.row % 3 === 0 : true) ? sample.comment : "";
  const points = isScored(outcome) ? POINTS[spec.criticality] : 0;
  const credit = outcome === "met" ? 1 : outcome === "partial" || outcome === "contradicted" ? 0.5 : 0;
  return {
    sheet: spec.sheet, row: spec.row, ref: spec.ref, question: spec.question, answer, comment, domain: spec.domain, criticality: spec.criticality,
    expected: spec.expected, placement: spec.row % 3 === 0 ? "classified" : "rubric", placed_as: null, outcome, points, earned: points * credit, frameworks: spec.frameworks,
    note: outcome === "not-applicable" ? `N/A: ${comment}` : null,
    interpreted: {
      response: sample.response ?? (answer ? (answer.toLowerCase() as Response) : "unanswered"),
      justified: outcome === "not-applicable",
      evidence: outcome === "met" && comment ? ["SOC 2 Type II"] : [],
      planned: outcome === "contradicted" ? "2026-09-30" : null,
      contradiction: outcome === "contradicted" ? (sample.why ?? null) : null,
      note: outcome === "unclear" ? (sample.why ?? null) : null,
    },
  };
}

function findingOf(q: QuestionScore, today: string): Finding | null {
  const sample = OUTCOME_SAMPLES[q.outcome];
  if (!sample?.why) return null;
  const severity = sample.lower ? LOWER[q.criticality] : q.criticality;
  let due = addDays(today, DUE_DAYS[severity]);
  const planned = q.interpreted.planned;
  if (planned && planned >= today && planned < due) due = planned;
  const title = DOMAINS.find((d) => d[0] === q.domain)?.[1] ?? q.domain;
  return {
    kind: "control", ref: q.ref, sheet: q.sheet, row: q.row, question: q.question, answer: q.answer.trim() === "" ? "(blank)" : q.answer, domain: q.domain, severity, due,
    why: sample.why.replace("{answer}", q.answer).replace("{expected}", q.expected),
    remediation: `Ask for a dated plan to bring ${title.toLowerCase()} up to the hospital's requirements, and evidence once it is done.`,
  };
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
  const col = ["saas", "paas", "iaas"].indexOf(hosting);
  const label = (q: QuestionScore) => q.ref || `${q.sheet} row ${q.row}`;
  return FRAMEWORKS.map((f) => {
    const controls = f.controls.map((c) => {
      const mapped = questions.filter((q) => isScored(q.outcome) && q.frameworks.includes(`${f.id}:${c.id}`));
      const supporting = mapped.filter((q) => q.outcome === "met").map(label);
      const contradicting = mapped.filter((q) => q.outcome !== "met" && q.outcome !== "unanswered").map(label);
      const status = supporting.length + contradicting.length === 0 ? "no-evidence" : contradicting.length === 0 ? "supported" : supporting.length === 0 ? "contradicted" : "mixed";
      return { framework: f.id, id: c.id, title: c.title, group: c.group, kind: c.kind, owner: c.owners[col < 0 ? 3 : col], status, supporting, contradicting } as FrameworkCoverage["controls"][number];
    });
    const count = (s: string) => controls.filter((c) => c.status === s).length;
    return { id: f.id, title: f.title, controls, supported: count("supported"), contradicted: count("contradicted") + count("mixed"), no_evidence: count("no-evidence") };
  });
}

function changesOf(prev: Assessment, now: Assessment["scorecard"]): Changes {
  const key = (q: { ref: string; sheet: string; row: number }) => q.ref || `${q.sheet}!${q.row}`;
  const before = new Map(prev.scorecard.questions.map((q) => [key(q), q]));
  const answers = now.questions
    .filter((q) => (before.get(key(q))?.interpreted.response ?? q.interpreted.response) !== q.interpreted.response)
    .map((q) => ({ ref: q.ref || `${q.sheet} row ${q.row}`, before: responseLabel(before.get(key(q))!.interpreted.response), after: responseLabel(q.interpreted.response) }));
  const old = new Set(prev.scorecard.findings.map(key));
  const neu = new Set(now.findings.map(key));
  const domain_deltas: Record<string, number> = {};
  for (const d of now.domains) {
    const p = prev.scorecard.domains.find((x) => x.id === d.id)?.score;
    if (p != null && d.score !== null) domain_deltas[d.id] = round1(d.score - p);
  }
  const overall = prev.scorecard.overall;
  return {
    previous_on: prev.assessed_on, previous_overall: overall, overall_delta: now.overall !== null && overall !== null ? round1(now.overall - overall) : null, domain_deltas, answers,
    closed_findings: [...old].filter((k) => !neu.has(k)).sort(),
    new_findings: [...neu].filter((k) => !old.has(k)).sort(),
  };
}

/** The rubric a file name suggests (the backend reads the workbook). */
function recognise(name: string) {
  const version = /(\d+\.\d+(?:\.\d+)?)/.exec(name)?.[1] ?? null;
  const family = /hecvat|k-?12/i.test(name) ? "hecvat" : /caiq/i.test(name) ? "caiq" : null;
  const rubric = family === "hecvat" ? (version?.startsWith("4") ? "hecvat" : "hecvat-3") : family === "caiq" ? "caiq-v4" : "default";
  return { version, family, rubric, lite: /lite/i.test(name) };
}
const titleOf = (rubric: string) => RUBRICS.find((r) => r.name === rubric)?.title ?? rubric;

/** Which rubric scores a file and why (assess_preview; recorded in every assessment). */
function choiceOf(path: string, rubric: string | null): RubricChoice {
  const name = baseName(String(path ?? ""));
  if (!name.trim()) throw "no file was given";
  const { version, family, rubric: auto, lite } = recognise(name);
  const chosen = rubric ?? auto;
  const recognition = family
    ? { family, family_title: family === "hecvat" ? "EDUCAUSE HECVAT" : "CSA CAIQ", edition: lite ? "lite" : null, edition_title: lite ? "Lite" : null, version, generation: version?.split(".")[0] ?? null, confidence: 0.95, certainty: "certain" as const, evidence: [`${family.toUpperCase()} in the file name (mock)`] }
    : null;
  const how = rubric ? "named" : family ? (lite ? "closest" : "version") : "default";
  const reason = rubric ? `rubric ${titleOf(chosen)} chosen by the analyst` : family ? `scored with ${titleOf(chosen)} (mock preview)` : "no questionnaire family recognised: questions are classified by the default rubric";
  return { rubric: chosen, rubric_title: titleOf(chosen), how, reason, recognition, id_check: null, newer_than_rubric: false, by_id: family && !lite ? 120 : 0, by_text: lite ? 80 : 0, classified: family ? 8 : 130, guessed: family ? 0 : 10, unplaced: [], alternatives: [] };
}

function assess(vendor: Vendor, opts: { questionnaire: string; n: number; seed: number; quality: number; on: string; rubric: string; previous: Assessment | null }): Assessment {
  const r = rng(opts.seed);
  const questions = makeQuestionnaire(opts.n, 4242).map((s) => scoreQuestion(s, pickOutcome(s, opts.quality, r())));
  const domains: DomainScore[] = DOMAINS.map(([id, title, weight]) => {
    const mine = questions.filter((q) => q.domain === id);
    const possible = mine.reduce((a, q) => a + q.points, 0);
    const earned = mine.reduce((a, q) => a + q.earned, 0);
    return { id, title, weight, score: possible > 0 ? round1((100 * earned) / possible) : null, earned, possible, questions: mine.length, scored: mine.filter((q) => isScored(q.outcome)).length };
  });
  const weighted = domains.filter((d) => d.score !== null);
  const tw = weighted.reduce((a, d) => a + d.weight, 0);
  const overall = tw > 0 ? round1(weighted.reduce((a, d) => a + d.weight * (d.score as number), 0) / tw) : null;
  const findings = questions.map((q) => findingOf(q, opts.on)).filter((f): f is Finding => f !== null);
  const scorecard = { rubric: opts.rubric, rubric_title: RUBRICS.find((x) => x.name === opts.rubric)?.title ?? opts.rubric, overall, domains, findings, questions };
  const v = settle({ ...vendor, last_assessed: opts.on }, opts.on);
  const finding_counts: Record<string, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of findings) finding_counts[f.severity] += 1;
  return {
    vendor: v, questionnaire: opts.questionnaire, sha256: "5e".repeat(32), assessed_on: opts.on, inherent_tier: v.inherent_tier,
    residual_tier: residual(v.inherent_tier, overall), warnings: warningsOf(v, opts.on), scorecard, coverage: coverageOf(questions, v.intake.hosting),
    finding_counts, changes: opts.previous ? changesOf(opts.previous, scorecard) : null, choice: choiceOf(opts.questionnaire, recognise(opts.questionnaire).rubric === opts.rubric ? null : opts.rubric),
  };
}

// ---------------------------------------------------------------------------------------------
// The commands

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function vendorCommands(emit: (p: Progress) => void): Record<string, (a: any) => unknown> {
  const today = todayIso();
  const vendors = new Map<number, Vendor>();
  const saved = new Map<number, { vendorId: number; at: string; saved: SavedAssessment }>();
  let nextVendor = 1;
  let nextAssessment = 1;

  const add = (name: string, p: Partial<Vendor>): Vendor => {
    const s = settle({
      id: 0, name, service: "", phi: { creates: false, receives: false, maintains: false, transmits: false }, baa: { status: "not-needed", signed: null, expires: null },
      certifications: [], intake: { phi_volume: "medium", criticality: "medium", connectivity: "integration", hosting: "saas" }, notes: "", inherent_tier: "moderate",
      last_assessed: null, next_review: null, ...p,
    }, today);
    s.id = nextVendor++;
    vendors.set(s.id, s);
    return s;
  };
  const record = (vendorId: number, a: Assessment, statuses: (i: number) => FindingStatus = () => "open") => {
    const id = nextAssessment++;
    const finding_status = a.scorecard.findings.map((_, i) => statuses(i));
    saved.set(id, { vendorId, at: `${a.assessed_on}T14:${String(10 + id).padStart(2, "0")}:00Z`, saved: { id, assessment: a, finding_status } });
    if (vendors.has(vendorId)) vendors.set(vendorId, { ...a.vendor, id: vendorId });
    return id;
  };
  const summaries = (vendorId: number): AssessmentSummary[] =>
    [...saved.entries()]
      .filter(([, s]) => s.vendorId === vendorId)
      .sort((a, b) => b[1].at.localeCompare(a[1].at) || b[0] - a[0])
      .map(([id, { at, saved: s }]) => ({
        id, questionnaire: s.assessment.questionnaire, rubric: s.assessment.scorecard.rubric, assessed_at: at, overall: s.assessment.scorecard.overall,
        residual_tier: s.assessment.residual_tier, findings: s.finding_status.length, open_findings: s.finding_status.filter((x) => x === "open").length,
      }));
  const latestOf = (vendorId: number) => summaries(vendorId)[0] ?? null;
  const phiAll = { creates: true, receives: true, maintains: true, transmits: true };
  const run = (v: Vendor, questionnaire: string, n: number, seed: number, quality: number, daysAgo: number, rubric: string, previous: Assessment | null = null) =>
    assess(vendors.get(v.id) ?? v, { questionnaire, n, seed, quality, on: addDays(today, -daysAgo), rubric, previous });

  // Seed data, dated relative to today so that warnings and overdue reviews show.
  const meridian = add("Meridian EHR Cloud", {
    service: "Hosted electronic health record and patient portal", phi: phiAll,
    baa: { status: "signed", signed: addDays(today, -700), expires: addDays(today, 40) },
    certifications: [{ kind: "SOC 2 Type II", period_end: addDays(today, -420), expires: addDays(today, 300) }, { kind: "HITRUST r2", period_end: null, expires: addDays(today, 500) }],
    intake: { phi_volume: "high", criticality: "critical", connectivity: "network", hosting: "saas" },
    notes: "Primary EHR. Site-to-site VPN to the data centre; HL7 and FHIR interfaces.",
  });
  const prev = run(meridian, "meridian-hecvat-4.1.xlsx", 331, 12, 0.6, 400, "hecvat");
  record(meridian.id, prev, (i) => (i % 3 === 0 ? "remediated" : "accepted"));
  record(meridian.id, run(meridian, "meridian-hecvat-4.1.4-2025.xlsx", 331, 12, 0.69, 20, "hecvat", prev), (i) => (i % 9 === 4 ? "accepted" : i % 13 === 2 ? "remediated" : "open"));
  const acme = add("Acme Imaging", {
    service: "PACS and radiology image sharing", phi: { ...phiAll, creates: false, transmits: false }, baa: { status: "missing", signed: null, expires: null },
    certifications: [{ kind: "SOC 2 Type II", period_end: addDays(today, -200), expires: addDays(today, -30) }],
    intake: { phi_volume: "high", criticality: "high", connectivity: "integration", hosting: "saas" },
  });
  record(acme.id, run(acme, "acme-imaging-sig-lite.xlsx", 120, 21, 0.74, 410, "default"));
  const bright = add("Brightline Payroll", {
    service: "Payroll and HR administration", certifications: [{ kind: "ISO 27001", period_end: addDays(today, -100), expires: addDays(today, 400) }],
    intake: { phi_volume: "none", criticality: "medium", connectivity: "integration", hosting: "saas" },
  });
  record(bright.id, run(bright, "brightline-caiq-v4.xlsx", 90, 31, 0.93, 90, "caiq-v4"));
  add("Northwind Courier", { service: "Specimen courier", intake: { phi_volume: "none", criticality: "low", connectivity: "none", hosting: "on-prem" } });
  add("Helix Transcription", {
    service: "Medical transcription", phi: { ...phiAll, maintains: false }, baa: { status: "requested", signed: null, expires: null },
    intake: { phi_volume: "medium", criticality: "low", connectivity: "integration", hosting: "saas" }, notes: `Hostile text test: ${EVIL}`,
  });
  add("Zenith Telehealth", {
    service: "Virtual visits and remote patient monitoring", phi: phiAll, baa: { status: "signed", signed: addDays(today, -1100), expires: addDays(today, -5) },
    intake: { phi_volume: "high", criticality: "critical", connectivity: "network", hosting: "saas" },
  });

  const vendor = (id: number) => {
    const v = vendors.get(id);
    if (!v) throw `no vendor named "${id}"`;
    return v;
  };
  const assessment = (id: number) => {
    const s = saved.get(id);
    if (!s) throw `there is no assessment ${id}`;
    return s;
  };

  return {
    vendor_list: () =>
      [...vendors.values()].sort((a, b) => a.name.localeCompare(b.name)).map((v) => ({ vendor: v, warnings: warningsOf(v, today), latest: latestOf(v.id) })),
    vendor_get: ({ id }) => {
      const v = vendor(id);
      return { vendor: v, warnings: warningsOf(v, today), assessments: summaries(id) };
    },
    vendor_save: ({ vendor: v }: { vendor: Vendor }) => {
      const s = settle(v, today);
      const clash = [...vendors.values()].find((x) => x.id !== v.id && x.name.toLowerCase() === s.name.toLowerCase());
      if (v.id === 0 && clash) throw `a vendor named "${s.name}" already exists; edit it instead`;
      if (v.id !== 0) vendor(v.id);
      if (v.id !== 0 && clash) throw `another vendor is already named "${s.name}"`;
      if (v.id === 0) s.id = nextVendor++;
      vendors.set(s.id, s);
      return s;
    },
    rubric_list: () => RUBRICS,
    assess_preview: ({ path, rubric }: { path: string; rubric: string | null }) => choiceOf(path, rubric),
    assess_run: async ({ vendorId, path, rubric }: { vendorId: number; path: string; rubric: string | null }) => {
      const v = vendor(vendorId);
      checkSpreadsheet(path);
      const name = baseName(path);
      const chosen = rubric ?? recognise(name).rubric;
      if (!RUBRICS.some((r) => r.name === chosen)) throw `unknown rubric "${chosen}"; \`quire rubrics\` lists them`;
      const steps = ["reading the questionnaire", "scoring 140 questions", "saving the assessment", "done"];
      for (let d = 0; d < steps.length; d++) { emit({ task: "assess", done: d, total: 3, message: steps[d] }); await sleep(250); }
      const last = latestOf(vendorId);
      const a = run(v, name, 140, 50 + nextAssessment, 0.78, 0, chosen, last ? assessment(last.id).saved.assessment : null);
      return { id: record(vendorId, a), assessment: a };
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
      const s = assessment(id).saved.assessment;
      if (!folder || /missing/.test(folder)) throw `${folder} is not a folder; choose an existing folder to export into`;
      if (!pdf && !xlsx) throw "choose the PDF report, the findings workbook or both";
      await sleep(400);
      const sep = folder.includes("\\") ? "\\" : "/";
      const stem = `${folder.replace(/[\\/]+$/, "")}${sep}${`${s.vendor.name} risk ${s.assessed_on}`.replace(/[^\p{L}\p{N} -]/gu, "_")}`;
      return { pdf: pdf ? `${stem}.pdf` : null, xlsx: xlsx ? `${stem} findings.xlsx` : null };
    },
  };
}
