package dev.trainyard.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import dev.trainyard.training.JobSpec;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What {@code POST /api/v1/experiments} accepts: a base job spec, the parameters to vary
 * (JSON Pointers into the spec), how to pick trials, the metric that ranks them, the
 * seeds per trial and how many trials run at once. Omitted members get the defaults the
 * schema shows ({@link #withDefaults()}); unknown members are refused.
 */
@Schema(description = "A sweep over job specs", example = ExperimentRequest.EXAMPLE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExperimentRequest(
        @Schema(description = "Name shown in listings; trial jobs are named after it",
                defaultValue = "experiment") String name,
        @Schema(description = "The job spec every trial starts from, as POST /api/v1/jobs takes it",
                implementation = JobSpec.class, requiredMode = Schema.RequiredMode.REQUIRED) JsonNode baseSpec,
        @ArraySchema(schema = @Schema(implementation = Parameter.class),
                arraySchema = @Schema(
                        description = "What varies between trials; none gives one trial")) List<Parameter> parameters,
        Strategy strategy,
        @Schema(description = "Ranks trials: val_accuracy (higher is better) or val_loss (lower is better), "
                + "the best epoch's, averaged over the repeats", defaultValue = "val_accuracy") String metric,
        @Schema(description = "Jobs per trial: repeat r trains with the base spec's seed + r; from 1 to 20",
                defaultValue = "1") Integer repeats,
        @Schema(description = "Trials whose jobs may be queued or running at once; from 1 to 64",
                defaultValue = "4") Integer maxConcurrentTrials) {

    static final String EXAMPLE = """
            {"name": "preprocessing x learning rate",
             "baseSpec": {"datasetId": "5b7c3d52-8f7e-4d8a-9a55-0c4a1f7f2b10", "seed": 1,
               "model": {"layers": [{"type": "dense", "units": 64}, {"type": "relu"}, {"type": "dense", "units": 10}]},
               "training": {"epochs": 5, "batchSize": 64, "optimizer": {"type": "sgd", "learningRate": 0.05}}},
             "parameters": [
               {"path": "/preprocessing/method", "values": ["none", "mean_subtraction", "standardize"]},
               {"path": "/training/optimizer/learningRate", "values": [0.01, 0.1]}],
             "strategy": {"type": "grid"},
             "metric": "val_accuracy", "repeats": 2, "maxConcurrentTrials": 2}""";

    static final String RANDOM_EXAMPLE = """
            {"name": "learning rate search",
             "baseSpec": {"datasetId": "5b7c3d52-8f7e-4d8a-9a55-0c4a1f7f2b10",
               "model": {"layers": [{"type": "dense", "units": 64}, {"type": "relu"}, {"type": "dense", "units": 10}]},
               "training": {"epochs": 5}},
             "parameters": [
               {"path": "/training/optimizer/learningRate", "distribution": "log_uniform", "min": 0.0001, "max": 0.5},
               {"path": "/model/layers/0/units", "distribution": "int_uniform", "min": 16, "max": 256}],
             "strategy": {"type": "random", "trials": 12, "seed": 7},
             "metric": "val_loss", "maxConcurrentTrials": 4}""";

    static final String HALVING_EXAMPLE = """
            {"name": "halving over learning rates",
             "baseSpec": {"datasetId": "5b7c3d52-8f7e-4d8a-9a55-0c4a1f7f2b10",
               "model": {"layers": [{"type": "dense", "units": 64}, {"type": "relu"}, {"type": "dense", "units": 10}]}},
             "parameters": [{"path": "/training/optimizer/learningRate",
                             "values": [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10]}],
             "strategy": {"type": "successive_halving", "minEpochs": 1, "maxEpochs": 9, "reductionFactor": 3},
             "metric": "val_accuracy", "maxConcurrentTrials": 3}""";

    /** This request with every omitted member replaced by its default. */
    public ExperimentRequest withDefaults() {
        return new ExperimentRequest(name != null ? name : "experiment", baseSpec,
                parameters != null ? parameters : List.of(),
                (strategy != null ? strategy : new Strategy(null, null, null, null, null, null)).withDefaults(),
                metric != null ? metric : "val_accuracy", repeats != null ? repeats : 1,
                maxConcurrentTrials != null ? maxConcurrentTrials : 4);
    }

    /**
     * One varied member of the spec: either a list of {@code values} (grid, or a uniform
     * choice for random search) or a {@code distribution} with {@code min} and
     * {@code max}.
     */
    @Schema(name = "ExperimentParameter")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Parameter(
            @Schema(description = "JSON Pointer into the job spec, e.g. /training/optimizer/learningRate; "
                    + "missing objects on the way are created, array elements must exist in the base spec",
                    requiredMode = Schema.RequiredMode.REQUIRED) String path,
            @ArraySchema(
                    schema = @Schema(implementation = Object.class,
                            description = "Any JSON value the spec member accepts"),
                    arraySchema = @Schema(description = "The values to try (1 to 1000)")) List<JsonNode> values,
            @Schema(description = "choice (of values; the default with values), uniform, log_uniform or "
                    + "int_uniform (between min and max, both included; random search and halving with trials only)") String distribution,
            @Schema(description = "Lower bound of the distribution") Double min,
            @Schema(description = "Upper bound of the distribution") Double max) {
    }

    /**
     * How trials are chosen and trained: the full grid of the parameters' values; random
     * search ({@code trials} draws with {@code seed}); or successive halving over the
     * grid (or over {@code trials} random draws when given), which trains every trial for
     * {@code minEpochs}, keeps the best 1 / {@code reductionFactor}, trains those for
     * {@code reductionFactor} times as many epochs, and so on up to {@code maxEpochs}.
     */
    @Schema(name = "ExperimentStrategy")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Strategy(
            @Schema(description = "grid, random or successive_halving", defaultValue = "grid") String type,
            @Schema(description = "random (required) and successive_halving (optional): trials to draw, 1 to 1000") Integer trials,
            @Schema(description = "random and successive_halving: seed of the draws", defaultValue = "0") Long seed,
            @Schema(description = "successive_halving: epochs of the first rung") Integer minEpochs,
            @Schema(description = "successive_halving: epochs of the last rung") Integer maxEpochs,
            @Schema(description = "successive_halving: 2 to 10", defaultValue = "3") Integer reductionFactor) {

        public static final String GRID = "grid";

        public static final String RANDOM = "random";

        public static final String SUCCESSIVE_HALVING = "successive_halving";

        Strategy withDefaults() {
            String t = type != null ? type : GRID;
            boolean sampled = t.equals(RANDOM) || (t.equals(SUCCESSIVE_HALVING) && trials != null);
            boolean halving = t.equals(SUCCESSIVE_HALVING);
            Long drawSeed = sampled && seed == null ? Long.valueOf(0) : seed;
            Integer factor = halving && reductionFactor == null ? Integer.valueOf(3) : reductionFactor;
            return new Strategy(t, trials, drawSeed, minEpochs, maxEpochs, factor);
        }

        public boolean halving() {
            return SUCCESSIVE_HALVING.equals(type);
        }

        /** Whether trials are drawn at random rather than taken from the grid. */
        public boolean sampled() {
            return RANDOM.equals(type) || (halving() && trials != null);
        }
    }

}
