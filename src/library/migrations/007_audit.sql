-- Tamper-evident history: every change to answers, evidence and its links, reviews, vendors,
-- assessments and finding statuses is appended to audit_log by the triggers below. Each record
-- holds who (quire_actor(): the OS user), when, what, the values before and after (JSON), and
-- the previous record's hash; its own hash is SHA-256 over all of that (quire_chain(), defined by
-- Quire on every connection). `quire audit verify` recomputes the chain. A tool without Quire's
-- functions cannot change these tables: the triggers fail.

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before    TEXT,
    after     TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);

CREATE TRIGGER audit_entries_insert AFTER INSERT ON entries
BEGIN
    INSERT INTO audit_log(at, actor, action, entity, entity_id, before, after, prev_hash, hash)
    SELECT c.at, c.actor, 'insert', 'entry', c.eid, c.b, c.a, c.prev, quire_chain(c.prev, c.at, c.actor, 'insert', 'entry', c.eid, c.b, c.a)
    FROM (SELECT quire_now() AS at, quire_actor() AS actor, CAST(NEW.id AS TEXT) AS eid, NULL AS b, json_object('question', NEW.question, 'answer', NEW.answer, 'answer_raw', NEW.answer_raw, 'comment', NEW.comment, 'domain', NEW.domain, 'tags', NEW.tags, 'owner', NEW.owner, 'review_by', NEW.review_by, 'last_reviewed', NEW.last_reviewed) AS a,
                 COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '') AS prev) c;
END;

CREATE TRIGGER audit_entries_update AFTER UPDATE ON entries
WHEN OLD.question IS NOT NEW.question OR OLD.answer IS NOT NEW.answer OR OLD.answer_raw IS NOT NEW.answer_raw OR OLD.comment IS NOT NEW.comment OR OLD.domain IS NOT NEW.domain OR OLD.tags IS NOT NEW.tags OR OLD.owner IS NOT NEW.owner OR OLD.review_by IS NOT NEW.review_by OR OLD.last_reviewed IS NOT NEW.last_reviewed
BEGIN
    INSERT INTO audit_log(at, actor, action, entity, entity_id, before, after, prev_hash, hash)
    SELECT c.at, c.actor, 'update', 'entry', c.eid, c.b, c.a, c.prev, quire_chain(c.prev, c.at, c.actor, 'update', 'entry', c.eid, c.b, c.a)
    FROM (SELECT quire_now() AS at, quire_actor() AS actor, CAST(NEW.id AS TEXT) AS eid, json_object('question', OLD.question, 'answer', OLD.answer, 'answer_raw', OLD.answer_raw, 'comment', OLD.comment, 'domain', OLD.domain, 'tags', OLD.tags, 'owner', OLD.owner, 'review_by', OLD.review_by, 'last_reviewed', OLD.last_reviewed) AS b, json_object('question', NEW.question, 'answer', NEW.answer, 'answer_raw', NEW.answer_raw, 'comment', NEW.comment, 'domain', NEW.domain, 'tags', NEW.tags, 'owner', NEW.owner, 'review_by', NEW.review_by, 'last_reviewed', NEW.last_reviewed) AS a,
                 COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '') AS prev) c;
END;

CREATE TRIGGER audit_entries_delete AFTER DELETE ON entries
BEGIN
    INSERT INTO audit_log(at, actor, action, entity, entity_id, before, after, prev_hash, hash)
    SELECT c.at, c.actor, 'delete', 'entry', c.eid, c.b, c.a, c.prev, quire_chain(c.prev, c.at, c.actor, 'delete', 'entry', c.eid, c.b, c.a)
    FROM (SELECT quire_now() AS at, quire_actor() AS actor, CAST(OLD.id AS TEXT) AS eid, json_object('question', OLD.question, 'answer', OLD.answer, 'answer_raw', OLD.answer_raw, 'comment', OLD.comment, 'domain', OLD.domain, 'tags', OLD.tags, 'owner', OLD.owner, 'review_by', OLD.review_by, 'last_reviewed', OLD.last_reviewed) AS b, NULL AS a,
                 COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '') AS prev) c;
END;

CREATE TRIGGER audit_entry_evidence_insert AFTER INSERT ON entry_evidence
BEGIN
    INSERT INTO audit_log(at, actor, action, entity, entity_id, before, after, prev_hash, hash)
    SELECT c.at, c.actor, 'insert', 'evidence link', c.eid, c.b, c.a, c.prev, quire_chain(c.prev, c.at, c.actor, 'insert', 'evidence link', c.eid, c.b, c.a)
    FROM (SELECT quire_now() AS at, quire_actor() AS actor, CAST(NEW.entry_id || ':' || NEW.evidence_id AS TEXT) AS eid, NULL AS b, json_object('entry_id', NEW.entry_id, 'evidence_id', NEW.evidence_id) AS a,
                 COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '') AS prev) c;
END;

CREATE TRIGGER audit_entry_evidence_delete AFTER DELETE ON entry_evidence
BEGIN
    INSERT INTO audit_log(at, actor, action, entity, entity_id, before, after, prev_hash, hash)
    SELECT c.at, c.actor, 'delete', 'evidence link', c.eid, c.b, c.a, c.prev, quire_chain(c.prev, c.at, c.actor, 'delete', 'evidence link', c.eid, c.b, c.a)
    FROM (SELECT quire_now() AS at, quire_actor() AS actor, CAST(OLD.entry_id || ':' || OLD.evidence_id AS TEXT) AS eid, json_object('entry_id', OLD.entry_id, 'evidence_id', OLD.evidence_id) AS b, NULL AS a,
                 COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '') AS prev) c;
END;

CREATE TRIGGER audit_evidence_insert AFTER INSERT ON evidence
BEGIN
    INSERT INTO audit_log(at, actor, action, entity, entity_id, before, after, prev_hash, hash)
    SELECT c.at, c.actor, 'insert', 'evidence', c.eid, c.b, c.a, c.prev, quire_chain(c.prev, c.at, c.actor, 'insert', 'evidence', c.eid, c.b, c.a)
    FROM (SELECT quire_now() AS at, quire_actor() AS actor, CAST(NEW.id AS TEXT) AS eid, NULL AS b, json_object('title', NEW.title, 'file_name', NEW.file_name, 'sha256', NEW.sha256, 'expires', NEW.expires, 'tags', NEW.tags, 'owner', NEW.owner) AS a,
                 COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '') AS prev) c;
END;

CREATE TRIGGER audit_evidence_update AFTER UPDATE ON evidence
WHEN OLD.title IS NOT NEW.title OR OLD.file_name IS NOT NEW.file_name OR OLD.sha256 IS NOT NEW.sha256 OR OLD.expires IS NOT NEW.expires OR OLD.tags IS NOT NEW.tags OR OLD.owner IS NOT NEW.owner
BEGIN
    INSERT INTO audit_log(at, actor, action, entity, entity_id, before, after, prev_hash, hash)
    SELECT c.at, c.actor, 'update', 'evidence', c.eid, c.b, c.a, c.prev, quire_chain(c.prev, c.at, c.actor, 'update', 'evidence', c.eid, c.b, c.a)
    FROM (SELECT quire_now() AS at, quire_actor() AS actor, CAST(NEW.id AS TEXT) AS eid, json_object('title', OLD.title, 'file_name', OLD.file_name, 'sha256', OLD.sha256, 'expires', OLD.expires, 'tags', OLD.tags, 'owner', OLD.owner) AS b, json_object('title', NEW.title, 'file_name', NEW.file_name, 'sha256', NEW.sha256, 'expires', NEW.expires, 'tags', NEW.tags, 'owner', NEW.owner) AS a,
                 COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '') AS prev) c;
END;

CREATE TRIGGER audit_evidence_delete AFTER DELETE ON evidence
BEGIN
    INSERT INTO audit_log(at, actor, action, entity, entity_id, before, after, prev_hash, hash)
    SELECT c.at, c.actor, 'delete', 'evidence', c.eid, c.b, c.a, c.prev, quire_chain(c.prev, c.at, c.actor, 'delete', 'evidence', c.eid, c.b, c.a)
    FROM (SELECT quire_now() AS at, quire_actor() AS actor, CAST(OLD.id AS TEXT) AS eid, json_object('title', OLD.title, 'file_name', OLD.file_name, 'sha256', OLD.sha256, 'expires', OLD.expires, 'tags', OLD.tags, 'owner', OLD.owner) AS b, NULL AS a,
                 COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '') AS prev) c;
END;

CREATE TRIGGER audit_reviews_insert AFTER INSERT ON reviews
BEGIN
    INSERT INTO audit_log(at, actor, action, entity, entity_id, before, after, prev_hash, hash)
    SELECT c.at, c.actor, 'insert', 'review', c.eid, c.b, c.a, c.prev, quire_chain(c.prev, c.at, c.actor, 'insert', 'review', c.eid, c.b, c.a)
    FROM (SELECT quire_now() AS at, quire_actor() AS actor, CAST(NEW.id AS TEXT) AS eid, NULL AS b, json_object('questionnaire', NEW.questionnaire, 'sha256', NEW.sha256, 'original_path', NEW.original_path) AS a,
                 COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '') AS prev) c;
END;

CREATE TRIGGER audit_reviews_delete AFTER DELETE ON reviews
BEGIN
    INSERT INTO audit_log(at, actor, action, entity, entity_id, before, after, prev_hash, hash)
    SELECT c.at, c.actor, 'delete', 'review', c.eid, c.b, c.a, c.prev, quire_chain(c.prev, c.at, c.actor, 'delete', 'review', c.eid, c.b, c.a)
    FROM (SELECT quire_now() AS at, quire_actor() AS actor, CAST(OLD.id AS TEXT) AS eid, json_object('questionnaire', OLD.questionnaire, 'sha256', OLD.sha256, 'original_path', OLD.original_path) AS b, NULL AS a,
                 COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '') AS prev) c;
END;

CREATE TRIGGER audit_review_items_update AFTER UPDATE ON review_items
WHEN OLD.answer IS NOT NEW.answer OR OLD.comment IS NOT NEW.comment OR OLD.status IS NOT NEW.status OR OLD.changed_by IS NOT NEW.changed_by
BEGIN
    INSERT INTO audit_log(at, actor, action, entity, entity_id, before, after, prev_hash, hash)
    SELECT c.at, c.actor, 'update', 'review answer', c.eid, c.b, c.a, c.prev, quire_chain(c.prev, c.at, c.actor, 'update', 'review answer', c.eid, c.b, c.a)
    FROM (SELECT quire_now() AS at, quire_actor() AS actor, CAST(NEW.review_id || ':' || NEW.idx AS TEXT) AS eid, json_object('answer', OLD.answer, 'comment', OLD.comment, 'status', OLD.status, 'changed_by', OLD.changed_by) AS b, json_object('answer', NEW.answer, 'comment', NEW.comment, 'status', NEW.status, 'changed_by', NEW.changed_by) AS a,
                 COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '') AS prev) c;
END;

CREATE TRIGGER audit_vendors_insert AFTER INSERT ON vendors
BEGIN
    INSERT INTO audit_log(at, actor, action, entity, entity_id, before, after, prev_hash, hash)
    SELECT c.at, c.actor, 'insert', 'vendor', c.eid, c.b, c.a, c.prev, quire_chain(c.prev, c.at, c.actor, 'insert', 'vendor', c.eid, c.b, c.a)
    FROM (SELECT quire_now() AS at, quire_actor() AS actor, CAST(NEW.id AS TEXT) AS eid, NULL AS b, json_object('name', NEW.name, 'record', NEW.record) AS a,
                 COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '') AS prev) c;
END;

CREATE TRIGGER audit_vendors_update AFTER UPDATE ON vendors
WHEN OLD.name IS NOT NEW.name OR OLD.record IS NOT NEW.record
BEGIN
    INSERT INTO audit_log(at, actor, action, entity, entity_id, before, after, prev_hash, hash)
    SELECT c.at, c.actor, 'update', 'vendor', c.eid, c.b, c.a, c.prev, quire_chain(c.prev, c.at, c.actor, 'update', 'vendor', c.eid, c.b, c.a)
    FROM (SELECT quire_now() AS at, quire_actor() AS actor, CAST(NEW.id AS TEXT) AS eid, json_object('name', OLD.name, 'record', OLD.record) AS b, json_object('name', NEW.name, 'record', NEW.record) AS a,
                 COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '') AS prev) c;
END;

CREATE TRIGGER audit_vendors_delete AFTER DELETE ON vendors
BEGIN
    INSERT INTO audit_log(at, actor, action, entity, entity_id, before, after, prev_hash, hash)
    SELECT c.at, c.actor, 'delete', 'vendor', c.eid, c.b, c.a, c.prev, quire_chain(c.prev, c.at, c.actor, 'delete', 'vendor', c.eid, c.b, c.a)
    FROM (SELECT quire_now() AS at, quire_actor() AS actor, CAST(OLD.id AS TEXT) AS eid, json_object('name', OLD.name, 'record', OLD.record) AS b, NULL AS a,
                 COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '') AS prev) c;
END;

CREATE TRIGGER audit_assessments_insert AFTER INSERT ON assessments
BEGIN
    INSERT INTO audit_log(at, actor, action, entity, entity_id, before, after, prev_hash, hash)
    SELECT c.at, c.actor, 'insert', 'assessment', c.eid, c.b, c.a, c.prev, quire_chain(c.prev, c.at, c.actor, 'insert', 'assessment', c.eid, c.b, c.a)
    FROM (SELECT quire_now() AS at, quire_actor() AS actor, CAST(NEW.id AS TEXT) AS eid, NULL AS b, json_object('vendor_id', NEW.vendor_id, 'questionnaire', NEW.questionnaire, 'sha256', NEW.sha256, 'rubric', NEW.rubric, 'overall', NEW.overall, 'residual_tier', NEW.residual_tier) AS a,
                 COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '') AS prev) c;
END;

CREATE TRIGGER audit_assessments_delete AFTER DELETE ON assessments
BEGIN
    INSERT INTO audit_log(at, actor, action, entity, entity_id, before, after, prev_hash, hash)
    SELECT c.at, c.actor, 'delete', 'assessment', c.eid, c.b, c.a, c.prev, quire_chain(c.prev, c.at, c.actor, 'delete', 'assessment', c.eid, c.b, c.a)
    FROM (SELECT quire_now() AS at, quire_actor() AS actor, CAST(OLD.id AS TEXT) AS eid, json_object('vendor_id', OLD.vendor_id, 'questionnaire', OLD.questionnaire, 'sha256', OLD.sha256, 'rubric', OLD.rubric, 'overall', OLD.overall, 'residual_tier', OLD.residual_tier) AS b, NULL AS a,
                 COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '') AS prev) c;
END;

CREATE TRIGGER audit_finding_status_insert AFTER INSERT ON finding_status
BEGIN
    INSERT INTO audit_log(at, actor, action, entity, entity_id, before, after, prev_hash, hash)
    SELECT c.at, c.actor, 'insert', 'finding status', c.eid, c.b, c.a, c.prev, quire_chain(c.prev, c.at, c.actor, 'insert', 'finding status', c.eid, c.b, c.a)
    FROM (SELECT quire_now() AS at, quire_actor() AS actor, CAST(NEW.assessment_id || ':' || NEW.finding AS TEXT) AS eid, NULL AS b, json_object('status', NEW.status, 'note', NEW.note, 'changed_by', NEW.changed_by) AS a,
                 COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '') AS prev) c;
END;

CREATE TRIGGER audit_finding_status_update AFTER UPDATE ON finding_status
WHEN OLD.status IS NOT NEW.status OR OLD.note IS NOT NEW.note OR OLD.changed_by IS NOT NEW.changed_by
BEGIN
    INSERT INTO audit_log(at, actor, action, entity, entity_id, before, after, prev_hash, hash)
    SELECT c.at, c.actor, 'update', 'finding status', c.eid, c.b, c.a, c.prev, quire_chain(c.prev, c.at, c.actor, 'update', 'finding status', c.eid, c.b, c.a)
    FROM (SELECT quire_now() AS at, quire_actor() AS actor, CAST(NEW.assessment_id || ':' || NEW.finding AS TEXT) AS eid, json_object('status', OLD.status, 'note', OLD.note, 'changed_by', OLD.changed_by) AS b, json_object('status', NEW.status, 'note', NEW.note, 'changed_by', NEW.changed_by) AS a,
                 COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '') AS prev) c;
END;
