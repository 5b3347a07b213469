-- Documents against a customer or a query; see the PostgreSQL migration of the same name.
CREATE TABLE tenant_keys (
    tenant_id  BLOB NOT NULL REFERENCES tenants (id),
    version    INTEGER NOT NULL CHECK (version > 0),
    wrapped    BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, version)
) STRICT;

CREATE TABLE documents (
    tenant_id       BLOB NOT NULL REFERENCES tenants (id),
    id              BLOB NOT NULL CHECK (length(id) = 16),
    query_id        BLOB,
    customer_id     BLOB,
    name            TEXT NOT NULL,
    content_type    TEXT NOT NULL,
    size_bytes      INTEGER NOT NULL CHECK (size_bytes >= 0),
    sha256          BLOB NOT NULL,
    blob_name       TEXT NOT NULL,
    key_version     INTEGER NOT NULL,
    wrapped_key     BLOB,
    scan_state      TEXT NOT NULL CHECK (scan_state IN ('clean', 'quarantined')),
    scanned_at      INTEGER NOT NULL,
    signature       TEXT,
    version         INTEGER NOT NULL,
    created_by      BLOB,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    deleted_at      INTEGER,
    deleted_by      BLOB,
    deletion_reason TEXT,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, query_id) REFERENCES queries (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
    FOREIGN KEY (tenant_id, key_version) REFERENCES tenant_keys (tenant_id, version),
    CHECK ((query_id IS NULL) <> (customer_id IS NULL)),
    CHECK ((deleted_at IS NULL) = (wrapped_key IS NOT NULL))
) STRICT;
CREATE INDEX documents_of_query ON documents (tenant_id, query_id, created_at) WHERE query_id IS NOT NULL;
CREATE INDEX documents_of_customer ON documents (tenant_id, customer_id, created_at) WHERE customer_id IS NOT NULL;
CREATE INDEX documents_by_key ON documents (tenant_id, key_version) WHERE wrapped_key IS NOT NULL;
