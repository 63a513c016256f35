package dev.trainyard.model.internal;

import dev.trainyard.engine.io.ModelFile;
import dev.trainyard.engine.io.OnnxWriter;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.model.ModelView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Writes a registered model in an exchange format: safetensors for PyTorch, ONNX for
 * runtimes.
 */
@Component
public class ModelExporter {

    /**
     * safetensors with PyTorch {@code state_dict} names; {@code __metadata__} holds the
     * architecture (job spec vocabulary), the preprocessing with its statistics, the
     * classes and the provenance, each as JSON.
     */
    public byte[] safetensors(ModelView view, byte[] modelFile) {
        ModelFile file = ModelFile.fromBytes(modelFile);
        Map<String, Object> preprocessing = new LinkedHashMap<>();
        preprocessing.put("method", view.preprocessing().method());
        preprocessing.put("perChannel", view.preprocessing().perChannel());
        Map<String, Object> statistics = new LinkedHashMap<>();
        view.preprocessing().statistics().forEach((name, values) -> {
            List<Object> list = new java.util.ArrayList<>();
            for (float v : values) {
                list.add((double) v);
            }
            statistics.put(name, list);
        });
        preprocessing.put("statistics", statistics);
        preprocessing.put("classes", List.copyOf(view.classes()));
        preprocessing.put("featureShape", view.featureShape().stream().map(Integer::longValue).toList());
        Map<String, Object> provenance = new LinkedHashMap<>(file.provenance());
        provenance.put("modelId", view.id().toString());
        return new ModelFile(file.architecture(), preprocessing, provenance, file.tensors()).toBytes();
    }

    /**
     * ONNX (opset 17): preprocessing as graph operations, softmax probabilities as the
     * output.
     */
    public byte[] onnx(ModelView view, byte[] modelFile) {
        Sequential model = ModelFile.fromBytes(modelFile).toModel();
        int[] shape = view.featureShape().stream().mapToInt(Integer::intValue).toArray();
        return OnnxWriter.write(model, view.preprocessing().toStatistics(shape), "model-" + view.id());
    }

}
