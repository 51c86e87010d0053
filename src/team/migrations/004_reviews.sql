-- Reviews in progress (a questionnaire being answered by several people), shaped like the
-- desktop's (src/library/migrations/004), with assignments and comment threads.
SET LOCAL ROLE quire_owner;

-- The questionnaire file itself is in quire.blobs (sha256), so that anyone can export the
-- filled workbook. The path it was picked from on one person's disk is not shared.
CREATE TABLE quire.reviews (
    id            uuid PRIMARY KEY,
    questionnaire text NOT NULL CHECK (length(questionnaire) BETWEEN 1 AND 1000),
    sha256        text NOT NULL REFERENCES quire.blobs(sha256),
    overrides     jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(overrides) = 'array' AND octet_length(overrides::text) <= 1000000),
    deleted       boolean NOT NULL DEFAULT false,
    revision      bigint NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text NOT NULL DEFAULT session_user,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    updated_by    text NOT NULL DEFAULT session_user
);
SELECT quire.make_synced('quire.reviews');

-- One question of a review and the answer chosen for it. The same approval rule as library
-- entries: only an approver sets or changes an approved answer.
CREATE TABLE quire.review_items (
    id           uuid PRIMARY KEY,
    review_id    uuid NOT NULL REFERENCES quire.reviews(id),
    idx          integer NOT NULL CHECK (idx >= 0),
    question     text NOT NULL CHECK (length(question) <= 20000),
    answer       text CHECK (length(answer) <= 100000),
    comment      text CHECK (length(comment) <= 100000),
    status       text NOT NULL CHECK (status IN ('blank', 'suggested', 'draft', 'reviewed', 'approved')),
    confidence   real CHECK (confidence BETWEEN 0 AND 1),
    source       text CHECK (length(source) <= 2000),
    evidence     jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(evidence) = 'array' AND octet_length(evidence::text) <= 1000000),
    alternatives jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(alternatives) = 'array' AND octet_length(alternatives::text) <= 1000000),
    approved_by  text,
    approved_at  timestamptz,
    deleted      boolean NOT NULL DEFAULT false,
    revision     bigint NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   text NOT NULL DEFAULT session_user,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    updated_by   text NOT NULL DEFAULT session_user
);
CREATE UNIQUE INDEX review_items_place ON quire.review_items (review_id, idx) WHERE NOT deleted;
SELECT quire.make_synced('quire.review_items');
CREATE TRIGGER b_approval BEFORE INSERT OR UPDATE ON quire.review_items FOR EACH ROW EXECUTE FUNCTION quire.stamp_approval();

CREATE TABLE quire.review_history (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    item_id    uuid NOT NULL REFERENCES quire.review_items(id),
    field      text NOT NULL,
    old_value  text,
    new_value  text,
    deleted    boolean NOT NULL DEFAULT false,
    revision   bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL DEFAULT session_user,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL DEFAULT session_user
);
CREATE INDEX review_history_item ON quire.review_history (item_id);
SELECT quire.make_synced('quire.review_history', audited => false);
CREATE TRIGGER y_history AFTER UPDATE ON quire.review_items FOR EACH ROW
    EXECUTE FUNCTION quire.record_history('review_history', 'item_id', 'answer', 'comment', 'status', 'deleted');

-- "Needs an answer from Legal": a question (idx), a section (a sheet or section name), or the
-- whole review (both NULL) assigned to a login or a team name. Who assigned it is created_by.
CREATE TABLE quire.assignments (
    id         uuid PRIMARY KEY,
    review_id  uuid NOT NULL REFERENCES quire.reviews(id),
    idx        integer CHECK (idx >= 0),
    section    text CHECK (length(section) <= 500),
    assignee   text NOT NULL CHECK (length(assignee) BETWEEN 1 AND 200),
    note       text NOT NULL DEFAULT '' CHECK (length(note) <= 10000),
    due        date,
    done       boolean NOT NULL DEFAULT false,
    deleted    boolean NOT NULL DEFAULT false,
    revision   bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL DEFAULT session_user,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL DEFAULT session_user,
    CHECK (idx IS NULL OR section IS NULL)
);
CREATE INDEX assignments_assignee ON quire.assignments (assignee) WHERE NOT deleted AND NOT done;
CREATE INDEX assignments_review ON quire.assignments (review_id);
SELECT quire.make_synced('quire.assignments');

-- A comment thread per question (idx) or on the review (idx NULL). The author is created_by,
-- set by the server; only the author (or an admin) edits or deletes a comment.
CREATE TABLE quire.comments (
    id         uuid PRIMARY KEY,
    review_id  uuid NOT NULL REFERENCES quire.reviews(id),
    idx        integer CHECK (idx >= 0),
    body       text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
    deleted    boolean NOT NULL DEFAULT false,
    revision   bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL DEFAULT session_user,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL DEFAULT session_user
);
CREATE INDEX comments_review ON quire.comments (review_id, idx);
SELECT quire.make_synced('quire.comments');
