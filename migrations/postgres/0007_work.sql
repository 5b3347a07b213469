-- Working queries (FR-003, FR-006, FR-007): a query-type taxonomy, teams, assignment to an
-- officer and/or a team, notes and contact records, in-app notifications, and full-text search.

CREATE TABLE query_types (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL,
    parent_id  uuid,
    name       text NOT NULL,
    active     boolean NOT NULL,
    version    bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, parent_id) REFERENCES query_types (tenant_id, id)
);
-- Sibling names are unique whatever their case; the all-zero id stands for "no parent".
CREATE UNIQUE INDEX query_types_name_unique
    ON query_types (tenant_id, COALESCE(parent_id, '00000000-0000-0000-0000-000000000000'), lower(name));

CREATE TABLE teams (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL,
    name       text NOT NULL,
    version    bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX teams_name_unique ON teams (tenant_id, lower(name));

CREATE TABLE team_members (
    tenant_id uuid NOT NULL,
    team_id   uuid NOT NULL,
    user_id   uuid NOT NULL,
    position  integer NOT NULL,
    PRIMARY KEY (tenant_id, team_id, user_id),
    FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX team_members_by_user ON team_members (tenant_id, user_id);

ALTER TABLE queries ADD COLUMN type_id uuid;
ALTER TABLE queries ADD COLUMN assignee_id uuid;
ALTER TABLE queries ADD COLUMN team_id uuid;
-- Denormalised from the status's category so open work queues use one index range.
ALTER TABLE queries ADD COLUMN is_open boolean NOT NULL DEFAULT true;
-- Words of the reference, subject, description and the customer's names, emails and postcode,
-- built by domain::search (the same tokeniser as SQLite's index).
ALTER TABLE queries ADD COLUMN search_document text NOT NULL DEFAULT '';
ALTER TABLE queries ADD COLUMN search tsvector
    GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_document)) STORED;
ALTER TABLE queries ADD FOREIGN KEY (tenant_id, type_id) REFERENCES query_types (tenant_id, id);
ALTER TABLE queries ADD FOREIGN KEY (tenant_id, assignee_id) REFERENCES users (tenant_id, id);
ALTER TABLE queries ADD FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id);

UPDATE queries q SET is_open = s.category NOT IN ('resolved', 'closed')
FROM query_statuses s WHERE s.tenant_id = q.tenant_id AND s.id = q.status_id;

CREATE INDEX queries_search ON queries USING gin (search);
CREATE INDEX queries_by_assignee ON queries (tenant_id, assignee_id, is_open, received_at, id) WHERE deleted_at IS NULL;
CREATE INDEX queries_by_team ON queries (tenant_id, team_id, is_open, received_at, id) WHERE deleted_at IS NULL;
CREATE INDEX queries_by_open ON queries (tenant_id, is_open, received_at, id) WHERE deleted_at IS NULL;
CREATE INDEX queries_by_updated ON queries (tenant_id, updated_at, id);
CREATE INDEX queries_by_type ON queries (tenant_id, type_id, id);

ALTER TABLE customers ADD COLUMN search_document text NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN search tsvector
    GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_document)) STORED;
CREATE INDEX customers_search ON customers USING gin (search);

CREATE TABLE query_notes (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    query_id    uuid NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('note', 'contact')),
    direction   text CHECK (direction IN ('inbound', 'outbound')),
    channel     text CHECK (channel IN ('email', 'phone', 'post', 'despatch_box', 'in_person', 'web_form')),
    occurred_at timestamptz NOT NULL,
    body        text NOT NULL,
    author_id   uuid,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, query_id) REFERENCES queries (tenant_id, id),
    CHECK ((kind = 'contact') = (direction IS NOT NULL AND channel IS NOT NULL))
);
CREATE INDEX query_notes_by_query ON query_notes (tenant_id, query_id, occurred_at, id);

CREATE TABLE notifications (
    tenant_id    uuid NOT NULL,
    id           uuid NOT NULL,
    recipient_id uuid NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('assigned', 'shared')),
    subject_kind text NOT NULL CHECK (subject_kind IN ('query', 'customer')),
    subject_id   uuid NOT NULL,
    message      text,
    sender_id    uuid,
    created_at   timestamptz NOT NULL,
    read_at      timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, recipient_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX notifications_by_recipient ON notifications (tenant_id, recipient_id, id);

ALTER TABLE query_types ENABLE ROW LEVEL SECURITY;
ALTER TABLE query_types FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON query_types
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE teams ENABLE ROW LEVEL SECURITY;
ALTER TABLE teams FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON teams
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE team_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE team_members FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON team_members
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE query_notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE query_notes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON query_notes
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE notifications FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notifications
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
