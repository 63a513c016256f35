package dev.trainyard.engine.train;

/**
 * Stop when the monitored validation metric has not improved for {@code patience} epochs
 * in a row, then restore the weights (and batch-norm statistics) of the best epoch.
 * Improvement means strictly better by more than {@code minDelta}.
 */
public record EarlyStopping(Monitor monitor, int patience, double minDelta) {

    public enum Monitor {

        VALIDATION_LOSS("val_loss"), VALIDATION_ACCURACY("val_accuracy");

        private final String key;

        Monitor(String key) {
            this.key = key;
        }

        /** Name in specs and metrics: {@code val_loss} or {@code val_accuracy}. */
        public String key() {
            return key;
        }

        /** Whether {@code score} beats {@code best} by more than {@code minDelta}. */
        boolean improves(double score, double best, double minDelta) {
            if (Double.isNaN(best)) {
                return true;
            }
            return this == VALIDATION_LOSS ? score < best - minDelta : score > best + minDelta;
        }

    }

    public EarlyStopping {
        if (monitor == null) {
            throw new IllegalArgumentException("early stopping needs a monitor (val_loss or val_accuracy)");
        }
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be at least 1, got " + patience);
        }
        if (!(minDelta >= 0)) {
            throw new IllegalArgumentException("minDelta must be >= 0, got " + minDelta);
        }
    }

    public EarlyStopping(Monitor monitor, int patience) {
        this(monitor, patience, 0);
    }
}
