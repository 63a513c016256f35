package dev.trainyard.engine.train;

import java.util.List;

/**
 * How {@link Trainer#fit} ended, with every epoch's metrics so far. {@code bestEpoch} is
 * the epoch whose weights the model holds after early stopping (0 when none was tracked).
 */
public record TrainingResult(Status status, List<EpochMetrics> history, int bestEpoch) {

    public enum Status {

        COMPLETED, STOPPED_EARLY, CANCELLED

    }

    public TrainingResult {
        history = List.copyOf(history);
    }
}
