package dev.trainyard.experiment;

/**
 * A trial's results at its latest rung, as means over its repeats: the best epoch's
 * validation accuracy and loss, and the test accuracy of the final model (null without
 * test data). The {@code *Std} members are sample standard deviations over the repeats,
 * null with a single repeat.
 */
public record TrialMetrics(Double bestValAccuracy, Double bestValLoss, Double testAccuracy, Double bestValAccuracyStd,
        Double bestValLossStd, Double testAccuracyStd) {

    public static final TrialMetrics NONE = new TrialMetrics(null, null, null, null, null, null);

}
