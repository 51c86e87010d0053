-- Evidence documents (policies, SOC 2 reports, certificates) with their extracted text, expiry
-- and owner, and the links people confirm between them and library entries.
CREATE TABLE evidence (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    -- Where the copy kept with the library lives (relative to the library's folder), or the
    -- original path for an in-memory library.
    stored_path TEXT NOT NULL,
    sha256      TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    expires     TEXT,
    tags        TEXT NOT NULL DEFAULT '',
    owner       TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL DEFAULT ''
);

CREATE TABLE entry_evidence (
    entry_id    INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    evidence_id INTEGER NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
    linked_at   TEXT NOT NULL,
    PRIMARY KEY (entry_id, evidence_id)
);
CREATE INDEX entry_evidence_evidence ON entry_evidence(evidence_id);

CREATE VIRTUAL TABLE evidence_fts USING fts5(
    title, text,
    content = 'evidence', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER evidence_fts_insert AFTER INSERT ON evidence BEGIN
    INSERT INTO evidence_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER evidence_fts_delete AFTER DELETE ON evidence BEGIN
    INSERT INTO evidence_fts(evidence_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER evidence_fts_update AFTER UPDATE OF title, text ON evidence BEGIN
    INSERT INTO evidence_fts(evidence_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO evidence_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
