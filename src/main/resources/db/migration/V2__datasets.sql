-- Datasets (module dataset). One row per dataset; its class names and counts; its content as
-- binary chunks of at most 8 MiB, so no single value is huge. A dataset's rows are written in one
-- transaction: an upload that fails leaves nothing behind.
--
-- Chunk content, little-endian, concatenated in seq order per kind:
--   features: examples x prod(feature_shape) values, row-major; one unsigned byte each when
--             feature_encoding = 'UINT8' (IDX, images), one float32 each when 'FLOAT32' (CSV)
--   labels:   one int32 per example, an index into the dataset's classes (class_index order)

CREATE TABLE datasets (
    id               UUID                     PRIMARY KEY,
    name             VARCHAR(200)             NOT NULL,
    format           VARCHAR(16)              NOT NULL,
    examples         INTEGER                  NOT NULL,
    feature_shape    VARCHAR(64)              NOT NULL,
    feature_encoding VARCHAR(16)              NOT NULL,
    sha256           VARCHAR(64)              NOT NULL,
    size_bytes       BIGINT                   NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL
);

-- GET /api/v1/datasets lists newest first.
CREATE INDEX datasets_created_at_idx ON datasets (created_at, id);

CREATE TABLE dataset_classes (
    dataset_id    UUID         NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
    class_index   INTEGER      NOT NULL,
    name          VARCHAR(200) NOT NULL,
    example_count INTEGER      NOT NULL,
    PRIMARY KEY (dataset_id, class_index)
);

CREATE TABLE dataset_chunks (
    dataset_id UUID        NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
    kind       VARCHAR(16) NOT NULL,
    seq        INTEGER     NOT NULL,
    data       BYTEA       NOT NULL,
    PRIMARY KEY (dataset_id, kind, seq)
);
