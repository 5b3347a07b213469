-- One event table feeds every timeline (FR-013): the customer page shows all events with the
-- customer's id, the query page all with the query's. Written in the same transaction as the
-- change it records. `details` is JSON for display (no field-level history: that is audit).
CREATE TABLE events (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL,
    at          timestamptz NOT NULL,
    kind        text NOT NULL,
    customer_id uuid,
    query_id    uuid,
    actor_id    uuid,
    details     text NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX events_by_customer ON events (tenant_id, customer_id, at, id) WHERE customer_id IS NOT NULL;
CREATE INDEX events_by_query ON events (tenant_id, query_id, at, id) WHERE query_id IS NOT NULL;

ALTER TABLE events ENABLE ROW LEVEL SECURITY;
ALTER TABLE events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON events
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
