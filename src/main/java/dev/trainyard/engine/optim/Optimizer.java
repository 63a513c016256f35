package dev.trainyard.engine.optim;

import dev.trainyard.engine.backend.ComputePool;
import java.util.Arrays;
import java.util.Map;

/**
 * Updates one contiguous parameter buffer from its gradient buffer (the layout
 * {@code Sequential} provides), with the update equations of {@code torch.optim}.
 *
 * <p>
 * The update is elementwise, so it is split over the compute pool in fixed chunks; every
 * element is written by exactly one chunk and the result is the same for any thread
 * count. The learning rate is set from outside (by a schedule) before each
 * {@link #step()}.
 *
 * <p>
 * Weight decay applies to every element unless ranges of the buffer are exempted
 * ({@link #exemptFromWeightDecay}), as torch's parameter groups with
 * {@code weight_decay = 0} do; each chunk is cut further at the ranges' bounds, so which
 * elements decay never depends on the thread count.
 */
public abstract class Optimizer {

    /** Elements per parallel chunk; fixed, never derived from the thread count. */
    static final int CHUNK = 1 << 14;

    protected final float[] params;

    protected final float[] grads;

    protected double learningRate;

    protected long steps;

    /**
     * Sorted, disjoint {@code [from, to)} pairs of elements without weight decay, flat.
     */
    private int[] exempt = new int[0];

    protected Optimizer(float[] params, float[] grads, double learningRate) {
        if (params.length != grads.length) {
            throw new IllegalArgumentException(
                    "parameter buffer has " + params.length + " values but gradient buffer " + grads.length);
        }
        if (!(learningRate >= 0)) {
            throw new IllegalArgumentException("learning rate must be >= 0, got " + learningRate);
        }
        this.params = params;
        this.grads = grads;
        this.learningRate = learningRate;
    }

    /**
     * {@code sgd}, {@code adam} or {@code adamw}: the kind recorded in exported state.
     */
    public abstract String kind();

    public double learningRate() {
        return learningRate;
    }

    public void setLearningRate(double learningRate) {
        if (!(learningRate >= 0)) {
            throw new IllegalArgumentException("learning rate must be >= 0, got " + learningRate);
        }
        this.learningRate = learningRate;
    }

    /** Number of steps taken so far. */
    public long steps() {
        return steps;
    }

    /**
     * Gives elements {@code [from, to)} no weight decay (a bias or a batch-norm scale,
     * say), keeping everything else the update does.
     */
    public final Optimizer exemptFromWeightDecay(int from, int to) {
        if (from < 0 || to > params.length || from > to) {
            throw new IllegalArgumentException(
                    "range [" + from + ", " + to + ") is not within the " + params.length + " parameters");
        }
        if (from == to) {
            return this;
        }
        // insert [from, to), then merge the pairs that touch or overlap, in order
        int[] pairs = Arrays.copyOf(exempt, exempt.length + 2);
        pairs[exempt.length] = from;
        pairs[exempt.length + 1] = to;
        Integer[] order = new Integer[pairs.length / 2];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (x, y) -> Integer.compare(pairs[2 * x], pairs[2 * y]));
        int[] ranges = new int[pairs.length];
        int count = 0;
        for (int k : order) {
            int start = pairs[2 * k];
            int end = pairs[2 * k + 1];
            if (count > 0 && start <= ranges[count - 1]) {
                ranges[count - 1] = Math.max(ranges[count - 1], end);
            }
            else {
                ranges[count++] = start;
                ranges[count++] = end;
            }
        }
        exempt = Arrays.copyOf(ranges, count);
        return this;
    }

    /** Applies one update from the current gradients. */
    public final void step() {
        steps++;
        beforeStep();
        int n = params.length;
        ComputePool.current().parallelFor(ComputePool.chunks(n, CHUNK), c -> {
            int from = c * CHUNK;
            updateCutAtExemptions(from, Math.min(n, from + CHUNK));
        });
    }

    /** {@link #update} over {@code [from, to)}, in pieces that decay or do not. */
    private void updateCutAtExemptions(int from, int to) {
        int at = from;
        for (int i = 0; i < exempt.length && at < to; i += 2) {
            int start = exempt[i];
            int end = exempt[i + 1];
            if (end <= at) {
                continue;
            }
            if (start > at) {
                update(at, Math.min(start, to), true);
                at = Math.min(start, to);
            }
            if (at < to) {
                update(at, Math.min(end, to), false);
                at = Math.min(end, to);
            }
        }
        if (at < to) {
            update(at, to, true);
        }
    }

    /**
     * Called once per step, after the step counter advanced and before the chunks run.
     */
    protected void beforeStep() {
    }

    /**
     * Updates elements {@code [from, to)}, with the weight decay if {@code decay}, else
     * as with a weight decay of 0.
     */
    protected abstract void update(int from, int to, boolean decay);

    /** A copy of everything the next steps depend on, for checkpoints. */
    public final OptimizerState exportState() {
        return new OptimizerState(kind(), steps, learningRate, copyBuffers());
    }

    /**
     * Restores state exported by an optimizer of the same kind over a buffer of the same
     * size.
     */
    public final void importState(OptimizerState state) {
        if (!state.kind().equals(kind())) {
            throw new IllegalArgumentException("optimizer state of kind " + state.kind() + " cannot restore " + kind());
        }
        for (Map.Entry<String, float[]> e : state.buffers().entrySet()) {
            if (e.getValue().length != params.length) {
                throw new IllegalArgumentException("optimizer buffer " + e.getKey() + " has " + e.getValue().length
                        + " values, the parameters " + params.length);
            }
        }
        this.steps = state.steps();
        this.learningRate = state.learningRate();
        restoreBuffers(state.buffers());
    }

    protected abstract Map<String, float[]> copyBuffers();

    protected abstract void restoreBuffers(Map<String, float[]> buffers);

}
