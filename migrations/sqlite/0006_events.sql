-- One event table feeds every timeline; see the PostgreSQL migration of the same name.
CREATE TABLE events (
    tenant_id   BLOB NOT NULL REFERENCES tenants (id),
    id          BLOB NOT NULL CHECK (length(id) = 16),
    at_us       INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    customer_id BLOB,
    query_id    BLOB,
    actor_id    BLOB,
    details     TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT;
CREATE INDEX events_by_customer ON events (tenant_id, customer_id, at_us, id) WHERE customer_id IS NOT NULL;
CREATE INDEX events_by_query ON events (tenant_id, query_id, at_us, id) WHERE query_id IS NOT NULL;
