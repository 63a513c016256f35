package dev.trainyard.engine.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stochastic gradient descent exactly as {@code torch.optim.SGD} with dampening 0: <pre>
 *   g = grad + wd * p
 *   buf = first step ? g : momentum * buf + g
 *   g = nesterov ? g + momentum * buf : buf        (only when momentum != 0)
 *   p -= lr * g
 * </pre> With {@code decoupled} the weight decay stays out of the gradient and the
 * momentum, as SGDW (Loshchilov and Hutter, 2019, "Decoupled Weight Decay
 * Regularization"): {@code p *= 1 - lr * wd} first, then the step above with
 * {@code g = grad}, the order in which {@code torch.optim.AdamW} decays.
 */
public final class Sgd extends Optimizer {

    private final float momentum;

    private final boolean nesterov;

    private final float weightDecay;

    private final boolean decoupled;

    private float[] momentumBuffer;

    private float lr;

    private float shrink;

    /** SGD with L2 weight decay folded into the gradient (torch's {@code SGD}). */
    public Sgd(float[] params, float[] grads, double learningRate, float momentum, boolean nesterov,
            float weightDecay) {
        this(params, grads, learningRate, momentum, nesterov, weightDecay, false);
    }

    /**
     * SGD whose weight decay is folded into the gradient, or with {@code decoupled}
     * applied to the weights alone (SGDW).
     */
    public Sgd(float[] params, float[] grads, double learningRate, float momentum, boolean nesterov, float weightDecay,
            boolean decoupled) {
        super(params, grads, learningRate);
        if (!(momentum >= 0f && momentum < 1f)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (nesterov && momentum == 0f) {
            throw new IllegalArgumentException("Nesterov momentum needs a momentum > 0");
        }
        if (!(weightDecay >= 0f)) {
            throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        }
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
    }

    /** Plain SGD, no momentum, no weight decay. */
    public Sgd(float[] params, float[] grads, double learningRate) {
        this(params, grads, learningRate, 0f, false, 0f);
    }

    @Override
    public String kind() {
        return "sgd";
    }

    @Override
    protected void beforeStep() {
        lr = (float) learningRate;
        shrink = (float) (1 - learningRate * weightDecay);
        if (momentum != 0f && momentumBuffer == null) {
            momentumBuffer = new float[params.length];
        }
    }

    @Override
    protected void update(int from, int to, boolean decay) {
        float[] p = params;
        float[] dp = grads;
        float[] buf = momentumBuffer;
        float mu = momentum;
        float wd = decay && !decoupled ? weightDecay : 0f;
        float rate = lr;
        if (decay && decoupled) {
            float s = shrink;
            for (int i = from; i < to; i++) {
                p[i] *= s;
            }
        }
        if (mu == 0f) {
            for (int i = from; i < to; i++) {
                float g = dp[i] + wd * p[i];
                p[i] -= rate * g;
            }
        }
        else if (steps == 1) {
            for (int i = from; i < to; i++) {
                float g = dp[i] + wd * p[i];
                buf[i] = g;
                p[i] -= rate * (nesterov ? g + mu * g : g);
            }
        }
        else {
            for (int i = from; i < to; i++) {
                float g = dp[i] + wd * p[i];
                float b = mu * buf[i] + g;
                buf[i] = b;
                p[i] -= rate * (nesterov ? g + mu * b : b);
            }
        }
    }

    @Override
    protected Map<String, float[]> copyBuffers() {
        Map<String, float[]> m = new LinkedHashMap<>();
        if (momentumBuffer != null) {
            m.put("momentum_buffer", momentumBuffer.clone());
        }
        return m;
    }

    @Override
    protected void restoreBuffers(Map<String, float[]> buffers) {
        float[] b = buffers.get("momentum_buffer");
        momentumBuffer = b == null ? null : b.clone();
    }

}
