-- Takes a tenant's next query reference in one statement, run on its own (autocommit), so
-- concurrent creates hold the counter row only for this statement, not until each create
-- commits (issue 13). Its commit does not wait for the disk: the create that stores the
-- reference commits durably after it, and the log is flushed in order, so a crash can only
-- hand out again references that no stored query holds (docs/decisions.md, "Queries").
CREATE FUNCTION take_query_reference(tenant uuid) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    taken bigint;
BEGIN
    -- Both settings last until this statement's own transaction ends.
    PERFORM set_config('app.tenant_id', tenant::text, true);
    PERFORM set_config('synchronous_commit', 'off', true);
    INSERT INTO tenant_counters (tenant_id, name, value) VALUES (tenant, 'query_reference', 1)
    ON CONFLICT (tenant_id, name) DO UPDATE SET value = tenant_counters.value + 1
    RETURNING value INTO taken;
    RETURN taken;
END
$$;
