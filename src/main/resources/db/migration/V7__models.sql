-- Models (module model). One row per registered model (a trained ensemble member or an import),
-- its descriptive parts as JSON text (TEXT, so H2 and PostgreSQL read them alike), and its engine
-- model file (safetensors: weights, running statistics, architecture) as binary chunks of at most
-- 8 MiB, concatenated in seq order. Every row belongs to a tenant.

CREATE TABLE models (
    id              UUID                     PRIMARY KEY,
    tenant_id       UUID                     NOT NULL REFERENCES tenants (id),
    -- the training job that produced it; NULL for an imported model (no foreign key: jobs may be
    -- deleted while their models stay)
    job_id          UUID,
    member          INTEGER                  NOT NULL,
    seed            BIGINT                   NOT NULL,
    architecture    TEXT                     NOT NULL,
    parameter_count BIGINT                   NOT NULL,
    classes         TEXT                     NOT NULL,
    feature_shape   VARCHAR(64)              NOT NULL,
    preprocessing   TEXT                     NOT NULL,
    metrics         TEXT                     NOT NULL,
    provenance      TEXT,
    size_bytes      BIGINT                   NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

-- GET /api/v1/models lists a tenant's models newest first, optionally of one job.
CREATE INDEX models_tenant_idx ON models (tenant_id, created_at, id);
CREATE INDEX models_job_idx ON models (tenant_id, job_id, member);

CREATE TABLE model_chunks (
    model_id UUID    NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    seq      INTEGER NOT NULL,
    data     BYTEA   NOT NULL,
    PRIMARY KEY (model_id, seq)
);
