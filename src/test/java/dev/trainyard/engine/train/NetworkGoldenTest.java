package dev.trainyard.engine.train;

import static dev.trainyard.engine.TrainingGolden.assertClose;
import static dev.trainyard.engine.TrainingGolden.floats;
import static dev.trainyard.engine.TrainingGolden.ints;
import static dev.trainyard.engine.TrainingGolden.map;
import static dev.trainyard.engine.TrainingGolden.number;
import static dev.trainyard.engine.TrainingGolden.tensor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.engine.TrainingGolden;
import dev.trainyard.engine.data.Dataset;
import dev.trainyard.engine.init.Zeros;
import dev.trainyard.engine.loss.SoftmaxCrossEntropy;
import dev.trainyard.engine.nn.LayerSpec;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.optim.LearningRateSchedule;
import dev.trainyard.engine.optim.Sgd;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A small MLP and CNN trained 10 full-batch SGD-momentum steps through the
 * {@link Trainer}, from PyTorch's initial weights on PyTorch's data: every step's loss,
 * the final weights and running statistics, and test-mode outputs must match torch's
 * within float32 tolerance.
 */
class NetworkGoldenTest {

    @Test
    void mlpWithBatchNormTrainsLikeTorch() {
        check("mlp.json", Shape.of(20), List.of(new LayerSpec.Dense(16), new LayerSpec.BatchNorm(),
                new LayerSpec.Relu(), new LayerSpec.Dense(3)));
    }

    @Test
    void cnnWithBatchNormAndMaxPoolTrainsLikeTorch() {
        check("cnn.json", Shape.of(2, 8, 8), List.of(new LayerSpec.Conv2d(4, 3, 1, 1, null), new LayerSpec.BatchNorm(),
                new LayerSpec.Relu(), new LayerSpec.MaxPool(2), new LayerSpec.Flatten(), new LayerSpec.Dense(3)));
    }

    private static void check(String file, Shape example, List<LayerSpec> specs) {
        Map<String, Object> g = TrainingGolden.load(file);
        Sequential model = Sequential.build(example, specs, new Zeros(), 1);
        Map<String, Object> initial = map(g.get("initial"));
        Map<String, Tensor> state = model.state();
        assertThat(initial.keySet()).containsExactlyInAnyOrderElementsOf(names(model));
        initial.forEach((name, value) -> {
            Tensor target = state.containsKey(name) ? state.get(name) : model.parameter(name).value();
            target.copyFrom(tensor(value));
        });
        Tensor inputs = tensor(g.get("inputs"));
        int[] labels = ints(g.get("labels"));
        Dataset data = new Dataset(inputs.reshape(example.withBatch(labels.length)), labels, 3);

        Sgd sgd = new Sgd(model.parameterData(), model.gradientData(), 0.1, 0.9f, false, 0f);
        TrainingConfig config = TrainingConfig.of(10, labels.length, 1, LearningRateSchedule.constant(0.1));
        List<Float> losses = new ArrayList<>();
        new Trainer(model, sgd, new SoftmaxCrossEntropy((float) number(g.get("label_smoothing"))), config, data, null)
            .addListener(new TrainingListener() {
                @Override
                public void batchFinished(BatchProgress p) {
                    losses.add(p.loss());
                }
            })
            .fit();

        float[] actualLosses = new float[losses.size()];
        for (int i = 0; i < actualLosses.length; i++) {
            actualLosses[i] = losses.get(i);
        }
        assertClose(actualLosses, floats(g.get("losses")), 1e-5, 1e-6, file + " loss per step");
        Map<String, Tensor> stateAfter = model.state();
        map(g.get("final")).forEach((name, value) -> {
            Tensor actual = stateAfter.containsKey(name) ? stateAfter.get(name) : model.parameter(name).value();
            assertClose(actual.toArray(), tensor(value).toArray(), 1e-4, 1e-5, file + " " + name + " after 10 steps");
        });
        Tensor logits = model.forward(data.features().slice(0, 4), false);
        assertClose(logits.toArray(), tensor(g.get("eval_logits_first4")).toArray(), 1e-4, 1e-5,
                file + " test-mode logits");
    }

    private static List<String> names(Sequential model) {
        List<String> n = new ArrayList<>(model.parameterNames());
        n.addAll(model.state().keySet());
        return n;
    }

}
