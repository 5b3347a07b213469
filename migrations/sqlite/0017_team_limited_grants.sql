-- Grants limited to the holder's teams' queries (issue 4, item 2). See the PostgreSQL migration.
ALTER TABLE grants ADD COLUMN own_teams INTEGER NOT NULL DEFAULT 0 CHECK (NOT own_teams OR area = 'queries');
