-- Searchable letters; see the PostgreSQL migration of the same name.
CREATE TABLE document_terms (
    tenant_id   BLOB NOT NULL REFERENCES tenants (id),
    term        BLOB NOT NULL CHECK (length(term) = 16),
    document_id BLOB NOT NULL,
    key_version INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, term, document_id),
    FOREIGN KEY (tenant_id, document_id) REFERENCES documents (tenant_id, id),
    FOREIGN KEY (tenant_id, key_version) REFERENCES tenant_keys (tenant_id, version)
) STRICT, WITHOUT ROWID;
CREATE INDEX document_terms_of_document ON document_terms (tenant_id, document_id);

ALTER TABLE documents ADD COLUMN text_read_at INTEGER;
CREATE INDEX documents_unread ON documents (tenant_id)
    WHERE text_read_at IS NULL AND wrapped_key IS NOT NULL AND scan_state = 'clean';
