package dev.trainyard.engine.nn;

import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;

/**
 * A layer's reusable output or gradient storage for (N, ...example) tensors. The same
 * tensor is returned while N is unchanged; the array grows only when a larger batch
 * arrives, and a smaller batch (the last, partial one) is a view over the front of it, so
 * steady training allocates nothing.
 */
final class Buffer {

    private final Shape example;

    private float[] data = new float[0];

    private Tensor view;

    Buffer(Shape example) {
        this.example = example;
    }

    /** A tensor (n, ...example); its contents are whatever the last user left. */
    Tensor forBatch(int n) {
        Tensor v = view;
        if (v != null && v.dim(0) == n) {
            return v;
        }
        Shape shape = example.withBatch(n);
        if (data.length < shape.size()) {
            data = new float[shape.size()];
        }
        view = Tensor.view(data, 0, shape);
        return view;
    }

}
