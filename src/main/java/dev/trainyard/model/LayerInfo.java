package dev.trainyard.model;

import java.util.List;
import java.util.Map;

/**
 * One resolved layer of a model: its position, type (the job spec's vocabulary, e.g.
 * {@code dense}, {@code batch_norm}), output shape for one example, parameter count and the spec
 * it was built from.
 */
public record LayerInfo(int index, String type, List<Integer> outputShape, long parameters, Map<String, Object> spec) {

    public LayerInfo {
        outputShape = List.copyOf(outputShape);
        spec = spec == null ? Map.of() : Map.copyOf(spec);
    }
}
