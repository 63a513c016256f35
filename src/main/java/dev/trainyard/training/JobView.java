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
 * @param modelIds the models of the members that finished, in member order
 * @param ensembleId the ensemble of all members' models, once a job with more than one
 * member succeeded
 * @param error why the job failed; null unless FAILED
 */
public record JobView(UUID id, String name, JobStatus status, JobSpec spec, Progress progress, List<UUID> modelIds,
        UUID ensembleId, Error error, Instant createdAt, Instant startedAt, Instant finishedAt) {

    /**
     * Members are numbered from 0 (member m trains with seed + m); {@code epoch} is the
     * epoch in progress (or the last one finished) and {@code batch} the batches finished
     * in it.
     */
    @Schema(name = "JobProgress")
    public record Progress(int member, int members, int epoch, int epochs, int batch, int batches) {
    }

    /**
     * @param type {@code training_diverged}, {@code invalid_data},
     * {@code dataset_unavailable} or {@code training_failed}
     */
    @Schema(name = "JobError")
    public record Error(String type, String message) {
    }

}
