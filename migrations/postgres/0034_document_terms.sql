-- Searchable letters (issue 16, item 6). A background job reads each document's text and keeps
-- its distinct words only as keyed hashes (files::terms), under the tenant key version they were
-- made with. Deleting a document deletes its terms in the same transaction as its key.
-- `text_read_at` marks a document whose text has been read; documents stored before this
-- release are queued for reading after migrating (storage::sql::backfill, as the application's
-- own role, which row-level security binds).

CREATE TABLE document_terms (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    term        bytea NOT NULL CHECK (length(term) = 16),
    document_id uuid NOT NULL,
    key_version integer NOT NULL,
    PRIMARY KEY (tenant_id, term, document_id),
    FOREIGN KEY (tenant_id, document_id) REFERENCES documents (tenant_id, id),
    FOREIGN KEY (tenant_id, key_version) REFERENCES tenant_keys (tenant_id, version)
);
CREATE INDEX document_terms_of_document ON document_terms (tenant_id, document_id);

ALTER TABLE document_terms ENABLE ROW LEVEL SECURITY;
ALTER TABLE document_terms FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON document_terms
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE documents ADD COLUMN text_read_at timestamptz;
CREATE INDEX documents_unread ON documents (tenant_id)
    WHERE text_read_at IS NULL AND wrapped_key IS NOT NULL AND scan_state = 'clean';
