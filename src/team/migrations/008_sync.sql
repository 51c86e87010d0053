-- The two calls a desktop syncs with. Both run with the caller's own rights (SECURITY INVOKER):
-- the grants and policies of 007 decide what a push may change, exactly as for any statement.
--
-- push: a batch of changes, each {"table", "id", "base_revision", "row": {column: value}},
-- applied in one transaction (the caller's). For each change the result says
--   applied    written (or already there with the same values: a retried push, "unchanged");
--              "revision"; "bulk" when it went in with a run of new rows
--   conflict   someone else changed (or created) the row since base_revision: nothing written,
--              the server's row and revision are returned so that both versions can be shown
--   duplicate  another row already holds the same natural key (same question and answer, same
--              file, same vendor name…): "existing_id" is that row, to be adopted locally
--   forbidden  the caller's role may not make this change (e.g. a contributor approving)
--   rejected   the change is malformed or breaks a rule of the table (reason given)
-- A change whose row is not on the server is an insert when base_revision is null. Columns the
-- server keeps (revision, who/when, approvals) are ignored if sent; unknown columns are rejected.
-- Order parents before children in a batch (entries before their provenance). Runs of new rows
-- (same table, same columns) are inserted first, together; everything else follows in order.
SET LOCAL ROLE quire_owner;

-- The tables a desktop writes through push, and the columns naming a row's natural key (used to
-- report a duplicate's existing row).
CREATE TABLE quire.sync_tables (
    name        text PRIMARY KEY,
    natural_key text[]
);
INSERT INTO quire.sync_tables(name, natural_key) VALUES
    ('sources', ARRAY['sha256']),
    ('entries', ARRAY['question_key', 'answer_key']),
    ('provenance', ARRAY['entry_id', 'source_id', 'sheet', 'row', 'ref']),
    ('evidence', ARRAY['sha256']),
    ('entry_evidence', ARRAY['entry_id', 'evidence_id']),
    ('reviews', NULL),
    ('review_items', ARRAY['review_id', 'idx']),
    ('assignments', NULL),
    ('comments', NULL),
    ('vendors', NULL),
    ('assessments', NULL),
    ('finding_status', ARRAY['assessment_id', 'finding']),
    ('rubrics', NULL);
GRANT SELECT ON quire.sync_tables TO quire_reader;

-- The live row another change collides with on its natural key (vendors and rubrics by name,
-- case-insensitively), or NULL.
CREATE FUNCTION quire.find_duplicate(p_table text, p_id uuid, p_row jsonb) RETURNS uuid
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    keys text[];
    cond text;
    found uuid;
BEGIN
    IF p_table IN ('vendors', 'rubrics') THEN
        EXECUTE format('SELECT id FROM quire.%I WHERE NOT deleted AND id <> $2 AND lower(name) = lower($1->>''name'') LIMIT 1', p_table)
            INTO found USING p_row, p_id;
        RETURN found;
    END IF;
    SELECT natural_key INTO keys FROM quire.sync_tables WHERE name = p_table;
    IF keys IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT string_agg(format('x.%1$I = r.%1$I', k), ' AND ') INTO cond FROM unnest(keys) k;
    EXECUTE format('SELECT x.id FROM quire.%1$I x, jsonb_populate_record(NULL::quire.%1$I, $1) r WHERE NOT x.deleted AND x.id <> $2 AND %2$s LIMIT 1',
                   p_table, cond)
        INTO found USING p_row, p_id;
    RETURN found;
END $$;

CREATE FUNCTION quire.push(changes jsonb) RETURNS jsonb
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    server_kept constant text[] := ARRAY['id', 'revision', 'created_at', 'created_by', 'updated_at', 'updated_by', 'approved_by', 'approved_at'];
    c        jsonb;
    t        text;
    v_id     uuid;
    base     bigint;
    v_row    jsonb;
    cols     text[];
    col_list text;
    unknown  text;
    cur_rev  bigint;
    cur_row  jsonb;
    norm     jsonb;
    same     boolean;
    new_rev  bigint;
    results  jsonb[] := '{}';
    st       text;
    msg      text;
    run      record;
    ins      record;
    sel_list text;
    run_done jsonb;
    bulk     jsonb := '{}';   -- id → revision of the rows inserted in runs
BEGIN
    IF changes IS NULL OR jsonb_typeof(changes) <> 'array' THEN
        RAISE EXCEPTION 'quire.push expects a JSON array of changes' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- The clock first: every row lock below is taken after it, so pushes cannot deadlock on
    -- each other, and nothing changes under this push between its read and its write.
    PERFORM quire.lock_clock();

    -- New rows first, in runs: consecutive inserts into one table with the same columns go in
    -- with one INSERT … ON CONFLICT DO NOTHING (a first sync is mostly that: several times faster
    -- than row by row, the triggers still run for each row). A row the run skips (its id or
    -- natural key is taken) and every row of a run that fails (a rule, a policy, a missing
    -- parent) is left to the change-by-change path below, which reports it.
    FOR run IN
        WITH x AS (
            SELECT e.o, e.c->>'table' AS t, e.c->'row' || jsonb_build_object('id', e.c->'id') AS r,
                   (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(e.c->'row') k WHERE NOT (k = ANY (server_kept))) AS cols
              FROM jsonb_array_elements(changes) WITH ORDINALITY AS e(c, o)
             WHERE jsonb_typeof(e.c) = 'object' AND jsonb_typeof(e.c->'row') = 'object'
               AND (e.c->'base_revision' IS NULL OR jsonb_typeof(e.c->'base_revision') = 'null')
               AND e.c->>'id' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
               AND EXISTS (SELECT 1 FROM quire.sync_tables st WHERE st.name = e.c->>'table')
               AND NOT EXISTS (SELECT 1 FROM jsonb_object_keys(e.c->'row') k
                                WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a
                                                   WHERE a.attrelid = to_regclass(format('quire.%I', e.c->>'table'))
                                                     AND a.attname = k AND a.attnum > 0 AND NOT a.attisdropped))
        ), g AS (
            SELECT x.*, x.o - row_number() OVER (PARTITION BY x.t, x.cols ORDER BY x.o) AS island FROM x
        )
        SELECT g.t, g.cols, jsonb_agg(g.r ORDER BY g.o) AS rows_json
          FROM g WHERE g.cols IS NOT NULL
         GROUP BY g.t, g.cols, g.island HAVING count(*) >= 2
         ORDER BY min(g.o)
    LOOP
        SELECT string_agg(quote_ident(k), ', '), string_agg('r.' || quote_ident(k), ', ') INTO col_list, sel_list FROM unnest(run.cols) k;
        run_done := '{}';
        BEGIN
            FOR ins IN EXECUTE format('INSERT INTO quire.%1$I AS x (id, %2$s) SELECT r.id, %3$s FROM jsonb_populate_recordset(NULL::quire.%1$I, $1) r ON CONFLICT DO NOTHING RETURNING x.id, x.revision',
                                      run.t, col_list, sel_list) USING run.rows_json LOOP
                run_done := run_done || jsonb_build_object(ins.id::text, ins.revision);
            END LOOP;
            bulk := bulk || run_done;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE;
            IF left(st, 2) IN ('40', '53', '57', '58', 'XX') THEN
                RAISE;
            END IF;
        END;
    END LOOP;

    FOR c IN SELECT value FROM jsonb_array_elements(changes) LOOP
        t := NULL;
        v_id := NULL;
        IF bulk ? (c->>'id') AND jsonb_typeof(c->'base_revision') IS DISTINCT FROM 'number' THEN
            results := results || jsonb_build_object('table', c->>'table', 'id', c->>'id', 'status', 'applied', 'revision', bulk->(c->>'id'), 'bulk', true);
            bulk := bulk - (c->>'id');
            CONTINUE;
        END IF;
        BEGIN
            t := c->>'table';
            IF t IS NULL OR NOT EXISTS (SELECT 1 FROM quire.sync_tables WHERE name = t) THEN
                RAISE EXCEPTION 'no synced table named "%"', t USING ERRCODE = 'invalid_parameter_value';
            END IF;
            v_id := (c->>'id')::uuid;
            IF v_id IS NULL THEN
                RAISE EXCEPTION 'the change has no id' USING ERRCODE = 'invalid_parameter_value';
            END IF;
            base := (c->>'base_revision')::bigint;
            v_row := coalesce(c->'row', '{}');
            IF jsonb_typeof(v_row) <> 'object' THEN
                RAISE EXCEPTION '"row" must be a JSON object' USING ERRCODE = 'invalid_parameter_value';
            END IF;
            SELECT string_agg(k, ', ') INTO unknown FROM jsonb_object_keys(v_row) k
             WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a
                                WHERE a.attrelid = format('quire.%I', t)::regclass AND a.attname = k
                                  AND a.attnum > 0 AND NOT a.attisdropped);
            IF unknown IS NOT NULL THEN
                RAISE EXCEPTION 'table % has no column %', t, unknown USING ERRCODE = 'undefined_column';
            END IF;
            SELECT coalesce(array_agg(k ORDER BY k), '{}') INTO cols
              FROM jsonb_object_keys(v_row) k WHERE NOT (k = ANY (server_kept));
            SELECT string_agg(quote_ident(k), ', ') INTO col_list FROM unnest(cols) k;

            EXECUTE format('SELECT revision, to_jsonb(x) FROM quire.%I x WHERE id = $1', t) INTO cur_rev, cur_row USING v_id;
            IF cur_rev IS NOT NULL THEN
                -- Already the same values (a push retried after its commit was not seen)?
                EXECUTE format('SELECT to_jsonb(jsonb_populate_record(NULL::quire.%I, $1))', t) INTO norm USING v_row;
                SELECT coalesce(bool_and(norm->k IS NOT DISTINCT FROM cur_row->k), true) INTO same FROM unnest(cols) k;
            END IF;

            IF cur_rev IS NULL AND base IS NOT NULL THEN
                results := results || jsonb_build_object('table', t, 'id', v_id, 'status', 'conflict',
                    'reason', 'the row is not on the server (or not visible to you)');
            ELSIF cur_rev IS NULL THEN
                IF col_list IS NULL THEN
                    RAISE EXCEPTION 'a new row needs its columns' USING ERRCODE = 'invalid_parameter_value';
                END IF;
                EXECUTE format('INSERT INTO quire.%1$I (id, %2$s) SELECT $2, %2$s FROM jsonb_populate_record(NULL::quire.%1$I, $1) RETURNING revision',
                               t, col_list)
                    INTO new_rev USING v_row, v_id;
                results := results || jsonb_build_object('table', t, 'id', v_id, 'status', 'applied', 'revision', new_rev);
            ELSIF same THEN
                results := results || jsonb_build_object('table', t, 'id', v_id, 'status', 'applied', 'revision', cur_rev, 'unchanged', true);
            ELSIF base IS DISTINCT FROM cur_rev THEN
                results := results || jsonb_build_object('table', t, 'id', v_id, 'status', 'conflict',
                    'reason', CASE WHEN base IS NULL THEN 'a row with this id is already on the server'
                                   ELSE 'changed on the server since your base revision' END,
                    'revision', cur_rev, 'server_row', cur_row);
            ELSE
                EXECUTE format('UPDATE quire.%1$I SET (%2$s) = (SELECT %2$s FROM jsonb_populate_record(NULL::quire.%1$I, $1)) WHERE id = $2 RETURNING revision',
                               t, col_list)
                    INTO new_rev USING v_row, v_id;
                IF new_rev IS NULL THEN
                    -- Visible, but the update policy hides it from this role (e.g. approved).
                    results := results || jsonb_build_object('table', t, 'id', v_id, 'status', 'forbidden',
                        'reason', 'your role may not change this row');
                ELSE
                    results := results || jsonb_build_object('table', t, 'id', v_id, 'status', 'applied', 'revision', new_rev);
                END IF;
            END IF;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
            -- Serialization failures, deadlocks, cancels, shortages: the whole push fails and the
            -- desktop retries it; only this change's own faults are reported here.
            IF left(st, 2) IN ('40', '53', '57', '58', 'XX') THEN
                RAISE;
            END IF;
            results := results || jsonb_build_object('table', t, 'id', v_id,
                'status', CASE WHEN st = '23505' THEN 'duplicate' WHEN st = '42501' THEN 'forbidden' ELSE 'rejected' END,
                'sqlstate', st, 'reason', msg,
                'existing_id', CASE WHEN st = '23505' THEN quire.find_duplicate(t, v_id, v_row) END);
        END;
    END LOOP;
    -- Collected as an array (appending to a jsonb value copies it every time).
    RETURN to_jsonb(results);
END $$;

-- What changed since a revision, across every synced table, in revision order: up to max_rows
-- rows (table, revision, id, the row as JSON). A desktop pulls until fewer than max_rows come
-- back, remembering the last revision it stored. File bytes are not included: fetch
-- quire.blobs by sha256 for the evidence and reviews that need them.
CREATE FUNCTION quire.pull(since bigint, max_rows integer DEFAULT 1000)
RETURNS TABLE (tbl text, revision bigint, id uuid, row_data jsonb)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT u.tbl, u.revision, u.id, u.row_data FROM (
        SELECT 'sources' AS tbl, x.revision, x.id, to_jsonb(x) AS row_data FROM quire.sources x WHERE x.revision > since
        UNION ALL SELECT 'entries', x.revision, x.id, to_jsonb(x) FROM quire.entries x WHERE x.revision > since
        UNION ALL SELECT 'provenance', x.revision, x.id, to_jsonb(x) FROM quire.provenance x WHERE x.revision > since
        UNION ALL SELECT 'entry_history', x.revision, x.id, to_jsonb(x) FROM quire.entry_history x WHERE x.revision > since
        UNION ALL SELECT 'evidence', x.revision, x.id, to_jsonb(x) FROM quire.evidence x WHERE x.revision > since
        UNION ALL SELECT 'entry_evidence', x.revision, x.id, to_jsonb(x) FROM quire.entry_evidence x WHERE x.revision > since
        UNION ALL SELECT 'reviews', x.revision, x.id, to_jsonb(x) FROM quire.reviews x WHERE x.revision > since
        UNION ALL SELECT 'review_items', x.revision, x.id, to_jsonb(x) FROM quire.review_items x WHERE x.revision > since
        UNION ALL SELECT 'review_history', x.revision, x.id, to_jsonb(x) FROM quire.review_history x WHERE x.revision > since
        UNION ALL SELECT 'assignments', x.revision, x.id, to_jsonb(x) FROM quire.assignments x WHERE x.revision > since
        UNION ALL SELECT 'comments', x.revision, x.id, to_jsonb(x) FROM quire.comments x WHERE x.revision > since
        UNION ALL SELECT 'vendors', x.revision, x.id, to_jsonb(x) FROM quire.vendors x WHERE x.revision > since
        UNION ALL SELECT 'assessments', x.revision, x.id, to_jsonb(x) FROM quire.assessments x WHERE x.revision > since
        UNION ALL SELECT 'finding_status', x.revision, x.id, to_jsonb(x) FROM quire.finding_status x WHERE x.revision > since
        UNION ALL SELECT 'rubrics', x.revision, x.id, to_jsonb(x) FROM quire.rubrics x WHERE x.revision > since
        UNION ALL SELECT 'people', x.revision, x.id, to_jsonb(x) FROM quire.people x WHERE x.revision > since
    ) u
    ORDER BY u.revision
    LIMIT greatest(1, least(coalesce(max_rows, 1000), 100000))
$$;

GRANT EXECUTE ON FUNCTION quire.push(jsonb) TO quire_contributor;
GRANT EXECUTE ON FUNCTION quire.find_duplicate(text, uuid, jsonb) TO quire_contributor;
GRANT EXECUTE ON FUNCTION quire.pull(bigint, integer) TO quire_reader;
