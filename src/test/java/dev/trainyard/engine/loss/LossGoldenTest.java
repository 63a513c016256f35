package dev.trainyard.engine.loss;

import static dev.trainyard.engine.TrainingGolden.assertClose;
import static dev.trainyard.engine.TrainingGolden.ints;
import static dev.trainyard.engine.TrainingGolden.list;
import static dev.trainyard.engine.TrainingGolden.map;
import static dev.trainyard.engine.TrainingGolden.number;
import static dev.trainyard.engine.TrainingGolden.tensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trainyard.engine.TrainingGolden;
import dev.trainyard.engine.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LossGoldenTest {

    private static final Map<String, Object> GOLDEN = TrainingGolden.load("loss.json");

    @Test
    void crossEntropyMatchesTorchWithAndWithoutLabelSmoothing() {
        for (Object c : list(GOLDEN.get("cross_entropy"))) {
            Map<String, Object> m = map(c);
            float eps = (float) number(m.get("label_smoothing"));
            Tensor logits = tensor(m.get("logits"));
            Tensor dLogits = Tensor.zeros(logits.shape());
            float loss = new SoftmaxCrossEntropy(eps).compute(logits, ints(m.get("labels")), 0, dLogits);
            double expected = number(m.get("loss"));
            assertThat((double) loss).as("loss, smoothing %s", eps)
                .isCloseTo(expected, within(1e-5 * Math.abs(expected) + 1e-6));
            assertClose(dLogits.toArray(), tensor(m.get("dlogits")).toArray(), 1e-5, 1e-7, "dlogits, smoothing " + eps);
        }
    }

    @Test
    void crossEntropyStaysFiniteForHugeLogits() {
        Tensor logits = Tensor.wrap(new float[] { 1000f, -1000f, 0f, -500f, 500f, 499f }, 2, 3);
        Tensor d = Tensor.zeros(2, 3);
        float loss = new SoftmaxCrossEntropy().compute(logits, new int[] { 0, 2 }, 0, d);
        // row 0 predicts its label with certainty; row 1 gives label 2 a log-probability
        // of about -1.3133
        assertThat(loss).isCloseTo(1.3132616f / 2, within(1e-5f));
        for (float v : d.toArray()) {
            assertThat(Float.isFinite(v)).isTrue();
        }
    }

    @Test
    void crossEntropyRejectsLabelsOutsideTheClasses() {
        Tensor logits = Tensor.zeros(1, 3);
        org.assertj.core.api.Assertions
            .assertThatThrownBy(() -> new SoftmaxCrossEntropy().compute(logits, new int[] { 3 }, 0, null))
            .hasMessageContaining("label 3 at index 0 outside [0, 3)");
    }

    @Test
    void meanSquaredErrorMatchesTorch() {
        Map<String, Object> m = map(GOLDEN.get("mse"));
        Tensor pred = tensor(m.get("predictions"));
        Tensor d = Tensor.zeros(pred.shape());
        float loss = new MeanSquaredError().compute(pred, tensor(m.get("targets")), d);
        assertThat((double) loss).isCloseTo(number(m.get("loss")), within(1e-5 * number(m.get("loss"))));
        assertClose(d.toArray(), tensor(m.get("dpredictions")).toArray(), 1e-5, 1e-7, "dpredictions");
    }

    @Test
    void meanSquaredErrorOnLabelsUsesOneHotTargets() {
        Tensor out = Tensor.wrap(new float[] { 1f, 0f, 0.5f, 0.5f }, 2, 2);
        Tensor d = Tensor.zeros(2, 2);
        float loss = new MeanSquaredError().compute(out, new int[] { 0, 1 }, 0, d);
        assertThat(loss).isEqualTo(0.125f); // (0 + 0 + 0.25 + 0.25) / 4
        assertThat(d.toArray()).containsExactly(0f, 0f, 0.25f, -0.25f);
    }

}
