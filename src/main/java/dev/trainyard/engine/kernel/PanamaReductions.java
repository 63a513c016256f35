package dev.trainyard.engine.kernel;

import static dev.trainyard.engine.kernel.PanamaKernels.L;
import static dev.trainyard.engine.kernel.PanamaKernels.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector API bias, sum, moment and softmax kernels for {@link PanamaKernels}; contracts
 * as in {@link KernelSupport}.
 *
 * <p>
 * Determinism: every reduction adds in a fixed order that depends only on its length.
 * Vector accumulators are folded lane by lane in lane order, never with
 * {@code reduceLanes(ADD)}, whose order is left to the JIT (interpreted and compiled code
 * could differ in the last bit).
 */
final class PanamaReductions {

    /** y (rows, cols) += bias (cols) on every row. */
    void addBias(float[] bias, int bo, float[] y, int yo, int rows, int cols) {
        int bound = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int row = yo + r * cols;
            int c = 0;
            for (; c < bound; c += L) {
                FloatVector.fromArray(S, y, row + c).add(FloatVector.fromArray(S, bias, bo + c)).intoArray(y, row + c);
            }
            for (; c < cols; c++) {
                y[row + c] += bias[bo + c];
            }
        }
    }

    /**
     * out (cols) += column sums of x (rows, cols); rows added in order, so bit-identical
     * to the reference.
     */
    void sumRows(float[] x, int xo, int rows, int cols, float[] out, int oo) {
        int bound = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int row = xo + r * cols;
            int c = 0;
            for (; c < bound; c += L) {
                FloatVector.fromArray(S, out, oo + c).add(FloatVector.fromArray(S, x, row + c)).intoArray(out, oo + c);
            }
            for (; c < cols; c++) {
                out[oo + c] += x[row + c];
            }
        }
    }

    /**
     * c (m, n) += a (m, k) b (n, k)^T; each dot in two vector accumulators, folded in
     * order, then the tail.
     */
    void addRowDots(float[] a, int ao, int m, float[] b, int bo, int n, int k, float[] c, int co) {
        int bound2 = k - 2 * L;
        int bound = S.loopBound(k);
        for (int i = 0; i < m; i++) {
            int ar = ao + i * k;
            for (int j = 0; j < n; j++) {
                int br = bo + j * k;
                FloatVector s0 = FloatVector.zero(S);
                FloatVector s1 = s0;
                int p = 0;
                for (; p <= bound2; p += 2 * L) {
                    s0 = FloatVector.fromArray(S, a, ar + p).fma(FloatVector.fromArray(S, b, br + p), s0);
                    s1 = FloatVector.fromArray(S, a, ar + p + L).fma(FloatVector.fromArray(S, b, br + p + L), s1);
                }
                for (; p < bound; p += L) {
                    s0 = FloatVector.fromArray(S, a, ar + p).fma(FloatVector.fromArray(S, b, br + p), s0);
                }
                float s = fold(s0.add(s1));
                for (; p < k; p++) {
                    s = Math.fma(a[ar + p], b[br + p], s);
                }
                c[co + i * n + j] += s;
            }
        }
    }

    /**
     * Four vector accumulators (lane j of accumulator a sums x[4L*t + a*L + j]), folded
     * in order, then the tail.
     */
    float sum(float[] x, int xo, int n) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int i = 0;
        for (int bound = n - 4 * L; i <= bound; i += 4 * L) {
            a0 = a0.add(FloatVector.fromArray(S, x, xo + i));
            a1 = a1.add(FloatVector.fromArray(S, x, xo + i + L));
            a2 = a2.add(FloatVector.fromArray(S, x, xo + i + 2 * L));
            a3 = a3.add(FloatVector.fromArray(S, x, xo + i + 3 * L));
        }
        for (int bound = S.loopBound(n); i < bound; i += L) {
            a0 = a0.add(FloatVector.fromArray(S, x, xo + i));
        }
        float s = fold(a0.add(a1).add(a2.add(a3)));
        for (; i < n; i++) {
            s += x[xo + i];
        }
        return s;
    }

    /**
     * Columns [c0, c1) of x (rows, cols): vector blocks of L columns, each lane summing
     * its column over rows in order.
     */
    void columnMoments(float[] x, int xo, int rows, int cols, int c0, int c1, float[] mean, float[] var) {
        int c = c0;
        float inv = 1f / rows;
        for (; c + L <= c1; c += L) {
            FloatVector s = FloatVector.zero(S);
            for (int r = 0; r < rows; r++) {
                s = s.add(FloatVector.fromArray(S, x, xo + r * cols + c));
            }
            FloatVector m = s.mul(inv);
            FloatVector q = FloatVector.zero(S);
            for (int r = 0; r < rows; r++) {
                FloatVector d = FloatVector.fromArray(S, x, xo + r * cols + c).sub(m);
                q = d.fma(d, q);
            }
            m.intoArray(mean, c);
            q.mul(inv).intoArray(var, c);
        }
        for (; c < c1; c++) {
            float s = 0f;
            for (int r = 0; r < rows; r++) {
                s += x[xo + r * cols + c];
            }
            float m = s * inv;
            float q = 0f;
            for (int r = 0; r < rows; r++) {
                float d = x[xo + r * cols + c] - m;
                q = Math.fma(d, d, q);
            }
            mean[c] = m;
            var[c] = q * inv;
        }
    }

    /**
     * Channels [c0, c1) of x (n, channels, hw), two passes (mean, then squared
     * deviations). Each plane is summed in float vectors and folded into a double, so the
     * error grows with hw, not with n * hw.
     */
    void channelMoments(float[] x, int xo, int n, int channels, int hw, int c0, int c1, float[] mean, float[] var) {
        double count = (double) n * hw;
        for (int c = c0; c < c1; c++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += planeSum(x, xo + (i * channels + c) * hw, hw);
            }
            float m = (float) (s / count);
            double q = 0;
            for (int i = 0; i < n; i++) {
                q += planeSquares(x, xo + (i * channels + c) * hw, hw, m);
            }
            mean[c] = m;
            var[c] = (float) (q / count);
        }
    }

    void channelGradientSums(float[] dy, int dyo, float[] x, int xo, float[] gate, int gateOff, int n, int channels,
            int hw, int c, float mean, double[] sums) {
        FloatVector zero = FloatVector.zero(S);
        double sDy = 0;
        double sDyXmu = 0;
        for (int i = 0; i < n; i++) {
            int go = dyo + (i * channels + c) * hw;
            int o = xo + (i * channels + c) * hw;
            int q = gateOff + (i * channels + c) * hw;
            FloatVector a = FloatVector.zero(S);
            FloatVector b = FloatVector.zero(S);
            int j = 0;
            for (int bound = S.loopBound(hw); j < bound; j += L) {
                FloatVector g = FloatVector.fromArray(S, dy, go + j);
                if (gate != null) {
                    // as the ReLU backward kernel: +0 where the gate is not positive
                    g = zero.blend(g, FloatVector.fromArray(S, gate, q + j).compare(VectorOperators.GT, 0f));
                }
                a = a.add(g);
                b = g.fma(FloatVector.fromArray(S, x, o + j).sub(mean), b);
            }
            float pa = fold(a);
            float pb = fold(b);
            for (; j < hw; j++) {
                float g = gate == null || gate[q + j] > 0f ? dy[go + j] : 0f;
                pa += g;
                pb = Math.fma(g, x[o + j] - mean, pb);
            }
            sDy += pa;
            sDyXmu += pb;
        }
        sums[0] = sDy;
        sums[1] = sDyXmu;
    }

    void channelAffine(float[] x, int xo, float[] y, int yo, int n, int channels, int hw, int c, float scale,
            float shift, boolean relu) {
        FloatVector zero = FloatVector.zero(S);
        for (int i = 0; i < n; i++) {
            int plane = (i * channels + c) * hw;
            int o = xo + plane;
            int d = yo + plane;
            int j = 0;
            for (int bound = S.loopBound(hw); j < bound; j += L) {
                FloatVector v = FloatVector.fromArray(S, x, o + j).mul(scale).add(shift);
                (relu ? v.max(zero) : v).intoArray(y, d + j);
            }
            for (; j < hw; j++) {
                float v = x[o + j] * scale + shift;
                y[d + j] = relu ? Math.max(v, 0f) : v;
            }
        }
    }

    void channelInputGradient(float[] dy, int dyo, float[] x, int xo, float[] gate, int gateOff, float[] dx, int dxo,
            int n, int channels, int hw, int c, float mean, float k, float meanDy, float q) {
        FloatVector zero = FloatVector.zero(S);
        for (int i = 0; i < n; i++) {
            int plane = (i * channels + c) * hw;
            int go = dyo + plane;
            int o = xo + plane;
            int d = dxo + plane;
            int gq = gateOff + plane;
            int j = 0;
            for (int bound = S.loopBound(hw); j < bound; j += L) {
                FloatVector g = FloatVector.fromArray(S, dy, go + j);
                if (gate != null) {
                    g = zero.blend(g, FloatVector.fromArray(S, gate, gq + j).compare(VectorOperators.GT, 0f));
                }
                FloatVector centred = FloatVector.fromArray(S, x, o + j).sub(mean).mul(q);
                g.sub(meanDy).sub(centred).mul(k).intoArray(dx, d + j);
            }
            for (; j < hw; j++) {
                float g = gate == null || gate[gq + j] > 0f ? dy[go + j] : 0f;
                dx[d + j] = k * (g - meanDy - (x[o + j] - mean) * q);
            }
        }
    }

    private static float planeSum(float[] x, int o, int len) {
        FloatVector acc = FloatVector.zero(S);
        int j = 0;
        for (int bound = S.loopBound(len); j < bound; j += L) {
            acc = acc.add(FloatVector.fromArray(S, x, o + j));
        }
        float s = fold(acc);
        for (; j < len; j++) {
            s += x[o + j];
        }
        return s;
    }

    private static float planeSquares(float[] x, int o, int len, float m) {
        FloatVector acc = FloatVector.zero(S);
        int j = 0;
        for (int bound = S.loopBound(len); j < bound; j += L) {
            FloatVector d = FloatVector.fromArray(S, x, o + j).sub(m);
            acc = d.fma(d, acc);
        }
        float s = fold(acc);
        for (; j < len; j++) {
            float d = x[o + j] - m;
            s = Math.fma(d, d, s);
        }
        return s;
    }

    /**
     * Softmax or log-softmax of one row. The maximum is a vector MAX (NaN wins, as
     * Math.max); the exponentials are scalar StrictMath.exp summed in order, so the bits
     * do not depend on the JIT or the CPU. y may be x.
     */
    void softmax(float[] x, int xo, float[] y, int yo, int cols, boolean log) {
        int bound = S.loopBound(cols);
        FloatVector mv = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int c = 0;
        for (; c < bound; c += L) {
            mv = mv.lanewise(VectorOperators.MAX, FloatVector.fromArray(S, x, xo + c));
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < L; j++) {
            max = Math.max(max, mv.lane(j));
        }
        for (; c < cols; c++) {
            max = Math.max(max, x[xo + c]);
        }
        // e = exp(x - max), written to y for softmax; only summed for log-softmax (x is
        // still needed). Scalar StrictMath.exp and a sequential sum: the lanewise EXP
        // gives
        // different bits before and after C2 compiles it (see PanamaKernels.tanh).
        float sum = 0f;
        for (c = 0; c < cols; c++) {
            float e = (float) StrictMath.exp(x[xo + c] - max);
            sum += e;
            if (!log) {
                y[yo + c] = e;
            }
        }
        if (log) {
            float logSum = max + (float) StrictMath.log(sum);
            for (c = 0; c < bound; c += L) {
                FloatVector.fromArray(S, x, xo + c).sub(logSum).intoArray(y, yo + c);
            }
            for (; c < cols; c++) {
                y[yo + c] = x[xo + c] - logSum;
            }
            return;
        }
        float inv = 1f / sum;
        for (c = 0; c < bound; c += L) {
            FloatVector.fromArray(S, y, yo + c).mul(inv).intoArray(y, yo + c);
        }
        for (; c < cols; c++) {
            y[yo + c] *= inv;
        }
    }

    /** Lanes added in lane order: a fixed order, unlike reduceLanes(ADD). */
    static float fold(FloatVector v) {
        float s = 0f;
        for (int j = 0; j < L; j++) {
            s += v.lane(j);
        }
        return s;
    }

}
