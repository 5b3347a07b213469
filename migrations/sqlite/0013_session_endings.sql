-- Sessions end with a reason (SEC-14); the row stays, marked, until its absolute expiry, so
-- the browser whose session ended is told why. Each session gets an id and the address it
-- signed in from.
ALTER TABLE sessions ADD COLUMN id BLOB;
UPDATE sessions SET id = randomblob(16);
CREATE UNIQUE INDEX sessions_by_id ON sessions (tenant_id, id);
ALTER TABLE sessions ADD COLUMN from_address TEXT;
ALTER TABLE sessions ADD COLUMN ended_at_us INTEGER;
ALTER TABLE sessions ADD COLUMN end_reason TEXT
    CHECK (end_reason IN ('signed_in_elsewhere', 'signed_out', 'ended_by_administrator', 'user_disabled'));

-- Per-tenant access settings. No row means the defaults.
CREATE TABLE tenant_settings (
    tenant_id     BLOB PRIMARY KEY REFERENCES tenants (id),
    one_session   TEXT NOT NULL CHECK (one_session IN ('end_others', 'refuse')),
    version       INTEGER NOT NULL,
    updated_at_us INTEGER NOT NULL
) STRICT;
