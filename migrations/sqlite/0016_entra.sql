-- Entra ID (issue 4, items 1, 3 and 5a). See the PostgreSQL migration for the reasoning.
ALTER TABLE tenants ADD COLUMN entra_directory_id TEXT;
CREATE UNIQUE INDEX tenants_entra_directory ON tenants (entra_directory_id);

CREATE TABLE entra_settings (
    tenant_id     BLOB PRIMARY KEY REFERENCES tenants (id),
    directory_id  TEXT NOT NULL,
    client_id     TEXT NOT NULL,
    client_secret TEXT NOT NULL,
    redirect_url  TEXT NOT NULL,
    api_audience  TEXT NOT NULL,
    version       INTEGER NOT NULL,
    updated_at_us INTEGER NOT NULL
) STRICT;

CREATE TABLE entra_mappings (
    tenant_id     BLOB NOT NULL REFERENCES tenants (id),
    id            BLOB NOT NULL CHECK (length(id) = 16),
    claim         TEXT NOT NULL CHECK (claim IN ('group', 'role')),
    value         TEXT NOT NULL,
    group_id      BLOB NOT NULL,
    created_at_us INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT entra_mappings_unique UNIQUE (tenant_id, claim, value, group_id),
    FOREIGN KEY (tenant_id, group_id) REFERENCES groups (tenant_id, id) ON DELETE CASCADE
) STRICT;

CREATE UNIQUE INDEX identities_one_per_provider ON identities (tenant_id, user_id, provider);

ALTER TABLE group_members ADD COLUMN from_entra INTEGER NOT NULL DEFAULT 0;

CREATE TABLE entra_sign_ins (
    state_hash    BLOB PRIMARY KEY CHECK (length(state_hash) = 32),
    tenant_id     BLOB NOT NULL REFERENCES tenants (id),
    nonce         TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    return_to     TEXT NOT NULL,
    created_at_us INTEGER NOT NULL
) STRICT;
CREATE INDEX entra_sign_ins_by_age ON entra_sign_ins (created_at_us);
