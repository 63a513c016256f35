package dev.trainyard.training.internal;

import dev.trainyard.model.LayerInfo;
import dev.trainyard.model.ModelMetrics;
import dev.trainyard.model.NewModel;
import dev.trainyard.model.PreprocessingInfo;
import dev.trainyard.model.Provenance;
import java.util.List;
import java.util.UUID;

/**
 * What the model registry keeps about a finished member's model besides its file. It is
 * stored with the member (as JSON, beside the model file) until the job succeeds, when
 * the job's models are registered all at once.
 */
record MemberModel(long seed, List<LayerInfo> architecture, long parameterCount, List<String> classes,
        List<Integer> featureShape, PreprocessingInfo preprocessing, ModelMetrics metrics, Provenance provenance) {

    NewModel toNewModel(UUID tenantId, UUID jobId, int member, byte[] file) {
        return new NewModel(tenantId, jobId, member, seed, architecture, parameterCount, classes, featureShape,
                preprocessing, metrics, provenance, file);
    }

}
