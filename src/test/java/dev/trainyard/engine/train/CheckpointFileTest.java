package dev.trainyard.engine.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.engine.io.Json;
import dev.trainyard.engine.io.SafeTensors;
import dev.trainyard.engine.optim.LearningRateSchedule;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code checkpoint-v1.safetensors}: a checkpoint inside epoch 3 of a run with batch
 * norm, dropout and early stopping, as the engine wrote it with its own JSON writer
 * before checkpoints carried the batch norm counters.
 */
class CheckpointFileTest {

    @Test
    void aStoredCheckpointResumesAndIsWrittenAgainWithTheSameContent() throws IOException {
        byte[] stored;
        try (InputStream in = getClass().getResourceAsStream("checkpoint-v1.safetensors")) {
            stored = in.readAllBytes();
        }
        TrainingConfig config = new TrainingConfig(6, 32, 7, LearningRateSchedule.constant(0.05),
                new EarlyStopping(EarlyStopping.Monitor.VALIDATION_LOSS, 10), 0);
        Trainer t = TrainerTest.trainer(TrainerTest.regularized(12, 3), config, TrainerTest.TRAIN, TrainerTest.VAL);
        t.restore(stored);
        assertThat(t.snapshot().epoch()).isEqualTo(3);
        assertThat(t.snapshot().batch()).isEqualTo(5);

        SafeTensors.Contents before = SafeTensors.read(stored);
        SafeTensors.Contents after = SafeTensors.read(t.checkpoint());
        assertThat(after.metadata().keySet()).isEqualTo(before.metadata().keySet());
        before.metadata()
            .forEach(
                    (key, value) -> assertThat(key.equals("trainer") || after.metadata().get(key).equals(value)).as(key)
                        .isTrue());
        // the stored file predates the batch norm counters: the run counts from zero, and
        // the rest of its state is written again as it was
        Map<String, Object> trainerAfter = new LinkedHashMap<>(Json.parseObject(after.metadata().get("trainer")));
        assertThat(trainerAfter.remove("batch_norm_counters")).isEqualTo(Map.of("1.num_batches_tracked", 0L));
        assertThat(trainerAfter).isEqualTo(Json.parseObject(before.metadata().get("trainer")));
        assertThat(after.tensors().keySet()).containsExactlyElementsOf(before.tensors().keySet());
        before.tensors()
            .forEach(
                    (name, v) -> assertThat(after.tensors().get(name).toArray()).as(name).containsExactly(v.toArray()));
    }

}
