-- Batch predictions (module prediction, package batch): one model over every example of a stored
-- dataset, run by the workers as a db-scheduler task ('score-batch', one instance per batch) with
-- the state machine of training jobs, QUEUED -> RUNNING -> SUCCEEDED | FAILED | CANCELLED.
--
-- The dataset is scored in chunks of chunk_rows examples. Each chunk's results and the progress
-- columns (chunks_done, rows_done, correct, confusion, seconds) are written in one transaction,
-- so a worker that dies resumes at chunk chunks_done. attempt counts the times a worker took the
-- batch up; a worker only commits while its attempt is the row's, so one that was given up for
-- dead never writes over its successor.
--
-- model_id and dataset_id have no foreign keys: a finished batch keeps its results (and the class
-- names it needs to show them) after its model or dataset is deleted. While it is queued or
-- running, both deletions are refused (the service answers 409).

CREATE TABLE batch_predictions (
    id               UUID                     PRIMARY KEY,
    tenant_id        UUID                     NOT NULL REFERENCES tenants (id),
    model_id         UUID                     NOT NULL,
    dataset_id       UUID                     NOT NULL,
    dataset_name     VARCHAR(200)             NOT NULL,
    status           VARCHAR(16)              NOT NULL,
    cancel_requested BOOLEAN                  NOT NULL,
    -- JSON array: the model's class names, the columns of the probabilities
    classes          TEXT                     NOT NULL,
    -- per dataset class, its index among the model's classes; NULL when some dataset class is not
    -- one of the model's (then there is no accuracy, confusion matrix or true label)
    label_map        TEXT,
    rows_total       INTEGER                  NOT NULL,
    chunk_rows       INTEGER                  NOT NULL,
    chunks_done      INTEGER                  NOT NULL,
    rows_done        INTEGER                  NOT NULL,
    correct          INTEGER                  NOT NULL,
    -- JSON array of arrays: rows the true class, columns the predicted one; NULL without label_map
    confusion        TEXT,
    -- time spent scoring by the attempts, up to their last committed chunk
    seconds          DOUBLE PRECISION         NOT NULL,
    attempt          INTEGER                  NOT NULL,
    error_type       VARCHAR(64),
    error_message    VARCHAR(2000),
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at       TIMESTAMP WITH TIME ZONE,
    finished_at      TIMESTAMP WITH TIME ZONE
);

-- GET /api/v1/batch-predictions lists a tenant's batches newest first; deletions ask which
-- unfinished batches use a model or dataset.
CREATE INDEX batch_predictions_tenant_created_idx ON batch_predictions (tenant_id, created_at, id);
CREATE INDEX batch_predictions_model_idx ON batch_predictions (model_id, status);
CREATE INDEX batch_predictions_dataset_idx ON batch_predictions (dataset_id, status);

-- One row per scored chunk, examples [first_row, first_row + row_count): little-endian int32
-- predicted class per example, float32 probabilities (row_count x classes), and int32 true class
-- (an index among the model's classes) when the batch has a label_map.
CREATE TABLE batch_prediction_chunks (
    batch_id      UUID    NOT NULL REFERENCES batch_predictions (id) ON DELETE CASCADE,
    chunk         INTEGER NOT NULL,
    first_row     INTEGER NOT NULL,
    row_count     INTEGER NOT NULL,
    attempt       INTEGER NOT NULL,
    labels        BYTEA   NOT NULL,
    probabilities BYTEA   NOT NULL,
    true_labels   BYTEA,
    PRIMARY KEY (batch_id, chunk)
);
