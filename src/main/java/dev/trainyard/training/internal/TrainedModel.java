package dev.trainyard.training.internal;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.data.Dataset;
import dev.trainyard.engine.data.PreprocessingStatistics;
import dev.trainyard.engine.io.ModelFile;
import dev.trainyard.engine.kernel.Kernels;
import dev.trainyard.engine.loss.Loss;
import dev.trainyard.engine.nn.Parameter;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.nn.Summary;
import dev.trainyard.engine.tensor.Tensor;
import dev.trainyard.engine.train.EpochMetrics;
import dev.trainyard.engine.train.Evaluator;
import dev.trainyard.engine.train.TrainingConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A finished member's model with what the registry keeps about it: architecture, preprocessing,
 * metrics (test figures when the job names a test dataset) and provenance; {@link #file()} writes
 * it in the engine's model format.
 */
record TrainedModel(UUID jobId, int member, long seed, Sequential model, PreprocessingStatistics preprocessing,
        List<String> classes, Metrics metrics, Provenance provenance) {

    /**
     * @param confusionMatrix rows are true classes, columns predicted ones; null without test data
     */
    record Metrics(double trainLoss, Double valAccuracy, Double testAccuracy, Double testLoss,
            long[][] confusionMatrix) {
    }

    record Provenance(UUID datasetId, String datasetSha256, String spec, long seed, String engineVersion,
            String gitCommit, boolean simd, int threads, Instant createdAt) {
    }

    static Metrics metrics(List<EpochMetrics> history, Sequential model, Loss loss, Dataset test) {
        EpochMetrics last = history.isEmpty() ? null : history.getLast();
        double trainLoss = last == null ? Double.NaN : last.trainLoss();
        Double valAccuracy = last == null ? null : last.validationAccuracy();
        if (test == null) {
            return new Metrics(trainLoss, valAccuracy, null, null, null);
        }
        Evaluator.Evaluation e = Evaluator.evaluate(model, loss, test, TrainingConfig.EVALUATION_BATCH);
        int[] predicted = Evaluator.argmax(Evaluator.predict(model, test.features(), TrainingConfig.EVALUATION_BATCH));
        long[][] confusion = new long[test.classes()][test.classes()];
        for (int i = 0; i < predicted.length; i++) {
            confusion[test.labels()[i]][predicted[i]]++;
        }
        return new Metrics(trainLoss, valAccuracy, e.accuracy(), e.loss(), confusion);
    }

    static Provenance provenance(UUID datasetId, String datasetSha256, String spec, long seed, String gitCommit) {
        String version = TrainedModel.class.getPackage().getImplementationVersion();
        return new Provenance(datasetId, datasetSha256, spec, seed, version != null ? version : "development",
                gitCommit, Kernels.simdEnabled(), ComputePool.current().threads(), Instant.now());
    }

    /** The layers as resolved for the data: index, type, output shape of one example, parameters. */
    List<Map<String, Object>> architecture() {
        Summary summary = model.summary();
        List<Map<String, Object>> layers = new ArrayList<>();
        for (Summary.Row row : summary.rows()) {
            Map<String, Object> layer = new LinkedHashMap<>();
            layer.put("index", row.index());
            layer.put("type", row.kind());
            layer.put("outputShape", dims(row.outputShape().dims()));
            layer.put("parameters", row.parameters());
            layers.add(layer);
        }
        return layers;
    }

    Map<String, Object> preprocessingMap() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("method", preprocessing.method().id());
        p.put("perChannel", preprocessing.perChannel());
        p.put("featureShape", dims(preprocessing.featureShape()));
        p.put("mean", floats(preprocessing.mean()));
        p.put("std", floats(preprocessing.std()));
        p.put("min", floats(preprocessing.min()));
        p.put("max", floats(preprocessing.max()));
        return p;
    }

    /** Weights and batch-norm statistics by PyTorch state_dict names, with the metadata. */
    ModelFile file() {
        Map<String, Object> architecture = new LinkedHashMap<>();
        architecture.put("inputShape", dims(model.inputShape().dims()));
        architecture.put("layers", architecture());
        architecture.put("specs", model.specs().stream().map(s -> s.toString()).toList());
        architecture.put("classes", classes);
        architecture.put("parameterCount", model.parameterCount());
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("jobId", jobId.toString());
        prov.put("member", member);
        prov.put("seed", seed);
        prov.put("datasetId", provenance.datasetId().toString());
        prov.put("datasetSha256", provenance.datasetSha256());
        prov.put("spec", provenance.spec());
        prov.put("engineVersion", provenance.engineVersion());
        prov.put("gitCommit", provenance.gitCommit());
        prov.put("createdAt", provenance.createdAt().toString());
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) {
            tensors.put(p.name(), p.value().copy());
        }
        model.state().forEach((name, t) -> tensors.put(name, t.copy()));
        return new ModelFile(architecture, preprocessingMap(), prov, tensors);
    }

    private static List<Integer> dims(int[] dims) {
        return Arrays.stream(dims).boxed().toList();
    }

    private static List<Double> floats(float[] values) {
        List<Double> list = new ArrayList<>(values.length);
        for (float v : values) {
            list.add((double) v);
        }
        return list;
    }

}
