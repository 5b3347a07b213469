-- Rescans (issue 16): a scheduled job re-checks stored documents against the scanner's current
-- signatures, oldest check first, and tells administrators when one is found infected.

CREATE INDEX documents_by_scan ON documents (tenant_id, scanned_at, id)
    WHERE wrapped_key IS NOT NULL AND scan_state = 'clean';

ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('assigned', 'shared', 'due_soon', 'overdue', 'escalated', 'digest', 'document_quarantined'));
