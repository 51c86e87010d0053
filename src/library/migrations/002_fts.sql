-- Full-text index over question and comment (BM25 ranking), an external-content table over
-- `entries` kept in step by triggers, so no write path can forget it.
CREATE VIRTUAL TABLE entries_fts USING fts5(
    question, comment,
    content = 'entries', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER entries_fts_insert AFTER INSERT ON entries BEGIN
    INSERT INTO entries_fts(rowid, question, comment) VALUES (new.id, new.question, new.comment);
END;
CREATE TRIGGER entries_fts_delete AFTER DELETE ON entries BEGIN
    INSERT INTO entries_fts(entries_fts, rowid, question, comment) VALUES ('delete', old.id, old.question, old.comment);
END;
CREATE TRIGGER entries_fts_update AFTER UPDATE OF question, comment ON entries BEGIN
    INSERT INTO entries_fts(entries_fts, rowid, question, comment) VALUES ('delete', old.id, old.question, old.comment);
    INSERT INTO entries_fts(rowid, question, comment) VALUES (new.id, new.question, new.comment);
END;

INSERT INTO entries_fts(entries_fts) VALUES ('rebuild');
