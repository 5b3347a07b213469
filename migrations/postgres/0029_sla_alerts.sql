-- Alerts for queries due soon or overdue, daily digests for team leaders, and escalation on
-- breach (issue 15, items 5 and 6).
--
-- `query_clocks.alert_at` is when the alert sweep should next look at a counting clock: its
-- due-soon time until that alert is sent, then its due time, then nothing. The sweep reads
-- clocks through a partial index on it, so its cost follows the alerts due, not the clocks held.
-- `sla_alerts` is the ledger that makes each alert happen once: one row per clock and kind of
-- alert (with the due time it was about), written in the transaction that delivers the alert,
-- so a second process (or a retry after a crash) finds the row and delivers nothing.
ALTER TABLE query_clocks ADD COLUMN alert_at timestamptz;
UPDATE query_clocks SET alert_at = due_soon_at WHERE paused_at IS NULL AND stopped_at IS NULL;
CREATE INDEX query_clocks_by_alert ON query_clocks (tenant_id, alert_at) WHERE alert_at IS NOT NULL;

CREATE TABLE sla_alerts (
    tenant_id uuid NOT NULL,
    query_id  uuid NOT NULL,
    clock     text NOT NULL CHECK (clock IN ('first_response', 'resolution')),
    kind      text NOT NULL CHECK (kind IN ('due_soon', 'overdue')),
    due_at    timestamptz NOT NULL,
    sent_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, query_id, clock, kind),
    FOREIGN KEY (tenant_id, query_id) REFERENCES queries (tenant_id, id)
);

-- One digest per team and day (`2026-12-04`, UK date), whichever process sends it.
CREATE TABLE sla_digests (
    tenant_id uuid NOT NULL,
    team_id   uuid NOT NULL,
    day       text NOT NULL,
    sent_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, team_id, day),
    FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id)
);

-- The new kinds of notification, and a team as what a digest is about.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('assigned', 'shared', 'due_soon', 'overdue', 'escalated', 'digest'));
ALTER TABLE notifications DROP CONSTRAINT notifications_subject_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_subject_kind_check
    CHECK (subject_kind IN ('query', 'customer', 'team'));

ALTER TABLE sla_alerts ENABLE ROW LEVEL SECURITY;
ALTER TABLE sla_alerts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sla_alerts
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE sla_digests ENABLE ROW LEVEL SECURITY;
ALTER TABLE sla_digests FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sla_digests
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
