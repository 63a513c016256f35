package dev.trainyard.model;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A model to register: what the training module knows of a finished member (or what an
 * import brings), and the engine model file holding weights, running statistics,
 * architecture and preprocessing.
 *
 * @param jobId the training job, or null for an imported model
 * @param member index of the ensemble member within its job (0 for a single model)
 * @param modelFile bytes of an {@code engine.io.ModelFile}
 */
public record NewModel(UUID tenantId, UUID jobId, int member, long seed, List<LayerInfo> architecture,
        long parameterCount, List<String> classes, List<Integer> featureShape, PreprocessingInfo preprocessing,
        ModelMetrics metrics, Provenance provenance, byte[] modelFile) {

    public NewModel {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(classes, "classes");
        Objects.requireNonNull(featureShape, "featureShape");
        Objects.requireNonNull(preprocessing, "preprocessing");
        Objects.requireNonNull(modelFile, "modelFile");
        metrics = metrics == null ? ModelMetrics.NONE : metrics;
        architecture = List.copyOf(architecture);
        classes = List.copyOf(classes);
        featureShape = List.copyOf(featureShape);
    }

    NewModel withProvenance(Provenance other) {
        return new NewModel(tenantId, jobId, member, seed, architecture, parameterCount, classes, featureShape,
                preprocessing, metrics, other, modelFile);
    }

}
