-- Parties and saved views; see the PostgreSQL migration of the same name for the design.

CREATE TABLE query_parties (
    tenant_id   BLOB NOT NULL,
    query_id    BLOB NOT NULL,
    customer_id BLOB NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('representative', 'mp', 'councillor', 'solicitor', 'advocate', 'family', 'other')),
    added_at_us INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, query_id, customer_id, role),
    FOREIGN KEY (tenant_id, query_id) REFERENCES queries (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
) STRICT;
CREATE INDEX query_parties_by_customer ON query_parties (tenant_id, customer_id);

CREATE TABLE saved_views (
    tenant_id     BLOB NOT NULL REFERENCES tenants (id),
    id            BLOB NOT NULL CHECK (length(id) = 16),
    owner_id      BLOB NOT NULL,
    team_id       BLOB,
    name          TEXT NOT NULL,
    filter        TEXT NOT NULL,
    columns       TEXT NOT NULL,
    sort          TEXT NOT NULL,
    version       INTEGER NOT NULL,
    created_at_us INTEGER NOT NULL,
    updated_at_us INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id)
) STRICT;
CREATE UNIQUE INDEX saved_views_name_unique ON saved_views (tenant_id, owner_id, lower(name));
CREATE INDEX saved_views_by_team ON saved_views (tenant_id, team_id) WHERE team_id IS NOT NULL;

-- Rows still without a search document (written before 0007), found at start-up without a scan.
CREATE INDEX queries_unindexed ON queries (tenant_id) WHERE search_document = '';
CREATE INDEX customers_unindexed ON customers (tenant_id) WHERE search_document = '';
