package dev.trainyard.engine.loss;

import dev.trainyard.engine.tensor.Tensor;

/**
 * A training objective over class labels. Implementations return the mean loss over the
 * batch and write the gradient of that mean with respect to the model outputs.
 */
public interface Loss {

    /** A short name for metrics and model files, e.g. {@code softmax_cross_entropy}. */
    String name();

    /**
     * Mean loss of {@code outputs} (N, K) against {@code labels[from .. from + N)}, each
     * in {@code [0, K)}. Writes dLoss/dOutputs (N, K) into {@code dOutputs} unless it is
     * null (evaluation only).
     */
    float compute(Tensor outputs, int[] labels, int from, Tensor dOutputs);

}
