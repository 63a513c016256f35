package dev.trainyard.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.engine.init.HeNormal;
import dev.trainyard.engine.init.XavierNormal;
import dev.trainyard.engine.init.FanMode;
import dev.trainyard.engine.io.Architecture;
import dev.trainyard.engine.io.Json;
import dev.trainyard.engine.tensor.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LayerVocabularyTest {

    @Test
    void everyRecordHasExactlyOneTypeAndNamesAreDistinct() {
        List<Class<?>> records = Arrays.stream(LayerSpec.class.getPermittedSubclasses())
            .filter(Class::isRecord)
            .toList();
        assertThat(LayerSpec.types().stream().<Class<?>>map(LayerType::specClass).toList())
            .containsExactlyInAnyOrderElementsOf(records);
        assertThat(LayerSpec.types()).extracting(LayerType::name).doesNotHaveDuplicates();
        assertThat(LayerSpec.type("conv2d").specClass()).isEqualTo(LayerSpec.Conv2d.class);
        assertThat(LayerSpec.type("lstm")).isNull();
        assertThat(new LayerSpec.BatchNorm().kind()).isEqualTo("batch_norm");
    }

    @Test
    void everyTypeRoundTripsThroughArchitectureJson() {
        List<LayerSpec> layers = List.of(new LayerSpec.Conv2d(4, 3, 2, 1, new XavierNormal(FanMode.AVG)),
                new LayerSpec.BatchNorm(0.2f, 1e-3f), new LayerSpec.LeakyRelu(0.1f),
                new LayerSpec.DropBlock(2, 0.2f, 5), new LayerSpec.MaxPool(2, 1), new LayerSpec.AvgPool(2),
                new LayerSpec.GlobalAvgPool(), new LayerSpec.Tanh(), new LayerSpec.Sigmoid(), new LayerSpec.Flatten(),
                new LayerSpec.Residual(
                        List.of(new LayerSpec.Conv2d(4, 3, 1, 1, false, null), new LayerSpec.BatchNorm())),
                new LayerSpec.Dropout(0.25f, LayerSpec.DropoutVariant.VANILLA), new LayerSpec.Dense(10),
                new LayerSpec.Relu());
        assertThat(layers).extracting(LayerSpec::type).containsAll(LayerSpec.types());
        Architecture a = new Architecture(Shape.of(1, 8, 8), new HeNormal(), layers);
        Architecture back = Architecture.fromJson(Json.parseObject(Json.write(a.toJson())));
        assertThat(back.layers()).isEqualTo(layers);
        assertThat(back.toJson()).isEqualTo(a.toJson());
    }

    @Test
    void modelFilesKeepTheirJsonForm() {
        Map<String, Object> json = new Architecture(Shape.of(4), null,
                List.of(new LayerSpec.Dense(3), new LayerSpec.Dropout(0.5f), new LayerSpec.MaxPool(2)))
            .toJson();
        assertThat(Json.write(json.get("layers"))).isEqualTo(
                "[{\"type\":\"dense\",\"units\":3}," + "{\"type\":\"dropout\",\"rate\":0.5,\"variant\":\"inverted\"},"
                        + "{\"type\":\"max_pool\",\"size\":2,\"stride\":2}]");
    }

    @Test
    void omittedParametersTakeTheirDefaults() {
        assertThat(LayerSpec.type("conv2d").withDefaults(Map.of("filters", 8L, "kernel", 3L))).containsExactly(
                entry("filters", 8), entry("kernel", 3), entry("stride", 1), entry("padding", 0), entry("bias", true),
                entry("init", null));
        assertThat(LayerSpec.type("residual").withDefaults(Map.of("layers", List.of()))).containsEntry("projection",
                "auto");
        assertThat(LayerSpec.type("max_pool").withDefaults(Map.of("size", 3))).containsEntry("stride", 3);
        assertThat(LayerSpec.type("batch_norm").withDefaults(Map.of())).containsExactly(entry("momentum", 0.1),
                entry("eps", 1e-5));
        assertThat(LayerSpec.type("dropout").withDefaults(Map.of("rate", 1L))).containsExactly(entry("rate", 1.0),
                entry("variant", "inverted"));
        assertThat(new LayerSpec.LeakyRelu().slope()).isEqualTo(0.01f);
    }

    @Test
    void valuesOutOfRangeNameTheirParameter() {
        LayerType<?> conv = LayerSpec.type("conv2d");
        assertThat(conv.problems(conv.withDefaults(Map.of("filters", 0, "padding", -1)))).containsExactly(
                entry("filters", "filters must be from 1 to 65536, got 0"), entry("kernel", "kernel is required"),
                entry("padding", "padding must be from 0 to 1024, got -1"));
        LayerType<?> bn = LayerSpec.type("batch_norm");
        assertThat(bn.problems(Map.of("momentum", 1.5, "eps", 0.0))).containsExactly(
                entry("momentum", "momentum must lie in [0, 1], got 1.5"),
                entry("eps", "eps must lie in (0, 1), got 0.0"));
        assertThat(LayerSpec.type("dropout").problems(Map.of("rate", 0.5, "variant", "gaussian")))
            .containsExactly(entry("variant", "variant must be inverted or vanilla, got 'gaussian'"));
        assertThat(LayerSpec.type("leaky_relu").problems(Map.of("slope", Double.NaN)))
            .containsExactly(entry("slope", "slope must be a finite number"));
        assertThat(LayerSpec.type("relu").unknown(Map.of("units", 3))).containsExactly("units");
    }

    @Test
    void aResidualWritesItsSubLayersAsLayerObjects() {
        Map<String, Object> json = new Architecture(Shape.of(2, 4, 4), null, List
            .of(new LayerSpec.Residual(List.of(new LayerSpec.Conv2d(3, 1, 1, 0, false, null), new LayerSpec.Relu()))))
            .toJson();
        assertThat(Json.write(json.get("layers"))).isEqualTo("[{\"type\":\"residual\",\"layers\":["
                + "{\"type\":\"conv2d\",\"filters\":3,\"kernel\":1,\"stride\":1,\"padding\":0,\"bias\":false},"
                + "{\"type\":\"relu\"}],\"projection\":\"auto\"}]");
    }

    @Test
    void aBiasFlagThatIsNoBooleanIsRefused() {
        LayerType<?> conv = LayerSpec.type("conv2d");
        assertThat(conv.problems(conv.withDefaults(Map.of("filters", 2L, "kernel", 3L, "bias", "no"))))
            .containsExactly(entry("bias", "bias must be true or false, got no"));
        assertThat(conv.problems(conv.withDefaults(Map.of("filters", 2L, "kernel", 3L, "bias", 0L))))
            .containsExactly(entry("bias", "bias must be true or false, got 0"));
    }

    @Test
    void aFaultInsideAResidualCarriesItsPathThroughTheSubLayers() {
        String file = "{\"inputShape\":[1,4,4],\"layers\":[{\"type\":\"relu\"},{\"type\":\"residual\","
                + "\"layers\":[{\"type\":\"relu\"},{\"type\":\"conv2d\",\"filters\":0,\"kernel\":3}]}]}";
        assertThatThrownBy(() -> Architecture.fromJson(Json.parseObject(file)))
            .isInstanceOfSatisfying(InvalidLayerException.class, e -> {
                assertThat(e.layerIndex()).isEqualTo(1);
                assertThat(e.field()).isEqualTo("layers");
                assertThat(e.path()).containsExactly("layers", 1, "filters");
                assertThat(e.reason()).isEqualTo("layers[1]: filters must be from 1 to 65536, got 0");
            });
        String nested = "{\"inputShape\":[1,4,4],\"layers\":[{\"type\":\"residual\",\"layers\":["
                + "{\"type\":\"residual\",\"layers\":[{\"type\":\"relu\"}]}]}]}";
        assertThatThrownBy(() -> Architecture.fromJson(Json.parseObject(nested)))
            .isInstanceOfSatisfying(InvalidLayerException.class, e -> {
                assertThat(e.path()).containsExactly("layers", 0, "type");
                assertThat(e.reason()).isEqualTo("layers[0]: a residual's layers cannot hold another residual");
            });
        assertThatThrownBy(() -> new LayerSpec.Residual(List.of()))
            .hasMessage("layers must hold from 1 to 32 layers, got 0");
    }

    @Test
    void recordsRefuseWhatTheVocabularyRefuses() {
        assertThatThrownBy(() -> new LayerSpec.Dropout(1f)).isInstanceOfSatisfying(InvalidLayerException.class, e -> {
            assertThat(e.field()).isEqualTo("rate");
            assertThat(e.layerIndex()).isEqualTo(-1);
            assertThat(e.reason()).isEqualTo("rate must lie in [0, 1), got 1.0");
        });
        assertThatThrownBy(() -> new LayerSpec.Dense(0)).hasMessage("units must be from 1 to 1048576, got 0");
    }

    @Test
    void aModelFileErrorCarriesTheLayerIndexAndField() {
        String file = "{\"inputShape\":[1,4,4],\"layers\":[{\"type\":\"flatten\"},"
                + "{\"type\":\"conv2d\",\"filters\":0,\"kernel\":3}]}";
        assertThatThrownBy(() -> Architecture.fromJson(Json.parseObject(file)))
            .isInstanceOfSatisfying(InvalidLayerException.class, e -> {
                assertThat(e.layerIndex()).isEqualTo(1);
                assertThat(e.field()).isEqualTo("filters");
                assertThat(e.reason()).isEqualTo("filters must be from 1 to 65536, got 0");
                assertThat(e).hasMessage("layers[1]: filters must be from 1 to 65536, got 0");
            });
    }

    @Test
    void aShapeErrorCarriesTheLayerIndexWithoutAField() {
        assertThatThrownBy(() -> Sequential.build(Shape.of(784),
                List.of(new LayerSpec.Dense(8), new LayerSpec.MaxPool(2)), new HeNormal(), 1))
            .isInstanceOfSatisfying(InvalidLayerException.class, e -> {
                assertThat(e.layerIndex()).isEqualTo(1);
                assertThat(e.field()).isNull();
                assertThat(e.reason()).startsWith("max_pool needs (C, H, W) input");
            });
        assertThatThrownBy(() -> Sequential.build(Shape.of(3, 4, 4),
                List.of(new LayerSpec.Flatten(), new LayerSpec.GlobalAvgPool()), new HeNormal(), 1))
            .isInstanceOfSatisfying(InvalidLayerException.class, e -> {
                assertThat(e.layerIndex()).isEqualTo(1);
                assertThat(e.field()).isNull();
                assertThat(e.reason()).isEqualTo("global_avg_pool needs (C, H, W) input, got (48)");
            });
    }

    @Test
    void paddingSameResolvesToHalfAnOddKernelAndKeepsTheSizeAtStrideOne() {
        LayerType<?> conv = LayerSpec.type("conv2d");
        for (int k : new int[] { 1, 3, 5 }) {
            Map<String, Object> given = Map.of("filters", 2L, "kernel", (long) k, "padding", "same");
            // the spec keeps the word; the record holds the integer
            assertThat(conv.withDefaults(given)).containsEntry("padding", "same");
            LayerSpec.Conv2d spec = (LayerSpec.Conv2d) conv.read(conv.withDefaults(given), v -> null, v -> null);
            assertThat(spec.padding()).isEqualTo((k - 1) / 2);
            assertThat(conv.write(spec)).containsEntry("padding", (long) (k - 1) / 2);
            for (int stride : new int[] { 1, 2 }) {
                for (int h : new int[] { 7, 8 }) {
                    LayerSpec.Conv2d strided = new LayerSpec.Conv2d(2, k, stride, spec.padding(), null);
                    Sequential m = Sequential.build(Shape.of(1, h, h + 1), List.of(strided), new HeNormal(), 1);
                    int expectedH = (h + stride - 1) / stride;
                    int expectedW = (h + 1 + stride - 1) / stride;
                    assertThat(m.layer(0).outputShape()).as("k=%d stride=%d h=%d", k, stride, h)
                        .isEqualTo(Shape.of(2, expectedH, expectedW));
                }
            }
        }
    }

    @Test
    void paddingSameReadsFromModelFilesAsItsInteger() {
        String file = "{\"inputShape\":[1,6,6],\"layers\":[{\"type\":\"conv2d\",\"filters\":2,\"kernel\":5,"
                + "\"stride\":2,\"padding\":\"same\"}]}";
        Architecture a = Architecture.fromJson(Json.parseObject(file));
        assertThat(a.layers()).containsExactly(new LayerSpec.Conv2d(2, 5, 2, 2, null));
    }

    @Test
    void paddingSameWithAnEvenKernelIsRefusedAtThePadding() {
        LayerType<?> conv = LayerSpec.type("conv2d");
        assertThat(conv.problems(conv.withDefaults(Map.of("filters", 2L, "kernel", 4L, "padding", "same"))))
            .containsExactly(entry("padding", "padding same needs an odd kernel, got kernel 4"));
        assertThat(conv.problems(conv.withDefaults(Map.of("filters", 2L, "kernel", 3L, "padding", "valid"))))
            .containsExactly(entry("padding", "padding must be an integer or 'same', got valid"));
        String file = "{\"inputShape\":[1,6,6],\"layers\":[{\"type\":\"relu\"},{\"type\":\"conv2d\","
                + "\"filters\":2,\"kernel\":2,\"padding\":\"same\"}]}";
        assertThatThrownBy(() -> Architecture.fromJson(Json.parseObject(file)))
            .isInstanceOfSatisfying(InvalidLayerException.class, e -> {
                assertThat(e.layerIndex()).isEqualTo(1);
                assertThat(e.field()).isEqualTo("padding");
                assertThat(e.reason()).isEqualTo("padding same needs an odd kernel, got kernel 2");
            });
    }

    @Test
    void globalAvgPoolOutputsOneValuePerChannel() {
        Sequential m = Sequential.build(Shape.of(3, 5, 4), List.of(new LayerSpec.GlobalAvgPool()), new HeNormal(), 1);
        assertThat(m.layer(0).outputShape()).isEqualTo(Shape.of(3));
        assertThat(m.parameterCount()).isZero();
    }

    @Test
    void placingAnErrorKeepsItsDataWhateverItsWording() {
        InvalidLayerException placed = InvalidLayerException.at(4, "layer 9 of something: ",
                new InvalidLayerException("rate", "layer 7 rate: reworded"));
        assertThat(placed.layerIndex()).isEqualTo(4);
        assertThat(placed.field()).isEqualTo("rate");
        assertThat(placed.reason()).isEqualTo("layer 7 rate: reworded");
    }

}
