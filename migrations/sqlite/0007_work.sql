-- Working queries; see the PostgreSQL migration of the same name for the design. SQLite cannot
-- add a composite foreign key to an existing table, so the new references on queries are
-- checked by the repository inside each write's transaction instead.

CREATE TABLE query_types (
    tenant_id     BLOB NOT NULL REFERENCES tenants (id),
    id            BLOB NOT NULL CHECK (length(id) = 16),
    parent_id     BLOB,
    name          TEXT NOT NULL,
    active        INTEGER NOT NULL,
    version       INTEGER NOT NULL,
    created_at_us INTEGER NOT NULL,
    updated_at_us INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, parent_id) REFERENCES query_types (tenant_id, id)
) STRICT;
CREATE UNIQUE INDEX query_types_name_unique
    ON query_types (tenant_id, ifnull(parent_id, x''), lower(name));

CREATE TABLE teams (
    tenant_id     BLOB NOT NULL REFERENCES tenants (id),
    id            BLOB NOT NULL CHECK (length(id) = 16),
    name          TEXT NOT NULL,
    version       INTEGER NOT NULL,
    created_at_us INTEGER NOT NULL,
    updated_at_us INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT;
CREATE UNIQUE INDEX teams_name_unique ON teams (tenant_id, lower(name));

CREATE TABLE team_members (
    tenant_id BLOB NOT NULL,
    team_id   BLOB NOT NULL,
    user_id   BLOB NOT NULL,
    position  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, team_id, user_id),
    FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
) STRICT;
CREATE INDEX team_members_by_user ON team_members (tenant_id, user_id);

ALTER TABLE queries ADD COLUMN type_id BLOB;
ALTER TABLE queries ADD COLUMN assignee_id BLOB;
ALTER TABLE queries ADD COLUMN team_id BLOB;
ALTER TABLE queries ADD COLUMN is_open INTEGER NOT NULL DEFAULT 1;
ALTER TABLE queries ADD COLUMN search_document TEXT NOT NULL DEFAULT '';

UPDATE queries SET is_open = (
    SELECT s.category NOT IN ('resolved', 'closed') FROM query_statuses s
    WHERE s.tenant_id = queries.tenant_id AND s.id = queries.status_id
);

CREATE INDEX queries_by_assignee ON queries (tenant_id, assignee_id, is_open, received_at_us, id) WHERE deleted_at_us IS NULL;
CREATE INDEX queries_by_team ON queries (tenant_id, team_id, is_open, received_at_us, id) WHERE deleted_at_us IS NULL;
CREATE INDEX queries_by_open ON queries (tenant_id, is_open, received_at_us, id) WHERE deleted_at_us IS NULL;
CREATE INDEX queries_by_updated ON queries (tenant_id, updated_at_us, id);
CREATE INDEX queries_by_type ON queries (tenant_id, type_id, id);

-- The search index holds each query's document under the query's rowid; the repository
-- writes it in the same transaction as the query.
CREATE VIRTUAL TABLE queries_fts USING fts5 (document, tokenize = 'unicode61 remove_diacritics 0');

ALTER TABLE customers ADD COLUMN search_document TEXT NOT NULL DEFAULT '';
CREATE VIRTUAL TABLE customers_fts USING fts5 (document, tokenize = 'unicode61 remove_diacritics 0');

CREATE TABLE query_notes (
    tenant_id      BLOB NOT NULL,
    id             BLOB NOT NULL CHECK (length(id) = 16),
    query_id       BLOB NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('note', 'contact')),
    direction      TEXT CHECK (direction IN ('inbound', 'outbound')),
    channel        TEXT CHECK (channel IN ('email', 'phone', 'post', 'despatch_box', 'in_person', 'web_form')),
    occurred_at_us INTEGER NOT NULL,
    body           TEXT NOT NULL,
    author_id      BLOB,
    created_at_us  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, query_id) REFERENCES queries (tenant_id, id),
    CHECK ((kind = 'contact') = (direction IS NOT NULL AND channel IS NOT NULL))
) STRICT;
CREATE INDEX query_notes_by_query ON query_notes (tenant_id, query_id, occurred_at_us, id);

CREATE TABLE notifications (
    tenant_id     BLOB NOT NULL,
    id            BLOB NOT NULL CHECK (length(id) = 16),
    recipient_id  BLOB NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('assigned', 'shared')),
    subject_kind  TEXT NOT NULL CHECK (subject_kind IN ('query', 'customer')),
    subject_id    BLOB NOT NULL,
    message       TEXT,
    sender_id     BLOB,
    created_at_us INTEGER NOT NULL,
    read_at_us    INTEGER,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, recipient_id) REFERENCES users (tenant_id, id)
) STRICT;
CREATE INDEX notifications_by_recipient ON notifications (tenant_id, recipient_id, id);
