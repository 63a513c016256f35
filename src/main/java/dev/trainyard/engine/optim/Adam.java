package dev.trainyard.engine.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma and Ba, 2015) exactly as {@code torch.optim.Adam}, and with
 * {@code decoupled} the AdamW of Loshchilov and Hutter (2019) as
 * {@code torch.optim.AdamW}: <pre>
 *   t += 1
 *   AdamW: p *= 1 - lr * wd            Adam: g = grad + wd * p
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g^2
 *   p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre> Betas and bias corrections are doubles, as torch's Python scalars are.
 */
public class Adam extends Optimizer {

    private final double beta1;

    private final double beta2;

    private final float eps;

    private final float weightDecay;

    private final boolean decoupled;

    private float[] expAvg;

    private float[] expAvgSq;

    private float stepSize;

    private float biasCorrection2Sqrt;

    private float shrink;

    Adam(float[] params, float[] grads, double learningRate, double beta1, double beta2, float eps, float weightDecay,
            boolean decoupled) {
        super(params, grads, learningRate);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps >= 0f) || !(weightDecay >= 0f)) {
            throw new IllegalArgumentException("eps and weight decay must be >= 0, got " + eps + ", " + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        this.expAvg = new float[params.length];
        this.expAvgSq = new float[params.length];
    }

    /** Adam with L2 weight decay folded into the gradient (torch's {@code Adam}). */
    public Adam(float[] params, float[] grads, double learningRate, double beta1, double beta2, float eps,
            float weightDecay) {
        this(params, grads, learningRate, beta1, beta2, eps, weightDecay, false);
    }

    /** Adam with torch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public Adam(float[] params, float[] grads, double learningRate) {
        this(params, grads, learningRate, 0.9, 0.999, 1e-8f, 0f, false);
    }

    @Override
    public String kind() {
        return decoupled ? "adamw" : "adam";
    }

    @Override
    protected void beforeStep() {
        double bc1 = 1 - Math.pow(beta1, steps);
        double bc2 = 1 - Math.pow(beta2, steps);
        stepSize = (float) (learningRate / bc1);
        biasCorrection2Sqrt = (float) Math.sqrt(bc2);
        shrink = (float) (1 - learningRate * weightDecay);
    }

    @Override
    protected void update(int from, int to, boolean decay) {
        float[] p = params;
        float[] dp = grads;
        float[] m = expAvg;
        float[] v = expAvgSq;
        // torch multiplies float tensors by the double betas rounded to float
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float c1 = (float) (1 - beta1);
        float c2 = (float) (1 - beta2);
        float wd = decay ? weightDecay : 0f;
        boolean decoupledDecay = decoupled;
        float shrink = decay ? this.shrink : 1f;
        float size = stepSize;
        float bc2 = biasCorrection2Sqrt;
        float e = eps;
        for (int i = from; i < to; i++) {
            float g = dp[i];
            float w = p[i];
            if (decoupledDecay) {
                w *= shrink;
            }
            else {
                g += wd * w;
            }
            float mi = b1 * m[i] + c1 * g;
            float vi = b2 * v[i] + c2 * (g * g);
            m[i] = mi;
            v[i] = vi;
            float denom = (float) Math.sqrt(vi) / bc2 + e;
            p[i] = w - size * (mi / denom);
        }
    }

    @Override
    protected Map<String, float[]> copyBuffers() {
        Map<String, float[]> b = new LinkedHashMap<>();
        b.put("exp_avg", expAvg.clone());
        b.put("exp_avg_sq", expAvgSq.clone());
        return b;
    }

    @Override
    protected void restoreBuffers(Map<String, float[]> buffers) {
        float[] m = buffers.get("exp_avg");
        float[] v = buffers.get("exp_avg_sq");
        if (m == null || v == null) {
            throw new IllegalArgumentException("Adam state needs exp_avg and exp_avg_sq, got " + buffers.keySet());
        }
        expAvg = m.clone();
        expAvgSq = v.clone();
    }

}
