-- Who is asking, in one round trip: every authenticated request starts here, and asking for
-- the session, tenant, user and grants in turn cost eight round trips (four transactions).
-- The session is found by its token hash (sessions are not tenant-scoped: this is how a
-- request learns its tenant); the tenant is then set for the rest of this statement's
-- transaction, so the user and grant reads are bound by the row-level policies like every
-- other tenant read. The last-seen time is refreshed when it is older than `touch_before`,
-- guarded so that of concurrent requests one writes (a caller that must not count as activity
-- passes a `touch_before` older than any session).
CREATE FUNCTION session_principal(token bytea, now timestamptz, idle_cutoff timestamptz, touch_before timestamptz)
RETURNS TABLE (
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
     WHERE s.token_hash = token AND s.expires_at > now AND s.last_seen_at > idle_cutoff;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF found_session.last_seen_at < touch_before THEN
        UPDATE sessions s SET last_seen_at = now WHERE s.token_hash = token AND s.last_seen_at < touch_before;
        found_session.last_seen_at := now;
    END IF;
    PERFORM set_config('app.tenant_id', found_session.tenant_id::text, true);
    RETURN QUERY
    SELECT found_session.created_at, found_session.expires_at, found_session.last_seen_at,
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
