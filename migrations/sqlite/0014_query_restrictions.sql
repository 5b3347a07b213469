-- Restricted queries (FR-014, SEC-09): only members of the named groups see such a query.
ALTER TABLE queries ADD COLUMN restricted INTEGER NOT NULL DEFAULT 0;

CREATE TABLE query_restrictions (
    tenant_id     BLOB NOT NULL,
    query_id      BLOB NOT NULL,
    group_id      BLOB NOT NULL,
    created_at_us INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, query_id, group_id),
    FOREIGN KEY (tenant_id, query_id) REFERENCES queries (tenant_id, id),
    FOREIGN KEY (tenant_id, group_id) REFERENCES groups (tenant_id, id)
) STRICT;
CREATE INDEX query_restrictions_by_group ON query_restrictions (tenant_id, group_id);
