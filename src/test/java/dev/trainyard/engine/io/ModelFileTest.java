package dev.trainyard.engine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.engine.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelFileTest {

    @Test
    void saveThenLoadKeepsEverything() {
        ModelFile m = new ModelFile(
                Map.of("input_shape", List.of(784L), "layers", List.of(Map.of("type", "dense", "units", 10L))),
                Map.of("kind", "standardize", "mean", List.of(0.5, 0.25)), Map.of("seed", 42L, "engine", "trainyard"),
                Map.of("0.weight", Tensor.wrap(new float[] { 0.1f, 0.2f, 0.3f }, 1, 3)));
        ModelFile back = ModelFile.fromBytes(m.toBytes());
        assertThat(back.architecture()).isEqualTo(m.architecture());
        assertThat(back.preprocessing()).isEqualTo(m.preprocessing());
        assertThat(back.provenance()).isEqualTo(m.provenance());
        assertThat(back.tensors().get("0.weight").toArray()).containsExactly(0.1f, 0.2f, 0.3f);
    }

    @Test
    void rejectsOtherFormatsAndNewerVersions() {
        byte[] other = SafeTensors.write(Map.of(), Map.of("format", "pt"));
        assertThatThrownBy(() -> ModelFile.fromBytes(other)).hasMessage("not a trainyard-model file (format: pt)");
        byte[] newer = SafeTensors.write(Map.of(), Map.of("format", ModelFile.FORMAT, "format_version", "9"));
        assertThatThrownBy(() -> ModelFile.fromBytes(newer))
            .hasMessage("trainyard-model version 9 is not supported (this engine reads up to 1)");
    }

}
