package dev.trainyard.engine.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.engine.io.Json;
import dev.trainyard.engine.io.SafeTensors;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.optim.LearningRateSchedule;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CheckpointTest {

    /**
     * Trainer fields whose objects hand their state to the checkpoint under these names.
     */
    static final Map<String, List<String>> EXPORTED = Map.of("model",
            List.of("parameters", "modelState", "batchNormCounters", "modelRng"), "optimizer", List.of("optimizer"),
            "shuffleRng", List.of("shuffleRng"), "ema", List.of("emaParameters"));

    /** Trainer fields that no checkpoint needs, and why. */
    static final Map<String, String> NOT_CHECKPOINTED = Map.ofEntries(
            Map.entry("loss", "a function of outputs and labels, configured by the caller"),
            Map.entry("config", "settings given anew; batch size and seed are checked against the checkpoint"),
            Map.entry("train", "data given anew; its size is checked against the checkpoint"),
            Map.entry("validation", "data given anew"),
            Map.entry("listeners", "who hears of progress, added by the caller"),
            Map.entry("probe", "a view of the first training examples, for diagnostics"),
            Map.entry("order", "the epoch's order, drawn again from epochRng"),
            Map.entry("batchFeatures", "one batch's scratch space"), Map.entry("dOutputs", "one batch's scratch space"),
            Map.entry("batchLabels", "one batch's scratch space"),
            Map.entry("liveParameters", "the live weights while an epoch's end evaluates the averaged ones"),
            Map.entry("paramsBeforeLastStep",
                    "written by an epoch's last batch and read when that epoch ends, with no stop between"));

    @Test
    void everyTrainerFieldIsCheckpointedOrListedAsNeedingNoCheckpoint() {
        Set<String> components = Arrays.stream(Checkpoint.class.getRecordComponents())
            .map(RecordComponent::getName)
            .collect(Collectors.toSet());
        Set<String> covered = new HashSet<>();
        for (Field f : Trainer.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) {
                continue;
            }
            String name = f.getName();
            List<String> carriedAs = EXPORTED.getOrDefault(name, components.contains(name) ? List.of(name) : List.of());
            assertThat(!carriedAs.isEmpty() || NOT_CHECKPOINTED.containsKey(name))
                .as("Trainer.%s must be part of Checkpoint (and TrainerState) or listed in NOT_CHECKPOINTED", name)
                .isTrue();
            assertThat(carriedAs.isEmpty() || !NOT_CHECKPOINTED.containsKey(name))
                .as("Trainer.%s is both checkpointed and listed as needing no checkpoint", name)
                .isTrue();
            assertThat(components).as("Trainer.%s", name).containsAll(carriedAs);
            covered.addAll(carriedAs);
        }
        assertThat(covered).as("components no Trainer field fills").containsExactlyInAnyOrderElementsOf(components);
    }

    @Test
    void checkpointReadsBackAsTheStateItWasWrittenFrom() {
        TrainingConfig config = new TrainingConfig(6, 32, 7, LearningRateSchedule.constant(0.05),
                new EarlyStopping(EarlyStopping.Monitor.VALIDATION_LOSS, 10), 0)
            .withEma(0.9);
        Trainer t = TrainerTest.trainer(TrainerTest.regularized(12, 3), config, TrainerTest.TRAIN, TrainerTest.VAL);
        AtomicInteger checks = new AtomicInteger();
        // 10 batches an epoch: stops inside epoch 3, after an epoch with a best score
        assertThat(t.fit(() -> checks.incrementAndGet() > 25).status()).isEqualTo(TrainingResult.Status.CANCELLED);
        Checkpoint written = t.snapshot();
        assertThat(written.batch()).isPositive();
        for (RecordComponent c : Checkpoint.class.getRecordComponents()) {
            if (!c.getName().equals("finished")) {
                assertThat(value(c, written)).as("%s, exercised by this test", c.getName()).isNotNull();
            }
        }

        byte[] bytes = t.checkpoint();
        Trainer fresh = TrainerTest.trainer(TrainerTest.regularized(12, 3), config, TrainerTest.TRAIN, TrainerTest.VAL);
        Checkpoint read = TrainerState.read(fresh, bytes);
        assertThat(read).usingRecursiveComparison().isEqualTo(written);

        fresh.apply(read);
        assertThat(fresh.snapshot()).usingRecursiveComparison().isEqualTo(written);
        assertThat(fresh.checkpoint()).isEqualTo(bytes);
    }

    @Test
    void augmentationGeneratorIsCarriedByTheCheckpointOfAnAugmentedRun() {
        TrainingConfig config = TrainingConfig.of(3, 32, 7, LearningRateSchedule.constant(0.05))
            .withAugmentation(TrainerTest.AUGMENTATION);
        Trainer t = TrainerTest.trainer(TrainerTest.convolutional(4), config, TrainerTest.images(TrainerTest.TRAIN),
                null);
        AtomicInteger checks = new AtomicInteger();
        t.fit(() -> checks.incrementAndGet() > 4);
        Checkpoint written = t.snapshot();
        Trainer fresh = TrainerTest.trainer(TrainerTest.convolutional(4), config, TrainerTest.images(TrainerTest.TRAIN),
                null);
        assertThat(written.augmentationRng()).as("drawn from").isNotEqualTo(fresh.augmentationRng.state());

        Checkpoint read = TrainerState.read(fresh, t.checkpoint());
        assertThat(read.augmentationRng()).isEqualTo(written.augmentationRng());
        fresh.apply(read);
        assertThat(fresh.augmentationRng.state()).isEqualTo(written.augmentationRng());
    }

    /** The same state is written as the same bytes: the counters in the model's order. */
    @Test
    void batchNormCountersAreWrittenInTheModelsLayerOrder() {
        Sequential model = TrainerTest.residualNetwork(4);
        Trainer t = TrainerTest.trainer(model, TrainingConfig.of(3, 32, 7, LearningRateSchedule.constant(0.05)),
                TrainerTest.images(TrainerTest.TRAIN), null);
        AtomicInteger checks = new AtomicInteger();
        t.fit(() -> checks.incrementAndGet() > 3);
        assertThat(model.batchNormCounters()).hasSizeGreaterThan(3);

        Map<String, Object> trainer = Json.parseObject(SafeTensors.read(t.checkpoint()).metadata().get("trainer"));
        @SuppressWarnings("unchecked")
        Map<String, Object> counters = (Map<String, Object>) trainer.get("batch_norm_counters");
        assertThat(counters.keySet()).containsExactlyElementsOf(model.batchNormCounters().keySet());
        assertThat(t.snapshot().batchNormCounters().keySet())
            .containsExactlyElementsOf(model.batchNormCounters().keySet());
    }

    private static Object value(RecordComponent c, Checkpoint checkpoint) {
        try {
            return c.getAccessor().invoke(checkpoint);
        }
        catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

}
