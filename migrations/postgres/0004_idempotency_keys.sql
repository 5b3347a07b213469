-- Idempotency-Key on creates: the first request with a key reserves it (in progress), the
-- finished response is stored, and a retry with the same key and body replays it.
CREATE TABLE idempotency_keys (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    key           text NOT NULL,
    actor_id      uuid,
    request_hash  bytea NOT NULL,
    status        integer,           -- NULL while in progress
    response_body text,
    location      text,
    etag          text,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, key)
);

ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON idempotency_keys
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
