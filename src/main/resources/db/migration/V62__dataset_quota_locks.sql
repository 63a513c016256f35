-- One row per tenant that has uploaded a dataset (module dataset). An upload locks its tenant's
-- row (SELECT ... FOR UPDATE) before it adds up what the tenant stores for the quota check, and
-- holds the lock until it commits: uploads of one tenant pass the check one after another, on
-- every instance, each seeing what the ones before it stored. A table of its own, so that the lock
-- is taken on nothing that foreign keys or other modules lock.
CREATE TABLE dataset_quota_locks (
    tenant_id UUID PRIMARY KEY
);
