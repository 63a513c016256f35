package dev.trainyard.engine.kernel;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.tensor.Tensor;

/**
 * Facade for single-precision matrix products (see {@link GemmProvider} for the layout).
 * The provider is chosen once per process ({@link Kernels#gemm()}); this class cuts C
 * into tiles whose shape depends only on m, n and k ({@link GemmTiling}) and runs one
 * single-threaded provider call per tile on the compute pool, so the split, and therefore
 * every bit of the result, is the same for any number of threads.
 *
 * <p>
 * {@link #blockInvariant(Runnable)} runs code with a provider whose elements of C do not
 * depend on the block they are computed in, so that a row of a batch gets the same bits
 * as when it is computed alone (used to serve predictions in batches).
 */
public final class Gemm {

    private static final ScopedValue<GemmProvider> OVERRIDE = ScopedValue.newInstance();

    private Gemm() {
    }

    /**
     * Runs {@code body} with {@link Kernels#blockInvariantGemm()} as the provider of this
     * facade's products on the current thread (and the compute pool's tasks it starts).
     */
    public static void blockInvariant(Runnable body) {
        ScopedValue.where(OVERRIDE, Kernels.blockInvariantGemm()).run(body);
    }

    /**
     * The provider this thread's products use now; {@link Conv} calls it directly for its
     * single-threaded products.
     */
    static GemmProvider provider() {
        return OVERRIDE.orElse(Kernels.gemm());
    }

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
            int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        sgemm(provider(), transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * As
     * {@link #sgemm(boolean, boolean, int, int, int, float, float[], int, int, float[], int, int, float, float[], int, int)}
     * with an explicit provider (tests, benchmarks).
     */
    public static void sgemm(GemmProvider provider, boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("negative GEMM size m=" + m + " n=" + n + " k=" + k);
        }
        if (m == 0 || n == 0) {
            return;
        }
        GemmTiling tiling = GemmTiling.of(m, n, k);
        ComputePool.current().parallelFor(tiling.count(), t -> {
            // Tile t covers C[m0 : m0 + rows, n0 : n0 + cols]; op(A) rows m0.., op(B)
            // columns n0..
            int m0 = t / tiling.colTiles() * tiling.rows();
            int n0 = t % tiling.colTiles() * tiling.cols();
            int rows = Math.min(tiling.rows(), m - m0);
            int cols = Math.min(tiling.cols(), n - n0);
            int aTile = transA ? aOff + m0 : aOff + m0 * lda;
            int bTile = transB ? bOff + n0 * ldb : bOff + n0;
            provider.sgemm(transA, transB, rows, cols, k, alpha, a, aTile, lda, b, bTile, ldb, beta, c,
                    cOff + m0 * ldc + n0, ldc);
        });
    }

    /**
     * {@code c = alpha * op(a) * op(b) + beta * c} on 2-D tensors; shapes are checked and
     * named in the error when they do not fit.
     */
    public static void matmul(Tensor a, boolean transA, Tensor b, boolean transB, Tensor c, float alpha, float beta) {
        if (a.rank() != 2 || b.rank() != 2 || c.rank() != 2) {
            throw new IllegalArgumentException(
                    "matmul needs 2-D tensors, got " + a.shape() + ", " + b.shape() + ", " + c.shape());
        }
        int m = transA ? a.dim(1) : a.dim(0);
        int k = transA ? a.dim(0) : a.dim(1);
        int kb = transB ? b.dim(1) : b.dim(0);
        int n = transB ? b.dim(0) : b.dim(1);
        if (k != kb || c.dim(0) != m || c.dim(1) != n) {
            throw new IllegalArgumentException("matmul shapes do not fit: op(A) from " + a.shape()
                    + (transA ? "^T" : "") + ", op(B) from " + b.shape() + (transB ? "^T" : "") + ", C " + c.shape());
        }
        sgemm(transA, transB, m, n, k, alpha, a.data(), a.offset(), a.dim(1), b.data(), b.offset(), b.dim(1), beta,
                c.data(), c.offset(), c.dim(1));
    }

}
