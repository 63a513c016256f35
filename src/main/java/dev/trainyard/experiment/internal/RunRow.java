package dev.trainyard.experiment.internal;

import dev.trainyard.training.JobStatus;
import java.util.UUID;

/**
 * One job of a trial (a repeat at a rung): its job once submitted, the job's state as
 * last seen, and what it measured once it ended.
 */
public record RunRow(UUID experimentId, int trial, int rung, int repeat, int epochs, UUID jobId, JobStatus status,
        Double bestValAccuracy, Double bestValLoss, Double testAccuracy, String error) {

    public boolean submitted() {
        return jobId != null;
    }

    public boolean active() {
        return jobId != null && !status.finished();
    }

}
