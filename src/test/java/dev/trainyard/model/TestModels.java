package dev.trainyard.model;

import dev.trainyard.engine.data.PreprocessingMethod;
import dev.trainyard.engine.data.PreprocessingStatistics;
import dev.trainyard.engine.init.HeNormal;
import dev.trainyard.engine.io.ModelFile;
import dev.trainyard.engine.nn.LayerSpec;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.tensor.Shape;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/** Small models with random weights for registry, prediction and ensemble tests. */
public final class TestModels {

    public static final List<String> CLASSES = List.of("cat", "dog", "bird");

    private TestModels() {
    }

    /** features -> 8 (batch norm, relu, dropout 0.5) -> 3 classes, seeded. */
    public static Sequential mlp(int features, long seed) {
        return Sequential.build(Shape.of(features), List.of(new LayerSpec.Dense(8), new LayerSpec.BatchNorm(),
                new LayerSpec.Relu(), new LayerSpec.Dropout(0.5f), new LayerSpec.Dense(CLASSES.size())), new HeNormal(),
                seed);
    }

    /** Standardization statistics for {@code features} features: mean i, std 1 + i. */
    public static PreprocessingStatistics standardize(int features) {
        float[] mean = new float[features];
        float[] std = new float[features];
        for (int i = 0; i < features; i++) {
            mean[i] = i;
            std[i] = 1 + i;
        }
        return PreprocessingStatistics.of(PreprocessingMethod.STANDARDIZE, false, new int[] { features }, mean, std,
                new float[0], new float[0]);
    }

    /** The model as the training module would register it. */
    public static NewModel newModel(UUID tenantId, UUID jobId, int member, Sequential model,
            PreprocessingStatistics preprocessing, List<String> classes) {
        byte[] file = ModelFile
            .of(model, new HeNormal(), Map.of("method", preprocessing.method().name()), Map.of("seed", (long) member))
            .toBytes();
        return new NewModel(tenantId, jobId, member, member, LayerInfo.describe(model), model.parameterCount(), classes,
                Arrays.stream(model.inputShape().dims()).boxed().toList(), PreprocessingInfo.of(preprocessing),
                new ModelMetrics(0.5, 0.8, 0.75, 0.6, new int[][] { { 1, 2 } }),
                new Provenance(null, null, "{}", member, "test", "abc", true, 2, Instant.now(), null), file);
    }

    /** A fresh tenant, so tests never see each other's models. */
    public static UUID newTenant(JdbcTemplate jdbc) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO tenants (id, name, created_at) VALUES (?, ?, CURRENT_TIMESTAMP)", id,
                "t-" + id.toString().substring(0, 8));
        return id;
    }

}
