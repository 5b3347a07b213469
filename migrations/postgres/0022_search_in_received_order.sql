-- A search for a common word (a street, a surname, a product: 1 to 5 % of queries) in the work
-- queue's default order. Its matches cannot come from the GIN index in that order, and taking
-- them all to sort builds a bitmap of tens of thousands of rows for a page of 25. Walking this
-- index instead and testing each row stops when the page is full (storage-postgres search.rs).
CREATE INDEX query_search_received ON query_search (tenant_id, received_at, query_id);
