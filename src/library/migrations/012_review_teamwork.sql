-- Several people answering one questionnaire (src/library/assignments.rs): assignments ("needs
-- an answer from Legal": a question, a section or the whole review, to a person or a team) and a
-- comment thread per question or on the review. Reviews, their items, assignments and comments
-- sync with the team library like the answer library's rows (010, 011): global ids and change
-- marks kept by triggers. A review item has no id of its own: its local_id is
-- review_id << 32 | idx.

CREATE TABLE assignments (
    id          INTEGER PRIMARY KEY,
    review_id   INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    idx         INTEGER CHECK (idx >= 0),       -- a question, or NULL
    section     TEXT,                           -- a sheet or section name, or NULL (both NULL: the whole review)
    assignee    TEXT NOT NULL CHECK (length(assignee) BETWEEN 1 AND 200),
    note        TEXT NOT NULL DEFAULT '',
    due         TEXT,                           -- YYYY-MM-DD
    done        INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    assigned_by TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CHECK (idx IS NULL OR section IS NULL)
);
CREATE INDEX assignments_review ON assignments(review_id);
CREATE INDEX assignments_open ON assignments(assignee COLLATE NOCASE) WHERE done = 0;

CREATE TABLE comments (
    id         INTEGER PRIMARY KEY,
    review_id  INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    idx        INTEGER CHECK (idx >= 0),        -- a question, or NULL: on the review
    body       TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
    author     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX comments_review ON comments(review_id, idx);

INSERT INTO sync_rows(gid, tbl, local_id, dirty)
SELECT lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12)),
       t, id, (random() & 4611686018427387903) + 1
FROM (SELECT 'reviews' AS t, id, hex(randomblob(16)) AS h FROM reviews
      UNION ALL SELECT 'review_items', (review_id << 32) | idx, hex(randomblob(16)) FROM review_items);

CREATE TRIGGER sync_reviews_insert AFTER INSERT ON reviews BEGIN
    INSERT INTO sync_rows(gid, tbl, local_id, dirty)
    SELECT lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12)),
           'reviews', NEW.id, (random() & 4611686018427387903) + 1
    FROM (SELECT hex(randomblob(16)) AS h);
END;
CREATE TRIGGER sync_reviews_update AFTER UPDATE ON reviews
WHEN OLD.questionnaire IS NOT NEW.questionnaire OR OLD.sha256 IS NOT NEW.sha256 OR OLD.overrides IS NOT NEW.overrides
BEGIN
    UPDATE sync_rows SET dirty = (random() & 4611686018427387903) + 1 WHERE tbl = 'reviews' AND local_id = NEW.id;
END;
CREATE TRIGGER sync_reviews_delete AFTER DELETE ON reviews BEGIN
    DELETE FROM sync_rows WHERE tbl = 'reviews' AND local_id = OLD.id AND revision IS NULL;
    UPDATE sync_rows SET local_id = NULL, deleted = 1, dirty = (random() & 4611686018427387903) + 1 WHERE tbl = 'reviews' AND local_id = OLD.id;
END;

CREATE TRIGGER sync_review_items_insert AFTER INSERT ON review_items BEGIN
    INSERT INTO sync_rows(gid, tbl, local_id, dirty)
    SELECT lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12)),
           'review_items', (NEW.review_id << 32) | NEW.idx, (random() & 4611686018427387903) + 1
    FROM (SELECT hex(randomblob(16)) AS h);
END;
CREATE TRIGGER sync_review_items_update AFTER UPDATE ON review_items
WHEN OLD.answer IS NOT NEW.answer OR OLD.comment IS NOT NEW.comment OR OLD.status IS NOT NEW.status OR OLD.confidence IS NOT NEW.confidence
  OR OLD.source IS NOT NEW.source OR OLD.evidence IS NOT NEW.evidence OR OLD.alternatives IS NOT NEW.alternatives OR OLD.question IS NOT NEW.question
BEGIN
    UPDATE sync_rows SET dirty = (random() & 4611686018427387903) + 1 WHERE tbl = 'review_items' AND local_id = ((NEW.review_id << 32) | NEW.idx);
END;
CREATE TRIGGER sync_review_items_delete AFTER DELETE ON review_items BEGIN
    DELETE FROM sync_rows WHERE tbl = 'review_items' AND local_id = ((OLD.review_id << 32) | OLD.idx) AND revision IS NULL;
    UPDATE sync_rows SET local_id = NULL, deleted = 1, dirty = (random() & 4611686018427387903) + 1 WHERE tbl = 'review_items' AND local_id = ((OLD.review_id << 32) | OLD.idx);
END;

CREATE TRIGGER sync_assignments_insert AFTER INSERT ON assignments BEGIN
    INSERT INTO sync_rows(gid, tbl, local_id, dirty)
    SELECT lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12)),
           'assignments', NEW.id, (random() & 4611686018427387903) + 1
    FROM (SELECT hex(randomblob(16)) AS h);
END;
CREATE TRIGGER sync_assignments_update AFTER UPDATE ON assignments
WHEN OLD.idx IS NOT NEW.idx OR OLD.section IS NOT NEW.section OR OLD.assignee IS NOT NEW.assignee OR OLD.note IS NOT NEW.note
  OR OLD.due IS NOT NEW.due OR OLD.done IS NOT NEW.done
BEGIN
    UPDATE sync_rows SET dirty = (random() & 4611686018427387903) + 1 WHERE tbl = 'assignments' AND local_id = NEW.id;
END;
CREATE TRIGGER sync_assignments_delete AFTER DELETE ON assignments BEGIN
    DELETE FROM sync_rows WHERE tbl = 'assignments' AND local_id = OLD.id AND revision IS NULL;
    UPDATE sync_rows SET local_id = NULL, deleted = 1, dirty = (random() & 4611686018427387903) + 1 WHERE tbl = 'assignments' AND local_id = OLD.id;
END;

CREATE TRIGGER sync_comments_insert AFTER INSERT ON comments BEGIN
    INSERT INTO sync_rows(gid, tbl, local_id, dirty)
    SELECT lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12)),
           'comments', NEW.id, (random() & 4611686018427387903) + 1
    FROM (SELECT hex(randomblob(16)) AS h);
END;
CREATE TRIGGER sync_comments_update AFTER UPDATE ON comments
WHEN OLD.body IS NOT NEW.body OR OLD.idx IS NOT NEW.idx
BEGIN
    UPDATE sync_rows SET dirty = (random() & 4611686018427387903) + 1 WHERE tbl = 'comments' AND local_id = NEW.id;
END;
CREATE TRIGGER sync_comments_delete AFTER DELETE ON comments BEGIN
    DELETE FROM sync_rows WHERE tbl = 'comments' AND local_id = OLD.id AND revision IS NULL;
    UPDATE sync_rows SET local_id = NULL, deleted = 1, dirty = (random() & 4611686018427387903) + 1 WHERE tbl = 'comments' AND local_id = OLD.id;
END;
