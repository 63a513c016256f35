package dev.trainyard.experiment;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A ready experiment that checks one claim of the lecture on a dataset: what the claim
 * says, what to look at to judge it, and the request that {@code POST
 * /api/v1/experiments} accepts unchanged.
 */
@Schema(description = "A ready experiment for one claim of the lecture")
public record ExperimentPreset(
        @Schema(description = "Stable name of the preset: preprocessing, initialization, batch_norm, dropout, "
                + "drop_block or ensemble") String id,
        @Schema(description = "The lecture's claim, in one sentence") String claim,
        @Schema(description = "What the experiment varies and what to look at to judge the claim") String description,
        @Schema(description = "The experiment to post to /api/v1/experiments as it is") ExperimentRequest request) {
}
