package dev.trainyard.engine.kernel;

import dev.trainyard.engine.tensor.Tensor;
import java.util.Arrays;

/**
 * Batch norm's affine pass, a ReLU and a max pool over one channel of (N, C, H, W), so
 * that neither the batch norm's output nor the pool's input gradient is ever written out
 * at (N, C, H, W) size.
 *
 * <p>
 * The forward takes each plane through a plane-sized scratch with the kernels of the
 * three layers ({@link KernelSupport#channelAffine}, then {@link KernelSupport#maxPool}).
 * The backward routes the pool's gradient to the window maxima, gated by the ReLU (read
 * from the pool's output, which is the ReLU's output at each maximum), into one channel's
 * scratch and runs the batch norm's backward kernels on it one image at a time, folded in
 * image order as those kernels fold images. The bits are those of the three layers one
 * after another.
 */
public final class NormPool {

    // per thread: one plane for the forward, one channel's routed gradient for the
    // backward
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

    private NormPool() {
    }

    /**
     * Channel c of y (N, C, OH, OW) = the k x k, stride {@code stride} window maxima of
     * max(x * scale + shift, 0) for x (N, C, H, W), with their positions in argmax (as
     * {@link Pool#maxPool}).
     */
    public static void forwardChannel(Tensor x, int c, float scale, float shift, int k, int stride, Tensor y,
            int[] argmax) {
        Geometry g = Geometry.of(x, y, c);
        if (g.oh != Pool.outputSize(g.h, k, stride) || g.ow != Pool.outputSize(g.w, k, stride)) {
            throw new IllegalArgumentException("pool output " + y.shape() + " does not fit input " + x.shape()
                    + " with window " + k + " stride " + stride);
        }
        requireArgmax(argmax, y);
        KernelSupport ks = Kernels.support();
        float[] plane = plane(g.hw);
        for (int i = 0; i < g.n; i++) {
            int p = i * g.channels + c;
            ks.channelAffine(x.data(), x.offset() + p * g.hw, plane, 0, 1, 1, g.hw, 0, scale, shift, true);
            ks.maxPool(plane, 0, g.h, g.w, k, stride, y.data(), y.offset() + p * g.ohw, g.oh, g.ow, argmax, p * g.ohw);
        }
    }

    /**
     * Channel c's gradient at the batch norm's output, (N, H*W) in a scratch of the
     * calling thread, valid until its next call: dy (N, C, OH, OW), the gradient of the
     * pool's output y (N, C, OH, OW), routed to each window's maximum where the window's
     * y is positive, +0 elsewhere. A window's y is the ReLU's output at its maximum, so
     * it is positive exactly where the ReLU passes that gradient on.
     */
    public static float[] routedGradient(Tensor dy, Tensor y, int[] argmax, Tensor x, int c) {
        Geometry g = Geometry.of(x, dy, c);
        requireArgmax(argmax, dy);
        if (!y.shape().equals(dy.shape())) {
            throw new IllegalArgumentException("pool output " + y.shape() + " does not fit its gradient " + dy.shape());
        }
        int size = g.n * g.hw;
        float[][] scratch = SCRATCH.get();
        if (scratch[1].length < size) {
            scratch[1] = new float[size];
        }
        float[] routed = scratch[1];
        Arrays.fill(routed, 0, size, 0f);
        float[] dys = dy.data();
        float[] ys = y.data();
        for (int i = 0; i < g.n; i++) {
            int p = (i * g.channels + c) * g.ohw;
            int from = dy.offset() + p;
            int yo = y.offset() + p;
            int ro = i * g.hw;
            for (int j = 0; j < g.ohw; j++) {
                // as the ReLU backward kernels: +0 where the gate is not positive
                int open = ys[yo + j] > 0f ? -1 : 0;
                routed[ro + argmax[p + j]] += Float.intBitsToFloat(Float.floatToRawIntBits(dys[from + j]) & open);
            }
        }
        return routed;
    }

    /**
     * The batch norm backward sums of channel c ({@link Reduce#channelGradientSums}) for
     * the gradient {@link #routedGradient} left in routed: sums[0] = its sum, sums[1] =
     * the sum of it times (x - mean), image by image as that kernel folds them.
     */
    public static void gradientSums(float[] routed, Tensor x, int c, float mean, double[] sums) {
        KernelSupport ks = Kernels.support();
        int n = x.dim(0);
        int channels = x.dim(1);
        int hw = x.shape().sizeFrom(2);
        double sDy = 0;
        double sDyXmu = 0;
        double[] one = new double[2];
        for (int i = 0; i < n; i++) {
            ks.channelGradientSums(routed, i * hw, x.data(), x.offset() + (i * channels + c) * hw, null, 0, 1, 1, hw, 0,
                    mean, one);
            sDy += one[0];
            sDyXmu += one[1];
        }
        sums[0] = sDy;
        sums[1] = sDyXmu;
    }

    /**
     * Channel c of dx (N, C, H, W), batch norm's input gradient
     * ({@link Reduce#channelInputGradient}) for the gradient {@link #routedGradient} left
     * in routed.
     */
    public static void inputGradient(float[] routed, Tensor x, Tensor dx, int c, float mean, float k, float meanDy,
            float q) {
        if (!dx.shape().equals(x.shape())) {
            throw new IllegalArgumentException("input gradient " + dx.shape() + " does not fit input " + x.shape());
        }
        KernelSupport ks = Kernels.support();
        int n = x.dim(0);
        int channels = x.dim(1);
        int hw = x.shape().sizeFrom(2);
        for (int i = 0; i < n; i++) {
            int p = (i * channels + c) * hw;
            ks.channelInputGradient(routed, i * hw, x.data(), x.offset() + p, null, 0, dx.data(), dx.offset() + p, 1, 1,
                    hw, 0, mean, k, meanDy, q);
        }
    }

    private static void requireArgmax(int[] argmax, Tensor pooled) {
        if (argmax.length < pooled.size()) {
            throw new IllegalArgumentException("argmax needs " + pooled.size() + " entries, got " + argmax.length);
        }
    }

    private static float[] plane(int hw) {
        float[][] s = SCRATCH.get();
        if (s[0].length < hw) {
            s[0] = new float[hw];
        }
        return s[0];
    }

    private record Geometry(int n, int channels, int h, int w, int hw, int oh, int ow, int ohw) {
        static Geometry of(Tensor x, Tensor pooled, int c) {
            if (x.rank() != 4 || pooled.rank() != 4 || pooled.dim(0) != x.dim(0) || pooled.dim(1) != x.dim(1)) {
                throw new IllegalArgumentException(
                        "pooled " + pooled.shape() + " does not fit (N, C, H, W) input " + x.shape());
            }
            if (c < 0 || c >= x.dim(1)) {
                throw new IllegalArgumentException("channel " + c + " out of " + x.dim(1));
            }
            return new Geometry(x.dim(0), x.dim(1), x.dim(2), x.dim(3), x.dim(2) * x.dim(3), pooled.dim(2),
                    pooled.dim(3), pooled.dim(2) * pooled.dim(3));
        }
    }

}
