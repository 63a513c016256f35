package dev.trainyard.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trainyard.engine.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DiagnosticsTest {

    @Test
    void tanhStatisticsCountSaturatedUnitsAndUseTheFixedRange() {
        Tensor y = Tensor.wrap(new float[] { -0.99f, -0.5f, 0f, 0.5f, 0.98f, 0.96f, 1f, -1f }, 2, 4);
        EpochDiagnostics.ActivationStats s = Diagnostics.activationStats(0, "tanh", y);
        assertThat(s.saturatedFraction()).isEqualTo(4.0 / 8); // -0.99, 0.98, 1, -1
        assertThat(s.histogramMin()).isEqualTo(-1.0);
        assertThat(s.histogramMax()).isEqualTo(1.0);
        assertThat(Arrays.stream(s.histogram()).sum()).isEqualTo(8);
        assertThat(s.histogram()[0]).isEqualTo(2); // -1 and -0.99 fall in [-1, -0.96)
        assertThat(s.histogram()[49]).isEqualTo(2); // 0.98 and 1 (the top edge counts in
                                                    // the last bin)
        assertThat(s.mean()).isCloseTo(0.11875, within(1e-6));
        assertThat(s.deadFraction()).isNull();
    }

    @Test
    void sigmoidSaturationCountsBothEnds() {
        Tensor y = Tensor.wrap(new float[] { 0.01f, 0.5f, 0.98f, 0.2f }, 4, 1);
        assertThat(Diagnostics.activationStats(0, "sigmoid", y).saturatedFraction()).isEqualTo(0.5);
    }

    @Test
    void percentilesInterpolateAsNumpy() {
        float[] sorted = new float[101];
        for (int i = 0; i <= 100; i++) {
            sorted[i] = i;
        }
        assertThat(Diagnostics.percentile(sorted, 0.02)).isEqualTo(2.0);
        assertThat(Diagnostics.percentile(sorted, 0.98)).isEqualTo(98.0);
        // np.percentile([0, 10], 2) == 0.2
        assertThat(Diagnostics.percentile(new float[] { 0f, 10f }, 0.02)).isCloseTo(0.2, within(1e-12));
    }

    @Test
    void deadReluUnitsAreZeroForTheWholeBatch() {
        // 3 examples x 4 units: unit 1 is zero everywhere, unit 3 only in two examples
        Tensor y = Tensor.wrap(new float[] { 1f, 0f, 2f, 0f, 0f, 0f, 1f, 0f, 3f, 0f, 0f, 5f }, 3, 4);
        assertThat(Diagnostics.activationStats(1, "relu", y).deadFraction()).isEqualTo(0.25);
    }

    @Test
    void standardDeviationIsThePopulationOne() {
        Tensor y = Tensor.wrap(new float[] { 1f, 2f, 3f, 4f }, 4, 1);
        EpochDiagnostics.ActivationStats s = Diagnostics.activationStats(0, "dense", y);
        assertThat(s.std()).isCloseTo(Math.sqrt(1.25), within(1e-12));
        assertThat(s.histogramMin()).isEqualTo(1.0);
        assertThat(s.histogramMax()).isEqualTo(4.0);
    }

}
