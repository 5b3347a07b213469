-- Nothing to do on PostgreSQL: its time columns already have these names (`created_at`, a
-- timestamptz). SQLite's 0020 renames its `*_us` columns to match, so one SQL text serves both.
SELECT 1;
