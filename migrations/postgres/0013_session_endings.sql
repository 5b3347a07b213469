-- Sessions end with a reason (SEC-14): signing in elsewhere, signing out, an administrator,
-- the user being disabled. The row stays, marked, until its absolute expiry, so the browser
-- whose session ended is told why on its next request instead of just "sign in". Each session
-- gets an id (administrators list and end sessions by id; the token hash never leaves the
-- server) and the address it signed in from.
ALTER TABLE sessions ADD COLUMN id uuid;
UPDATE sessions SET id = gen_random_uuid();
ALTER TABLE sessions ALTER COLUMN id SET NOT NULL;
CREATE UNIQUE INDEX sessions_by_id ON sessions (tenant_id, id);
ALTER TABLE sessions ADD COLUMN from_address text;
ALTER TABLE sessions ADD COLUMN ended_at timestamptz;
ALTER TABLE sessions ADD COLUMN end_reason text
    CHECK (end_reason IN ('signed_in_elsewhere', 'signed_out', 'ended_by_administrator', 'user_disabled'));

-- Per-tenant access settings. No row means the defaults.
CREATE TABLE tenant_settings (
    tenant_id   uuid PRIMARY KEY REFERENCES tenants (id),
    -- What a second interactive sign-in does while one is live: end the other (default) or be refused.
    one_session text NOT NULL CHECK (one_session IN ('end_others', 'refuse')),
    version     bigint NOT NULL,
    updated_at  timestamptz NOT NULL
);
ALTER TABLE tenant_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_settings
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- Only live sessions authenticate; the session's id and address come back too.
DROP FUNCTION session_principal(bytea, timestamptz, timestamptz, timestamptz);
CREATE FUNCTION session_principal(token bytea, now timestamptz, idle_cutoff timestamptz, touch_before timestamptz)
RETURNS TABLE (
    session_id uuid, session_from_address text,
    session_created_at timestamptz, session_expires_at timestamptz, session_last_seen_at timestamptz,
    tenant_id uuid, tenant_slug text, tenant_name text, tenant_created_at timestamptz,
    user_id uuid, email text, display_name text, status text, version bigint,
    user_created_at timestamptz, user_updated_at timestamptz,
    grant_areas text[], grant_levels text[]
)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS $$
DECLARE
    found_session sessions%ROWTYPE;
BEGIN
    SELECT * INTO found_session FROM sessions s
     WHERE s.token_hash = token AND s.ended_at IS NULL AND s.expires_at > now AND s.last_seen_at > idle_cutoff;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF found_session.last_seen_at < touch_before THEN
        UPDATE sessions s SET last_seen_at = now WHERE s.token_hash = token AND s.last_seen_at < touch_before;
        found_session.last_seen_at := now;
    END IF;
    PERFORM set_config('app.tenant_id', found_session.tenant_id::text, true);
    RETURN QUERY
    SELECT found_session.id, found_session.from_address,
           found_session.created_at, found_session.expires_at, found_session.last_seen_at,
           t.id, t.slug, t.name, t.created_at,
           u.id, u.email, u.display_name, u.status, u.version, u.created_at, u.updated_at,
           coalesce(g.areas, '{}'), coalesce(g.levels, '{}')
      FROM tenants t
      JOIN users u ON u.tenant_id = t.id AND u.id = found_session.user_id
      LEFT JOIN LATERAL (
          SELECT array_agg(gr.area) AS areas, array_agg(gr.level) AS levels FROM grants gr
           WHERE gr.tenant_id = t.id AND (gr.user_id = u.id OR gr.group_id IN (
               SELECT m.group_id FROM group_members m WHERE m.tenant_id = t.id AND m.user_id = u.id))
      ) g ON true
     WHERE t.id = found_session.tenant_id;
END
$$;
