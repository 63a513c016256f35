package dev.trainyard.engine.nn;

import dev.trainyard.engine.kernel.Elementwise;
import dev.trainyard.engine.nn.LayerSpec.DropoutVariant;
import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;

/**
 * Dropout (Srivastava et al. 2014): in training each unit is dropped with probability
 * {@code rate}. INVERTED (default, as torch): kept units are scaled by 1 / (1 - rate),
 * test time is the identity. VANILLA (the lecture's first version): kept units pass
 * unscaled, and at test time every output is scaled by (1 - rate). Both keep the expected
 * activation of training equal to the test-time activation. dx = dy * mask (training) or
 * dy * test scale.
 */
public final class Dropout extends Layer {

    private final float rate;

    private final DropoutVariant variant;

    private final Rng rng;

    private final Buffer output;

    private final Buffer mask; // (N, ...) 0 for dropped units, the keep scale otherwise

    private final Buffer dInput;

    private Tensor lastMask;

    private int n = -1;

    private boolean lastTraining;

    public Dropout(LayerSpec.Dropout spec, Shape inputShape, Rng rng) {
        super(spec, inputShape, inputShape);
        this.rate = spec.rate();
        this.variant = spec.variant();
        this.rng = rng;
        this.output = new Buffer(inputShape);
        this.mask = new Buffer(inputShape);
        this.dInput = new Buffer(inputShape);
    }

    public float rate() {
        return rate;
    }

    public DropoutVariant variant() {
        return variant;
    }

    private float keepScale() {
        return variant == DropoutVariant.INVERTED ? 1f / (1f - rate) : 1f;
    }

    private float testScale() {
        return variant == DropoutVariant.INVERTED ? 1f : 1f - rate;
    }

    @Override
    public boolean stochastic() {
        return true;
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        n = batchOf(input);
        lastTraining = training;
        if (!training || rate == 0f) {
            lastTraining = false;
            if (testScale() == 1f) {
                return input;
            }
            Tensor y = output.forBatch(n);
            y.copyFrom(input);
            Elementwise.scale(testScale(), y);
            return y;
        }
        Tensor m = mask.forBatch(n);
        // a unit survives when its draw misses the drop probability
        Masks.fill(rng, Masks.threshold(rate), m.data(), m.offset(), m.size(), 0f, keepScale());
        return applyMask(input, m);
    }

    /**
     * Training forward with a given keep mask (1 keeps a unit, 0 drops it), e.g. to
     * reproduce another framework's draw; the mask is scaled as the variant prescribes.
     * No RNG is used.
     */
    public Tensor forward(Tensor input, Tensor keep) {
        n = batchOf(input);
        Tensor.requireSameShape(input, keep);
        lastTraining = true;
        Tensor m = mask.forBatch(n);
        m.copyFrom(keep);
        Elementwise.scale(keepScale(), m);
        return applyMask(input, m);
    }

    private Tensor applyMask(Tensor input, Tensor m) {
        lastMask = m;
        Tensor y = output.forBatch(n);
        Elementwise.mul(input, m, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (n < 0) {
            throw new IllegalStateException("dropout backward called before forward");
        }
        requireOutputGradient(dy, n);
        Tensor dx = dInput.forBatch(n);
        if (lastTraining) {
            Elementwise.mul(dy, lastMask, dx);
        }
        else {
            dx.copyFrom(dy);
            Elementwise.scale(testScale(), dx);
        }
        return dx;
    }

}
