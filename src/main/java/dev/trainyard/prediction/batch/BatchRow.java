package dev.trainyard.prediction.batch;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A row of {@code batch_predictions}.
 *
 * @param labelMap per dataset class, its index among {@code classes}; null when some
 * dataset class is not one of the model's
 */
record BatchRow(UUID id, UUID tenantId, UUID modelId, UUID datasetId, String datasetName, BatchPredictionStatus status,
        boolean cancelRequested, List<String> classes, int[] labelMap, int rowsTotal, int chunkRows, Progress progress,
        int attempt, String errorType, String errorMessage, Instant createdAt, Instant startedAt, Instant finishedAt) {

    /** Chunks the batch is cut into: the last may be shorter than {@code chunkRows}. */
    int chunks() {
        return (rowsTotal + chunkRows - 1) / chunkRows;
    }

    boolean labelled() {
        return labelMap != null;
    }

}
