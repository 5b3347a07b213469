-- Alerts, digests and escalation; see the PostgreSQL migration of the same name.
ALTER TABLE query_clocks ADD COLUMN alert_at INTEGER;
UPDATE query_clocks SET alert_at = due_soon_at WHERE paused_at IS NULL AND stopped_at IS NULL;
CREATE INDEX query_clocks_by_alert ON query_clocks (tenant_id, alert_at) WHERE alert_at IS NOT NULL;

CREATE TABLE sla_alerts (
    tenant_id BLOB NOT NULL,
    query_id  BLOB NOT NULL,
    clock     TEXT NOT NULL CHECK (clock IN ('first_response', 'resolution')),
    kind      TEXT NOT NULL CHECK (kind IN ('due_soon', 'overdue')),
    due_at    INTEGER NOT NULL,
    sent_at   INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, query_id, clock, kind),
    FOREIGN KEY (tenant_id, query_id) REFERENCES queries (tenant_id, id)
) STRICT;

CREATE TABLE sla_digests (
    tenant_id BLOB NOT NULL,
    team_id   BLOB NOT NULL,
    day       TEXT NOT NULL,
    sent_at   INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, team_id, day),
    FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id)
) STRICT;

-- SQLite cannot change a CHECK in place: the table is built again with the wider ones.
CREATE TABLE notifications_widened (
    tenant_id     BLOB NOT NULL,
    id            BLOB NOT NULL CHECK (length(id) = 16),
    recipient_id  BLOB NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('assigned', 'shared', 'due_soon', 'overdue', 'escalated', 'digest')),
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
