-- Service-level policies and query clocks; see the PostgreSQL migration of the same name.
CREATE TABLE sla_policies (
    tenant_id  BLOB NOT NULL REFERENCES tenants (id),
    id         BLOB NOT NULL CHECK (length(id) = 16),
    name       TEXT NOT NULL,
    definition TEXT NOT NULL,
    position   INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT;
CREATE UNIQUE INDEX sla_policies_name_unique ON sla_policies (tenant_id, lower(name));

CREATE TABLE query_clocks (
    tenant_id      BLOB NOT NULL,
    query_id       BLOB NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('first_response', 'resolution')),
    policy_id      BLOB NOT NULL,
    policy_version INTEGER NOT NULL,
    target         TEXT NOT NULL,
    due_soon       TEXT NOT NULL,
    started_at     INTEGER NOT NULL,
    due_at         INTEGER NOT NULL,
    due_soon_at    INTEGER NOT NULL,
    paused_at      INTEGER,
    stopped_at     INTEGER,
    breached_at    INTEGER,
    PRIMARY KEY (tenant_id, query_id, kind),
    FOREIGN KEY (tenant_id, query_id) REFERENCES queries (tenant_id, id)
) STRICT;

ALTER TABLE queries ADD COLUMN due_at INTEGER;

INSERT INTO sla_policies (tenant_id, id, name, definition, position, version, created_at, updated_at)
SELECT id, X'00000000000070008000000000000011', 'Severity 1: system unavailable (24x7)',
       '{"name":"Severity 1: system unavailable (24x7)","conditions":{"query_type_ids":[],"channels":[],"priorities":["urgent"],"customer":null},"first_response":{"calendar_id":"00000000-0000-7000-8000-000000000001","unit":"calendar_minutes","amount":30},"resolution":{"calendar_id":"00000000-0000-7000-8000-000000000001","unit":"calendar_hours","amount":4},"due_soon":{"percent":50}}', 0, 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER), CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)
FROM tenants;
INSERT INTO sla_policies (tenant_id, id, name, definition, position, version, created_at, updated_at)
SELECT id, X'00000000000070008000000000000012', 'Other severities: office hours',
       '{"name":"Other severities: office hours","conditions":{"query_type_ids":[],"channels":[],"priorities":[],"customer":null},"first_response":{"calendar_id":"00000000-0000-7000-8000-000000000002","unit":"working_days","amount":1},"resolution":{"calendar_id":"00000000-0000-7000-8000-000000000002","unit":"working_days","amount":20},"due_soon":{"percent":75}}', 1, 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER), CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)
FROM tenants;
