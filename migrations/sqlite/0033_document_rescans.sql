-- Rescans; see the PostgreSQL migration of the same name.
CREATE INDEX documents_by_scan ON documents (tenant_id, scanned_at, id)
    WHERE wrapped_key IS NOT NULL AND scan_state = 'clean';

-- SQLite cannot change a CHECK in place: the table is built again with the wider one.
CREATE TABLE notifications_widened (
    tenant_id     BLOB NOT NULL,
    id            BLOB NOT NULL CHECK (length(id) = 16),
    recipient_id  BLOB NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('assigned', 'shared', 'due_soon', 'overdue', 'escalated', 'digest',
                                                'document_quarantined')),
    subject_kind  TEXT NOT NULL CHECK (subject_kind IN ('query', 'customer', 'team')),
    subject_id    BLOB NOT NULL,
    message       TEXT,
    sender_id     BLOB,
    created_at    INTEGER NOT NULL,
    read_at       INTEGER,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, recipient_id) REFERENCES users (tenant_id, id)
) STRICT;
INSERT INTO notifications_widened (tenant_id, id, recipient_id, kind, subject_kind, subject_id, message, sender_id,
    created_at, read_at)
SELECT tenant_id, id, recipient_id, kind, subject_kind, subject_id, message, sender_id, created_at, read_at
FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_widened RENAME TO notifications;
CREATE INDEX notifications_by_recipient ON notifications (tenant_id, recipient_id, id);
