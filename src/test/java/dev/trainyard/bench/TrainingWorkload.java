package dev.trainyard.bench;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.data.Dataset;
import dev.trainyard.engine.data.PreprocessingMethod;
import dev.trainyard.engine.data.PreprocessingStatistics;
import dev.trainyard.engine.init.HeNormal;
import dev.trainyard.engine.loss.SoftmaxCrossEntropy;
import dev.trainyard.engine.nn.LayerSpec;
import dev.trainyard.engine.nn.Parameter;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.optim.LearningRateSchedule;
import dev.trainyard.engine.optim.Sgd;
import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import dev.trainyard.engine.train.EpochDiagnostics;
import dev.trainyard.engine.train.EpochMetrics;
import dev.trainyard.engine.train.Evaluator;
import dev.trainyard.engine.train.Trainer;
import dev.trainyard.engine.train.TrainingConfig;
import dev.trainyard.engine.train.TrainingListener;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * {@code mlp} and {@code cnn}: the peer's Fashion-MNIST training workloads
 * ({@code src/test/bench/pytorch_peer.py}), same architecture, initialization, optimizer
 * (SGD, momentum 0.9, lr 0.05), batch 128, inputs standardized per pixel with training
 * statistics. After every epoch it times inference over the 10k test images in batches of
 * 1000 (test mode) and prints the peer's JSON line. {@code --profile true} also prints
 * where a training step's time goes (standard error).
 *
 * <p>
 * Initialization as the peer: mlp, He normal (fan_in, ReLU gain) on the dense weights,
 * zero biases; cnn, torch's default for every conv and linear layer (weights and biases
 * uniform in +-1/sqrt(fan_in), which is kaiming_uniform(a = sqrt(5))), which
 * {@link #torchDefaultInit} reproduces in distribution (not in values: the generators
 * differ).
 */
final class TrainingWorkload implements Workload {

    static final int BATCH = 128;
    static final double LEARNING_RATE = 0.05;
    static final float MOMENTUM = 0.9f;

    private final String name;

    TrainingWorkload(String name) {
        this.name = name;
    }

    static List<LayerSpec> mlp() {
        return List.of(new LayerSpec.Dense(512), new LayerSpec.BatchNorm(), new LayerSpec.Relu(),
                new LayerSpec.Dropout(0.5f), new LayerSpec.Dense(256), new LayerSpec.BatchNorm(), new LayerSpec.Relu(),
                new LayerSpec.Dropout(0.5f), new LayerSpec.Dense(10));
    }

    static List<LayerSpec> cnn() {
        return List.of(new LayerSpec.Conv2d(32, 3, 1, 1, null), new LayerSpec.BatchNorm(), new LayerSpec.Relu(),
                new LayerSpec.MaxPool(2), new LayerSpec.Conv2d(64, 3, 1, 1, null), new LayerSpec.BatchNorm(),
                new LayerSpec.Relu(), new LayerSpec.MaxPool(2), new LayerSpec.Flatten(), new LayerSpec.Dense(128),
                new LayerSpec.Relu(), new LayerSpec.Dropout(0.5f), new LayerSpec.Dense(10));
    }

    @Override
    public void run(BenchOptions options, PrintStream out) throws Exception {
        boolean convolutional = name.equals("cnn");
        Shape example = convolutional ? Shape.of(1, 28, 28) : Shape.of(784);
        FashionMnist.Splits raw = FashionMnist.load(example);
        // per-pixel statistics of the training split only, applied to both splits
        PreprocessingStatistics stats = PreprocessingStatistics.fit(PreprocessingMethod.STANDARDIZE, false,
                raw.train());
        Dataset train = stats.apply(raw.train());
        Dataset test = stats.apply(raw.test());

        long seed = Long.parseLong(options.option("seed", "0"));
        Sequential model = Sequential.build(example, convolutional ? cnn() : mlp(), new HeNormal(), seed);
        if (convolutional) {
            torchDefaultInit(model, new Rng(seed ^ 0x5DEECE66DL));
        }
        if (Boolean.parseBoolean(options.option("profile", "false"))) {
            // on a model of its own, so the timed run below is the same with or without
            // profiling
            Sequential probe = Sequential.build(example, convolutional ? cnn() : mlp(), new HeNormal(), seed);
            StepProfile.run(probe, train, BATCH, Integer.parseInt(options.option("profile-steps", "150")), System.err);
        }
        Sgd sgd = new Sgd(model.parameterData(), model.gradientData(), LEARNING_RATE, MOMENTUM, false, 0f);
        TrainingConfig config = TrainingConfig.of(options.epochs(), BATCH, seed,
                LearningRateSchedule.constant(LEARNING_RATE));
        Trainer trainer = new Trainer(model, sgd, new SoftmaxCrossEntropy(), config, train, null);
        int threads = ComputePool.current().threads();
        trainer.addListener(new TrainingListener() {
            @Override
            public void epochFinished(EpochMetrics m, EpochDiagnostics d) {
                long t0 = System.nanoTime();
                Tensor logits = Evaluator.predict(model, test.features(), TrainingConfig.EVALUATION_BATCH);
                double inferSeconds = (System.nanoTime() - t0) / 1e9;
                int[] predicted = Evaluator.argmax(logits);
                int correct = 0;
                for (int i = 0; i < predicted.length; i++) {
                    correct += predicted[i] == test.labels()[i] ? 1 : 0;
                }
                out.println(String.format(Locale.ROOT,
                        "{\"workload\": \"%s\", \"epoch\": %d, \"train_seconds\": %.3f, \"train_samples_per_s\": %.1f, "
                                + "\"infer_samples_per_s\": %.1f, \"test_accuracy\": %.4f, \"threads\": %d, \"train_loss\": %.4f, "
                                + "\"weights_hash\": \"%08x\"}",
                        name, m.epoch(), m.trainSeconds(), m.samplesPerSecond(), test.size() / inferSeconds,
                        (double) correct / test.size(), threads, m.trainLoss(),
                        java.util.Arrays.hashCode(model.parameterData())));
                out.flush();
            }
        });
        trainer.fit();
    }

    /**
     * torch's default Conv2d / Linear initialization: weight and bias uniform in
     * +-1/sqrt(fan_in).
     */
    static void torchDefaultInit(Sequential model, Rng rng) {
        for (Parameter p : model.parameters()) {
            String kind = model.layer(Integer.parseInt(p.name().substring(0, p.name().indexOf('.')))).kind();
            if (!kind.equals("conv2d") && !kind.equals("dense")) {
                continue;
            }
            Shape w = model.parameter(p.name().substring(0, p.name().indexOf('.')) + ".weight").shape();
            double bound = 1 / Math.sqrt(w.sizeFrom(1));
            Tensor v = p.value();
            for (int i = 0; i < v.size(); i++) {
                v.data()[v.offset() + i] = (float) ((2 * rng.nextDouble() - 1) * bound);
            }
        }
    }

}
