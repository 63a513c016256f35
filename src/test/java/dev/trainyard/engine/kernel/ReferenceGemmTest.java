package dev.trainyard.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The scalar yardstick itself, against the double-precision product and a hand-computed
 * case.
 */
class ReferenceGemmTest extends GemmProviderContract {

    @Override
    GemmProvider provider() {
        return new ReferenceGemm();
    }

    @Test
    void multipliesTwoByThreeByThreeByTwo() {
        float[] a = { 1, 2, 3, 4, 5, 6 }; // (2, 3)
        float[] b = { 7, 8, 9, 10, 11, 12 }; // (3, 2)
        float[] c = new float[4];
        provider().sgemm(false, false, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2);
        assertThat(c).containsExactly(58f, 64f, 139f, 154f);
    }

}
