package dev.trainyard.model;

import dev.trainyard.engine.io.Architecture;
import dev.trainyard.engine.nn.Layer;
import dev.trainyard.engine.nn.Sequential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One resolved layer of a model: its position, type (the job spec's vocabulary, e.g.
 * {@code dense}, {@code batch_norm}), output shape for one example, parameter count and
 * the spec it was built from.
 */
public record LayerInfo(int index, String type, List<Integer> outputShape, long parameters, Map<String, Object> spec) {

    public LayerInfo {
        outputShape = List.copyOf(outputShape);
        spec = spec == null ? Map.of() : Map.copyOf(spec);
    }

    /** The resolved layers of a built model, specs in the job spec's vocabulary. */
    @SuppressWarnings("unchecked")
    public static List<LayerInfo> describe(Sequential model) {
        List<Object> specs = (List<Object>) new Architecture(model.inputShape(), null, model.specs()).toJson()
            .get("layers");
        List<LayerInfo> infos = new ArrayList<>();
        for (int i = 0; i < model.layers().size(); i++) {
            Layer layer = model.layer(i);
            infos.add(new LayerInfo(i, layer.kind(), Arrays.stream(layer.outputShape().dims()).boxed().toList(),
                    layer.parameterCount(), (Map<String, Object>) specs.get(i)));
        }
        return infos;
    }

}
