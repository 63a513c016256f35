-- Registered models (module prediction): a tenant's named model with numbered versions, each
-- pointing at one model or one ensemble, and aliases (champion, staging, ...) that name one version.
-- latest_version counts the versions handed out: a new version increments it under the row's lock,
-- so concurrent registrations get 1, 2, 3, ... without gaps; the primary key of the versions backs
-- it up. A model or ensemble that a version points to cannot be deleted (the service answers 409;
-- the foreign keys back it up).

CREATE TABLE registered_models (
    id             UUID                     PRIMARY KEY,
    tenant_id      UUID                     NOT NULL REFERENCES tenants (id),
    name           VARCHAR(100)             NOT NULL,
    description    VARCHAR(2000),
    latest_version INTEGER                  NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT registered_models_name_key UNIQUE (tenant_id, name)
);

CREATE TABLE registered_model_versions (
    registered_model_id UUID                     NOT NULL REFERENCES registered_models (id),
    version             INTEGER                  NOT NULL,
    model_id            UUID                     REFERENCES models (id),
    ensemble_id         UUID                     REFERENCES ensembles (id),
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (registered_model_id, version),
    CONSTRAINT registered_model_versions_one_target CHECK ((model_id IS NULL) <> (ensemble_id IS NULL))
);

CREATE INDEX registered_model_versions_model_idx ON registered_model_versions (model_id);
CREATE INDEX registered_model_versions_ensemble_idx ON registered_model_versions (ensemble_id);

CREATE TABLE registered_model_aliases (
    registered_model_id UUID         NOT NULL,
    alias               VARCHAR(100) NOT NULL,
    version             INTEGER      NOT NULL,
    PRIMARY KEY (registered_model_id, alias),
    FOREIGN KEY (registered_model_id, version) REFERENCES registered_model_versions (registered_model_id, version)
);
