package dev.trainyard.engine.kernel;

import static dev.trainyard.engine.kernel.PanamaKernels.L;
import static dev.trainyard.engine.kernel.PanamaKernels.S;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.tensor.Tensor;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * 3x3 convolutions with stride 1 and one pixel of zero padding by Winograd's minimal
 * filtering F(2x2, 3x3): each 2x2 block of outputs (a tile) comes from the 4x4 input
 * patch around it with 16 multiplications per channel pair instead of 36.
 *
 * <p>
 * With the interpolation points 0, 1 and -1 the transforms are (Lavin and Gray, "Fast
 * Algorithms for Convolutional Neural Networks", 2015):
 *
 * <pre>
 * input   V = B^T d B    B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]
 * filter  U = G g G^T    G   = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1]
 * output  y = A^T m A    A^T = [1 1 1 0; 0 1 -1 -1]
 * </pre>
 *
 * For the 16 positions e of a transformed tile the products over all channels and tiles
 * are 16 GEMMs, M_e (T, F) = V_e (T, C) * U_e (C, F). The input gradient runs backwards
 * (dM = A dy A^T, dV_e = dM_e * U_e, dx = B dV B^T added patch by patch) and the weight
 * gradient is dU_e = dM_e^T * V_e, turned back into 3x3 windows by G^T dU G.
 *
 * <p>
 * The transforms run channels-last, one vector of channels at a time: each image is first
 * copied into zero-padded (h + 2, w + 2, c) planes, and transformed tiles are stored (T,
 * 16, C), so V_e is a matrix with a leading dimension of 16 C.
 *
 * <p>
 * Work is cut into chunks of {@link Conv#IMAGES_PER_CHUNK} images, whose tiles are the
 * GEMMs' rows. Chunks depend only on the batch size, every output is written by one
 * chunk, and the weight gradient's per-chunk sums are added in chunk order, so results
 * are bit-identical for any thread count. They differ from a direct convolution's by
 * rounding. A NaN in the input turns every output of the tiles whose patches hold it NaN
 * (a 2x2 block more than a direct convolution reaches at most), and an infinite input
 * turns into NaN (infinity minus infinity in the transforms).
 */
final class PanamaWinograd {

    static final int POSITIONS = 16;

    private PanamaWinograd() {
    }

    /** Channel counts whose vectors need no tail: multiples of the vector length. */
    static boolean fits(int c, int f) {
        return c % L == 0 && f % L == 0;
    }

    private record Tiles(int n, int c, int f, int h, int w) {

        int rows() {
            return (h + 1) / 2;
        }

        int cols() {
            return (w + 1) / 2;
        }

        int perImage() {
            return rows() * cols();
        }

        int pw() {
            return 2 * cols() + 2;
        }

        int ph() {
            return 2 * rows() + 2;
        }

        int chunks() {
            return ComputePool.chunks(n, Conv.IMAGES_PER_CHUNK);
        }

        int first(int chunk) {
            return chunk * Conv.IMAGES_PER_CHUNK;
        }

        int images(int chunk) {
            return Math.min(Conv.IMAGES_PER_CHUNK, n - first(chunk));
        }

    }

    /**
     * u from uo (16, C, F) = G g G^T for each filter and channel of weight (F, C, 3, 3).
     */
    private static void transformWeights(float[] wd, int wo, int f, int c, float[] u, int uo) {
        Elementwise.split(f * c, PAIRS_PER_PART, (o0, pairs) -> transformWeights(wd, wo, f, c, o0, o0 + pairs, u, uo));
    }

    /**
     * Filter and channel pairs per part of the weights' transforms, which run spread over
     * the pool: each pair's 16 or 9 values are computed alone, so the parts change no
     * bit.
     */
    private static final int PAIRS_PER_PART = 256;

    /**
     * {@link #transformWeights} for the filter and channel pairs o0 .. o1 - 1 (o = filter
     * * C + channel), each stored at channel * F + filter of its position's (C, F) plane.
     */
    private static void transformWeights(float[] wd, int wo, int f, int c, int o0, int o1, float[] u, int uo) {
        int plane = f * c;
        float[] t = new float[12];
        for (int o = o0; o < o1; o++) {
            int g = wo + o * 9;
            int at = uo + (o % c) * f + o / c;
            for (int s = 0; s < 3; s++) {
                float g0 = wd[g + s];
                float g1 = wd[g + 3 + s];
                float g2 = wd[g + 6 + s];
                t[s] = g0;
                t[3 + s] = 0.5f * (g0 + g1 + g2);
                t[6 + s] = 0.5f * (g0 - g1 + g2);
                t[9 + s] = g2;
            }
            for (int r = 0; r < 4; r++) {
                float a0 = t[3 * r];
                float a1 = t[3 * r + 1];
                float a2 = t[3 * r + 2];
                u[at + (4 * r) * plane] = a0;
                u[at + (4 * r + 1) * plane] = 0.5f * (a0 + a1 + a2);
                u[at + (4 * r + 2) * plane] = 0.5f * (a0 - a1 + a2);
                u[at + (4 * r + 3) * plane] = a2;
            }
        }
    }

    /**
     * v rows t0 .. = B^T d B of each tile of one image, whose padded channels-last planes
     * are xp; v is (T, 16, C).
     */
    private static void transformInput(float[] xp, Tiles g, float[] v, int t0) {
        int c = g.c;
        int pw = g.pw();
        int tc = g.cols();
        int row = pw * c;
        for (int ty = 0; ty < g.rows(); ty++) {
            for (int tx = 0; tx < tc; tx++) {
                int p = (2 * ty * pw + 2 * tx) * c;
                int o = (t0 + ty * tc + tx) * POSITIONS * c;
                for (int ch = 0; ch < c; ch += L) {
                    int q0 = p + ch;
                    int q1 = q0 + row;
                    int q2 = q1 + row;
                    int q3 = q2 + row;
                    // row i of B^T d (d0 - d2, d1 + d2, d2 - d1, d1 - d3), then times B
                    inputRow(xp, q0, q2, false, c, v, o + ch);
                    inputRow(xp, q1, q2, true, c, v, o + 4 * c + ch);
                    inputRow(xp, q2, q1, false, c, v, o + 8 * c + ch);
                    inputRow(xp, q1, q3, false, c, v, o + 12 * c + ch);
                }
            }
        }
    }

    /**
     * The patch row x = row a plus or minus row b (their four pixels c floats apart),
     * times B: (x0 - x2, x1 + x2, x2 - x1, x1 - x3) into v from o, c floats apart.
     */
    private static void inputRow(float[] xp, int a, int b, boolean plus, int c, float[] v, int o) {
        FloatVector x0 = FloatVector.fromArray(S, xp, a);
        FloatVector x1 = FloatVector.fromArray(S, xp, a + c);
        FloatVector x2 = FloatVector.fromArray(S, xp, a + 2 * c);
        FloatVector x3 = FloatVector.fromArray(S, xp, a + 3 * c);
        FloatVector y0 = FloatVector.fromArray(S, xp, b);
        FloatVector y1 = FloatVector.fromArray(S, xp, b + c);
        FloatVector y2 = FloatVector.fromArray(S, xp, b + 2 * c);
        FloatVector y3 = FloatVector.fromArray(S, xp, b + 3 * c);
        if (plus) {
            x0 = x0.add(y0);
            x1 = x1.add(y1);
            x2 = x2.add(y2);
            x3 = x3.add(y3);
        }
        else {
            x0 = x0.sub(y0);
            x1 = x1.sub(y1);
            x2 = x2.sub(y2);
            x3 = x3.sub(y3);
        }
        x0.sub(x2).intoArray(v, o);
        x1.add(x2).intoArray(v, o + c);
        x2.sub(x1).intoArray(v, o + 2 * c);
        x1.sub(x3).intoArray(v, o + 3 * c);
    }

    private static FloatVector load(float[] a, int i) {
        return FloatVector.fromArray(S, a, i);
    }

    /**
     * dm rows t0 .. = A dy A^T of each tile of one image's output gradient, channels-last
     * in dyl (h, w, F); outputs beyond the map count as zero. dm is (T, 16, F).
     */
    private static void transformOutputGradient(float[] dyl, Tiles g, float[] dm, int t0) {
        int f = g.f;
        int tc = g.cols();
        FloatVector zero = FloatVector.zero(S);
        for (int ty = 0; ty < g.rows(); ty++) {
            int y0 = 2 * ty;
            boolean bottom = y0 + 1 < g.h;
            for (int tx = 0; tx < tc; tx++) {
                int x0 = 2 * tx;
                boolean right = x0 + 1 < g.w;
                int at = (y0 * g.w + x0) * f;
                int o = (t0 + ty * tc + tx) * POSITIONS * f;
                for (int k = 0; k < f; k += L) {
                    FloatVector p = load(dyl, at + k);
                    FloatVector q = right ? load(dyl, at + f + k) : zero;
                    FloatVector r = bottom ? load(dyl, at + g.w * f + k) : zero;
                    FloatVector s = bottom && right ? load(dyl, at + (g.w + 1) * f + k) : zero;
                    // A dy: rows (p q), (p+r q+s), (p-r q-s), (-r -s); each times A^T
                    gradientRow(dm, o + k, f, p, q);
                    gradientRow(dm, o + 4 * f + k, f, p.add(r), q.add(s));
                    gradientRow(dm, o + 8 * f + k, f, p.sub(r), q.sub(s));
                    gradientRow(dm, o + 12 * f + k, f, r.neg(), s.neg());
                }
            }
        }
    }

    private static void gradientRow(float[] dm, int o, int f, FloatVector a0, FloatVector a1) {
        a0.intoArray(dm, o);
        a0.add(a1).intoArray(dm, o + f);
        a0.sub(a1).intoArray(dm, o + 2 * f);
        a1.neg().intoArray(dm, o + 3 * f);
    }

    /** y = conv(x, weight) + bias (bias may be null), 3x3, stride 1, padding 1. */
    static void forward(Tensor x, Tensor weight, Tensor bias, Tensor y) {
        Tiles g = new Tiles(x.dim(0), x.dim(1), weight.dim(0), x.dim(2), x.dim(3));
        float[] u = Workspace.floats(Workspace.PARTIALS, POSITIONS * g.f * g.c);
        transformWeights(weight.data(), weight.offset(), g.f, g.c, u, 0);
        float[] b = new float[g.f];
        if (bias != null) {
            System.arraycopy(bias.data(), bias.offset(), b, 0, g.f);
        }
        convolve(x.data(), x.offset(), g, u, 0, b, y.data(), y.offset());
    }

    /**
     * dx = the input gradient given dy (overwritten): the same convolution of dy by the
     * weights with filters and channels swapped and each window turned by 180 degrees,
     * which turned holds from 0 as (C, F, 3, 3), with room after them for their transform
     * (16 C F floats).
     */
    static void backwardInput(Tensor dy, float[] turned, Tensor dx) {
        int f = dy.dim(1);
        int c = dx.dim(1);
        transformWeights(turned, 0, c, f, turned, 9 * c * f);
        Tiles g = new Tiles(dy.dim(0), f, c, dy.dim(2), dy.dim(3));
        convolve(dy.data(), dy.offset(), g, turned, 9 * c * f, new float[c], dx.data(), dx.offset());
    }

    /**
     * The transformed tiles (T, 16, C) of images i0 .. i0 + images - 1 of x (N, C, H, W)
     * at xo, in this thread's {@link Workspace#COLUMNS} slot; each image is first copied
     * channels-last into zero-padded planes.
     */
    private static float[] transformedInput(float[] xd, int xo, Tiles g, int i0, int images) {
        float[] v = Workspace.floats(Workspace.COLUMNS, images * g.perImage() * POSITIONS * g.c);
        int padded = g.ph() * g.pw() * g.c;
        float[] xp = Workspace.floats(Workspace.CHANNELS_LAST, padded);
        Arrays.fill(xp, 0, padded, 0f);
        for (int j = 0; j < images; j++) {
            PanamaPlanes.toChannelsLast(xd, xo + (i0 + j) * g.c * g.h * g.w, g.c, g.h, g.w, xp, g.pw(), 1, 1);
            transformInput(xp, g, v, j * g.perImage());
        }
        return v;
    }

    /**
     * y (N, F, H, W) at yo = the convolution of x (N, C, H, W) at xo by the transformed
     * weights (16, C, F) in u from uo, plus b (F).
     */
    private static void convolve(float[] xd, int xo, Tiles g, float[] u, int uo, float[] b, float[] yd, int yo) {
        GemmProvider gemm = Gemm.provider();
        ComputePool.current().parallelFor(g.chunks(), chunk -> {
            int i0 = g.first(chunk);
            int images = g.images(chunk);
            int t = images * g.perImage();
            float[] v = transformedInput(xd, xo, g, i0, images);
            float[] m = Workspace.floats(Workspace.STAGING, t * POSITIONS * g.f);
            float[] out = Workspace.floats(Workspace.PIXELS, g.h * g.w * g.f);
            for (int e = 0; e < POSITIONS; e++) {
                // M_e (T, F) = V_e (T, C) * U_e (C, F)
                if (OWN_PRODUCTS && g.f % (2 * L) == 0) {
                    product(v, e * g.c, POSITIONS * g.c, u, uo + e * g.f * g.c, g.f, g.c, t, m, e * g.f,
                            POSITIONS * g.f);
                }
                else {
                    gemm.sgemm(false, false, t, g.f, g.c, 1f, v, e * g.c, POSITIONS * g.c, u, uo + e * g.f * g.c, g.f,
                            0f, m, e * g.f, POSITIONS * g.f);
                }
            }
            for (int j = 0; j < images; j++) {
                transformOutput(m, j * g.perImage(), g, b, out);
                PanamaPlanes.fromChannelsLast(out, g.w, 0, 0, g.f, g.h, g.w, yd, yo + (i0 + j) * g.f * g.h * g.w);
            }
        });
    }

    /** out (h, w, F) = A^T m A + b for the tiles of one image, rows t0 .. of m. */
    private static void transformOutput(float[] m, int t0, Tiles g, float[] b, float[] out) {
        int f = g.f;
        int tc = g.cols();
        for (int ty = 0; ty < g.rows(); ty++) {
            int y0 = 2 * ty;
            boolean bottom = y0 + 1 < g.h;
            for (int tx = 0; tx < tc; tx++) {
                int x0 = 2 * tx;
                boolean right = x0 + 1 < g.w;
                int o = (t0 + ty * tc + tx) * POSITIONS * f;
                int at = (y0 * g.w + x0) * f;
                for (int k = 0; k < f; k += L) {
                    // A^T m over the rows, then times A over the columns
                    outputRow(m, o + k, f, b, k, out, at + k, right, 1);
                    if (bottom) {
                        outputRow(m, o + 4 * f + k, f, b, k, out, at + g.w * f + k, right, -1);
                    }
                }
            }
        }
    }

    /**
     * Row a of A^T m A (+ b): with sign 1 the sum of m's rows 0, 1 and 2 from q (rows 4 f
     * apart), with -1 row 1 minus rows 2 and 3 (q then at row 1), times A: (x0 + x1 + x2,
     * x1 - x2 - x3) into out at and at + f (the latter only when right).
     */
    private static void outputRow(float[] m, int q, int f, float[] b, int k, float[] out, int at, boolean right,
            int sign) {
        // each column: (r0 + s r1) + s r2, rounded once per step: r0 + r1 + r2, or r0 -
        // r1 - r2 to the bit (s r is exact); no vector crosses a call, which would box it
        // where C2 does not inline the call
        FloatVector s = FloatVector.broadcast(S, sign);
        int r1 = 4 * f;
        int r2 = 8 * f;
        FloatVector x0 = FloatVector.fromArray(S, m, q + r2)
            .fma(s, FloatVector.fromArray(S, m, q + r1).fma(s, FloatVector.fromArray(S, m, q)));
        FloatVector x1 = FloatVector.fromArray(S, m, q + f + r2)
            .fma(s, FloatVector.fromArray(S, m, q + f + r1).fma(s, FloatVector.fromArray(S, m, q + f)));
        FloatVector x2 = FloatVector.fromArray(S, m, q + 2 * f + r2)
            .fma(s, FloatVector.fromArray(S, m, q + 2 * f + r1).fma(s, FloatVector.fromArray(S, m, q + 2 * f)));
        FloatVector bk = FloatVector.fromArray(S, b, k);
        x0.add(x1).add(x2).add(bk).intoArray(out, at);
        if (right) {
            FloatVector x3 = FloatVector.fromArray(S, m, q + 3 * f + r2)
                .fma(s, FloatVector.fromArray(S, m, q + 3 * f + r1).fma(s, FloatVector.fromArray(S, m, q + 3 * f)));
            x1.sub(x2).sub(x3).add(bk).intoArray(out, at + f);
        }
    }

    /**
     * Whether {@link #convolve} multiplies with {@link #product} rather than the GEMM
     * provider: with 256-bit vectors, where it was measured against OpenBLAS ({@code
     * -Dtrainyard.engine.conv.winograd.product=gemm} turns it off).
     */
    private static final boolean OWN_PRODUCTS = L == 8
            && !"gemm".equals(System.getProperty("trainyard.engine.conv.winograd.product"));

    /** Rows of m per register block of {@link #product}. */
    private static final int PRODUCT_ROWS = 6;

    /**
     * m (t, f) at mo, rows ldm apart = v (t, c) at vo, rows ldv apart, times u (c, f) at
     * uo, f a multiple of 2L, without packing: V_e's rows are read where the transform
     * left them and U_e (a few KB) stays in the first-level cache. Blocks of
     * {@link #PRODUCT_ROWS} rows times two vectors of columns keep 12 sums in registers;
     * each sum runs over the channels in order from zero, one multiply-add per channel,
     * so a row's result does not depend on the rows beside it.
     */
    private static void product(float[] v, int vo, int ldv, float[] u, int uo, int f, int c, int t, float[] m, int mo,
            int ldm) {
        for (int j = 0; j < f; j += 2 * L) {
            int r = 0;
            for (; r + PRODUCT_ROWS <= t; r += PRODUCT_ROWS) {
                sixRows(v, vo + r * ldv, ldv, u, uo + j, f, c, m, mo + r * ldm + j, ldm);
            }
            for (; r < t; r++) {
                oneRow(v, vo + r * ldv, u, uo + j, f, c, m, mo + r * ldm + j);
            }
        }
    }

    private static void sixRows(float[] v, int vr, int ldv, float[] u, int uc, int f, int c, float[] m, int mr,
            int ldm) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        FloatVector b3 = a0;
        FloatVector b4 = a0;
        FloatVector b5 = a0;
        for (int k = 0; k < c; k++) {
            int at = uc + k * f;
            FloatVector u0 = FloatVector.fromArray(S, u, at);
            FloatVector u1 = FloatVector.fromArray(S, u, at + L);
            int x = vr + k;
            FloatVector s = FloatVector.broadcast(S, v[x]);
            a0 = u0.fma(s, a0);
            b0 = u1.fma(s, b0);
            s = FloatVector.broadcast(S, v[x + ldv]);
            a1 = u0.fma(s, a1);
            b1 = u1.fma(s, b1);
            s = FloatVector.broadcast(S, v[x + 2 * ldv]);
            a2 = u0.fma(s, a2);
            b2 = u1.fma(s, b2);
            s = FloatVector.broadcast(S, v[x + 3 * ldv]);
            a3 = u0.fma(s, a3);
            b3 = u1.fma(s, b3);
            s = FloatVector.broadcast(S, v[x + 4 * ldv]);
            a4 = u0.fma(s, a4);
            b4 = u1.fma(s, b4);
            s = FloatVector.broadcast(S, v[x + 5 * ldv]);
            a5 = u0.fma(s, a5);
            b5 = u1.fma(s, b5);
        }
        a0.intoArray(m, mr);
        b0.intoArray(m, mr + L);
        a1.intoArray(m, mr + ldm);
        b1.intoArray(m, mr + ldm + L);
        a2.intoArray(m, mr + 2 * ldm);
        b2.intoArray(m, mr + 2 * ldm + L);
        a3.intoArray(m, mr + 3 * ldm);
        b3.intoArray(m, mr + 3 * ldm + L);
        a4.intoArray(m, mr + 4 * ldm);
        b4.intoArray(m, mr + 4 * ldm + L);
        a5.intoArray(m, mr + 5 * ldm);
        b5.intoArray(m, mr + 5 * ldm + L);
    }

    private static void oneRow(float[] v, int vr, float[] u, int uc, int f, int c, float[] m, int mr) {
        FloatVector a = FloatVector.zero(S);
        FloatVector b = a;
        for (int k = 0; k < c; k++) {
            int at = uc + k * f;
            FloatVector s = FloatVector.broadcast(S, v[vr + k]);
            a = FloatVector.fromArray(S, u, at).fma(s, a);
            b = FloatVector.fromArray(S, u, at + L).fma(s, b);
        }
        a.intoArray(m, mr);
        b.intoArray(m, mr + L);
    }

    /** dweight (F, C, 3, 3) += the weight gradient; the bias gradient is the caller's. */
    static void backwardWeight(Tensor x, Tensor dy, Tensor dweight) {
        Tiles g = new Tiles(x.dim(0), x.dim(1), dweight.dim(0), x.dim(2), x.dim(3));
        int size = POSITIONS * g.f * g.c;
        int chunks = g.chunks();
        // partial (chunks + 1, 16, F, C): each chunk's dU, then their sum
        float[] partial = Workspace.floats(Workspace.PARTIALS, (chunks + 1) * size);
        GemmProvider gemm = Gemm.provider();
        ComputePool.current().parallelFor(chunks, chunk -> {
            int i0 = g.first(chunk);
            int images = g.images(chunk);
            int t = images * g.perImage();
            float[] v = transformedInput(x.data(), x.offset(), g, i0, images);
            float[] dm = Workspace.floats(Workspace.STAGING, t * POSITIONS * g.f);
            float[] dyl = Workspace.floats(Workspace.PIXELS, g.h * g.w * g.f);
            for (int j = 0; j < images; j++) {
                PanamaPlanes.toChannelsLast(dy.data(), dy.offset() + (i0 + j) * g.f * g.h * g.w, g.f, g.h, g.w, dyl,
                        g.w, 0, 0);
                transformOutputGradient(dyl, g, dm, j * g.perImage());
            }
            for (int e = 0; e < POSITIONS; e++) {
                // dU_e (F, C) = dM_e^T (F, T) * V_e (T, C)
                gemm.sgemm(true, false, g.f, g.c, t, 1f, dm, e * g.f, POSITIONS * g.f, v, e * g.c, POSITIONS * g.c, 0f,
                        partial, chunk * size + e * g.f * g.c, g.c);
            }
        });
        int plane = g.f * g.c;
        Elementwise.split(plane, PAIRS_PER_PART,
                (o0, pairs) -> sumAndTurnBack(partial, chunks, plane, o0, o0 + pairs, dweight));
    }

    /**
     * For the filter and channel pairs o0 .. o1 - 1: dU = the chunks' dU added in chunk
     * order (into the slot after the last chunk's), then dW += G^T dU G.
     */
    private static void sumAndTurnBack(float[] partial, int chunks, int plane, int o0, int o1, Tensor dweight) {
        int size = POSITIONS * plane;
        int total = chunks * size;
        for (int e = 0; e < POSITIONS; e++) {
            int to = total + e * plane;
            System.arraycopy(partial, e * plane + o0, partial, to + o0, o1 - o0);
            for (int chunk = 1; chunk < chunks; chunk++) {
                int from = chunk * size + e * plane;
                for (int o = o0; o < o1; o++) {
                    partial[to + o] += partial[from + o];
                }
            }
        }
        // dW = G^T dU G per filter and channel
        float[] dw = dweight.data();
        float[] r = new float[12];
        for (int o = o0; o < o1; o++) {
            for (int col = 0; col < 4; col++) {
                float u0 = partial[total + col * plane + o];
                float u1 = partial[total + (4 + col) * plane + o];
                float u2 = partial[total + (8 + col) * plane + o];
                float u3 = partial[total + (12 + col) * plane + o];
                r[col] = u0 + 0.5f * (u1 + u2);
                r[4 + col] = 0.5f * (u1 - u2);
                r[8 + col] = 0.5f * (u1 + u2) + u3;
            }
            int at = dweight.offset() + o * 9;
            for (int row = 0; row < 3; row++) {
                float a0 = r[4 * row];
                float a1 = r[4 * row + 1];
                float a2 = r[4 * row + 2];
                float a3 = r[4 * row + 3];
                dw[at + 3 * row] += a0 + 0.5f * (a1 + a2);
                dw[at + 3 * row + 1] += 0.5f * (a1 - a2);
                dw[at + 3 * row + 2] += 0.5f * (a1 + a2) + a3;
            }
        }
    }

}
