package dev.trainyard.training.internal;

import dev.trainyard.training.JobStatus;
import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code training_members}: one ensemble member, its owner (the instance
 * training it) and progress.
 */
public record MemberRow(UUID jobId, int member, long seed, JobStatus status, String owner, int attempt, int epoch,
        int epochs, int batch, int batches, UUID modelId, Instant startedAt, Instant finishedAt) {
}
