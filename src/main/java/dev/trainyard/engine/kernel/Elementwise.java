package dev.trainyard.engine.kernel;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.tensor.Tensor;

/**
 * Elementwise kernels on whole tensors, split into fixed chunks over the compute pool.
 * Forward functions write {@code y = f(x)} (y may be x); backward functions write
 * {@code dx} from the cached forward input or output and {@code dy}.
 */
public final class Elementwise {

    static final int CHUNK = 1 << 14;

    private Elementwise() {
    }

    /** Calls {@code body(start, length)} over [0, n) in fixed chunks. */
    interface Range {

        void run(int start, int length);

    }

    static void split(int n, Range body) {
        split(n, CHUNK, body);
    }

    /** Calls {@code body(start, length)} over [0, n) in fixed chunks of {@code chunk}. */
    static void split(int n, int chunk, Range body) {
        int chunks = ComputePool.chunks(n, chunk);
        ComputePool.current().parallelFor(chunks, c -> {
            int s = c * chunk;
            body.run(s, Math.min(chunk, n - s));
        });
    }

    public static void relu(Tensor x, Tensor y) {
        Tensor.requireSameSize(x, y);
        KernelSupport k = Kernels.support();
        split(x.size(), (s, n) -> k.relu(x.data(), x.offset() + s, y.data(), y.offset() + s, n));
    }

    public static void reluBackward(Tensor x, Tensor dy, Tensor dx) {
        Tensor.requireSameSize(x, dy);
        Tensor.requireSameSize(x, dx);
        KernelSupport k = Kernels.support();
        split(x.size(), (s, n) -> k.reluBackward(x.data(), x.offset() + s, dy.data(), dy.offset() + s, dx.data(),
                dx.offset() + s, n));
    }

    public static void leakyRelu(Tensor x, Tensor y, float slope) {
        Tensor.requireSameSize(x, y);
        KernelSupport k = Kernels.support();
        split(x.size(), (s, n) -> k.leakyRelu(x.data(), x.offset() + s, y.data(), y.offset() + s, n, slope));
    }

    public static void leakyReluBackward(Tensor x, Tensor dy, Tensor dx, float slope) {
        Tensor.requireSameSize(x, dy);
        Tensor.requireSameSize(x, dx);
        KernelSupport k = Kernels.support();
        split(x.size(), (s, n) -> k.leakyReluBackward(x.data(), x.offset() + s, dy.data(), dy.offset() + s, dx.data(),
                dx.offset() + s, n, slope));
    }

    public static void tanh(Tensor x, Tensor y) {
        Tensor.requireSameSize(x, y);
        KernelSupport k = Kernels.support();
        split(x.size(), (s, n) -> k.tanh(x.data(), x.offset() + s, y.data(), y.offset() + s, n));
    }

    /** {@code y} is the forward output. */
    public static void tanhBackward(Tensor y, Tensor dy, Tensor dx) {
        Tensor.requireSameSize(y, dy);
        Tensor.requireSameSize(y, dx);
        KernelSupport k = Kernels.support();
        split(y.size(), (s, n) -> k.tanhBackward(y.data(), y.offset() + s, dy.data(), dy.offset() + s, dx.data(),
                dx.offset() + s, n));
    }

    public static void sigmoid(Tensor x, Tensor y) {
        Tensor.requireSameSize(x, y);
        KernelSupport k = Kernels.support();
        split(x.size(), (s, n) -> k.sigmoid(x.data(), x.offset() + s, y.data(), y.offset() + s, n));
    }

    /** {@code y} is the forward output. */
    public static void sigmoidBackward(Tensor y, Tensor dy, Tensor dx) {
        Tensor.requireSameSize(y, dy);
        Tensor.requireSameSize(y, dx);
        KernelSupport k = Kernels.support();
        split(y.size(), (s, n) -> k.sigmoidBackward(y.data(), y.offset() + s, dy.data(), dy.offset() + s, dx.data(),
                dx.offset() + s, n));
    }

    /** y += alpha * x. */
    public static void axpy(float alpha, Tensor x, Tensor y) {
        Tensor.requireSameSize(x, y);
        KernelSupport k = Kernels.support();
        split(x.size(), (s, n) -> k.axpy(n, alpha, x.data(), x.offset() + s, y.data(), y.offset() + s));
    }

    /** x *= alpha. */
    public static void scale(float alpha, Tensor x) {
        KernelSupport k = Kernels.support();
        split(x.size(), (s, n) -> k.scale(n, alpha, x.data(), x.offset() + s));
    }

    /** y = a * b. */
    public static void mul(Tensor a, Tensor b, Tensor y) {
        Tensor.requireSameSize(a, b);
        Tensor.requireSameSize(a, y);
        KernelSupport k = Kernels.support();
        split(a.size(),
                (s, n) -> k.mul(a.data(), a.offset() + s, b.data(), b.offset() + s, y.data(), y.offset() + s, n));
    }

    /** y = a + b (y may be a or b). */
    public static void add(Tensor a, Tensor b, Tensor y) {
        Tensor.requireSameSize(a, b);
        Tensor.requireSameSize(a, y);
        KernelSupport k = Kernels.support();
        split(a.size(),
                (s, n) -> k.add(a.data(), a.offset() + s, b.data(), b.offset() + s, y.data(), y.offset() + s, n));
    }

}
