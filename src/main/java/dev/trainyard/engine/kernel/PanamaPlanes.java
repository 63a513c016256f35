package dev.trainyard.engine.kernel;

import static dev.trainyard.engine.kernel.PanamaKernels.L;
import static dev.trainyard.engine.kernel.PanamaKernels.S;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Per-plane kernels for {@link PanamaKernels}: pooling, im2col and col2im. Contracts as
 * in {@link KernelSupport}; results are bit-identical to {@link ReferenceKernels} (the
 * same adds in the same order), only faster: the common 2x2 stride-2 window is unrolled,
 * and stride-1 im2col / col2im move whole row segments (array copies, vector adds)
 * instead of single pixels.
 *
 * <p>
 * {@code ld} is the row length of col: {@code oh * ow} for one image, larger when several
 * images sit side by side in one matrix.
 */
final class PanamaPlanes {

    void maxPool(float[] x, int xo, int h, int w, int k, int stride, float[] y, int yo, int oh, int ow, int[] argmax,
            int ao) {
        if (k == 2 && stride == 2 && S.vectorBitSize() >= 512 && maxPool2x2Pairs(x, xo, w, y, yo, oh, ow, argmax, ao)) {
            return;
        }
        if (k == 2 && stride == 2) {
            maxPool2x2(x, xo, w, y, yo, oh, ow, argmax, ao);
            return;
        }
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                int best = i * stride * w + j * stride;
                float bestVal = x[xo + best];
                for (int di = 0; di < k; di++) {
                    int rowIdx = (i * stride + di) * w + j * stride;
                    for (int dj = 0; dj < k; dj++) {
                        float v = x[xo + rowIdx + dj];
                        if (v > bestVal || (v != v && bestVal == bestVal)) {
                            bestVal = v;
                            best = rowIdx + dj;
                        }
                    }
                }
                y[yo + i * ow + j] = bestVal;
                argmax[ao + i * ow + j] = best;
            }
        }
    }

    /** Two neighbouring floats per lane: a window's left and right column. */
    private static final VectorSpecies<Long> PAIRS = VectorSpecies.of(long.class, S.vectorShape());

    /** One lane per window of a {@link #PAIRS} vector. */
    private static final VectorSpecies<Float> HALF = VectorSpecies.of(float.class,
            VectorShape.forBitSize(S.vectorBitSize() / 2));

    private static final VectorSpecies<Integer> HALF_INTS = VectorSpecies.of(int.class, HALF.vectorShape());

    private static final int H = HALF.length();

    /** 0, 2, 4, ...: the first input column of each window in a vector of outputs. */
    private static final IntVector TWICE_IOTA_HALF = IntVector.zero(HALF_INTS).addIndex(2);

    /**
     * The 2x2 stride-2 pool for 512-bit vectors, without gathers: a vector of L floats of
     * an input row, read as L/2 longs, holds the left and right columns of L/2 windows
     * side by side, and narrowing each long to its low or its high half splits them
     * (little-endian: the low half is the left column). Each output row takes its two
     * input rows in contiguous loads, masked where a row ends inside a vector. The scan
     * over a window is the reference's, as in {@link #maxPool2x2}: (0,0), (0,1), (1,0),
     * (1,1), a later place replacing the best only when it is larger. Without NaNs that
     * is the whole rule; a plane with a NaN or an infinity among its inputs (an infinity
     * times zero is NaN too) makes it return false, and the caller pools that plane again
     * with {@link #maxPool2x2}, whose scan also lets a NaN replace a number. The NaN
     * check is two multiply-adds per pair of loads: mask logic on NaN tests (or, and-not)
     * on these 256-bit masks is not compiled to vector instructions by JDK 25
     * (docs/benchmarks.md has the figures). With 256-bit vectors {@link #maxPool2x2}
     * stays.
     */
    private static boolean maxPool2x2Pairs(float[] x, int xo, int w, float[] y, int yo, int oh, int ow, int[] argmax,
            int ao) {
        FloatVector zero = FloatVector.zero(S);
        // stays finite unless an input is a NaN or an infinity
        FloatVector probe = zero;
        int used = 2 * ow; // input columns inside some window (an odd width leaves one
                           // out)
        for (int j0 = 0; j0 < ow; j0 += H) {
            int c0 = 2 * j0;
            boolean whole = j0 + H <= ow;
            VectorMask<Float> in = S.indexInRange(c0, used);
            VectorMask<Float> out = HALF.indexInRange(j0, ow);
            VectorMask<Integer> outInts = out.cast(HALF_INTS);
            for (int i = 0; i < oh; i++) {
                int top = xo + 2 * i * w + c0;
                FloatVector tf;
                FloatVector uf;
                if (whole) {
                    tf = FloatVector.fromArray(S, x, top);
                    uf = FloatVector.fromArray(S, x, top + w);
                }
                else {
                    tf = FloatVector.fromArray(S, x, top, in);
                    uf = FloatVector.fromArray(S, x, top + w, in);
                }
                probe = uf.fma(zero, tf.fma(zero, probe));
                LongVector t = tf.reinterpretAsLongs();
                LongVector u = uf.reinterpretAsLongs();
                FloatVector value = low(t);
                IntVector place = IntVector.zero(HALF_INTS);
                FloatVector b = high(t);
                VectorMask<Float> m = b.compare(VectorOperators.GT, value);
                value = value.blend(b, m);
                place = place.blend(1, m.cast(HALF_INTS));
                FloatVector c = low(u);
                m = c.compare(VectorOperators.GT, value);
                value = value.blend(c, m);
                place = place.blend(w, m.cast(HALF_INTS));
                FloatVector d = high(u);
                m = d.compare(VectorOperators.GT, value);
                value = value.blend(d, m);
                place = place.blend(w + 1, m.cast(HALF_INTS));
                IntVector at = place.add(TWICE_IOTA_HALF).add(2 * i * w + c0);
                int o = i * ow + j0;
                if (whole) {
                    value.intoArray(y, yo + o);
                    at.intoArray(argmax, ao + o);
                }
                else {
                    value.intoArray(y, yo + o, out);
                    at.intoArray(argmax, ao + o, outInts);
                }
            }
        }
        // a NaN or an infinity among the inputs: the lanes of a sum of NaN checks are in
        // no fixed order, but any NaN makes it NaN
        return !Float.isNaN(probe.reduceLanes(VectorOperators.ADD));
    }

    private static FloatVector low(LongVector pairs) {
        return ((IntVector) pairs.convertShape(VectorOperators.L2I, HALF_INTS, 0)).reinterpretAsFloats();
    }

    private static FloatVector high(LongVector pairs) {
        return ((IntVector) pairs.lanewise(VectorOperators.LSHR, 32).convertShape(VectorOperators.L2I, HALF_INTS, 0))
            .reinterpretAsFloats();
    }

    /** Int lanes as many as {@link PanamaKernels#S}'s float lanes. */
    private static final VectorSpecies<Integer> IS = VectorSpecies.of(int.class, S.vectorShape());

    /**
     * Top-left corners of a 2x2 stride-2 pool's windows, output by output, for the plane
     * geometry this thread pooled last: the gather map of {@link #maxPool2x2}. A layer
     * pools many planes of one geometry in a row, so one entry per thread nearly always
     * hits.
     */
    private static final ThreadLocal<Corners> CORNERS = ThreadLocal.withInitial(() -> new Corners(0, 0, 0));

    private record Corners(int w, int oh, int ow, int[] map) {

        Corners(int w, int oh, int ow) {
            this(w, oh, ow, new int[oh * ow]);
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    map[i * ow + j] = 2 * i * w + 2 * j;
                }
            }
        }

    }

    /**
     * Window order (0,0), (0,1), (1,0), (1,1) as the reference: the first maximum, or the
     * first NaN, wins. Vectors of L outputs in a row of the flattened output plane gather
     * their four window values through the corner map, so the maps of a 14x14 or 7x7
     * output, narrower than one vector, fill whole vectors; a later place replaces the
     * best so far only where it is larger, without branches (whose outcome on real
     * activations is a coin toss). Without NaNs that is the reference's whole rule (-0
     * and +0 are equal), and the last outputs run one by one through {@link #orderKey}. A
     * multiply-add of every input by zero stays finite unless an input is a NaN or an
     * infinity; then the whole plane is pooled again one output at a time.
     */
    private static void maxPool2x2(float[] x, int xo, int w, float[] y, int yo, int oh, int ow, int[] argmax, int ao) {
        int count = oh * ow;
        int[] corners = corners(w, oh, ow);
        FloatVector zero = FloatVector.zero(S);
        FloatVector probe = zero;
        int bound = S.loopBound(count);
        for (int o = 0; o < bound; o += L) {
            IntVector at = IntVector.fromArray(IS, corners, o);
            FloatVector a = FloatVector.fromArray(S, x, xo, corners, o);
            FloatVector b = FloatVector.fromArray(S, x, xo + 1, corners, o);
            FloatVector c = FloatVector.fromArray(S, x, xo + w, corners, o);
            FloatVector d = FloatVector.fromArray(S, x, xo + w + 1, corners, o);
            probe = d.fma(zero, c.fma(zero, b.fma(zero, a.fma(zero, probe))));
            FloatVector value = a;
            IntVector step = IntVector.zero(IS);
            VectorMask<Float> m = b.compare(VectorOperators.GT, value);
            value = value.blend(b, m);
            step = step.blend(1, m.cast(IS));
            m = c.compare(VectorOperators.GT, value);
            value = value.blend(c, m);
            step = step.blend(w, m.cast(IS));
            m = d.compare(VectorOperators.GT, value);
            value = value.blend(d, m);
            step = step.blend(w + 1, m.cast(IS));
            value.intoArray(y, yo + o);
            at.add(step).intoArray(argmax, ao + o);
        }
        // a NaN among the inputs: the lanes of a sum of NaN checks are in no fixed order,
        // but any NaN makes it NaN
        boolean numbers = !Float.isNaN(probe.reduceLanes(VectorOperators.ADD));
        for (int o = numbers ? bound : 0; o < count; o++) {
            int idx = corners[o];
            int at = xo + idx;
            long a = ((long) orderKey(x[at]) << 2) | 3;
            long b = ((long) orderKey(x[at + 1]) << 2) | 2;
            long c = ((long) orderKey(x[at + w]) << 2) | 1;
            long d = (long) orderKey(x[at + w + 1]) << 2;
            int place = 3 - (int) (Math.max(Math.max(a, b), Math.max(c, d)) & 3);
            int best = idx + (place & 1) + (place >> 1) * w;
            y[yo + o] = x[xo + best];
            argmax[ao + o] = best;
        }
    }

    private static int[] corners(int w, int oh, int ow) {
        Corners c = CORNERS.get();
        if (c.w() != w || c.oh() != oh || c.ow() != ow) {
            c = new Corners(w, oh, ow);
            CORNERS.set(c);
        }
        return c.map();
    }

    /**
     * An int whose signed order is the order max pooling uses: numbers by value with -0
     * equal to +0 (adding +0 turns -0 into +0), every NaN equal and above +infinity
     * (floatToIntBits gives every NaN the same positive bits). Negative floats' magnitude
     * bits are flipped so that they count down.
     */
    static int orderKey(float v) {
        int bits = Float.floatToIntBits(v + 0f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    void maxPoolBackward(float[] dy, int dyo, int[] argmax, int ao, int count, float[] dx, int dxo) {
        for (int i = 0; i < count; i++) {
            dx[dxo + argmax[ao + i]] += dy[dyo + i];
        }
    }

    void avgPool(float[] x, int xo, int h, int w, int k, int stride, float[] y, int yo, int oh, int ow) {
        float inv = 1f / (k * k);
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                float s = 0f;
                for (int di = 0; di < k; di++) {
                    int row = xo + (i * stride + di) * w + j * stride;
                    for (int dj = 0; dj < k; dj++) {
                        s += x[row + dj];
                    }
                }
                y[yo + i * ow + j] = s * inv;
            }
        }
    }

    void avgPoolBackward(float[] dy, int dyo, int h, int w, int k, int stride, int oh, int ow, float[] dx, int dxo) {
        float inv = 1f / (k * k);
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                float g = dy[dyo + i * ow + j] * inv;
                for (int di = 0; di < k; di++) {
                    int row = dxo + (i * stride + di) * w + j * stride;
                    for (int dj = 0; dj < k; dj++) {
                        dx[row + dj] += g;
                    }
                }
            }
        }
    }

    /**
     * col (c*kh*kw, ld), columns [co, co + oh*ow) of each row, from the image x (c, h,
     * w).
     */
    void im2col(float[] x, int xo, int c, int h, int w, int kh, int kw, int stride, int pad, int oh, int ow,
            float[] col, int co, int ld) {
        if (stride == 1 && ow == w) {
            im2colSameWidth(x, xo, c, h, w, kh, kw, pad, oh, col, co, ld);
            return;
        }
        for (int ch = 0; ch < c; ch++) {
            for (int ki = 0; ki < kh; ki++) {
                for (int kj = 0; kj < kw; kj++) {
                    int rowStart = co + ((ch * kh + ki) * kw + kj) * ld;
                    // output columns j whose input column j*stride - pad + kj lies inside
                    // [0, w)
                    int j0 = Math.min(ow, ceilDiv(Math.max(0, pad - kj), stride));
                    int j1 = Math.max(j0, Math.min(ow, ceilDiv(w + pad - kj, stride)));
                    for (int i = 0; i < oh; i++) {
                        int dst = rowStart + i * ow;
                        int yIn = i * stride - pad + ki;
                        if (yIn < 0 || yIn >= h) {
                            Arrays.fill(col, dst, dst + ow, 0f);
                            continue;
                        }
                        Arrays.fill(col, dst, dst + j0, 0f);
                        Arrays.fill(col, dst + j1, dst + ow, 0f);
                        if (j1 == j0) {
                            continue;
                        }
                        int src = xo + (ch * h + yIn) * w + j0 * stride - pad + kj;
                        if (stride == 1) {
                            System.arraycopy(x, src, col, dst + j0, j1 - j0);
                        }
                        else {
                            for (int j = j0; j < j1; j++) {
                                col[dst + j] = x[src + (j - j0) * stride];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The image goes channels last once, then each window row is one vector copy of kw*c
     * contiguous floats (three vectors for 16 channels and a 3-wide window), with zeros
     * for the pixels that overhang the padding.
     */
    void im2row(float[] x, int xo, int c, int h, int w, int kh, int kw, int stride, int pad, int oh, int ow, float[] xt,
            float[] rows, int ro) {
        toChannelsLast(x, xo, c, h, w, xt, w, 0, 0);
        int seg = kw * c;
        int d = ro;
        for (int i = 0; i < oh; i++) {
            int y0 = i * stride - pad;
            for (int j = 0; j < ow; j++) {
                int x0 = j * stride - pad;
                // window columns kj whose input column x0 + kj lies inside [0, w)
                int kj0 = Math.min(kw, Math.max(0, -x0));
                int kj1 = Math.max(kj0, Math.min(kw, w - x0));
                for (int ki = 0; ki < kh; ki++, d += seg) {
                    int yIn = y0 + ki;
                    if (yIn < 0 || yIn >= h || kj1 == kj0) {
                        Arrays.fill(rows, d, d + seg, 0f);
                        continue;
                    }
                    Arrays.fill(rows, d, d + kj0 * c, 0f);
                    copy(xt, (yIn * w + x0 + kj0) * c, rows, d + kj0 * c, (kj1 - kj0) * c);
                    Arrays.fill(rows, d + kj1 * c, d + seg, 0f);
                }
            }
        }
    }

    /** Eight-float vectors for the 8 x 8 blocks of the channels-last copies. */
    private static final VectorSpecies<Float> S8 = FloatVector.SPECIES_256;

    /** Adjacent blocks of four lanes swapped. */
    private static final VectorShuffle<Float> SWAP4 = VectorShuffle.fromOp(S8, i -> i ^ 4);

    /** Adjacent pairs of lanes swapped. */
    private static final VectorShuffle<Float> SWAP2 = VectorShuffle.fromOp(S8, i -> i ^ 2);

    /** Adjacent lanes swapped. */
    private static final VectorShuffle<Float> SWAP1 = VectorShuffle.fromOp(S8, i -> i ^ 1);

    /** Lanes 4 to 7: the odd blocks of four. */
    private static final VectorMask<Float> ODD4 = VectorMask.fromLong(S8, 0xF0);

    /** Lanes 2, 3, 6 and 7: the odd pairs. */
    private static final VectorMask<Float> ODD2 = VectorMask.fromLong(S8, 0xCC);

    /** Lanes 1, 3, 5 and 7. */
    private static final VectorMask<Float> ODD1 = VectorMask.fromLong(S8, 0xAA);

    /**
     * dst (h, w, c) = the planes of src (c, h, w) at sOff; rows of dst are dPitch
     * channels-last pixels apart, and dst starts at pixel (y0, x0). Where c is a multiple
     * of 8, blocks of 8 channels times 8 positions of the flattened planes are transposed
     * in registers ({@link #transpose8}), and each pixel's 8 channels are one vector
     * store; the rest moves one float at a time.
     */
    static void toChannelsLast(float[] src, int sOff, int c, int h, int w, float[] dst, int dPitch, int y0, int x0) {
        int n = h * w;
        int p = 0;
        if (c % 8 == 0) {
            // channel groups outermost: each group reads its 8 planes front to back,
            // 8 streams the prefetchers follow, where one block of pixels across all
            // groups would read c planes at once
            p = n - n % 8;
            int[] at = pixels(p, w, dPitch, y0, x0, c);
            for (int ch = 0; ch < c; ch += 8) {
                for (int q = 0; q < p; q += 8) {
                    transpose8(src, sOff + ch * n + q, n, dst, at, q, ch);
                }
            }
        }
        for (; p < n; p++) {
            int y = p / w;
            int d = ((y + y0) * dPitch + x0 + p - y * w) * c;
            for (int ch = 0; ch < c; ch++) {
                dst[d + ch] = src[sOff + ch * n + p];
            }
        }
    }

    /** Per thread: the pixels' offsets of {@link #pixels}. */
    private static final ThreadLocal<int[]> OFFSETS = ThreadLocal.withInitial(() -> new int[0]);

    /**
     * This thread's array whose element p is the offset in a channels-last array (rows
     * pitch pixels apart, starting at pixel (y0, x0), c channels) of flattened position
     * p's pixel, for p &lt; n.
     */
    private static int[] pixels(int n, int w, int pitch, int y0, int x0, int c) {
        int[] at = OFFSETS.get();
        if (at.length < n) {
            at = new int[n];
            OFFSETS.set(at);
        }
        int y = 0;
        int x = 0;
        for (int p = 0; p < n; p++) {
            at[p] = ((y + y0) * pitch + x0 + x) * c;
            if (++x == w) {
                x = 0;
                y++;
            }
        }
        return at;
    }

    /**
     * The 8 x 8 block of src whose rows start at s, s + ld, ... s + 7 ld, transposed: its
     * column j into dst[at[q + j] + ch ..]. Three rounds swap the row and lane indices a
     * bit at a time: rows i and i + 4 exchange their odd and even halves, then rows i and
     * i + 2 their pairs of lanes, then rows i and i + 1 single lanes; each exchange is a
     * fixed swap of lanes and a blend with a fixed mask.
     */
    private static void transpose8(float[] src, int s, int ld, float[] dst, int[] at, int q, int ch) {
        FloatVector r0 = FloatVector.fromArray(S8, src, s);
        FloatVector r1 = FloatVector.fromArray(S8, src, s + ld);
        FloatVector r2 = FloatVector.fromArray(S8, src, s + 2 * ld);
        FloatVector r3 = FloatVector.fromArray(S8, src, s + 3 * ld);
        FloatVector r4 = FloatVector.fromArray(S8, src, s + 4 * ld);
        FloatVector r5 = FloatVector.fromArray(S8, src, s + 5 * ld);
        FloatVector r6 = FloatVector.fromArray(S8, src, s + 6 * ld);
        FloatVector r7 = FloatVector.fromArray(S8, src, s + 7 * ld);
        FloatVector a0 = r0.blend(r4.rearrange(SWAP4), ODD4);
        FloatVector a4 = r0.rearrange(SWAP4).blend(r4, ODD4);
        FloatVector a1 = r1.blend(r5.rearrange(SWAP4), ODD4);
        FloatVector a5 = r1.rearrange(SWAP4).blend(r5, ODD4);
        FloatVector a2 = r2.blend(r6.rearrange(SWAP4), ODD4);
        FloatVector a6 = r2.rearrange(SWAP4).blend(r6, ODD4);
        FloatVector a3 = r3.blend(r7.rearrange(SWAP4), ODD4);
        FloatVector a7 = r3.rearrange(SWAP4).blend(r7, ODD4);
        FloatVector b0 = a0.blend(a2.rearrange(SWAP2), ODD2);
        FloatVector b2 = a0.rearrange(SWAP2).blend(a2, ODD2);
        FloatVector b1 = a1.blend(a3.rearrange(SWAP2), ODD2);
        FloatVector b3 = a1.rearrange(SWAP2).blend(a3, ODD2);
        FloatVector b4 = a4.blend(a6.rearrange(SWAP2), ODD2);
        FloatVector b6 = a4.rearrange(SWAP2).blend(a6, ODD2);
        FloatVector b5 = a5.blend(a7.rearrange(SWAP2), ODD2);
        FloatVector b7 = a5.rearrange(SWAP2).blend(a7, ODD2);
        b0.blend(b1.rearrange(SWAP1), ODD1).intoArray(dst, at[q] + ch);
        b0.rearrange(SWAP1).blend(b1, ODD1).intoArray(dst, at[q + 1] + ch);
        b2.blend(b3.rearrange(SWAP1), ODD1).intoArray(dst, at[q + 2] + ch);
        b2.rearrange(SWAP1).blend(b3, ODD1).intoArray(dst, at[q + 3] + ch);
        b4.blend(b5.rearrange(SWAP1), ODD1).intoArray(dst, at[q + 4] + ch);
        b4.rearrange(SWAP1).blend(b5, ODD1).intoArray(dst, at[q + 5] + ch);
        b6.blend(b7.rearrange(SWAP1), ODD1).intoArray(dst, at[q + 6] + ch);
        b6.rearrange(SWAP1).blend(b7, ODD1).intoArray(dst, at[q + 7] + ch);
    }

    /**
     * dst (c, h, w) at dOff = the (h, w, c) pixels of src from pixel (y0, x0), rows
     * sPitch pixels apart: the inverse of {@link #toChannelsLast}, by the same blocks.
     * The rounds of {@link #transpose8} are repeated here rather than shared through a
     * helper taking both sides' offsets: C2 did not inline that larger helper, and its
     * shuffles then ran as the Vector API's Java code.
     */
    static void fromChannelsLast(float[] src, int sPitch, int y0, int x0, int c, int h, int w, float[] dst, int dOff) {
        int n = h * w;
        int p = 0;
        if (c % 8 == 0) {
            // channel groups outermost, as in toChannelsLast: 8 planes written at once
            p = n - n % 8;
            int[] at = pixels(p, w, sPitch, y0, x0, c);
            for (int ch = 0; ch < c; ch += 8) {
                for (int q = 0; q < p; q += 8) {
                    FloatVector r0 = FloatVector.fromArray(S8, src, at[q] + ch);
                    FloatVector r1 = FloatVector.fromArray(S8, src, at[q + 1] + ch);
                    FloatVector r2 = FloatVector.fromArray(S8, src, at[q + 2] + ch);
                    FloatVector r3 = FloatVector.fromArray(S8, src, at[q + 3] + ch);
                    FloatVector r4 = FloatVector.fromArray(S8, src, at[q + 4] + ch);
                    FloatVector r5 = FloatVector.fromArray(S8, src, at[q + 5] + ch);
                    FloatVector r6 = FloatVector.fromArray(S8, src, at[q + 6] + ch);
                    FloatVector r7 = FloatVector.fromArray(S8, src, at[q + 7] + ch);
                    int d = dOff + ch * n + q;
                    FloatVector a0 = r0.blend(r4.rearrange(SWAP4), ODD4);
                    FloatVector a4 = r0.rearrange(SWAP4).blend(r4, ODD4);
                    FloatVector a1 = r1.blend(r5.rearrange(SWAP4), ODD4);
                    FloatVector a5 = r1.rearrange(SWAP4).blend(r5, ODD4);
                    FloatVector a2 = r2.blend(r6.rearrange(SWAP4), ODD4);
                    FloatVector a6 = r2.rearrange(SWAP4).blend(r6, ODD4);
                    FloatVector a3 = r3.blend(r7.rearrange(SWAP4), ODD4);
                    FloatVector a7 = r3.rearrange(SWAP4).blend(r7, ODD4);
                    FloatVector b0 = a0.blend(a2.rearrange(SWAP2), ODD2);
                    FloatVector b2 = a0.rearrange(SWAP2).blend(a2, ODD2);
                    FloatVector b1 = a1.blend(a3.rearrange(SWAP2), ODD2);
                    FloatVector b3 = a1.rearrange(SWAP2).blend(a3, ODD2);
                    FloatVector b4 = a4.blend(a6.rearrange(SWAP2), ODD2);
                    FloatVector b6 = a4.rearrange(SWAP2).blend(a6, ODD2);
                    FloatVector b5 = a5.blend(a7.rearrange(SWAP2), ODD2);
                    FloatVector b7 = a5.rearrange(SWAP2).blend(a7, ODD2);
                    b0.blend(b1.rearrange(SWAP1), ODD1).intoArray(dst, d);
                    b0.rearrange(SWAP1).blend(b1, ODD1).intoArray(dst, d + n);
                    b2.blend(b3.rearrange(SWAP1), ODD1).intoArray(dst, d + 2 * n);
                    b2.rearrange(SWAP1).blend(b3, ODD1).intoArray(dst, d + 3 * n);
                    b4.blend(b5.rearrange(SWAP1), ODD1).intoArray(dst, d + 4 * n);
                    b4.rearrange(SWAP1).blend(b5, ODD1).intoArray(dst, d + 5 * n);
                    b6.blend(b7.rearrange(SWAP1), ODD1).intoArray(dst, d + 6 * n);
                    b6.rearrange(SWAP1).blend(b7, ODD1).intoArray(dst, d + 7 * n);
                }
            }
        }
        for (; p < n; p++) {
            int y = p / w;
            int q = ((y + y0) * sPitch + x0 + p - y * w) * c;
            for (int ch = 0; ch < c; ch++) {
                dst[dOff + ch * n + p] = src[q + ch];
            }
        }
    }

    /** dst[dOff, dOff + n) = src[so, so + n), in whole vectors and a scalar tail. */
    private static void copy(float[] src, int so, float[] dst, int dOff, int n) {
        int q = 0;
        for (int bound = S.loopBound(n); q < bound; q += L) {
            FloatVector.fromArray(S, src, so + q).intoArray(dst, dOff + q);
        }
        for (; q < n; q++) {
            dst[dOff + q] = src[so + q];
        }
    }

    /**
     * Stride 1 with output width = input width ("same" padding along w): within one row
     * of col, col[i*w + j] = x[(i - pad + ki)*w + j - pad + kj] is a constant shift of x
     * for every valid output row i, so the row is one array copy; the few entries whose
     * input column falls outside [0, w) picked up a neighbouring row's pixel and are
     * zeroed after.
     */
    private static void im2colSameWidth(float[] x, int xo, int c, int h, int w, int kh, int kw, int pad, int oh,
            float[] col, int co, int ld) {
        int ow = w;
        for (int ch = 0; ch < c; ch++) {
            int plane = xo + ch * h * w;
            for (int ki = 0; ki < kh; ki++) {
                // output rows whose input row i - pad + ki lies in [0, h)
                int i0 = Math.min(oh, Math.max(0, pad - ki));
                int i1 = Math.max(i0, Math.min(oh, h + pad - ki));
                for (int kj = 0; kj < kw; kj++) {
                    int row = co + ((ch * kh + ki) * kw + kj) * ld;
                    int j0 = Math.min(ow, Math.max(0, pad - kj));
                    int j1 = Math.max(j0, Math.min(ow, w + pad - kj));
                    Arrays.fill(col, row, row + i0 * ow, 0f);
                    Arrays.fill(col, row + i1 * ow, row + oh * ow, 0f);
                    if (i1 == i0 || j1 == j0) {
                        Arrays.fill(col, row + i0 * ow, row + i1 * ow, 0f);
                        continue;
                    }
                    // from (i0, j0) to (i1 - 1, j1 - 1) inclusive; both ends inside the
                    // plane
                    int first = i0 * ow + j0;
                    int last = (i1 - 1) * ow + j1;
                    System.arraycopy(x, plane + (i0 - pad + ki) * w + j0 - pad + kj, col, row + first, last - first);
                    for (int i = i0; i < i1; i++) {
                        int r = row + i * ow;
                        for (int j = 0; j < j0; j++) {
                            col[r + j] = 0f;
                        }
                        for (int j = j1; j < ow; j++) {
                            col[r + j] = 0f;
                        }
                    }
                }
            }
        }
    }

    /**
     * dx (c, h, w) += the entries of col (c*kh*kw, ld), columns [co, co + oh*ow),
     * scattered back to their pixels.
     */
    void col2im(float[] col, int co, int c, int h, int w, int kh, int kw, int stride, int pad, int oh, int ow,
            float[] dx, int dxo, int ld) {
        if (stride == 1 && ow == w) {
            col2imSameWidth(col, co, c, h, w, kh, kw, pad, oh, dx, dxo, ld);
            return;
        }
        for (int ch = 0; ch < c; ch++) {
            for (int ki = 0; ki < kh; ki++) {
                for (int kj = 0; kj < kw; kj++) {
                    int rowStart = co + ((ch * kh + ki) * kw + kj) * ld;
                    int j0 = Math.min(ow, ceilDiv(Math.max(0, pad - kj), stride));
                    int j1 = Math.max(j0, Math.min(ow, ceilDiv(w + pad - kj, stride)));
                    for (int i = 0; i < oh; i++) {
                        int yIn = i * stride - pad + ki;
                        if (yIn < 0 || yIn >= h) {
                            continue;
                        }
                        int src = rowStart + i * ow + j0;
                        int dst = dxo + (ch * h + yIn) * w + j0 * stride - pad + kj;
                        if (stride == 1) {
                            addSegment(col, src, dx, dst, j1 - j0);
                        }
                        else {
                            for (int j = 0; j < j1 - j0; j++) {
                                dx[dst + j * stride] += col[src + j];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The mirror of {@link #im2colSameWidth}: each row of col is added to the image as
     * one contiguous block of vector adds. The entries whose input column lies in the
     * padding would land on a neighbouring row's pixel, so they are set to zero first
     * (they belong to no pixel); adding that zero leaves every pixel as the reference
     * leaves it, up to the sign of a zero.
     */
    private static void col2imSameWidth(float[] col, int co, int c, int h, int w, int kh, int kw, int pad, int oh,
            float[] dx, int dxo, int ld) {
        int ow = w;
        for (int ch = 0; ch < c; ch++) {
            int plane = dxo + ch * h * w;
            for (int ki = 0; ki < kh; ki++) {
                int i0 = Math.min(oh, Math.max(0, pad - ki));
                int i1 = Math.max(i0, Math.min(oh, h + pad - ki));
                for (int kj = 0; kj < kw; kj++) {
                    int row = co + ((ch * kh + ki) * kw + kj) * ld;
                    int j0 = Math.min(ow, Math.max(0, pad - kj));
                    int j1 = Math.max(j0, Math.min(ow, w + pad - kj));
                    if (i1 == i0 || j1 == j0) {
                        continue;
                    }
                    for (int i = i0; i < i1; i++) {
                        int r = row + i * ow;
                        for (int j = 0; j < j0; j++) {
                            col[r + j] = 0f;
                        }
                        for (int j = j1; j < ow; j++) {
                            col[r + j] = 0f;
                        }
                    }
                    int first = i0 * ow + j0;
                    int last = (i1 - 1) * ow + j1;
                    addSegment(col, row + first, dx, plane + (i0 - pad + ki) * w + j0 - pad + kj, last - first);
                }
            }
        }
    }

    /** dst[0..len) += src[0..len). */
    private static void addSegment(float[] src, int so, float[] dst, int dOff, int len) {
        int j = 0;
        for (int bound = S.loopBound(len); j < bound; j += L) {
            FloatVector.fromArray(S, dst, dOff + j).add(FloatVector.fromArray(S, src, so + j)).intoArray(dst, dOff + j);
        }
        for (; j < len; j++) {
            dst[dOff + j] += src[so + j];
        }
    }

    private static int ceilDiv(int a, int b) {
        return Math.ceilDiv(a, b);
    }

}
