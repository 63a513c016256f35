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
 * load of consecutive positions, whatever the row. A block of {@link #FORWARD_FILTERS}
 * filters times two vectors of positions keeps its sums in registers; each tap loads two
 * input vectors and broadcasts one weight per filter. The two padding columns of each
 * output row are computed and dropped when the rows are copied out.
 */
final class PanamaConv {

    /** Filters per register block of the weight gradient. */
    private static final int FILTERS = 4;

    /**
     * Filters per register block of the forward pass: eight (16 sums) where vectors hold
     * 16 floats, whose instruction set (AVX-512) has 32 vector registers, else four.
     */
    private static final int FORWARD_FILTERS = L >= 16 ? 8 : 4;

    /** Output positions per register block: two vectors. */
    private static final int BLOCK = 2 * L;

    /**
     * Per thread: the padded planes; the outputs over the padded width (the weight
     * gradient's dy rows); the packed weights (the weight gradient's lane sums).
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
        int blocks = Math.ceilDiv(f, FORWARD_FILTERS);
        float[][] scratch = SCRATCH.get();
        // the last block's garbage positions read up to BLOCK + k floats past the last
        // plane; a valid output never leaves its own plane
        int padded = c * plane + BLOCK + k;
        float[] xp = scratch(scratch, 0, padded);
        float[] out = scratch(scratch, 1, blocks * FORWARD_FILTERS * span);
        float[] packed = scratch(scratch, 2, blocks * FORWARD_FILTERS * taps);
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
        // packed (blocks, taps, FORWARD_FILTERS): the block's weights of one tap side by
        // side, zero for the filters past f
        for (int b = 0; b < blocks; b++) {
            for (int r = 0; r < FORWARD_FILTERS; r++) {
                int fo = b * FORWARD_FILTERS + r;
                for (int t = 0; t < taps; t++) {
                    packed[(b * taps + t) * FORWARD_FILTERS + r] = fo < f ? weight[wo + fo * taps + t] : 0f;
                }
            }
        }
        for (int b = 0; b < blocks; b++) {
            int po = b * taps * FORWARD_FILTERS;
            for (int q0 = 0; q0 < span; q0 += BLOCK) {
                int oo = b * FORWARD_FILTERS * span + q0;
                if (FORWARD_FILTERS == 8) {
                    blockOfEight(xp, q0, offsets, taps, packed, po, out, oo, span);
                }
                else {
                    block(xp, q0, offsets, taps, packed, po, out, oo, span);
                }
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
     * Eight filters (their weights side by side per tap in packed from po) times BLOCK
     * positions from q0.
     */
    private static void blockOfEight(float[] xp, int q0, int[] offsets, int taps, float[] packed, int po, float[] out,
            int oo, int span) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        FloatVector b3 = a0;
        FloatVector b4 = a0;
        FloatVector b5 = a0;
        FloatVector b6 = a0;
        FloatVector b7 = a0;
        for (int t = 0; t < taps; t++) {
            int xi = q0 + offsets[t];
            int wi = po + t * 8;
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
            m = FloatVector.broadcast(S, packed[wi + 4]);
            a4 = v0.fma(m, a4);
            b4 = v1.fma(m, b4);
            m = FloatVector.broadcast(S, packed[wi + 5]);
            a5 = v0.fma(m, a5);
            b5 = v1.fma(m, b5);
            m = FloatVector.broadcast(S, packed[wi + 6]);
            a6 = v0.fma(m, a6);
            b6 = v1.fma(m, b6);
            m = FloatVector.broadcast(S, packed[wi + 7]);
            a7 = v0.fma(m, a7);
            b7 = v1.fma(m, b7);
        }
        a0.intoArray(out, oo);
        b0.intoArray(out, oo + L);
        a1.intoArray(out, oo + span);
        b1.intoArray(out, oo + span + L);
        a2.intoArray(out, oo + 2 * span);
        b2.intoArray(out, oo + 2 * span + L);
        a3.intoArray(out, oo + 3 * span);
        b3.intoArray(out, oo + 3 * span + L);
        a4.intoArray(out, oo + 4 * span);
        b4.intoArray(out, oo + 4 * span + L);
        a5.intoArray(out, oo + 5 * span);
        b5.intoArray(out, oo + 5 * span + L);
        a6.intoArray(out, oo + 6 * span);
        b6.intoArray(out, oo + 6 * span + L);
        a7.intoArray(out, oo + 7 * span);
        b7.intoArray(out, oo + 7 * span + L);
    }

    /**
     * dweight += the weight gradient summed over n consecutive images: x goes into padded
     * planes as for the forward pass and dy into rows of the padded width whose two extra
     * columns are zero, so that each weight is a dot product of a dy row with a shifted
     * input plane over the same positions (the extra columns add nothing). Each weight's
     * vector of lane sums runs on over the n images and is folded once, in lane order, at
     * the end. For 3x3 windows, a window row's three taps for four filters share each
     * load.
     */
    static void weightGradient(float[] x, int xo, int n, int c, int h, int w, float[] dy, int dyo, int f, int k,
            float[] dweight, int dwo) {
        int pad = k / 2;
        int wp = w + 2 * pad;
        int plane = (h + 2 * pad) * wp;
        int span = Math.ceilDiv(h * wp, L) * L;
        int perFilter = c * k * k;
        int weights = f * perFilter;
        float[][] scratch = SCRATCH.get();
        int padded = c * plane + BLOCK + k;
        float[] xp = scratch(scratch, 0, padded);
        float[] dyp = scratch(scratch, 1, f * span);
        // (f, c, k, k, L): each weight's lane sums
        float[] lanes = scratch(scratch, 2, weights * L);
        Arrays.fill(lanes, 0, weights * L, 0f);
        Arrays.fill(dyp, 0, f * span, 0f);
        for (int image = 0; image < n; image++) {
            padPlanes(x, xo + image * c * h * w, c, h, w, pad, xp, padded);
            for (int fo = 0; fo < f; fo++) {
                for (int i = 0; i < h; i++) {
                    System.arraycopy(dy, dyo + ((image * f + fo) * h + i) * w, dyp, fo * span + i * wp, w);
                }
            }
            // filter blocks outermost: their dy rows stay in the first-level cache while
            // the input planes stream past
            int fo = 0;
            if (k == 3) {
                for (; fo + FILTERS <= f; fo += FILTERS) {
                    for (int ch = 0; ch < c; ch++) {
                        for (int ki = 0; ki < k; ki++) {
                            threeTapsFourFilters(xp, ch * plane + ki * wp, dyp, fo * span, span, lanes,
                                    (fo * perFilter + (ch * k + ki) * k) * L, perFilter * L);
                        }
                    }
                }
            }
            for (; fo < f; fo++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int ki = 0; ki < k; ki++) {
                        for (int kj = 0; kj < k; kj++) {
                            dot(dyp, fo * span, xp, ch * plane + ki * wp + kj, span, lanes,
                                    (fo * perFilter + (ch * k + ki) * k + kj) * L);
                        }
                    }
                }
            }
        }
        for (int i = 0; i < weights; i++) {
            float s = 0f;
            for (int j = 0; j < L; j++) {
                s += lanes[i * L + j];
            }
            dweight[dwo + i] += s;
        }
    }

    /**
     * The lane sums of weights lo + r * perLanes + kj * L (r &lt; 4, kj &lt; 3) run on
     * with the products of dy row d0 + r * span and the plane row from xr + kj, over span
     * positions.
     */
    private static void threeTapsFourFilters(float[] xp, int xr, float[] dyp, int d0, int span, float[] lanes, int lo,
            int perLanes) {
        FloatVector a0 = FloatVector.fromArray(S, lanes, lo);
        FloatVector a1 = FloatVector.fromArray(S, lanes, lo + L);
        FloatVector a2 = FloatVector.fromArray(S, lanes, lo + 2 * L);
        FloatVector b0 = FloatVector.fromArray(S, lanes, lo + perLanes);
        FloatVector b1 = FloatVector.fromArray(S, lanes, lo + perLanes + L);
        FloatVector b2 = FloatVector.fromArray(S, lanes, lo + perLanes + 2 * L);
        FloatVector c0 = FloatVector.fromArray(S, lanes, lo + 2 * perLanes);
        FloatVector c1 = FloatVector.fromArray(S, lanes, lo + 2 * perLanes + L);
        FloatVector c2 = FloatVector.fromArray(S, lanes, lo + 2 * perLanes + 2 * L);
        FloatVector e0 = FloatVector.fromArray(S, lanes, lo + 3 * perLanes);
        FloatVector e1 = FloatVector.fromArray(S, lanes, lo + 3 * perLanes + L);
        FloatVector e2 = FloatVector.fromArray(S, lanes, lo + 3 * perLanes + 2 * L);
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
        a0.intoArray(lanes, lo);
        a1.intoArray(lanes, lo + L);
        a2.intoArray(lanes, lo + 2 * L);
        b0.intoArray(lanes, lo + perLanes);
        b1.intoArray(lanes, lo + perLanes + L);
        b2.intoArray(lanes, lo + perLanes + 2 * L);
        c0.intoArray(lanes, lo + 2 * perLanes);
        c1.intoArray(lanes, lo + 2 * perLanes + L);
        c2.intoArray(lanes, lo + 2 * perLanes + 2 * L);
        e0.intoArray(lanes, lo + 3 * perLanes);
        e1.intoArray(lanes, lo + 3 * perLanes + L);
        e2.intoArray(lanes, lo + 3 * perLanes + 2 * L);
    }

    /**
     * The lane sums at lanes[lo, lo + L) run on with a[ao, ao + n) . b[bo, bo + n), n a
     * multiple of L.
     */
    private static void dot(float[] a, int ao, float[] b, int bo, int n, float[] lanes, int lo) {
        FloatVector acc = FloatVector.fromArray(S, lanes, lo);
        for (int q = 0; q < n; q += L) {
            acc = FloatVector.fromArray(S, a, ao + q).fma(FloatVector.fromArray(S, b, bo + q), acc);
        }
        acc.intoArray(lanes, lo);
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
