-- Business calendars the tenant's administrators define (issue 15): the definition (working
-- hours per weekday, whose bank holidays apply, closures) is one JSON document, read and
-- checked whole by domain::calendar. The built-in calendars are not stored.
CREATE TABLE business_calendars (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL,
    name       text NOT NULL,
    definition text NOT NULL,
    version    bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX business_calendars_name_unique ON business_calendars (tenant_id, lower(name));

-- A tenant's own copy of GOV.UK's bank-holidays.json, once an administrator uploads one;
-- until then the copy that ships with the product applies.
CREATE TABLE bank_holiday_files (
    tenant_id   uuid PRIMARY KEY REFERENCES tenants (id),
    content     text NOT NULL,
    version     bigint NOT NULL,
    uploaded_at timestamptz NOT NULL
);

ALTER TABLE business_calendars ENABLE ROW LEVEL SECURITY;
ALTER TABLE business_calendars FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON business_calendars
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE bank_holiday_files ENABLE ROW LEVEL SECURITY;
ALTER TABLE bank_holiday_files FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON bank_holiday_files
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
