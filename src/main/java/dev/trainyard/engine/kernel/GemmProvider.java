package dev.trainyard.engine.kernel;

/**
 * Single-precision matrix product on row-major arrays, one thread per call:
 * {@code C = alpha * op(A) * op(B) + beta * C} where op(A) is m x k and op(B) is k x n.
 *
 * <p>
 * A is stored m x k (lda >= k), or k x m when {@code transA} (lda >= m); likewise B is k
 * x n (ldb >= n) or n x k when {@code transB} (ldb >= k); C is m x n (ldc >= n). With
 * {@code beta} = 0, C is overwritten and its old contents (even NaN) are ignored, as in
 * BLAS.
 *
 * <p>
 * Implementations must be deterministic: the same call gives the same bits. The
 * {@link Gemm} facade cuts C into tiles chosen from m, n and k only, so its results do
 * not depend on the thread count. The java and reference providers go further and give an
 * element of C the same bits whatever block of C it is computed in; OpenBLAS (native)
 * picks kernels by block shape and does not.
 */
public interface GemmProvider {

    /**
     * Short name for logs and benchmarks: {@code native}, {@code java},
     * {@code reference}.
     */
    String name();

    /**
     * Whether an element of C gets the same bits whatever block of C it is computed in
     * (so a row of a batch does not depend on the other rows): true for java and
     * reference, false for native.
     */
    boolean blockInvariant();

    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
            float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc);

}
