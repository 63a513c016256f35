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
    void atFractionalEpochsTheWarmupRisesLinearlyPerStep() {
        // 2 warm-up epochs of 4 steps each: (e + 1) / 3 of 0.3 at e = step / 4
        LearningRateSchedule s = LearningRateSchedule.constant(0.3).withWarmup(2);
        for (int step = 0; step < 8; step++) {
            assertThat(s.rate(step / 4.0)).as("step %d", step).isCloseTo(0.1 + 0.1 * step / 4, within(1e-15));
        }
        assertThat(s.rate(2.0)).isEqualTo(0.3);
        assertThat(s.rate(2.25)).isEqualTo(0.3);
    }

    @Test
    void atFractionalEpochsCosineIsSampledBetweenEpochsAndStepDecaysAtWholeMultiples() {
        LearningRateSchedule cosine = LearningRateSchedule.cosine(0.1, 3, 0.02);
        assertThat(cosine.rate(1.5)).isCloseTo(0.06, within(1e-15)); // half-way: the
                                                                     // midpoint
        assertThat(cosine.rate(0.75)).isCloseTo(0.02 + 0.08 * (1 + Math.cos(Math.PI / 4)) / 2, within(1e-15));
        assertThat(cosine.rate(3.0)).isCloseTo(0.02, within(1e-15));
        LearningRateSchedule step = LearningRateSchedule.step(0.1, 2, 0.5);
        assertThat(step.rate(1.75)).isEqualTo(0.1);
        assertThat(step.rate(2.0)).isEqualTo(0.05);
        assertThat(step.rate(3.5)).isEqualTo(0.05);
    }

    /**
     * Warm-up + cosine over 3 epochs of 4 steps, the rates of a per-step torch
     * {@code LambdaLR} with base rate 0.1 and
     * {@code lambda s: (s / 4 + 1) / 2 if s < 4 else (1 + cos(pi * (s - 4) / 8)) / 2},
     * computed by hand.
     */
    @Test
    void perStepWarmupAndCosineOverThreeEpochsOfFourSteps() {
        LearningRateSchedule s = LearningRateSchedule.cosine(0.1, 2, 0.0).withWarmup(1);
        double[] expected = { 0.05, 0.0625, 0.075, 0.0875, 0.1, 0.05 * (1 + Math.cos(Math.PI / 8)),
                0.05 * (1 + Math.sqrt(0.5)), 0.05 * (1 + Math.cos(3 * Math.PI / 8)), 0.05,
                0.05 * (1 - Math.cos(3 * Math.PI / 8)), 0.05 * (1 - Math.sqrt(0.5)),
                0.05 * (1 - Math.cos(Math.PI / 8)) };
        for (int step = 0; step < 12; step++) {
            assertThat(s.rate(step / 4.0)).as("step %d", step).isCloseTo(expected[step], within(1e-15));
        }
    }

    @Test
    void atWholeEpochsTheFractionalFormEqualsThePerEpochRates() {
        List<LearningRateSchedule> schedules = List.of(LearningRateSchedule.constant(0.1),
                LearningRateSchedule.step(0.1, 3, 0.3).withWarmup(2), LearningRateSchedule.cosine(0.1, 7, 0.01),
                LearningRateSchedule.cosine(0.07, 5, 0.0).withWarmup(3));
        for (LearningRateSchedule s : schedules) {
            for (int e = 0; e < 12; e++) {
                assertThat(s.rate((double) e)).as("%s epoch %d", s, e).isEqualTo(s.rate(e));
            }
        }
    }

    @Test
    void invalidParametersAreRejected() {
        assertThatThrownBy(() -> LearningRateSchedule.step(0.1, 0, 0.5)).hasMessageContaining("stepEpochs >= 1");
        assertThatThrownBy(() -> LearningRateSchedule.cosine(0.1, 10, 0.2)).hasMessageContaining("minRate");
        assertThatThrownBy(() -> LearningRateSchedule.constant(Double.NaN)).hasMessageContaining("finite");
    }

}
