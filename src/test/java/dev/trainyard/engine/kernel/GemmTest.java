package dev.trainyard.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The facade's own rules: size checks and the tensor form; providers are covered by their
 * contract.
 */
class GemmTest {

    private final GemmProvider reference = new ReferenceGemm();

    @Test
    void negativeSizesAreRejected() {
        float[] x = new float[4];
        assertThatThrownBy(() -> Gemm.sgemm(reference, false, false, -1, 0, 2, 1f, x, 0, 2, x, 0, 2, 0f, x, 0, 2))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("m=-1");
        assertThatThrownBy(() -> Gemm.sgemm(reference, false, false, 2, 2, -3, 1f, x, 0, 2, x, 0, 2, 0f, x, 0, 2))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("k=-3");
    }

    @Test
    void zeroRowsOrColumnsReturnWithoutTouchingC() {
        float[] c = { Float.NaN, 5f };
        Gemm.sgemm(reference, false, false, 0, 2, 2, 1f, new float[0], 0, 2, new float[4], 0, 2, 0f, c, 0, 2);
        Gemm.sgemm(reference, false, false, 2, 0, 2, 1f, new float[4], 0, 2, new float[0], 0, 0, 0f, c, 0, 0);
        assertThat(c[0]).isNaN();
        assertThat(c[1]).isEqualTo(5f);
    }

    @Test
    void matmulMultipliesTransposedTensors() {
        Tensor a = Tensor.wrap(new float[] { 1, 4, 2, 5, 3, 6 }, Shape.of(3, 2)); // A^T
                                                                                  // is
                                                                                  // (2,
                                                                                  // 3)
        Tensor b = Tensor.wrap(new float[] { 7, 8, 9, 10, 11, 12 }, Shape.of(3, 2));
        Tensor c = Tensor.zeros(Shape.of(2, 2));
        Gemm.matmul(a, true, b, false, c, 1f, 0f);
        assertThat(c.data()).containsExactly(58f, 64f, 139f, 154f);
    }

    @Test
    void matmulNamesBothShapesWhenTheyDoNotFit() {
        Tensor a = Tensor.zeros(Shape.of(2, 3));
        Tensor b = Tensor.zeros(Shape.of(4, 2));
        assertThatThrownBy(() -> Gemm.matmul(a, false, b, false, Tensor.zeros(Shape.of(2, 2)), 1f, 0f))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("(2, 3)")
            .hasMessageContaining("(4, 2)");
    }

}
