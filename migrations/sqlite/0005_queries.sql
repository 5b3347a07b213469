-- Queries; see the PostgreSQL migration of the same name for the design.

CREATE TABLE query_statuses (
    tenant_id     BLOB NOT NULL REFERENCES tenants (id),
    id            BLOB NOT NULL CHECK (length(id) = 16),
    name          TEXT NOT NULL,
    category      TEXT NOT NULL CHECK (category IN ('new', 'open', 'waiting', 'resolved', 'closed')),
    position      INTEGER NOT NULL,
    is_default    INTEGER NOT NULL,
    created_at_us INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT query_statuses_name_unique UNIQUE (tenant_id, name)
) STRICT;

CREATE TABLE tenant_counters (
    tenant_id BLOB NOT NULL REFERENCES tenants (id),
    name      TEXT NOT NULL,
    value     INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, name)
) STRICT;

CREATE TABLE queries (
    tenant_id      BLOB NOT NULL REFERENCES tenants (id),
    id             BLOB NOT NULL CHECK (length(id) = 16),
    reference      INTEGER NOT NULL,
    customer_id    BLOB,
    channel        TEXT NOT NULL
                   CHECK (channel IN ('email', 'phone', 'post', 'despatch_box', 'in_person', 'web_form')),
    priority       TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    status_id      BLOB NOT NULL,
    subject        TEXT NOT NULL,
    description    TEXT NOT NULL,
    received_at_us INTEGER NOT NULL,
    version        INTEGER NOT NULL,
    created_at_us  INTEGER NOT NULL,
    updated_at_us  INTEGER NOT NULL,
    deleted_at_us  INTEGER,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT queries_reference_unique UNIQUE (tenant_id, reference),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
    FOREIGN KEY (tenant_id, status_id) REFERENCES query_statuses (tenant_id, id)
) STRICT;
CREATE INDEX queries_by_status ON queries (tenant_id, status_id, id);
CREATE INDEX queries_by_customer ON queries (tenant_id, customer_id, id);
CREATE INDEX queries_by_received ON queries (tenant_id, received_at_us, id);

CREATE TABLE query_status_transitions (
    tenant_id      BLOB NOT NULL,
    query_id       BLOB NOT NULL,
    seq            INTEGER NOT NULL,
    from_status_id BLOB,
    to_status_id   BLOB NOT NULL,
    at_us          INTEGER NOT NULL,
    actor_id       BLOB,
    PRIMARY KEY (tenant_id, query_id, seq),
    FOREIGN KEY (tenant_id, query_id) REFERENCES queries (tenant_id, id)
) STRICT;

-- Tenants created before this migration get the default statuses (random ids: SQLite has no
-- UUIDv7 generator; ids need only be unique).
INSERT INTO query_statuses (tenant_id, id, name, category, position, is_default, created_at_us)
SELECT t.id, randomblob(16), s.name, s.category, s.position, s.position = 1,
       CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)
FROM tenants t
CROSS JOIN (SELECT 'New' AS name, 'new' AS category, 1 AS position
            UNION ALL SELECT 'In progress', 'open', 2
            UNION ALL SELECT 'Waiting for customer', 'waiting', 3
            UNION ALL SELECT 'Resolved', 'resolved', 4
            UNION ALL SELECT 'Closed', 'closed', 5) AS s;
