-- A customer's queries in received order (the customer page, `?customer_id=`): one index range
-- for both the filter and the sort. It also serves every lookup by customer, so the older
-- index goes.
CREATE INDEX queries_by_customer_received ON queries (tenant_id, customer_id, received_at, id);
DROP INDEX queries_by_customer;
