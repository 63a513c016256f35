package dev.trainyard.engine.train;

import dev.trainyard.engine.data.Augmentation;
import dev.trainyard.engine.optim.LearningRateSchedule;
import java.util.List;

/**
 * How a {@link Trainer} runs.
 *
 * @param epochs number of passes over the training set
 * @param batchSize examples per step; the last, partial batch of an epoch is kept
 * (torch's {@code DataLoader(drop_last=False)})
 * @param seed seed of the shuffling generator (the model has its own for masks)
 * @param schedule learning rate per epoch, applied to the optimizer at each epoch start
 * (or before each step, see {@code schedulePerStep})
 * @param earlyStopping null for none; needs a validation set
 * @param probeSize examples of the fixed probe batch (the first of the training set) for
 * per-epoch diagnostics; 0 turns diagnostics off
 * @param schedulePerStep false: the schedule's {@code rate(epoch - 1)} is set at each
 * epoch start; true: before every step, its rate at the global step
 * {@code (epoch - 1) * batchesPerEpoch + batch} (batch 0-based, batches per epoch
 * counting the last partial one)
 * @param augmentation transformations of every training example, in order, each time it
 * is drawn into a batch (examples of shape (C, H, W) only); empty for none. Validation
 * data and the diagnostics probe are never augmented.
 * @param emaDecay null for none; else the decay in [0, 1) of an exponential moving
 * average of the weights, updated after every step, whose weights are validated each
 * epoch, kept as early stopping's best, and left in the model when training ends (see
 * {@link WeightAverage})
 */
public record TrainingConfig(int epochs, int batchSize, long seed, LearningRateSchedule schedule,
        EarlyStopping earlyStopping, int probeSize, boolean schedulePerStep, List<Augmentation> augmentation,
        Double emaDecay) {

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
        augmentation = List.copyOf(augmentation);
        if (emaDecay != null && !(emaDecay >= 0 && emaDecay < 1)) {
            throw new IllegalArgumentException("EMA decay must lie in [0, 1), got " + emaDecay);
        }
    }

    /** No augmentation. */
    public TrainingConfig(int epochs, int batchSize, long seed, LearningRateSchedule schedule,
            EarlyStopping earlyStopping, int probeSize, boolean schedulePerStep) {
        this(epochs, batchSize, seed, schedule, earlyStopping, probeSize, schedulePerStep, List.of(), null);
    }

    /** The schedule applied per epoch. */
    public TrainingConfig(int epochs, int batchSize, long seed, LearningRateSchedule schedule,
            EarlyStopping earlyStopping, int probeSize) {
        this(epochs, batchSize, seed, schedule, earlyStopping, probeSize, false, List.of(), null);
    }

    /** No early stopping, no diagnostics. */
    public static TrainingConfig of(int epochs, int batchSize, long seed, LearningRateSchedule schedule) {
        return new TrainingConfig(epochs, batchSize, seed, schedule, null, 0);
    }

    public TrainingConfig withEarlyStopping(EarlyStopping e) {
        return new TrainingConfig(epochs, batchSize, seed, schedule, e, probeSize, schedulePerStep, augmentation,
                emaDecay);
    }

    public TrainingConfig withDiagnostics(int probe) {
        return new TrainingConfig(epochs, batchSize, seed, schedule, earlyStopping, probe, schedulePerStep,
                augmentation, emaDecay);
    }

    /**
     * This config with the schedule set before every step ({@code true}) or per epoch.
     */
    public TrainingConfig withSchedulePerStep(boolean perStep) {
        return new TrainingConfig(epochs, batchSize, seed, schedule, earlyStopping, probeSize, perStep, augmentation,
                emaDecay);
    }

    /**
     * This config with {@code steps} applied to every training example (see
     * {@code augmentation}).
     */
    public TrainingConfig withAugmentation(List<Augmentation> steps) {
        return new TrainingConfig(epochs, batchSize, seed, schedule, earlyStopping, probeSize, schedulePerStep, steps,
                emaDecay);
    }

    /**
     * This config with an exponential moving average of the weights of {@code decay} (see
     * {@code emaDecay}).
     */
    public TrainingConfig withEma(double decay) {
        return new TrainingConfig(epochs, batchSize, seed, schedule, earlyStopping, probeSize, schedulePerStep,
                augmentation, decay);
    }
}
