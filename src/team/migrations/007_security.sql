-- Who may do what, in one place. PostgreSQL enforces it for every client, Quire or not:
--   reader       reads every table; writes nothing
--   contributor  writes library entries, evidence, reviews, assignments, comments, vendors,
--                assessments and finding statuses; cannot approve, cannot change what is
--                approved, cannot accept a finding's risk, edits only their own comments
--   approver     also approves, changes approved entries and review answers, accepts risks
--   admin        also writes rubrics, manages people (quire.set_person), moderates comments
-- Nobody deletes rows (a deletion is `deleted = true`, an update like any other), nobody writes
-- revisions, who/when, approvals, history or the audit log: the server does.
SET LOCAL ROLE quire_owner;

DO $$
DECLARE
    t text;
BEGIN
    -- Everything a reader may see.
    FOREACH t IN ARRAY ARRAY['blobs', 'sources', 'entries', 'provenance', 'entry_history', 'evidence',
                             'entry_evidence', 'reviews', 'review_items', 'review_history', 'assignments',
                             'comments', 'vendors', 'assessments', 'finding_status', 'rubrics', 'people'] LOOP
        EXECUTE format('ALTER TABLE quire.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('GRANT SELECT ON quire.%I TO quire_reader', t);
        EXECUTE format('CREATE POLICY read ON quire.%I FOR SELECT TO quire_reader USING (true)', t);
    END LOOP;
    -- What a contributor writes without further conditions.
    FOREACH t IN ARRAY ARRAY['sources', 'provenance', 'evidence', 'entry_evidence', 'reviews', 'assignments',
                             'vendors', 'assessments'] LOOP
        PERFORM quire.grant_writable(format('quire.%I', t)::regclass, 'quire_contributor');
        EXECUTE format('CREATE POLICY contribute_insert ON quire.%I FOR INSERT TO quire_contributor WITH CHECK (true)', t);
        EXECUTE format('CREATE POLICY contribute_update ON quire.%I FOR UPDATE TO quire_contributor USING (true) WITH CHECK (true)', t);
    END LOOP;
END $$;

-- File bytes: insert only (the server checks the hash); nobody updates or deletes them.
GRANT INSERT (sha256, bytes) ON quire.blobs TO quire_contributor;
CREATE POLICY contribute_insert ON quire.blobs FOR INSERT TO quire_contributor WITH CHECK (true);

-- Library entries and review answers: a contributor neither sets nor touches "approved".
SELECT quire.grant_writable('quire.entries', 'quire_contributor');
CREATE POLICY contribute_insert ON quire.entries FOR INSERT TO quire_contributor WITH CHECK (status <> 'approved');
CREATE POLICY contribute_update ON quire.entries FOR UPDATE TO quire_contributor
    USING (status <> 'approved') WITH CHECK (status <> 'approved');
CREATE POLICY approve_insert ON quire.entries FOR INSERT TO quire_approver WITH CHECK (true);
CREATE POLICY approve_update ON quire.entries FOR UPDATE TO quire_approver USING (true) WITH CHECK (true);

SELECT quire.grant_writable('quire.review_items', 'quire_contributor');
CREATE POLICY contribute_insert ON quire.review_items FOR INSERT TO quire_contributor WITH CHECK (status <> 'approved');
CREATE POLICY contribute_update ON quire.review_items FOR UPDATE TO quire_contributor
    USING (status <> 'approved') WITH CHECK (status <> 'approved');
CREATE POLICY approve_insert ON quire.review_items FOR INSERT TO quire_approver WITH CHECK (true);
CREATE POLICY approve_update ON quire.review_items FOR UPDATE TO quire_approver USING (true) WITH CHECK (true);

-- Finding statuses: accepting a risk is an approver's decision.
SELECT quire.grant_writable('quire.finding_status', 'quire_contributor');
CREATE POLICY contribute_insert ON quire.finding_status FOR INSERT TO quire_contributor WITH CHECK (status <> 'accepted');
CREATE POLICY contribute_update ON quire.finding_status FOR UPDATE TO quire_contributor
    USING (status <> 'accepted') WITH CHECK (status <> 'accepted');
CREATE POLICY approve_insert ON quire.finding_status FOR INSERT TO quire_approver WITH CHECK (true);
CREATE POLICY approve_update ON quire.finding_status FOR UPDATE TO quire_approver USING (true) WITH CHECK (true);

-- Comments: anyone who contributes may comment; a comment is changed only by its author (or
-- an admin, to moderate). created_by is the server's, so nobody comments in another's name.
SELECT quire.grant_writable('quire.comments', 'quire_contributor');
CREATE POLICY contribute_insert ON quire.comments FOR INSERT TO quire_contributor WITH CHECK (true);
CREATE POLICY author_update ON quire.comments FOR UPDATE TO quire_contributor
    USING (created_by = session_user) WITH CHECK (created_by = session_user);
CREATE POLICY moderate_update ON quire.comments FOR UPDATE TO quire_admin USING (true) WITH CHECK (true);

-- Rubrics: admins only.
SELECT quire.grant_writable('quire.rubrics', 'quire_admin');
CREATE POLICY admin_insert ON quire.rubrics FOR INSERT TO quire_admin WITH CHECK (true);
CREATE POLICY admin_update ON quire.rubrics FOR UPDATE TO quire_admin USING (true) WITH CHECK (true);

-- People: no direct writes for anyone (quire.set_person / quire.remove_person).
