-- Further parties to a query in roles (a representative such as an MP or solicitor acting for
-- the customer), and saved work-queue views (FR-008), personal or shared with a team.

CREATE TABLE query_parties (
    tenant_id   uuid NOT NULL,
    query_id    uuid NOT NULL,
    customer_id uuid NOT NULL,
    role        text NOT NULL CHECK (role IN ('representative', 'mp', 'councillor', 'solicitor', 'advocate', 'family', 'other')),
    added_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, query_id, customer_id, role),
    FOREIGN KEY (tenant_id, query_id) REFERENCES queries (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX query_parties_by_customer ON query_parties (tenant_id, customer_id);

CREATE TABLE saved_views (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL,
    owner_id   uuid NOT NULL,
    team_id    uuid,
    name       text NOT NULL,
    filter     text NOT NULL,
    columns    text NOT NULL,
    sort       text NOT NULL,
    version    bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id)
);
CREATE UNIQUE INDEX saved_views_name_unique ON saved_views (tenant_id, owner_id, lower(name));
CREATE INDEX saved_views_by_team ON saved_views (tenant_id, team_id) WHERE team_id IS NOT NULL;

ALTER TABLE query_parties ENABLE ROW LEVEL SECURITY;
ALTER TABLE query_parties FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON query_parties
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE saved_views ENABLE ROW LEVEL SECURITY;
ALTER TABLE saved_views FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON saved_views
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- Rows still without a search document (written before 0007), found at start-up without a scan.
CREATE INDEX queries_unindexed ON queries (tenant_id) WHERE search_document = '';
CREATE INDEX customers_unindexed ON customers (tenant_id) WHERE search_document = '';
