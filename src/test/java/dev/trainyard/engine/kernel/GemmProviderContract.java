package dev.trainyard.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trainyard.engine.backend.ComputePool;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link GemmProvider} must do, checked against a double-precision product
 * computed here: sizes that exercise every tail (1, 7, 13, 31, 64, 257, 1023 each as m, n
 * and k), all four transpose combinations, alpha and beta, offsets and leading dimensions
 * wider than the matrix (the padding holds NaN, so a read outside the matrix shows), and
 * bit-identical results through the {@link Gemm} facade with 1, 2 and 8 threads.
 */
abstract class GemmProviderContract {

    /** The provider under test; subclasses skip (assumption) where it cannot load. */
    abstract GemmProvider provider();

    /** (m, n, k) triples in which each awkward size appears as m, as n and as k. */
    static Stream<Arguments> shapes() {
        int[][] mnk = { { 1, 1, 1 }, { 7, 13, 31 }, { 13, 31, 7 }, { 31, 7, 13 }, { 64, 64, 64 }, { 257, 7, 13 },
                { 13, 257, 7 }, { 7, 13, 257 }, { 1023, 7, 13 }, { 13, 1023, 7 }, { 7, 13, 1023 }, { 64, 257, 31 },
                { 257, 64, 1023 }, { 1, 1023, 257 }, { 1023, 1, 64 }, { 31, 64, 1 } };
        return Stream.of(mnk)
            .flatMap(s -> Stream.of(Arguments.of(s[0], s[1], s[2], false, false),
                    Arguments.of(s[0], s[1], s[2], true, false), Arguments.of(s[0], s[1], s[2], false, true),
                    Arguments.of(s[0], s[1], s[2], true, true)));
    }

    @ParameterizedTest(name = "{0}x{1}x{2} transA={3} transB={4}")
    @MethodSource("shapes")
    void matchesDoublePrecisionProductWithOffsetsAndWideLeadingDimensions(int m, int n, int k, boolean ta, boolean tb) {
        Problem p = Problem.random(m, n, k, ta, tb, 42);
        float[] expected = p.expected(1.5f, 0.5f);
        p.run(provider(), 1.5f, 0.5f);
        p.assertClose(expected);
    }

    @Test
    void betaZeroOverwritesNaNInC() {
        Problem p = Problem.random(31, 13, 7, false, false, 1);
        p.fillC(Float.NaN);
        float[] expected = p.expected(2f, 0f);
        p.run(provider(), 2f, 0f);
        p.assertClose(expected);
        assertThat(p.cValue(30, 12)).isFinite();
    }

    @Test
    void betaOneAccumulatesIntoC() {
        Problem p = Problem.random(13, 31, 64, true, false, 2);
        p.fillC(3f);
        float[] once = p.expected(1f, 1f);
        p.run(provider(), 1f, 1f);
        p.assertClose(once);
        float[] twice = p.expected(1f, 1f);
        p.run(provider(), 1f, 1f);
        p.assertClose(twice);
    }

    @Test
    void emptyReductionScalesCByBeta() {
        Problem p = Problem.random(7, 13, 0, false, false, 3);
        p.fillC(4f);
        p.run(provider(), 1f, 0.25f);
        assertThat(p.cValue(0, 0)).isEqualTo(1f);
        assertThat(p.cValue(6, 12)).isEqualTo(1f);
    }

    @Test
    void nanInAPropagatesToItsRowOfC() {
        Problem p = Problem.random(64, 31, 13, false, false, 4);
        p.setA(5, 7, Float.NaN);
        p.run(provider(), 1f, 0f);
        for (int j = 0; j < 31; j++) {
            assertThat(p.cValue(5, j)).isNaN();
            assertThat(p.cValue(4, j)).isFinite();
        }
    }

    @Test
    void zeroRowsOrColumnsLeaveCUntouched() {
        float[] c = { 7f, 7f };
        provider().sgemm(false, false, 0, 2, 3, 1f, new float[0], 0, 3, new float[6], 0, 2, 0f, c, 0, 2);
        provider().sgemm(false, false, 1, 0, 3, 1f, new float[3], 0, 3, new float[0], 0, 1, 0f, c, 0, 1);
        assertThat(c).containsExactly(7f, 7f);
    }

    @Test
    void elementOfCDoesNotDependOnTheBlockItIsComputedIn() {
        assumeTrue(provider().blockInvariant(), "this provider does not promise block invariance");
        Problem full = Problem.random(130, 75, 300, false, false, 5);
        full.run(provider(), 1f, 0f);
        Problem part = full.copy();
        part.fillC(0f);
        part.runBlock(provider(), 64, 66, 16, 59);
        for (int i = 64; i < 130; i++) {
            for (int j = 16; j < 75; j++) {
                assertThat(Float.floatToRawIntBits(part.cValue(i, j))).as("C[%d][%d]", i, j)
                    .isEqualTo(Float.floatToRawIntBits(full.cValue(i, j)));
            }
        }
    }

    /**
     * A row of C computed alone, or in a short block (B read in place when untransposed,
     * up to 64 rows), has the bits it has in a tall product (B packed); over two k
     * blocks, more full slivers of columns than a single row takes at once (3 x 2
     * vectors), and an edge sliver.
     */
    @ParameterizedTest(name = "transA={0} transB={1}")
    @MethodSource("transposes")
    void aRowHasTheSameBitsAloneInAShortBlockAndInATallProduct(boolean ta, boolean tb) {
        assumeTrue(provider().blockInvariant(), "this provider does not promise block invariance");
        Problem full = Problem.random(130, 141, 300, ta, tb, 8);
        full.run(provider(), 1f, 0f);
        int[][] blocks = { { 0, 1 }, { 77, 1 }, { 129, 1 }, { 40, 2 }, { 100, 3 }, { 3, 5 }, { 20, 7 }, { 30, 8 },
                { 50, 9 }, { 10, 64 }, { 60, 65 } };
        for (int[] block : blocks) {
            Problem part = full.copy();
            part.fillC(0f);
            part.runBlock(provider(), block[0], block[1], 0, 141);
            for (int i = block[0]; i < block[0] + block[1]; i++) {
                for (int j = 0; j < 141; j++) {
                    assertThat(Float.floatToRawIntBits(part.cValue(i, j)))
                        .as("C[%d][%d] in a block of %d rows", i, j, block[1])
                        .isEqualTo(Float.floatToRawIntBits(full.cValue(i, j)));
                }
            }
        }
    }

    /**
     * Rows streamed against an untransposed B (up to eight): every count from one to
     * eight has the bits of the tall product, over more columns than one stream covers
     * and k blocks whose depths are not multiples of four.
     */
    @ParameterizedTest(name = "transA={0}")
    @ValueSource(booleans = { false, true })
    void streamedRowsHaveTheBitsOfATallProduct(boolean ta) {
        assumeTrue(provider().blockInvariant(), "this provider does not promise block invariance");
        Problem full = Problem.random(70, 1100, 515, ta, false, 9);
        full.run(provider(), 1f, 0f);
        for (int rows = 1; rows <= 8; rows++) {
            Problem part = full.copy();
            part.fillC(0f);
            part.runBlock(provider(), 61 - rows, rows, 0, 1100);
            for (int i = 61 - rows; i < 61; i++) {
                for (int j = 0; j < 1100; j++) {
                    assertThat(Float.floatToRawIntBits(part.cValue(i, j)))
                        .as("C[%d][%d] in a block of %d rows", i, j, rows)
                        .isEqualTo(Float.floatToRawIntBits(full.cValue(i, j)));
                }
            }
        }
    }

    static Stream<Arguments> transposes() {
        return Stream.of(Arguments.of(false, false), Arguments.of(true, false), Arguments.of(false, true),
                Arguments.of(true, true));
    }

    /**
     * Row-panel tilings (the first four) and column tilings of short products (the last
     * two).
     */
    static Stream<Arguments> facadeShapes() {
        return Stream.of(Arguments.of(1023, 257, 64, false, false), Arguments.of(257, 1023, 31, true, false),
                Arguments.of(200, 130, 300, false, true), Arguments.of(129, 65, 257, true, true),
                Arguments.of(100, 700, 50, true, true), Arguments.of(64, 515, 40, false, true));
    }

    @ParameterizedTest(name = "{0}x{1}x{2} transA={3} transB={4}")
    @MethodSource("facadeShapes")
    void facadeGivesIdenticalBitsWithOneTwoAndEightThreads(int m, int n, int k, boolean ta, boolean tb) {
        float[] one = facadeProduct(1, m, n, k, ta, tb);
        assertThat(facadeProduct(2, m, n, k, ta, tb)).isEqualTo(one);
        assertThat(facadeProduct(8, m, n, k, ta, tb)).isEqualTo(one);
        Problem p = Problem.random(m, n, k, ta, tb, 6);
        Problem.assertClose(one, p.expected(1f, 0f), p, "facade");
    }

    private float[] facadeProduct(int threads, int m, int n, int k, boolean ta, boolean tb) {
        Problem p = Problem.random(m, n, k, ta, tb, 6);
        try (ComputePool pool = ComputePool.create(threads)) {
            ComputePool.runWith(pool, () -> p.runFacade(provider(), 1f, 0f));
        }
        return p.cMatrix();
    }

    /**
     * Operands with offsets and padded leading dimensions; padding is NaN, C's padding a
     * sentinel.
     */
    static final class Problem {

        static final float SENTINEL = -12345f;

        final int m, n, k;

        final boolean ta, tb;

        final int aOff = 3, bOff = 5, cOff = 2;

        final int lda, ldb, ldc;

        final float[] a, b, c;

        private Problem(int m, int n, int k, boolean ta, boolean tb, float[] a, float[] b, float[] c) {
            this.m = m;
            this.n = n;
            this.k = k;
            this.ta = ta;
            this.tb = tb;
            this.lda = (ta ? m : k) + 3;
            this.ldb = (tb ? k : n) + 2;
            this.ldc = n + 4;
            this.a = a;
            this.b = b;
            this.c = c;
        }

        static Problem random(int m, int n, int k, boolean ta, boolean tb, long seed) {
            int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 2, ldc = n + 4;
            float[] a = new float[3 + (ta ? k : m) * lda];
            float[] b = new float[5 + (tb ? n : k) * ldb];
            float[] c = new float[2 + m * ldc];
            Arrays.fill(a, Float.NaN);
            Arrays.fill(b, Float.NaN);
            Arrays.fill(c, SENTINEL);
            Problem p = new Problem(m, n, k, ta, tb, a, b, c);
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < m; i++) {
                for (int q = 0; q < k; q++) {
                    p.setA(i, q, (float) (random.nextDouble() * 2 - 1));
                }
            }
            for (int q = 0; q < k; q++) {
                for (int j = 0; j < n; j++) {
                    b[p.bIndex(q, j)] = (float) (random.nextDouble() * 2 - 1);
                }
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    c[p.cIndex(i, j)] = (float) (random.nextDouble() * 2 - 1);
                }
            }
            return p;
        }

        Problem copy() {
            return new Problem(m, n, k, ta, tb, a.clone(), b.clone(), c.clone());
        }

        int aIndex(int i, int q) {
            return aOff + (ta ? q * lda + i : i * lda + q);
        }

        int bIndex(int q, int j) {
            return bOff + (tb ? j * ldb + q : q * ldb + j);
        }

        int cIndex(int i, int j) {
            return cOff + i * ldc + j;
        }

        void setA(int i, int q, float v) {
            a[aIndex(i, q)] = v;
        }

        float cValue(int i, int j) {
            return c[cIndex(i, j)];
        }

        void fillC(float v) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    c[cIndex(i, j)] = v;
                }
            }
        }

        float[] cMatrix() {
            float[] out = new float[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    out[i * n + j] = cValue(i, j);
                }
            }
            return out;
        }

        /** alpha * op(A) op(B) + beta * C in double precision, as an m x n matrix. */
        float[] expected(float alpha, float beta) {
            float[] out = new float[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int q = 0; q < k; q++) {
                        acc += (double) a[aIndex(i, q)] * b[bIndex(q, j)];
                    }
                    out[i * n + j] = (float) (alpha * acc + (beta == 0f ? 0 : beta * (double) cValue(i, j)));
                }
            }
            return out;
        }

        void run(GemmProvider gemm, float alpha, float beta) {
            gemm.sgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }

        void runFacade(GemmProvider gemm, float alpha, float beta) {
            Gemm.sgemm(gemm, ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }

        /**
         * C[i0:i0+rows, j0:j0+cols] = op(A)[i0:, :] op(B)[:, j0:] (non-transposed
         * operands only).
         */
        void runBlock(GemmProvider gemm, int i0, int rows, int j0, int cols) {
            gemm.sgemm(ta, tb, rows, cols, k, 1f, a, aIndex(i0, 0), lda, b, bIndex(0, j0), ldb, 0f, c, cIndex(i0, j0),
                    ldc);
        }

        void assertClose(float[] expected) {
            assertClose(cMatrix(), expected, this, "provider");
            for (int i = 0; i < m; i++) {
                for (int j = n; j < ldc && cIndex(i, j) < c.length; j++) {
                    assertThat(c[cIndex(i, j)]).as("padding of C after row %d", i).isEqualTo(SENTINEL);
                }
            }
            assertThat(c[0]).isEqualTo(SENTINEL);
            assertThat(c[1]).isEqualTo(SENTINEL);
        }

        /**
         * Single-precision rounding grows with the reduction length k; |a|, |b|, |c| are
         * at most 1 (or 4).
         */
        static void assertClose(float[] actual, float[] expected, Problem p, String what) {
            double tolerance = 1e-6 * (p.k + 1) * 4;
            for (int x = 0; x < expected.length; x++) {
                assertThat((double) actual[x]).as("%s C[%d][%d] of %dx%dx%d", what, x / p.n, x % p.n, p.m, p.n, p.k)
                    .isCloseTo(expected[x], org.assertj.core.data.Offset.offset(tolerance));
            }
        }

    }

}
