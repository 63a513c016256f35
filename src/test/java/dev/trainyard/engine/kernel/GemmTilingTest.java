package dev.trainyard.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GemmTilingTest {

    @Test
    void squareProductIsCutIntoBalancedRowPanelsOfAtMost256Rows() {
        assertThat(GemmTiling.of(1024, 1024, 1024)).isEqualTo(new GemmTiling(256, 1024, 4, 1));
        assertThat(GemmTiling.of(2048, 2048, 2048)).isEqualTo(new GemmTiling(256, 2048, 8, 1));
        assertThat(GemmTiling.of(784, 512, 128)).isEqualTo(new GemmTiling(200, 512, 4, 1));
    }

    @Test
    void shortProductIsCutIntoColumnTilesInstead() {
        assertThat(GemmTiling.of(128, 512, 784)).isEqualTo(new GemmTiling(128, 256, 1, 2));
        assertThat(GemmTiling.of(128, 784, 512)).isEqualTo(new GemmTiling(128, 400, 1, 2));
        assertThat(GemmTiling.of(8, 1000, 784)).isEqualTo(new GemmTiling(8, 512, 1, 2));
        assertThat(GemmTiling.of(100, 700, 50)).isEqualTo(new GemmTiling(100, 352, 1, 2));
        // a dense layer 3136 -> 128 on a batch of 128: two tiles of 64 columns, each
        // packing only its half of the weights
        assertThat(GemmTiling.of(128, 128, 3136)).isEqualTo(new GemmTiling(128, 64, 1, 2));
        assertThat(GemmTiling.of(128, 100, 3136)).isEqualTo(new GemmTiling(128, 100, 1, 1));
    }

    @Test
    void smallProductStaysWhole() {
        assertThat(GemmTiling.of(7, 13, 31)).isEqualTo(new GemmTiling(7, 13, 1, 1));
        assertThat(GemmTiling.of(64, 100, 64)).isEqualTo(new GemmTiling(64, 100, 1, 1));
    }

    @Test
    void tilesCoverCExactly() {
        int[][] shapes = { { 1023, 257, 64 }, { 257, 1023, 31 }, { 129, 65, 257 }, { 300, 129, 1000 },
                { 5000, 3, 1000 } };
        for (int[] s : shapes) {
            GemmTiling t = GemmTiling.of(s[0], s[1], s[2]);
            assertThat((t.rowTiles() - 1) * t.rows()).isLessThan(s[0]);
            assertThat(t.rowTiles() * t.rows()).isGreaterThanOrEqualTo(s[0]);
            assertThat((t.colTiles() - 1) * t.cols()).isLessThan(s[1]);
            assertThat(t.colTiles() * t.cols()).isGreaterThanOrEqualTo(s[1]);
        }
    }

}
