package dev.trainyard.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.engine.tensor.Tensor;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StratifiedSplitTest {

    /** 50 examples of class 0, 30 of class 1, 20 of class 2, interleaved. */
    private static int[] labels() {
        int[] labels = new int[100];
        for (int i = 0; i < 100; i++) {
            labels[i] = i % 10 < 5 ? 0 : i % 10 < 8 ? 1 : 2;
        }
        return labels;
    }

    @Test
    void sameSeedGivesTheSameSplit() {
        StratifiedSplit a = StratifiedSplit.of(labels(), 3, 0.2, 7);
        StratifiedSplit b = StratifiedSplit.of(labels(), 3, 0.2, 7);
        assertThat(a.validation()).isEqualTo(b.validation());
        assertThat(a.training()).isEqualTo(b.training());
    }

    @Test
    void anotherSeedGivesAnotherSplit() {
        assertThat(StratifiedSplit.of(labels(), 3, 0.2, 7).validation())
            .isNotEqualTo(StratifiedSplit.of(labels(), 3, 0.2, 8).validation());
    }

    @Test
    void eachClassContributesInProportionToItsSize() {
        int[] labels = labels();
        StratifiedSplit split = StratifiedSplit.of(labels, 3, 0.2, 1);
        int[] perClass = new int[3];
        for (int i : split.validation()) {
            perClass[labels[i]]++;
        }
        assertThat(perClass).containsExactly(10, 6, 4);
        assertThat(split.training()).hasSize(80);
    }

    @Test
    void partsAreDisjointAscendingAndCoverEveryExample() {
        StratifiedSplit split = StratifiedSplit.of(labels(), 3, 0.37, 99);
        int[] all = IntStream.concat(Arrays.stream(split.training()), Arrays.stream(split.validation()))
            .sorted()
            .toArray();
        assertThat(all).isEqualTo(IntStream.range(0, 100).toArray());
        assertThat(split.training()).isSorted();
        assertThat(split.validation()).isSorted();
        assertThat(split.validation()).hasSize(37);
    }

    @Test
    void remaindersGoToTheLargestFractionsThenTheLowerClass() {
        // 4.5 of 9 rounds to 5; each class owes 1.5, so classes 0 and 1 get the two extra
        // examples.
        assertThat(StratifiedSplit.validationCounts(new int[] { 3, 3, 3 }, 9, 0.5)).containsExactly(2, 2, 1);
        // 7 * 0.3 = 2.1 and 3 * 0.3 = 0.9: round(3.0) = 3 total, the 0.9 remainder wins.
        assertThat(StratifiedSplit.validationCounts(new int[] { 7, 3 }, 10, 0.3)).containsExactly(2, 1);
    }

    @Test
    void theGeneratorIsSplitMix64() {
        // Reference outputs of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        long[] state = { 0 };
        assertThat(StratifiedSplit.nextLong(state)).isEqualTo(0xE220A8397B1DCDAFL);
        assertThat(StratifiedSplit.nextLong(state)).isEqualTo(0x6E789E6AA1B965F4L);
    }

    @Test
    void splitsADatasetIntoCopiesOfItsExamples() {
        float[] x = new float[10 * 2];
        int[] y = new int[10];
        for (int i = 0; i < 10; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i;
            y[i] = i % 2;
        }
        Dataset data = new Dataset(Tensor.wrap(x, 10, 2), y, 2);
        StratifiedSplit split = StratifiedSplit.of(data, 0.4, 3);
        Dataset validation = split.validationOf(data);
        assertThat(validation.size()).isEqualTo(4);
        for (int k = 0; k < 4; k++) {
            int i = split.validation()[k];
            assertThat(validation.features().get(k, 0)).isEqualTo(i);
            assertThat(validation.labels()[k]).isEqualTo(i % 2);
        }
        assertThat(split.trainingOf(data).size()).isEqualTo(6);
    }

    @Test
    void refusesFractionsThatLeaveASideEmpty() {
        assertThatThrownBy(() -> StratifiedSplit.of(labels(), 3, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StratifiedSplit.of(labels(), 3, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StratifiedSplit.of(new int[] { 0, 1 }, 2, 0.1, 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("no validation");
    }

}
