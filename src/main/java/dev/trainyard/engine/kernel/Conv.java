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
 * Each image is one single-threaded GEMM over its im2col matrix col (C*KH*KW, OH*OW);
 * images are spread over the pool. The im2col matrix lives in a per-thread
 * {@link Workspace}, so the hot path allocates nothing once warm. Determinism: forward
 * and input gradient compute every image the same way whatever thread runs it; the weight
 * gradient is summed per fixed chunk of {@link #IMAGES_PER_CHUNK} images (images in
 * order) and the chunk sums are added in chunk order, so results are bit-identical for
 * any thread count.
 *
 * <p>
 * Why one image per GEMM: for the cnn workload's conv3x3(32 -> 64) on 14x14 that GEMM is
 * 64 x 196 x 288 and the native provider ran it at about 57 GFLOP/s on one core, close to
 * its large-matrix rate, so putting several images side by side would only add copies.
 * im2col and col2im move whole rows of the image when the stride is 1 and the width is
 * kept ({@link PanamaKernels}), leaving the GEMMs about 80% of the time.
 */
public final class Conv {

    /**
     * Images per weight-gradient partial sum; fixed, never derived from the thread count.
     */
    static final int IMAGES_PER_CHUNK = 8;

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

    /** y = conv(x, weight) + bias; bias may be null. */
    public static void forward(Tensor x, Tensor weight, Tensor bias, int stride, int pad, Tensor y) {
        Geometry g = Geometry.of(x, weight, stride, pad, y);
        if (bias != null && bias.size() != g.f) {
            throw new IllegalArgumentException("bias " + bias.shape() + " does not fit weight " + weight.shape());
        }
        KernelSupport k = Kernels.support();
        GemmProvider gemm = Kernels.gemm();
        int kk = g.colRows();
        int p = g.colCols();
        ComputePool.current().parallelFor(g.n, i -> {
            float[] col = Workspace.floats(Workspace.COLUMNS, kk * p);
            k.im2col(x.data(), x.offset() + i * g.inImage(), g.c, g.h, g.w, g.kh, g.kw, stride, pad, g.oh, g.ow, col,
                    0);
            int yo = y.offset() + i * g.outImage();
            float beta = 0f;
            if (bias != null) {
                for (int f = 0; f < g.f; f++) {
                    Arrays.fill(y.data(), yo + f * p, yo + (f + 1) * p, bias.data()[bias.offset() + f]);
                }
                beta = 1f;
            }
            // y_i (F, OH*OW) = W (F, C*KH*KW) * col (C*KH*KW, OH*OW) [+ bias already in
            // y_i]
            gemm.sgemm(false, false, g.f, p, kk, 1f, weight.data(), weight.offset(), kk, col, 0, p, beta, y.data(), yo,
                    p);
        });
    }

    /** dx = the gradient of the loss with respect to x, given dy; dx is overwritten. */
    public static void backwardInput(Tensor dy, Tensor weight, int stride, int pad, Tensor dx) {
        Geometry g = Geometry.of(dx, weight, stride, pad, dy);
        KernelSupport k = Kernels.support();
        GemmProvider gemm = Kernels.gemm();
        int kk = g.colRows();
        int p = g.colCols();
        ComputePool.current().parallelFor(g.n, i -> {
            float[] col = Workspace.floats(Workspace.COLUMNS, kk * p);
            // dcol (C*KH*KW, OH*OW) = W^T (C*KH*KW, F) * dy_i (F, OH*OW)
            gemm.sgemm(true, false, kk, p, g.f, 1f, weight.data(), weight.offset(), kk, dy.data(),
                    dy.offset() + i * g.outImage(), p, 0f, col, 0, p);
            int xo = dx.offset() + i * g.inImage();
            Arrays.fill(dx.data(), xo, xo + g.inImage(), 0f);
            k.col2im(col, 0, g.c, g.h, g.w, g.kh, g.kw, stride, pad, g.oh, g.ow, dx.data(), xo);
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
        GemmProvider gemm = Kernels.gemm();
        int kk = g.colRows();
        int p = g.colCols();
        int chunks = ComputePool.chunks(g.n, IMAGES_PER_CHUNK);
        int wSize = g.f * kk;
        // partial (chunks, F, C*KH*KW): chunk c's sum over its images, on the calling
        // thread
        float[] partial = Workspace.floats(Workspace.PARTIALS, chunks * wSize);
        // the scalar reference's dot products are latency-bound: slower than the GEMM
        boolean dots = kk <= SMALL_WEIGHT_ROWS && Kernels.simdEnabled();
        ComputePool.current().parallelFor(chunks, c -> {
            float[] col = Workspace.floats(Workspace.COLUMNS, kk * p);
            int i0 = c * IMAGES_PER_CHUNK;
            int i1 = Math.min(g.n, i0 + IMAGES_PER_CHUNK);
            if (dots) {
                Arrays.fill(partial, c * wSize, (c + 1) * wSize, 0f);
            }
            for (int i = i0; i < i1; i++) {
                k.im2col(x.data(), x.offset() + i * g.inImage(), g.c, g.h, g.w, g.kh, g.kw, stride, pad, g.oh, g.ow,
                        col, 0);
                if (dots) {
                    // F x kk dot products of length OH*OW: cheaper than a GEMM whose n is
                    // kk
                    k.addRowDots(dy.data(), dy.offset() + i * g.outImage(), g.f, col, 0, kk, p, partial, c * wSize);
                    continue;
                }
                // dW_c (F, C*KH*KW) (+)= dy_i (F, OH*OW) * col^T (OH*OW, C*KH*KW); the
                // first image overwrites
                gemm.sgemm(false, true, g.f, kk, p, 1f, dy.data(), dy.offset() + i * g.outImage(), p, col, 0, p,
                        i == i0 ? 0f : 1f, partial, c * wSize, kk);
            }
        });
        for (int c = 0; c < chunks; c++) {
            k.axpy(wSize, 1f, partial, c * wSize, dweight.data(), dweight.offset());
        }
        if (dbias != null) {
            Reduce.sumChannels(dy, dbias);
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
