package dev.trainyard.training;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A training job as clients see it.
 *
 * @param spec the submitted spec with every default filled in
 * @param progress where training stands: the lowest-numbered member still training (or
 * the last one), its epoch and batch within the epoch
 * @param summary the figures of the runs table: best validation accuracy, test accuracy,
 * duration and throughput
 * @param modelIds the members' models in member order, published all at once when the job
 * succeeded; empty before, and for a job that did not succeed
 * @param ensembleId the ensemble of all members' models, once a job with more than one
 * member succeeded
 * @param error why the job failed; null unless FAILED
 */
public record JobView(UUID id, String name, JobStatus status, JobSpec spec, Progress progress, Summary summary,
        List<UUID> modelIds, UUID ensembleId, Error error, Instant createdAt, Instant startedAt, Instant finishedAt) {

    /**
     * Members are numbered from 0 (member m trains with seed + m); {@code epoch} is the
     * epoch in progress (or the last one finished) and {@code batch} the batches finished
     * in it.
     */
    @Schema(name = "JobProgress")
    public record Progress(int member, int members, int epoch, int epochs, int batch, int batches) {
    }

    /**
     * A job's figures so far; each is null while unknown.
     *
     * @param bestValAccuracy the highest validation accuracy of any member in any epoch
     * (not the last epoch's); null without a validation split or before the first epoch
     * @param testAccuracy on the job's test dataset once the job succeeded: the
     * ensemble's for a job of several members, else the model's; null without test data
     * @param durationSeconds from {@code startedAt} to {@code finishedAt}, or to now
     * while it has not finished; null until it starts
     * @param samplesPerSecond training throughput, the mean over the epochs of all
     * members so far
     */
    @Schema(name = "JobSummary")
    public record Summary(Double bestValAccuracy, Double testAccuracy, Double durationSeconds,
            Double samplesPerSecond) {
    }

    /**
     * @param type {@code training_diverged}, {@code invalid_data},
     * {@code dataset_unavailable} or {@code training_failed}
     */
    @Schema(name = "JobError")
    public record Error(String type, String message) {
    }

}
