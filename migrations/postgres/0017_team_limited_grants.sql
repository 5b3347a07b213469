-- Grants limited to the holder's teams' queries (issue 4, item 2): such a grant gives its level
-- only over queries of a team the holder is in (or assigned to them). The principal functions
-- return the flag beside each grant.
ALTER TABLE grants ADD COLUMN own_teams boolean NOT NULL DEFAULT false;
ALTER TABLE grants ADD CONSTRAINT grants_own_teams_queries_only CHECK (NOT own_teams OR area = 'queries');

DROP FUNCTION session_principal(bytea, timestamptz, timestamptz, timestamptz);
CREATE FUNCTION session_principal(token bytea, now timestamptz, idle_cutoff timestamptz, touch_before timestamptz)
RETURNS TABLE (
    session_id uuid, session_from_address text,
    session_created_at timestamptz, session_expires_at timestamptz, session_last_seen_at timestamptz,
    tenant_id uuid, tenant_slug text, tenant_name text, tenant_created_at timestamptz,
    user_id uuid, email text, display_name text, status text, version bigint,
    user_created_at timestamptz, user_updated_at timestamptz,
    grant_areas text[], grant_levels text[], grant_own_teams boolean[]
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
           coalesce(g.areas, '{}'), coalesce(g.levels, '{}'), coalesce(g.own_teams, '{}')
      FROM tenants t
      JOIN users u ON u.tenant_id = t.id AND u.id = found_session.user_id
      LEFT JOIN LATERAL (
          SELECT array_agg(gr.area) AS areas, array_agg(gr.level) AS levels, array_agg(gr.own_teams) AS own_teams
            FROM grants gr
           WHERE gr.tenant_id = t.id AND (gr.user_id = u.id OR gr.group_id IN (
               SELECT m.group_id FROM group_members m WHERE m.tenant_id = t.id AND m.user_id = u.id))
      ) g ON true
     WHERE t.id = found_session.tenant_id;
END
$$;

DROP FUNCTION api_token_principal(bytea, timestamptz, timestamptz);
CREATE FUNCTION api_token_principal(token bytea, now timestamptz, touch_before timestamptz)
RETURNS TABLE (
    token_id uuid, token_name text, token_scopes text, token_created_at timestamptz,
    token_expires_at timestamptz, token_last_used_at timestamptz,
    tenant_id uuid, tenant_slug text, tenant_name text, tenant_created_at timestamptz,
    user_id uuid, email text, display_name text, status text, version bigint,
    user_created_at timestamptz, user_updated_at timestamptz,
    grant_areas text[], grant_levels text[], grant_own_teams boolean[]
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
           coalesce(g.areas, '{}'), coalesce(g.levels, '{}'), coalesce(g.own_teams, '{}')
      FROM tenants t
      JOIN users u ON u.tenant_id = t.id AND u.id = found_token.user_id
      LEFT JOIN LATERAL (
          SELECT array_agg(gr.area) AS areas, array_agg(gr.level) AS levels, array_agg(gr.own_teams) AS own_teams
            FROM grants gr
           WHERE gr.tenant_id = t.id AND (gr.user_id = u.id OR gr.group_id IN (
               SELECT m.group_id FROM group_members m WHERE m.tenant_id = t.id AND m.user_id = u.id))
      ) g ON true
     WHERE t.id = found_token.tenant_id;
END
$$;
