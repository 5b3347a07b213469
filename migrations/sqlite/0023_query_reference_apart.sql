-- Nothing to do on SQLite. PostgreSQL's 0023 adds a function that takes a query reference in
-- a transaction of its own, so concurrent creates do not queue on the counter row; SQLite's
-- writers queue on the whole database anyway, and take the reference in the create's own
-- transaction (storage::sql::references).
SELECT 1;
