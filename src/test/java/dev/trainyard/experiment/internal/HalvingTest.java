package dev.trainyard.experiment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HalvingTest {

    @Test
    void rungsMultiplyTheEpochsByTheFactorUpToTheMaximum() {
        Halving halving = new Halving(1, 9, 3);
        assertThat(halving.epochs(0)).isEqualTo(1);
        assertThat(halving.epochs(1)).isEqualTo(3);
        assertThat(halving.epochs(2)).isEqualTo(9);
        assertThat(halving.lastRung()).isEqualTo(2);

        Halving capped = new Halving(2, 10, 3);
        assertThat(capped.epochs(1)).isEqualTo(6);
        assertThat(capped.epochs(2)).isEqualTo(10);
        assertThat(capped.epochs(5)).isEqualTo(10);
        assertThat(capped.lastRung()).isEqualTo(2);

        assertThat(new Halving(4, 4, 2).lastRung()).isZero();
    }

    @Test
    void theBestOneInFactorGoOnAndAlwaysAtLeastOne() {
        Halving halving = new Halving(1, 9, 3);
        assertThat(halving.survivors(9)).isEqualTo(3);
        assertThat(halving.survivors(10)).isEqualTo(3);
        assertThat(halving.survivors(2)).isEqualTo(1);
        assertThat(halving.survivors(1)).isEqualTo(1);
    }

}
