-- The answer library and its evidence, shaped like the desktop's SQLite tables
-- (src/library/migrations/001, 003) with uuids for ids, dates as dates, and the server's
-- bookkeeping columns. Length limits keep one hostile or broken desktop from storing rows the
-- others cannot reasonably load.
SET LOCAL ROLE quire_owner;

-- File bytes, content-addressed: evidence documents and the questionnaires under review.
-- bytea rather than large objects: a row is written and read in the same transaction as its
-- metadata, row-level security and grants apply to it like any table, pg_dump of the schema
-- takes it, and nothing is left orphaned when a transaction fails (large objects need
-- vacuumlo and have only per-object ACLs). The price is that a file is read whole into memory
-- (fine for the documents Quire keeps: PDFs and workbooks of a few MB) and the 256 MiB limit
-- below. STORAGE EXTERNAL: these files are already compressed (PDF, xlsx), so PostgreSQL does not
-- try again. Insert-only: the CHECK makes the server verify the hash, so a file is exactly the
-- bytes its name says.
CREATE TABLE quire.blobs (
    sha256     text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    bytes      bytea NOT NULL CHECK (octet_length(bytes) <= 268435456),
    size       bigint GENERATED ALWAYS AS (octet_length(bytes)) STORED,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL DEFAULT session_user,
    CONSTRAINT blobs_hash_matches CHECK (encode(sha256(bytes), 'hex') = sha256)
);
ALTER TABLE quire.blobs ALTER COLUMN bytes SET STORAGE EXTERNAL;

CREATE FUNCTION quire.stamp_blob() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    NEW.created_at := now();
    NEW.created_by := session_user;
    RETURN NEW;
END $$;
CREATE TRIGGER a_stamp BEFORE INSERT ON quire.blobs FOR EACH ROW EXECUTE FUNCTION quire.stamp_blob();

-- A questionnaire file that was imported (its SHA-256 is its identity).
CREATE TABLE quire.sources (
    id          uuid PRIMARY KEY,
    file_name   text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 1000),
    sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    format      text NOT NULL CHECK (length(format) <= 20),
    imported_at timestamptz NOT NULL,
    questions   integer NOT NULL CHECK (questions >= 0),
    answered    integer NOT NULL CHECK (answered >= 0),
    deleted     boolean NOT NULL DEFAULT false,
    revision    bigint NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  text NOT NULL DEFAULT session_user,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  text NOT NULL DEFAULT session_user
);
CREATE UNIQUE INDEX sources_sha256 ON quire.sources (sha256) WHERE NOT deleted;
SELECT quire.make_synced('quire.sources');

-- One answer to one question. status: a contributor drafts and marks reviewed; only an approver
-- sets approved, and only an approver changes an approved entry (policies in 007). approved_by
-- and approved_at are the server's.
CREATE TABLE quire.entries (
    id            uuid PRIMARY KEY,
    question      text NOT NULL CHECK (length(question) BETWEEN 1 AND 20000),
    question_key  text NOT NULL CHECK (length(question_key) <= 20000),
    answer        text NOT NULL CHECK (answer IN ('Yes', 'No', 'N/A', 'Partial', 'Text')),
    answer_raw    text NOT NULL CHECK (length(answer_raw) <= 100000),
    answer_key    text NOT NULL CHECK (length(answer_key) <= 100000),
    comment       text NOT NULL DEFAULT '' CHECK (length(comment) <= 100000),
    domain        text NOT NULL DEFAULT '' CHECK (length(domain) <= 500),
    tags          text NOT NULL DEFAULT '' CHECK (length(tags) <= 2000),
    owner         text NOT NULL DEFAULT '' CHECK (length(owner) <= 500),
    last_reviewed date,
    review_by     date NOT NULL,
    status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'reviewed', 'approved')),
    approved_by   text,
    approved_at   timestamptz,
    deleted       boolean NOT NULL DEFAULT false,
    revision      bigint NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text NOT NULL DEFAULT session_user,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    updated_by    text NOT NULL DEFAULT session_user
);
-- As in the desktop library: one entry per (question, answer); a second answer to the same
-- question is a second entry, shown as a conflict. Hashed, since keys can exceed a B-tree row.
CREATE UNIQUE INDEX entries_question_answer ON quire.entries (md5(question_key), md5(answer_key)) WHERE NOT deleted;
CREATE INDEX entries_question_key ON quire.entries (md5(question_key));
SELECT quire.make_synced('quire.entries');

-- approved_by / approved_at: set when an entry becomes approved, or when an approved entry's
-- content changes (which only an approver may do); cleared when it is no longer approved.
CREATE FUNCTION quire.stamp_approval() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    bookkeeping text[] := ARRAY['revision', 'created_at', 'created_by', 'updated_at', 'updated_by', 'approved_by', 'approved_at'];
BEGIN
    IF NEW.status = 'approved' THEN
        IF TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'approved'
           OR (to_jsonb(NEW) - bookkeeping) IS DISTINCT FROM (to_jsonb(OLD) - bookkeeping) THEN
            NEW.approved_by := session_user;
            NEW.approved_at := now();
        ELSE
            NEW.approved_by := OLD.approved_by;
            NEW.approved_at := OLD.approved_at;
        END IF;
    ELSE
        NEW.approved_by := NULL;
        NEW.approved_at := NULL;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER b_approval BEFORE INSERT OR UPDATE ON quire.entries FOR EACH ROW EXECUTE FUNCTION quire.stamp_approval();

-- Where an entry was seen.
CREATE TABLE quire.provenance (
    id          uuid PRIMARY KEY,
    entry_id    uuid NOT NULL REFERENCES quire.entries(id),
    source_id   uuid NOT NULL REFERENCES quire.sources(id),
    sheet       text NOT NULL CHECK (length(sheet) <= 500),
    "row"       integer NOT NULL CHECK ("row" >= 0),
    ref         text NOT NULL DEFAULT '' CHECK (length(ref) <= 500),
    answer_raw  text NOT NULL CHECK (length(answer_raw) <= 100000),
    comment     text NOT NULL DEFAULT '' CHECK (length(comment) <= 100000),
    imported_at timestamptz NOT NULL,
    deleted     boolean NOT NULL DEFAULT false,
    revision    bigint NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  text NOT NULL DEFAULT session_user,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  text NOT NULL DEFAULT session_user
);
CREATE UNIQUE INDEX provenance_place ON quire.provenance (entry_id, source_id, md5(sheet), "row", md5(ref)) WHERE NOT deleted;
CREATE INDEX provenance_entry ON quire.provenance (entry_id);
SELECT quire.make_synced('quire.provenance');

-- Every change of an entry's fields, written by the server (trigger below): who and when are
-- the server's (created_by, created_at). Desktops read it; none writes it.
CREATE TABLE quire.entry_history (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entry_id   uuid NOT NULL REFERENCES quire.entries(id),
    field      text NOT NULL,
    old_value  text,
    new_value  text,
    deleted    boolean NOT NULL DEFAULT false,
    revision   bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL DEFAULT session_user,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL DEFAULT session_user
);
CREATE INDEX entry_history_entry ON quire.entry_history (entry_id);
SELECT quire.make_synced('quire.entry_history', audited => false);

-- AFTER UPDATE: one history row per changed field. Arguments: the history table, its column
-- naming the changed row, then the fields to follow.
CREATE FUNCTION quire.record_history() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    o jsonb := to_jsonb(OLD);
    n jsonb := to_jsonb(NEW);
    f text;
BEGIN
    FOREACH f IN ARRAY TG_ARGV[2:] LOOP
        IF o->f IS DISTINCT FROM n->f THEN
            EXECUTE format('INSERT INTO quire.%I (%I, field, old_value, new_value) VALUES ($1, $2, $3, $4)', TG_ARGV[0], TG_ARGV[1])
                USING NEW.id, f, o->>f, n->>f;
        END IF;
    END LOOP;
    RETURN NULL;
END $$;
CREATE TRIGGER y_history AFTER UPDATE ON quire.entries FOR EACH ROW
    EXECUTE FUNCTION quire.record_history('entry_history', 'entry_id', 'question', 'answer', 'answer_raw', 'comment',
                                          'domain', 'tags', 'owner', 'last_reviewed', 'review_by', 'status', 'deleted');

-- Evidence documents: metadata and extracted text here, the file in quire.blobs (uploaded
-- first; the foreign key refuses metadata for a file the server does not have).
CREATE TABLE quire.evidence (
    id         uuid PRIMARY KEY,
    title      text NOT NULL CHECK (length(title) BETWEEN 1 AND 1000),
    file_name  text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 1000),
    sha256     text NOT NULL REFERENCES quire.blobs(sha256),
    kind       text NOT NULL CHECK (length(kind) <= 50),
    added_at   timestamptz NOT NULL,
    expires    date,
    tags       text NOT NULL DEFAULT '' CHECK (length(tags) <= 2000),
    owner      text NOT NULL DEFAULT '' CHECK (length(owner) <= 500),
    text       text NOT NULL DEFAULT '' CHECK (length(text) <= 20000000),
    deleted    boolean NOT NULL DEFAULT false,
    revision   bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL DEFAULT session_user,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL DEFAULT session_user
);
CREATE UNIQUE INDEX evidence_sha256 ON quire.evidence (sha256) WHERE NOT deleted;
SELECT quire.make_synced('quire.evidence', audit_omit => ARRAY['text']);

-- Links people confirm between evidence and entries.
CREATE TABLE quire.entry_evidence (
    id          uuid PRIMARY KEY,
    entry_id    uuid NOT NULL REFERENCES quire.entries(id),
    evidence_id uuid NOT NULL REFERENCES quire.evidence(id),
    linked_at   timestamptz NOT NULL,
    deleted     boolean NOT NULL DEFAULT false,
    revision    bigint NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  text NOT NULL DEFAULT session_user,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  text NOT NULL DEFAULT session_user
);
CREATE UNIQUE INDEX entry_evidence_pair ON quire.entry_evidence (entry_id, evidence_id) WHERE NOT deleted;
CREATE INDEX entry_evidence_evidence ON quire.entry_evidence (evidence_id);
SELECT quire.make_synced('quire.entry_evidence');
