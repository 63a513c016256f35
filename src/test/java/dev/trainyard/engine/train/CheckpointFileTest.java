package dev.trainyard.engine.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.engine.io.SafeTensors;
import dev.trainyard.engine.optim.LearningRateSchedule;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * {@code checkpoint-v1.safetensors}: a checkpoint inside epoch 3 of a run with batch
 * norm, dropout and early stopping, as the engine wrote it with its own JSON writer.
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
        assertThat(after.metadata()).isEqualTo(before.metadata());
        assertThat(after.tensors().keySet()).containsExactlyElementsOf(before.tensors().keySet());
        before.tensors()
            .forEach(
                    (name, v) -> assertThat(after.tensors().get(name).toArray()).as(name).containsExactly(v.toArray()));
    }

}
