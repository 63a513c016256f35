package dev.trainyard.engine.nn;

import dev.trainyard.engine.init.Fans;
import dev.trainyard.engine.init.Initializer;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One layer: an explicit forward and backward pass over a batch, in the manner of llm.c.
 *
 * <ul>
 * <li>Shapes are fixed when the layer is built: {@link #inputShape()} and
 * {@link #outputShape()} are per example (no batch dimension); tensors passed in and out
 * are (N, ...shape).</li>
 * <li>{@link #forward} caches what {@link #backward} needs (the input, a mask, the batch
 * statistics). Its result is owned by the layer and overwritten by the next forward.</li>
 * <li>{@link #backward} returns dInput (owned by the layer; null when the input gradient
 * is not needed, e.g. for the first layer) and ACCUMULATES parameter gradients (+=), so
 * the caller zeroes them between steps ({@link Sequential#zeroGrad()}).</li>
 * </ul>
 */
public abstract class Layer {

    private final LayerSpec spec;

    private final Shape inputShape;

    private final Shape outputShape;

    private final List<Parameter> parameters = new ArrayList<>();

    private boolean inputGradientNeeded = true;

    protected Layer(LayerSpec spec, Shape inputShape, Shape outputShape) {
        this.spec = spec;
        this.inputShape = inputShape;
        this.outputShape = outputShape;
    }

    /** y (N, ...outputShape) from x (N, ...inputShape). */
    public abstract Tensor forward(Tensor input, boolean training);

    /**
     * dx from dy (N, ...outputShape), for the batch of the last training forward;
     * accumulates parameter grads.
     */
    public abstract Tensor backward(Tensor dOutput);

    /** The job spec's type name: {@code dense}, {@code batch_norm}, ... */
    public String kind() {
        return spec.kind();
    }

    public LayerSpec spec() {
        return spec;
    }

    public Shape inputShape() {
        return inputShape;
    }

    public Shape outputShape() {
        return outputShape;
    }

    /** Trainable tensors, in state_dict order (weight before bias). */
    public List<Parameter> parameters() {
        return Collections.unmodifiableList(parameters);
    }

    public long parameterCount() {
        long n = 0;
        for (Parameter p : parameters) {
            n += p.size();
        }
        return n;
    }

    /**
     * Non-trainable state by local name (BatchNorm's {@code running_mean},
     * {@code running_var}), live tensors: checkpoints read them and restore them with
     * {@link Tensor#copyFrom}.
     */
    public Map<String, Tensor> state() {
        return Map.of();
    }

    /**
     * Whether the layer draws random numbers in training (dropout, DropBlock): Monte
     * Carlo inference ({@link Sequential#forwardMonteCarlo}) runs these in training mode
     * and every other layer in test mode.
     */
    public boolean stochastic() {
        return false;
    }

    /**
     * Every batch norm layer in this one by its path inside it: {@code ""} for a batch
     * norm itself, {@code body.1} in a residual. Their {@code num_batches_tracked}
     * counters are named from it ({@link Sequential#batchNormCounters()}).
     */
    Map<String, BatchNorm> batchNorms() {
        return Map.of();
    }

    /**
     * The Monte Carlo forward pass ({@link Sequential#forwardMonteCarlo}): training mode
     * where the layer is {@link #stochastic()}, test mode otherwise; a layer holding
     * others decides per sub-layer.
     */
    public Tensor forwardMonteCarlo(Tensor input) {
        return forward(input, stochastic());
    }

    /**
     * Prepares for serving: the weights will not change any more, so a layer may keep
     * them in whatever layout makes test-mode forward passes fastest. Results are the
     * same up to the GEMM provider's rounding, bit for bit with a block-invariant one
     * ({@link dev.trainyard.engine.kernel.Gemm#blockInvariant}). A training-mode forward
     * pass drops such copies.
     */
    public void prepareInference() {
    }

    /**
     * Called by the trainer at the start of every epoch (1-based), e.g. for DropBlock's
     * rate ramp.
     */
    public void startEpoch(int epoch) {
    }

    /**
     * Whether {@link #backward} must compute dInput; the model turns it off for its first
     * layer.
     */
    public boolean inputGradientNeeded() {
        return inputGradientNeeded;
    }

    public void setInputGradientNeeded(boolean needed) {
        this.inputGradientNeeded = needed;
    }

    protected final Parameter addParameter(String name, Shape shape, Initializer init, Fans fans) {
        Parameter p = new Parameter(name, shape, init, fans);
        parameters.add(p);
        return p;
    }

    /**
     * Makes a sub-layer's parameters this layer's too, after those added so far, named
     * under {@code prefix} ({@code body.0.weight}).
     */
    final void adoptParameters(String prefix, Layer sub) {
        for (Parameter p : sub.parameters) {
            p.nestUnder(prefix);
            parameters.add(p);
        }
    }

    /** Throws unless {@code input} is (N, ...inputShape); returns N. */
    protected final int batchOf(Tensor input) {
        Shape s = input.shape();
        boolean ok = s.rank() == inputShape.rank() + 1;
        for (int i = 0; ok && i < inputShape.rank(); i++) {
            ok = s.dim(i + 1) == inputShape.dim(i);
        }
        if (!ok) {
            throw new IllegalArgumentException(
                    kind() + " layer expects input (N, " + inner(inputShape) + "), got " + s);
        }
        return s.dim(0);
    }

    /** Throws unless {@code dOutput} is (n, ...outputShape). */
    protected final void requireOutputGradient(Tensor dOutput, int n) {
        Shape s = dOutput.shape();
        if (s.rank() != outputShape.rank() + 1 || s.dim(0) != n || s.size() != n * outputShape.size()) {
            throw new IllegalArgumentException(kind() + " layer expects dOutput (" + n + ", " + inner(outputShape)
                    + ") for the last forward batch, got " + s);
        }
    }

    protected static Map<String, Tensor> named(Object... nameTensorPairs) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < nameTensorPairs.length; i += 2) {
            m.put((String) nameTensorPairs[i], (Tensor) nameTensorPairs[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }

    private static String inner(Shape s) {
        String t = s.toString();
        return t.substring(1, t.length() - 1);
    }

    @Override
    public String toString() {
        return kind() + " " + inputShape + " -> " + outputShape;
    }

}
