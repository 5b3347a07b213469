-- Foundations: tenants, users and identities, groups and grants, sessions, the audit chain.
-- Every tenant-owned table leads its keys and indexes with tenant_id (SEC-04).
-- Ids are UUIDv7; times are timestamptz (microsecond precision).

CREATE TABLE tenants (
    id          uuid PRIMARY KEY,
    slug        text NOT NULL UNIQUE,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE users (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    id           uuid NOT NULL,
    email        text NOT NULL,
    display_name text NOT NULL,
    status       text NOT NULL CHECK (status IN ('active', 'disabled')),
    version      bigint NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT users_email_unique UNIQUE (tenant_id, email)
);

-- One person, many ways to sign in: provider 'local' (subject = email) or 'entra:<tid>'
-- (subject = oid), so a user created locally keeps their work when they first use Entra ID.
CREATE TABLE identities (
    tenant_id     uuid NOT NULL,
    provider      text NOT NULL,
    subject       text NOT NULL,
    user_id       uuid NOT NULL,
    password_hash text,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, provider, subject),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX identities_by_user ON identities (tenant_id, user_id);

CREATE TABLE groups (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL,
    name        text NOT NULL,
    description text NOT NULL,
    builtin     boolean NOT NULL,
    version     bigint NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT groups_name_unique UNIQUE (tenant_id, name)
);

CREATE TABLE group_members (
    tenant_id  uuid NOT NULL,
    group_id   uuid NOT NULL,
    user_id    uuid NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, group_id, user_id),
    FOREIGN KEY (tenant_id, group_id) REFERENCES groups (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX group_members_by_user ON group_members (tenant_id, user_id);

-- A grant goes to a user or to a group (exactly one of the two).
CREATE TABLE grants (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL,
    user_id    uuid,
    group_id   uuid,
    area       text NOT NULL,
    level      text NOT NULL CHECK (level IN ('none', 'read', 'read_write', 'full')),
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CHECK ((user_id IS NULL) <> (group_id IS NULL)),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, group_id) REFERENCES groups (tenant_id, id)
);
CREATE INDEX grants_by_user ON grants (tenant_id, user_id);
CREATE INDEX grants_by_group ON grants (tenant_id, group_id);

-- token_hash is SHA-256 of the cookie's random token; the token itself is never stored.
CREATE TABLE sessions (
    token_hash   bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    tenant_id    uuid NOT NULL,
    user_id      uuid NOT NULL,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX sessions_by_user ON sessions (tenant_id, user_id);

-- The audit chain: one sequence per tenant, each entry hashing the one before.
CREATE TABLE audit_entries (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    seq          bigint NOT NULL,
    at           timestamptz NOT NULL,
    actor_kind   text NOT NULL,
    actor_id     uuid,
    action       text NOT NULL,
    subject_kind text NOT NULL,
    subject_id   uuid NOT NULL,
    payload      text,            -- JSON; NULL once erased (SEC-15)
    payload_hash bytea NOT NULL,
    prev_hash    bytea NOT NULL,
    hash         bytea NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX audit_entries_by_subject ON audit_entries (tenant_id, subject_kind, subject_id);

-- The head of each tenant's chain; updating it first serialises concurrent writers.
CREATE TABLE audit_heads (
    tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
    seq       bigint NOT NULL,
    hash      bytea NOT NULL
);
