package dev.trainyard.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels ({@code jdk.incubator.vector}, the preferred species: 8 floats on
 * AVX2). Loaded by name from {@link Kernels} only when {@link Kernels#simdEnabled()};
 * never referenced directly, so the scalar path never links incubator classes.
 *
 * <p>
 * Contract as {@link KernelSupport}; each method agrees with {@link ReferenceKernels}
 * within float rounding (exactly for the elementwise selections), propagates NaN the same
 * way and handles any length with a scalar tail. Reductions and bias/softmax live in
 * {@link PanamaReductions}, pooling and im2col in {@link PanamaPlanes}.
 */
public final class PanamaKernels implements KernelSupport {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    static final int L = S.length();

    /** The transcendental kernels are the reference's: see {@link #tanh}. */
    private static final ReferenceKernels SCALAR = new ReferenceKernels();

    private final PanamaReductions reductions = new PanamaReductions();

    private final PanamaPlanes planes = new PanamaPlanes();

    @Override
    public String name() {
        return "panama";
    }

    // ---- activations

    @Override
    public void relu(float[] x, int xo, float[] y, int yo, int n) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            // lanewise MAX follows Math.max: NaN stays NaN, -0 becomes +0, as the
            // reference
            FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.MAX, zero).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            float v = x[xo + i];
            y[yo + i] = v > 0f ? v : (v != v ? v : 0f);
        }
    }

    @Override
    public void reluBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMask<Float> pos = FloatVector.fromArray(S, x, xo + i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(S, dy, dyo + i), pos).intoArray(dx, dxo + i);
        }
        for (; i < n; i++) {
            dx[dxo + i] = x[xo + i] > 0f ? dy[dyo + i] : 0f;
        }
    }

    @Override
    public void leakyRelu(float[] x, int xo, float[] y, int yo, int n, float slope) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.mul(slope).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            float v = x[xo + i];
            y[yo + i] = v > 0f ? v : slope * v;
        }
    }

    @Override
    public void leakyReluBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int n, float slope) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMask<Float> pos = FloatVector.fromArray(S, x, xo + i).compare(VectorOperators.GT, 0f);
            FloatVector g = FloatVector.fromArray(S, dy, dyo + i);
            g.mul(slope).blend(g, pos).intoArray(dx, dxo + i);
        }
        for (; i < n; i++) {
            dx[dxo + i] = x[xo + i] > 0f ? dy[dyo + i] : slope * dy[dyo + i];
        }
    }

    /**
     * The reference's scalar StrictMath.tanh on purpose: the Vector API's lanewise TANH
     * gives different bits before and after C2 compiles it, and Math.tanh may differ
     * between CPUs, so neither would let a job resumed in another JVM end with the same
     * weights.
     */
    @Override
    public void tanh(float[] x, int xo, float[] y, int yo, int n) {
        SCALAR.tanh(x, xo, y, yo, n);
    }

    @Override
    public void tanhBackward(float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector t = FloatVector.fromArray(S, y, yo + i);
            FloatVector oneMinus = t.mul(t).neg().add(1f);
            FloatVector.fromArray(S, dy, dyo + i).mul(oneMinus).intoArray(dx, dxo + i);
        }
        for (; i < n; i++) {
            float t = y[yo + i];
            dx[dxo + i] = dy[dyo + i] * (1f - t * t);
        }
    }

    /** The reference's scalar StrictMath.exp, for the reason given at {@link #tanh}. */
    @Override
    public void sigmoid(float[] x, int xo, float[] y, int yo, int n) {
        SCALAR.sigmoid(x, xo, y, yo, n);
    }

    @Override
    public void sigmoidBackward(float[] y, int yo, float[] dy, int dyo, float[] dx, int dxo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector s = FloatVector.fromArray(S, y, yo + i);
            FloatVector.fromArray(S, dy, dyo + i).mul(s).mul(s.neg().add(1f)).intoArray(dx, dxo + i);
        }
        for (; i < n; i++) {
            float s = y[yo + i];
            dx[dxo + i] = dy[dyo + i] * s * (1f - s);
        }
    }

    // ---- BLAS-1

    @Override
    public void axpy(int n, float alpha, float[] x, int xo, float[] y, int yo) {
        FloatVector a = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).fma(a, FloatVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] = Math.fma(alpha, x[xo + i], y[yo + i]);
        }
    }

    @Override
    public void scale(int n, float alpha, float[] x, int xo) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).mul(alpha).intoArray(x, xo + i);
        }
        for (; i < n; i++) {
            x[xo + i] *= alpha;
        }
    }

    @Override
    public void mul(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, ao + i).mul(FloatVector.fromArray(S, b, bo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] = a[ao + i] * b[bo + i];
        }
    }

    @Override
    public void add(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, ao + i).add(FloatVector.fromArray(S, b, bo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] = a[ao + i] + b[bo + i];
        }
    }

    // ---- delegated families

    @Override
    public void addBias(float[] bias, int bo, float[] y, int yo, int rows, int cols) {
        reductions.addBias(bias, bo, y, yo, rows, cols);
    }

    @Override
    public void sumRows(float[] x, int xo, int rows, int cols, float[] out, int oo) {
        reductions.sumRows(x, xo, rows, cols, out, oo);
    }

    @Override
    public void addRowDots(float[] a, int ao, int m, float[] b, int bo, int n, int k, float[] c, int co) {
        reductions.addRowDots(a, ao, m, b, bo, n, k, c, co);
    }

    @Override
    public float sum(float[] x, int xo, int n) {
        return reductions.sum(x, xo, n);
    }

    @Override
    public void columnMoments(float[] x, int xo, int rows, int cols, int c0, int c1, float[] mean, float[] var) {
        reductions.columnMoments(x, xo, rows, cols, c0, c1, mean, var);
    }

    @Override
    public void channelMoments(float[] x, int xo, int n, int channels, int hw, int c0, int c1, float[] mean,
            float[] var) {
        reductions.channelMoments(x, xo, n, channels, hw, c0, c1, mean, var);
    }

    @Override
    public void channelGradientSums(float[] dy, int dyo, float[] x, int xo, float[] gate, int gateOff, int n,
            int channels, int hw, int c, float mean, double[] sums) {
        reductions.channelGradientSums(dy, dyo, x, xo, gate, gateOff, n, channels, hw, c, mean, sums);
    }

    @Override
    public void channelAffine(float[] x, int xo, float[] y, int yo, int n, int channels, int hw, int c, float scale,
            float shift, boolean relu) {
        reductions.channelAffine(x, xo, y, yo, n, channels, hw, c, scale, shift, relu);
    }

    @Override
    public void channelInputGradient(float[] dy, int dyo, float[] x, int xo, float[] gate, int gateOff, float[] dx,
            int dxo, int n, int channels, int hw, int c, float mean, float k, float meanDy, float q) {
        reductions.channelInputGradient(dy, dyo, x, xo, gate, gateOff, dx, dxo, n, channels, hw, c, mean, k, meanDy, q);
    }

    @Override
    public void softmax(float[] x, int xo, float[] y, int yo, int cols) {
        reductions.softmax(x, xo, y, yo, cols, false);
    }

    @Override
    public void logSoftmax(float[] x, int xo, float[] y, int yo, int cols) {
        reductions.softmax(x, xo, y, yo, cols, true);
    }

    @Override
    public void maxPool(float[] x, int xo, int h, int w, int k, int stride, float[] y, int yo, int oh, int ow,
            int[] argmax, int ao) {
        planes.maxPool(x, xo, h, w, k, stride, y, yo, oh, ow, argmax, ao);
    }

    @Override
    public void maxPoolBackward(float[] dy, int dyo, int[] argmax, int ao, int count, float[] dx, int dxo) {
        planes.maxPoolBackward(dy, dyo, argmax, ao, count, dx, dxo);
    }

    @Override
    public void avgPool(float[] x, int xo, int h, int w, int k, int stride, float[] y, int yo, int oh, int ow) {
        planes.avgPool(x, xo, h, w, k, stride, y, yo, oh, ow);
    }

    @Override
    public void avgPoolBackward(float[] dy, int dyo, int h, int w, int k, int stride, int oh, int ow, float[] dx,
            int dxo) {
        planes.avgPoolBackward(dy, dyo, h, w, k, stride, oh, ow, dx, dxo);
    }

    @Override
    public void im2col(float[] x, int xo, int c, int h, int w, int kh, int kw, int stride, int pad, int oh, int ow,
            float[] col, int co, int ld) {
        planes.im2col(x, xo, c, h, w, kh, kw, stride, pad, oh, ow, col, co, ld);
    }

    @Override
    public void im2row(float[] x, int xo, int c, int h, int w, int kh, int kw, int stride, int pad, int oh, int ow,
            float[] xt, float[] rows, int ro) {
        planes.im2row(x, xo, c, h, w, kh, kw, stride, pad, oh, ow, xt, rows, ro);
    }

    @Override
    public void convSame(float[] x, int xo, int c, int h, int w, float[] weight, int wo, int f, int k, float[] y,
            int yo) {
        PanamaConv.convSame(x, xo, c, h, w, weight, wo, f, k, y, yo);
    }

    @Override
    public void convSameWeightGradient(float[] x, int xo, int n, int c, int h, int w, float[] dy, int dyo, int f, int k,
            float[] dweight, int dwo) {
        PanamaConv.weightGradient(x, xo, n, c, h, w, dy, dyo, f, k, dweight, dwo);
    }

    @Override
    public void col2im(float[] col, int co, int c, int h, int w, int kh, int kw, int stride, int pad, int oh, int ow,
            float[] dx, int dxo, int ld) {
        planes.col2im(col, co, c, h, w, kh, kw, stride, pad, oh, ow, dx, dxo, ld);
    }

}
