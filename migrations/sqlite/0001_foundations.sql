-- Foundations: tenants, users and identities, groups and grants, sessions, the audit chain.
-- Every tenant-owned table leads its keys and indexes with tenant_id (SEC-04).
--
-- Storage conventions for SQLite (kept for every later migration):
--   * ids (UUIDv7) are 16-byte BLOBs, checked by length; they sort like PostgreSQL's uuid.
--   * times are INTEGER microseconds since the Unix epoch, UTC, in columns ending `_us`;
--     they round-trip exactly and sort like timestamptz.
--   * booleans are INTEGER 0/1.

CREATE TABLE tenants (
    id            BLOB PRIMARY KEY CHECK (length(id) = 16),
    slug          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    created_at_us INTEGER NOT NULL,
    updated_at_us INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
    tenant_id     BLOB NOT NULL REFERENCES tenants (id),
    id            BLOB NOT NULL CHECK (length(id) = 16),
    email         TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
    version       INTEGER NOT NULL,
    created_at_us INTEGER NOT NULL,
    updated_at_us INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT users_email_unique UNIQUE (tenant_id, email)
) STRICT;

CREATE TABLE identities (
    tenant_id     BLOB NOT NULL,
    provider      TEXT NOT NULL,
    subject       TEXT NOT NULL,
    user_id       BLOB NOT NULL,
    password_hash TEXT,
    created_at_us INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, provider, subject),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
) STRICT;
CREATE INDEX identities_by_user ON identities (tenant_id, user_id);

CREATE TABLE groups (
    tenant_id     BLOB NOT NULL REFERENCES tenants (id),
    id            BLOB NOT NULL CHECK (length(id) = 16),
    name          TEXT NOT NULL,
    description   TEXT NOT NULL,
    builtin       INTEGER NOT NULL,
    version       INTEGER NOT NULL,
    created_at_us INTEGER NOT NULL,
    updated_at_us INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT groups_name_unique UNIQUE (tenant_id, name)
) STRICT;

CREATE TABLE group_members (
    tenant_id     BLOB NOT NULL,
    group_id      BLOB NOT NULL,
    user_id       BLOB NOT NULL,
    created_at_us INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, group_id, user_id),
    FOREIGN KEY (tenant_id, group_id) REFERENCES groups (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
) STRICT;
CREATE INDEX group_members_by_user ON group_members (tenant_id, user_id);

CREATE TABLE grants (
    tenant_id     BLOB NOT NULL REFERENCES tenants (id),
    id            BLOB NOT NULL CHECK (length(id) = 16),
    user_id       BLOB,
    group_id      BLOB,
    area          TEXT NOT NULL,
    level         TEXT NOT NULL CHECK (level IN ('none', 'read', 'read_write', 'full')),
    created_at_us INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CHECK ((user_id IS NULL) <> (group_id IS NULL)),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, group_id) REFERENCES groups (tenant_id, id)
) STRICT;
CREATE INDEX grants_by_user ON grants (tenant_id, user_id);
CREATE INDEX grants_by_group ON grants (tenant_id, group_id);

CREATE TABLE sessions (
    token_hash      BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
    tenant_id       BLOB NOT NULL,
    user_id         BLOB NOT NULL,
    created_at_us   INTEGER NOT NULL,
    last_seen_at_us INTEGER NOT NULL,
    expires_at_us   INTEGER NOT NULL,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
) STRICT;
CREATE INDEX sessions_by_user ON sessions (tenant_id, user_id);

CREATE TABLE audit_entries (
    tenant_id    BLOB NOT NULL REFERENCES tenants (id),
    seq          INTEGER NOT NULL,
    at_us        INTEGER NOT NULL,
    actor_kind   TEXT NOT NULL,
    actor_id     BLOB,
    action       TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id   BLOB NOT NULL,
    payload      TEXT,
    payload_hash BLOB NOT NULL,
    prev_hash    BLOB NOT NULL,
    hash         BLOB NOT NULL,
    PRIMARY KEY (tenant_id, seq)
) STRICT;
CREATE INDEX audit_entries_by_subject ON audit_entries (tenant_id, subject_kind, subject_id);

CREATE TABLE audit_heads (
    tenant_id BLOB PRIMARY KEY REFERENCES tenants (id),
    seq       INTEGER NOT NULL,
    hash      BLOB NOT NULL
) STRICT;
