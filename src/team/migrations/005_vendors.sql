-- Third-party risk: vendors, assessments and finding statuses, shaped like the desktop's
-- (src/library/migrations/006). Accepting a finding's risk is a decision: only an approver sets
-- or changes an "accepted" status (policies in 007).
SET LOCAL ROLE quire_owner;

CREATE TABLE quire.vendors (
    id         uuid PRIMARY KEY,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
    record     jsonb NOT NULL CHECK (jsonb_typeof(record) = 'object' AND octet_length(record::text) <= 1000000),
    deleted    boolean NOT NULL DEFAULT false,
    revision   bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL DEFAULT session_user,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL DEFAULT session_user
);
CREATE UNIQUE INDEX vendors_name ON quire.vendors (lower(name)) WHERE NOT deleted;
SELECT quire.make_synced('quire.vendors');

CREATE TABLE quire.assessments (
    id            uuid PRIMARY KEY,
    vendor_id     uuid NOT NULL REFERENCES quire.vendors(id),
    questionnaire text NOT NULL CHECK (length(questionnaire) BETWEEN 1 AND 1000),
    sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    rubric        text NOT NULL CHECK (length(rubric) <= 200),
    assessed_at   timestamptz NOT NULL,
    overall       double precision,
    residual_tier text NOT NULL CHECK (length(residual_tier) <= 50),
    result        jsonb NOT NULL CHECK (jsonb_typeof(result) = 'object' AND octet_length(result::text) <= 20000000),
    deleted       boolean NOT NULL DEFAULT false,
    revision      bigint NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text NOT NULL DEFAULT session_user,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    updated_by    text NOT NULL DEFAULT session_user
);
CREATE INDEX assessments_vendor ON quire.assessments (vendor_id, assessed_at);
SELECT quire.make_synced('quire.assessments', audit_omit => ARRAY['result']);

CREATE TABLE quire.finding_status (
    id            uuid PRIMARY KEY,
    assessment_id uuid NOT NULL REFERENCES quire.assessments(id),
    finding       integer NOT NULL CHECK (finding >= 0),
    status        text NOT NULL CHECK (status IN ('open', 'accepted', 'remediated')),
    note          text NOT NULL DEFAULT '' CHECK (length(note) <= 20000),
    deleted       boolean NOT NULL DEFAULT false,
    revision      bigint NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text NOT NULL DEFAULT session_user,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    updated_by    text NOT NULL DEFAULT session_user
);
CREATE UNIQUE INDEX finding_status_place ON quire.finding_status (assessment_id, finding) WHERE NOT deleted;
SELECT quire.make_synced('quire.finding_status');
