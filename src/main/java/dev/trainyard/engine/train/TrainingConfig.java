package dev.trainyard.engine.train;

import dev.trainyard.engine.optim.LearningRateSchedule;

/**
 * How a {@link Trainer} runs.
 *
 * @param epochs number of passes over the training set
 * @param batchSize examples per step; the last, partial batch of an epoch is kept
 * (torch's {@code DataLoader(drop_last=False)})
 * @param seed seed of the shuffling generator (the model has its own for masks)
 * @param schedule learning rate per epoch, applied to the optimizer at each epoch start
 * @param earlyStopping null for none; needs a validation set
 * @param probeSize examples of the fixed probe batch (the first of the training set) for
 * per-epoch diagnostics; 0 turns diagnostics off
 */
public record TrainingConfig(int epochs, int batchSize, long seed, LearningRateSchedule schedule,
        EarlyStopping earlyStopping, int probeSize) {

    /** Batch size for validation and inference, as the peer benchmark uses. */
    public static final int EVALUATION_BATCH = 1000;

    public TrainingConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (schedule == null) {
            throw new IllegalArgumentException("a learning rate schedule is required");
        }
        if (probeSize < 0) {
            throw new IllegalArgumentException("probe size must be >= 0, got " + probeSize);
        }
    }

    /** No early stopping, no diagnostics. */
    public static TrainingConfig of(int epochs, int batchSize, long seed, LearningRateSchedule schedule) {
        return new TrainingConfig(epochs, batchSize, seed, schedule, null, 0);
    }

    public TrainingConfig withEarlyStopping(EarlyStopping e) {
        return new TrainingConfig(epochs, batchSize, seed, schedule, e, probeSize);
    }

    public TrainingConfig withDiagnostics(int probe) {
        return new TrainingConfig(epochs, batchSize, seed, schedule, earlyStopping, probe);
    }
}
