package dev.trainyard.prediction.internal;

import dev.trainyard.engine.ensemble.ClassProbabilities;
import dev.trainyard.engine.ensemble.Combination;
import dev.trainyard.engine.tensor.Tensor;
import dev.trainyard.prediction.EnsemblePrediction;
import dev.trainyard.prediction.EnsembleView;
import dev.trainyard.prediction.ModelPrediction;
import dev.trainyard.system.ApiException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Predictions with cached models: checks the instances, applies each model's stored
 * preprocessing, runs one forward pass per model (T stochastic samples stacked into that
 * pass for Monte Carlo dropout) and combines the members of an ensemble.
 */
@Component
public class Predictor {

    private final ModelCache cache;

    private final PredictionProperties properties;

    Predictor(ModelCache cache, PredictionProperties properties) {
        this.cache = cache;
        this.properties = properties;
    }

    public ModelPrediction predict(UUID tenantId, UUID modelId, double[][] instances, Integer mcDropoutSamples,
            Long seed) {
        return predict(tenantId, modelId, RawInstances.of(instances), mcDropoutSamples, seed);
    }

    public ModelPrediction predict(UUID tenantId, UUID modelId, RawInstances instances, Integer mcDropoutSamples,
            Long seed) {
        LoadedModel model = cache.get(tenantId, modelId);
        float[] raw = instances.pack(model.featureCount(), properties.maxInstances());
        int n = instances.count();
        int samples = samples(mcDropoutSamples);
        List<String> classes = model.classes();
        int k = classes.size();
        float[] p;
        float[] std = null;
        if (samples > 0) {
            ClassProbabilities.Estimate e = model.monteCarlo(raw, n, samples, seed(seed));
            p = e.mean().toArray();
            std = e.std().toArray();
        }
        else {
            p = model.probabilities(raw, n).toArray();
        }
        List<ModelPrediction.Item> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] row = Arrays.copyOfRange(p, i * k, (i + 1) * k);
            items.add(new ModelPrediction.Item(classes.get(argmax(row)), row,
                    std == null ? null : Arrays.copyOfRange(std, i * k, (i + 1) * k)));
        }
        return new ModelPrediction(modelId, classes, items);
    }

    public EnsemblePrediction predict(UUID tenantId, EnsembleView ensemble, double[][] instances, String method,
            Integer mcDropoutSamples, Long seed) {
        return predict(tenantId, ensemble, RawInstances.of(instances), method, mcDropoutSamples, seed);
    }

    public EnsemblePrediction predict(UUID tenantId, EnsembleView ensemble, RawInstances instances, String method,
            Integer mcDropoutSamples, Long seed) {
        Combination.Method how = method(method);
        List<LoadedModel> members = ensemble.modelIds().stream().map(id -> cache.get(tenantId, id)).toList();
        LoadedModel first = members.getFirst();
        float[] raw = instances.pack(first.featureCount(), properties.maxInstances());
        int n = instances.count();
        int samples = samples(mcDropoutSamples);
        double[] weights = ensemble.weights() == null ? null
                : ensemble.weights().stream().mapToDouble(Double::doubleValue).toArray();
        List<Tensor> probabilities;
        List<ClassProbabilities.Estimate> estimates = new ArrayList<>();
        if (samples > 0) {
            long base = seed(seed);
            probabilities = new ArrayList<>(members.size());
            for (int j = 0; j < members.size(); j++) {
                ClassProbabilities.Estimate e = members.get(j).monteCarlo(raw, n, samples, base + j);
                estimates.add(e);
                probabilities.add(e.mean());
            }
        }
        else {
            probabilities = LoadedModel.probabilities(members, raw, n);
        }
        Combination.Result r = Combination.combine(how, probabilities, weights);
        Tensor std = samples > 0 ? Combination.mixtureStd(estimates, weights) : null;
        List<String> classes = first.classes();
        int k = classes.size();
        float[] p = r.probabilities().toArray();
        List<float[]> memberData = probabilities.stream().map(Tensor::toArray).toList();
        List<EnsemblePrediction.Item> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<String> memberLabels = Arrays.stream(r.memberLabels()[i]).mapToObj(classes::get).toList();
            int row = i;
            List<float[]> memberProbabilities = memberData.stream()
                .map(member -> Arrays.copyOfRange(member, row * k, (row + 1) * k))
                .toList();
            items.add(new EnsemblePrediction.Item(classes.get(r.labels()[i]), Arrays.copyOfRange(p, i * k, (i + 1) * k),
                    r.agreement()[i], r.entropy()[i], memberLabels, memberProbabilities,
                    std == null ? null : Arrays.copyOfRange(std.data(), i * k, (i + 1) * k)));
        }
        return new EnsemblePrediction(ensemble.id(), classes, items);
    }

    private int samples(Integer requested) {
        int t = requested == null ? 0 : requested;
        if (t < 0 || t > properties.maxMcDropoutSamples()) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid mcDropoutSamples",
                    "mcDropoutSamples must be from 0 to " + properties.maxMcDropoutSamples() + ", got " + t + ".")
                .with("pointer", "#/mcDropoutSamples");
        }
        return t;
    }

    private static long seed(Long seed) {
        return seed != null ? seed : ThreadLocalRandom.current().nextLong();
    }

    private static Combination.Method method(String method) {
        if (method == null) {
            return Combination.Method.AVERAGE;
        }
        return switch (method.toLowerCase(Locale.ROOT)) {
            case "average" -> Combination.Method.AVERAGE;
            case "vote" -> Combination.Method.VOTE;
            default -> throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid method",
                    "method must be average or vote, got " + method + ".")
                .with("pointer", "#/method");
        };
    }

    private static int argmax(float[] row) {
        int best = 0;
        for (int c = 1; c < row.length; c++) {
            if (row[c] > row[best]) {
                best = c;
            }
        }
        return best;
    }

}
