package dev.trainyard.engine.kernel;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.tensor.Tensor;

/** Row-wise softmax and log-softmax of (rows, cols) logits, numerically stable. */
public final class Softmax {

    static final int ROW_CHUNK = 64;

    private Softmax() {
    }

    public static void softmax(Tensor x, Tensor y) {
        rows(x, y, false);
    }

    public static void logSoftmax(Tensor x, Tensor y) {
        rows(x, y, true);
    }

    private static void rows(Tensor x, Tensor y, boolean log) {
        Tensor.requireSameShape(x, y);
        int rows = x.dim(0);
        int cols = x.shape().sizeFrom(1);
        KernelSupport k = Kernels.support();
        ComputePool.current().parallelFor(ComputePool.chunks(rows, ROW_CHUNK), c -> {
            int r1 = Math.min(rows, (c + 1) * ROW_CHUNK);
            for (int r = c * ROW_CHUNK; r < r1; r++) {
                if (log) {
                    k.logSoftmax(x.data(), x.offset() + r * cols, y.data(), y.offset() + r * cols, cols);
                }
                else {
                    k.softmax(x.data(), x.offset() + r * cols, y.data(), y.offset() + r * cols, cols);
                }
            }
        });
    }

}
