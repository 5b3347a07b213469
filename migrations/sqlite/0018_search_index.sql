-- Nothing to do on SQLite. PostgreSQL's 0018 moves its search vectors to tables outside
-- row-level security so a search can use its index under the policies; SQLite has no
-- row-level security, and its FTS5 tables (0007) already serve searches by index.
SELECT 1;
