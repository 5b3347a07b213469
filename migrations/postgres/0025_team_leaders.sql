-- A team's leaders (issue 14: a team leader's Home shows the team's workload). A leader is a
-- member with this mark, so leaving the team ends the role too.
ALTER TABLE team_members ADD COLUMN leader boolean NOT NULL DEFAULT false;
