package dev.trainyard.engine.kernel;

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
            if (transA) {
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
     * * acc, for the valid rows x cols of the tile; vector and scalar paths do the same
     * operations.
     */
    private static void update(float[] tile, int rows, int cols, float alpha, float beta, boolean first, float[] c,
            int cIdx, int ldc) {
        if (cols == NR) {
            for (int r = 0; r < rows; r++) {
                int ci = cIdx + r * ldc;
                for (int j = 0; j < NR; j += L) {
                    FloatVector v = FloatVector.fromArray(S, tile, r * NR + j).mul(alpha);
                    if (!first) {
                        v = FloatVector.fromArray(S, c, ci + j).add(v);
                    }
                    else if (beta != 0f) {
                        v = v.add(FloatVector.fromArray(S, c, ci + j).mul(beta));
                    }
                    v.intoArray(c, ci + j);
                }
            }
            return;
        }
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                int ci = cIdx + r * ldc + j;
                float v = tile[r * NR + j] * alpha;
                if (!first) {
                    c[ci] = c[ci] + v;
                }
                else {
                    c[ci] = beta == 0f ? v : v + c[ci] * beta;
                }
            }
        }
    }

}
