package dev.trainyard.engine.data;

import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;

/**
 * Labelled examples in memory: features (N, ...featureShape) as one contiguous tensor,
 * integer labels in [0, classes). What the trainer, the preprocessors and the splitters
 * work on.
 */
public record Dataset(Tensor features, int[] labels, int classes) {

    public Dataset {
        if (features.dim(0) != labels.length) {
            throw new IllegalArgumentException("features " + features.shape() + " but " + labels.length + " labels");
        }
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be positive, got " + classes);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(
                        "label " + labels[i] + " of example " + i + " outside [0, " + classes + ")");
            }
        }
    }

    public int size() {
        return labels.length;
    }

    /** Shape of one example, without the batch dimension. */
    public Shape featureShape() {
        return features.shape().dropFirst();
    }

    /** A copy holding the examples at {@code indices}, in that order. */
    public Dataset subset(int[] indices) {
        int width = features.shape().sizeFrom(1);
        float[] out = new float[indices.length * width];
        int[] outLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(features.data(), features.offset() + indices[i] * width, out, i * width, width);
            outLabels[i] = labels[indices[i]];
        }
        return new Dataset(Tensor.wrap(out, featureShape().withBatch(indices.length)), outLabels, classes);
    }
}
