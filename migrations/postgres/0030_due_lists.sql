-- Queues sorted and filtered by due time and by breach (issue 15, item 7).
--
-- With `due_at` (0028), a query keeps the soonest "due soon" time of its counting clocks and
-- when one of its clocks was first breached, both written with the clocks. `due_order` is the
-- due time a list sorts by: a query no clock times has none, and sorts after every due time
-- (the end of 9999, as `domain::query_list::UNTIMED_MICROS`), so that a keyset cursor pages
-- through a total order on plain indexes.
ALTER TABLE queries
    ADD COLUMN due_soon_at timestamptz,
    ADD COLUMN breached_at timestamptz,
    ADD COLUMN due_order timestamptz NOT NULL
        GENERATED ALWAYS AS (COALESCE(due_at, '9999-12-31 00:00:00+00'::timestamptz)) STORED;

UPDATE queries q SET
    due_soon_at = (SELECT min(c.due_soon_at) FROM query_clocks c
                   WHERE c.tenant_id = q.tenant_id AND c.query_id = q.id
                     AND c.paused_at IS NULL AND c.stopped_at IS NULL),
    breached_at = (SELECT min(COALESCE(c.breached_at, CASE WHEN c.paused_at IS NULL AND c.stopped_at IS NULL
                                                                AND c.due_at <= now() THEN c.due_at END))
                   FROM query_clocks c WHERE c.tenant_id = q.tenant_id AND c.query_id = q.id)
WHERE EXISTS (SELECT 1 FROM query_clocks c WHERE c.tenant_id = q.tenant_id AND c.query_id = q.id);

-- The work queues of 0007, in due order.
CREATE INDEX queries_by_team_due ON queries (tenant_id, team_id, is_open, due_order, id) WHERE deleted_at IS NULL;
CREATE INDEX queries_by_assignee_due ON queries (tenant_id, assignee_id, is_open, due_order, id)
    WHERE deleted_at IS NULL;
CREATE INDEX queries_by_open_due ON queries (tenant_id, is_open, due_order, id) WHERE deleted_at IS NULL;
-- Everything due before a time (overdue, due soon), whether or not the list says "open".
CREATE INDEX queries_by_due ON queries (tenant_id, due_order, id) WHERE deleted_at IS NULL;
