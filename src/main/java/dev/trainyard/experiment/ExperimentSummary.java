package dev.trainyard.experiment;

import dev.trainyard.training.JobStatus;
import java.time.Instant;
import java.util.UUID;

/**
 * An experiment in a listing: what it is and where it stands, without its trials.
 *
 * @param strategy grid, random or successive_halving
 * @param trials how many trials it has
 * @param endedTrials how many of them have ended
 */
public record ExperimentSummary(UUID id, String name, JobStatus status, String strategy, String metric, int trials,
        int endedTrials, Instant createdAt, Instant finishedAt) {
}
