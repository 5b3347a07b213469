-- Break-glass accounts (issue 4, item 6): a tenant can limit password sign-in to local
-- identities marked break-glass. Each tenant's first administrator is created break-glass.
ALTER TABLE identities ADD COLUMN break_glass INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tenant_settings ADD COLUMN local_sign_in TEXT NOT NULL DEFAULT 'everyone'
    CHECK (local_sign_in IN ('everyone', 'break_glass_only'));

-- Timelines hide events about queries the viewer may not see by asking for the tenant's
-- restricted queries once (few), rather than looking up every event's query.
CREATE INDEX queries_restricted ON queries (tenant_id) WHERE restricted;
