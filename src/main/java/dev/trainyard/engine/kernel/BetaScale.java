package dev.trainyard.engine.kernel;

/**
 * {@code C = beta * C} on an m x n block, with BLAS's rule that beta = 0 overwrites (NaN
 * included) with zeros.
 */
final class BetaScale {

    private BetaScale() {
    }

    /**
     * C is m x n at cOff with leading dimension ldc; used when k = 0 leaves nothing but
     * the beta term.
     */
    static void apply(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int r = 0; r < m; r++) {
            int row = cOff + r * ldc;
            for (int j = row; j < row + n; j++) {
                c[j] = beta == 0f ? 0f : beta * c[j];
            }
        }
    }

}
