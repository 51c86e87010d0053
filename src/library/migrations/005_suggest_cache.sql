-- The suggester's cache: the analysed library questions (format: src/suggest/cache.rs), so that
-- suggesting does not analyse every question of the library again on each run.
--
-- A cache row is used only while the corpus is at the generation it was built from. The
-- generation (see `GENERATION` in src/library/corpus.rs) is `corpus_generation.value`, which the
-- triggers below bump on every update and delete of entries and provenance (so no write path,
-- nor a person editing the file in the sqlite3 shell, can forget it), together with the row
-- count and highest id of both tables, which every insert changes. Inserts have no trigger on
-- purpose: a trigger on provenance makes each of an import's inserts open a statement journal,
-- about a quarter of the import's time. (One change escapes both: `INSERT OR REPLACE` of an
-- existing id in the shell, which deletes without delete triggers; it would break the FTS
-- index the same way.)

CREATE TABLE corpus_generation (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT INTO corpus_generation(id, value) VALUES (1, 0);

-- At most one row: the latest cache written.
CREATE TABLE suggest_cache (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation TEXT NOT NULL,   -- the corpus generation it was built from
    key        TEXT NOT NULL,   -- the analyser that built it (version, thesaurus; hex SHA-256)
    data       BLOB NOT NULL,
    written_at TEXT NOT NULL
);

CREATE TRIGGER corpus_generation_entries_update AFTER UPDATE ON entries BEGIN
    UPDATE corpus_generation SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER corpus_generation_entries_delete AFTER DELETE ON entries BEGIN
    UPDATE corpus_generation SET value = value + 1 WHERE id = 1;
END;
-- An entry's first provenance gives the question ref the suggester matches on.
CREATE TRIGGER corpus_generation_provenance_update AFTER UPDATE ON provenance BEGIN
    UPDATE corpus_generation SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER corpus_generation_provenance_delete AFTER DELETE ON provenance BEGIN
    UPDATE corpus_generation SET value = value + 1 WHERE id = 1;
END;
