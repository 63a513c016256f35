-- Security (module security): tenants and their API keys.
--
-- Every resource of the other modules belongs to a tenant. The tenant `default` exists from the
-- start with a well-known id, so that later migrations can give it the rows that existed before
-- they added a tenant_id; its admin keys are the operators of the installation.

CREATE TABLE tenants (
    id                  UUID                     PRIMARY KEY,
    name                VARCHAR(100)             NOT NULL UNIQUE,
    -- per-tenant quotas; NULL means the configured default (trainyard.security.quota.*)
    dataset_bytes_quota BIGINT,
    running_jobs_quota  INTEGER,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL
);

INSERT INTO tenants (id, name, created_at)
VALUES ('00000000-0000-0000-0000-000000000001', 'default', CURRENT_TIMESTAMP);

-- A key reads ty_<public_id>_<secret>. Only its public id is stored as such; the whole key is
-- stored as HMAC-SHA256 keyed with a random per-key salt (and the optional server pepper), so
-- the table never holds a usable key.
CREATE TABLE api_keys (
    id          UUID                     PRIMARY KEY,
    public_id   VARCHAR(16)              NOT NULL UNIQUE,
    tenant_id   UUID                     NOT NULL REFERENCES tenants (id),
    name        VARCHAR(100)             NOT NULL,
    role        VARCHAR(16)              NOT NULL,
    salt        VARCHAR(32)              NOT NULL,
    secret_hash VARCHAR(64)              NOT NULL,
    -- TRUE on the one key created at first start, NULL on every other: the unique constraint lets
    -- only one of several instances starting together create it
    bootstrap   BOOLEAN                  UNIQUE,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at  TIMESTAMP WITH TIME ZONE
);

-- GET /api/v1/keys lists a tenant's keys, oldest first.
CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id, created_at);
