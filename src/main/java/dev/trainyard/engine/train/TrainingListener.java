package dev.trainyard.engine.train;

/**
 * Receives progress on the training thread. Listeners must be quick; a checkpoint taken
 * in {@link #epochFinished} ({@link Trainer#checkpoint()}) resumes at the start of the
 * next epoch.
 */
public interface TrainingListener {

    default void batchFinished(BatchProgress progress) {
    }

    /** {@code diagnostics} is null unless the config asks for them. */
    default void epochFinished(EpochMetrics metrics, EpochDiagnostics diagnostics) {
    }

}
