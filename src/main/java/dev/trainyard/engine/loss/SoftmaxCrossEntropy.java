package dev.trainyard.engine.loss;

import dev.trainyard.engine.kernel.Softmax;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;

/**
 * Softmax cross-entropy on logits, as {@code torch.nn.functional.cross_entropy} with
 * {@code label_smoothing = epsilon} and mean reduction:
 * {@code loss_i = (1 - eps) * (-log p_i[y_i]) + eps * mean_k(-log p_i[k])}, the batch
 * mean of that, and {@code dLogits_i = (softmax_i - q_i) / N} with
 * {@code q_i = (1 - eps) * onehot(y_i) + eps / K}.
 *
 * <p>
 * Numerically stable: works from the log-softmax (max subtracted), never from
 * exp(logits). Not thread-safe: it keeps a scratch buffer for the log-probabilities.
 */
public final class SoftmaxCrossEntropy implements Loss {

    private final float labelSmoothing;

    private Tensor logProbs;

    public SoftmaxCrossEntropy() {
        this(0f);
    }

    /**
     * @param labelSmoothing epsilon in [0, 1): the mass spread evenly over all classes
     */
    public SoftmaxCrossEntropy(float labelSmoothing) {
        if (!(labelSmoothing >= 0f && labelSmoothing < 1f)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + labelSmoothing);
        }
        this.labelSmoothing = labelSmoothing;
    }

    public float labelSmoothing() {
        return labelSmoothing;
    }

    @Override
    public String name() {
        return "softmax_cross_entropy";
    }

    @Override
    public float compute(Tensor logits, int[] labels, int from, Tensor dLogits) {
        // logits is (N, K); dLogits is (N, K) or null
        if (logits.rank() != 2) {
            throw new IllegalArgumentException("cross-entropy needs logits of shape (N, K), got " + logits.shape());
        }
        int n = logits.dim(0);
        int k = logits.dim(1);
        if (from < 0 || from + n > labels.length) {
            throw new IllegalArgumentException(
                    "labels [" + from + ", " + (from + n) + ") outside " + labels.length + " labels");
        }
        if (dLogits != null) {
            Tensor.requireSameShape(logits, dLogits);
        }
        if (logProbs == null || !logProbs.shape().equals(logits.shape())) {
            logProbs = Tensor.zeros(Shape.of(n, k));
        }
        Softmax.logSoftmax(logits, logProbs);
        float[] lp = logProbs.data();
        float eps = labelSmoothing;
        float offTarget = eps / k;
        float onTarget = 1f - eps + offTarget;
        float invN = 1f / n;
        double total = 0;
        for (int i = 0; i < n; i++) {
            int y = labels[from + i];
            if (y < 0 || y >= k) {
                throw new IllegalArgumentException(
                        "label " + y + " at index " + (from + i) + " outside [0, " + k + ")");
            }
            int row = i * k;
            double nll = -lp[row + y];
            double smooth = 0;
            if (eps > 0f) {
                for (int c = 0; c < k; c++) {
                    smooth -= lp[row + c];
                }
                smooth /= k;
            }
            total += (1.0 - eps) * nll + eps * smooth;
            if (dLogits != null) {
                float[] d = dLogits.data();
                int o = dLogits.offset() + row;
                for (int c = 0; c < k; c++) {
                    float p = (float) StrictMath.exp(lp[row + c]);
                    d[o + c] = (p - (c == y ? onTarget : offTarget)) * invN;
                }
            }
        }
        return (float) (total / n);
    }

}
