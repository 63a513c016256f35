package dev.trainyard.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.data.Augmentation;
import dev.trainyard.engine.data.Dataset;
import dev.trainyard.engine.init.HeNormal;
import dev.trainyard.engine.loss.SoftmaxCrossEntropy;
import dev.trainyard.engine.nn.LayerSpec;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.optim.LearningRateSchedule;
import dev.trainyard.engine.optim.Sgd;
import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TrainerTest {

    static final int FEATURES = 16;
    static final int CLASSES = 3;

    /** Gaussian blobs around one centre per class. */
    static Dataset blobs(int n, long seed, double spread) {
        Rng rng = new Rng(seed);
        float[] x = new float[n * FEATURES];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % CLASSES;
            for (int f = 0; f < FEATURES; f++) {
                double centre = (f % CLASSES == y[i]) ? 1.5 : 0;
                x[i * FEATURES + f] = (float) (centre + spread * rng.nextGaussian());
            }
        }
        return new Dataset(Tensor.wrap(x, n, FEATURES), y, CLASSES);
    }

    static Sequential mlp(int hidden, long seed) {
        return Sequential.build(Shape.of(FEATURES),
                List.of(new LayerSpec.Dense(hidden), new LayerSpec.Relu(), new LayerSpec.Dense(CLASSES)),
                new HeNormal(), seed);
    }

    /** Batch norm, dropout: state and randomness a checkpoint must carry. */
    static Sequential regularized(int hidden, long seed) {
        return Sequential.build(
                Shape.of(FEATURES), List.of(new LayerSpec.Dense(hidden), new LayerSpec.BatchNorm(),
                        new LayerSpec.Relu(), new LayerSpec.Dropout(0.3f), new LayerSpec.Dense(CLASSES)),
                new HeNormal(), seed);
    }

    /**
     * Convolution, batch norm, DropBlock with a rate ramp, pooling, on the features seen
     * as (1, 4, 4) images.
     */
    static Sequential convolutional(long seed) {
        return Sequential.build(Shape.of(1, 4, 4),
                List.of(new LayerSpec.Conv2d(6, 3, 1, 1, null), new LayerSpec.BatchNorm(), new LayerSpec.Relu(),
                        new LayerSpec.DropBlock(2, 0.2f, 2), new LayerSpec.MaxPool(2), new LayerSpec.Flatten(),
                        new LayerSpec.Dense(CLASSES)),
                new HeNormal(), seed);
    }

    /**
     * A small ResNet on (1, 4, 4) images: an identity block, then a projecting block
     * (stride 2, 4 to 8 channels) with a DropBlock ramp in its body.
     */
    static Sequential residualNetwork(long seed) {
        LayerSpec conv4 = new LayerSpec.Conv2d(4, 3, 1, 1, false, null);
        return Sequential.build(Shape.of(1, 4, 4),
                List.of(conv4, new LayerSpec.BatchNorm(), new LayerSpec.Relu(), new LayerSpec.Residual(List.of(conv4,
                        new LayerSpec.BatchNorm(), new LayerSpec.Relu(), conv4, new LayerSpec.BatchNorm())),
                        new LayerSpec.Relu(),
                        new LayerSpec.Residual(List.of(new LayerSpec.Conv2d(8, 3, 2, 1, false, null),
                                new LayerSpec.BatchNorm(), new LayerSpec.DropBlock(2, 0.2f, 2))),
                        new LayerSpec.Relu(), new LayerSpec.GlobalAvgPool(), new LayerSpec.Dense(CLASSES)),
                new HeNormal(), seed);
    }

    static Dataset images(Dataset d) {
        return new Dataset(d.features().reshape(d.size(), 1, 4, 4), d.labels(), d.classes());
    }

    static Trainer trainer(Sequential model, TrainingConfig config, Dataset train, Dataset val) {
        Sgd sgd = new Sgd(model.parameterData(), model.gradientData(), 0.05, 0.9f, false, 1e-4f);
        return new Trainer(model, sgd, new SoftmaxCrossEntropy(0.05f), config, train, val);
    }

    static final Dataset TRAIN = blobs(300, 1, 1.0);
    static final Dataset VAL = blobs(90, 2, 1.0);
    static final TrainingConfig CONFIG = new TrainingConfig(4, 32, 7,
            LearningRateSchedule.cosine(0.05, 4, 0.0).withWarmup(1), null, 0);

    @Test
    void resumingFromACheckpointInsideAnEpochGivesBitIdenticalWeights() {
        resumeInsideEpoch(TrainerTest::mlp, TRAIN, VAL);
    }

    @Test
    void resumingRestoresBatchNormStatisticsAndDropoutMasksBitForBit() {
        resumeInsideEpoch(TrainerTest::regularized, TRAIN, VAL);
    }

    @Test
    void resumingRestoresConvolutionAndDropBlockRampBitForBit() {
        resumeInsideEpoch((h, seed) -> convolutional(seed), images(TRAIN), images(VAL));
    }

    @Test
    void resumingAResidualNetworkRestoresEveryBranchBitForBit() {
        resumeInsideEpoch((h, seed) -> residualNetwork(seed), images(TRAIN), images(VAL));
    }

    /**
     * A stop asked for while an epoch ends (a worker's epoch-end writes take longer than
     * its batches, so a shutdown often lands there) is honoured before the next epoch
     * draws its shuffle: the checkpoint then resumes with the same order.
     */
    @Test
    void resumingFromAStopAtAnEpochBoundaryGivesBitIdenticalWeights() {
        resumeAfter(10, TrainerTest::regularized, TRAIN, VAL);
    }

    private static void resumeInsideEpoch(java.util.function.BiFunction<Integer, Long, Sequential> build, Dataset train,
            Dataset val) {
        // 300 examples / 32 = 10 batches per epoch: stop after 13 steps, i.e. inside
        // epoch 2
        resumeAfter(13, build, train, val);
    }

    /**
     * With the rate set per step, a run resumed inside an epoch sets the same rates from
     * its checkpointed position.
     */
    @Test
    void resumingInsideAnEpochWithTheSchedulePerStepGivesBitIdenticalWeights() {
        resumeAfter(13, TrainerTest::regularized, TRAIN, VAL, CONFIG.withSchedulePerStep(true));
    }

    /** The peer's resnet augmentation, with random erasing on top. */
    static final List<Augmentation> AUGMENTATION = List.of(new Augmentation.RandomCrop(1),
            new Augmentation.HorizontalFlip(0.5), new Augmentation.RandomErasing(0.5, 0.1, 0.3, 0.5, 0f));

    /**
     * With augmentation, a run resumed inside an epoch continues the same draws from its
     * checkpointed generator.
     */
    @Test
    void resumingInsideAnEpochWithAugmentationGivesBitIdenticalWeights() {
        resumeAfter(13, (h, seed) -> convolutional(seed), images(TRAIN), images(VAL),
                CONFIG.withAugmentation(AUGMENTATION));
    }

    @Test
    void augmentationTransformsCopiesOfTheTrainingExamplesOnly() {
        Dataset train = images(TRAIN);
        Dataset val = images(VAL);
        float[] trainBefore = train.features().toArray();
        float[] valBefore = val.features().toArray();
        Sequential plain = convolutional(3);
        TrainingResult plainRun = trainer(plain, CONFIG, train, val).fit();
        Sequential augmented = convolutional(3);
        TrainingResult augmentedRun = trainer(augmented, CONFIG.withAugmentation(AUGMENTATION), train, val).fit();
        assertThat(augmented.parameterData()).isNotEqualTo(plain.parameterData());
        assertThat(augmentedRun.history().getFirst().trainLoss())
            .isNotEqualTo(plainRun.history().getFirst().trainLoss());
        assertThat(train.features().toArray()).isEqualTo(trainBefore);
        assertThat(val.features().toArray()).isEqualTo(valBefore);

        // steps that draw but change nothing give the plain run's weights: the validation
        // data, probe and order are those of the plain run
        Sequential identity = convolutional(3);
        trainer(identity,
                CONFIG.withAugmentation(List.of(new Augmentation.RandomCrop(0), new Augmentation.HorizontalFlip(0.0))),
                train, val)
            .fit();
        assertThat(identity.parameterData()).isEqualTo(plain.parameterData());
    }

    @Test
    void resumingInsideAnEpochWithAnAverageOfTheWeightsGivesBitIdenticalWeights() {
        resumeAfter(13, TrainerTest::regularized, TRAIN, VAL, CONFIG.withEma(0.9));
    }

    @Test
    void anAverageWithDecayZeroIsTheLiveWeights() {
        Sequential live = regularized(12, 3);
        TrainingResult plain = trainer(live, CONFIG, TRAIN, VAL).fit();
        Sequential averaged = regularized(12, 3);
        TrainingResult ema = trainer(averaged, CONFIG.withEma(0.0), TRAIN, VAL).fit();
        assertThat(averaged.parameterData()).isEqualTo(live.parameterData());
        assertThat(ema.history()).extracting(EpochMetrics::validationLoss)
            .isEqualTo(plain.history().stream().map(EpochMetrics::validationLoss).toList());
    }

    @Test
    void theModelEndsWithTheAveragedWeightsWhichTheLastValidationScored() {
        Sequential m = regularized(12, 3);
        Trainer t = trainer(m, CONFIG.withEma(0.8), TRAIN, VAL);
        float[] expected = m.parameterData().clone();
        float d = 0.8f;
        float c = 1 - d;
        t.addListener(new TrainingListener() {
            @Override
            public void batchFinished(BatchProgress p) {
                float[] live = m.parameterData();
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = d * expected[i] + c * live[i];
                }
            }
        });
        TrainingResult r = t.fit();
        assertThat(m.parameterData()).isEqualTo(expected);
        Evaluator.Evaluation e = Evaluator.evaluate(m, t.loss, VAL, TrainingConfig.EVALUATION_BATCH);
        assertThat(r.history().getLast().validationLoss()).isEqualTo(e.loss());
    }

    @Test
    void augmentationOfFlatExamplesIsRefused() {
        assertThatThrownBy(() -> trainer(mlp(4, 1), CONFIG.withAugmentation(AUGMENTATION), TRAIN, null))
            .hasMessageContaining("(C, H, W)");
    }

    private static void resumeAfter(int stopAtCheck, java.util.function.BiFunction<Integer, Long, Sequential> build,
            Dataset train, Dataset val) {
        resumeAfter(stopAtCheck, build, train, val, CONFIG);
    }

    private static void resumeAfter(int stopAtCheck, java.util.function.BiFunction<Integer, Long, Sequential> build,
            Dataset train, Dataset val, TrainingConfig base) {
        TrainingConfig config = base
            .withEarlyStopping(new EarlyStopping(EarlyStopping.Monitor.VALIDATION_ACCURACY, 10));
        Sequential a = build.apply(16, 3L);
        TrainingResult full = trainer(a, config, train, val).fit();
        assertThat(full.status()).isEqualTo(TrainingResult.Status.COMPLETED);

        Sequential b = build.apply(16, 3L);
        Trainer first = trainer(b, config, train, val);
        AtomicInteger checks = new AtomicInteger();
        TrainingResult cancelled = first.fit(() -> checks.getAndIncrement() == stopAtCheck);
        assertThat(cancelled.status()).isEqualTo(TrainingResult.Status.CANCELLED);
        byte[] checkpoint = first.checkpoint();

        Sequential c = build.apply(16, 99L); // other initial weights and mask stream: all
                                             // must come from the checkpoint
        Trainer resumed = trainer(c, config, train, val);
        resumed.restore(checkpoint);
        TrainingResult rest = resumed.fit();

        assertThat(rest.status()).isEqualTo(TrainingResult.Status.COMPLETED);
        assertThat(c.parameterData()).isEqualTo(a.parameterData());
        a.state()
            .forEach((name, value) -> assertThat(c.state().get(name).toArray()).as(name).isEqualTo(value.toArray()));
        assertThat(c.rng().state()).isEqualTo(a.rng().state());
        // exported as PyTorch's num_batches_tracked: a resumed run counts every batch too
        assertThat(c.batchNormCounters()).isEqualTo(a.batchNormCounters());
        assertThat(rest.bestEpoch()).isEqualTo(full.bestEpoch());
        assertThat(rest.history()).hasSize(4);
        for (int e = 0; e < 4; e++) {
            assertThat(rest.history().get(e).trainLoss()).isEqualTo(full.history().get(e).trainLoss());
            assertThat(rest.history().get(e).validationLoss()).isEqualTo(full.history().get(e).validationLoss());
            assertThat(rest.history().get(e).learningRate()).isEqualTo(full.history().get(e).learningRate());
        }
    }

    @Test
    void checkpointWrittenAtEpochEndResumesAtTheNextEpoch() {
        Sequential a = mlp(16, 3);
        trainer(a, CONFIG, TRAIN, VAL).fit();

        Sequential b = mlp(16, 3);
        Trainer t = trainer(b, CONFIG, TRAIN, VAL);
        List<byte[]> perEpoch = new ArrayList<>();
        t.addListener(new TrainingListener() {
            @Override
            public void epochFinished(EpochMetrics metrics, EpochDiagnostics diagnostics) {
                perEpoch.add(t.checkpoint());
            }
        });
        t.fit();
        assertThat(perEpoch).hasSize(4);

        Sequential c = mlp(16, 5);
        Trainer resumed = trainer(c, CONFIG, TRAIN, VAL);
        resumed.restore(perEpoch.get(1)); // after epoch 2
        assertThat(resumed.history()).hasSize(2);
        resumed.fit();
        assertThat(c.parameterData()).isEqualTo(a.parameterData());
    }

    @Test
    void sameSeedGivesBitIdenticalWeightsWithOneTwoAndEightThreads() {
        Dataset train = blobs(500, 11, 1.0);
        sameForAnyThreadCount(() -> regularized(150, 21), train);
        sameForAnyThreadCount(() -> convolutional(21), images(train));
    }

    @Test
    void augmentedTrainingGivesBitIdenticalWeightsWithOneTwoAndEightThreads() {
        sameForAnyThreadCount(() -> convolutional(21), images(blobs(500, 11, 1.0)),
                TrainingConfig.of(2, 200, 3, LearningRateSchedule.constant(0.05)).withAugmentation(AUGMENTATION));
    }

    private static void sameForAnyThreadCount(java.util.function.Supplier<Sequential> build, Dataset train) {
        sameForAnyThreadCount(build, train, TrainingConfig.of(2, 200, 3, LearningRateSchedule.constant(0.05)));
    }

    private static void sameForAnyThreadCount(java.util.function.Supplier<Sequential> build, Dataset train,
            TrainingConfig config) {
        float[] reference = null;
        for (int threads : new int[] { 1, 2, 8 }) {
            Sequential m = build.get();
            try (ComputePool pool = ComputePool.create(threads)) {
                ComputePool.runWith(pool, () -> trainer(m, config, train, null).fit());
            }
            if (reference == null) {
                reference = m.parameterData().clone();
            }
            else {
                assertThat(m.parameterData()).as("%d threads", threads).isEqualTo(reference);
            }
        }
    }

    @Test
    void listenersSeeEveryBatchAndEpochWithTheScheduledRate() {
        Sequential m = mlp(8, 1);
        TrainingConfig config = TrainingConfig.of(3, 64, 1, LearningRateSchedule.step(0.1, 1, 0.5));
        List<BatchProgress> batches = new ArrayList<>();
        List<EpochMetrics> epochs = new ArrayList<>();
        TrainingResult r = trainer(m, config, TRAIN, null).addListener(new TrainingListener() {
            @Override
            public void batchFinished(BatchProgress p) {
                batches.add(p);
            }

            @Override
            public void epochFinished(EpochMetrics metrics, EpochDiagnostics d) {
                epochs.add(metrics);
                assertThat(d).isNull();
            }
        }).fit();
        // 300 examples in batches of 64: 4 full batches and one of 44
        assertThat(batches).hasSize(15);
        assertThat(batches.get(4)).extracting(BatchProgress::epoch, BatchProgress::batch, BatchProgress::batches)
            .containsExactly(1, 5, 5);
        assertThat(epochs).extracting(EpochMetrics::learningRate).containsExactly(0.1, 0.05, 0.025);
        assertThat(epochs).extracting(EpochMetrics::validationLoss).containsOnlyNulls();
        assertThat(r.history()).isEqualTo(epochs);
        assertThat(epochs.getLast().trainAccuracy()).isGreaterThan(0.8); // chance is 1/3
        assertThat(epochs.getLast().samplesPerSecond()).isPositive();
    }

    @Test
    void aSchedulePerStepChangesTheRateBeforeEveryStep() {
        // 300 examples in batches of 64: 5 steps per epoch, the last one partial
        TrainingConfig config = TrainingConfig.of(2, 64, 1, LearningRateSchedule.cosine(0.1, 1, 0.0).withWarmup(1))
            .withSchedulePerStep(true);
        List<Double> rates = new ArrayList<>();
        Trainer t = trainer(mlp(8, 1), config, TRAIN, null);
        t.addListener(new TrainingListener() {
            @Override
            public void batchFinished(BatchProgress p) {
                rates.add(t.optimizer.learningRate());
            }
        });
        TrainingResult r = t.fit();
        assertThat(rates).hasSize(10);
        // the peer's recipe: warm-up (s + 1) / 5 of 0.1 at steps s = 0..4, then cosine
        // over the last epoch's 5 steps
        for (int step = 0; step < 10; step++) {
            double factor = step < 5 ? (step + 1) / 5.0 : 0.5 * (1 + Math.cos(Math.PI * (step - 5) / 5));
            assertThat(rates.get(step)).as("step %d", step).isEqualTo(0.1 * factor);
        }
        assertThat(r.history()).extracting(EpochMetrics::learningRate).containsExactly(rates.get(4), rates.get(9));
    }

    @Test
    void cancellationStopsBetweenBatches() {
        Trainer t = trainer(mlp(8, 1), CONFIG, TRAIN, VAL);
        AtomicInteger seen = new AtomicInteger();
        t.addListener(new TrainingListener() {
            @Override
            public void batchFinished(BatchProgress p) {
                seen.incrementAndGet();
            }
        });
        AtomicInteger asked = new AtomicInteger();
        TrainingResult r = t.fit(() -> asked.incrementAndGet() > 3);
        assertThat(r.status()).isEqualTo(TrainingResult.Status.CANCELLED);
        assertThat(seen.get()).isEqualTo(3);
        assertThat(r.history()).isEmpty();
    }

    @Test
    void lossThatBecomesNonFiniteStopsWithEpochAndBatch() {
        Sequential m = mlp(16, 3);
        Sgd sgd = new Sgd(m.parameterData(), m.gradientData(), 1e30);
        Trainer t = new Trainer(m, sgd, new SoftmaxCrossEntropy(),
                TrainingConfig.of(3, 32, 1, LearningRateSchedule.constant(1e30)), TRAIN, null);
        assertThatThrownBy(t::fit).isInstanceOf(TrainingDivergedException.class)
            .hasMessageMatching("loss became (NaN|infinite) at epoch 1, batch \\d+; try a lower learning rate");
    }

    @Test
    void earlyStoppingRestoresTheBestEpochsWeights() {
        // few examples with noisy labels and a large network: validation loss soon rises
        Dataset train = blobs(60, 5, 3.0);
        Dataset val = blobs(60, 6, 3.0);
        Sequential m = mlp(200, 8);
        TrainingConfig config = new TrainingConfig(60, 8, 1, LearningRateSchedule.constant(0.1),
                new EarlyStopping(EarlyStopping.Monitor.VALIDATION_LOSS, 3), 0);
        TrainingResult r = trainer(m, config, train, val).fit();
        assertThat(r.status()).isEqualTo(TrainingResult.Status.STOPPED_EARLY);
        assertThat(r.history()).hasSize(r.bestEpoch() + 3);
        double bestVal = r.history().get(r.bestEpoch() - 1).validationLoss();
        for (EpochMetrics e : r.history()) {
            assertThat(e.validationLoss()).isGreaterThanOrEqualTo(bestVal);
        }
        double now = Evaluator.evaluate(m, new SoftmaxCrossEntropy(0.05f), val, 1000).loss();
        assertThat(now).isEqualTo(bestVal);
    }

    @Test
    void earlyStoppingWithoutValidationIsRejected() {
        TrainingConfig config = CONFIG
            .withEarlyStopping(new EarlyStopping(EarlyStopping.Monitor.VALIDATION_ACCURACY, 2));
        assertThatThrownBy(() -> trainer(mlp(4, 1), config, TRAIN, null))
            .hasMessage("early stopping needs a validation set");
    }

    @Test
    void checkpointOfAnotherRunIsRejected() {
        Trainer t = trainer(mlp(8, 1), CONFIG, TRAIN, VAL);
        byte[] cp = t.checkpoint();
        TrainingConfig other = new TrainingConfig(4, 16, 7, CONFIG.schedule(), null, 0);
        assertThatThrownBy(() -> trainer(mlp(8, 1), other, TRAIN, VAL).restore(cp))
            .hasMessage("checkpoint was written with batch size 32, this run has 16");
        assertThatThrownBy(() -> trainer(mlp(9, 1), CONFIG, TRAIN, VAL).restore(cp))
            .hasMessageContaining("checkpoint tensor model.0.weight has shape (8, 16), the model expects (9, 16)");
    }

    @Test
    void diagnosticsDoNotChangeTheRun() {
        Sequential plain = mlp(16, 3);
        trainer(plain, CONFIG, TRAIN, VAL).fit();
        Sequential probed = mlp(16, 3);
        List<EpochDiagnostics> seen = new ArrayList<>();
        trainer(probed, CONFIG.withDiagnostics(64), TRAIN, VAL).addListener(new TrainingListener() {
            @Override
            public void epochFinished(EpochMetrics metrics, EpochDiagnostics d) {
                seen.add(d);
            }
        }).fit();
        assertThat(probed.parameterData()).isEqualTo(plain.parameterData());
        assertThat(seen).hasSize(4);
        EpochDiagnostics d = seen.getLast();
        assertThat(d.activations()).extracting(EpochDiagnostics.ActivationStats::kind)
            .containsExactly("dense", "relu", "dense");
        assertThat(d.activations().get(1).deadFraction()).isBetween(0.0, 1.0);
        assertThat(d.activations().get(0).deadFraction()).isNull();
        assertThat(d.parameters()).extracting(EpochDiagnostics.ParameterStats::name)
            .containsExactly("0.weight", "0.bias", "2.weight", "2.bias");
        assertThat(d.parameters().getFirst().gradientNorm()).isPositive();
        assertThat(d.parameters().getFirst().updateRatio()).isBetween(1e-7, 1.0);
    }

}
