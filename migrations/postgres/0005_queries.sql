-- Queries (FR-002/003/006/011). Statuses are tenant data, each in a fixed category; every
-- status change is kept in query_status_transitions (workflows and SLA clocks build on it).
-- References (Q-000123) come from a per-tenant counter: unique and increasing, gaps allowed.

CREATE TABLE query_statuses (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL,
    name       text NOT NULL,
    category   text NOT NULL CHECK (category IN ('new', 'open', 'waiting', 'resolved', 'closed')),
    position   integer NOT NULL,
    is_default boolean NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT query_statuses_name_unique UNIQUE (tenant_id, name)
);

CREATE TABLE tenant_counters (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    name      text NOT NULL,
    value     bigint NOT NULL,
    PRIMARY KEY (tenant_id, name)
);

CREATE TABLE queries (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    id           uuid NOT NULL,
    reference    bigint NOT NULL,
    customer_id  uuid,
    channel      text NOT NULL
                 CHECK (channel IN ('email', 'phone', 'post', 'despatch_box', 'in_person', 'web_form')),
    priority     text NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    status_id    uuid NOT NULL,
    subject      text NOT NULL,
    description  text NOT NULL,
    received_at  timestamptz NOT NULL,
    version      bigint NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    deleted_at   timestamptz,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT queries_reference_unique UNIQUE (tenant_id, reference),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
    FOREIGN KEY (tenant_id, status_id) REFERENCES query_statuses (tenant_id, id)
);
CREATE INDEX queries_by_status ON queries (tenant_id, status_id, id);
CREATE INDEX queries_by_customer ON queries (tenant_id, customer_id, id);
CREATE INDEX queries_by_received ON queries (tenant_id, received_at, id);

CREATE TABLE query_status_transitions (
    tenant_id      uuid NOT NULL,
    query_id       uuid NOT NULL,
    seq            integer NOT NULL,
    from_status_id uuid,
    to_status_id   uuid NOT NULL,
    at             timestamptz NOT NULL,
    actor_id       uuid,
    PRIMARY KEY (tenant_id, query_id, seq),
    FOREIGN KEY (tenant_id, query_id) REFERENCES queries (tenant_id, id)
);

-- Tenants created before this migration get the default statuses.
INSERT INTO query_statuses (tenant_id, id, name, category, position, is_default, created_at)
SELECT t.id, gen_random_uuid(), s.name, s.category, s.position, s.position = 1, now()
FROM tenants t
CROSS JOIN (VALUES ('New', 'new', 1), ('In progress', 'open', 2), ('Waiting for customer', 'waiting', 3),
                   ('Resolved', 'resolved', 4), ('Closed', 'closed', 5)) AS s (name, category, position);

ALTER TABLE query_statuses ENABLE ROW LEVEL SECURITY;
ALTER TABLE query_statuses FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON query_statuses
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE tenant_counters ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_counters FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_counters
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE queries ENABLE ROW LEVEL SECURITY;
ALTER TABLE queries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON queries
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE query_status_transitions ENABLE ROW LEVEL SECURITY;
ALTER TABLE query_status_transitions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON query_status_transitions
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
