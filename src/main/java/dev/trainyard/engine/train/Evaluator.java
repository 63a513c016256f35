package dev.trainyard.engine.train;

import dev.trainyard.engine.data.Dataset;
import dev.trainyard.engine.loss.Loss;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.tensor.Tensor;

/** Inference in test mode (batch-norm running statistics, no dropout), in batches. */
public final class Evaluator {

    private Evaluator() {
    }

    /** Mean loss and accuracy over a data set. */
    public record Evaluation(double loss, double accuracy, int examples) {
    }

    public static Evaluation evaluate(Sequential model, Loss loss, Dataset data, int batchSize) {
        int n = data.size();
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            Tensor out = model.forward(data.features().slice(from, to), false);
            lossSum += (double) loss.compute(out, data.labels(), from, null) * (to - from);
            correct += countCorrect(out, data.labels(), from);
        }
        return new Evaluation(lossSum / n, (double) correct / n, n);
    }

    /** Model outputs (N, K) for features (N, ...inputShape), computed batch by batch. */
    public static Tensor predict(Sequential model, Tensor features, int batchSize) {
        int n = features.dim(0);
        Tensor result = null;
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            Tensor out = model.forward(features.slice(from, to), false);
            if (result == null) {
                result = Tensor.zeros(out.shape().dropFirst().withBatch(n));
            }
            result.slice(from, to).copyFrom(out);
        }
        return result;
    }

    /**
     * Index of the largest output of each row of {@code out} (N, K); the first on ties.
     */
    public static int[] argmax(Tensor out) {
        int n = out.dim(0);
        int k = out.shape().sizeFrom(1);
        int[] r = new int[n];
        float[] d = out.data();
        for (int i = 0; i < n; i++) {
            int base = out.offset() + i * k;
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (d[base + c] > d[base + best]) {
                    best = c;
                }
            }
            r[i] = best;
        }
        return r;
    }

    /** Rows of {@code out} whose argmax equals {@code labels[from + i]}. */
    static long countCorrect(Tensor out, int[] labels, int from) {
        int[] predicted = argmax(out);
        long correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == labels[from + i]) {
                correct++;
            }
        }
        return correct;
    }

}
