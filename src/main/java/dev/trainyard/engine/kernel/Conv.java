package dev.trainyard.engine.kernel;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.tensor.Tensor;
import java.util.Arrays;

/**
 * 2-D convolution (cross-correlation, as PyTorch's Conv2d) lowered to GEMM with im2col:
 * x (N, C, H, W), weight (F, C, KH, KW), bias (F), y (N, F, OH, OW), any stride and zero padding.
 * Images are split over the pool; the weight gradient is reduced per fixed chunk of images and
 * the partial sums are added in chunk order, so results do not depend on the thread count.
 */
public final class Conv {

    /** Images per weight-gradient partial sum; fixed, never derived from the thread count. */
    static final int IMAGES_PER_CHUNK = 8;

    private Conv() {
    }

    public static int outputSize(int in, int k, int stride, int pad) {
        int out = (in + 2 * pad - k) / stride + 1;
        if (k <= 0 || stride <= 0 || pad < 0 || in + 2 * pad < k) {
            throw new IllegalArgumentException("kernel " + k + " stride " + stride + " padding " + pad + " does not fit input size " + in);
        }
        return out;
    }

    /** y = conv(x, weight) + bias; bias may be null. */
    public static void forward(Tensor x, Tensor weight, Tensor bias, int stride, int pad, Tensor y) {
        Geometry g = Geometry.of(x, weight, stride, pad, y);
        KernelSupport k = Kernels.support();
        GemmProvider gemm = Kernels.gemm();
        ComputePool.current().parallelFor(g.n, i -> {
            float[] col = new float[g.colRows() * g.colCols()];
            k.im2col(x.data(), x.offset() + i * g.inImage(), g.c, g.h, g.w, g.kh, g.kw, stride, pad, g.oh, g.ow, col, 0);
            int yo = y.offset() + i * g.outImage();
            float beta = 0f;
            if (bias != null) {
                for (int f = 0; f < g.f; f++) {
                    Arrays.fill(y.data(), yo + f * g.colCols(), yo + (f + 1) * g.colCols(), bias.data()[bias.offset() + f]);
                }
                beta = 1f;
            }
            // y_i (F, OH*OW) = W (F, C*KH*KW) * col (C*KH*KW, OH*OW)
            gemm.sgemm(false, false, g.f, g.colCols(), g.colRows(), 1f, weight.data(), weight.offset(), g.colRows(),
                    col, 0, g.colCols(), beta, y.data(), yo, g.colCols());
        });
    }

    /** dx = the gradient of the loss with respect to x, given dy; dx is overwritten. */
    public static void backwardInput(Tensor dy, Tensor weight, int stride, int pad, Tensor dx) {
        Geometry g = Geometry.of(dx, weight, stride, pad, dy);
        KernelSupport k = Kernels.support();
        GemmProvider gemm = Kernels.gemm();
        ComputePool.current().parallelFor(g.n, i -> {
            float[] col = new float[g.colRows() * g.colCols()];
            // dcol (C*KH*KW, OH*OW) = W^T * dy_i (F, OH*OW)
            gemm.sgemm(true, false, g.colRows(), g.colCols(), g.f, 1f, weight.data(), weight.offset(), g.colRows(),
                    dy.data(), dy.offset() + i * g.outImage(), g.colCols(), 0f, col, 0, g.colCols());
            int xo = dx.offset() + i * g.inImage();
            Arrays.fill(dx.data(), xo, xo + g.inImage(), 0f);
            k.col2im(col, 0, g.c, g.h, g.w, g.kh, g.kw, stride, pad, g.oh, g.ow, dx.data(), xo);
        });
    }

    /** dweight += the weight gradient and dbias += the bias gradient (dbias may be null). */
    public static void backwardWeight(Tensor x, Tensor dy, int stride, int pad, Tensor dweight, Tensor dbias) {
        Geometry g = Geometry.of(x, dweight, stride, pad, dy);
        KernelSupport k = Kernels.support();
        GemmProvider gemm = Kernels.gemm();
        int chunks = ComputePool.chunks(g.n, IMAGES_PER_CHUNK);
        int wSize = g.f * g.colRows();
        float[][] partial = new float[chunks][];
        ComputePool.current().parallelFor(chunks, c -> {
            float[] dw = new float[wSize];
            float[] col = new float[g.colRows() * g.colCols()];
            int i1 = Math.min(g.n, (c + 1) * IMAGES_PER_CHUNK);
            for (int i = c * IMAGES_PER_CHUNK; i < i1; i++) {
                k.im2col(x.data(), x.offset() + i * g.inImage(), g.c, g.h, g.w, g.kh, g.kw, stride, pad, g.oh, g.ow, col, 0);
                // dW (F, C*KH*KW) += dy_i (F, OH*OW) * col^T (OH*OW, C*KH*KW)
                gemm.sgemm(false, true, g.f, g.colRows(), g.colCols(), 1f, dy.data(), dy.offset() + i * g.outImage(), g.colCols(),
                        col, 0, g.colCols(), 1f, dw, 0, g.colRows());
            }
            partial[c] = dw;
        });
        for (float[] dw : partial) {
            k.axpy(wSize, 1f, dw, 0, dweight.data(), dweight.offset());
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
                throw new IllegalArgumentException("convolution needs 4-D tensors, got input " + x.shape()
                        + ", weight " + weight.shape() + ", output " + y.shape());
            }
            if (weight.dim(1) != x.dim(1)) {
                throw new IllegalArgumentException("weight " + weight.shape() + " expects " + weight.dim(1)
                        + " input channels, input " + x.shape() + " has " + x.dim(1));
            }
            int oh = outputSize(x.dim(2), weight.dim(2), stride, pad);
            int ow = outputSize(x.dim(3), weight.dim(3), stride, pad);
            if (y.dim(0) != x.dim(0) || y.dim(1) != weight.dim(0) || y.dim(2) != oh || y.dim(3) != ow) {
                throw new IllegalArgumentException("convolution output " + y.shape() + " does not fit input " + x.shape()
                        + " and weight " + weight.shape() + " (expected (" + x.dim(0) + ", " + weight.dim(0) + ", " + oh + ", " + ow + "))");
            }
            return new Geometry(x.dim(0), x.dim(1), x.dim(2), x.dim(3), weight.dim(0), weight.dim(2), weight.dim(3), oh, ow);
        }
    }
}
