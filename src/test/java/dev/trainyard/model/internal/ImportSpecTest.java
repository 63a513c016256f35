package dev.trainyard.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.trainyard.engine.nn.LayerSpec;
import dev.trainyard.system.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImportSpecTest {

    private static String spec(String layers) {
        return """
                {"featureShape": [3, 8, 8], "classes": ["a", "b"], "layers": [%s]}""".formatted(layers);
    }

    @Test
    void aResidualBlockIsImportedWithItsSubLayers() {
        ImportSpec spec = ImportSpec.parse(spec("""
                {"type": "residual", "layers": [{"type": "conv2d", "filters": 4, "kernel": 3, "stride": 2,
                  "padding": "same", "bias": false}, {"type": "batch_norm"}]},
                {"type": "relu"}, {"type": "global_avg_pool"}, {"type": "dense", "units": 2}"""));
        assertThat(spec.layers().getFirst()).isEqualTo(new LayerSpec.Residual(
                List.of(new LayerSpec.Conv2d(4, 3, 2, 1, false, null), new LayerSpec.BatchNorm())));
    }

    @Test
    void aFaultInsideAResidualIsPointedAtInsideIt() {
        ApiException e = catchThrowableOfType(ApiException.class, () -> ImportSpec.parse(spec("""
                {"type": "relu"}, {"type": "residual", "layers": [{"type": "relu"},
                  {"type": "conv2d", "filters": 4, "kernel": 3, "bias": 1}]}""")));
        assertThat(e.properties()).containsEntry("pointer", "#/layers/1/layers/1/bias");
    }

}
