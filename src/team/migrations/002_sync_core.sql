-- What every synced table shares: a global id (uuid, made by the desktop that created the row),
-- a revision the SERVER assigns on every insert and update, who/when set by the server from the
-- PostgreSQL login (never from the client), a soft-delete flag (a deleted row stays, with a new
-- revision, so every desktop learns of the deletion when it pulls), and the audit log the server
-- appends to and hashes.
SET LOCAL ROLE quire_owner;

-- Revisions: one sequence for all synced tables, so "what changed since revision N" is one
-- ordered scan. Writers take the clock (below) before drawing a revision, so revisions are
-- handed out in commit order: a pull that has seen revision N has seen every row at or below N,
-- and a transaction still open when a desktop pulls commits only revisions above what it saw.
CREATE SEQUENCE quire.revision_seq AS bigint;
CREATE SEQUENCE quire.audit_seq AS bigint;

-- The clock: one row that every writing transaction updates once (holder = its transaction id)
-- and so keeps locked until it commits. That one lock orders revisions and the audit chain. In
-- REPEATABLE READ or SERIALIZABLE, a transaction whose snapshot missed another writer's commit
-- fails here with a serialization error (retry), instead of forking the audit chain. No client
-- may touch the table; writers reach it only through quire.lock_clock() and the triggers.
CREATE TABLE quire.clock (
    id     integer PRIMARY KEY CHECK (id = 1),
    holder xid8
);
INSERT INTO quire.clock(id, holder) VALUES (1, NULL);

-- Takes the clock for this transaction (once; later calls only look). Internal: no SET
-- search_path of its own (each such SET costs a configuration save and restore per call, and
-- the triggers call this for every row), so it is called only from functions that pin
-- search_path themselves; granted to nobody.
CREATE FUNCTION quire.clock_take() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM quire.clock WHERE id = 1 AND holder = pg_current_xact_id()) THEN
        UPDATE quire.clock SET holder = pg_current_xact_id() WHERE id = 1;
    END IF;
END $$;

-- The same for a client that is about to write several rows (quire.push takes it first, so that
-- its row locks always come after the clock and pushes cannot deadlock).
CREATE FUNCTION quire.lock_clock() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM quire.clock_take();
END $$;

-- BEFORE INSERT OR UPDATE on every synced table: the server's revision and who/when. Whatever a
-- client puts in these columns is overwritten (and the column grants refuse them anyway).
CREATE FUNCTION quire.stamp() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM quire.clock_take();
    NEW.revision := nextval('quire.revision_seq');
    NEW.updated_at := now();
    NEW.updated_by := session_user;
    IF TG_OP = 'INSERT' THEN
        NEW.created_at := now();
        NEW.created_by := session_user;
    ELSE
        NEW.id := OLD.id;
        NEW.created_at := OLD.created_at;
        NEW.created_by := OLD.created_by;
    END IF;
    RETURN NEW;
END $$;

-- The audit log. The server appends (triggers on the synced tables, and quire.log_event for
-- what a desktop reports); nobody may update or delete a record (no grant, and a trigger refuses
-- even the owner). Each record's hash is SHA-256 over the previous hash and its own fields, so
-- an edit, insertion or removal inside the chain shows in quire.verify_audit() and in
-- `quire audit verify --team`, which recomputes it on the desktop.
CREATE TABLE quire.audit_log (
    id        bigint PRIMARY KEY,
    at        timestamptz NOT NULL,
    actor     text NOT NULL,
    action    text NOT NULL,
    entity    text NOT NULL,
    entity_id text NOT NULL,
    before    jsonb,
    after     jsonb,
    prev_hash text NOT NULL,
    hash      text NOT NULL
);

-- The canonical text hashed for one record: each field as "<byte length>:<text>", NULL as "~",
-- concatenated; the time as UTC with microseconds; JSON as PostgreSQL's jsonb text (one text per
-- value). src/team/audit.rs computes exactly the same. These two have no SET search_path, so
-- that PostgreSQL inlines them (they run for every row written): they are called from functions
-- that pin search_path (quire.audit_write through its callers, quire.verify_audit).
CREATE FUNCTION quire.audit_field(v text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN v IS NULL THEN '~' ELSE octet_length(v)::text || ':' || v END
$$;

CREATE FUNCTION quire.audit_hash(prev text, id bigint, at timestamptz, actor text, action text,
                                 entity text, entity_id text, before jsonb, after jsonb) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT encode(sha256(convert_to(
        quire.audit_field(prev) || quire.audit_field(id::text)
        || quire.audit_field(to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
        || quire.audit_field(actor) || quire.audit_field(action) || quire.audit_field(entity)
        || quire.audit_field(entity_id) || quire.audit_field(before::text) || quire.audit_field(after::text),
        'UTF8')), 'hex')
$$;

-- Appends one record. Internal (no SET of its own, like quire.clock_take): called by the
-- SECURITY DEFINER triggers and functions below, which pin search_path; granted to nobody.
CREATE FUNCTION quire.audit_write(p_action text, p_entity text, p_entity_id text, p_before jsonb, p_after jsonb) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_prev text;
    v_id   bigint;
    v_at   timestamptz := clock_timestamp();
BEGIN
    PERFORM quire.clock_take();
    SELECT hash INTO v_prev FROM quire.audit_log ORDER BY id DESC LIMIT 1;
    v_prev := coalesce(v_prev, '');
    v_id := nextval('quire.audit_seq');
    INSERT INTO quire.audit_log(id, at, actor, action, entity, entity_id, before, after, prev_hash, hash)
    VALUES (v_id, v_at, session_user, p_action, p_entity, p_entity_id, p_before, p_after, v_prev,
            quire.audit_hash(v_prev, v_id, v_at, session_user, p_action, p_entity, p_entity_id, p_before, p_after));
    RETURN v_id;
END $$;

CREATE FUNCTION quire.audit_immutable() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_immutable BEFORE UPDATE OR DELETE ON quire.audit_log
    FOR EACH ROW EXECUTE FUNCTION quire.audit_immutable();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON quire.audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION quire.audit_immutable();

-- AFTER INSERT OR UPDATE on every audited table: one record with the row before and after,
-- without the bookkeeping columns and without the columns named as trigger arguments (large
-- texts such as an evidence document's extracted text). An update that changes nothing but
-- bookkeeping is not recorded. Setting `deleted` is recorded as a delete, clearing it as a restore.
CREATE FUNCTION quire.audit_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    omit text[] := ARRAY['revision', 'created_at', 'created_by', 'updated_at', 'updated_by'] || TG_ARGV::text[];
    b jsonb;
    a jsonb := to_jsonb(NEW) - omit;
    act text := 'insert';
BEGIN
    IF TG_OP = 'UPDATE' THEN
        b := to_jsonb(OLD) - omit;
        IF a = b THEN
            RETURN NULL;
        END IF;
        act := CASE
            WHEN (b->>'deleted')::boolean IS NOT TRUE AND (a->>'deleted')::boolean IS TRUE THEN 'delete'
            WHEN (b->>'deleted')::boolean IS TRUE AND (a->>'deleted')::boolean IS NOT TRUE THEN 'restore'
            ELSE 'update' END;
    END IF;
    PERFORM quire.audit_write(act, TG_TABLE_NAME, NEW.id::text, b, a);
    RETURN NULL;
END $$;

-- What a desktop records that is not a row change (an export, a conflict resolved, a sync):
-- the actor is the login, the time the server's; the reserved row-change actions are refused so
-- that a client cannot pass an event off as a change the server saw.
CREATE FUNCTION quire.log_event(p_action text, p_entity text, p_entity_id text, p_detail jsonb DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_action IS NULL OR p_action !~ '^[a-z][a-z0-9 _-]{0,59}$' OR p_action IN ('insert', 'update', 'delete', 'restore') THEN
        RAISE EXCEPTION 'audit event action % is not allowed (lower-case words, not insert/update/delete/restore)', p_action
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_entity IS NULL OR length(p_entity) NOT BETWEEN 1 AND 100 OR length(coalesce(p_entity_id, '')) > 200 THEN
        RAISE EXCEPTION 'audit event entity must be 1-100 characters and its id at most 200'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_detail IS NOT NULL AND octet_length(p_detail::text) > 65536 THEN
        RAISE EXCEPTION 'audit event detail is larger than 64 KiB' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN quire.audit_write(p_action, p_entity, coalesce(p_entity_id, ''), NULL, p_detail);
END $$;

-- Checks the chain on the server: returns the number of records and the first one that does not
-- match (its id and why), or NULLs when the chain is whole. A superuser could replace this
-- function too: the desktop's own check (src/team/audit.rs) does not rely on it.
CREATE FUNCTION quire.verify_audit(OUT records bigint, OUT first_bad bigint, OUT problem text)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    r record;
    prev text := '';
BEGIN
    records := 0;
    FOR r IN SELECT * FROM quire.audit_log ORDER BY id LOOP
        records := records + 1;
        IF first_bad IS NULL THEN
            IF r.prev_hash <> prev THEN
                first_bad := r.id;
                problem := 'the link to the previous record is broken (a record before it was removed or changed)';
            ELSIF r.hash <> quire.audit_hash(r.prev_hash, r.id, r.at, r.actor, r.action, r.entity, r.entity_id, r.before, r.after) THEN
                first_bad := r.id;
                problem := 'the record was changed after it was written';
            END IF;
        END IF;
        prev := r.hash;
    END LOOP;
END $$;

-- Makes a table synced: the revision stamp, the revision index (pulls), the audit trigger.
-- Used by the later migrations; granted to nobody.
CREATE FUNCTION quire.make_synced(tbl regclass, audit_omit text[] DEFAULT '{}', audited boolean DEFAULT true) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    name text := (SELECT relname FROM pg_class WHERE oid = tbl);
BEGIN
    EXECUTE format('CREATE TRIGGER a_stamp BEFORE INSERT OR UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION quire.stamp()', tbl);
    EXECUTE format('CREATE INDEX %I ON %s (revision)', name || '_revision', tbl);
    IF audited THEN
        EXECUTE format('CREATE TRIGGER z_audit AFTER INSERT OR UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION quire.audit_row(%s)',
                       tbl, coalesce((SELECT string_agg(quote_literal(o), ', ') FROM unnest(audit_omit) o), ''));
    END IF;
END $$;

-- Grants a role INSERT and UPDATE on the columns a desktop may write: every column but the
-- server's bookkeeping (and, for UPDATE, the id).
CREATE FUNCTION quire.grant_writable(tbl regclass, role name) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    ins text;
    upd text;
BEGIN
    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum),
           string_agg(quote_ident(attname), ', ' ORDER BY attnum) FILTER (WHERE attname <> 'id')
      INTO ins, upd
      FROM pg_attribute
     WHERE attrelid = tbl AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
       AND attname NOT IN ('revision', 'created_at', 'created_by', 'updated_at', 'updated_by', 'approved_by', 'approved_at');
    EXECUTE format('GRANT INSERT (%s), UPDATE (%s) ON %s TO %I', ins, upd, tbl, role);
END $$;

-- Who am I to the team library: the login and the highest Quire role it holds.
CREATE FUNCTION quire.my_role(OUT login text, OUT role text)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT session_user::text,
           CASE WHEN pg_has_role(session_user, 'quire_admin', 'MEMBER') THEN 'admin'
                WHEN pg_has_role(session_user, 'quire_approver', 'MEMBER') THEN 'approver'
                WHEN pg_has_role(session_user, 'quire_contributor', 'MEMBER') THEN 'contributor'
                WHEN pg_has_role(session_user, 'quire_reader', 'MEMBER') THEN 'reader'
                ELSE 'none' END
$$;

GRANT SELECT ON quire.audit_log TO quire_reader;
GRANT EXECUTE ON FUNCTION quire.lock_clock() TO quire_contributor;
GRANT EXECUTE ON FUNCTION quire.log_event(text, text, text, jsonb) TO quire_contributor;
GRANT EXECUTE ON FUNCTION quire.verify_audit() TO quire_reader;
GRANT EXECUTE ON FUNCTION quire.audit_hash(text, bigint, timestamptz, text, text, text, text, jsonb, jsonb) TO quire_reader;
GRANT EXECUTE ON FUNCTION quire.audit_field(text) TO quire_reader;
GRANT EXECUTE ON FUNCTION quire.my_role() TO quire_reader;
