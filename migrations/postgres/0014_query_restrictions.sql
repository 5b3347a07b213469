-- Restricted queries (FR-014, SEC-09): a query can be restricted to named groups (a complaint
-- about a member of staff, say); then only members of those groups see it, in lists, search,
-- timelines and by id. `restricted` is kept on the query so that the common case (not
-- restricted) costs one boolean test, not a lookup.
ALTER TABLE queries ADD COLUMN restricted boolean NOT NULL DEFAULT false;

CREATE TABLE query_restrictions (
    tenant_id  uuid NOT NULL,
    query_id   uuid NOT NULL,
    group_id   uuid NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, query_id, group_id),
    FOREIGN KEY (tenant_id, query_id) REFERENCES queries (tenant_id, id),
    FOREIGN KEY (tenant_id, group_id) REFERENCES groups (tenant_id, id)
);
CREATE INDEX query_restrictions_by_group ON query_restrictions (tenant_id, group_id);
ALTER TABLE query_restrictions ENABLE ROW LEVEL SECURITY;
ALTER TABLE query_restrictions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON query_restrictions
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
