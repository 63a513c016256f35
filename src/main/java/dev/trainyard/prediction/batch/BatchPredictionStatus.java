package dev.trainyard.prediction.batch;

/**
 * A batch prediction's state, as a training job's: QUEUED until a worker takes it up (and
 * again after a worker that shut down gave it back), RUNNING while its chunks are scored,
 * then SUCCEEDED, FAILED (with an error) or CANCELLED.
 */
public enum BatchPredictionStatus {

    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

}
