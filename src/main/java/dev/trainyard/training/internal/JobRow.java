package dev.trainyard.training.internal;

import dev.trainyard.training.JobStatus;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code training_jobs}. */
public record JobRow(UUID id, UUID tenantId, String name, JobStatus status, String spec, UUID datasetId,
        UUID testDatasetId, int members, boolean cancelRequested, UUID ensembleId, String errorType,
        String errorMessage, String idempotencyKey, String requestHash, Instant createdAt, Instant startedAt,
        Instant finishedAt) {
}
