-- The records each officer opened last; see the PostgreSQL migration of the same name.
CREATE TABLE recently_viewed (
    tenant_id    BLOB NOT NULL REFERENCES tenants (id),
    user_id      BLOB NOT NULL,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('query', 'customer')),
    subject_id   BLOB NOT NULL CHECK (length(subject_id) = 16),
    viewed_at    INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, user_id, subject_kind, subject_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
) STRICT;
CREATE INDEX recently_viewed_newest ON recently_viewed (tenant_id, user_id, viewed_at DESC);
