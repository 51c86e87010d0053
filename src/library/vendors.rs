//! Vendors and their assessments kept in the library (migration 006): the vendor record, every
//! assessment's full result, and the follow-up status of each finding (open, accepted,
//! remediated) with who changed it and when.

use super::Library;
use crate::dates::{now_text, today};
use crate::assess::vendor::{Tier, Vendor, Warning};
use crate::assess::Assessment;
use crate::error::{Error, Result};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

/// A vendor with its latest assessment's figures, for the Vendors list.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VendorSummary {
    pub vendor: Vendor,
    pub warnings: Vec<Warning>,
    pub latest: Option<AssessmentSummary>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AssessmentSummary {
    pub id: i64,
    pub questionnaire: String,
    pub rubric: String,
    pub assessed_at: String,
    pub overall: Option<f64>,
    pub residual_tier: Tier,
    /// Findings still open (not accepted or remediated).
    pub open_findings: usize,
    pub findings: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum FindingStatus {
    Open,
    Accepted,
    Remediated,
}

impl FindingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingStatus::Open => "open",
            FindingStatus::Accepted => "accepted",
            FindingStatus::Remediated => "remediated",
        }
    }
}

/// A saved assessment with the follow-up status of its findings (same order as its findings).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SavedAssessment {
    pub id: i64,
    pub assessment: Assessment,
    pub finding_status: Vec<FindingStatus>,
}

fn json_err(what: &str, e: serde_json::Error) -> Error {
    Error::invalid("library.vendors.saved_cannot_read_library", format!("the saved {what} cannot be read ({e}); the library may be damaged: restore a backup"))
}

impl Library {
    /// Adds a vendor (names are unique, case-insensitively).
    pub fn add_vendor(&mut self, mut vendor: Vendor) -> Result<Vendor> {
        vendor.settle(today())?;
        // Checked and inserted in one write transaction: two people adding the same name at
        // once get one vendor and one clear refusal.
        let tx = self.write_tx()?;
        let exists: Option<i64> = tx.query_row("SELECT id FROM vendors WHERE name = ?1", [&vendor.name], |r| r.get(0)).optional().map_err(|e| self.err(e))?;
        if exists.is_some() {
            return Err(Error::invalid("library.vendors.vendor_exists", format!("a vendor named \"{}\" already exists; edit it instead", vendor.name)));
        }
        let now = now_text();
        let record = serde_json::to_string(&vendor).map_err(|e| Error::invalid("library.vendors.cannot_save_vendor", format!("cannot save the vendor: {e}")))?;
        tx.execute("INSERT INTO vendors(name, record, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)", params![vendor.name, record, now]).map_err(|e| self.err(e))?;
        vendor.id = tx.last_insert_rowid();
        tx.commit().map_err(|e| self.err(e))?;
        Ok(vendor)
    }

    /// Saves a changed vendor record (found by its id). When it was last assessed is the
    /// library's to say (a stale copy in a window must not move the next review back).
    pub fn update_vendor(&mut self, mut vendor: Vendor) -> Result<Vendor> {
        let stored = self.vendor_by_id(vendor.id)?;
        vendor.last_assessed = stored.last_assessed;
        vendor.settle(today())?;
        let record = serde_json::to_string(&vendor).map_err(|e| Error::invalid("library.vendors.cannot_save_vendor", format!("cannot save the vendor: {e}")))?;
        let tx = self.write_tx()?;
        let n = tx
            .execute("UPDATE vendors SET name = ?2, record = ?3, updated_at = ?4 WHERE id = ?1", params![vendor.id, vendor.name, record, now_text()])
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => Error::invalid("library.vendors.another_vendor_already_named", format!("another vendor is already named \"{}\"", vendor.name)),
                other => self.err(other),
            })?;
        tx.commit().map_err(|e| self.err(e))?;
        if n == 0 {
            return Err(Error::invalid("library.vendors.vendor", format!("there is no vendor {}", vendor.id)));
        }
        Ok(vendor)
    }

    /// A vendor by name (case-insensitive), else by id ("12").
    pub fn vendor(&self, name_or_id: &str) -> Result<Vendor> {
        let by_name: Option<i64> = self.conn.query_row("SELECT id FROM vendors WHERE name = ?1", [name_or_id.trim()], |r| r.get(0)).optional().map_err(|e| self.err(e))?;
        match by_name.or_else(|| name_or_id.trim().parse().ok()) {
            Some(id) => self.vendor_by_id(id).map_err(|_| Self::no_vendor(name_or_id)),
            None => Err(Self::no_vendor(name_or_id)),
        }
    }

    fn no_vendor(name: &str) -> Error {
        Error::invalid("library.vendors.no_vendor_named", format!("no vendor named \"{}\"", name.trim()))
    }

    pub fn vendor_by_id(&self, id: i64) -> Result<Vendor> {
        let record: Option<String> = self.conn.query_row("SELECT record FROM vendors WHERE id = ?1", [id], |r| r.get(0)).optional().map_err(|e| self.err(e))?;
        let record = record.ok_or_else(|| Error::invalid("library.vendors.vendor_deleted", format!("there is no vendor {id}; it may have been deleted")))?;
        let mut v: Vendor = serde_json::from_str(&record).map_err(|e| json_err("vendor", e))?;
        v.id = id;
        Ok(v)
    }

    /// Every vendor with its latest assessment, by name.
    pub fn vendor_summaries(&self) -> Result<Vec<VendorSummary>> {
        let rows: Vec<(i64, String)> = {
            let mut st = self.conn.prepare("SELECT id, record FROM vendors ORDER BY name").map_err(|e| self.err(e))?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).map_err(|e| self.err(e))?;
            rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))?
        };
        let today = today();
        rows.into_iter()
            .map(|(id, record)| {
                let mut vendor: Vendor = serde_json::from_str(&record).map_err(|e| json_err("vendor", e))?;
                vendor.id = id;
                let latest = self.assessment_summaries(id)?.into_iter().next();
                Ok(VendorSummary { warnings: vendor.warnings(today), vendor, latest })
            })
            .collect()
    }

    /// A vendor's assessments, newest first.
    pub fn assessment_summaries(&self, vendor_id: i64) -> Result<Vec<AssessmentSummary>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT a.id, a.questionnaire, a.rubric, a.assessed_at, a.overall, a.residual_tier,
                        json_array_length(a.result, '$.scorecard.findings'),
                        (SELECT COUNT(*) FROM finding_status s WHERE s.assessment_id = a.id AND s.status <> 'open')
                 FROM assessments a WHERE a.vendor_id = ?1 ORDER BY a.assessed_at DESC, a.id DESC",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([vendor_id], |r| {
                let tier: String = r.get(5)?;
                let findings: i64 = r.get(6)?;
                let closed: i64 = r.get(7)?;
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, tier, findings, closed))
            })
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, questionnaire, rubric, assessed_at, overall, tier, findings, closed): (i64, String, String, String, Option<f64>, String, i64, i64) = row.map_err(|e| self.err(e))?;
            let residual_tier: Tier = serde_json::from_value(serde_json::Value::String(tier)).map_err(|e| json_err("tier", e))?;
            out.push(AssessmentSummary {
                id,
                questionnaire,
                rubric,
                assessed_at,
                overall,
                residual_tier,
                findings: findings.max(0) as usize,
                open_findings: (findings - closed).max(0) as usize,
            });
        }
        Ok(out)
    }

    /// Saves an assessment and records it on the vendor (last assessed, next review).
    pub fn save_assessment(&mut self, a: &Assessment) -> Result<i64> {
        let result = serde_json::to_string(a).map_err(|e| Error::invalid("library.vendors.cannot_save_assessment", format!("cannot save the assessment: {e}")))?;
        let record = serde_json::to_string(&a.vendor).map_err(|e| Error::invalid("library.vendors.cannot_save_vendor", format!("cannot save the vendor: {e}")))?;
        let now = now_text();
        let tx = self.write_tx()?;
        tx.execute(
            "INSERT INTO assessments(vendor_id, questionnaire, sha256, rubric, assessed_at, overall, residual_tier, result) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![a.vendor.id, a.questionnaire, a.sha256, a.scorecard.rubric, now, a.scorecard.overall, a.residual_tier.as_str(), result],
        )
        .map_err(|e| self.err(e))?;
        let id = tx.last_insert_rowid();
        tx.execute("UPDATE vendors SET record = ?2, updated_at = ?3 WHERE id = ?1", params![a.vendor.id, record, now]).map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))?;
        Ok(id)
    }

    pub fn assessment(&self, id: i64) -> Result<SavedAssessment> {
        let result: Option<String> = self.conn.query_row("SELECT result FROM assessments WHERE id = ?1", [id], |r| r.get(0)).optional().map_err(|e| self.err(e))?;
        let Some(result) = result else {
            return Err(Error::invalid("library.vendors.assessment", format!("there is no assessment {id}")));
        };
        let assessment: Assessment = serde_json::from_str(&result).map_err(|e| json_err("assessment", e))?;
        let mut finding_status = vec![FindingStatus::Open; assessment.scorecard.findings.len()];
        let mut st = self.conn.prepare("SELECT finding, status FROM finding_status WHERE assessment_id = ?1").map_err(|e| self.err(e))?;
        let rows = st.query_map([id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))).map_err(|e| self.err(e))?;
        for row in rows {
            let (i, s) = row.map_err(|e| self.err(e))?;
            if let Some(slot) = finding_status.get_mut(i.max(0) as usize) {
                *slot = serde_json::from_value(serde_json::Value::String(s)).map_err(|e| json_err("finding status", e))?;
            }
        }
        Ok(SavedAssessment { id, assessment, finding_status })
    }

    /// The vendor's most recent assessment, if any.
    pub fn latest_assessment(&self, vendor_id: i64) -> Result<Option<SavedAssessment>> {
        match self.assessment_summaries(vendor_id)?.first() {
            Some(s) => self.assessment(s.id).map(Some),
            None => Ok(None),
        }
    }

    /// Sets a finding's follow-up status.
    pub fn set_finding_status(&mut self, assessment_id: i64, finding: usize, status: FindingStatus, note: &str, user: &str) -> Result<()> {
        let saved = self.assessment(assessment_id)?;
        if finding >= saved.assessment.scorecard.findings.len() {
            return Err(Error::invalid("library.vendors.assessment_finding", format!("assessment {assessment_id} has no finding {} (it has {})", finding + 1, saved.assessment.scorecard.findings.len())));
        }
        self.write_one(
                "INSERT INTO finding_status(assessment_id, finding, status, note, changed_by, changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(assessment_id, finding) DO UPDATE SET status = excluded.status, note = excluded.note, changed_by = excluded.changed_by, changed_at = excluded.changed_at",
                params![assessment_id, finding as i64, status.as_str(), note, user, now_text()],
            )?;
        Ok(())
    }
}
