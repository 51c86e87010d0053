-- The library's side of the team library (src/team/sync.rs, docs/team.md): a global id for
-- every synced row, the server revision it was last seen at, and a mark on what changed here
-- since; who the library is linked to and how far it has pulled. Triggers keep the marks, so
-- no write path (import, edit, delete, resolve, the app) can forget to.
--
-- Entries gain a status (draft → reviewed → approved): the team library's approval, which only
-- an approver may give or change on the server.
ALTER TABLE entries ADD COLUMN status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'reviewed', 'approved'));

-- One row per synced row (sources, entries, provenance, evidence, and the links between entries
-- and evidence, whose local_id is entry_id << 32 | evidence_id: they have no id of their own and
-- rowids are not stable across VACUUM or an encryption's copy): its global id (a uuid made here, or
-- the server's), the server revision it was last seen at (NULL: never on the server), the row
-- as it was at that revision (JSON: the base of a three-way merge when both sides changed it),
-- and `dirty`: 0 when the row is as the server last had it, otherwise a random stamp that every
-- local change renews (a sync clears it only when the stamp is still the one it pushed, so an
-- edit made while a push is on the wire is not lost). A row deleted here keeps its line as a
-- tombstone (local_id NULL, deleted 1) until the server has the deletion.
CREATE TABLE sync_rows (
    gid      TEXT PRIMARY KEY,
    tbl      TEXT NOT NULL CHECK (tbl IN ('sources', 'entries', 'provenance', 'evidence', 'entry_evidence')),
    local_id INTEGER,
    revision INTEGER,
    base     TEXT,
    dirty    INTEGER NOT NULL DEFAULT 0,
    deleted  INTEGER NOT NULL DEFAULT 0,
    -- Why the server did not take the last push of this change (forbidden, rejected); it
    -- stays waiting until it can be pushed.
    problem  TEXT
);
CREATE UNIQUE INDEX sync_rows_local ON sync_rows(tbl, local_id) WHERE local_id IS NOT NULL;
CREATE INDEX sync_rows_dirty ON sync_rows(dirty) WHERE dirty <> 0;

-- The library's link to a team library: the server as given to `quire team join` (never a
-- password: those come from PGPASSWORD, ~/.pgpass, the service file or a prompt, as for psql),
-- the login, the highest revision pulled and applied, and what this Quire syncs (`scope`: a
-- Quire that syncs more tables pulls again from revision 0).
CREATE TABLE sync_state (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    server       TEXT NOT NULL,
    login        TEXT NOT NULL,
    scope        TEXT NOT NULL,
    last_pulled  INTEGER NOT NULL DEFAULT 0,
    joined_at    TEXT NOT NULL,
    last_sync_at TEXT,
    last_error   TEXT
);

-- Edits both sides made to the same field of the same answer, where the answer itself is the
-- same (so both cannot be kept as two entries): the server's value was kept, the local one is
-- here (and in the entry's history) until someone looks at it. Different answers are kept as
-- two entries instead, a conflict in the library (`library list --conflicts`).
CREATE TABLE sync_conflicts (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    entry_id     INTEGER REFERENCES entries(id) ON DELETE CASCADE,
    gid          TEXT NOT NULL,
    field        TEXT NOT NULL,
    local_value  TEXT,
    server_value TEXT,
    server_by    TEXT NOT NULL DEFAULT ''
);

-- Rows pulled from the server that this library could not take (too long, malformed, clashing
-- with a local row), so that they are reported instead of stopping every later sync.
CREATE TABLE sync_skipped (
    gid      TEXT PRIMARY KEY,
    tbl      TEXT NOT NULL,
    revision INTEGER NOT NULL,
    reason   TEXT NOT NULL,
    at       TEXT NOT NULL
);

-- Every existing row gets its global id now and waits to be pushed.
INSERT INTO sync_rows(gid, tbl, local_id, dirty)
SELECT lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12)),
       t, id, (random() & 4611686018427387903) + 1
FROM (SELECT 'sources' AS t, id, hex(randomblob(16)) AS h FROM sources
      UNION ALL SELECT 'entries', id, hex(randomblob(16)) FROM entries
      UNION ALL SELECT 'provenance', id, hex(randomblob(16)) FROM provenance
      UNION ALL SELECT 'evidence', id, hex(randomblob(16)) FROM evidence
      UNION ALL SELECT 'entry_evidence', (entry_id << 32) | evidence_id, hex(randomblob(16)) FROM entry_evidence);

-- New rows: a fresh global id, waiting to be pushed.
CREATE TRIGGER sync_sources_insert AFTER INSERT ON sources BEGIN
    INSERT INTO sync_rows(gid, tbl, local_id, dirty)
    SELECT lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12)),
           'sources', NEW.id, (random() & 4611686018427387903) + 1
    FROM (SELECT hex(randomblob(16)) AS h);
END;
CREATE TRIGGER sync_entries_insert AFTER INSERT ON entries BEGIN
    INSERT INTO sync_rows(gid, tbl, local_id, dirty)
    SELECT lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12)),
           'entries', NEW.id, (random() & 4611686018427387903) + 1
    FROM (SELECT hex(randomblob(16)) AS h);
END;
CREATE TRIGGER sync_provenance_insert AFTER INSERT ON provenance BEGIN
    INSERT INTO sync_rows(gid, tbl, local_id, dirty)
    SELECT lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12)),
           'provenance', NEW.id, (random() & 4611686018427387903) + 1
    FROM (SELECT hex(randomblob(16)) AS h);
END;

-- Changed rows: a new stamp (only when a synced column changed).
CREATE TRIGGER sync_sources_update AFTER UPDATE ON sources
WHEN OLD.file_name IS NOT NEW.file_name OR OLD.sha256 IS NOT NEW.sha256 OR OLD.format IS NOT NEW.format OR OLD.imported_at IS NOT NEW.imported_at
  OR OLD.questions IS NOT NEW.questions OR OLD.answered IS NOT NEW.answered
BEGIN
    UPDATE sync_rows SET dirty = (random() & 4611686018427387903) + 1 WHERE tbl = 'sources' AND local_id = NEW.id;
END;
CREATE TRIGGER sync_entries_update AFTER UPDATE ON entries
WHEN OLD.question IS NOT NEW.question OR OLD.answer IS NOT NEW.answer OR OLD.answer_raw IS NOT NEW.answer_raw OR OLD.comment IS NOT NEW.comment
  OR OLD.domain IS NOT NEW.domain OR OLD.tags IS NOT NEW.tags OR OLD.owner IS NOT NEW.owner OR OLD.last_reviewed IS NOT NEW.last_reviewed
  OR OLD.review_by IS NOT NEW.review_by OR OLD.status IS NOT NEW.status
BEGIN
    UPDATE sync_rows SET dirty = (random() & 4611686018427387903) + 1 WHERE tbl = 'entries' AND local_id = NEW.id;
END;
CREATE TRIGGER sync_provenance_update AFTER UPDATE ON provenance
WHEN OLD.entry_id IS NOT NEW.entry_id OR OLD.source_id IS NOT NEW.source_id OR OLD.sheet IS NOT NEW.sheet OR OLD.row IS NOT NEW.row
  OR OLD.ref IS NOT NEW.ref OR OLD.answer_raw IS NOT NEW.answer_raw OR OLD.comment IS NOT NEW.comment OR OLD.imported_at IS NOT NEW.imported_at
BEGIN
    UPDATE sync_rows SET dirty = (random() & 4611686018427387903) + 1 WHERE tbl = 'provenance' AND local_id = NEW.id;
END;

-- Deleted rows: a tombstone waiting to be pushed (also for deletions by cascade). A row the
-- server never had is forgotten at once.
CREATE TRIGGER sync_sources_delete AFTER DELETE ON sources BEGIN
    DELETE FROM sync_rows WHERE tbl = 'sources' AND local_id = OLD.id AND revision IS NULL;
    UPDATE sync_rows SET local_id = NULL, deleted = 1, dirty = (random() & 4611686018427387903) + 1 WHERE tbl = 'sources' AND local_id = OLD.id;
END;
CREATE TRIGGER sync_entries_delete AFTER DELETE ON entries BEGIN
    DELETE FROM sync_rows WHERE tbl = 'entries' AND local_id = OLD.id AND revision IS NULL;
    UPDATE sync_rows SET local_id = NULL, deleted = 1, dirty = (random() & 4611686018427387903) + 1 WHERE tbl = 'entries' AND local_id = OLD.id;
END;
CREATE TRIGGER sync_provenance_delete AFTER DELETE ON provenance BEGIN
    DELETE FROM sync_rows WHERE tbl = 'provenance' AND local_id = OLD.id AND revision IS NULL;
    UPDATE sync_rows SET local_id = NULL, deleted = 1, dirty = (random() & 4611686018427387903) + 1 WHERE tbl = 'provenance' AND local_id = OLD.id;
END;

-- Evidence documents (the file goes to the server's blobs first) and their links to entries.
CREATE TRIGGER sync_evidence_insert AFTER INSERT ON evidence BEGIN
    INSERT INTO sync_rows(gid, tbl, local_id, dirty)
    SELECT lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12)),
           'evidence', NEW.id, (random() & 4611686018427387903) + 1
    FROM (SELECT hex(randomblob(16)) AS h);
END;
CREATE TRIGGER sync_evidence_update AFTER UPDATE ON evidence
WHEN OLD.title IS NOT NEW.title OR OLD.file_name IS NOT NEW.file_name OR OLD.sha256 IS NOT NEW.sha256 OR OLD.kind IS NOT NEW.kind
  OR OLD.expires IS NOT NEW.expires OR OLD.tags IS NOT NEW.tags OR OLD.owner IS NOT NEW.owner OR OLD.text IS NOT NEW.text
BEGIN
    UPDATE sync_rows SET dirty = (random() & 4611686018427387903) + 1 WHERE tbl = 'evidence' AND local_id = NEW.id;
END;
CREATE TRIGGER sync_evidence_delete AFTER DELETE ON evidence BEGIN
    DELETE FROM sync_rows WHERE tbl = 'evidence' AND local_id = OLD.id AND revision IS NULL;
    UPDATE sync_rows SET local_id = NULL, deleted = 1, dirty = (random() & 4611686018427387903) + 1 WHERE tbl = 'evidence' AND local_id = OLD.id;
END;
CREATE TRIGGER sync_entry_evidence_insert AFTER INSERT ON entry_evidence BEGIN
    INSERT INTO sync_rows(gid, tbl, local_id, dirty)
    SELECT lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12)),
           'entry_evidence', (NEW.entry_id << 32) | NEW.evidence_id, (random() & 4611686018427387903) + 1
    FROM (SELECT hex(randomblob(16)) AS h);
END;
CREATE TRIGGER sync_entry_evidence_delete AFTER DELETE ON entry_evidence BEGIN
    DELETE FROM sync_rows WHERE tbl = 'entry_evidence' AND local_id = ((OLD.entry_id << 32) | OLD.evidence_id) AND revision IS NULL;
    UPDATE sync_rows SET local_id = NULL, deleted = 1, dirty = (random() & 4611686018427387903) + 1 WHERE tbl = 'entry_evidence' AND local_id = ((OLD.entry_id << 32) | OLD.evidence_id);
END;

-- A change of status is audited like any other change of an entry.
CREATE TRIGGER audit_entries_status AFTER UPDATE ON entries
WHEN OLD.status IS NOT NEW.status
BEGIN
    INSERT INTO audit_log(at, actor, action, entity, entity_id, before, after, prev_hash, hash)
    SELECT c.at, c.actor, 'update', 'entry', c.eid, c.b, c.a, c.prev, quire_chain(c.prev, c.at, c.actor, 'update', 'entry', c.eid, c.b, c.a)
    FROM (SELECT quire_now() AS at, quire_actor() AS actor, CAST(NEW.id AS TEXT) AS eid, json_object('status', OLD.status) AS b, json_object('status', NEW.status) AS a,
                 COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '') AS prev) c;
END;
