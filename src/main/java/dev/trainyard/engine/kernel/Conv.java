package dev.trainyard.engine.kernel;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.tensor.Tensor;
import java.util.Arrays;

/**
 * 2-D convolution (cross-correlation, as PyTorch's Conv2d) lowered to GEMM with im2col: x
 * (N, C, H, W), weight (F, C, KH, KW), bias (F), y (N, F, OH, OW), any stride and zero
 * padding.
 *
 * <p>
 * Images are lowered in groups of {@link #groupSize} side by side: the group's im2col
 * matrix col (C*KH*KW, G*OH*OW) is one single-threaded GEMM, and groups are spread over
 * the pool. A 7x7 or 14x14 map alone gives a GEMM only 49 or 196 columns wide, where the
 * kernels run at half their rate (the Vector API provider on an AVX-512 core: 74 GFLOP/s
 * at 64 x 49 x 576, 139 at 64 x 784 x 576); G is the smallest power of two that makes the
 * group at least {@link #GROUP_COLUMNS} columns wide, so 28x28 maps stay one image per
 * GEMM and need no copies. Outputs and output gradients are (N, F, OH*OW) in memory, so a
 * group of more than one image goes through a staging matrix (F, G*OH*OW), a copy that is
 * small beside the GEMM. The matrices live in per-thread {@link Workspace} slots, so the
 * hot path allocates nothing once warm.
 *
 * <p>
 * Narrow stride-1 convolutions with "same" padding (the resnet's 16-channel stage) skip
 * the lowering: their forward pass and input gradient run as
 * {@link KernelSupport#convSame}, one image at a time, and their weight gradient as
 * {@link KernelSupport#convSameWeightGradient}, one chunk of images at a time (see
 * {@link #direct}), where a GEMM with 16 rows or a sum of 16 terms per entry spends more
 * on packing than on multiplying. Wider 3x3 stride-1 convolutions with one pixel of
 * padding, their channels in whole vectors, run as Winograd F(2x2, 3x3) instead
 * ({@link PanamaWinograd}, see {@link #winograd}): 2.25 times fewer multiplications.
 *
 * <p>
 * Determinism: groups depend on the geometry and N only, never on the thread count; the
 * weight gradient is summed per fixed chunk of whole groups (at least
 * {@link #IMAGES_PER_CHUNK} images) and the chunk sums are added in chunk order, so
 * results are bit-identical for any thread count.
 */
public final class Conv {

    /**
     * Images per weight-gradient partial sum (rounded up to whole groups); fixed, never
     * derived from the thread count.
     */
    static final int IMAGES_PER_CHUNK = 8;

    /** Columns a group of images should at least span in its im2col matrix. */
    static final int GROUP_COLUMNS = 768;

    /** Most floats of one group's im2col matrix (16 MiB), bounding the group. */
    static final int MAX_GROUP_FLOATS = 1 << 22;

    /**
     * Up to this many weights per filter (C*KH*KW, e.g. 9 for one input channel and 3x3),
     * the weight gradient is computed as vector dot products rather than a GEMM that
     * narrow (4.7 ms instead of 7.6-9.9 ms for the cnn workload's first layer at batch
     * 128, one core).
     */
    static final int SMALL_WEIGHT_ROWS = 16;

    private Conv() {
    }

    public static int outputSize(int in, int k, int stride, int pad) {
        if (k <= 0 || stride <= 0 || pad < 0 || in + 2 * pad < k) {
            throw new IllegalArgumentException(
                    "kernel " + k + " stride " + stride + " padding " + pad + " does not fit input size " + in);
        }
        return (in + 2 * pad - k) / stride + 1;
    }

    /**
     * Images lowered side by side in one GEMM: the smallest power of two G with G * OH*OW
     * at least {@link #GROUP_COLUMNS}, at most n and at most what keeps the im2col matrix
     * (colRows, G * OH*OW) within {@link #MAX_GROUP_FLOATS}; at least 1.
     */
    static int groupSize(int n, int colRows, int colCols) {
        int g = 1;
        while (g * colCols < GROUP_COLUMNS && 2 * g <= n && (long) colRows * colCols * 2 * g <= MAX_GROUP_FLOATS) {
            g *= 2;
        }
        return g;
    }

    /** y = conv(x, weight) + bias; bias may be null. */
    public static void forward(Tensor x, Tensor weight, Tensor bias, int stride, int pad, Tensor y) {
        Geometry g = Geometry.of(x, weight, stride, pad, y);
        if (bias != null && bias.size() != g.f) {
            throw new IllegalArgumentException("bias " + bias.shape() + " does not fit weight " + weight.shape());
        }
        KernelSupport k = Kernels.support();
        float[] yd = y.data();
        if (direct(g, stride, pad)) {
            ComputePool.current().parallelFor(g.n, i -> {
                int yo = y.offset() + i * g.outImage();
                k.convSame(x.data(), x.offset() + i * g.inImage(), g.c, g.h, g.w, weight.data(), weight.offset(), g.f,
                        g.kh, yd, yo);
                addBias(bias, yd, yo, g.f, g.colCols());
            });
            return;
        }
        if (winograd(g, stride, pad)) {
            PanamaWinograd.forward(x, weight, bias, y);
            return;
        }
        GemmProvider gemm = Gemm.provider();
        int kk = g.colRows();
        int p = g.colCols();
        int group = groupSize(g.n, kk, p);
        ComputePool.current().parallelFor(ComputePool.chunks(g.n, group), c -> {
            int i0 = c * group;
            int images = Math.min(group, g.n - i0);
            int ld = images * p;
            // col (C*KH*KW, G*OH*OW): image i's columns at (i - i0) * OH*OW
            float[] col = Workspace.floats(Workspace.COLUMNS, kk * ld);
            for (int i = i0; i < i0 + images; i++) {
                k.im2col(x.data(), x.offset() + i * g.inImage(), g.c, g.h, g.w, g.kh, g.kw, stride, pad, g.oh, g.ow,
                        col, (i - i0) * p, ld);
            }
            int yo = y.offset() + i0 * g.outImage();
            if (images == 1) {
                // y_i (F, OH*OW) = W (F, C*KH*KW) * col (C*KH*KW, OH*OW)
                gemm.sgemm(false, false, g.f, p, kk, 1f, weight.data(), weight.offset(), kk, col, 0, p, 0f, yd, yo, p);
                addBias(bias, yd, yo, g.f, p);
                return;
            }
            // out (F, G*OH*OW) = W * col, then each image's (F, OH*OW) block copied out
            float[] out = Workspace.floats(Workspace.STAGING, g.f * ld);
            gemm.sgemm(false, false, g.f, ld, kk, 1f, weight.data(), weight.offset(), kk, col, 0, ld, 0f, out, 0, ld);
            for (int j = 0; j < images; j++) {
                for (int f = 0; f < g.f; f++) {
                    System.arraycopy(out, f * ld + j * p, yd, yo + j * g.outImage() + f * p, p);
                }
                addBias(bias, yd, yo + j * g.outImage(), g.f, p);
            }
        });
    }

    /** y_i (F, P) += bias (F), row f's bias along row f; nothing when bias is null. */
    private static void addBias(Tensor bias, float[] y, int yo, int f, int p) {
        if (bias == null) {
            return;
        }
        for (int r = 0; r < f; r++) {
            float b = bias.data()[bias.offset() + r];
            for (int j = yo + r * p, end = j + p; j < end; j++) {
                y[j] += b;
            }
        }
    }

    /**
     * dst (F, G*P) = the (F, P) blocks of images i0 .. i0 + images - 1 of src (N, F, P)
     * side by side.
     */
    private static void gather(float[] src, int so, int f, int p, int images, float[] dst) {
        int ld = images * p;
        for (int j = 0; j < images; j++) {
            for (int r = 0; r < f; r++) {
                System.arraycopy(src, so + (j * f + r) * p, dst, r * ld + j * p, p);
            }
        }
    }

    /**
     * Most input and output channels of a convolution that runs as
     * {@link KernelSupport#convSame}: with more, the GEMM of the lowering is wide enough
     * to be the faster (the resnet's 32- and 64-channel stages), with one input channel
     * its window of 9 taps leaves the direct loop too little work per copied plane.
     */
    static final int DIRECT_CHANNELS = 16;

    /**
     * Whether a convolution runs as {@link KernelSupport#convSame} per image instead of
     * through a lowering and a GEMM: stride 1 with "same" padding of an odd square
     * window, 2 to {@link #DIRECT_CHANNELS} input channels into at most as many outputs
     * (both ways, so the input gradient of such a layer goes the same way), on the vector
     * kernels (the scalar reference's direct loops are slower than the GEMM).
     */
    static boolean direct(int c, int f, int kh, int kw, int stride, int pad) {
        return DIRECT && stride == 1 && kh == kw && kh % 2 == 1 && pad == kh / 2 && c >= 2 && c <= DIRECT_CHANNELS
                && f >= 2 && f <= DIRECT_CHANNELS && Kernels.simdEnabled();
    }

    private static boolean direct(Geometry g, int stride, int pad) {
        return direct(g.c, g.f, g.kh, g.kw, stride, pad);
    }

    /**
     * Whether a convolution runs as {@link PanamaWinograd}: 3x3 windows, stride 1,
     * padding 1, wider than {@link #direct} takes, channels and filters in whole vectors,
     * on the vector kernels.
     */
    static boolean winograd(int c, int f, int kh, int kw, int stride, int pad) {
        return WINOGRAD && kh == 3 && kw == 3 && stride == 1 && pad == 1 && !direct(c, f, kh, kw, stride, pad)
                && Kernels.simdEnabled() && PanamaWinograd.fits(c, f);
    }

    private static boolean winograd(Geometry g, int stride, int pad) {
        return winograd(g.c, g.f, g.kh, g.kw, stride, pad);
    }

    /**
     * {@code -Dtrainyard.engine.conv.winograd=false} lowers these convolutions instead.
     */
    private static final boolean WINOGRAD = !"false".equals(System.getProperty("trainyard.engine.conv.winograd"));

    /** {@code -Dtrainyard.engine.conv.direct=false} lowers every convolution. */
    private static final boolean DIRECT = !"false".equals(System.getProperty("trainyard.engine.conv.direct"));

    /**
     * turned (C, F, KH, KW) = weight (F, C, KH, KW) with filters and channels swapped and
     * each window turned by 180 degrees: the weights of the input gradient as a
     * convolution of dy.
     */
    private static void turn(Tensor weight, Geometry g, float[] turned) {
        float[] wd = weight.data();
        int window = g.kh * g.kw;
        for (int f = 0; f < g.f; f++) {
            for (int ch = 0; ch < g.c; ch++) {
                int from = weight.offset() + (f * g.c + ch) * window;
                int to = (ch * g.f + f) * window;
                for (int t = 0; t < window; t++) {
                    turned[to + window - 1 - t] = wd[from + t];
                }
            }
        }
    }

    /** dx = the gradient of the loss with respect to x, given dy; dx is overwritten. */
    public static void backwardInput(Tensor dy, Tensor weight, int stride, int pad, Tensor dx) {
        Geometry g = Geometry.of(dx, weight, stride, pad, dy);
        KernelSupport k = Kernels.support();
        if (direct(g, stride, pad)) {
            // dx_i = the "same" convolution of dy_i by the weights with filters and
            // channels swapped and each window turned by 180 degrees
            float[] turned = Workspace.floats(Workspace.PARTIALS, g.f * g.colRows());
            turn(weight, g, turned);
            ComputePool.current()
                .parallelFor(g.n, i -> k.convSame(dy.data(), dy.offset() + i * g.outImage(), g.f, g.oh, g.ow, turned, 0,
                        g.c, g.kh, dx.data(), dx.offset() + i * g.inImage()));
            return;
        }
        if (winograd(g, stride, pad)) {
            float[] turned = Workspace.floats(Workspace.PARTIALS,
                    g.f * g.colRows() + PanamaWinograd.POSITIONS * g.c * g.f);
            turn(weight, g, turned);
            PanamaWinograd.backwardInput(dy, turned, dx);
            return;
        }
        GemmProvider gemm = Gemm.provider();
        int kk = g.colRows();
        int p = g.colCols();
        int group = groupSize(g.n, kk, p);
        ComputePool.current().parallelFor(ComputePool.chunks(g.n, group), c -> {
            int i0 = c * group;
            int images = Math.min(group, g.n - i0);
            int ld = images * p;
            float[] col = Workspace.floats(Workspace.COLUMNS, kk * ld);
            int dyo = dy.offset() + i0 * g.outImage();
            if (images == 1) {
                // dcol (C*KH*KW, OH*OW) = W^T (C*KH*KW, F) * dy_i (F, OH*OW)
                gemm.sgemm(true, false, kk, p, g.f, 1f, weight.data(), weight.offset(), kk, dy.data(), dyo, p, 0f, col,
                        0, p);
            }
            else {
                // dcol (C*KH*KW, G*OH*OW) = W^T * dy of the group (F, G*OH*OW)
                float[] dyg = Workspace.floats(Workspace.STAGING, g.f * ld);
                gather(dy.data(), dyo, g.f, p, images, dyg);
                gemm.sgemm(true, false, kk, ld, g.f, 1f, weight.data(), weight.offset(), kk, dyg, 0, ld, 0f, col, 0,
                        ld);
            }
            for (int i = i0; i < i0 + images; i++) {
                int xo = dx.offset() + i * g.inImage();
                Arrays.fill(dx.data(), xo, xo + g.inImage(), 0f);
                k.col2im(col, (i - i0) * p, g.c, g.h, g.w, g.kh, g.kw, stride, pad, g.oh, g.ow, dx.data(), xo, ld);
            }
        });
    }

    /**
     * dweight += the weight gradient and dbias += the bias gradient (dbias may be null).
     */
    public static void backwardWeight(Tensor x, Tensor dy, int stride, int pad, Tensor dweight, Tensor dbias) {
        Geometry g = Geometry.of(x, dweight, stride, pad, dy);
        if (dbias != null && dbias.size() != g.f) {
            throw new IllegalArgumentException(
                    "bias gradient " + dbias.shape() + " does not fit weight " + dweight.shape());
        }
        KernelSupport k = Kernels.support();
        if (winograd(g, stride, pad)) {
            PanamaWinograd.backwardWeight(x, dy, dweight);
            if (dbias != null) {
                Reduce.sumChannels(dy, dbias);
            }
            return;
        }
        GemmProvider gemm = Gemm.provider();
        int kk = g.colRows();
        int p = g.colCols();
        int group = groupSize(g.n, kk, p);
        int perChunk = group * Math.ceilDiv(IMAGES_PER_CHUNK, group);
        int chunks = ComputePool.chunks(g.n, perChunk);
        int wSize = g.f * kk;
        // partial (chunks, F, C*KH*KW) for the dot products and the direct path, (chunks,
        // F, KH*KW*C) for the GEMM: chunk c's sum over its images, on the calling thread
        float[] partial = Workspace.floats(Workspace.PARTIALS, chunks * wSize);
        boolean direct = direct(g, stride, pad);
        // the scalar reference's dot products are latency-bound: slower than the GEMM
        boolean dots = !direct && kk <= SMALL_WEIGHT_ROWS && Kernels.simdEnabled();
        ComputePool.current().parallelFor(chunks, c -> {
            int end = Math.min(g.n, (c + 1) * perChunk);
            Arrays.fill(partial, c * wSize, (c + 1) * wSize, 0f);
            if (direct) {
                int i = c * perChunk;
                k.convSameWeightGradient(x.data(), x.offset() + i * g.inImage(), end - i, g.c, g.h, g.w, dy.data(),
                        dy.offset() + i * g.outImage(), g.f, g.kh, partial, c * wSize);
                return;
            }
            for (int i0 = c * perChunk; i0 < end; i0 += group) {
                int images = Math.min(group, end - i0);
                int ld = images * p;
                float[] dyd = dy.data();
                int dyo = dy.offset() + i0 * g.outImage();
                if (images > 1) {
                    dyd = Workspace.floats(Workspace.STAGING, g.f * ld);
                    gather(dy.data(), dyo, g.f, p, images, dyd);
                    dyo = 0;
                }
                float[] col = Workspace.floats(Workspace.COLUMNS, kk * ld);
                if (dots) {
                    // F x kk dot products of length G*OH*OW: cheaper than a GEMM whose n
                    // is kk
                    for (int i = i0; i < i0 + images; i++) {
                        k.im2col(x.data(), x.offset() + i * g.inImage(), g.c, g.h, g.w, g.kh, g.kw, stride, pad, g.oh,
                                g.ow, col, (i - i0) * p, ld);
                    }
                    k.addRowDots(dyd, dyo, g.f, col, 0, kk, ld, partial, c * wSize);
                    continue;
                }
                // rows (G*OH*OW, KH*KW*C), the transposed lowering: the GEMM reads it as
                // an untransposed B, in place, where col would be transposed while packed
                float[] xt = Workspace.floats(Workspace.CHANNELS_LAST, g.inImage());
                for (int i = i0; i < i0 + images; i++) {
                    k.im2row(x.data(), x.offset() + i * g.inImage(), g.c, g.h, g.w, g.kh, g.kw, stride, pad, g.oh, g.ow,
                            xt, col, (i - i0) * p * kk);
                }
                // dW_c (F, KH*KW*C) += dy_g (F, G*OH*OW) * rows
                gemm.sgemm(false, false, g.f, kk, ld, 1f, dyd, dyo, ld, col, 0, kk, 1f, partial, c * wSize, kk);
            }
        });
        if (dots || direct) {
            for (int c = 0; c < chunks; c++) {
                k.axpy(wSize, 1f, partial, c * wSize, dweight.data(), dweight.offset());
            }
        }
        else {
            addChannelsLast(partial, chunks, g, dweight);
        }
        if (dbias != null) {
            Reduce.sumChannels(dy, dbias);
        }
    }

    /**
     * dweight (F, C, KH, KW) += each chunk's partial (F, KH, KW, C), chunks added in
     * order: each weight sees the sums of {@link KernelSupport#axpy} over the chunks.
     * Filters are spread over the pool, a few at a time; each weight's sum is the same.
     */
    private static void addChannelsLast(float[] partial, int chunks, Geometry g, Tensor dweight) {
        Elementwise.split(g.f, 4, (f0, filters) -> addChannelsLast(partial, chunks, g, dweight, f0, f0 + filters));
    }

    private static void addChannelsLast(float[] partial, int chunks, Geometry g, Tensor dweight, int f0, int f1) {
        float[] dw = dweight.data();
        int o = dweight.offset();
        int window = g.kh * g.kw;
        int kk = g.colRows();
        for (int c = 0; c < chunks; c++) {
            for (int f = f0; f < f1; f++) {
                int from = c * g.f * kk + f * kk;
                for (int ch = 0; ch < g.c; ch++) {
                    int to = o + (f * g.c + ch) * window;
                    for (int t = 0; t < window; t++) {
                        dw[to + t] += partial[from + t * g.c + ch];
                    }
                }
            }
        }
    }

    private record Geometry(int n, int c, int h, int w, int f, int kh, int kw, int oh, int ow) {
        int colRows() {
            return c * kh * kw;
        }

        int colCols() {
            return oh * ow;
        }

        int inImage() {
            return c * h * w;
        }

        int outImage() {
            return f * oh * ow;
        }

        static Geometry of(Tensor x, Tensor weight, int stride, int pad, Tensor y) {
            if (x.rank() != 4 || weight.rank() != 4 || y.rank() != 4) {
                throw new IllegalArgumentException("convolution needs 4-D tensors, got input " + x.shape() + ", weight "
                        + weight.shape() + ", output " + y.shape());
            }
            if (weight.dim(1) != x.dim(1)) {
                throw new IllegalArgumentException("weight " + weight.shape() + " expects " + weight.dim(1)
                        + " input channels, input " + x.shape() + " has " + x.dim(1));
            }
            int oh = outputSize(x.dim(2), weight.dim(2), stride, pad);
            int ow = outputSize(x.dim(3), weight.dim(3), stride, pad);
            if (y.dim(0) != x.dim(0) || y.dim(1) != weight.dim(0) || y.dim(2) != oh || y.dim(3) != ow) {
                throw new IllegalArgumentException("convolution output " + y.shape() + " does not fit input "
                        + x.shape() + " and weight " + weight.shape() + " (expected (" + x.dim(0) + ", " + weight.dim(0)
                        + ", " + oh + ", " + ow + "))");
            }
            return new Geometry(x.dim(0), x.dim(1), x.dim(2), x.dim(3), weight.dim(0), weight.dim(2), weight.dim(3), oh,
                    ow);
        }
    }

}
