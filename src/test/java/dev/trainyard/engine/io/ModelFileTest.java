package dev.trainyard.engine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.engine.init.FanMode;
import dev.trainyard.engine.init.HeUniform;
import dev.trainyard.engine.init.Normal;
import dev.trainyard.engine.init.XavierUniform;
import dev.trainyard.engine.nn.LayerSpec;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Shape;
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
    void weightsHashCoversNamesShapesAndEveryBitButNoMetadata() {
        Tensor weight = Tensor.wrap(new float[] { 0.1f, 0.2f, 0.3f }, 1, 3);
        Tensor bias = Tensor.wrap(new float[] { -1.5f, 0f }, 2);
        ModelFile file = new ModelFile(Map.of(), Map.of(), Map.of("createdAt", "2026-01-01T00:00:00Z"),
                Map.of("0.weight", weight, "0.bias", bias));
        // the same definition in Python: sha256 over sorted names of
        // name + b"\0" + struct.pack("<i" + "i" * rank, rank, *dims) + struct.pack("<f" *
        // n, *values)
        assertThat(file.weightsSha256()).isEqualTo("948ea37f98c8c65de71efe9eb55b1eb19dce4f0541c45ff6f065a33b31235b01");

        ModelFile otherMetadata = new ModelFile(Map.of("layers", List.of()), Map.of("method", "none"),
                Map.of("createdAt", "2027-06-30T12:00:00Z", "jobId", "x"), Map.of("0.bias", bias, "0.weight", weight));
        assertThat(ModelFile.fromBytes(otherMetadata.toBytes()).weightsSha256()).isEqualTo(file.weightsSha256());

        Tensor negativeZero = Tensor.wrap(new float[] { -1.5f, -0f }, 2);
        assertThat(new ModelFile(Map.of(), Map.of(), Map.of(), Map.of("0.weight", weight, "0.bias", negativeZero))
            .weightsSha256()).isNotEqualTo(file.weightsSha256());
        assertThat(new ModelFile(Map.of(), Map.of(), Map.of(), Map.of("0.weight", weight.reshape(3, 1), "0.bias", bias))
            .weightsSha256()).isNotEqualTo(file.weightsSha256());
        assertThat(
                new ModelFile(Map.of(), Map.of(), Map.of(), Map.of("1.weight", weight, "0.bias", bias)).weightsSha256())
            .isNotEqualTo(file.weightsSha256());
    }

    @Test
    void trainedModelSavedAndLoadedPredictsBitIdentically() {
        List<LayerSpec> specs = List.of(new LayerSpec.Conv2d(3, 3, 1, 1, new XavierUniform(FanMode.AVG)),
                new LayerSpec.BatchNorm(), new LayerSpec.LeakyRelu(0.2f), new LayerSpec.DropBlock(2, 0.1f, 3),
                new LayerSpec.MaxPool(2), new LayerSpec.AvgPool(1), new LayerSpec.Flatten(),
                new LayerSpec.Dense(5, new Normal(0.05)), new LayerSpec.Tanh(),
                new LayerSpec.Dropout(0.25f, LayerSpec.DropoutVariant.VANILLA), new LayerSpec.Dense(4),
                new LayerSpec.Sigmoid());
        Sequential model = Sequential.build(Shape.of(1, 6, 6), specs, new HeUniform(), 5);
        Tensor x = Tensor.zeros(8, 1, 6, 6);
        Rng rng = new Rng(2);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = (float) rng.nextGaussian();
        }
        model.forward(x, true); // moves the batch-norm running statistics off their
                                // initial values
        float[] expected = model.forward(x, false).toArray();

        byte[] bytes = ModelFile.of(model, new HeUniform(), Map.of("method", "none"), Map.of("seed", 5L)).toBytes();
        ModelFile file = ModelFile.fromBytes(bytes);
        Sequential loaded = file.toModel();

        assertThat(file.parsedArchitecture().layers()).isEqualTo(specs);
        assertThat(file.parsedArchitecture().init()).isEqualTo(new HeUniform());
        assertThat(file.tensors().keySet()).contains("0.weight", "0.bias", "1.weight", "1.running_mean",
                "1.running_var", "7.weight");
        assertThat(loaded.parameterData()).isEqualTo(model.parameterData());
        assertThat(loaded.forward(x, false).toArray()).isEqualTo(expected);
    }

    @Test
    void aResidualModelRoundTripsThroughSafetensorsUnderPyTorchsNames() {
        List<LayerSpec> specs = List.of(new LayerSpec.Residual(List.of(new LayerSpec.Conv2d(4, 3, 2, 1, false, null),
                new LayerSpec.BatchNorm(), new LayerSpec.Relu())), new LayerSpec.Flatten(), new LayerSpec.Dense(3));
        Sequential model = Sequential.build(Shape.of(2, 4, 4), specs, new HeUniform(), 5);
        Tensor x = Tensor.zeros(6, 2, 4, 4);
        Rng rng = new Rng(4);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = (float) rng.nextGaussian();
        }
        model.forward(x, true);
        float[] expected = model.forward(x, false).toArray();

        byte[] weights = SafeTensors.write(StateDict.of(model), Map.of());
        SafeTensors.Contents contents = SafeTensors.read(weights);
        assertThat(contents.tensors().keySet()).containsExactly("0.body.0.weight", "0.body.1.weight", "0.body.1.bias",
                "0.shortcut.0.weight", "0.shortcut.1.weight", "0.shortcut.1.bias", "2.weight", "2.bias",
                "0.body.1.running_mean", "0.body.1.running_var", "0.shortcut.1.running_mean",
                "0.shortcut.1.running_var");
        Sequential loaded = Sequential.build(Shape.of(2, 4, 4), specs, new HeUniform(), 99);
        StateDict.load(loaded, contents);
        assertThat(loaded.parameterData()).isEqualTo(model.parameterData());
        assertThat(loaded.forward(x, false).toArray()).isEqualTo(expected);

        ModelFile file = ModelFile
            .fromBytes(ModelFile.of(model, new HeUniform(), Map.of("method", "none"), Map.of()).toBytes());
        assertThat(file.parsedArchitecture().layers()).isEqualTo(specs);
        assertThat(file.toModel().forward(x, false).toArray()).isEqualTo(expected);
    }

    @Test
    void aMisShapedTensorIsNamedWithBothShapes() {
        Sequential model = Sequential.build(Shape.of(4), List.of(new LayerSpec.Dense(3)), new HeUniform(), 1);
        ModelFile good = ModelFile.of(model, null, Map.of(), Map.of());
        Map<String, Tensor> tensors = new java.util.LinkedHashMap<>(good.tensors());
        tensors.put("0.weight", Tensor.zeros(3, 5));
        ModelFile bad = new ModelFile(good.architecture(), Map.of(), Map.of(), tensors);
        assertThatThrownBy(bad::toModel).hasMessage("tensor 0.weight has shape (3, 5), the architecture needs (3, 4)");
    }

    @Test
    void architectureRejectsUnknownLayersAndFields() {
        assertThatThrownBy(() -> Architecture.fromJson(Json.parseObject(
                "{\"inputShape\":[4],\"init\":null,\"layers\":[{\"type\":\"dense\",\"units\":3,\"colour\":1}]}")))
            .hasMessage("layers[0]: unknown field colour");
        assertThatThrownBy(
                () -> Architecture.fromJson(Json.parseObject("{\"inputShape\":[4],\"layers\":[{\"type\":\"lstm\"}]}")))
            .hasMessage("layers[0]: unknown layer type lstm");
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
