-- Business calendars and a tenant's bank-holidays file; see the PostgreSQL migration of the
-- same name.
CREATE TABLE business_calendars (
    tenant_id  BLOB NOT NULL REFERENCES tenants (id),
    id         BLOB NOT NULL CHECK (length(id) = 16),
    name       TEXT NOT NULL,
    definition TEXT NOT NULL,
    version    INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT;
CREATE UNIQUE INDEX business_calendars_name_unique ON business_calendars (tenant_id, lower(name));

CREATE TABLE bank_holiday_files (
    tenant_id   BLOB PRIMARY KEY REFERENCES tenants (id),
    content     TEXT NOT NULL,
    version     INTEGER NOT NULL,
    uploaded_at INTEGER NOT NULL
) STRICT;
