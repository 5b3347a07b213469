-- Personal API tokens (FR-014 machine access): found by the SHA-256 of the secret, never the
-- secret itself. Like `sessions` they are looked up before the tenant is known (that is how a
-- request learns it), so they sit outside row-level security; every other read and write
-- names the tenant.
CREATE TABLE api_tokens (
    token_hash   bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    tenant_id    uuid NOT NULL,
    id           uuid NOT NULL,
    user_id      uuid NOT NULL,
    name         text NOT NULL,
    -- [{"area": …, "level": …}]: the most the token may do; the owner's own levels cap it.
    scopes       text NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX api_tokens_by_user ON api_tokens (tenant_id, user_id);

-- As session_principal (0010), for a bearer token: the live token, its tenant, its owner and
-- the owner's grants, in one round trip; last-used is refreshed at most once per `touch_before`.
CREATE FUNCTION api_token_principal(token bytea, now timestamptz, touch_before timestamptz)
RETURNS TABLE (
    token_id uuid, token_name text, token_scopes text, token_created_at timestamptz,
    token_expires_at timestamptz, token_last_used_at timestamptz,
    tenant_id uuid, tenant_slug text, tenant_name text, tenant_created_at timestamptz,
    user_id uuid, email text, display_name text, status text, version bigint,
    user_created_at timestamptz, user_updated_at timestamptz,
    grant_areas text[], grant_levels text[]
)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS $$
DECLARE
    found_token api_tokens%ROWTYPE;
BEGIN
    SELECT * INTO found_token FROM api_tokens a
     WHERE a.token_hash = token AND a.expires_at > now AND a.revoked_at IS NULL;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF found_token.last_used_at IS NULL OR found_token.last_used_at < touch_before THEN
        UPDATE api_tokens a SET last_used_at = now
         WHERE a.token_hash = token AND (a.last_used_at IS NULL OR a.last_used_at < touch_before);
        found_token.last_used_at := now;
    END IF;
    PERFORM set_config('app.tenant_id', found_token.tenant_id::text, true);
    RETURN QUERY
    SELECT found_token.id, found_token.name, found_token.scopes, found_token.created_at,
           found_token.expires_at, found_token.last_used_at,
           t.id, t.slug, t.name, t.created_at,
           u.id, u.email, u.display_name, u.status, u.version, u.created_at, u.updated_at,
           coalesce(g.areas, '{}'), coalesce(g.levels, '{}')
      FROM tenants t
      JOIN users u ON u.tenant_id = t.id AND u.id = found_token.user_id
      LEFT JOIN LATERAL (
          SELECT array_agg(gr.area) AS areas, array_agg(gr.level) AS levels FROM grants gr
           WHERE gr.tenant_id = t.id AND (gr.user_id = u.id OR gr.group_id IN (
               SELECT m.group_id FROM group_members m WHERE m.tenant_id = t.id AND m.user_id = u.id))
      ) g ON true
     WHERE t.id = found_token.tenant_id;
END
$$;
