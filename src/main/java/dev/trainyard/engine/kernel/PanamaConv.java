package dev.trainyard.engine.kernel;

import static dev.trainyard.engine.kernel.PanamaKernels.L;
import static dev.trainyard.engine.kernel.PanamaKernels.S;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * The stride-1 "same" convolution of {@link KernelSupport#convSame} without a lowering:
 * the image is copied once into zero-padded planes (c, h + 2p, w + 2p), and outputs are
 * computed over the padded width, so that output position q = i * (w + 2p) + j reads
 * input position q + ki * (w + 2p) + kj of each plane: a window tap is one shifted vector
 * load of consecutive positions, whatever the row. A block of {@link #FILTERS} filters
 * times two vectors of positions keeps eight sums in registers; each tap loads two input
 * vectors and broadcasts one weight per filter. The two padding columns of each output
 * row are computed and dropped when the rows are copied out.
 */
final class PanamaConv {

    /** Filters per register block. */
    private static final int FILTERS = 4;

    /** Output positions per register block: two vectors. */
    private static final int BLOCK = 2 * L;

    /**
     * Per thread: the padded planes; the outputs over the padded width (the weight
     * gradient's dy rows); the packed weights.
     */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

    /** Per thread: each tap's offset into the padded planes. */
    private static final ThreadLocal<int[]> OFFSETS = ThreadLocal.withInitial(() -> new int[0]);

    private PanamaConv() {
    }

    static void convSame(float[] x, int xo, int c, int h, int w, float[] weight, int wo, int f, int k, float[] y,
            int yo) {
        int pad = k / 2;
        int wp = w + 2 * pad;
        int plane = (h + 2 * pad) * wp;
        int span = Math.ceilDiv(h * wp, BLOCK) * BLOCK;
        int taps = c * k * k;
        int blocks = Math.ceilDiv(f, FILTERS);
        float[][] scratch = SCRATCH.get();
        // the last block's garbage positions read up to BLOCK + k floats past the last
        // plane; a valid output never leaves its own plane
        int padded = c * plane + BLOCK + k;
        float[] xp = scratch(scratch, 0, padded);
        float[] out = scratch(scratch, 1, blocks * FILTERS * span);
        float[] packed = scratch(scratch, 2, blocks * FILTERS * taps);
        int[] offsets = OFFSETS.get();
        if (offsets.length < taps) {
            offsets = new int[taps];
            OFFSETS.set(offsets);
        }
        padPlanes(x, xo, c, h, w, pad, xp, padded);
        for (int ch = 0; ch < c; ch++) {
            for (int ki = 0; ki < k; ki++) {
                for (int kj = 0; kj < k; kj++) {
                    offsets[(ch * k + ki) * k + kj] = ch * plane + ki * wp + kj;
                }
            }
        }
        // packed (blocks, taps, FILTERS): the block's weights of one tap side by side,
        // zero for the filters past f
        for (int b = 0; b < blocks; b++) {
            for (int r = 0; r < FILTERS; r++) {
                int fo = b * FILTERS + r;
                for (int t = 0; t < taps; t++) {
                    packed[(b * taps + t) * FILTERS + r] = fo < f ? weight[wo + fo * taps + t] : 0f;
                }
            }
        }
        for (int b = 0; b < blocks; b++) {
            for (int q0 = 0; q0 < span; q0 += BLOCK) {
                block(xp, q0, offsets, taps, packed, b * taps * FILTERS, out, b * FILTERS * span + q0, span);
            }
        }
        for (int fo = 0; fo < f; fo++) {
            for (int i = 0; i < h; i++) {
                System.arraycopy(out, fo * span + i * wp, y, yo + (fo * h + i) * w, w);
            }
        }
    }

    /**
     * Four filters (their weights side by side per tap in packed from po) times BLOCK
     * positions from q0.
     */
    private static void block(float[] xp, int q0, int[] offsets, int taps, float[] packed, int po, float[] out, int oo,
            int span) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        FloatVector b3 = a0;
        for (int t = 0; t < taps; t++) {
            int xi = q0 + offsets[t];
            int wi = po + t * FILTERS;
            FloatVector v0 = FloatVector.fromArray(S, xp, xi);
            FloatVector v1 = FloatVector.fromArray(S, xp, xi + L);
            FloatVector m = FloatVector.broadcast(S, packed[wi]);
            a0 = v0.fma(m, a0);
            b0 = v1.fma(m, b0);
            m = FloatVector.broadcast(S, packed[wi + 1]);
            a1 = v0.fma(m, a1);
            b1 = v1.fma(m, b1);
            m = FloatVector.broadcast(S, packed[wi + 2]);
            a2 = v0.fma(m, a2);
            b2 = v1.fma(m, b2);
            m = FloatVector.broadcast(S, packed[wi + 3]);
            a3 = v0.fma(m, a3);
            b3 = v1.fma(m, b3);
        }
        a0.intoArray(out, oo);
        b0.intoArray(out, oo + L);
        a1.intoArray(out, oo + span);
        b1.intoArray(out, oo + span + L);
        a2.intoArray(out, oo + 2 * span);
        b2.intoArray(out, oo + 2 * span + L);
        a3.intoArray(out, oo + 3 * span);
        b3.intoArray(out, oo + 3 * span + L);
    }

    /**
     * dweight += the weight gradient for one image: x goes into padded planes as for the
     * forward pass and dy into rows of the padded width whose two extra columns are zero,
     * so that each weight is a dot product of a dy row with a shifted input plane over
     * the same positions (the extra columns add nothing). For 3x3 windows, a window row's
     * three taps for four filters share each load.
     */
    static void weightGradient(float[] x, int xo, int c, int h, int w, float[] dy, int dyo, int f, int k,
            float[] dweight, int dwo) {
        int pad = k / 2;
        int wp = w + 2 * pad;
        int plane = (h + 2 * pad) * wp;
        int span = Math.ceilDiv(h * wp, L) * L;
        float[][] scratch = SCRATCH.get();
        int padded = c * plane + BLOCK + k;
        float[] xp = scratch(scratch, 0, padded);
        float[] dyp = scratch(scratch, 1, f * span);
        padPlanes(x, xo, c, h, w, pad, xp, padded);
        Arrays.fill(dyp, 0, f * span, 0f);
        for (int fo = 0; fo < f; fo++) {
            for (int i = 0; i < h; i++) {
                System.arraycopy(dy, dyo + (fo * h + i) * w, dyp, fo * span + i * wp, w);
            }
        }
        int perFilter = c * k * k;
        for (int ch = 0; ch < c; ch++) {
            for (int ki = 0; ki < k; ki++) {
                int xr = ch * plane + ki * wp;
                int fo = 0;
                if (k == 3) {
                    for (; fo + FILTERS <= f; fo += FILTERS) {
                        threeTapsFourFilters(xp, xr, dyp, fo * span, span, dweight,
                                dwo + fo * perFilter + (ch * k + ki) * k, perFilter);
                    }
                }
                for (; fo < f; fo++) {
                    for (int kj = 0; kj < k; kj++) {
                        dweight[dwo + fo * perFilter + (ch * k + ki) * k + kj] += dot(dyp, fo * span, xp, xr + kj,
                                span);
                    }
                }
            }
        }
    }

    /**
     * Weights wo + r * perFilter + kj (r &lt; 4, kj &lt; 3) += the dot product of dy row
     * d0 + r * span with the plane row from xr + kj, over span positions.
     */
    private static void threeTapsFourFilters(float[] xp, int xr, float[] dyp, int d0, int span, float[] dw, int wo,
            int perFilter) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        FloatVector c0 = a0;
        FloatVector c1 = a0;
        FloatVector c2 = a0;
        FloatVector e0 = a0;
        FloatVector e1 = a0;
        FloatVector e2 = a0;
        for (int q = 0; q < span; q += L) {
            FloatVector x0 = FloatVector.fromArray(S, xp, xr + q);
            FloatVector x1 = FloatVector.fromArray(S, xp, xr + q + 1);
            FloatVector x2 = FloatVector.fromArray(S, xp, xr + q + 2);
            FloatVector d = FloatVector.fromArray(S, dyp, d0 + q);
            a0 = d.fma(x0, a0);
            a1 = d.fma(x1, a1);
            a2 = d.fma(x2, a2);
            d = FloatVector.fromArray(S, dyp, d0 + span + q);
            b0 = d.fma(x0, b0);
            b1 = d.fma(x1, b1);
            b2 = d.fma(x2, b2);
            d = FloatVector.fromArray(S, dyp, d0 + 2 * span + q);
            c0 = d.fma(x0, c0);
            c1 = d.fma(x1, c1);
            c2 = d.fma(x2, c2);
            d = FloatVector.fromArray(S, dyp, d0 + 3 * span + q);
            e0 = d.fma(x0, e0);
            e1 = d.fma(x1, e1);
            e2 = d.fma(x2, e2);
        }
        dw[wo] += PanamaReductions.fold(a0);
        dw[wo + 1] += PanamaReductions.fold(a1);
        dw[wo + 2] += PanamaReductions.fold(a2);
        dw[wo + perFilter] += PanamaReductions.fold(b0);
        dw[wo + perFilter + 1] += PanamaReductions.fold(b1);
        dw[wo + perFilter + 2] += PanamaReductions.fold(b2);
        dw[wo + 2 * perFilter] += PanamaReductions.fold(c0);
        dw[wo + 2 * perFilter + 1] += PanamaReductions.fold(c1);
        dw[wo + 2 * perFilter + 2] += PanamaReductions.fold(c2);
        dw[wo + 3 * perFilter] += PanamaReductions.fold(e0);
        dw[wo + 3 * perFilter + 1] += PanamaReductions.fold(e1);
        dw[wo + 3 * perFilter + 2] += PanamaReductions.fold(e2);
    }

    /** a[ao, ao + n) . b[bo, bo + n), n a multiple of L. */
    private static float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector acc = FloatVector.zero(S);
        for (int q = 0; q < n; q += L) {
            acc = FloatVector.fromArray(S, a, ao + q).fma(FloatVector.fromArray(S, b, bo + q), acc);
        }
        return PanamaReductions.fold(acc);
    }

    /**
     * xp[0, padded) = the image x (c, h, w) in zero-padded planes (c, h + 2 pad, w + 2
     * pad), zeros after the last plane.
     */
    private static void padPlanes(float[] x, int xo, int c, int h, int w, int pad, float[] xp, int padded) {
        int wp = w + 2 * pad;
        int plane = (h + 2 * pad) * wp;
        Arrays.fill(xp, 0, padded, 0f);
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < h; i++) {
                System.arraycopy(x, xo + (ch * h + i) * w, xp, ch * plane + (i + pad) * wp + pad, w);
            }
        }
    }

    private static float[] scratch(float[][] scratch, int slot, int size) {
        if (scratch[slot].length < size) {
            scratch[slot] = new float[size];
        }
        return scratch[slot];
    }

}
