-- Full-text search that can use its index under row-level security.
--
-- PostgreSQL applies a table's policies before any condition that is not leakproof, and no
-- full-text operator is (only a superuser could mark one so). Under the policies on `queries`
-- and `customers` a search therefore could not use its GIN index: it walked the tenant's
-- queries in received order testing each (32 ms for a word in 0.1 % of 1,000,000 queries,
-- seconds for a rare one). Superusers skip the policies, which is why it went unseen.
--
-- The tsvectors and their indexes move to tables of their own, outside row-level security
-- like `sessions` (docs/decisions.md). They hold a record's tenant, its id, its tsvector and
-- (for queries) when it was received, nothing else. Every read names the tenant and joins
-- back to the record's table, whose policy still decides what comes out. Triggers keep them
-- in step with `search_document` (and `received_at`), so no write path can forget them.

CREATE TABLE query_search (
    tenant_id   uuid NOT NULL,
    query_id    uuid NOT NULL,
    -- The work queue's default order, so a page of a search's matches is found by looking up
    -- only the page's rows (crate::search in storage-postgres).
    received_at timestamptz NOT NULL,
    search      tsvector NOT NULL,
    PRIMARY KEY (tenant_id, query_id),
    FOREIGN KEY (tenant_id, query_id) REFERENCES queries (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE customer_search (
    tenant_id   uuid NOT NULL,
    customer_id uuid NOT NULL,
    search      tsvector NOT NULL,
    PRIMARY KEY (tenant_id, customer_id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);

-- Inserts come in batches (seeding, imports): one statement-level trigger per batch.
CREATE FUNCTION query_search_from_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO query_search (tenant_id, query_id, received_at, search)
    SELECT tenant_id, id, received_at, to_tsvector('simple'::regconfig, search_document) FROM inserted;
    RETURN NULL;
END $$;

CREATE FUNCTION customer_search_from_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO customer_search (tenant_id, customer_id, search)
    SELECT tenant_id, id, to_tsvector('simple'::regconfig, search_document) FROM inserted;
    RETURN NULL;
END $$;

-- Updates name the column, which a statement-level trigger with a transition table may not.
CREATE FUNCTION query_search_from_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE query_search
    SET search = to_tsvector('simple'::regconfig, NEW.search_document), received_at = NEW.received_at
    WHERE tenant_id = NEW.tenant_id AND query_id = NEW.id;
    RETURN NULL;
END $$;

CREATE FUNCTION customer_search_from_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE customer_search SET search = to_tsvector('simple'::regconfig, NEW.search_document)
    WHERE tenant_id = NEW.tenant_id AND customer_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER query_search_insert AFTER INSERT ON queries
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION query_search_from_inserted();
CREATE TRIGGER customer_search_insert AFTER INSERT ON customers
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION customer_search_from_inserted();
CREATE TRIGGER query_search_update AFTER UPDATE OF search_document, received_at ON queries
    FOR EACH ROW WHEN (OLD.search_document IS DISTINCT FROM NEW.search_document
                       OR OLD.received_at IS DISTINCT FROM NEW.received_at)
    EXECUTE FUNCTION query_search_from_updated();
CREATE TRIGGER customer_search_update AFTER UPDATE OF search_document ON customers
    FOR EACH ROW WHEN (OLD.search_document IS DISTINCT FROM NEW.search_document)
    EXECUTE FUNCTION customer_search_from_updated();

-- Fill them from every tenant's rows. The policies bind the owner (FORCE), so the owner steps
-- outside them for this one statement each, inside the migration's transaction.
ALTER TABLE queries NO FORCE ROW LEVEL SECURITY;
ALTER TABLE customers NO FORCE ROW LEVEL SECURITY;
INSERT INTO query_search (tenant_id, query_id, received_at, search)
SELECT tenant_id, id, received_at, search FROM queries;
INSERT INTO customer_search (tenant_id, customer_id, search) SELECT tenant_id, id, search FROM customers;
ALTER TABLE queries FORCE ROW LEVEL SECURITY;
ALTER TABLE customers FORCE ROW LEVEL SECURITY;

-- Built after the fill: one sort instead of a million insertions.
CREATE INDEX query_search_terms ON query_search USING gin (search);
CREATE INDEX customer_search_terms ON customer_search USING gin (search);

ALTER TABLE queries DROP COLUMN search;
ALTER TABLE customers DROP COLUMN search;
