package dev.trainyard.engine.kernel;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Portable single-threaded sgemm on the Vector API (loaded by class name only when
 * {@code jdk.incubator.vector} is present and C2 is on; see {@link GemmProviders}).
 *
 * <p>
 * GotoBLAS-style: C is computed in blocks of NC columns; for each block of KC along k,
 * op(B) (kc x nc) is packed into slivers of NR columns and op(A) (mc x kc) into slivers
 * of MR rows, and a register-tiled MR x NR micro-kernel (MR = 8 rows with AVX-512, 6 with
 * AVX2; NR = two vectors) accumulates the sliver product with FMA. Transposes are
 * absorbed by packing. Edge slivers are zero-padded, so every element of C sees the same
 * sequence of operations whatever m and n are: the result for an element depends only on
 * k, as {@link GemmProvider} requires. Slivers of one row and of two or three rows (the
 * tail of a short product) run in smaller copies of the micro-kernel that do the same
 * operations on those rows, so the bits do not change. Packing buffers are per platform
 * thread, or pooled for virtual threads, and reused.
 *
 * <p>
 * Short products (m up to {@link #DIRECT_ROWS}) with an untransposed B skip packing B:
 * the micro-kernel reads each full sliver straight from B (its NR columns are contiguous
 * in every row) and only an edge sliver is copied. Packing all of B would cost more than
 * the few rows that use it (a served prediction is one row against all the weights). The
 * kernel sees the same values in the same order, so the bits are those of the packed
 * path.
 *
 * <p>
 * The shortest products (m up to {@link #STREAM_ROWS}, B untransposed: a served
 * prediction's batch) walk B row by row instead of sliver by sliver. A sliver walk
 * touches a few cache lines of every row of B in turn, 4 KB or more apart, where the
 * hardware prefetchers give up; weights that other work has pushed out of the caches then
 * cost a memory latency per row. Walking whole rows streams B through the cache four rows
 * at a time, applies each to two rows of A at once, and keeps the sums in a buffer
 * instead of registers. Each element of C still sees the same fused multiply-adds in the
 * same order within each block of KC and the same update, so the bits do not change.
 */
public final class PanamaGemm implements GemmProvider {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private static final int L = S.length();

    /**
     * Micro-tile: MR rows x NR columns = 12 accumulator registers on AVX2 (6 x 2 vectors
     * of its 16), 16 on AVX-512 (8 x 2 of its 32).
     */
    private static final int MR = L >= 16 ? 8 : 6;

    private static final int NR = 2 * L;

    /** Eight floats, for packing slivers of MR = 8 rows; null where MR is not 8. */
    private static final VectorSpecies<Float> EIGHT = MR == 8 ? FloatVector.SPECIES_256 : null;

    /**
     * Depth of a packed block: a B sliver (KC x NR) stays in L1, an A block (MC x KC) in
     * L2.
     */
    private static final int KC = 256;

    private static final int MC = 16 * MR;

    private static final int NC = 1024;

    /** Two-vector shuffles of {@link #transpose}: lanes 0, L, 1, L+1, ... */
    private static final VectorShuffle<Float> ZIP_LOW = VectorShuffle.fromOp(S, i -> (i & 1) == 0 ? i / 2 : L + i / 2);

    /** Lanes L/2, L + L/2, L/2 + 1, ... */
    private static final VectorShuffle<Float> ZIP_HIGH = VectorShuffle.fromOp(S,
            i -> (i & 1) == 0 ? L / 2 + i / 2 : L + L / 2 + i / 2);

    /**
     * Transposes the L x L block t[0, L*L) in place (with t[L*L, 2*L*L) as scratch):
     * log2(L) rounds of zipping vector i with vector i + L/2 into vectors 2i and 2i + 1
     * each rotate the row and lane index bits by one, so that the last round leaves row
     * and lane swapped.
     */
    static void transpose(float[] t) {
        int from = 0;
        int to = L * L;
        for (int width = 1; width < L; width *= 2) {
            for (int i = 0; i < L / 2; i++) {
                FloatVector a = FloatVector.fromArray(S, t, from + i * L);
                FloatVector b = FloatVector.fromArray(S, t, from + (i + L / 2) * L);
                a.rearrange(ZIP_LOW, b).intoArray(t, to + 2 * i * L);
                a.rearrange(ZIP_HIGH, b).intoArray(t, to + (2 * i + 1) * L);
            }
            int swap = from;
            from = to;
            to = swap;
        }
        if (from != 0) {
            System.arraycopy(t, from, t, 0, L * L);
        }
    }

    /**
     * Width in bits of the preferred float vectors (512 with AVX-512, 256 with AVX2), for
     * {@link GemmProviders#pick}.
     */
    static int vectorBits() {
        return S.vectorBitSize();
    }

    /** Most rows of C for which an untransposed B is read in place rather than packed. */
    static final int DIRECT_ROWS = 64;

    /** Most rows of C for which an untransposed B is streamed row by row. */
    static final int STREAM_ROWS = 8;

    /** Columns of C that one stream over B covers: the rows' sums stay in L1. */
    private static final int STREAM_COLUMNS = 512;

    /**
     * Per-thread packing buffers: A block (MC x KC), B block (KC x NC) and one spill
     * tile.
     */
    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /**
     * Buffers for virtual threads (a server may run each request on a new one, so a
     * thread-local buffer would be a fresh megabyte per request): taken for one call and
     * given back. A call never blocks, so there are at most as many as carrier threads.
     */
    private static final ConcurrentLinkedQueue<Workspace> SHARED = new ConcurrentLinkedQueue<>();

    private static final class Workspace {

        final float[] a = new float[MC * KC];

        final float[] b = new float[KC * NC];

        final float[] tile = new float[MR * NR];

        final float[] edge = new float[KC * NR];

        /** An L x L block of {@link #transpose} and its second buffer. */
        final float[] transpose = new float[2 * L * L];

        /** The sums of {@link #stream}: up to STREAM_ROWS x STREAM_COLUMNS. */
        final float[] sums = new float[STREAM_ROWS * STREAM_COLUMNS];

    }

    @Override
    public boolean blockInvariant() {
        return true;
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
            float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k == 0) {
            BetaScale.apply(m, n, beta, c, cOff, ldc);
            return;
        }
        boolean virtual = Thread.currentThread().isVirtual();
        Workspace ws = virtual ? SHARED.poll() : WORKSPACE.get();
        if (ws == null) {
            ws = new Workspace();
        }
        try {
            product(ws, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
        finally {
            if (virtual) {
                SHARED.offer(ws);
            }
        }
    }

    private static void product(Workspace ws, boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (!transB && m <= STREAM_ROWS) {
            for (int jc = 0; jc < n; jc += STREAM_COLUMNS) {
                int nc = Math.min(STREAM_COLUMNS, n - jc);
                for (int pc = 0; pc < k; pc += KC) {
                    stream(ws.sums, transA, m, nc, Math.min(KC, k - pc), a, aOff, lda, pc, b, bOff + pc * ldb + jc,
                            ldb);
                    for (int i = 0; i < m; i++) {
                        update(ws.sums, i * nc, nc, alpha, beta, pc == 0, c, cOff + i * ldc + jc);
                    }
                }
            }
            return;
        }
        boolean direct = !transB && m <= DIRECT_ROWS;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean first = pc == 0;
                if (!direct) {
                    packB(transB, b, bOff, ldb, pc, kc, jc, nc, ws.b, ws.transpose);
                }
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(transA, a, aOff, lda, ic, mc, pc, kc, ws.a);
                    int jr = 0;
                    if (direct && mc == 1) {
                        // One row against the weights in place: three slivers at once
                        // give six
                        // independent accumulator chains where one sliver gives two, each
                        // element
                        // still summed in the same order.
                        for (; jr + 3 * NR <= nc; jr += 3 * NR) {
                            kernel1x3(ws.a, 0, b, bOff + pc * ldb + jc + jr, ldb, kc, alpha, beta, first, c,
                                    cOff + ic * ldc + jc + jr, ldc, ws.tile);
                        }
                    }
                    for (; jr < nc; jr += NR) {
                        int cols = Math.min(NR, nc - jr);
                        float[] bp = ws.b;
                        int bi = jr * kc;
                        int bStride = NR;
                        if (direct && cols == NR) {
                            bp = b;
                            bi = bOff + pc * ldb + jc + jr;
                            bStride = ldb;
                        }
                        else if (direct) {
                            packB(false, b, bOff, ldb, pc, kc, jc + jr, cols, ws.edge, ws.transpose);
                            bp = ws.edge;
                            bi = 0;
                        }
                        for (int ir = 0; ir < mc; ir += MR) {
                            int rows = Math.min(MR, mc - ir);
                            int cIdx = cOff + (ic + ir) * ldc + jc + jr;
                            if (rows == 1) {
                                kernel1(ws.a, ir * kc, bp, bi, bStride, kc, cols, alpha, beta, first, c, cIdx, ldc,
                                        ws.tile);
                            }
                            else if (rows <= 3) {
                                kernel3(ws.a, ir * kc, bp, bi, bStride, kc, rows, cols, alpha, beta, first, c, cIdx,
                                        ldc, ws.tile);
                            }
                            else if (MR == 8) {
                                kernel8(ws.a, ir * kc, bp, bi, bStride, kc, rows, cols, alpha, beta, first, c, cIdx,
                                        ldc, ws.tile);
                            }
                            else {
                                kernel(ws.a, ir * kc, bp, bi, bStride, kc, rows, cols, alpha, beta, first, c, cIdx, ldc,
                                        ws.tile);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Packs op(A)[ic:ic+mc, pc:pc+kc] as slivers of MR rows: dst[s * kc * MR + p * MR +
     * r], zero-padded.
     */
    private static void packA(boolean transA, float[] a, int aOff, int lda, int ic, int mc, int pc, int kc,
            float[] dst) {
        for (int s = 0; s < mc; s += MR) {
            int rows = Math.min(MR, mc - s);
            int base = s * kc;
            if (transA && rows == 8 && EIGHT != null) {
                // A is stored k x m: the eight values for one p are one 256-bit vector
                for (int p = 0; p < kc; p++) {
                    FloatVector.fromArray(EIGHT, a, aOff + (pc + p) * lda + ic + s).intoArray(dst, base + p * 8);
                }
            }
            else if (transA) {
                // A is stored k x m: the MR values for one p are contiguous.
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (pc + p) * lda + ic + s;
                    int d = base + p * MR;
                    for (int r = 0; r < rows; r++) {
                        dst[d + r] = a[src + r];
                    }
                    for (int r = rows; r < MR; r++) {
                        dst[d + r] = 0f;
                    }
                }
            }
            else if (rows == 8 && L == 16) {
                packEightRows(a, aOff + (ic + s) * lda + pc, lda, kc, dst, base);
            }
            else {
                for (int r = 0; r < MR; r++) {
                    if (r < rows) {
                        int src = aOff + (ic + s + r) * lda + pc;
                        for (int p = 0; p < kc; p++) {
                            dst[base + p * MR + r] = a[src + p];
                        }
                    }
                    else {
                        for (int p = 0; p < kc; p++) {
                            dst[base + p * MR + r] = 0f;
                        }
                    }
                }
            }
        }
    }

    /**
     * Packs eight rows of an untransposed A (row r at src + r * lda) into one sliver of
     * MR = 8 (dst[base + p * 8 + r]), sixteen values of each row at a time: three rounds
     * of {@link #transpose}'s zips over the eight row vectors move the row index into the
     * low lanes and leave vector j holding the eight rows' values at p = 2j and 2j + 1,
     * the sliver's next 16 floats. Only with 16 lanes (AVX-512), where MR is 8.
     */
    private static void packEightRows(float[] a, int src, int lda, int kc, float[] dst, int base) {
        int p = 0;
        for (; p + 16 <= kc; p += 16) {
            FloatVector r0 = FloatVector.fromArray(S, a, src + p);
            FloatVector r1 = FloatVector.fromArray(S, a, src + lda + p);
            FloatVector r2 = FloatVector.fromArray(S, a, src + 2 * lda + p);
            FloatVector r3 = FloatVector.fromArray(S, a, src + 3 * lda + p);
            FloatVector r4 = FloatVector.fromArray(S, a, src + 4 * lda + p);
            FloatVector r5 = FloatVector.fromArray(S, a, src + 5 * lda + p);
            FloatVector r6 = FloatVector.fromArray(S, a, src + 6 * lda + p);
            FloatVector r7 = FloatVector.fromArray(S, a, src + 7 * lda + p);
            // each round zips vector i with vector i + 4 into vectors 2i and 2i + 1
            FloatVector s0 = r0.rearrange(ZIP_LOW, r4);
            FloatVector s1 = r0.rearrange(ZIP_HIGH, r4);
            FloatVector s2 = r1.rearrange(ZIP_LOW, r5);
            FloatVector s3 = r1.rearrange(ZIP_HIGH, r5);
            FloatVector s4 = r2.rearrange(ZIP_LOW, r6);
            FloatVector s5 = r2.rearrange(ZIP_HIGH, r6);
            FloatVector s6 = r3.rearrange(ZIP_LOW, r7);
            FloatVector s7 = r3.rearrange(ZIP_HIGH, r7);
            r0 = s0.rearrange(ZIP_LOW, s4);
            r1 = s0.rearrange(ZIP_HIGH, s4);
            r2 = s1.rearrange(ZIP_LOW, s5);
            r3 = s1.rearrange(ZIP_HIGH, s5);
            r4 = s2.rearrange(ZIP_LOW, s6);
            r5 = s2.rearrange(ZIP_HIGH, s6);
            r6 = s3.rearrange(ZIP_LOW, s7);
            r7 = s3.rearrange(ZIP_HIGH, s7);
            int d = base + p * 8;
            r0.rearrange(ZIP_LOW, r4).intoArray(dst, d);
            r0.rearrange(ZIP_HIGH, r4).intoArray(dst, d + 16);
            r1.rearrange(ZIP_LOW, r5).intoArray(dst, d + 32);
            r1.rearrange(ZIP_HIGH, r5).intoArray(dst, d + 48);
            r2.rearrange(ZIP_LOW, r6).intoArray(dst, d + 64);
            r2.rearrange(ZIP_HIGH, r6).intoArray(dst, d + 80);
            r3.rearrange(ZIP_LOW, r7).intoArray(dst, d + 96);
            r3.rearrange(ZIP_HIGH, r7).intoArray(dst, d + 112);
        }
        for (int r = 0; r < 8; r++) {
            for (int q = p; q < kc; q++) {
                dst[base + q * 8 + r] = a[src + r * lda + q];
            }
        }
    }

    /**
     * Packs op(B)[pc:pc+kc, jc:jc+nc] as slivers of NR columns: dst[j0 * kc + p * NR +
     * col], zero-padded; t is the scratch of {@link #transpose}.
     */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, float[] dst,
            float[] t) {
        for (int j0 = 0; j0 < nc; j0 += NR) {
            int cols = Math.min(NR, nc - j0);
            int base = j0 * kc;
            if (transB && cols == NR) {
                // B is stored n x k: a transpose, by square blocks of L x L
                int p = 0;
                for (; p + L <= kc; p += L) {
                    for (int half = 0; half < NR; half += L) {
                        int src = bOff + (jc + j0 + half) * ldb + pc + p;
                        for (int r = 0; r < L; r++) {
                            FloatVector.fromArray(S, b, src + r * ldb).intoArray(t, r * L);
                        }
                        transpose(t);
                        for (int r = 0; r < L; r++) {
                            FloatVector.fromArray(S, t, r * L).intoArray(dst, base + (p + r) * NR + half);
                        }
                    }
                }
                for (int col = 0; col < NR && p < kc; col++) {
                    int src = bOff + (jc + j0 + col) * ldb + pc;
                    for (int q = p; q < kc; q++) {
                        dst[base + q * NR + col] = b[src + q];
                    }
                }
            }
            else if (transB) {
                // B is stored n x k: one column of op(B) is contiguous in memory.
                for (int col = 0; col < NR; col++) {
                    if (col < cols) {
                        int src = bOff + (jc + j0 + col) * ldb + pc;
                        for (int p = 0; p < kc; p++) {
                            dst[base + p * NR + col] = b[src + p];
                        }
                    }
                    else {
                        for (int p = 0; p < kc; p++) {
                            dst[base + p * NR + col] = 0f;
                        }
                    }
                }
            }
            else if (cols == NR) {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (pc + p) * ldb + jc + j0;
                    int d = base + p * NR;
                    FloatVector.fromArray(S, b, src).intoArray(dst, d);
                    FloatVector.fromArray(S, b, src + L).intoArray(dst, d + L);
                }
            }
            else {
                // an edge sliver: masked loads read its cols columns and leave zeros in
                // the rest
                VectorMask<Float> first = S.indexInRange(0, cols);
                VectorMask<Float> second = S.indexInRange(L, cols);
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (pc + p) * ldb + jc + j0;
                    int d = base + p * NR;
                    FloatVector.fromArray(S, b, src, first).intoArray(dst, d);
                    FloatVector.fromArray(S, b, src + L, second).intoArray(dst, d + L);
                }
            }
        }
    }

    /**
     * sums[i * nc + j] = the sum over p < kc of op(A)[i][pc + p] * B[p][j] (B from bi,
     * rows ldb apart), each a chain of fused multiply-adds from zero in the order of p,
     * as the micro-kernels form it: four rows of B at a time (for two rows of A at once),
     * then the rest one by one.
     */
    private static void stream(float[] sums, boolean transA, int m, int nc, int kc, float[] a, int aOff, int lda,
            int pc, float[] b, int bi, int ldb) {
        Arrays.fill(sums, 0, m * nc, 0f);
        int vectorEnd = nc - nc % L;
        int step = transA ? lda : 1;
        int p = 0;
        for (; p + 4 <= kc; p += 4) {
            int b0 = bi + p * ldb;
            int i = 0;
            for (; i + 2 <= m; i += 2) {
                int a0 = transA ? aOff + (pc + p) * lda + i : aOff + i * lda + pc + p;
                int a1 = transA ? a0 + 1 : a0 + lda;
                streamFourTwice(sums, i * nc, vectorEnd, nc, a[a0], a[a0 + step], a[a0 + 2 * step], a[a0 + 3 * step],
                        a[a1], a[a1 + step], a[a1 + 2 * step], a[a1 + 3 * step], b, b0, ldb);
            }
            if (i < m) {
                int a0 = transA ? aOff + (pc + p) * lda + i : aOff + i * lda + pc + p;
                streamFour(sums, i * nc, vectorEnd, nc, a[a0], a[a0 + step], a[a0 + 2 * step], a[a0 + 3 * step], b, b0,
                        ldb);
            }
        }
        for (; p < kc; p++) {
            int b0 = bi + p * ldb;
            for (int i = 0; i < m; i++) {
                float av = a[transA ? aOff + (pc + p) * lda + i : aOff + i * lda + pc + p];
                FloatVector a0 = FloatVector.broadcast(S, av);
                int si = i * nc;
                int j = 0;
                for (; j < vectorEnd; j += L) {
                    a0.fma(FloatVector.fromArray(S, b, b0 + j), FloatVector.fromArray(S, sums, si + j))
                        .intoArray(sums, si + j);
                }
                for (; j < nc; j++) {
                    sums[si + j] = Math.fma(av, b[b0 + j], sums[si + j]);
                }
            }
        }
    }

    /** One row's sums over four rows of B (b0, b0 + ldb, ...) with their A values. */
    private static void streamFour(float[] sums, int si, int vectorEnd, int nc, float x0, float x1, float x2, float x3,
            float[] b, int b0, int ldb) {
        FloatVector a0 = FloatVector.broadcast(S, x0);
        FloatVector a1 = FloatVector.broadcast(S, x1);
        FloatVector a2 = FloatVector.broadcast(S, x2);
        FloatVector a3 = FloatVector.broadcast(S, x3);
        int j = 0;
        for (; j < vectorEnd; j += L) {
            int bj = b0 + j;
            FloatVector v = FloatVector.fromArray(S, sums, si + j);
            v = a0.fma(FloatVector.fromArray(S, b, bj), v);
            v = a1.fma(FloatVector.fromArray(S, b, bj + ldb), v);
            v = a2.fma(FloatVector.fromArray(S, b, bj + 2 * ldb), v);
            v = a3.fma(FloatVector.fromArray(S, b, bj + 3 * ldb), v);
            v.intoArray(sums, si + j);
        }
        for (; j < nc; j++) {
            int bj = b0 + j;
            float v = sums[si + j];
            v = Math.fma(x0, b[bj], v);
            v = Math.fma(x1, b[bj + ldb], v);
            v = Math.fma(x2, b[bj + 2 * ldb], v);
            v = Math.fma(x3, b[bj + 3 * ldb], v);
            sums[si + j] = v;
        }
    }

    /**
     * {@link #streamFour} for two adjacent rows (sums at si and si + nc; x for the first,
     * y for the second): each row of B is loaded once for both.
     */
    private static void streamFourTwice(float[] sums, int si, int vectorEnd, int nc, float x0, float x1, float x2,
            float x3, float y0, float y1, float y2, float y3, float[] b, int b0, int ldb) {
        FloatVector a0 = FloatVector.broadcast(S, x0);
        FloatVector a1 = FloatVector.broadcast(S, x1);
        FloatVector a2 = FloatVector.broadcast(S, x2);
        FloatVector a3 = FloatVector.broadcast(S, x3);
        FloatVector e0 = FloatVector.broadcast(S, y0);
        FloatVector e1 = FloatVector.broadcast(S, y1);
        FloatVector e2 = FloatVector.broadcast(S, y2);
        FloatVector e3 = FloatVector.broadcast(S, y3);
        int ti = si + nc;
        int j = 0;
        for (; j < vectorEnd; j += L) {
            int bj = b0 + j;
            FloatVector v = FloatVector.fromArray(S, sums, si + j);
            FloatVector w = FloatVector.fromArray(S, sums, ti + j);
            FloatVector q = FloatVector.fromArray(S, b, bj);
            v = a0.fma(q, v);
            w = e0.fma(q, w);
            q = FloatVector.fromArray(S, b, bj + ldb);
            v = a1.fma(q, v);
            w = e1.fma(q, w);
            q = FloatVector.fromArray(S, b, bj + 2 * ldb);
            v = a2.fma(q, v);
            w = e2.fma(q, w);
            q = FloatVector.fromArray(S, b, bj + 3 * ldb);
            v = a3.fma(q, v);
            w = e3.fma(q, w);
            v.intoArray(sums, si + j);
            w.intoArray(sums, ti + j);
        }
        for (; j < nc; j++) {
            int bj = b0 + j;
            float v = sums[si + j];
            float w = sums[ti + j];
            v = Math.fma(x0, b[bj], v);
            w = Math.fma(y0, b[bj], w);
            v = Math.fma(x1, b[bj + ldb], v);
            w = Math.fma(y1, b[bj + ldb], w);
            v = Math.fma(x2, b[bj + 2 * ldb], v);
            w = Math.fma(y2, b[bj + 2 * ldb], w);
            v = Math.fma(x3, b[bj + 3 * ldb], v);
            w = Math.fma(y3, b[bj + 3 * ldb], w);
            sums[si + j] = v;
            sums[ti + j] = w;
        }
    }

    /**
     * One row of {@link #update}: cols sums from sums[si] into C from ci; the vector and
     * scalar paths do the same operations per element.
     */
    private static void update(float[] sums, int si, int cols, float alpha, float beta, boolean first, float[] c,
            int ci) {
        int j = 0;
        for (; j + L <= cols; j += L) {
            FloatVector v = FloatVector.fromArray(S, sums, si + j).mul(alpha);
            if (!first) {
                v = FloatVector.fromArray(S, c, ci + j).add(v);
            }
            else if (beta != 0f) {
                v = v.add(FloatVector.fromArray(S, c, ci + j).mul(beta));
            }
            v.intoArray(c, ci + j);
        }
        for (; j < cols; j++) {
            float v = sums[si + j] * alpha;
            if (!first) {
                c[ci + j] = c[ci + j] + v;
            }
            else {
                c[ci + j] = beta == 0f ? v : v + c[ci + j] * beta;
            }
        }
    }

    /**
     * One MR x NR tile: acc = A sliver (kc x MR) . B sliver (kc x NR, row p at bi + p *
     * bStride), then C = alpha * acc + beta * C on the first k block, C = C + alpha * acc
     * on the others.
     */
    private static void kernel(float[] ap, int ai, float[] bp, int bi, int bStride, int kc, int rows, int cols,
            float alpha, float beta, boolean first, float[] c, int cIdx, int ldc, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        int aEnd = ai + kc * MR;
        for (; ai < aEnd; ai += MR, bi += bStride) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector av = FloatVector.broadcast(S, ap[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        // Spill to the tile and update C in another method: the loop above then keeps
        // C2's whole inlining budget, so no vector is ever boxed.
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        update(tile, rows, cols, alpha, beta, first, c, cIdx, ldc);
    }

    /**
     * {@link #kernel} with eight rows: 16 accumulators, for the 32 vector registers of
     * AVX-512 (MR = 8 there; AVX2's 16 registers hold the six-row tile).
     */
    private static void kernel8(float[] ap, int ai, float[] bp, int bi, int bStride, int kc, int rows, int cols,
            float alpha, float beta, boolean first, float[] c, int cIdx, int ldc, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        int aEnd = ai + kc * MR;
        for (; ai < aEnd; ai += MR, bi += bStride) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector av = FloatVector.broadcast(S, ap[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(S, ap[ai + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(S, ap[ai + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        // Spill to the tile and update C in another method: the loop above then keeps
        // C2's whole inlining budget, so no vector is ever boxed.
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
        update(tile, rows, cols, alpha, beta, first, c, cIdx, ldc);
    }

    /**
     * {@link #kernel} for a sliver of one row (a prediction of one instance): the same
     * operations on that row, so the same bits, without the five padding rows' work.
     */
    private static void kernel1(float[] ap, int ai, float[] bp, int bi, int bStride, int kc, int cols, float alpha,
            float beta, boolean first, float[] c, int cIdx, int ldc, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        int aEnd = ai + kc * MR;
        for (; ai < aEnd; ai += MR, bi += bStride) {
            FloatVector av = FloatVector.broadcast(S, ap[ai]);
            c00 = av.fma(FloatVector.fromArray(S, bp, bi), c00);
            c01 = av.fma(FloatVector.fromArray(S, bp, bi + L), c01);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        update(tile, 1, cols, alpha, beta, first, c, cIdx, ldc);
    }

    /**
     * {@link #kernel1} for three adjacent full slivers of one row (3 NR columns of B read
     * in place): six independent accumulator chains instead of two, so a row's product is
     * bound by the loads rather than by the latency of the fused multiply-adds; each
     * element sees the same operations in the same order, so the same bits.
     */
    private static void kernel1x3(float[] ap, int ai, float[] bp, int bi, int bStride, int kc, float alpha, float beta,
            boolean first, float[] c, int cIdx, int ldc, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        int aEnd = ai + kc * MR;
        for (; ai < aEnd; ai += MR, bi += bStride) {
            FloatVector av = FloatVector.broadcast(S, ap[ai]);
            c00 = av.fma(FloatVector.fromArray(S, bp, bi), c00);
            c01 = av.fma(FloatVector.fromArray(S, bp, bi + L), c01);
            c10 = av.fma(FloatVector.fromArray(S, bp, bi + NR), c10);
            c11 = av.fma(FloatVector.fromArray(S, bp, bi + NR + L), c11);
            c20 = av.fma(FloatVector.fromArray(S, bp, bi + 2 * NR), c20);
            c21 = av.fma(FloatVector.fromArray(S, bp, bi + 2 * NR + L), c21);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        update(tile, 1, NR, alpha, beta, first, c, cIdx, ldc);
        c10.intoArray(tile, 0);
        c11.intoArray(tile, L);
        update(tile, 1, NR, alpha, beta, first, c, cIdx + NR, ldc);
        c20.intoArray(tile, 0);
        c21.intoArray(tile, L);
        update(tile, 1, NR, alpha, beta, first, c, cIdx + 2 * NR, ldc);
    }

    /** {@link #kernel} for slivers of two or three rows, with the same bits. */
    private static void kernel3(float[] ap, int ai, float[] bp, int bi, int bStride, int kc, int rows, int cols,
            float alpha, float beta, boolean first, float[] c, int cIdx, int ldc, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        int aEnd = ai + kc * MR;
        for (; ai < aEnd; ai += MR, bi += bStride) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector av = FloatVector.broadcast(S, ap[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        update(tile, rows, cols, alpha, beta, first, c, cIdx, ldc);
    }

    /**
     * C = alpha * acc + beta * C (first k block; beta = 0 never reads C) or C = C + alpha
     * * acc, for the valid rows x cols of the tile (rows NR apart), row by row.
     */
    private static void update(float[] tile, int rows, int cols, float alpha, float beta, boolean first, float[] c,
            int cIdx, int ldc) {
        for (int r = 0; r < rows; r++) {
            update(tile, r * NR, cols, alpha, beta, first, c, cIdx + r * ldc);
        }
    }

}
