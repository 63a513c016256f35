package dev.trainyard.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

class PreprocessingStatisticsTest {

    /** Four examples of three features; feature 2 is constant. */
    private static Dataset small() {
        float[] x = { 1, 10, 5, 2, 20, 5, 3, 30, 5, 6, 60, 5 };
        return new Dataset(Tensor.wrap(x, 4, 3), new int[] { 0, 1, 0, 1 }, 2);
    }

    @Test
    void standardizeUsesTheMeanAndPopulationStd() {
        PreprocessingStatistics stats = PreprocessingStatistics.fit(PreprocessingMethod.STANDARDIZE, false, small());
        // mean 3, population variance (4 + 1 + 0 + 9) / 4 = 3.5 (np.std, ddof 0)
        assertThat(stats.mean()).containsExactly(3f, 30f, 5f);
        assertThat(stats.std()[0]).isCloseTo((float) Math.sqrt(3.5), within(1e-6f));
        assertThat(stats.std()[1]).isCloseTo((float) Math.sqrt(350), within(1e-4f));
        assertThat(stats.std()[2]).isZero();

        Dataset out = stats.apply(small());
        assertThat(out.features().get(0, 0)).isCloseTo((float) (-2 / Math.sqrt(3.5)), within(1e-6f));
        assertThat(out.features().get(3, 1)).isCloseTo((float) (30 / Math.sqrt(350)), within(1e-6f));
        // zero variance: only centred, never divided by a tiny number
        assertThat(out.features().get(1, 2)).isZero();
        assertThat(stats.applyToInstance(new float[] { 3, 30, 6 })[2]).isEqualTo(1f);
    }

    @Test
    void meanSubtractionCentresEachFeature() {
        PreprocessingStatistics stats = PreprocessingStatistics.fit(PreprocessingMethod.MEAN_SUBTRACTION, false,
                small());
        assertThat(stats.std()).isEmpty();
        Dataset out = stats.apply(small());
        assertThat(out.features().toArray()).containsExactly(-2, -20, 0, -1, -10, 0, 0, 0, 0, 3, 30, 0);
    }

    @Test
    void minMaxMapsTheTrainingRangeToMinusOneOne() {
        PreprocessingStatistics stats = PreprocessingStatistics.fit(PreprocessingMethod.MIN_MAX, false, small());
        assertThat(stats.min()).containsExactly(1, 10, 5);
        assertThat(stats.max()).containsExactly(6, 60, 5);
        Dataset out = stats.apply(small());
        assertThat(out.features().get(0, 0)).isEqualTo(-1f);
        assertThat(out.features().get(3, 0)).isEqualTo(1f);
        assertThat(out.features().get(1, 0)).isCloseTo(-0.6f, within(1e-6f));
        assertThat(out.features().get(2, 2)).as("constant feature").isZero();
        // values outside the training range are not clipped
        assertThat(stats.applyToInstance(new float[] { 11, 10, 5 })[0]).isCloseTo(3f, within(1e-6f));
    }

    @Test
    void aLargeBatchIsPreprocessedBlockByBlockAsEachExampleAlone() {
        // 300 examples of (2, 14, 14): several blocks of examples, one value per thread
        int n = 300;
        int width = 2 * 14 * 14;
        Rng rng = new Rng(3);
        float[] x = new float[n * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (i % 7 + 40 * rng.nextGaussian());
        }
        Dataset data = new Dataset(Tensor.wrap(x, Shape.of(2, 14, 14).withBatch(n)), new int[n], 1);
        for (PreprocessingMethod method : PreprocessingMethod.values()) {
            for (boolean perChannel : new boolean[] { false, true }) {
                PreprocessingStatistics stats = PreprocessingStatistics.fit(method, perChannel, data);
                float[] batch = stats.apply(data.features()).toArray();
                for (int i = 0; i < n; i++) {
                    float[] alone = stats.applyToInstance(java.util.Arrays.copyOfRange(x, i * width, (i + 1) * width));
                    float[] inBatch = java.util.Arrays.copyOfRange(batch, i * width, (i + 1) * width);
                    assertThat(inBatch).as("%s, per channel %s, example %d", method, perChannel, i)
                        .containsExactly(alone);
                }
            }
        }
    }

    @Test
    void noneLeavesFeaturesAlone() {
        PreprocessingStatistics stats = PreprocessingStatistics.fit(PreprocessingMethod.NONE, false, small());
        assertThat(stats.apply(small().features()).toArray()).isEqualTo(small().features().toArray());
        assertThat(stats.mean()).isEmpty();
    }

    @Test
    void perChannelStatisticsPoolEachChannelOverItsPixels() {
        // two examples (2, 1, 2): channel 0 holds 0, 2, 4, 6 and channel 1 holds 10, 10,
        // 30, 30
        float[] x = { 0, 2, 10, 10, 4, 6, 30, 30 };
        Dataset images = new Dataset(Tensor.wrap(x, 2, 2, 1, 2), new int[] { 0, 1 }, 2);
        PreprocessingStatistics stats = PreprocessingStatistics.fit(PreprocessingMethod.STANDARDIZE, true, images);
        assertThat(stats.mean()).containsExactly(3f, 20f);
        assertThat(stats.std()[0]).isCloseTo((float) Math.sqrt(5), within(1e-6f));
        assertThat(stats.std()[1]).isCloseTo(10f, within(1e-6f));
        float[] out = stats.apply(images).features().toArray();
        assertThat(out[2]).isCloseTo(-1f, within(1e-6f));
        assertThat(out[7]).isCloseTo(1f, within(1e-6f));

        PreprocessingStatistics range = PreprocessingStatistics.fit(PreprocessingMethod.MIN_MAX, true, images);
        assertThat(range.min()).containsExactly(0, 10);
        assertThat(range.max()).containsExactly(6, 30);
    }

    @Test
    void perChannelNeedsChannelShapedExamples() {
        assertThatThrownBy(() -> PreprocessingStatistics.fit(PreprocessingMethod.STANDARDIZE, true, small()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("(C, H, W");
    }

    @Test
    void statisticsComeFromTheTrainingSplitAloneAndIgnoreValidationRows() {
        int n = 200;
        int d = 5;
        float[] x = new float[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 4;
            for (int f = 0; f < d; f++) {
                x[i * d + f] = (float) Math.sin(i * 0.37 + f) * (f + 1) + y[i];
            }
        }
        Dataset full = new Dataset(Tensor.wrap(x, n, d), y, 4);
        StratifiedSplit split = StratifiedSplit.of(full, 0.25, 11);
        PreprocessingStatistics fitted = PreprocessingStatistics.fit(PreprocessingMethod.STANDARDIZE, false,
                split.trainingOf(full));

        // The statistics are exactly the training rows' mean and population std, computed
        // directly.
        int[] train = split.training();
        for (int f = 0; f < d; f++) {
            double sum = 0;
            for (int i : train) {
                sum += x[i * d + f];
            }
            double mean = sum / train.length;
            double sq = 0;
            for (int i : train) {
                sq += (x[i * d + f] - mean) * (x[i * d + f] - mean);
            }
            assertThat(fitted.mean()[f]).isEqualTo((float) mean);
            assertThat(fitted.std()[f]).isEqualTo((float) Math.sqrt(sq / train.length));
        }

        // Rewriting every validation (and any held-out test) row changes nothing.
        float[] changed = x.clone();
        for (int i : split.validation()) {
            for (int f = 0; f < d; f++) {
                changed[i * d + f] = 1000f + i * f;
            }
        }
        Dataset other = new Dataset(Tensor.wrap(changed, n, d), y, 4);
        StratifiedSplit sameSplit = StratifiedSplit.of(other, 0.25, 11);
        assertThat(sameSplit.training()).isEqualTo(train);
        for (PreprocessingMethod method : PreprocessingMethod.values()) {
            assertThat(PreprocessingStatistics.fit(method, false, sameSplit.trainingOf(other)))
                .isEqualTo(PreprocessingStatistics.fit(method, false, split.trainingOf(full)));
        }

        // Validation rows are transformed with the training statistics, unchanged.
        Dataset validation = fitted.apply(split.validationOf(full));
        int first = split.validation()[0];
        assertThat(validation.features().get(0, 1)).isEqualTo((x[first * d + 1] - fitted.mean()[1]) / fitted.std()[1]);
    }

    @Test
    void anInstanceIsTransformedLikeTheSameRowOfABatch() {
        PreprocessingStatistics stats = PreprocessingStatistics.fit(PreprocessingMethod.STANDARDIZE, false, small());
        float[] batch = stats.apply(small().features()).toArray();
        float[] row = stats.applyToInstance(new float[] { 2, 20, 5 });
        assertThat(row).containsExactly(batch[3], batch[4], batch[5]);
        assertThatThrownBy(() -> stats.applyToInstance(new float[] { 1, 2 }))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("expected 3");
    }

    @Test
    void storedStatisticsRestoreToAnEqualValue() {
        PreprocessingStatistics stats = PreprocessingStatistics.fit(PreprocessingMethod.MIN_MAX, false, small());
        PreprocessingStatistics restored = PreprocessingStatistics.of(stats.method(), stats.perChannel(),
                stats.featureShape(), stats.mean(), stats.std(), stats.min(), stats.max());
        assertThat(restored).isEqualTo(stats);
        assertThat(restored.apply(small()).features().toArray()).isEqualTo(stats.apply(small()).features().toArray());
        assertThatThrownBy(() -> PreprocessingStatistics.of(PreprocessingMethod.STANDARDIZE, false, new int[] { 3 },
                new float[3], new float[2], new float[0], new float[0]))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("std holds 2 values, expected 3");
    }

    @Test
    void methodsAreNamedAsInJobSpecs() {
        assertThat(PreprocessingMethod.fromId("mean_subtraction")).isEqualTo(PreprocessingMethod.MEAN_SUBTRACTION);
        assertThatThrownBy(() -> PreprocessingMethod.fromId("zca")).hasMessageContaining("min_max");
    }

}
