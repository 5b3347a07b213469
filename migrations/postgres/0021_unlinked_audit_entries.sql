-- Audit entries no longer queue on the tenant's chain head (issue 13, item 4).
--
-- A write now records its entry here, in its own transaction, with the SHA-256 of its payload
-- and an entry hash over its envelope and id; it takes no lock another writer waits for. A
-- sequencer (the server's, every 200 ms, and every audit read first) moves these rows into
-- `audit_entries` in order, giving each its sequence number and chain hash under the head's
-- row lock, after checking it against its entry hash. Verification covers both tables
-- (docs/decisions.md, "Audit chain").
CREATE TABLE audit_pending (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    id           uuid NOT NULL,          -- UUIDv7: the order entries are linked in
    at           timestamptz NOT NULL,
    actor_kind   text NOT NULL,
    actor_id     uuid,
    action       text NOT NULL,
    subject_kind text NOT NULL,
    subject_id   uuid NOT NULL,
    payload      text,
    payload_hash bytea NOT NULL,
    entry_hash   bytea NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

ALTER TABLE audit_pending ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_pending FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_pending
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
