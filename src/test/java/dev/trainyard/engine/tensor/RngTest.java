package dev.trainyard.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RngTest {

    @Test
    void restoringTheStateReplaysTheSameStreamIncludingTheGaussianSpare() {
        Rng rng = new Rng(7);
        rng.nextGaussian(); // leaves a spare in the state
        long[] saved = rng.state();
        double[] first = { rng.nextGaussian(), rng.nextFloat(), rng.nextGaussian(), rng.nextLong() };
        rng.setState(saved);
        double[] again = { rng.nextGaussian(), rng.nextFloat(), rng.nextGaussian(), rng.nextLong() };
        assertThat(again).containsExactly(first);
    }

    @Test
    void sameSeedSameStreamAndStreamsDiffer() {
        assertThat(new Rng(1).nextLong()).isEqualTo(new Rng(1).nextLong());
        assertThat(Rng.forStream(1, 0).nextLong()).isNotEqualTo(Rng.forStream(1, 1).nextLong());
    }

    @Test
    void uniformAndGaussianHaveTheirMoments() {
        Rng rng = new Rng(3);
        int n = 200_000;
        double su = 0;
        double sg = 0;
        double sg2 = 0;
        for (int i = 0; i < n; i++) {
            float u = rng.nextFloat();
            assertThat(u).isGreaterThanOrEqualTo(0f).isLessThan(1f);
            su += u;
            double g = rng.nextGaussian();
            sg += g;
            sg2 += g * g;
        }
        assertThat(su / n).isCloseTo(0.5, within(0.005));
        assertThat(sg / n).isCloseTo(0.0, within(0.01));
        assertThat(sg2 / n).isCloseTo(1.0, within(0.01));
    }

}
