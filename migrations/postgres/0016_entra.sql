-- Entra ID (issue 4, items 1, 3 and 5a).
-- The Entra directory (`tid`) that selects a tenant. Looked up before anyone is signed in, like
-- the slug, so it lives on `tenants`; the rest of the configuration is tenant data below.
ALTER TABLE tenants ADD COLUMN entra_directory_id text UNIQUE;

CREATE TABLE entra_settings (
    tenant_id     uuid PRIMARY KEY REFERENCES tenants (id),
    directory_id  text NOT NULL,
    client_id     text NOT NULL,
    -- Never returned by the API or written to the audit trail.
    client_secret text NOT NULL,
    redirect_url  text NOT NULL,
    -- The `aud` of access tokens integrators send as Authorization: Bearer.
    api_audience  text NOT NULL,
    version       bigint NOT NULL,
    updated_at    timestamptz NOT NULL
);
ALTER TABLE entra_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE entra_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON entra_settings
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- An Entra group object id or app role that confers membership of a Casedesk group.
CREATE TABLE entra_mappings (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL,
    claim      text NOT NULL CHECK (claim IN ('group', 'role')),
    value      text NOT NULL,
    group_id   uuid NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT entra_mappings_unique UNIQUE (tenant_id, claim, value, group_id),
    FOREIGN KEY (tenant_id, group_id) REFERENCES groups (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE entra_mappings ENABLE ROW LEVEL SECURITY;
ALTER TABLE entra_mappings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON entra_mappings
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- One identity per provider per user: two people in a directory can never be linked to one user.
CREATE UNIQUE INDEX identities_one_per_provider ON identities (tenant_id, user_id, provider);

-- Memberships that came from a mapping are replaced at every Entra sign-in; ones an
-- administrator gave by hand are left alone.
ALTER TABLE group_members ADD COLUMN from_entra boolean NOT NULL DEFAULT false;

-- Authorisation-code sign-ins under way: found by the hash of their `state` when the browser
-- comes back, used once. Like `sessions`, looked up before the tenant is known.
CREATE TABLE entra_sign_ins (
    state_hash    bytea PRIMARY KEY CHECK (length(state_hash) = 32),
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    nonce         text NOT NULL,
    pkce_verifier text NOT NULL,
    return_to     text NOT NULL,
    created_at    timestamptz NOT NULL
);
CREATE INDEX entra_sign_ins_by_age ON entra_sign_ins (created_at);
