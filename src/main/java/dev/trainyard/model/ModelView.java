package dev.trainyard.model;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A registered model as the API shows it (weights excluded: see the export endpoint). */
public record ModelView(UUID id, UUID jobId, int member, long seed, List<LayerInfo> architecture, long parameterCount,
        List<String> classes, List<Integer> featureShape, PreprocessingInfo preprocessing, ModelMetrics metrics,
        Provenance provenance, long sizeBytes, Instant createdAt) {
}
