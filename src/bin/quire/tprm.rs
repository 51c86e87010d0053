//! `quire vendor …` and `quire assess …`: the third-party-risk commands. Parsing and printing
//! only; vendors, scoring and reports are in the core (`quire::assess`, `quire::library`,
//! `quire::report::risk`).

use quire::display::shorten;
use clap::{Args, Subcommand};
use quire::assess::vendor::{Baa, BaaStatus, Certification, PhiActivities, Vendor};
use quire::assess::Assessment;
use quire::workflow::AssessResult;
use quire::library::Library;
use quire::{Error, Result};
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum VendorCommand {
    /// Add a vendor.
    Add {
        name: String,
        #[command(flatten)]
        fields: VendorFields,
    },
    /// List vendors with tier, latest score, next review and warnings.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show a vendor's record, warnings and assessments.
    Show {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Change a vendor's record (only the options given change).
    Edit {
        name: String,
        /// A new name.
        #[arg(long)]
        rename: Option<String>,
        /// Remove every certification before adding those given with --cert.
        #[arg(long)]
        clear_certs: bool,
        #[command(flatten)]
        fields: VendorFields,
    },
}

#[derive(Args, Default)]
pub struct VendorFields {
    /// The service the vendor provides.
    #[arg(long)]
    service: Option<String>,
    /// What it does with PHI: create,receive,maintain,transmit (any) or none.
    #[arg(long, value_name = "ACTIVITIES")]
    phi: Option<String>,
    /// BAA status: not-needed, missing, requested, signed.
    #[arg(long, value_parser = enum_value::<BaaStatus>)]
    baa: Option<BaaStatus>,
    #[arg(long, value_name = "DATE")]
    baa_signed: Option<String>,
    #[arg(long, value_name = "DATE")]
    baa_expires: Option<String>,
    /// A certification: "KIND[;expires=DATE][;period-end=DATE]", e.g. "SOC 2 Type II;expires=2027-06-30". Repeatable.
    #[arg(long = "cert", value_name = "CERT")]
    certs: Vec<String>,
    /// How much PHI it handles: none, low, medium, high, critical.
    #[arg(long, value_parser = enum_value::<quire::assess::vendor::Level>)]
    phi_volume: Option<quire::assess::vendor::Level>,
    /// How critical the service is: none, low, medium, high, critical.
    #[arg(long, value_parser = enum_value::<quire::assess::vendor::Level>)]
    criticality: Option<quire::assess::vendor::Level>,
    /// Connection to the hospital: none, integration, network.
    #[arg(long, value_parser = enum_value::<quire::assess::vendor::Connectivity>)]
    connectivity: Option<quire::assess::vendor::Connectivity>,
    /// Hosting model: saas, paas, iaas, on-prem.
    #[arg(long, value_parser = enum_value::<quire::assess::vendor::Hosting>)]
    hosting: Option<quire::assess::vendor::Hosting>,
    #[arg(long)]
    notes: Option<String>,
}

/// Parses a kebab-case enum value the way the core serialises it.
fn enum_value<T: serde::de::DeserializeOwned>(s: &str) -> std::result::Result<T, String> {
    serde_json::from_value(serde_json::Value::String(s.trim().to_lowercase())).map_err(|_| format!("{s:?} is not one of the allowed values (see --help)"))
}

fn parse_cert(s: &str) -> Result<Certification> {
    let mut parts = s.split(';');
    let kind = parts.next().unwrap_or("").trim().to_string();
    let mut c = Certification { kind, period_end: None, expires: None };
    for p in parts {
        match p.split_once('=').map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_string())) {
            Some((k, v)) if k == "expires" => c.expires = Some(v),
            Some((k, v)) if k == "period-end" || k == "period_end" => c.period_end = Some(v),
            _ => return Err(Error::invalid("cli.tprm.cannot_read_certification_write", format!("cannot read certification {s:?}: write \"KIND;expires=YYYY-MM-DD;period-end=YYYY-MM-DD\""))),
        }
    }
    Ok(c)
}

impl VendorFields {
    fn apply(self, v: &mut Vendor) -> Result<()> {
        if let Some(s) = self.service {
            v.service = s;
        }
        if let Some(p) = self.phi {
            v.phi = PhiActivities::parse(&p)?;
        }
        let mut baa: Baa = v.baa.clone();
        if let Some(s) = self.baa {
            baa.status = s;
        }
        if self.baa_signed.is_some() {
            baa.signed = self.baa_signed;
        }
        if self.baa_expires.is_some() {
            baa.expires = self.baa_expires;
        }
        v.baa = baa;
        for c in &self.certs {
            v.certifications.push(parse_cert(c)?);
        }
        if let Some(l) = self.phi_volume {
            v.intake.phi_volume = l;
        }
        if let Some(l) = self.criticality {
            v.intake.criticality = l;
        }
        if let Some(c) = self.connectivity {
            v.intake.connectivity = c;
        }
        if let Some(h) = self.hosting {
            v.intake.hosting = h;
        }
        if let Some(n) = self.notes {
            v.notes = n;
        }
        Ok(())
    }
}

pub fn vendor(lib: &mut Library, cmd: VendorCommand) -> Result<()> {
    match cmd {
        VendorCommand::Add { name, fields } => {
            let mut v = Vendor::new(&name);
            fields.apply(&mut v)?;
            let v = lib.add_vendor(v)?;
            outln!("added vendor {} (id {}): inherent tier {}, next review {}", v.name, v.id, v.inherent_tier.as_str(), v.next_review.as_deref().unwrap_or("-"));
            print_warnings(&v.warnings(quire::dates::today()));
            Ok(())
        }
        VendorCommand::Edit { name, rename, clear_certs, fields } => {
            let mut v = lib.vendor(&name)?;
            if let Some(n) = rename {
                v.name = n.trim().to_string();
            }
            if clear_certs {
                v.certifications.clear();
            }
            fields.apply(&mut v)?;
            let v = lib.update_vendor(v)?;
            outln!("saved vendor {}: inherent tier {}, next review {}", v.name, v.inherent_tier.as_str(), v.next_review.as_deref().unwrap_or("-"));
            print_warnings(&v.warnings(quire::dates::today()));
            Ok(())
        }
        VendorCommand::List { json } => {
            let all = lib.vendor_summaries()?;
            if json {
                return super::print_json(&all);
            }
            if all.is_empty() {
                outln!("No vendors yet. Add one: quire vendor add \"Vendor name\" --service \"…\" --phi receive,maintain --hosting saas");
                return Ok(());
            }
            outln!("{:<28} {:<9} {:<9} {:>7} {:<11} warnings", "vendor", "inherent", "residual", "score", "next review");
            for s in &all {
                let (score, residual) = match &s.latest {
                    Some(a) => (a.overall.map(|x| format!("{x:.0}")).unwrap_or_else(|| "-".into()), a.residual_tier.as_str()),
                    None => ("-".into(), "-"),
                };
                outln!(
                    "{:<28} {:<9} {:<9} {:>7} {:<11} {}",
                    shorten(&s.vendor.name, 28),
                    s.vendor.inherent_tier.as_str(),
                    residual,
                    score,
                    s.vendor.next_review.as_deref().unwrap_or("-"),
                    s.warnings.iter().map(|w| w.message.as_str()).collect::<Vec<_>>().join("; ")
                );
            }
            Ok(())
        }
        VendorCommand::Show { name, json } => {
            let v = lib.vendor(&name)?;
            let assessments = lib.assessment_summaries(v.id)?;
            let warnings = v.warnings(quire::dates::today());
            if json {
                return super::print_json(&serde_json::json!({"vendor": v, "warnings": warnings, "assessments": assessments}));
            }
            outln!("{} (id {})", v.name, v.id);
            if !v.service.is_empty() {
                outln!("  service: {}", v.service);
            }
            outln!("  business associate (handles PHI): {}", if v.is_business_associate() { "yes" } else { "no" });
            outln!("  BAA: {:?}{}", v.baa.status, v.baa.expires.as_deref().map(|e| format!(", expires {e}")).unwrap_or_default());
            for c in &v.certifications {
                outln!("  certification: {}{}", c.kind, c.expires.as_deref().map(|e| format!(", expires {e}")).unwrap_or_default());
            }
            outln!("  hosting {}, inherent tier {}, next review {}", v.intake.hosting.as_str(), v.inherent_tier.as_str(), v.next_review.as_deref().unwrap_or("-"));
            print_warnings(&warnings);
            for a in &assessments {
                outln!(
                    "  assessment {} on {}: {} — score {}, residual tier {}, {} findings ({} open)",
                    a.id,
                    a.assessed_at.get(..10).unwrap_or(&a.assessed_at),
                    a.questionnaire,
                    a.overall.map(|x| format!("{x:.1}")).unwrap_or_else(|| "none".into()),
                    a.residual_tier.as_str(),
                    a.findings,
                    a.open_findings
                );
            }
            Ok(())
        }
    }
}


fn print_warnings(w: &[quire::assess::vendor::Warning]) {
    for x in w {
        outln!("  warning ({}): {}", x.severity, x.message);
    }
}

pub struct AssessArgs<'a> {
    pub file: &'a Path,
    pub vendor: &'a str,
    pub rubric: Option<&'a str>,
    pub pdf: Option<PathBuf>,
    pub xlsx: Option<PathBuf>,
    pub json: bool,
    pub no_save: bool,
}

pub fn assess(lib: &mut Library, args: AssessArgs<'_>) -> Result<()> {
    let vendor = lib.vendor(args.vendor)?;
    let quiet = |_: quire::workflow::Progress| {};
    let AssessResult { id, assessment: a } = quire::workflow::assess_file(lib, &vendor, args.file, args.rubric, !args.no_save, &quiet)?;
    if let Some(p) = &args.pdf {
        quire::report::risk::risk_pdf(&a, p)?;
    }
    if let Some(p) = &args.xlsx {
        quire::report::risk::findings_xlsx(&a, p)?;
    }
    if args.json {
        return super::print_json(&serde_json::json!({"id": id, "assessment": a}));
    }
    print_assessment(&a, id);
    for p in args.pdf.iter().chain(args.xlsx.iter()) {
        outln!("wrote {}", p.display());
    }
    Ok(())
}

fn print_assessment(a: &Assessment, id: Option<i64>) {
    let s = &a.scorecard;
    outln!("{} — {} (rubric: {})", a.vendor.name, a.questionnaire, s.rubric_title);
    let c = &a.choice;
    if let Some(r) = &c.recognition {
        outln!("  questionnaire: {} ({}, confidence {:.2})", r.label(), r.certainty, r.confidence);
    } else {
        outln!("  questionnaire: no known family recognised");
    }
    if !c.reason.is_empty() {
        outln!("  rubric: {}", c.reason);
    }
    outln!(
        "  placed: {} by question ID, {} by question text, {} classified by keywords, {} by guesswork (findings on those are at most low)",
        c.by_id, c.by_text, c.classified, c.guessed
    );
    if !c.unplaced.is_empty() {
        outln!("  {} questions the rubric could not place (classified instead):", c.unplaced.len());
        for u in c.unplaced.iter().take(8) {
            outln!("    {}", shorten(u, 90));
        }
        if c.unplaced.len() > 8 {
            outln!("    … {} more (all in --json, choice.unplaced)", c.unplaced.len() - 8);
        }
    }
    outln!(
        "  overall score {}; inherent tier {}, residual tier {}",
        s.overall.map(|x| format!("{x:.1}/100")).unwrap_or_else(|| "none (nothing scorable)".into()),
        a.inherent_tier.as_str(),
        a.residual_tier.as_str()
    );
    for d in &s.domains {
        if d.questions == 0 {
            continue;
        }
        outln!("  {:<44} {:>6}  ({} questions, {} scored)", shorten(&d.title, 44), d.score.map(|x| format!("{x:.0}")).unwrap_or_else(|| "–".into()), d.questions, d.scored);
    }
    print_warnings(&a.warnings);
    outln!(
        "  findings: {} critical, {} high, {} medium, {} low",
        a.finding_counts.get("critical").unwrap_or(&0),
        a.finding_counts.get("high").unwrap_or(&0),
        a.finding_counts.get("medium").unwrap_or(&0),
        a.finding_counts.get("low").unwrap_or(&0)
    );
    let scoping: Vec<&quire::assess::score::QuestionScore> = s.questions.iter().filter(|q| q.outcome == quire::assess::score::Outcome::Scoping).collect();
    for q in &scoping {
        outln!("  scoping {}: {}", if q.reference.is_empty() { format!("row {}", q.row) } else { q.reference.clone() }, q.note.as_deref().unwrap_or(""));
    }
    let mut top: Vec<_> = s.findings.iter().collect();
    top.sort_by(|x, y| y.severity.cmp(&x.severity));
    for f in top.iter().take(10) {
        outln!("    [{}] {} {}: {} — answered {:?}; {} (due {})", f.severity.as_str(), f.reference, shorten(&f.question, 60), f.domain, f.answer, f.why, f.due);
    }
    if s.findings.len() > 10 {
        outln!("    … {} more (write them all with --xlsx FINDINGS.xlsx)", s.findings.len() - 10);
    }
    for c in &a.coverage {
        outln!("  {}: {} controls supported, {} contradicted or mixed, {} without evidence", c.title, c.supported, c.contradicted, c.no_evidence);
    }
    if let Some(c) = &a.changes {
        outln!(
            "  since {}: score {} ({}), {} answers changed, {} findings closed, {} new",
            c.previous_on,
            c.previous_overall.map(|x| format!("{x:.1}")).unwrap_or_else(|| "none".into()),
            c.overall_delta.map(|d| format!("{d:+.1}")).unwrap_or_else(|| "n/a".into()),
            c.answers.len(),
            c.closed_findings.len(),
            c.new_findings.len()
        );
    }
    if let Some(id) = id {
        outln!("  saved as assessment {id}");
    }
}
