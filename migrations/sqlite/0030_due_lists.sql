-- Queues sorted and filtered by due time and by breach (issue 15, item 7); see the
-- PostgreSQL migration of the same name. `due_order` is computed when read (SQLite adds only
-- virtual generated columns to an existing table) and stored in the indexes that use it.
ALTER TABLE queries ADD COLUMN due_soon_at INTEGER;
ALTER TABLE queries ADD COLUMN breached_at INTEGER;
ALTER TABLE queries ADD COLUMN due_order INTEGER GENERATED ALWAYS AS (COALESCE(due_at, 253402214400000000)) VIRTUAL;

UPDATE queries SET
    due_soon_at = (SELECT min(c.due_soon_at) FROM query_clocks c
                   WHERE c.tenant_id = queries.tenant_id AND c.query_id = queries.id
                     AND c.paused_at IS NULL AND c.stopped_at IS NULL),
    breached_at = (SELECT min(COALESCE(c.breached_at, CASE WHEN c.paused_at IS NULL AND c.stopped_at IS NULL
                                  AND c.due_at <= CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)
                                  THEN c.due_at END))
                   FROM query_clocks c WHERE c.tenant_id = queries.tenant_id AND c.query_id = queries.id)
WHERE EXISTS (SELECT 1 FROM query_clocks c WHERE c.tenant_id = queries.tenant_id AND c.query_id = queries.id);

CREATE INDEX queries_by_team_due ON queries (tenant_id, team_id, is_open, due_order, id) WHERE deleted_at IS NULL;
CREATE INDEX queries_by_assignee_due ON queries (tenant_id, assignee_id, is_open, due_order, id)
    WHERE deleted_at IS NULL;
CREATE INDEX queries_by_open_due ON queries (tenant_id, is_open, due_order, id) WHERE deleted_at IS NULL;
-- Everything due before a time (overdue, due soon), whether or not the list says "open".
CREATE INDEX queries_by_due ON queries (tenant_id, due_order, id) WHERE deleted_at IS NULL;
