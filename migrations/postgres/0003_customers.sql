-- Customers (FR-001). Searchable fields are plain columns; emails and phones are kept in
-- order on the row (JSON arrays) and indexed one per row in customer_contacts, which is what
-- duplicate detection (FR-020) looks them up by. Deletion and merging leave tombstones
-- (deleted_at, merged_into) so old links still resolve and exports see the change.

CREATE TABLE customers (
    tenant_id          uuid NOT NULL REFERENCES tenants (id),
    id                 uuid NOT NULL,
    title              text,
    given_name         text NOT NULL,
    family_name        text NOT NULL,
    organisation       text,
    emails             text NOT NULL,          -- JSON array, normalised, in the order given
    phones             text NOT NULL,          -- JSON array of E.164 numbers
    address_lines      text,                   -- JSON array, NULL when there is no address
    town               text,
    postcode           text,                   -- canonical UK form when country = 'GB'
    postcode_compact   text,                   -- without spaces, for search and duplicates
    country            text,
    preferred_channel  text CHECK (preferred_channel IN ('email', 'phone', 'post')),
    contact_needs      text,
    notes              text,
    consent_feedback_surveys boolean NOT NULL,
    consent_updates_by_email boolean NOT NULL,
    version            bigint NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    deleted_at         timestamptz,
    merged_into        uuid,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX customers_by_postcode ON customers (tenant_id, postcode_compact);
CREATE INDEX customers_by_updated ON customers (tenant_id, updated_at, id);

CREATE TABLE customer_contacts (
    tenant_id   uuid NOT NULL,
    customer_id uuid NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('email', 'phone')),
    value       text NOT NULL,
    PRIMARY KEY (tenant_id, customer_id, kind, value),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX customer_contacts_by_value ON customer_contacts (tenant_id, kind, value);

ALTER TABLE customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE customers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON customers
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE customer_contacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE customer_contacts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON customer_contacts
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
