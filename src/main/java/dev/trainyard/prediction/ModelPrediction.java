package dev.trainyard.prediction;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.UUID;

/**
 * A model's answer: per instance the label and the probabilities in the order of
 * {@code classes}.
 */
public record ModelPrediction(UUID modelId, List<String> classes, List<Item> predictions) {

    /**
     * @param std per class, only with Monte Carlo dropout: the standard deviation of the
     * class probability over the samples
     */
    @Schema(name = "ModelPredictionItem")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(String label, float[] probabilities, float[] std) {
    }

}
