-- Personal API tokens (FR-014 machine access): found by the SHA-256 of the secret, never the
-- secret itself.
CREATE TABLE api_tokens (
    token_hash      BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
    tenant_id       BLOB NOT NULL,
    id              BLOB NOT NULL CHECK (length(id) = 16),
    user_id         BLOB NOT NULL,
    name            TEXT NOT NULL,
    -- [{"area": …, "level": …}]: the most the token may do; the owner's own levels cap it.
    scopes          TEXT NOT NULL,
    created_at_us   INTEGER NOT NULL,
    expires_at_us   INTEGER NOT NULL,
    last_used_at_us INTEGER,
    revoked_at_us   INTEGER,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
) STRICT;
CREATE INDEX api_tokens_by_user ON api_tokens (tenant_id, user_id);
