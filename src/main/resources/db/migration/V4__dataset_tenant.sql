-- Datasets belong to a tenant (module security owns tenants, module dataset this column). Rows
-- stored before tenants existed go to the tenant `default` (id fixed by V3__security.sql).

ALTER TABLE datasets ADD COLUMN tenant_id UUID;

UPDATE datasets SET tenant_id = '00000000-0000-0000-0000-000000000001';

ALTER TABLE datasets ALTER COLUMN tenant_id SET NOT NULL;

ALTER TABLE datasets ADD CONSTRAINT datasets_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id);

-- GET /api/v1/datasets lists a tenant's datasets newest first.
DROP INDEX datasets_created_at_idx;
CREATE INDEX datasets_tenant_created_at_idx ON datasets (tenant_id, created_at, id);
