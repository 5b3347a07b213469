-- Nothing to do on SQLite. PostgreSQL's 0022 indexes its search table in received order so a
-- search for a common word walks the work queue's order; SQLite searches through FTS5 (0007),
-- whose match list the work queue's own received-order index then orders.
SELECT 1;
