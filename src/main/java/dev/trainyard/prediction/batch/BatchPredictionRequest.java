package dev.trainyard.prediction.batch;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.UUID;

/**
 * @param datasetId a stored dataset of the caller's tenant whose examples have the
 * model's feature shape (or the same number of values, when either shape is flat)
 */
public record BatchPredictionRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED,
        example = "0b7f3c1e-5d2a-4c1b-9f3e-2a6d8c4b1e70") UUID datasetId) {

    static final String EXAMPLE = """
            {"datasetId": "0b7f3c1e-5d2a-4c1b-9f3e-2a6d8c4b1e70"}""";

}
