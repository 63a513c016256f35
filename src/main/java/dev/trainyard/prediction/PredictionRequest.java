package dev.trainyard.prediction;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A batch to classify with one model.
 *
 * @param instances raw feature values in the dataset's original scale, one row per
 * instance, each flattened row-major to the model's feature shape
 * @param mcDropoutSamples T &gt; 0: Monte Carlo dropout with T stochastic passes, adding
 * {@code std}
 * @param seed seed of the dropout masks for Monte Carlo dropout (random when absent)
 */
public record PredictionRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) double[][] instances,
        @Schema(defaultValue = "0") Integer mcDropoutSamples, Long seed) {
}
