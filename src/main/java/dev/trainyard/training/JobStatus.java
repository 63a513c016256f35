package dev.trainyard.training;

/**
 * A job's state: QUEUED until a worker takes up its first member, RUNNING until every
 * member has finished, then SUCCEEDED, FAILED (with an error) or CANCELLED. Members have
 * the same states.
 */
public enum JobStatus {

    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

}
