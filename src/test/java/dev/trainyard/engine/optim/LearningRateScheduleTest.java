package dev.trainyard.engine.optim;

import static dev.trainyard.engine.TrainingGolden.list;
import static dev.trainyard.engine.TrainingGolden.map;
import static dev.trainyard.engine.TrainingGolden.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.trainyard.engine.TrainingGolden;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void ratesPerEpochMatchTorchSchedulers() {
        Map<String, Object> golden = TrainingGolden.load("schedules.json");
        List<Object> cases = list(golden.get("cases"));
        assertThat(cases).hasSize(5);
        for (Object c : cases) {
            Map<String, Object> m = map(c);
            double rate = number(m.get("rate"));
            LearningRateSchedule s = switch ((String) m.get("kind")) {
                case "constant" -> LearningRateSchedule.constant(rate);
                case "step" ->
                    LearningRateSchedule.step(rate, (int) number(m.get("step_epochs")), number(m.get("gamma")));
                case "cosine" ->
                    LearningRateSchedule.cosine(rate, (int) number(m.get("epochs")), number(m.get("min_rate")));
                default -> throw new IllegalArgumentException(m.get("kind").toString());
            };
            if (m.containsKey("warmup_epochs")) {
                s = s.withWarmup((int) number(m.get("warmup_epochs")));
            }
            List<Object> expected = list(m.get("lr"));
            for (int e = 0; e < expected.size(); e++) {
                assertThat(s.rate(e)).as("%s epoch %d", m, e).isCloseTo(number(expected.get(e)), within(1e-12));
            }
        }
    }

    @Test
    void warmupRisesLinearlyToTheMainScheduleStart() {
        LearningRateSchedule s = LearningRateSchedule.constant(0.4).withWarmup(3);
        assertThat(s.rate(0)).isCloseTo(0.1, within(1e-15));
        assertThat(s.rate(1)).isCloseTo(0.2, within(1e-15));
        assertThat(s.rate(2)).isCloseTo(0.3, within(1e-15));
        assertThat(s.rate(3)).isEqualTo(0.4);
    }

    @Test
    void perStepTheWarmupRisesByOneStepsShareUpToTheMainScheduleStart() {
        // 2 warm-up epochs of 4 steps each: (s + 1) / 8 of 0.4
        LearningRateSchedule s = LearningRateSchedule.constant(0.4).withWarmup(2);
        for (int step = 0; step < 8; step++) {
            assertThat(s.rate(step, 4)).as("step %d", step).isEqualTo(0.4 * ((step + 1) / 8.0));
        }
        assertThat(s.rate(8, 4)).isEqualTo(0.4);
        assertThat(s.rate(9, 4)).isEqualTo(0.4);
    }

    @Test
    void perStepCosineIsSampledBetweenEpochsAndStepDecaysAtWholeMultiples() {
        LearningRateSchedule cosine = LearningRateSchedule.cosine(0.1, 3, 0.02);
        assertThat(cosine.rate(6, 4)).isCloseTo(0.06, within(1e-15)); // half-way: the
                                                                      // midpoint
        assertThat(cosine.rate(3, 4)).isCloseTo(0.02 + 0.08 * (1 + Math.cos(Math.PI / 4)) / 2, within(1e-15));
        assertThat(cosine.rate(12, 4)).isCloseTo(0.02, within(1e-15));
        LearningRateSchedule step = LearningRateSchedule.step(0.1, 2, 0.5);
        assertThat(step.rate(7, 4)).isEqualTo(0.1);
        assertThat(step.rate(8, 4)).isEqualTo(0.05);
        assertThat(step.rate(14, 4)).isEqualTo(0.05);
    }

    /**
     * One warm-up epoch and cosine over the rest, per step, give the rates of the peer's
     * resnet recipe (src/test/bench/pytorch_peer.py, {@code optimizer_for}): torch's
     * {@code LambdaLR} with base rate {@code lr} and factor {@code (s + 1) / W} for
     * {@code s < W}, else {@code 0.5 * (1 + cos(pi * (s - W) / (T - W)))}; bit for bit,
     * for runs of several lengths, with and without a partial last batch.
     */
    @Test
    void perStepWarmupAndCosineGiveThePeersRatesBitForBit() {
        // (epochs, training examples) at batch size 128: 469 = 60000 / 128 rounded up
        int[][] runs = { { 2, 1280 }, { 3, 1300 }, { 5, 54000 }, { 10, 60000 }, { 2, 128 }, { 4, 1 } };
        for (int[] run : runs) {
            int epochs = run[0];
            int steps = (run[1] + 127) / 128;
            LearningRateSchedule s = LearningRateSchedule.cosine(0.1, epochs - 1, 0.0).withWarmup(1);
            long w = steps;
            long total = (long) epochs * steps;
            for (long step = 0; step < total; step++) {
                double factor = step < w ? (step + 1) / (double) w
                        : 0.5 * (1 + Math.cos(Math.PI * (step - w) / Math.max(1, total - w)));
                assertThat(s.rate(step, steps)).as("%d epochs of %d steps, step %d", epochs, steps, step)
                    .isEqualTo(0.1 * factor);
            }
        }
    }

    @Test
    void atWholeEpochsTheStepFormOfUnwarmedSchedulesEqualsThePerEpochRates() {
        List<LearningRateSchedule> schedules = List.of(LearningRateSchedule.constant(0.1),
                LearningRateSchedule.step(0.1, 3, 0.3), LearningRateSchedule.cosine(0.1, 7, 0.01),
                LearningRateSchedule.oneCycle(0.1, 12, 0.25, 25, 1e4));
        for (LearningRateSchedule s : schedules) {
            for (int e = 0; e < 12; e++) {
                assertThat(s.rate((long) e, 1)).as("%s epoch %d", s, e).isEqualTo(s.rate(e));
                assertThat(s.rate(e * 5L, 5)).as("%s epoch %d", s, e).isCloseTo(s.rate(e), within(1e-15));
            }
        }
    }

    @Test
    void oneCycleRisesLinearlyToTheMaximumThenAnnealsToItsFloor() {
        // 4 epochs of 10 steps, 25 % warm-up: up over steps 0..9, cosine over 10..40
        LearningRateSchedule s = LearningRateSchedule.oneCycle(1.0, 4, 0.25, 10, 100);
        assertThat(s.rate(0, 10)).isEqualTo(0.1);
        assertThat(s.rate(5, 10)).isCloseTo(0.55, within(1e-15));
        assertThat(s.rate(10, 10)).isEqualTo(1.0);
        assertThat(s.rate(25, 10)).isCloseTo((0.001 + 1.0) / 2, within(1e-15));
        assertThat(s.rate(40, 10)).isCloseTo(0.001, within(1e-15));
        for (int step = 11; step < 40; step++) {
            assertThat(s.rate(step, 10)).as("step %d", step).isLessThan(s.rate(step - 1, 10));
        }
    }

    @Test
    void invalidParametersAreRejected() {
        assertThatThrownBy(() -> LearningRateSchedule.step(0.1, 0, 0.5)).hasMessageContaining("stepEpochs >= 1");
        assertThatThrownBy(() -> LearningRateSchedule.cosine(0.1, 10, 0.2)).hasMessageContaining("minRate");
        assertThatThrownBy(() -> LearningRateSchedule.constant(Double.NaN)).hasMessageContaining("finite");
        assertThatThrownBy(() -> LearningRateSchedule.oneCycle(0.1, 3, 1.0, 25, 1e4))
            .hasMessageContaining("warmupFraction");
    }

}
