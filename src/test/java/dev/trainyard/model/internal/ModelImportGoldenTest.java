package dev.trainyard.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.trainyard.engine.ensemble.ClassProbabilities;
import dev.trainyard.engine.io.ModelFile;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.tensor.Tensor;
import dev.trainyard.model.NewModel;
import dev.trainyard.system.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.info.GitProperties;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Weights written from PyTorch state_dicts (src/test/python/make_import_golden.py) import
 * and reproduce torch's eval-mode probabilities within 1e-5, preprocessing included.
 */
class ModelImportGoldenTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    final ModelImporter importer = new ModelImporter(
            new DefaultListableBeanFactory().getBeanProvider(BuildProperties.class),
            new DefaultListableBeanFactory().getBeanProvider(GitProperties.class));

    @ParameterizedTest
    @ValueSource(strings = { "mlp", "cnn" })
    void importedTorchWeightsReproduceTorchsProbabilities(String name) throws IOException {
        JsonNode golden = JSON.readTree(resource(name + ".json"));
        byte[] weights = resource(name + ".safetensors");

        NewModel model = importer.prepare(UUID.randomUUID(), weights, golden.path("spec").toString());

        Sequential net = ModelFile.fromBytes(model.modelFile()).toModel();
        JsonNode instances = golden.path("instances");
        int n = instances.size();
        int width = instances.get(0).size();
        float[] raw = new float[n * width];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < width; f++) {
                raw[i * width + f] = instances.get(i).get(f).floatValue();
            }
        }
        int[] shape = model.featureShape().stream().mapToInt(Integer::intValue).toArray();
        Tensor x = model.preprocessing().toStatistics(shape).apply(Tensor.wrap(raw, net.inputShape().withBatch(n)));
        float[] p = ClassProbabilities.predict(net, x).toArray();
        JsonNode expected = golden.path("probabilities");
        int k = expected.get(0).size();
        assertThat(model.classes()).hasSize(k);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                assertThat(p[i * k + c]).as("%s example %d class %d", name, i, c)
                    .isCloseTo(expected.get(i).get(c).floatValue(), within(1e-5f));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "mlp" })
    void aMisShapedTensorIsNamedWithBothShapes(String name) throws IOException {
        JsonNode golden = JSON.readTree(resource(name + ".json"));
        String spec = golden.path("spec").toString().replace("\"units\":16", "\"units\":12");

        assertThatThrownBy(() -> importer.prepare(UUID.randomUUID(), resource(name + ".safetensors"), spec))
            .isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status().value()).isEqualTo(422);
                assertThat(e.detail()).contains("tensor 0.weight has shape (16, 6), the architecture needs (12, 6)");
                assertThat(e.properties()).containsEntry("tensor", "0.weight");
            });
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ModelImportGoldenTest.class.getResourceAsStream("/golden/import/" + name)) {
            return in.readAllBytes();
        }
    }

}
