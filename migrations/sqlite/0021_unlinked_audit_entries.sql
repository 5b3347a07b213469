-- Audit entries written before they are linked into the chain (issue 13, item 4). On SQLite a
-- writing transaction holds the database, so each entry is linked in the transaction that
-- wrote it and this table is empty between transactions; it exists so both backends run the
-- same flow (storage::sql::audit).
CREATE TABLE audit_pending (
    tenant_id    BLOB NOT NULL REFERENCES tenants (id),
    id           BLOB NOT NULL,
    at           INTEGER NOT NULL,
    actor_kind   TEXT NOT NULL,
    actor_id     BLOB,
    action       TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id   BLOB NOT NULL,
    payload      TEXT,
    payload_hash BLOB NOT NULL,
    entry_hash   BLOB NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT;
