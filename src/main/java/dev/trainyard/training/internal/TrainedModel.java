package dev.trainyard.training.internal;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.data.Dataset;
import dev.trainyard.engine.data.PreprocessingStatistics;
import dev.trainyard.engine.init.Initializer;
import dev.trainyard.engine.io.ModelFile;
import dev.trainyard.engine.kernel.Kernels;
import dev.trainyard.engine.loss.Loss;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.train.EpochMetrics;
import dev.trainyard.engine.train.Evaluator;
import dev.trainyard.engine.train.TrainingConfig;
import dev.trainyard.model.LayerInfo;
import dev.trainyard.model.ModelMetrics;
import dev.trainyard.model.PreprocessingInfo;
import dev.trainyard.model.Provenance;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A finished member's model with what the registry keeps about it: metrics (test figures
 * when the job names a test dataset) and provenance; {@link #file()} writes it in the
 * engine's model format, {@link #description()} what the registry keeps beside it.
 */
record TrainedModel(UUID jobId, int member, long seed, Sequential model, Initializer defaultInit,
        PreprocessingStatistics preprocessing, List<String> classes, ModelMetrics metrics, Provenance provenance) {

    static ModelMetrics metrics(List<EpochMetrics> history, Sequential model, Loss loss, Dataset test) {
        EpochMetrics last = history.isEmpty() ? null : history.getLast();
        Double trainLoss = last == null ? null : last.trainLoss();
        Double valAccuracy = last == null ? null : last.validationAccuracy();
        if (test == null) {
            return new ModelMetrics(trainLoss, valAccuracy, null, null, null);
        }
        Evaluator.Evaluation e = Evaluator.evaluate(model, loss, test, TrainingConfig.EVALUATION_BATCH);
        int[] predicted = Evaluator.argmax(Evaluator.predict(model, test.features(), TrainingConfig.EVALUATION_BATCH));
        int[][] confusion = new int[test.classes()][test.classes()];
        for (int i = 0; i < predicted.length; i++) {
            confusion[test.labels()[i]][predicted[i]]++;
        }
        return new ModelMetrics(trainLoss, valAccuracy, e.accuracy(), e.loss(), confusion);
    }

    static Provenance provenance(UUID datasetId, String datasetSha256, String spec, long seed, String gitCommit) {
        String version = TrainedModel.class.getPackage().getImplementationVersion();
        return new Provenance(datasetId, datasetSha256, spec, seed, version != null ? version : "development",
                gitCommit, Kernels.simdEnabled(), ComputePool.current().threads(), Instant.now(), null);
    }

    /**
     * Weights and batch-norm statistics by PyTorch state_dict names, with architecture,
     * preprocessing and provenance.
     */
    ModelFile file() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("method", preprocessing.method().id());
        p.put("perChannel", preprocessing.perChannel());
        p.put("mean", floats(preprocessing.mean()));
        p.put("std", floats(preprocessing.std()));
        p.put("min", floats(preprocessing.min()));
        p.put("max", floats(preprocessing.max()));
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("jobId", jobId.toString());
        prov.put("member", (long) member);
        prov.put("seed", seed);
        prov.put("classes", List.copyOf(classes));
        prov.put("datasetId", String.valueOf(provenance.datasetId()));
        prov.put("datasetSha256", String.valueOf(provenance.datasetSha256()));
        prov.put("spec", provenance.spec());
        prov.put("engineVersion", provenance.engineVersion());
        prov.put("gitCommit", String.valueOf(provenance.gitCommit()));
        prov.put("createdAt", provenance.createdAt().toString());
        return ModelFile.of(model, defaultInit, p, prov);
    }

    MemberModel description() {
        return new MemberModel(seed, LayerInfo.describe(model), model.parameterCount(), classes,
                Arrays.stream(model.inputShape().dims()).boxed().toList(), PreprocessingInfo.of(preprocessing), metrics,
                provenance);
    }

    private static List<Double> floats(float[] values) {
        Double[] boxed = new Double[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = (double) values[i];
        }
        return Arrays.asList(boxed);
    }

}
