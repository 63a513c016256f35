package dev.trainyard.prediction;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A batch to classify with an ensemble.
 *
 * @param instances raw feature values, one row per instance, flattened row-major
 * @param method {@code average} (mean of the members' probabilities, weighted if the
 * ensemble has weights; default) or {@code vote} (majority of the members' labels, ties
 * broken by the averaged probability)
 * @param mcDropoutSamples T &gt; 0: Monte Carlo dropout, T stochastic passes per member,
 * adding {@code std}
 * @param seed seed of the dropout masks for Monte Carlo dropout (random when absent)
 */
public record EnsemblePredictionRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) double[][] instances,
        @Schema(allowableValues = {
                "average", "vote" }, defaultValue = "average") String method,
        @Schema(defaultValue = "0") Integer mcDropoutSamples, Long seed){
}
