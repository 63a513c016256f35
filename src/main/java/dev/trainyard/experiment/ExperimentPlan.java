package dev.trainyard.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What {@code POST /api/v1/experiments?dryRun=true} answers: the trials an experiment
 * would run and what they cost, with every trial's spec validated; nothing is stored.
 *
 * @param jobs the jobs it would submit (trials x repeats, and under successive halving
 * the promoted trials' jobs of later rungs)
 * @param cost the sum over those jobs of model parameters x training examples x epochs;
 * under successive halving later rungs are counted with the most expensive trials, since
 * which trials are promoted is known only while it runs (an upper bound)
 * @param rungs successive halving only: each rung's epochs and trials
 */
public record ExperimentPlan(int trialCount, int repeats, int jobs, long cost, List<PlannedTrial> trials,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Rung> rungs) {

    /**
     * @param epochs the epochs of its first jobs
     * @param parameterCount the model's trainable parameters
     * @param trainingExamples the examples one epoch trains on
     * @param cost parameters x training examples x epochs x repeats of its first jobs
     */
    @Schema(name = "ExperimentPlannedTrial")
    public record PlannedTrial(int index,
            @Schema(implementation = Object.class,
                    description = "The trial's value of each parameter, by path") JsonNode parameters,
            int epochs, long parameterCount, long trainingExamples, long cost) {
    }

    @Schema(name = "ExperimentRung")
    public record Rung(int rung, int epochs, int trials) {
    }

}
