package dev.trainyard.engine.optim;

/**
 * The learning rate per epoch or per optimizer step. {@link #rate(int)} is the rate of a
 * whole epoch, as torch's schedulers are normally stepped: constant within an epoch,
 * changing between epochs; each schedule then gives the same rates as the torch scheduler
 * named in its comment. {@link #rate(long, int)} is the rate before one step, for a rate
 * set before every step (torch's {@code LambdaLR} stepped per batch): the same curve
 * sampled at {@code step / stepsPerEpoch} epochs, except that a warm-up ramps per step
 * (see {@link Warmup}). Epochs and steps are counted from 0.
 */
public sealed interface LearningRateSchedule {

    /** The learning rate of {@code epoch} (0-based). */
    double rate(int epoch);

    /**
     * The learning rate before global step {@code step} (0-based, counting every batch of
     * the earlier epochs, the partial last one included) of a run with
     * {@code stepsPerEpoch} steps per epoch.
     */
    double rate(long step, int stepsPerEpoch);

    static LearningRateSchedule constant(double rate) {
        return new Constant(rate);
    }

    static LearningRateSchedule step(double rate, int stepEpochs, double gamma) {
        return new Step(rate, stepEpochs, gamma);
    }

    static LearningRateSchedule cosine(double rate, int epochs, double minRate) {
        return new Cosine(rate, epochs, minRate);
    }

    static LearningRateSchedule oneCycle(double maxRate, int epochs, double warmupFraction, double divFactor,
            double finalDivFactor) {
        return new OneCycle(maxRate, epochs, warmupFraction, divFactor, finalDivFactor);
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
        public double rate(long step, int stepsPerEpoch) {
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
        public double rate(long step, int stepsPerEpoch) {
            return rate * Math.pow(gamma, Math.floorDiv(step, (long) stepEpochs * stepsPerEpoch));
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

        /**
         * {@code minRate + (rate - minRate) * (1 + cos(pi * step / (epochs *
         * stepsPerEpoch))) / 2}.
         */
        @Override
        public double rate(long step, int stepsPerEpoch) {
            return minRate + (rate - minRate) * (1 + Math.cos(Math.PI * step / ((long) epochs * stepsPerEpoch))) / 2;
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
         * Per step, the warm-up's {@code W = warmupEpochs * stepsPerEpoch} steps use
         * {@code (step + 1) / W} of the main schedule's first rate, reaching it at the
         * last warm-up step; from step {@code W} the main schedule runs from its own step
         * 0. With a cosine main schedule over the remaining epochs this is the peer's
         * resnet recipe, {@code LambdaLR} with {@code (s + 1) / W} and then
         * {@code (1 + cos(pi (s - W) / (T - W))) / 2}, to the last bit.
         */
        @Override
        public double rate(long step, int stepsPerEpoch) {
            long w = (long) warmupEpochs * stepsPerEpoch;
            if (step < w) {
                return main.rate(0L, stepsPerEpoch) * ((double) (step + 1) / w);
            }
            return main.rate(step - w, stepsPerEpoch);
        }
    }

    /**
     * One cycle (Smith and Topin, 2019, "Super-Convergence"): over the first
     * {@code warmupFraction} of the {@code epochs}' steps the rate rises linearly from
     * {@code maxRate / divFactor} to {@code maxRate}, then falls along a half cosine to
     * {@code maxRate / divFactor / finalDivFactor} at the end of training. With {@code U
     * = warmupFraction * T} of the {@code T} steps: {@code initial + (max - initial) * s
     * / U} for {@code s < U}, else {@code final + (max - final) * (1 + cos(pi (s - U) /
     * (T - U))) / 2}. Per epoch, the same curve with one step per epoch. Unlike torch's
     * {@code OneCycleLR} the rise is linear (its {@code anneal_strategy} shapes both
     * phases alike) and the curve ends at {@code T}, one step past the last.
     */
    record OneCycle(double maxRate, int epochs, double warmupFraction, double divFactor,
            double finalDivFactor) implements LearningRateSchedule {
        public OneCycle {
            requireRate(maxRate);
            if (epochs < 1) {
                throw new IllegalArgumentException("one-cycle schedule needs epochs >= 1, got " + epochs);
            }
            if (!(warmupFraction >= 0 && warmupFraction < 1)) {
                throw new IllegalArgumentException(
                        "one-cycle schedule needs warmupFraction in [0, 1), got " + warmupFraction);
            }
            if (!(divFactor >= 1 && Double.isFinite(divFactor))
                    || !(finalDivFactor >= 1 && Double.isFinite(finalDivFactor))) {
                throw new IllegalArgumentException("one-cycle schedule needs divFactor and finalDivFactor >= 1, got "
                        + divFactor + ", " + finalDivFactor);
            }
        }

        @Override
        public double rate(int epoch) {
            return rate(epoch, 1);
        }

        @Override
        public double rate(long step, int stepsPerEpoch) {
            double total = (double) epochs * stepsPerEpoch;
            double up = warmupFraction * total;
            double initial = maxRate / divFactor;
            if (step < up) {
                return initial + (maxRate - initial) * step / up;
            }
            double last = initial / finalDivFactor;
            return last + (maxRate - last) * (1 + Math.cos(Math.PI * (step - up) / (total - up))) / 2;
        }
    }

    private static void requireRate(double rate) {
        if (!(rate >= 0 && Double.isFinite(rate))) {
            throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + rate);
        }
    }

}
