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
    void invalidParametersAreRejected() {
        assertThatThrownBy(() -> LearningRateSchedule.step(0.1, 0, 0.5)).hasMessageContaining("stepEpochs >= 1");
        assertThatThrownBy(() -> LearningRateSchedule.cosine(0.1, 10, 0.2)).hasMessageContaining("minRate");
        assertThatThrownBy(() -> LearningRateSchedule.constant(Double.NaN)).hasMessageContaining("finite");
    }

}
