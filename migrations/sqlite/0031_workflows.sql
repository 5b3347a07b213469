-- Statuses administrators manage, and versioned workflows; see the PostgreSQL migration of the
-- same name.
ALTER TABLE query_statuses ADD COLUMN retired_at INTEGER;
ALTER TABLE query_statuses ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE workflows (
    tenant_id  BLOB NOT NULL REFERENCES tenants (id),
    id         BLOB NOT NULL CHECK (length(id) = 16),
    type_id    BLOB,
    current    INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, type_id) REFERENCES query_types (tenant_id, id)
) STRICT;
CREATE UNIQUE INDEX workflows_type_unique
    ON workflows (tenant_id, COALESCE(type_id, X'00000000000000000000000000000000'));

CREATE TABLE workflow_versions (
    tenant_id   BLOB NOT NULL,
    workflow_id BLOB NOT NULL,
    number      INTEGER NOT NULL,
    definition  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, workflow_id, number),
    FOREIGN KEY (tenant_id, workflow_id) REFERENCES workflows (tenant_id, id)
) STRICT;

-- SQLite cannot add a foreign key over two columns to an existing table; the application
-- writes only versions it has read.
ALTER TABLE queries ADD COLUMN workflow_id BLOB;
ALTER TABLE queries ADD COLUMN workflow_version INTEGER;

ALTER TABLE query_status_transitions ADD COLUMN workflow_id BLOB;
ALTER TABLE query_status_transitions ADD COLUMN workflow_version INTEGER;
ALTER TABLE query_status_transitions ADD COLUMN resolution_summary TEXT;
ALTER TABLE query_status_transitions ADD COLUMN reason TEXT;
