-- Ensembles (module prediction): a named list of a tenant's models, with optional weights and the
-- accuracies measured on a test dataset when one was given. A model cannot be deleted while an
-- ensemble lists it (the service answers 409; the foreign key backs it up).

CREATE TABLE ensembles (
    id              UUID                     PRIMARY KEY,
    tenant_id       UUID                     NOT NULL REFERENCES tenants (id),
    name            VARCHAR(200)             NOT NULL,
    test_dataset_id UUID,
    test_accuracy   DOUBLE PRECISION,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX ensembles_tenant_idx ON ensembles (tenant_id, created_at, id);

CREATE TABLE ensemble_members (
    ensemble_id   UUID             NOT NULL REFERENCES ensembles (id) ON DELETE CASCADE,
    position      INTEGER          NOT NULL,
    model_id      UUID             NOT NULL REFERENCES models (id),
    -- NULL when the ensemble is unweighted
    weight        DOUBLE PRECISION,
    test_accuracy DOUBLE PRECISION,
    PRIMARY KEY (ensemble_id, position)
);

CREATE INDEX ensemble_members_model_idx ON ensemble_members (model_id);
