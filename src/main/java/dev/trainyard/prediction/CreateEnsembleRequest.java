package dev.trainyard.prediction;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.UUID;

/**
 * @param modelIds the members: models of the caller's tenant with the same classes and
 * feature shape
 * @param weights one non-negative weight per member for weighted averaging; absent: equal
 * @param testDatasetId a dataset with the members' classes to measure test accuracies on
 */
public record CreateEnsembleRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String name,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<UUID> modelIds, List<Double> weights,
        UUID testDatasetId) {
}
