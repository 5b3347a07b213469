-- PostgreSQL adds row-level security here as a second tenant wall. SQLite has no such
-- feature; its one wall is the repositories' tenant filters. Kept so both backends share
-- migration names and numbers.
SELECT 1;
