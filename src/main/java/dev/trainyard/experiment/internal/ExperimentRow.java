package dev.trainyard.experiment.internal;

import dev.trainyard.training.JobStatus;
import java.time.Instant;
import java.util.UUID;

/**
 * An experiment as stored; {@code request} is its request with defaults, as JSON;
 * {@code rung} the rung successive halving trains (0 for the other strategies).
 */
public record ExperimentRow(UUID id, UUID tenantId, String name, JobStatus status, String request, String strategy,
        String metric, int repeats, int maxConcurrent, int rung, Instant createdAt, Instant startedAt,
        Instant finishedAt) {

    public ExperimentRow with(JobStatus newStatus, int newRung, Instant newStartedAt, Instant newFinishedAt) {
        return new ExperimentRow(id, tenantId, name, newStatus, request, strategy, metric, repeats, maxConcurrent,
                newRung, createdAt, newStartedAt, newFinishedAt);
    }

}
