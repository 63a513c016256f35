package dev.trainyard.engine.optim;

/**
 * The learning rate per epoch. Schedules are per epoch, as torch's schedulers are
 * normally stepped: the rate is constant within an epoch and changes between epochs.
 * Epochs are counted from 0. Each schedule gives the same rates as the torch scheduler
 * named in its comment.
 *
 * <p>
 * {@link #rate(double)} samples the same curve at a fractional epoch, for a rate set
 * before every optimizer step (epoch {@code e + b / stepsPerEpoch} at batch {@code b} of
 * epoch {@code e}); at a whole epoch it equals {@link #rate(int)} exactly.
 */
public sealed interface LearningRateSchedule {

    /** The learning rate of {@code epoch} (0-based). */
    double rate(int epoch);

    /**
     * The learning rate at the fractional {@code epoch} (0-based): the curve of
     * {@link #rate(int)} extended between whole epochs.
     */
    double rate(double epoch);

    static LearningRateSchedule constant(double rate) {
        return new Constant(rate);
    }

    static LearningRateSchedule step(double rate, int stepEpochs, double gamma) {
        return new Step(rate, stepEpochs, gamma);
    }

    static LearningRateSchedule cosine(double rate, int epochs, double minRate) {
        return new Cosine(rate, epochs, minRate);
    }

    /**
     * This schedule preceded by {@code warmupEpochs} of linear warm-up (see
     * {@link Warmup}).
     */
    default LearningRateSchedule withWarmup(int warmupEpochs) {
        return warmupEpochs == 0 ? this : new Warmup(warmupEpochs, this);
    }

    /** A fixed rate ({@code torch.optim.lr_scheduler.ConstantLR} with factor 1). */
    record Constant(double rate) implements LearningRateSchedule {
        public Constant {
            requireRate(rate);
        }

        @Override
        public double rate(int epoch) {
            return rate;
        }

        @Override
        public double rate(double epoch) {
            return rate;
        }
    }

    /**
     * {@code rate * gamma^floor(epoch / stepEpochs)}, as
     * {@code StepLR(step_size, gamma)}.
     */
    record Step(double rate, int stepEpochs, double gamma) implements LearningRateSchedule {
        public Step {
            requireRate(rate);
            if (stepEpochs < 1) {
                throw new IllegalArgumentException("step schedule needs stepEpochs >= 1, got " + stepEpochs);
            }
            if (!(gamma > 0 && gamma <= 1)) {
                throw new IllegalArgumentException("step schedule needs gamma in (0, 1], got " + gamma);
            }
        }

        @Override
        public double rate(int epoch) {
            return rate * Math.pow(gamma, Math.floorDiv(epoch, stepEpochs));
        }

        /** Decays at whole multiples of {@code stepEpochs}, as per epoch. */
        @Override
        public double rate(double epoch) {
            return rate * Math.pow(gamma, Math.floor(epoch / stepEpochs));
        }
    }

    /**
     * Cosine annealing from {@code rate} at epoch 0 to {@code minRate} at epoch
     * {@code epochs} ({@code CosineAnnealingLR(T_max = epochs, eta_min)}):
     * {@code minRate + (rate - minRate) * (1 + cos(pi * epoch / epochs)) / 2}. Past
     * {@code epochs} it rises again, as torch's does; the trainer sets {@code epochs} to
     * the training length.
     */
    record Cosine(double rate, int epochs, double minRate) implements LearningRateSchedule {
        public Cosine {
            requireRate(rate);
            if (epochs < 1) {
                throw new IllegalArgumentException("cosine schedule needs epochs >= 1, got " + epochs);
            }
            if (!(minRate >= 0 && minRate <= rate)) {
                throw new IllegalArgumentException("cosine schedule needs 0 <= minRate <= rate, got " + minRate);
            }
        }

        @Override
        public double rate(int epoch) {
            return minRate + (rate - minRate) * (1 + Math.cos(Math.PI * epoch / epochs)) / 2;
        }

        @Override
        public double rate(double epoch) {
            return minRate + (rate - minRate) * (1 + Math.cos(Math.PI * epoch / epochs)) / 2;
        }
    }

    /**
     * Linear warm-up: epoch {@code e < warmupEpochs} uses
     * {@code (e + 1) / (warmupEpochs + 1)} of the main schedule's first rate; from epoch
     * {@code warmupEpochs} the main schedule runs from its own epoch 0. Torch:
     * {@code SequentialLR([LinearLR(start_factor = 1 / (w + 1),
     * total_iters = w), main], milestones = [w])}.
     */
    record Warmup(int warmupEpochs, LearningRateSchedule main) implements LearningRateSchedule {
        public Warmup {
            if (warmupEpochs < 1) {
                throw new IllegalArgumentException("warm-up needs warmupEpochs >= 1, got " + warmupEpochs);
            }
        }

        @Override
        public double rate(int epoch) {
            if (epoch < warmupEpochs) {
                return main.rate(0) * (epoch + 1) / (warmupEpochs + 1);
            }
            return main.rate(epoch - warmupEpochs);
        }

        /**
         * The line through the per-epoch warm-up rates, {@code (epoch + 1) /
         * (warmupEpochs + 1)} of the main schedule's first rate, up to
         * {@code warmupEpochs}, where it reaches that first rate.
         */
        @Override
        public double rate(double epoch) {
            if (epoch < warmupEpochs) {
                return main.rate(0) * (epoch + 1) / (warmupEpochs + 1);
            }
            return main.rate(epoch - warmupEpochs);
        }
    }

    private static void requireRate(double rate) {
        if (!(rate >= 0 && Double.isFinite(rate))) {
            throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + rate);
        }
    }

}
