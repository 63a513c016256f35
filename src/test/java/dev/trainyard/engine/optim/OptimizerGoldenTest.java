package dev.trainyard.engine.optim;

import static dev.trainyard.engine.TrainingGolden.assertClose;
import static dev.trainyard.engine.TrainingGolden.list;
import static dev.trainyard.engine.TrainingGolden.map;
import static dev.trainyard.engine.TrainingGolden.number;
import static dev.trainyard.engine.TrainingGolden.tensor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.engine.TrainingGolden;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptimizerGoldenTest {

    private static final Map<String, Object> GOLDEN = TrainingGolden.load("optimizers.json");

    @Test
    void everyOptimizerFollowsTorchOverThreeSteps() {
        List<Object> cases = list(GOLDEN.get("cases"));
        assertThat(cases).hasSize(7);
        for (Object c : cases) {
            Map<String, Object> m = map(c);
            Map<String, Object> cfg = map(m.get("config"));
            float[] params = tensor(m.get("params")).toArray();
            float[] grads = new float[params.length];
            Optimizer opt = create((String) m.get("optimizer"), cfg, params, grads);
            stepsFollowTorch(m, opt, params, grads);
            assertThat(opt.steps()).isEqualTo(3);
        }
    }

    @Test
    void weightDecayOnMatricesOnlyFollowsTorchsTwoParameterGroupsOverFourSteps() {
        Map<String, Object> golden = TrainingGolden.load("optimizer_groups.json");
        List<Object> cases = list(golden.get("cases"));
        assertThat(cases).hasSize(4);
        for (Object c : cases) {
            Map<String, Object> m = map(c);
            Map<String, Object> cfg = map(m.get("config"));
            float[] params = tensor(m.get("params")).toArray();
            float[] grads = new float[params.length];
            Optimizer opt = create((String) m.get("optimizer"), cfg, params, grads);
            // the rank-1 tensors (a bias, a batch norm's weight and bias) get no decay
            int offset = 0;
            for (Object shape : list(m.get("shapes"))) {
                int size = list(shape).stream().mapToInt(d -> (int) number(d)).reduce(1, (a, b) -> a * b);
                if (list(shape).size() <= 1) {
                    opt.exemptFromWeightDecay(offset, offset + size);
                }
                offset += size;
            }
            stepsFollowTorch(m, opt, params, grads);
        }
    }

    /** Steps with the case's gradients, comparing the parameters after each step. */
    private static void stepsFollowTorch(Map<String, Object> m, Optimizer opt, float[] params, float[] grads) {
        List<Object> gs = list(m.get("grads"));
        List<Object> after = list(m.get("after_step"));
        for (int s = 0; s < gs.size(); s++) {
            System.arraycopy(tensor(gs.get(s)).toArray(), 0, grads, 0, grads.length);
            opt.step();
            assertClose(params, tensor(after.get(s)).toArray(), 2e-6, 1e-7,
                    m.get("optimizer") + " " + m.get("config") + " step " + (s + 1));
        }
    }

    static Optimizer create(String kind, Map<String, Object> cfg, float[] params, float[] grads) {
        double lr = number(cfg.get("lr"));
        float wd = cfg.containsKey("weight_decay") ? (float) number(cfg.get("weight_decay")) : 0f;
        return switch (kind) {
            case "sgd" ->
                new Sgd(params, grads, lr, cfg.containsKey("momentum") ? (float) number(cfg.get("momentum")) : 0f,
                        Boolean.TRUE.equals(cfg.get("nesterov")), wd, Boolean.TRUE.equals(cfg.get("decoupled")));
            case "adam", "adamw" -> {
                List<Object> betas = cfg.containsKey("betas") ? list(cfg.get("betas")) : List.of(0.9, 0.999);
                float eps = cfg.containsKey("eps") ? (float) number(cfg.get("eps")) : 1e-8f;
                yield kind.equals("adam")
                        ? new Adam(params, grads, lr, number(betas.get(0)), number(betas.get(1)), eps, wd)
                        : new AdamW(params, grads, lr, number(betas.get(0)), number(betas.get(1)), eps, wd);
            }
            default -> throw new IllegalArgumentException(kind);
        };
    }

}
