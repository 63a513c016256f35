package dev.trainyard.prediction;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.UUID;

/** An ensemble's answer per instance. */
public record EnsemblePrediction(UUID ensembleId, List<String> classes, List<Item> predictions) {

    /**
     * @param probabilities the members' averaged distribution (weighted if the ensemble
     * has weights)
     * @param agreement fraction of members whose label equals {@code label}
     * @param entropy entropy of {@code probabilities} in nats
     * @param memberLabels each member's label, in the order of the ensemble's models
     * @param memberProbabilities each member's distribution, in the order of the
     * ensemble's models (with Monte Carlo dropout the mean of its samples)
     * @param std only with Monte Carlo dropout: per class, the standard deviation over
     * all members' samples
     */
    @Schema(name = "EnsemblePredictionItem")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(String label, float[] probabilities, double agreement, double entropy, List<String> memberLabels,
            List<float[]> memberProbabilities, float[] std) {
    }

}
