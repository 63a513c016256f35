-- One row per tenant and quota that has been checked (module security). Whatever is about to add
-- to a quota locks its tenant's row (SELECT ... FOR UPDATE) before it counts what the quota counts,
-- and holds the lock until it commits: additions to one quota of one tenant pass the check one
-- after another, on every instance, each seeing what the ones before it committed. One row per
-- quota, so that an upload never waits for a job submission; a table of its own, so that the lock
-- is taken on nothing that foreign keys or other modules lock.
CREATE TABLE quota_locks (
    tenant_id UUID        NOT NULL,
    quota     VARCHAR(40) NOT NULL,
    PRIMARY KEY (tenant_id, quota)
);

-- The dataset quota's lock rows are created again on demand.
DROP TABLE dataset_quota_locks;
