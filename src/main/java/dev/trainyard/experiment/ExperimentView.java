package dev.trainyard.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.trainyard.training.JobStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * An experiment as clients see it.
 *
 * @param status QUEUED until one of its jobs starts, RUNNING, then SUCCEEDED once every
 * trial has ended (FAILED when no trial succeeded because they failed, CANCELLED when it
 * was cancelled)
 * @param rung successive halving: the rung being trained (0 first); null otherwise
 * @param leaderboard every trial's index, best first: trials that reached a higher rung
 * first, then by the metric; trials without results after them, then cancelled, then
 * failed ones
 */
public record ExperimentView(UUID id, String name, JobStatus status, ExperimentRequest.Strategy strategy, String metric,
        int repeats, int maxConcurrentTrials, @JsonInclude(JsonInclude.Include.NON_NULL) Integer rung,
        Instant createdAt, Instant startedAt, Instant finishedAt, List<Trial> trials, List<Integer> leaderboard) {

    /**
     * @param parameters the trial's value of each parameter, by path
     * @param jobIds the trial's jobs, by rung and then repeat
     * @param rung successive halving: the last rung the trial trained in; null otherwise
     * @param epochs the epochs of its latest jobs
     * @param error why the trial failed; null unless FAILED
     */
    @Schema(name = "ExperimentTrial")
    public record Trial(int index, @Schema(implementation = Object.class,
            description = "The trial's value of each parameter, by path",
            example = "{\"/preprocessing/method\": \"none\", \"/training/optimizer/learningRate\": 0.1}") JsonNode parameters,
            TrialStatus status, List<UUID> jobIds, @JsonInclude(JsonInclude.Include.NON_NULL) Integer rung, int epochs,
            TrialMetrics metrics, @JsonInclude(JsonInclude.Include.NON_NULL) String error) {
    }

}
