-- Idempotency-Key on creates; see the PostgreSQL migration of the same name.
CREATE TABLE idempotency_keys (
    tenant_id     BLOB NOT NULL REFERENCES tenants (id),
    key           TEXT NOT NULL,
    actor_id      BLOB,
    request_hash  BLOB NOT NULL,
    status        INTEGER,
    response_body TEXT,
    location      TEXT,
    etag          TEXT,
    created_at_us INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, key)
) STRICT;
