-- Third-party risk: vendor records, their assessments (the full result as JSON, with the key
-- figures as columns for lists) and the follow-up status of each finding.

CREATE TABLE vendors (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    record     TEXT NOT NULL,              -- JSON: the vendor record (assess::vendor::Vendor)
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE assessments (
    id            INTEGER PRIMARY KEY,
    vendor_id     INTEGER NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
    questionnaire TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    rubric        TEXT NOT NULL,
    assessed_at   TEXT NOT NULL,
    overall       REAL,
    residual_tier TEXT NOT NULL,
    result        TEXT NOT NULL              -- JSON: assess::Assessment
);
CREATE INDEX assessments_vendor ON assessments(vendor_id, assessed_at);

CREATE TABLE finding_status (
    assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    finding       INTEGER NOT NULL,          -- index in the assessment's findings
    status        TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'remediated')),
    note          TEXT NOT NULL DEFAULT '',
    changed_by    TEXT NOT NULL,
    changed_at    TEXT NOT NULL,
    PRIMARY KEY (assessment_id, finding)
);
