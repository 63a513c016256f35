package dev.trainyard.training;

import java.util.UUID;

/**
 * A job reached SUCCEEDED, FAILED or CANCELLED. Published inside the transaction that
 * finished it, so a listener after commit sees the job, its metrics and its models as
 * stored; other modules (experiments) react to it instead of polling every job.
 */
public record TrainingJobFinished(UUID jobId, UUID tenantId, JobStatus status) {
}
