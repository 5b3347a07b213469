-- The records each officer opened last (issue 14, "recently viewed" on Home): one row per
-- user and record, its time moved on each visit, the oldest beyond twenty pruned by the write
-- that adds one. Kept in the database, not the browser, so it follows the officer between
-- machines and never leaves case references in a shared PC's storage.
CREATE TABLE recently_viewed (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    user_id      uuid NOT NULL,
    subject_kind text NOT NULL CHECK (subject_kind IN ('query', 'customer')),
    subject_id   uuid NOT NULL,
    viewed_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, user_id, subject_kind, subject_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX recently_viewed_newest ON recently_viewed (tenant_id, user_id, viewed_at DESC);

ALTER TABLE recently_viewed ENABLE ROW LEVEL SECURITY;
ALTER TABLE recently_viewed FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON recently_viewed
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
