-- A team's leaders; see the PostgreSQL migration of the same name.
ALTER TABLE team_members ADD COLUMN leader INTEGER NOT NULL DEFAULT 0 CHECK (leader IN (0, 1));
