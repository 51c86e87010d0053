-- Reviews: a questionnaire being answered in the desktop app. Every change is saved at once,
-- so closing the app (or a crash) loses nothing.

CREATE TABLE reviews (
    id            INTEGER PRIMARY KEY,
    questionnaire TEXT NOT NULL,            -- the file name shown to people
    original_path TEXT NOT NULL,            -- where the person picked it
    stored_path   TEXT NOT NULL,            -- the library's own copy, read again at export
    sha256        TEXT NOT NULL,
    overrides     TEXT NOT NULL DEFAULT '[]', -- JSON: the person's layout corrections
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- One question of a review and the answer chosen for it (JSON columns hold the question as
-- read, evidence titles and alternatives).
CREATE TABLE review_items (
    review_id    INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    idx          INTEGER NOT NULL,
    question     TEXT NOT NULL,
    answer       TEXT,
    comment      TEXT,
    status       TEXT NOT NULL CHECK (status IN ('blank', 'suggested', 'draft', 'reviewed', 'approved')),
    confidence   REAL,
    source       TEXT,
    evidence     TEXT NOT NULL DEFAULT '[]',
    alternatives TEXT NOT NULL DEFAULT '[]',
    changed_by   TEXT,
    changed_at   TEXT,
    PRIMARY KEY (review_id, idx)
);

-- Who changed what in a review, and when.
CREATE TABLE review_history (
    id         INTEGER PRIMARY KEY,
    review_id  INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    field      TEXT NOT NULL,
    old_value  TEXT,
    new_value  TEXT
);
CREATE INDEX review_history_item ON review_history(review_id, idx);
