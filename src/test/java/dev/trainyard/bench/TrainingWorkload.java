package dev.trainyard.bench;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.data.Augmentation;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Locale;

/**
 * {@code mlp}, {@code cnn} and {@code resnet}: the peer's Fashion-MNIST training
 * workloads ({@code src/test/bench/pytorch_peer.py}), same architecture, initialization,
 * optimizer (mlp and cnn: SGD, momentum 0.9, lr 0.05; resnet: the recipe its header
 * spells out), batch 128, inputs standardized per pixel with training statistics. After
 * every epoch it times inference over the 10k test images in batches of 1000 (test mode)
 * and prints the peer's JSON line. {@code --profile true} also prints where a training
 * step's time goes (standard error).
 *
 * <p>
 * Initialization as the peer: mlp, He normal (fan_in, ReLU gain) on the dense weights,
 * zero biases; cnn, torch's default for every conv and linear layer (weights and biases
 * uniform in +-1/sqrt(fan_in), which is kaiming_uniform(a = sqrt(5))); resnet, He normal
 * convolutions and torch's default for the dense layer; torch's default is what
 * {@link #torchDefaultInit} reproduces in distribution (not in values: the generators
 * differ).
 */
final class TrainingWorkload implements Workload {

    static final int BATCH = 128;
    static final double LEARNING_RATE = 0.05;
    static final float MOMENTUM = 0.9f;
    static final double RECIPE_RATE = 0.1;
    static final float RECIPE_DECAY = 5e-4f;

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

    /**
     * The peer's resnet: a conv3x3(16)-BN-ReLU stem, three stages of two basic blocks
     * (16; 32 stride 2; 64 stride 2) and global average pooling before dense 10, as
     * {@code src/test/bench/specs/fashion-resnet.json} writes it.
     */
    static List<LayerSpec> resnet() {
        List<LayerSpec> layers = new ArrayList<>(List.of(conv(16, 1), new LayerSpec.BatchNorm(), new LayerSpec.Relu()));
        for (int width : new int[] { 16, 32, 64 }) {
            for (int stride : new int[] { width == 16 ? 1 : 2, 1 }) {
                layers.add(new LayerSpec.Residual(List.of(conv(width, stride), new LayerSpec.BatchNorm(),
                        new LayerSpec.Relu(), conv(width, 1), new LayerSpec.BatchNorm())));
                layers.add(new LayerSpec.Relu());
            }
        }
        layers.add(new LayerSpec.GlobalAvgPool());
        layers.add(new LayerSpec.Dense(10));
        return layers;
    }

    /** 3x3, padding 1 ("same"), no bias: a batch norm follows. */
    private static LayerSpec conv(int filters, int stride) {
        return new LayerSpec.Conv2d(filters, 3, stride, 1, false, null);
    }

    private static List<LayerSpec> layers(String workload) {
        return switch (workload) {
            case "mlp" -> mlp();
            case "cnn" -> cnn();
            case "resnet" -> resnet();
            default -> throw new IllegalArgumentException("no training workload " + workload);
        };
    }

    @Override
    public void run(BenchOptions options, PrintStream out) throws Exception {
        boolean convolutional = !name.equals("mlp");
        boolean recipe = name.equals("resnet");
        Shape example = convolutional ? Shape.of(1, 28, 28) : Shape.of(784);
        FashionMnist.Splits raw = FashionMnist.load(example);
        // per-pixel statistics of the training split only, applied to both splits
        PreprocessingStatistics stats = PreprocessingStatistics.fit(PreprocessingMethod.STANDARDIZE, false,
                raw.train());
        Dataset train = stats.apply(raw.train());
        Dataset test = stats.apply(raw.test());

        long seed = Long.parseLong(options.option("seed", "0"));
        Sequential model = Sequential.build(example, layers(name), new HeNormal(), seed);
        if (convolutional) {
            // resnet: He normal convolutions, torch's default for the dense layer
            torchDefaultInit(model, new Rng(seed ^ 0x5DEECE66DL), recipe ? Set.of("dense") : Set.of("conv2d", "dense"));
        }
        if (Boolean.parseBoolean(options.option("profile", "false"))) {
            // on a model of its own, so the timed run below is the same with or without
            // profiling
            Sequential probe = Sequential.build(example, layers(name), new HeNormal(), seed);
            StepProfile.run(probe, train, BATCH, Integer.parseInt(options.option("profile-steps", "150")), System.err);
        }
        Sgd sgd;
        TrainingConfig config;
        if (recipe) {
            // SGD lr 0.1, Nesterov, weight decay 5e-4 on weights only; one warm-up epoch,
            // then cosine per step; random crop (padding 2) and flip; label smoothing 0.1
            sgd = new Sgd(model.parameterData(), model.gradientData(), RECIPE_RATE, MOMENTUM, true, RECIPE_DECAY);
            for (Parameter p : model.parameters()) {
                if (p.shape().rank() <= 1) {
                    sgd.exemptFromWeightDecay(p.offset(), p.offset() + p.size());
                }
            }
            LearningRateSchedule main = options.epochs() > 1
                    ? LearningRateSchedule.cosine(RECIPE_RATE, options.epochs() - 1, 0)
                    : LearningRateSchedule.constant(RECIPE_RATE);
            config = TrainingConfig.of(options.epochs(), BATCH, seed, main.withWarmup(1))
                .withSchedulePerStep(true)
                .withAugmentation(List.of(new Augmentation.RandomCrop(2), new Augmentation.HorizontalFlip(0.5)));
        }
        else {
            sgd = new Sgd(model.parameterData(), model.gradientData(), LEARNING_RATE, MOMENTUM, false, 0f);
            config = TrainingConfig.of(options.epochs(), BATCH, seed, LearningRateSchedule.constant(LEARNING_RATE));
        }
        Trainer trainer = new Trainer(model, sgd, new SoftmaxCrossEntropy(recipe ? 0.1f : 0f), config, train, null);
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
    static void torchDefaultInit(Sequential model, Rng rng, Set<String> kinds) {
        for (Parameter p : model.parameters()) {
            String kind = model.layer(Integer.parseInt(p.name().substring(0, p.name().indexOf('.')))).kind();
            if (!kinds.contains(kind)) {
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
