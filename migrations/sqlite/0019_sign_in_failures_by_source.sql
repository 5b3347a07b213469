-- Sign-in defences, second form (issue 12): wrong passwords are counted per account and source
-- (an IPv4 address or an IPv6 /64), so guesses from one place never lock the account for
-- another. Replaces the per-identity count of 0011, whose columns stay unused (forward-only).
CREATE TABLE sign_in_failures (
    tenant_id     BLOB NOT NULL REFERENCES tenants (id),
    user_id       BLOB NOT NULL,
    source        TEXT NOT NULL,
    failures      INTEGER NOT NULL CHECK (failures >= 0),
    -- Until when passwords from this source are not checked (throttled or locked), if at all.
    held_until_us INTEGER,
    updated_at_us INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, user_id, source),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
) STRICT;

UPDATE identities SET failed_attempts = 0, locked_until_us = NULL WHERE failed_attempts > 0 OR locked_until_us IS NOT NULL;
