package dev.trainyard.engine.kernel;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.tensor.Tensor;

/**
 * Bias addition, bias-gradient reductions and the per-feature / per-channel moments batch
 * normalization needs. Work is split by feature or channel, so each output is reduced by
 * one thread in a fixed order: results do not depend on the thread count.
 */
public final class Reduce {

    static final int COLUMN_CHUNK = 64;
    static final int ROW_CHUNK = 64;

    private Reduce() {
    }

    /**
     * y (rows, cols) += bias (cols) broadcast over rows; y may have any rank, cols = bias
     * size.
     */
    public static void addBias(Tensor y, Tensor bias) {
        int cols = bias.size();
        int rows = rows(y, cols);
        KernelSupport k = Kernels.support();
        ComputePool.current().parallelFor(ComputePool.chunks(rows, ROW_CHUNK), c -> {
            int r0 = c * ROW_CHUNK;
            int r = Math.min(ROW_CHUNK, rows - r0);
            k.addBias(bias.data(), bias.offset(), y.data(), y.offset() + r0 * cols, r, cols);
        });
    }

    /**
     * out (cols) += the sum over rows of x (rows, cols): the bias gradient of a dense
     * layer.
     */
    public static void sumRows(Tensor x, Tensor out) {
        int cols = out.size();
        int rows = rows(x, cols);
        Kernels.support().sumRows(x.data(), x.offset(), rows, cols, out.data(), out.offset());
    }

    /**
     * out (C) += the sum of each channel of x (N, C, H, W): the bias gradient of a
     * convolution.
     */
    public static void sumChannels(Tensor x, Tensor out) {
        int n = x.dim(0);
        int channels = x.dim(1);
        int hw = x.shape().sizeFrom(2);
        requireSize(out, channels, "channel sums");
        KernelSupport k = Kernels.support();
        ComputePool.current().parallelFor(channels, c -> {
            float s = 0f;
            for (int i = 0; i < n; i++) {
                s += k.sum(x.data(), x.offset() + (i * channels + c) * hw, hw);
            }
            out.data()[out.offset() + c] += s;
        });
    }

    /** Per-feature mean and biased variance of x (N, F) into mean (F) and var (F). */
    public static void columnMoments(Tensor x, float[] mean, float[] var) {
        int cols = x.shape().sizeFrom(1);
        int rows = x.dim(0);
        if (mean.length != cols || var.length != cols) {
            throw new IllegalArgumentException("moments of " + x.shape() + " need arrays of " + cols);
        }
        KernelSupport k = Kernels.support();
        ComputePool.current().parallelFor(ComputePool.chunks(cols, COLUMN_CHUNK), c -> {
            int c0 = c * COLUMN_CHUNK;
            k.columnMoments(x.data(), x.offset(), rows, cols, c0, Math.min(cols, c0 + COLUMN_CHUNK), mean, var);
        });
    }

    /**
     * Per-channel mean and biased variance of x (N, C, H, W) into mean (C) and var (C).
     */
    public static void channelMoments(Tensor x, float[] mean, float[] var) {
        int n = x.dim(0);
        int channels = x.dim(1);
        int hw = x.shape().sizeFrom(2);
        if (mean.length != channels || var.length != channels) {
            throw new IllegalArgumentException("moments of " + x.shape() + " need arrays of " + channels);
        }
        KernelSupport k = Kernels.support();
        ComputePool.current()
            .parallelFor(channels, c -> k.channelMoments(x.data(), x.offset(), n, channels, hw, c, c + 1, mean, var));
    }

    /**
     * Channel c's mean and biased variance of x (N, C, H, W) into mean[c] and var[c], on
     * the calling thread, the bits of {@link #channelMoments(Tensor, float[], float[])}.
     */
    public static void channelMoments(Tensor x, int c, float[] mean, float[] var) {
        int channels = x.dim(1);
        if (mean.length != channels || var.length != channels || c < 0 || c >= channels) {
            throw new IllegalArgumentException(
                    "moments of channel " + c + " of " + x.shape() + " need arrays of " + channels);
        }
        Kernels.support()
            .channelMoments(x.data(), x.offset(), x.dim(0), channels, x.shape().sizeFrom(2), c, c + 1, mean, var);
    }

    /**
     * Batch norm's backward sums for channel c of dy and x (N, C, H, W): sums[0] = the
     * sum of g, sums[1] = the sum of g * (x - mean), in a fixed order on the calling
     * thread; g = dy, or where gate is not null the gradient through a ReLU whose output
     * is gate (dy where gate > 0, else 0).
     */
    public static void channelGradientSums(Tensor dy, Tensor x, Tensor gate, int c, float mean, double[] sums) {
        if (!dy.shape().equals(x.shape()) || x.rank() < 3 || gate != null && !gate.shape().equals(x.shape())) {
            throw new IllegalArgumentException("gradient " + dy.shape() + " does not fit input " + x.shape());
        }
        Kernels.support()
            .channelGradientSums(dy.data(), dy.offset(), x.data(), x.offset(), gate == null ? null : gate.data(),
                    gate == null ? 0 : gate.offset(), x.dim(0), x.dim(1), x.shape().sizeFrom(2), c, mean, sums);
    }

    /**
     * y = batch norm's output for channel c: {@code x * scale + shift}, then
     * {@code max(., 0)} when relu.
     */
    public static void channelAffine(Tensor x, Tensor y, int c, float scale, float shift, boolean relu) {
        if (!y.shape().equals(x.shape()) || x.rank() < 3) {
            throw new IllegalArgumentException("output " + y.shape() + " does not fit input " + x.shape());
        }
        Kernels.support()
            .channelAffine(x.data(), x.offset(), y.data(), y.offset(), x.dim(0), x.dim(1), x.shape().sizeFrom(2), c,
                    scale, shift, relu);
    }

    /**
     * dx = batch norm's input gradient for channel c, from the sums of
     * {@link #channelGradientSums}: {@code k * ((g - meanDy) - (x - mean) * q)}.
     */
    public static void channelInputGradient(Tensor dy, Tensor x, Tensor gate, Tensor dx, int c, float mean, float k,
            float meanDy, float q) {
        if (!dy.shape().equals(x.shape()) || !dx.shape().equals(x.shape()) || x.rank() < 3
                || gate != null && !gate.shape().equals(x.shape())) {
            throw new IllegalArgumentException("gradient " + dy.shape() + " does not fit input " + x.shape());
        }
        Kernels.support()
            .channelInputGradient(dy.data(), dy.offset(), x.data(), x.offset(), gate == null ? null : gate.data(),
                    gate == null ? 0 : gate.offset(), dx.data(), dx.offset(), x.dim(0), x.dim(1), x.shape().sizeFrom(2),
                    c, mean, k, meanDy, q);
    }

    private static int rows(Tensor t, int cols) {
        if (t.size() % cols != 0 || t.shape().dim(-1) != cols && t.shape().sizeFrom(1) != cols) {
            throw new IllegalArgumentException(
                    "shape mismatch: " + t.shape() + " has no trailing dimension of " + cols);
        }
        return t.size() / cols;
    }

    private static void requireSize(Tensor t, int size, String what) {
        if (t.size() != size) {
            throw new IllegalArgumentException(what + " need " + size + " values, got " + t.shape());
        }
    }

}
