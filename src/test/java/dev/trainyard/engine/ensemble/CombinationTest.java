package dev.trainyard.engine.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trainyard.engine.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class CombinationTest {

    // three members, one example, three classes
    static final List<Tensor> MEMBERS = List.of(Tensor.wrap(new float[] { 0.6f, 0.3f, 0.1f }, 1, 3),
            Tensor.wrap(new float[] { 0.1f, 0.5f, 0.4f }, 1, 3), Tensor.wrap(new float[] { 0.2f, 0.2f, 0.6f }, 1, 3));

    @Test
    void averagingTakesTheArgmaxOfTheMeanDistribution() {
        Combination.Result r = Combination.combine(Combination.Method.AVERAGE, MEMBERS, null);

        assertThat(r.probabilities().toArray()).containsExactly(new float[] { 0.3f, 1f / 3, 1.1f / 3 }, within(1e-6f));
        assertThat(r.labels()).containsExactly(2);
        assertThat(r.memberLabels()[0]).containsExactly(0, 1, 2);
        assertThat(r.agreement()[0]).isCloseTo(1.0 / 3, within(1e-12));
        double h = -(0.3 * Math.log(0.3) + (1.0 / 3) * Math.log(1.0 / 3) + (1.1 / 3) * Math.log(1.1 / 3));
        assertThat(r.entropy()[0]).isCloseTo(h, within(1e-6));
    }

    @Test
    void weightsShiftTheAverage() {
        Combination.Result r = Combination.combine(Combination.Method.AVERAGE, MEMBERS, new double[] { 3, 1, 1 });

        // (3 * 0.6 + 0.1 + 0.2) / 5 = 0.42 for class 0
        assertThat(r.probabilities().get(0, 0)).isCloseTo(0.42f, within(1e-6f));
        assertThat(r.labels()).containsExactly(0);
    }

    @Test
    void aVoteTieGoesToTheHigherAveragedProbability() {
        // one vote each: class 2 has the highest mean probability
        Combination.Result tie = Combination.combine(Combination.Method.VOTE, MEMBERS, null);
        // two votes for class 1 beat a higher averaged probability of class 2
        List<Tensor> majority = List.of(MEMBERS.get(1), MEMBERS.get(1), MEMBERS.get(2));
        Combination.Result vote = Combination.combine(Combination.Method.VOTE, majority, null);

        assertThat(tie.labels()).containsExactly(2);
        assertThat(vote.labels()).containsExactly(1);
        assertThat(vote.agreement()[0]).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void theMixtureStdCombinesEachMembersSpreadAndTheirDisagreement() {
        ClassProbabilities.Estimate a = new ClassProbabilities.Estimate(Tensor.wrap(new float[] { 0.2f }, 1, 1),
                Tensor.wrap(new float[] { 0.1f }, 1, 1));
        ClassProbabilities.Estimate b = new ClassProbabilities.Estimate(Tensor.wrap(new float[] { 0.6f }, 1, 1),
                Tensor.wrap(new float[] { 0f }, 1, 1));

        Tensor std = Combination.mixtureStd(List.of(a, b), null);

        // mean 0.4; variance 0.5 (0.01 + 0.04) + 0.5 (0 + 0.04) = 0.045
        assertThat(std.get(0, 0)).isCloseTo((float) Math.sqrt(0.045), within(1e-6f));
    }

}
