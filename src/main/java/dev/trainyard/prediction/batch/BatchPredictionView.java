package dev.trainyard.prediction.batch;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A batch prediction as clients see it.
 *
 * @param datasetName the dataset's name when the batch was submitted
 * @param classes the model's class names: the order of every result's probabilities
 * @param rowsTotal the dataset's examples
 * @param rowsDone examples scored and stored so far
 * @param rowsPerSecond {@code rowsDone} over the time the workers spent on the batch
 * (loading the model, reading the dataset, scoring and storing the chunks; not the time
 * it waited in the queue); null before the first chunk
 * @param durationSeconds from {@code startedAt} to {@code finishedAt}, or to now while it
 * runs; null until it starts
 * @param labelled whether the dataset's labels are classes of the model (matched by
 * name): then {@code accuracy}, {@code confusionMatrix} and each result's
 * {@code trueLabel} are given
 * @param accuracy the share of the rows done whose predicted label is the true one; null
 * unless labelled and some rows are done
 * @param confusionMatrix over the rows done: rows the true class, columns the predicted
 * one, both in the order of {@code classes}; null unless labelled
 * @param error why the batch failed; null unless FAILED
 */
public record BatchPredictionView(UUID id, UUID modelId, UUID datasetId, String datasetName,
        BatchPredictionStatus status, List<String> classes, int rowsTotal, int rowsDone, Double rowsPerSecond,
        Double durationSeconds, boolean labelled, Double accuracy, int[][] confusionMatrix, Error error,
        Instant createdAt, Instant startedAt, Instant finishedAt) {

    /**
     * @param type {@code model_unavailable}, {@code dataset_unavailable} or
     * {@code scoring_failed}
     */
    @Schema(name = "BatchPredictionError")
    public record Error(String type, String message) {
    }

}
