package dev.trainyard.engine.kernel;

/**
 * How the {@link Gemm} facade cuts C (m x n) into tiles, one provider call each, chosen
 * from m, n and k only (never from the thread count), so the split and every bit of the
 * result are the same for any number of threads.
 *
 * <p>
 * Measured on the target machine (AVX2, 2 cores), a provider call loses 15-35% of its
 * speed when its block of C is only 64 rows tall (the packing of op(B) is repeated per
 * call and the kernels run short), so tiles are as tall as {@value #MAX_ROWS} rows, with
 * balanced heights; a C of few rows (a batch of 128, say) is cut into at least
 * {@value #MIN_TILES} column tiles instead, no narrower than {@value #MIN_COLS} columns.
 * Products under {@value #SPLIT_FLOPS} flops stay whole.
 */
record GemmTiling(int rows, int cols, int rowTiles, int colTiles) {

    static final int MAX_ROWS = 256;
    static final int MIN_TILES = 2;
    static final int MIN_COLS = 64;
    static final long SPLIT_FLOPS = 1L << 21;

    static GemmTiling of(int m, int n, int k) {
        if (2L * m * n * k < SPLIT_FLOPS) {
            return new GemmTiling(m, n, 1, 1);
        }
        int rowTiles = ceilDiv(m, MAX_ROWS);
        int rows = Math.min(m, roundUp(ceilDiv(m, rowTiles), 8));
        rowTiles = ceilDiv(m, rows);
        int colTiles = Math.max(1, Math.min(ceilDiv(MIN_TILES, rowTiles), n / MIN_COLS));
        int cols = Math.min(n, roundUp(ceilDiv(n, colTiles), 16));
        colTiles = ceilDiv(n, cols);
        return new GemmTiling(rows, cols, rowTiles, colTiles);
    }

    int count() {
        return rowTiles * colTiles;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static int roundUp(int a, int multiple) {
        return ceilDiv(a, multiple) * multiple;
    }
}
