-- The answer library: past answers with their provenance, history and review dates.

-- A questionnaire file that was imported. Its SHA-256 is its identity: importing the same
-- bytes again adds nothing.
CREATE TABLE sources (
    id          INTEGER PRIMARY KEY,
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL UNIQUE,
    format      TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    questions   INTEGER NOT NULL,
    answered    INTEGER NOT NULL
);

-- One answer to one question. Two entries share a question_key only when their answers differ:
-- that is a conflict, shown by `library list --conflicts` until someone resolves it.
CREATE TABLE entries (
    id            INTEGER PRIMARY KEY,
    question      TEXT NOT NULL,
    question_key  TEXT NOT NULL,
    answer        TEXT NOT NULL CHECK (answer IN ('Yes', 'No', 'N/A', 'Partial', 'Text')),
    answer_raw    TEXT NOT NULL,
    answer_key    TEXT NOT NULL,
    comment       TEXT NOT NULL DEFAULT '',
    domain        TEXT NOT NULL DEFAULT '',
    tags          TEXT NOT NULL DEFAULT '',
    owner         TEXT NOT NULL DEFAULT '',
    last_reviewed TEXT,
    review_by     TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX entries_question_key ON entries(question_key);
CREATE UNIQUE INDEX entries_question_answer ON entries(question_key, answer_key);

-- Where an entry was seen: file, sheet, row, ref, and the answer and comment as written there.
CREATE TABLE provenance (
    id          INTEGER PRIMARY KEY,
    entry_id    INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    source_id   INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    sheet       TEXT NOT NULL,
    row         INTEGER NOT NULL,
    ref         TEXT NOT NULL DEFAULT '',
    answer_raw  TEXT NOT NULL,
    comment     TEXT NOT NULL DEFAULT '',
    imported_at TEXT NOT NULL,
    UNIQUE (entry_id, source_id, sheet, row, ref)
);
CREATE INDEX provenance_entry ON provenance(entry_id);

-- Every edit of an entry keeps the previous value.
CREATE TABLE entry_history (
    id         INTEGER PRIMARY KEY,
    entry_id   INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    changed_at TEXT NOT NULL,
    field      TEXT NOT NULL,
    old_value  TEXT,
    new_value  TEXT
);
CREATE INDEX entry_history_entry ON entry_history(entry_id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
