-- Time columns take the names they have on PostgreSQL (`created_at`, not `created_at_us`), so
-- one SQL text serves both backends (storage::sql). They still hold INTEGER microseconds since
-- the Unix epoch (UTC); the SQLite codec binds and reads them as such. RENAME COLUMN also
-- rewrites the indexes and triggers that name them.

ALTER TABLE api_tokens RENAME COLUMN created_at_us TO created_at;
ALTER TABLE api_tokens RENAME COLUMN expires_at_us TO expires_at;
ALTER TABLE api_tokens RENAME COLUMN last_used_at_us TO last_used_at;
ALTER TABLE api_tokens RENAME COLUMN revoked_at_us TO revoked_at;
ALTER TABLE audit_entries RENAME COLUMN at_us TO at;
ALTER TABLE customers RENAME COLUMN created_at_us TO created_at;
ALTER TABLE customers RENAME COLUMN updated_at_us TO updated_at;
ALTER TABLE customers RENAME COLUMN deleted_at_us TO deleted_at;
ALTER TABLE entra_mappings RENAME COLUMN created_at_us TO created_at;
ALTER TABLE entra_settings RENAME COLUMN updated_at_us TO updated_at;
ALTER TABLE entra_sign_ins RENAME COLUMN created_at_us TO created_at;
ALTER TABLE events RENAME COLUMN at_us TO at;
ALTER TABLE grants RENAME COLUMN created_at_us TO created_at;
ALTER TABLE group_members RENAME COLUMN created_at_us TO created_at;
ALTER TABLE groups RENAME COLUMN created_at_us TO created_at;
ALTER TABLE groups RENAME COLUMN updated_at_us TO updated_at;
ALTER TABLE idempotency_keys RENAME COLUMN created_at_us TO created_at;
ALTER TABLE identities RENAME COLUMN created_at_us TO created_at;
ALTER TABLE identities RENAME COLUMN locked_until_us TO locked_until;
ALTER TABLE notifications RENAME COLUMN created_at_us TO created_at;
ALTER TABLE notifications RENAME COLUMN read_at_us TO read_at;
ALTER TABLE queries RENAME COLUMN received_at_us TO received_at;
ALTER TABLE queries RENAME COLUMN created_at_us TO created_at;
ALTER TABLE queries RENAME COLUMN updated_at_us TO updated_at;
ALTER TABLE queries RENAME COLUMN deleted_at_us TO deleted_at;
ALTER TABLE query_notes RENAME COLUMN occurred_at_us TO occurred_at;
ALTER TABLE query_notes RENAME COLUMN created_at_us TO created_at;
ALTER TABLE query_parties RENAME COLUMN added_at_us TO added_at;
ALTER TABLE query_restrictions RENAME COLUMN created_at_us TO created_at;
ALTER TABLE query_status_transitions RENAME COLUMN at_us TO at;
ALTER TABLE query_statuses RENAME COLUMN created_at_us TO created_at;
ALTER TABLE query_types RENAME COLUMN created_at_us TO created_at;
ALTER TABLE query_types RENAME COLUMN updated_at_us TO updated_at;
ALTER TABLE saved_views RENAME COLUMN created_at_us TO created_at;
ALTER TABLE saved_views RENAME COLUMN updated_at_us TO updated_at;
ALTER TABLE sessions RENAME COLUMN created_at_us TO created_at;
ALTER TABLE sessions RENAME COLUMN last_seen_at_us TO last_seen_at;
ALTER TABLE sessions RENAME COLUMN expires_at_us TO expires_at;
ALTER TABLE sessions RENAME COLUMN ended_at_us TO ended_at;
ALTER TABLE sign_in_failures RENAME COLUMN held_until_us TO held_until;
ALTER TABLE sign_in_failures RENAME COLUMN updated_at_us TO updated_at;
ALTER TABLE teams RENAME COLUMN created_at_us TO created_at;
ALTER TABLE teams RENAME COLUMN updated_at_us TO updated_at;
ALTER TABLE tenant_settings RENAME COLUMN updated_at_us TO updated_at;
ALTER TABLE tenants RENAME COLUMN created_at_us TO created_at;
ALTER TABLE tenants RENAME COLUMN updated_at_us TO updated_at;
ALTER TABLE users RENAME COLUMN created_at_us TO created_at;
ALTER TABLE users RENAME COLUMN updated_at_us TO updated_at;
