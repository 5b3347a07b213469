-- The scheduler's table; see the PostgreSQL migration of the same name. One writer at a time
-- holds the database here, so a claim needs no row locks.
CREATE TABLE jobs (
    id           BLOB PRIMARY KEY CHECK (length(id) = 16),
    tenant_id    BLOB REFERENCES tenants (id),
    kind         TEXT NOT NULL,
    key          TEXT NOT NULL,
    payload      TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done', 'failed')),
    run_at       INTEGER NOT NULL,
    attempts     INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    lease_owner  TEXT,
    lease_until  INTEGER,
    last_error   TEXT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX jobs_kind_key ON jobs (kind, key);
CREATE INDEX jobs_to_claim ON jobs (run_at) WHERE state IN ('pending', 'running');
CREATE INDEX jobs_of_tenant ON jobs (tenant_id, updated_at DESC);
