-- What only an admin manages: the team's rubrics and its people.
SET LOCAL ROLE quire_owner;

-- A scoring rubric, as the TOML file Quire ships under questionnaires/rubrics/.
CREATE TABLE quire.rubrics (
    id         uuid PRIMARY KEY,
    name       text NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$'),
    body       text NOT NULL CHECK (length(body) <= 1000000),
    deleted    boolean NOT NULL DEFAULT false,
    revision   bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL DEFAULT session_user,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL DEFAULT session_user
);
CREATE UNIQUE INDEX rubrics_name ON quire.rubrics (lower(name)) WHERE NOT deleted;
SELECT quire.make_synced('quire.rubrics');

-- The team's people: a PostgreSQL login, the name shown in the app, a team ("Legal") that
-- assignments can name, and the Quire role. The role that counts is the PostgreSQL group role;
-- this table mirrors it for the app and is written only by quire.set_person and
-- quire.remove_person, which change both together.
CREATE TABLE quire.people (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    login        text NOT NULL UNIQUE,
    display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    team         text NOT NULL DEFAULT '' CHECK (length(team) <= 200),
    role         text NOT NULL CHECK (role IN ('reader', 'contributor', 'approver', 'admin')),
    deleted      boolean NOT NULL DEFAULT false,
    revision     bigint NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   text NOT NULL DEFAULT session_user,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    updated_by   text NOT NULL DEFAULT session_user
);
SELECT quire.make_synced('quire.people');

CREATE FUNCTION quire.require_admin() RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT pg_has_role(session_user, 'quire_admin', 'MEMBER') THEN
        RAISE EXCEPTION 'only a Quire admin (a member of quire_admin) manages people'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
END $$;

-- Checks that a login may be given a Quire role: it exists, logs in, is not a superuser and is
-- not one of Quire's own roles.
CREATE FUNCTION quire.check_person_login(p_login text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE r record;
BEGIN
    SELECT rolcanlogin, rolsuper INTO r FROM pg_roles WHERE rolname = p_login;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'there is no PostgreSQL login named "%": ask the database administrator to create it (CREATE ROLE ... LOGIN), then add the person again', p_login
            USING ERRCODE = 'undefined_object';
    END IF;
    IF NOT r.rolcanlogin OR r.rolsuper OR p_login LIKE 'quire\_%' THEN
        RAISE EXCEPTION '"%" cannot be a Quire person: it must be an ordinary login (not a superuser, not a Quire group role)', p_login
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
END $$;

-- The Quire group roles a login holds directly.
CREATE FUNCTION quire.direct_quire_roles(p_login text) RETURNS text[]
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce(array_agg(g.rolname::text ORDER BY g.rolname), '{}')
      FROM pg_auth_members m
      JOIN pg_roles g ON g.oid = m.roleid
      JOIN pg_roles u ON u.oid = m.member
     WHERE u.rolname = p_login
       AND g.rolname IN ('quire_reader', 'quire_contributor', 'quire_approver', 'quire_admin')
$$;

-- Gives a login exactly one Quire role (reader, contributor, approver or admin) and records the
-- person. An admin cannot take admin away from themselves (another admin does), so the team
-- is never left without one by mistake.
CREATE FUNCTION quire.set_person(p_login text, p_role text, p_display_name text DEFAULT NULL, p_team text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    g text;
BEGIN
    PERFORM quire.require_admin();
    IF p_role IS NULL OR p_role NOT IN ('reader', 'contributor', 'approver', 'admin') THEN
        RAISE EXCEPTION 'unknown Quire role "%": use reader, contributor, approver or admin', p_role
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM quire.check_person_login(p_login);
    IF p_login = session_user AND p_role <> 'admin' AND pg_has_role(session_user, 'quire_admin', 'MEMBER') THEN
        RAISE EXCEPTION 'an admin cannot remove their own admin role; ask another admin'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOREACH g IN ARRAY quire.direct_quire_roles(p_login) LOOP
        IF g <> 'quire_' || p_role THEN
            EXECUTE format('REVOKE %I FROM %I', g, p_login);
        END IF;
    END LOOP;
    IF NOT ('quire_' || p_role = ANY (quire.direct_quire_roles(p_login))) THEN
        EXECUTE format('GRANT %I TO %I', 'quire_' || p_role, p_login);
    END IF;
    INSERT INTO quire.people AS p (login, display_name, team, role)
    VALUES (p_login, coalesce(nullif(p_display_name, ''), p_login), coalesce(p_team, ''), p_role)
    ON CONFLICT (login) DO UPDATE
       SET role = EXCLUDED.role,
           display_name = coalesce(nullif(p_display_name, ''), p.display_name),
           team = coalesce(p_team, p.team),
           deleted = false;
    PERFORM quire.audit_write('set role', 'person', p_login, NULL, jsonb_build_object('role', p_role));
END $$;

-- Takes every Quire role from a login; the person stays in the table, marked deleted, so their
-- name still shows on what they wrote.
CREATE FUNCTION quire.remove_person(p_login text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    g text;
BEGIN
    PERFORM quire.require_admin();
    IF p_login = session_user THEN
        RAISE EXCEPTION 'an admin cannot remove themselves; ask another admin'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOREACH g IN ARRAY quire.direct_quire_roles(p_login) LOOP
        EXECUTE format('REVOKE %I FROM %I', g, p_login);
    END LOOP;
    UPDATE quire.people SET deleted = true WHERE login = p_login AND NOT deleted;
    PERFORM quire.audit_write('remove', 'person', p_login, NULL, NULL);
END $$;

GRANT EXECUTE ON FUNCTION quire.set_person(text, text, text, text) TO quire_admin;
GRANT EXECUTE ON FUNCTION quire.remove_person(text) TO quire_admin;
