-- The vendor register joins the team library (src/team/register.rs): vendors, their
-- assessments and the follow-up status of each finding get global ids and change marks like
-- the answer library's rows (010). finding_status has no id of its own: its local_id is
-- assessment_id << 32 | finding.
--
-- sync_rows' CHECK names the synced tables, and SQLite cannot change a CHECK: the table is made
-- again. legacy_alter_table keeps SQLite from re-checking the triggers of 010 (which name
-- sync_rows in their bodies and resolve it when they run) while the new table takes the name.
PRAGMA legacy_alter_table = ON;
CREATE TABLE sync_rows_new (
    gid      TEXT PRIMARY KEY,
    -- Every table the team library lets a desktop write (its quire.sync_tables, rubrics
    -- aside), so that the reviews' tables need no new copy of this one.
    tbl      TEXT NOT NULL CHECK (tbl IN ('sources', 'entries', 'provenance', 'evidence', 'entry_evidence', 'vendors', 'assessments', 'finding_status',
                                          'reviews', 'review_items', 'assignments', 'comments')),
    local_id INTEGER,
    revision INTEGER,
    base     TEXT,
    dirty    INTEGER NOT NULL DEFAULT 0,
    deleted  INTEGER NOT NULL DEFAULT 0,
    problem  TEXT
);
INSERT INTO sync_rows_new(gid, tbl, local_id, revision, base, dirty, deleted, problem)
SELECT gid, tbl, local_id, revision, base, dirty, deleted, problem FROM sync_rows;
DROP TABLE sync_rows;
ALTER TABLE sync_rows_new RENAME TO sync_rows;
CREATE UNIQUE INDEX sync_rows_local ON sync_rows(tbl, local_id) WHERE local_id IS NOT NULL;
CREATE INDEX sync_rows_dirty ON sync_rows(dirty) WHERE dirty <> 0;
PRAGMA legacy_alter_table = OFF;

-- A field both sides changed, of a vendor record or a finding's status (entries keep using
-- entry_id): which table and which local row.
ALTER TABLE sync_conflicts ADD COLUMN tbl TEXT NOT NULL DEFAULT 'entries';
ALTER TABLE sync_conflicts ADD COLUMN local_id INTEGER;
-- The local value exactly (JSON), so that "keep mine" can put it back (local_value is for people).
ALTER TABLE sync_conflicts ADD COLUMN local_json TEXT;

-- The runs of revisions this desktop's pushes drew and it has not pulled past yet ([[lo, hi],
-- …], JSON): a push is one server transaction holding the clock, so no other writer's rows fall
-- inside a run, and the next pull steps over it instead of fetching the push back.
ALTER TABLE sync_state ADD COLUMN own_revisions TEXT NOT NULL DEFAULT '[]';

-- A pulled row whose parent this library does not have yet (an assessment pulled before its
-- vendor's newer revision, provenance before its entry's) waits here with its data and is
-- tried again after every pulled page, so that it is taken as soon as its parent arrives.
ALTER TABLE sync_skipped ADD COLUMN row_data TEXT;

INSERT INTO sync_rows(gid, tbl, local_id, dirty)
SELECT lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12)),
       t, id, (random() & 4611686018427387903) + 1
FROM (SELECT 'vendors' AS t, id, hex(randomblob(16)) AS h FROM vendors
      UNION ALL SELECT 'assessments', id, hex(randomblob(16)) FROM assessments
      UNION ALL SELECT 'finding_status', (assessment_id << 32) | finding, hex(randomblob(16)) FROM finding_status);

CREATE TRIGGER sync_vendors_insert AFTER INSERT ON vendors BEGIN
    INSERT INTO sync_rows(gid, tbl, local_id, dirty)
    SELECT lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12)),
           'vendors', NEW.id, (random() & 4611686018427387903) + 1
    FROM (SELECT hex(randomblob(16)) AS h);
END;
CREATE TRIGGER sync_vendors_update AFTER UPDATE ON vendors
WHEN OLD.name IS NOT NEW.name OR OLD.record IS NOT NEW.record
BEGIN
    UPDATE sync_rows SET dirty = (random() & 4611686018427387903) + 1 WHERE tbl = 'vendors' AND local_id = NEW.id;
END;
CREATE TRIGGER sync_vendors_delete AFTER DELETE ON vendors BEGIN
    DELETE FROM sync_rows WHERE tbl = 'vendors' AND local_id = OLD.id AND revision IS NULL;
    UPDATE sync_rows SET local_id = NULL, deleted = 1, dirty = (random() & 4611686018427387903) + 1 WHERE tbl = 'vendors' AND local_id = OLD.id;
END;

CREATE TRIGGER sync_assessments_insert AFTER INSERT ON assessments BEGIN
    INSERT INTO sync_rows(gid, tbl, local_id, dirty)
    SELECT lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12)),
           'assessments', NEW.id, (random() & 4611686018427387903) + 1
    FROM (SELECT hex(randomblob(16)) AS h);
END;
CREATE TRIGGER sync_assessments_update AFTER UPDATE ON assessments
WHEN OLD.vendor_id IS NOT NEW.vendor_id OR OLD.questionnaire IS NOT NEW.questionnaire OR OLD.sha256 IS NOT NEW.sha256 OR OLD.rubric IS NOT NEW.rubric
  OR OLD.assessed_at IS NOT NEW.assessed_at OR OLD.overall IS NOT NEW.overall OR OLD.residual_tier IS NOT NEW.residual_tier OR OLD.result IS NOT NEW.result
BEGIN
    UPDATE sync_rows SET dirty = (random() & 4611686018427387903) + 1 WHERE tbl = 'assessments' AND local_id = NEW.id;
END;
CREATE TRIGGER sync_assessments_delete AFTER DELETE ON assessments BEGIN
    DELETE FROM sync_rows WHERE tbl = 'assessments' AND local_id = OLD.id AND revision IS NULL;
    UPDATE sync_rows SET local_id = NULL, deleted = 1, dirty = (random() & 4611686018427387903) + 1 WHERE tbl = 'assessments' AND local_id = OLD.id;
END;

CREATE TRIGGER sync_finding_status_insert AFTER INSERT ON finding_status BEGIN
    INSERT INTO sync_rows(gid, tbl, local_id, dirty)
    SELECT lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12)),
           'finding_status', (NEW.assessment_id << 32) | NEW.finding, (random() & 4611686018427387903) + 1
    FROM (SELECT hex(randomblob(16)) AS h);
END;
CREATE TRIGGER sync_finding_status_update AFTER UPDATE ON finding_status
WHEN OLD.status IS NOT NEW.status OR OLD.note IS NOT NEW.note
BEGIN
    UPDATE sync_rows SET dirty = (random() & 4611686018427387903) + 1 WHERE tbl = 'finding_status' AND local_id = ((NEW.assessment_id << 32) | NEW.finding);
END;
CREATE TRIGGER sync_finding_status_delete AFTER DELETE ON finding_status BEGIN
    DELETE FROM sync_rows WHERE tbl = 'finding_status' AND local_id = ((OLD.assessment_id << 32) | OLD.finding) AND revision IS NULL;
    UPDATE sync_rows SET local_id = NULL, deleted = 1, dirty = (random() & 4611686018427387903) + 1 WHERE tbl = 'finding_status' AND local_id = ((OLD.assessment_id << 32) | OLD.finding);
END;
