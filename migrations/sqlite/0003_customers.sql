-- Customers (FR-001); see the PostgreSQL migration of the same name for the design.
-- Conventions as in 0001: BLOB ids, INTEGER microsecond times (*_us), INTEGER booleans.

CREATE TABLE customers (
    tenant_id          BLOB NOT NULL REFERENCES tenants (id),
    id                 BLOB NOT NULL CHECK (length(id) = 16),
    title              TEXT,
    given_name         TEXT NOT NULL,
    family_name        TEXT NOT NULL,
    organisation       TEXT,
    emails             TEXT NOT NULL,
    phones             TEXT NOT NULL,
    address_lines      TEXT,
    town               TEXT,
    postcode           TEXT,
    postcode_compact   TEXT,
    country            TEXT,
    preferred_channel  TEXT CHECK (preferred_channel IN ('email', 'phone', 'post')),
    contact_needs      TEXT,
    notes              TEXT,
    consent_feedback_surveys INTEGER NOT NULL,
    consent_updates_by_email INTEGER NOT NULL,
    version            INTEGER NOT NULL,
    created_at_us      INTEGER NOT NULL,
    updated_at_us      INTEGER NOT NULL,
    deleted_at_us      INTEGER,
    merged_into        BLOB,
    PRIMARY KEY (tenant_id, id)
) STRICT;
CREATE INDEX customers_by_postcode ON customers (tenant_id, postcode_compact);
CREATE INDEX customers_by_updated ON customers (tenant_id, updated_at_us, id);

CREATE TABLE customer_contacts (
    tenant_id   BLOB NOT NULL,
    customer_id BLOB NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('email', 'phone')),
    value       TEXT NOT NULL,
    PRIMARY KEY (tenant_id, customer_id, kind, value),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
) STRICT;
CREATE INDEX customer_contacts_by_value ON customer_contacts (tenant_id, kind, value);
