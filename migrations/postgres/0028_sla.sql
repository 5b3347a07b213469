-- Service-level policies and the clocks they start on queries (issue 15). A policy's
-- conditions and targets are one JSON document, read and checked whole by domain::sla; the
-- order policies are tried in is `position`. A query's clocks keep the policy version they
-- started under until an administrator asks for open queries to be re-timed.
CREATE TABLE sla_policies (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL,
    name       text NOT NULL,
    definition text NOT NULL,
    position   integer NOT NULL,
    version    bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX sla_policies_name_unique ON sla_policies (tenant_id, lower(name));

CREATE TABLE query_clocks (
    tenant_id      uuid NOT NULL,
    query_id       uuid NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('first_response', 'resolution')),
    policy_id      uuid NOT NULL,
    policy_version bigint NOT NULL,
    target         text NOT NULL,
    due_soon       text NOT NULL,
    started_at     timestamptz NOT NULL,
    due_at         timestamptz NOT NULL,
    due_soon_at    timestamptz NOT NULL,
    paused_at      timestamptz,
    stopped_at     timestamptz,
    breached_at    timestamptz,
    PRIMARY KEY (tenant_id, query_id, kind),
    FOREIGN KEY (tenant_id, query_id) REFERENCES queries (tenant_id, id)
);

-- The soonest due time of the query's counting clocks (none paused or stopped), kept with
-- them, so that queues sort and filter by it on an index of their own.
ALTER TABLE queries ADD COLUMN due_at timestamptz;

ALTER TABLE sla_policies ENABLE ROW LEVEL SECURITY;
ALTER TABLE sla_policies FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sla_policies
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE query_clocks ENABLE ROW LEVEL SECURITY;
ALTER TABLE query_clocks FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON query_clocks
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- Every organisation starts with the buyer's AFS-01 and AFS-02 as policies
-- (domain::sla::examples, with the same fixed ids); new ones get them when created.
INSERT INTO sla_policies (tenant_id, id, name, definition, position, version, created_at, updated_at)
SELECT id, '00000000-0000-7000-8000-000000000011', 'Severity 1: system unavailable (24x7)',
       '{"name":"Severity 1: system unavailable (24x7)","conditions":{"query_type_ids":[],"channels":[],"priorities":["urgent"],"customer":null},"first_response":{"calendar_id":"00000000-0000-7000-8000-000000000001","unit":"calendar_minutes","amount":30},"resolution":{"calendar_id":"00000000-0000-7000-8000-000000000001","unit":"calendar_hours","amount":4},"due_soon":{"percent":50}}', 0, 1, now(), now()
FROM tenants;
INSERT INTO sla_policies (tenant_id, id, name, definition, position, version, created_at, updated_at)
SELECT id, '00000000-0000-7000-8000-000000000012', 'Other severities: office hours',
       '{"name":"Other severities: office hours","conditions":{"query_type_ids":[],"channels":[],"priorities":[],"customer":null},"first_response":{"calendar_id":"00000000-0000-7000-8000-000000000002","unit":"working_days","amount":1},"resolution":{"calendar_id":"00000000-0000-7000-8000-000000000002","unit":"working_days","amount":20},"due_soon":{"percent":75}}', 1, 1, now(), now()
FROM tenants;
