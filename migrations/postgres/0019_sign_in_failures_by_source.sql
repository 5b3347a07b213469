-- Sign-in defences, second form (issue 12): wrong passwords are counted per account and source
-- (an IPv4 address or an IPv6 /64), so guesses from one place never lock the account for
-- another. Replaces the per-identity count of 0011, whose columns stay unused (forward-only).
CREATE TABLE sign_in_failures (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    user_id      uuid NOT NULL,
    source       text NOT NULL,
    failures     integer NOT NULL CHECK (failures >= 0),
    -- Until when passwords from this source are not checked (throttled or locked), if at all.
    held_until   timestamptz,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, user_id, source),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE sign_in_failures ENABLE ROW LEVEL SECURITY;
ALTER TABLE sign_in_failures FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sign_in_failures
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

UPDATE identities SET failed_attempts = 0, locked_until = NULL WHERE failed_attempts > 0 OR locked_until IS NOT NULL;
