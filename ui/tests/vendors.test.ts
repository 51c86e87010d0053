import { describe, expect, it } from "vitest";
import {
  barLabel,
  barWidth,
  baaHint,
  cleanVendor,
  compareVendors,
  countStatuses,
  coverageClass,
  coverageLabel,
  domainBars,
  domainTitles,
  emptyFindingFilter,
  emptyVendor,
  expiryClass,
  expiryLevel,
  filterAnswers,
  filterFindings,
  filterVendors,
  formatDelta,
  formatPoints,
  formatScore,
  isBusinessAssociate,
  isFindingFilterEmpty,
  isFindingOverdue,
  isOverdue,
  listTier,
  matchesVendor,
  nextFindingSort,
  outcomeClass,
  outcomeLabel,
  ownerLabel,
  phiText,
  previewInherentTier,
  questionLabel,
  responseLabel,
  reviewText,
  scoreBand,
  severityClass,
  sortFindings,
  sortVendors,
  tierChangeText,
  tierClass,
  tierLabel,
  tierRank,
  tierStep,
  warningBadges,
  warningClass,
  withStatus,
  recognitionLabel,
  choiceHow,
  placementSummary,
  placementLabel,
  paperworkSummary,
  findingsSummary,
  findingKindLabel,
} from "../src/lib/vendors";
import { expiryMs } from "../src/lib/app.svelte";
import type { DomainScore, Finding, FindingStatus, Intake, QuestionScore, Tier, Vendor, VendorSummary } from "../src/lib/types";

const TODAY = "2026-11-24";

function vendor(over: Partial<Vendor> = {}): Vendor {
  return { ...emptyVendor(), id: 1, name: "Acme", ...over };
}

function summary(name: string, inherent: Tier, residual: Tier | null, over: Partial<Vendor> = {}): VendorSummary {
  return {
    vendor: vendor({ name, inherent_tier: inherent, ...over }),
    warnings: [],
    latest:
      residual === null
        ? null
        : { id: 1, questionnaire: "q.xlsx", rubric: "default", assessed_at: "2026-11-01T10:00:00Z", overall: 70, residual_tier: residual, open_findings: 3, findings: 5 },
  };
}

function finding(over: Partial<Finding> = {}): Finding {
  return {
    kind: "control",
    ref: "IAM-01",
    sheet: "Security",
    row: 5,
    question: "Is MFA enforced?",
    answer: "No",
    domain: "access",
    why: "answered No, where Yes means the control is in place",
    severity: "high",
    remediation: "Enforce MFA.",
    due: "2027-01-01",
    ...over,
  };
}

function domain(id: string, score: number | null, over: Partial<DomainScore> = {}): DomainScore {
  return { id, title: id.toUpperCase(), weight: 10, score, earned: 0, possible: score === null ? 0 : 10, questions: 4, scored: score === null ? 0 : 4, ...over };
}

describe("tiers", () => {
  it("labels, ranks and colours each tier", () => {
    expect(["low", "moderate", "high", "critical"].map((t) => tierLabel(t as Tier))).toEqual(["Low", "Moderate", "High", "Critical"]);
    expect(tierRank("low")).toBeLessThan(tierRank("moderate"));
    expect(tierRank("high")).toBeLessThan(tierRank("critical"));
    expect(tierRank(null)).toBeLessThan(tierRank("low"));
    expect(tierClass("low")).toBe("risk-low");
    expect(tierClass("critical")).toBe("risk-critical");
    expect(tierClass(null)).toBe("risk-none");
    expect(tierLabel(null)).toBe("—");
  });
  it("says whether the score lowered, kept or raised the tier", () => {
    expect(tierStep("high", "moderate")).toBe("lowered");
    expect(tierStep("high", "high")).toBe("kept");
    expect(tierStep("low", "critical")).toBe("raised");
    expect(tierChangeText("high", "moderate")).toBe("High → Moderate (lowered by the score)");
  });
});

describe("scores", () => {
  it("formats scores with one decimal and points without trailing zeros", () => {
    expect(formatScore(72.46)).toBe("72.5");
    expect(formatScore(80)).toBe("80.0");
    expect(formatScore(0)).toBe("0.0");
    expect(formatScore(null)).toBe("—");
    expect(formatPoints(3)).toBe("3");
    expect(formatPoints(1.5)).toBe("1.5");
  });
  it("formats deltas with a sign", () => {
    expect(formatDelta(4.24)).toBe("+4.2");
    expect(formatDelta(-3)).toBe("−3.0");
    expect(formatDelta(0.01)).toBe("±0.0");
    expect(formatDelta(null)).toBe("—");
  });
  it("bands a score with the residual-tier thresholds", () => {
    expect(scoreBand(85)).toBe("low");
    expect(scoreBand(84.9)).toBe("moderate");
    expect(scoreBand(70)).toBe("moderate");
    expect(scoreBand(69.9)).toBe("high");
    expect(scoreBand(50)).toBe("high");
    expect(scoreBand(49.9)).toBe("critical");
    expect(scoreBand(0)).toBe("critical");
    expect(scoreBand(null)).toBeNull();
  });
});

describe("domain chart", () => {
  it("clamps bar widths to 0–100", () => {
    expect(barWidth(72.5)).toBe(72.5);
    expect(barWidth(-5)).toBe(0);
    expect(barWidth(130)).toBe(100);
    expect(barWidth(null)).toBe(0);
  });
  it("tells no score apart from 0", () => {
    expect(barLabel(null)).toBe("no score");
    expect(barLabel(0)).toBe("0.0");
    const [none, zero, good] = domainBars([domain("accessibility", null), domain("ai", 0), domain("access", 91.25, { earned: 9.5, possible: 10.5, weight: 15 })]);
    expect(none).toMatchObject({ width: 0, label: "no score", cls: "", score: null });
    expect(none.detail).toContain("no score (not 0)");
    expect(zero).toMatchObject({ width: 0, label: "0.0", cls: "risk-critical", score: 0 });
    expect(good).toMatchObject({ width: 91.25, label: "91.3", cls: "risk-low" });
    expect(good.detail).toBe("9.5 of 10.5 points · 4 of 4 questions scored · weight 15");
  });
  it("maps domain ids to titles", () => {
    const t = domainTitles([domain("access", 1), domain("ai", null)]);
    expect(t.get("access")).toBe("ACCESS");
    expect(t.get("missing")).toBeUndefined();
  });
});

describe("vendors list", () => {
  const list = [
    summary("zeta", "low", "low"),
    summary("Beta", "high", "moderate"),
    summary("alpha", "moderate", "moderate"),
    summary("Omega", "critical", null), // not assessed: sorts by its inherent tier
    summary("Vendor 10", "low", "critical"),
    summary("Vendor 9", "low", "critical"),
  ];
  it("sorts by residual tier (inherent while not assessed), highest first, then by name", () => {
    expect(sortVendors(list).map((s) => s.vendor.name)).toEqual(["Omega", "Vendor 9", "Vendor 10", "alpha", "Beta", "zeta"]);
    expect(listTier(list[1])).toBe("moderate");
    expect(listTier(list[3])).toBe("critical");
    expect(compareVendors(list[0], list[0])).toBe(0);
  });
  it("does not reorder the list it was given", () => {
    const before = list.map((s) => s.vendor.name);
    sortVendors(list);
    expect(list.map((s) => s.vendor.name)).toEqual(before);
  });
  it("filters on name, service, notes and certification kinds, every word", () => {
    const s = summary("Meridian EHR", "high", null, { service: "Hosted EHR", certifications: [{ kind: "SOC 2 Type II", period_end: null, expires: null }] });
    expect(matchesVendor(s, "")).toBe(true);
    expect(matchesVendor(s, "meridian")).toBe(true);
    expect(matchesVendor(s, "soc 2")).toBe(true);
    expect(matchesVendor(s, "hosted soc")).toBe(true);
    expect(matchesVendor(s, "hosted pci")).toBe(false);
    expect(filterVendors([...list, s], "EHR").map((x) => x.vendor.name)).toEqual(["Meridian EHR"]);
  });
});

describe("warnings", () => {
  it("makes one badge per severity, most serious first, with the messages as title", () => {
    const b = warningBadges([
      { severity: "medium", message: "the BAA expires on 2026-12-01" },
      { severity: "critical", message: "handles PHI without a signed BAA" },
      { severity: "medium", message: "reassessment was due on 2026-10-01" },
    ]);
    expect(b.map((x) => [x.severity, x.count, x.text, x.cls])).toEqual([
      ["critical", 1, "1 critical", "risk-critical"],
      ["medium", 2, "2 medium", "risk-moderate"],
    ]);
    expect(b[1].title).toBe("the BAA expires on 2026-12-01\nreassessment was due on 2026-10-01");
    expect(warningBadges([])).toEqual([]);
  });
  it("counts an unknown severity as medium", () => {
    expect(warningBadges([{ severity: "odd" as "medium", message: "x" }])[0].severity).toBe("medium");
    expect(warningClass("high")).toBe("risk-high");
  });
});

describe("dates", () => {
  it("flags a review date before today as overdue", () => {
    expect(isOverdue("2026-11-23", TODAY)).toBe(true);
    expect(isOverdue("2026-11-24", TODAY)).toBe(false);
    expect(isOverdue(null, TODAY)).toBe(false);
    expect(isOverdue("soon", TODAY)).toBe(false);
    expect(reviewText("2026-10-25", TODAY)).toBe("2026-10-25 (overdue 30 days)");
    expect(reviewText("2026-11-23", TODAY)).toBe("2026-11-23 (overdue 1 day)");
    expect(reviewText("2027-05-01", TODAY)).toBe("2027-05-01");
    expect(reviewText(null, TODAY)).toBe("—");
  });
  it("flags expiries within 60 days, as the backend warns", () => {
    expect(expiryLevel("2026-11-20", TODAY)).toBe("expired");
    expect(expiryLevel("2027-01-23", TODAY)).toBe("soon"); // 60 days
    expect(expiryLevel("2027-01-24", TODAY)).toBe("ok");
    expect(expiryLevel(null, TODAY)).toBe("none");
    expect(expiryClass("2026-11-20", TODAY)).toBe("risk-critical");
    expect(expiryClass("2026-12-01", TODAY)).toBe("risk-moderate");
  });
});

describe("vendor form", () => {
  const intake = (phi_volume: Intake["phi_volume"], criticality: Intake["criticality"], connectivity: Intake["connectivity"], hosting: Intake["hosting"]): Intake => ({ phi_volume, criticality, connectivity, hosting });
  it("any PHI activity makes a business associate", () => {
    expect(isBusinessAssociate({ creates: false, receives: false, maintains: false, transmits: false })).toBe(false);
    expect(isBusinessAssociate({ creates: false, receives: false, maintains: false, transmits: true })).toBe(true);
    expect(phiText({ creates: true, receives: false, maintains: true, transmits: false })).toBe("creates, maintains");
    expect(phiText({ creates: false, receives: false, maintains: false, transmits: false })).toBe("no PHI");
  });
  it("previews the inherent tier like the core (vendor.rs tests)", () => {
    const low = intake("none", "low", "none", "on-prem");
    expect(previewInherentTier(low, false)).toBe("low");
    expect(previewInherentTier(low, true)).toBe("moderate");
    expect(previewInherentTier(intake("high", "critical", "network", "saas"), true)).toBe("critical");
  });
  it("previews the tier's point boundaries: 0–2 low, 3–5 moderate, 6–8 high, 9+ critical", () => {
    expect(previewInherentTier(intake("low", "none", "none", "saas"), false)).toBe("low"); // 2
    expect(previewInherentTier(intake("low", "low", "none", "saas"), false)).toBe("moderate"); // 3
    expect(previewInherentTier(intake("medium", "low", "integration", "saas"), false)).toBe("moderate"); // 5
    expect(previewInherentTier(intake("medium", "medium", "integration", "saas"), false)).toBe("high"); // 6
    expect(previewInherentTier(intake("high", "high", "integration", "saas"), false)).toBe("high"); // 8
    expect(previewInherentTier(intake("high", "high", "network", "saas"), false)).toBe("critical"); // 9
    expect(previewInherentTier(intake("high", "high", "network", "on-prem"), false)).toBe("high"); // 8: on-premises adds nothing
    expect(previewInherentTier(intake("critical", "critical", "network", "on-prem"), true)).toBe("critical"); // BA does not lower
  });
  it("cleans the record for vendor_save without touching the draft", () => {
    const draft = vendor({
      name: "  Acme  ",
      service: " PACS ",
      notes: " n ",
      last_assessed: "2026-01-10",
      baa: { status: "signed", signed: "", expires: "2027-01-01" },
      certifications: [
        { kind: " SOC 2 Type II ", period_end: "", expires: "2027-06-30" },
        { kind: "", period_end: "", expires: "" },
        { kind: "", period_end: null, expires: "2027-01-01" },
      ],
    });
    const snapshot = JSON.stringify(draft);
    const v = cleanVendor(draft);
    expect(JSON.stringify(draft)).toBe(snapshot);
    expect(v.name).toBe("Acme");
    expect(v.service).toBe("PACS");
    expect(v.notes).toBe("n");
    expect(v.baa).toEqual({ status: "signed", signed: null, expires: "2027-01-01" });
    expect(v.certifications).toEqual([
      { kind: "SOC 2 Type II", period_end: null, expires: "2027-06-30" },
      { kind: "", period_end: null, expires: "2027-01-01" }, // kept: the backend says a kind is needed
    ]);
    expect(v.last_assessed).toBe("2026-01-10"); // the next review is counted from it
    expect(v.id).toBe(1);
  });
  it("hints about a BAA the PHI makes necessary", () => {
    const phi = { creates: false, receives: true, maintains: false, transmits: false };
    expect(baaHint({ phi, baa: { status: "not-needed", signed: null, expires: null } })).toContain("saving records it as missing");
    expect(baaHint({ phi, baa: { status: "requested", signed: null, expires: null } })).toBe("Handles PHI without a signed BAA.");
    expect(baaHint({ phi, baa: { status: "signed", signed: null, expires: null } })).toBeNull();
    expect(baaHint({ phi: { ...phi, receives: false }, baa: { status: "not-needed", signed: null, expires: null } })).toBeNull();
  });
});

describe("findings", () => {
  const findings = [
    finding({ ref: "A-1", severity: "medium", due: "2027-02-01", domain: "access" }),
    finding({ ref: "A-2", severity: "critical", due: "2026-12-20", domain: "logging", question: "Are logs kept six years?" }),
    finding({ ref: "A-3", severity: "high", due: "2026-12-01", domain: "access" }),
    finding({ ref: "A-4", severity: "critical", due: "2026-12-10", domain: "access", remediation: "Ask for the SOC 2 bridge letter." }),
    finding({ ref: "A-5", severity: "low", due: "2026-12-10", domain: "logging" }),
  ];
  const statuses: FindingStatus[] = ["open", "accepted", "open", "remediated"]; // the fifth is missing: open

  it("filters by severity, domain, status and text", () => {
    expect(filterFindings(findings, statuses, emptyFindingFilter())).toEqual([0, 1, 2, 3, 4]);
    expect(filterFindings(findings, statuses, { ...emptyFindingFilter(), severity: "critical" })).toEqual([1, 3]);
    expect(filterFindings(findings, statuses, { ...emptyFindingFilter(), domain: "logging" })).toEqual([1, 4]);
    expect(filterFindings(findings, statuses, { ...emptyFindingFilter(), status: "open" })).toEqual([0, 2, 4]);
    expect(filterFindings(findings, statuses, { ...emptyFindingFilter(), text: "soc 2 BRIDGE" })).toEqual([3]);
    expect(filterFindings(findings, statuses, { severity: "critical", domain: "access", status: "", text: "" })).toEqual([3]);
    expect(isFindingFilterEmpty(emptyFindingFilter())).toBe(true);
    expect(isFindingFilterEmpty({ ...emptyFindingFilter(), text: "  " })).toBe(true);
    expect(isFindingFilterEmpty({ ...emptyFindingFilter(), status: "open" })).toBe(false);
  });
  it("sorts by severity (most severe first), then soonest due", () => {
    expect(sortFindings(findings, [0, 1, 2, 3, 4], { key: "severity", dir: "desc" })).toEqual([3, 1, 2, 0, 4]);
    expect(sortFindings(findings, [0, 1, 2, 3, 4], { key: "severity", dir: "asc" })).toEqual([4, 0, 2, 3, 1]);
  });
  it("sorts by due date (soonest first), then most severe", () => {
    expect(sortFindings(findings, [0, 1, 2, 3, 4], { key: "due", dir: "asc" })).toEqual([2, 3, 4, 1, 0]);
    expect(sortFindings(findings, [0, 1, 2, 3, 4], { key: "due", dir: "desc" })).toEqual([0, 1, 3, 4, 2]);
  });
  it("sorts only the indices it is given and keeps the input", () => {
    const shown = [4, 1, 0];
    expect(sortFindings(findings, shown, { key: "severity", dir: "desc" })).toEqual([1, 0, 4]);
    expect(shown).toEqual([4, 1, 0]);
  });
  it("flips the column clicked again, starts a new column at its natural order", () => {
    expect(nextFindingSort({ key: "severity", dir: "desc" }, "severity")).toEqual({ key: "severity", dir: "asc" });
    expect(nextFindingSort({ key: "severity", dir: "desc" }, "due")).toEqual({ key: "due", dir: "asc" });
    expect(nextFindingSort({ key: "due", dir: "asc" }, "severity")).toEqual({ key: "severity", dir: "desc" });
  });
  it("counts statuses, missing ones as open", () => {
    expect(countStatuses(statuses, 5)).toEqual({ open: 3, accepted: 1, remediated: 1 });
  });
  it("replaces one status without changing the old list", () => {
    const next = withStatus(statuses, 2, "accepted");
    expect(next).toEqual(["open", "accepted", "accepted", "remediated"]);
    expect(statuses[2]).toBe("open");
    expect(withStatus([], 2, "remediated")).toEqual(["open", "open", "remediated"]);
  });
  it("an open finding past its due date is overdue; a closed one is not", () => {
    expect(isFindingOverdue({ due: "2026-11-01" }, "open", TODAY)).toBe(true);
    expect(isFindingOverdue({ due: "2026-11-01" }, "accepted", TODAY)).toBe(false);
    expect(isFindingOverdue({ due: "2026-12-01" }, "open", TODAY)).toBe(false);
  });
  it("colours severities like tiers, low in grey", () => {
    expect(severityClass("critical")).toBe("risk-critical");
    expect(severityClass("high")).toBe("risk-high");
    expect(severityClass("medium")).toBe("risk-moderate");
    expect(severityClass("low")).toBe("risk-none");
  });
});

describe("coverage, outcomes and answers", () => {
  it("labels coverage statuses and owners", () => {
    expect(coverageLabel("no-evidence")).toBe("No evidence");
    expect(coverageClass("supported")).toBe("risk-low");
    expect(coverageClass("contradicted")).toBe("risk-critical");
    expect(coverageClass("mixed")).toBe("risk-moderate");
    expect(ownerLabel("provider")).toBe("Cloud provider");
    expect(ownerLabel("customer")).toBe("Us (customer)");
    expect(ownerLabel(null)).toBe("—");
    expect(ownerLabel("someone")).toBe("someone");
  });
  it("labels outcomes and responses", () => {
    expect(outcomeLabel("unjustified-na")).toBe("N/A without reason");
    expect(outcomeClass("met")).toBe("risk-low");
    expect(outcomeClass("gap")).toBe("risk-critical");
    expect(outcomeClass("informational")).toBe("risk-none");
    expect(responseLabel("n/a")).toBe("N/A");
    expect(responseLabel("yes")).toBe("Yes");
  });
  it("filters answers by outcome and text", () => {
    const q = (ref: string, outcome: QuestionScore["outcome"], question: string, comment = ""): QuestionScore => ({
      sheet: "S", row: 1, ref, question, answer: "Yes", comment, domain: "access", criticality: "high", expected: "Yes", placement: "rubric", placed_as: null,
      interpreted: { response: "yes", justified: false, evidence: [], planned: null, contradiction: null, note: null }, outcome, note: null, points: 3, earned: 3, frameworks: [],
    });
    const qs = [q("A", "met", "Is MFA enforced?"), q("B", "gap", "Are logs kept?"), q("C", "met", "Backups?", "encrypted with AES")];
    expect(filterAnswers(qs, "", "")).toEqual([0, 1, 2]);
    expect(filterAnswers(qs, "met", "")).toEqual([0, 2]);
    expect(filterAnswers(qs, "", "aes")).toEqual([2]);
    expect(filterAnswers(qs, "gap", "mfa")).toEqual([]);
    expect(questionLabel({ ref: "", sheet: "Security", row: 12 })).toBe("Security row 12");
    expect(questionLabel({ ref: "IAM-01", sheet: "Security", row: 12 })).toBe("IAM-01");
  });
});

describe("questionnaire recognition and rubric choice", () => {
  const rec = {
    family: "hecvat",
    family_title: "EDUCAUSE HECVAT",
    edition: "lite",
    edition_title: "Lite",
    version: "3.01",
    generation: "3",
    confidence: 0.95,
    certainty: "certain" as const,
    evidence: [],
  };
  it("names the family, edition and version, or says none was seen", () => {
    expect(recognitionLabel(rec)).toBe("EDUCAUSE HECVAT Lite 3.01");
    expect(recognitionLabel({ ...rec, edition_title: null, version: null })).toBe("EDUCAUSE HECVAT 3.x (no version cell)");
    expect(recognitionLabel({ ...rec, version: null, generation: null })).toBe("EDUCAUSE HECVAT Lite (version not stated)");
    expect(recognitionLabel(null)).toBe("No known questionnaire family recognised");
  });
  it("says how the rubric was chosen and how questions were placed", () => {
    expect(choiceHow("closest")).toBe("closest of the family by question text");
    expect(choiceHow("something-new")).toBe("something-new");
    expect(placementSummary({ by_id: 10, by_text: 5, classified: 2, guessed: 0 })).toBe("10 by question ID · 5 by question text · 2 by keywords");
    expect(placementSummary({ by_id: 0, by_text: 0, classified: 3, guessed: 4 })).toContain("4 by guesswork (findings at most low)");
    expect(placementLabel("text", "DOCU-01")).toBe("placed by its text on the rubric's DOCU-01");
    expect(placementLabel("guessed")).toContain("guesswork");
    expect(findingKindLabel("contradiction")).toBe("Contradicts the vendor record");
  });
  it("names what each count counts", () => {
    expect(paperworkSummary([{ severity: "critical", message: "handles PHI without a signed BAA" }])).toContain("1 paperwork warning about the vendor record");
    expect(paperworkSummary([{ severity: "critical", message: "x" }])).toContain("not findings from the answers");
    expect(findingsSummary({ critical: 0, high: 2, medium: 1, low: 0 })).toBe("3 findings from the vendor's answers, by severity");
    expect(findingsSummary({ critical: 0 })).toBe("No findings from the vendor's answers");
  });
  it("lets every notice expire, errors later than toasts", () => {
    expect(expiryMs("info", false)).toBe(6000);
    expect(expiryMs("info", true)).toBe(12000);
    expect(expiryMs("error", false)).toBe(20000);
  });
});
