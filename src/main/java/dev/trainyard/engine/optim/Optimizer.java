package dev.trainyard.engine.optim;

import dev.trainyard.engine.backend.ComputePool;
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
 */
public abstract class Optimizer {

    /** Elements per parallel chunk; fixed, never derived from the thread count. */
    static final int CHUNK = 1 << 14;

    protected final float[] params;

    protected final float[] grads;

    protected double learningRate;

    protected long steps;

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

    /** Applies one update from the current gradients. */
    public final void step() {
        steps++;
        beforeStep();
        int n = params.length;
        ComputePool.current().parallelFor(ComputePool.chunks(n, CHUNK), c -> {
            int from = c * CHUNK;
            update(from, Math.min(n, from + CHUNK));
        });
    }

    /**
     * Called once per step, after the step counter advanced and before the chunks run.
     */
    protected void beforeStep() {
    }

    /** Updates elements {@code [from, to)}. */
    protected abstract void update(int from, int to);

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
