package dev.trainyard.engine.kernel;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.tensor.Tensor;

/**
 * 2-D max and average pooling over (N, C, H, W), square window {@code k}, given stride,
 * no padding (windows that would overrun the edge are dropped, as with PyTorch's floor
 * mode), and global average pooling over whole planes. Planes are independent, so they
 * are split over the pool.
 */
public final class Pool {

    static final int PLANE_CHUNK = 8;

    private Pool() {
    }

    public static int outputSize(int in, int k, int stride) {
        if (k <= 0 || stride <= 0 || in < k) {
            throw new IllegalArgumentException(
                    "pool window " + k + " stride " + stride + " does not fit input size " + in);
        }
        return (in - k) / stride + 1;
    }

    /**
     * y (N, C, OH, OW) = window maxima of x; {@code argmax} (y's size) remembers where
     * each came from.
     */
    public static void maxPool(Tensor x, int k, int stride, Tensor y, int[] argmax) {
        Geometry g = Geometry.of(x, k, stride, y);
        if (argmax.length < y.size()) {
            throw new IllegalArgumentException("argmax needs " + y.size() + " entries, got " + argmax.length);
        }
        KernelSupport ks = Kernels.support();
        planes(g.planes, p -> ks.maxPool(x.data(), x.offset() + p * g.inPlane(), g.h, g.w, k, stride, y.data(),
                y.offset() + p * g.outPlane(), g.oh, g.ow, argmax, p * g.outPlane()));
    }

    /** dx (N, C, H, W) = dy routed to each window's maximum; dx is overwritten. */
    public static void maxPoolBackward(Tensor dy, int[] argmax, Tensor dx) {
        if (dy.rank() != 4 || dx.rank() != 4 || dy.dim(0) != dx.dim(0) || dy.dim(1) != dx.dim(1)) {
            throw new IllegalArgumentException("pool gradient " + dy.shape() + " does not fit input " + dx.shape());
        }
        if (argmax.length < dy.size()) {
            throw new IllegalArgumentException("argmax needs " + dy.size() + " entries, got " + argmax.length);
        }
        int planes = dx.dim(0) * dx.dim(1);
        int inPlane = dx.shape().sizeFrom(2);
        int outPlane = dy.shape().sizeFrom(2);
        KernelSupport ks = Kernels.support();
        planes(planes, p -> {
            java.util.Arrays.fill(dx.data(), dx.offset() + p * inPlane, dx.offset() + (p + 1) * inPlane, 0f);
            ks.maxPoolBackward(dy.data(), dy.offset() + p * outPlane, argmax, p * outPlane, outPlane, dx.data(),
                    dx.offset() + p * inPlane);
        });
    }

    public static void avgPool(Tensor x, int k, int stride, Tensor y) {
        Geometry g = Geometry.of(x, k, stride, y);
        KernelSupport ks = Kernels.support();
        planes(g.planes, p -> ks.avgPool(x.data(), x.offset() + p * g.inPlane(), g.h, g.w, k, stride, y.data(),
                y.offset() + p * g.outPlane(), g.oh, g.ow));
    }

    /** dx (N, C, H, W) = dy spread evenly over each window; dx is overwritten. */
    public static void avgPoolBackward(Tensor dy, int k, int stride, Tensor dx) {
        Geometry g = Geometry.of(dx, k, stride, dy);
        KernelSupport ks = Kernels.support();
        planes(g.planes, p -> {
            java.util.Arrays.fill(dx.data(), dx.offset() + p * g.inPlane(), dx.offset() + (p + 1) * g.inPlane(), 0f);
            ks.avgPoolBackward(dy.data(), dy.offset() + p * g.outPlane(), g.h, g.w, k, stride, g.oh, g.ow, dx.data(),
                    dx.offset() + p * g.inPlane());
        });
    }

    /**
     * y (N, C) = the mean of each (H, W) plane of x (N, C, H, W), summed in plane order
     * in double, so the result does not depend on how planes are split.
     */
    public static void globalAvgPool(Tensor x, Tensor y) {
        GlobalGeometry g = GlobalGeometry.of(x, y);
        float[] xd = x.data();
        float[] yd = y.data();
        planes(g.planes(), p -> {
            int from = x.offset() + p * g.plane();
            double sum = 0;
            for (int i = 0; i < g.plane(); i++) {
                sum += xd[from + i];
            }
            yd[y.offset() + p] = (float) (sum / g.plane());
        });
    }

    /**
     * dx (N, C, H, W) = dy (N, C) / (H * W) broadcast over each plane; dx is overwritten.
     */
    public static void globalAvgPoolBackward(Tensor dy, Tensor dx) {
        GlobalGeometry g = GlobalGeometry.of(dx, dy);
        float[] dyd = dy.data();
        float[] dxd = dx.data();
        planes(g.planes(), p -> {
            int from = dx.offset() + p * g.plane();
            java.util.Arrays.fill(dxd, from, from + g.plane(), dyd[dy.offset() + p] / g.plane());
        });
    }

    private record GlobalGeometry(int planes, int plane) {
        static GlobalGeometry of(Tensor x, Tensor y) {
            if (x.rank() != 4 || y.rank() != 2 || y.dim(0) != x.dim(0) || y.dim(1) != x.dim(1)) {
                throw new IllegalArgumentException(
                        "global pooling needs (N, C, H, W) and (N, C) tensors, got " + x.shape() + " and " + y.shape());
            }
            return new GlobalGeometry(x.dim(0) * x.dim(1), x.dim(2) * x.dim(3));
        }
    }

    private static void planes(int planes, java.util.function.IntConsumer plane) {
        ComputePool.current().parallelFor(ComputePool.chunks(planes, PLANE_CHUNK), c -> {
            int p1 = Math.min(planes, (c + 1) * PLANE_CHUNK);
            for (int p = c * PLANE_CHUNK; p < p1; p++) {
                plane.accept(p);
            }
        });
    }

    private record Geometry(int planes, int h, int w, int oh, int ow) {
        int inPlane() {
            return h * w;
        }

        int outPlane() {
            return oh * ow;
        }

        static Geometry of(Tensor x, int k, int stride, Tensor y) {
            if (x.rank() != 4 || y.rank() != 4) {
                throw new IllegalArgumentException(
                        "pooling needs (N, C, H, W) tensors, got " + x.shape() + " and " + y.shape());
            }
            int oh = outputSize(x.dim(2), k, stride);
            int ow = outputSize(x.dim(3), k, stride);
            if (y.dim(0) != x.dim(0) || y.dim(1) != x.dim(1) || y.dim(2) != oh || y.dim(3) != ow) {
                throw new IllegalArgumentException("pool output " + y.shape() + " does not fit input " + x.shape()
                        + " with window " + k + " stride " + stride);
            }
            return new Geometry(x.dim(0) * x.dim(1), x.dim(2), x.dim(3), oh, ow);
        }
    }

}
