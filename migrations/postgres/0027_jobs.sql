-- The scheduler's table (issue 15, item 9): time-driven work that server processes claim
-- under a lease (FOR UPDATE SKIP LOCKED), so that each job runs in one process at a time and
-- a crashed process's job is taken over once its lease lapses.
--
-- No row-level security, like sessions and api_tokens: a process claims work before it knows
-- whose it is. Payloads hold identifiers only, never case content; an administrator's view
-- of the table is filtered by tenant in the query (storage::sql::jobs).
CREATE TABLE jobs (
    id           uuid PRIMARY KEY,
    tenant_id    uuid REFERENCES tenants (id),
    kind         text NOT NULL,
    key          text NOT NULL,
    payload      text NOT NULL,
    state        text NOT NULL CHECK (state IN ('pending', 'running', 'done', 'failed')),
    run_at       timestamptz NOT NULL,
    attempts     integer NOT NULL,
    max_attempts integer NOT NULL,
    lease_owner  text,
    lease_until  timestamptz,
    last_error   text,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE UNIQUE INDEX jobs_kind_key ON jobs (kind, key);
-- What a claim scans: only work not yet finished, soonest first.
CREATE INDEX jobs_to_claim ON jobs (run_at) WHERE state IN ('pending', 'running');
CREATE INDEX jobs_of_tenant ON jobs (tenant_id, updated_at DESC);
