-- Documents against a customer or a query (issue 16). The blob, in object storage, holds
-- ciphertext only, under a random name. Its key is kept here only wrapped by the tenant's key
-- of `key_version`, and tenant keys only wrapped by the master key, which is never in the
-- database. Deleting a document clears `wrapped_key` first (crypto-shredding): the row stays
-- as a tombstone for the timeline and the audit, and no copy of the blob can be read again.

CREATE TABLE tenant_keys (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    version    integer NOT NULL CHECK (version > 0),
    wrapped    bytea NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, version)
);

CREATE TABLE documents (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    id              uuid NOT NULL,
    query_id        uuid,
    customer_id     uuid,
    name            text NOT NULL,
    content_type    text NOT NULL,
    size_bytes      bigint NOT NULL CHECK (size_bytes >= 0),
    sha256          bytea NOT NULL,
    blob_name       text NOT NULL,
    key_version     integer NOT NULL,
    wrapped_key     bytea,
    scan_state      text NOT NULL CHECK (scan_state IN ('clean', 'quarantined')),
    scanned_at      timestamptz NOT NULL,
    signature       text,
    version         bigint NOT NULL,
    created_by      uuid,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    deleted_at      timestamptz,
    deleted_by      uuid,
    deletion_reason text,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, query_id) REFERENCES queries (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
    FOREIGN KEY (tenant_id, key_version) REFERENCES tenant_keys (tenant_id, version),
    CHECK ((query_id IS NULL) <> (customer_id IS NULL)),
    CHECK ((deleted_at IS NULL) = (wrapped_key IS NOT NULL))
);
CREATE INDEX documents_of_query ON documents (tenant_id, query_id, created_at) WHERE query_id IS NOT NULL;
CREATE INDEX documents_of_customer ON documents (tenant_id, customer_id, created_at) WHERE customer_id IS NOT NULL;
CREATE INDEX documents_by_key ON documents (tenant_id, key_version) WHERE wrapped_key IS NOT NULL;

ALTER TABLE tenant_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_keys
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE documents FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON documents
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
