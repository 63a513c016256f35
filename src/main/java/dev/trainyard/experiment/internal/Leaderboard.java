package dev.trainyard.experiment.internal;

import dev.trainyard.experiment.TrialStatus;
import java.util.Comparator;
import java.util.List;

/**
 * The order of trials, best first: trials with results (not failed or cancelled) by
 * higher rung reached, then by the metric (val_accuracy: higher first; val_loss: lower
 * first), then by index; after them trials without results yet, then cancelled ones, then
 * failed ones, which rank last.
 */
public final class Leaderboard {

    private Leaderboard() {
    }

    public static List<Integer> of(String metric, List<TrialRow> trials) {
        return trials.stream().sorted(order(metric)).map(TrialRow::trial).toList();
    }

    public static Comparator<TrialRow> order(String metric) {
        return Comparator.comparingInt(Leaderboard::group)
            .thenComparing(Comparator.comparingInt(TrialRow::rung).reversed())
            .thenComparingDouble(t -> score(metric, t))
            .thenComparingInt(TrialRow::trial);
    }

    /** Lower is better: the negated accuracy, or the loss. */
    static double score(String metric, TrialRow t) {
        Double value = metric.equals("val_loss") ? t.metrics().bestValLoss() : t.metrics().bestValAccuracy();
        if (value == null || value.isNaN()) {
            return Double.POSITIVE_INFINITY;
        }
        return metric.equals("val_loss") ? value : -value;
    }

    private static int group(TrialRow t) {
        if (t.status() == TrialStatus.FAILED) {
            return 3;
        }
        if (t.status() == TrialStatus.CANCELLED) {
            return 2;
        }
        return t.metrics().bestValAccuracy() == null && t.metrics().bestValLoss() == null ? 1 : 0;
    }

}
