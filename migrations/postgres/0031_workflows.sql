-- Statuses administrators manage, and versioned workflows (issue 15, item 1). A workflow is
-- the tenant's default (type_id NULL) or a query type's own; each change publishes a new
-- numbered version whose definition (JSON: statuses, the start, the moves and what each needs)
-- is never changed after. A query records the version it follows; its status history records
-- the version each move was checked against and the fields the move asked for. The default
-- workflows of existing tenants are written by the application after migrating
-- (storage::sql::backfill), because the definition is built from each tenant's statuses.

ALTER TABLE query_statuses ADD COLUMN retired_at timestamptz;
ALTER TABLE query_statuses ADD COLUMN version bigint NOT NULL DEFAULT 1;

CREATE TABLE workflows (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL,
    type_id    uuid,
    current    integer NOT NULL,
    version    bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, type_id) REFERENCES query_types (tenant_id, id)
);
-- One default and at most one per type; the all-zero id stands for "the default".
CREATE UNIQUE INDEX workflows_type_unique
    ON workflows (tenant_id, COALESCE(type_id, '00000000-0000-0000-0000-000000000000'));

CREATE TABLE workflow_versions (
    tenant_id   uuid NOT NULL,
    workflow_id uuid NOT NULL,
    number      integer NOT NULL,
    definition  text NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, workflow_id, number),
    FOREIGN KEY (tenant_id, workflow_id) REFERENCES workflows (tenant_id, id)
);

ALTER TABLE queries ADD COLUMN workflow_id uuid;
ALTER TABLE queries ADD COLUMN workflow_version integer;
ALTER TABLE queries ADD FOREIGN KEY (tenant_id, workflow_id, workflow_version)
    REFERENCES workflow_versions (tenant_id, workflow_id, number);

ALTER TABLE query_status_transitions ADD COLUMN workflow_id uuid;
ALTER TABLE query_status_transitions ADD COLUMN workflow_version integer;
ALTER TABLE query_status_transitions ADD COLUMN resolution_summary text;
ALTER TABLE query_status_transitions ADD COLUMN reason text;

ALTER TABLE workflows ENABLE ROW LEVEL SECURITY;
ALTER TABLE workflows FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON workflows
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE workflow_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE workflow_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON workflow_versions
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
