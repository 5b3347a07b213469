-- Break-glass accounts (issue 4, item 6): a tenant can limit password sign-in to local
-- identities marked break-glass (everyone else signs in with Entra ID). Each tenant's first
-- administrator is created break-glass, so there is always a way in.
ALTER TABLE identities ADD COLUMN break_glass boolean NOT NULL DEFAULT false;
ALTER TABLE tenant_settings ADD COLUMN local_sign_in text NOT NULL DEFAULT 'everyone'
    CHECK (local_sign_in IN ('everyone', 'break_glass_only'));

-- Timelines hide events about queries the viewer may not see by asking for the tenant's
-- restricted queries once (few), rather than looking up every event's query.
CREATE INDEX queries_restricted ON queries (tenant_id) WHERE restricted;
