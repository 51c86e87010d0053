-- The roles and the schema. Runs as the person who ran `quire team init` (a superuser, or a
-- role with CREATEROLE that may create schemas in this database); every later migration runs as
-- quire_owner, so that everything in the schema belongs to that one role and no SECURITY
-- DEFINER function runs with a superuser's rights.
--
-- Roles are cluster-wide: a second database on the same server reuses them, so each is created
-- only when missing.
--   quire_owner        owns the schema; nobody logs in as it
--   quire_reader       reads everything, changes nothing
--   quire_contributor  drafts answers, marks them reviewed, works on reviews and vendors
--   quire_approver     also approves, and changes approved answers
--   quire_admin        also manages rubrics and people
-- Each group role includes the one above it (admin ⊃ approver ⊃ contributor ⊃ reader), so a
-- person is given exactly one of them.
DO $$
DECLARE r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['quire_owner', 'quire_reader', 'quire_contributor', 'quire_approver', 'quire_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
    -- A non-superuser administrator must be able to act as quire_owner to hand it the schema.
    IF NOT pg_has_role(current_user, 'quire_owner', 'MEMBER') THEN
        EXECUTE format('GRANT quire_owner TO %I', current_user);
    END IF;
END $$;

GRANT quire_reader TO quire_contributor;
GRANT quire_contributor TO quire_approver;
GRANT quire_approver TO quire_admin;
-- quire.set_person (run as quire_owner) grants and revokes the group roles.
GRANT quire_reader, quire_contributor, quire_approver, quire_admin TO quire_owner WITH ADMIN OPTION;

CREATE SCHEMA quire AUTHORIZATION quire_owner;
REVOKE ALL ON SCHEMA quire FROM PUBLIC;
GRANT USAGE ON SCHEMA quire TO quire_reader;

SET LOCAL ROLE quire_owner;

-- Functions are executable by nobody unless granted below, table by table.
ALTER DEFAULT PRIVILEGES FOR ROLE quire_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

-- One row per migration applied (written by `quire team init`): clients read it to know the
-- schema version they talk to.
CREATE TABLE quire.migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    checksum   text NOT NULL,          -- hex SHA-256 of the migration file as applied
    applied_at timestamptz NOT NULL DEFAULT now(),
    applied_by text NOT NULL DEFAULT session_user
);
GRANT SELECT ON quire.migrations TO quire_reader;
