package dev.trainyard.engine.loss;

import dev.trainyard.engine.tensor.Tensor;

/**
 * Mean squared error as {@code torch.nn.functional.mse_loss} with mean reduction:
 * {@code loss = mean((y - t)^2)} over all N * K values, {@code dY = 2 (y - t) / (N * K)}.
 * Against class labels the target is the one-hot vector of the label.
 */
public final class MeanSquaredError implements Loss {

    @Override
    public String name() {
        return "mean_squared_error";
    }

    /**
     * Loss of predictions against real-valued targets of the same shape; dPredictions may
     * be null.
     */
    public float compute(Tensor predictions, Tensor targets, Tensor dPredictions) {
        Tensor.requireSameShape(predictions, targets);
        if (dPredictions != null) {
            Tensor.requireSameShape(predictions, dPredictions);
        }
        int size = predictions.size();
        float[] y = predictions.data();
        float[] t = targets.data();
        float scale = 2f / size;
        double total = 0;
        for (int i = 0; i < size; i++) {
            float diff = y[predictions.offset() + i] - t[targets.offset() + i];
            total += (double) diff * diff;
            if (dPredictions != null) {
                dPredictions.data()[dPredictions.offset() + i] = scale * diff;
            }
        }
        return (float) (total / size);
    }

    @Override
    public float compute(Tensor outputs, int[] labels, int from, Tensor dOutputs) {
        // outputs is (N, K); the target of row i is onehot(labels[from + i])
        if (outputs.rank() != 2) {
            throw new IllegalArgumentException(
                    "mean squared error on labels needs outputs (N, K), got " + outputs.shape());
        }
        int n = outputs.dim(0);
        int k = outputs.dim(1);
        Tensor targets = Tensor.zeros(n, k);
        for (int i = 0; i < n; i++) {
            int label = labels[from + i];
            if (label < 0 || label >= k) {
                throw new IllegalArgumentException(
                        "label " + label + " at index " + (from + i) + " outside [0, " + k + ")");
            }
            targets.data()[i * k + label] = 1f;
        }
        return compute(outputs, targets, dOutputs);
    }

}
