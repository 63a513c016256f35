package dev.trainyard.training.internal;

import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Hands finished members to the model registry and a finished ensemble job to the ensembles.
 *
 * <p>
 * Until the model module's registry is part of the build, a member's model file stays in this
 * module's {@code training_blobs} (kind {@code model}) under an id assigned here, and no ensemble
 * is created.
 */
@Component
class ModelPublisher {

    UUID register(JobRow job, TrainedModel trained, byte[] modelFile) {
        return UUID.nameUUIDFromBytes((job.id() + "/" + trained.member()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    UUID createEnsemble(JobRow job, List<UUID> modelIds) {
        return null;
    }

}
