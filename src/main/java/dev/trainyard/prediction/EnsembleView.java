package dev.trainyard.prediction;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An ensemble as the API shows it.
 *
 * @param weights one per member, or null when the members count equally
 */
public record EnsembleView(UUID id, String name, List<UUID> modelIds, List<Double> weights, Metrics metrics,
        Instant createdAt) {

    /**
     * Accuracies on the test set the ensemble was evaluated on (all null when it was
     * not).
     *
     * @param memberTestAccuracies in the order of {@code modelIds}
     */
    public record Metrics(Double testAccuracy, List<Double> memberTestAccuracies) {
    }

}
