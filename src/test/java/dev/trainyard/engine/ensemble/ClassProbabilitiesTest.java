package dev.trainyard.engine.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trainyard.engine.init.HeNormal;
import dev.trainyard.engine.nn.LayerSpec;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassProbabilitiesTest {

    static Sequential model(float dropout) {
        Sequential m = Sequential.build(Shape.of(5), List.of(new LayerSpec.Dense(32), new LayerSpec.BatchNorm(),
                new LayerSpec.Relu(), new LayerSpec.Dropout(dropout), new LayerSpec.Dense(4)), new HeNormal(), 9);
        Rng rng = new Rng(2);
        m.state().forEach((name, t) -> {
            for (int i = 0; i < t.size(); i++) {
                t.data()[t.offset() + i] = name.endsWith("running_var") ? 2f : (float) rng.nextGaussian();
            }
        });
        return m;
    }

    static Tensor input(int n) {
        Rng rng = new Rng(3);
        float[] x = new float[n * 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return Tensor.wrap(x, n, 5);
    }

    @Test
    void monteCarloModeDropsUnitsButKeepsBatchNormInTestMode() {
        Sequential m = model(0.5f);
        float[] runningMean = m.state().get("1.running_mean").toArray();
        Tensor x = input(1);
        float[] eval = m.forward(x, false).toArray();

        float[] first = m.forwardMonteCarlo(x).toArray();
        float[] second = m.forwardMonteCarlo(x).toArray();

        assertThat(first).isNotEqualTo(eval);
        assertThat(second).isNotEqualTo(first);
        // batch norm used its running statistics (a batch of one has no batch statistics)
        // and left them alone
        assertThat(m.state().get("1.running_mean").toArray()).containsExactly(runningMean);
        assertThat(m.batchNormCounters()).containsValue(0L);
    }

    @Test
    void withoutDropoutMonteCarloEqualsTheDeterministicAnswerWithZeroSpread() {
        Sequential m = model(0f);
        Tensor x = input(3);

        ClassProbabilities.Estimate e = ClassProbabilities.monteCarlo(m, x, 8, 1);

        assertThat(e.mean().toArray()).containsExactly(ClassProbabilities.predict(m, x).toArray(), within(1e-6f));
        assertThat(e.std().toArray()).containsOnly(0f);
    }

    @Test
    void monteCarloIsReproducibleForASeedAndItsMeanApproachesTheExpectation() {
        Sequential m = model(0.3f);
        Tensor x = input(2);

        ClassProbabilities.Estimate a = ClassProbabilities.monteCarlo(m, x, 400, 5);
        ClassProbabilities.Estimate b = ClassProbabilities.monteCarlo(m, x, 400, 5);
        ClassProbabilities.Estimate c = ClassProbabilities.monteCarlo(m, x, 400, 6);

        assertThat(a.mean().toArray()).containsExactly(b.mean().toArray());
        assertThat(a.std().toArray()).containsExactly(b.std().toArray());
        float[] pa = a.mean().toArray();
        float[] pc = c.mean().toArray();
        for (int i = 0; i < pa.length; i++) {
            // two independent estimates of the same expectation: within a few standard
            // errors
            double se = a.std().toArray()[i] / Math.sqrt(400);
            assertThat((double) pa[i]).isCloseTo(pc[i], within(6 * se + 1e-6));
            assertThat(a.std().toArray()[i]).isPositive();
        }
    }

}
