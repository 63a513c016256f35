package dev.trainyard.training;

import java.util.List;
import java.util.UUID;

/**
 * Published inside the transaction that moved a job to SUCCEEDED, FAILED or CANCELLED.
 *
 * @param modelIds the models of the members that finished, in member order
 * @param ensembleId the ensemble of a job with several members that succeeded, else null
 */
public record TrainingJobFinished(UUID jobId, UUID tenantId, JobStatus status, List<UUID> modelIds, UUID ensembleId) {
}
