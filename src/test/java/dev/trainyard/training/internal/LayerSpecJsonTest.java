package dev.trainyard.training.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.trainyard.dataset.DatasetService;
import dev.trainyard.dataset.DatasetView;
import dev.trainyard.system.ApiException;
import dev.trainyard.training.JobSpec;
import dev.trainyard.training.ModelSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Job specs' layers through the layer vocabulary: the JSON a job returns, the defaults,
 * and the pointers of what is wrong.
 */
class LayerSpecJsonTest {

    private final SpecJson json = new SpecJson(JsonMapper.builder().build());

    private final UUID datasetId = UUID.randomUUID();

    @Test
    void layersComeBackWithEveryDefaultInTheirOrder() {
        JobSpec spec = json.parse(spec("""
                {"type": "conv2d", "filters": 4, "kernel": 3, "init": {"method": "xavier_normal"}},
                {"type": "batch_norm"}, {"type": "max_pool", "size": 3}, {"type": "dropout"},
                {"type": "leaky_relu"}, {"type": "flatten"}, {"type": "dense", "units": 3}""")).withDefaults();
        String layers = json.write(spec.model().layers());
        assertThat(layers).isEqualTo("[{\"type\":\"conv2d\",\"filters\":4,\"kernel\":3,\"stride\":1,\"padding\":0,"
                + "\"bias\":true,\"init\":{\"method\":\"xavier_normal\",\"fanMode\":\"avg\"}},"
                + "{\"type\":\"batch_norm\",\"momentum\":0.1,\"eps\":1.0E-5},"
                + "{\"type\":\"max_pool\",\"size\":3,\"stride\":3},"
                + "{\"type\":\"dropout\",\"rate\":0.5,\"variant\":\"inverted\"},"
                + "{\"type\":\"leaky_relu\",\"slope\":0.01},{\"type\":\"flatten\"},"
                + "{\"type\":\"dense\",\"units\":3,\"init\":null}]");
        assertThat(json.write(json.read(json.write(spec), JobSpec.class).model().layers())).isEqualTo(layers);
    }

    @Test
    void faultyLayersArePointedAtByMember() {
        assertThat(pointers("{\"type\": \"dropout\", \"rate\": 1.0}, {\"type\": \"dense\", \"units\": 3}"))
            .containsExactly(entry("#/model/layers/0/rate", "rate must lie in [0, 1), got 1.0"));
        assertThat(pointers("{\"type\": \"swish\"}, {\"type\": \"dense\", \"units\": 3}"))
            .containsExactly(entry("#/model/layers/0/type", "unknown type 'swish'"));
        assertThat(pointers("{\"type\": \"relu\", \"units\": 3}, {\"type\": \"dense\", \"units\": 3}"))
            .containsExactly(entry("#/model/layers/0/units", "unknown member 'units'"));
        assertThat(pointers("{\"units\": 3}")).containsExactly(entry("#/model/layers/0/type", "type is required"));
        assertThat(pointers("{\"type\": \"dense\", \"units\": 3, \"init\": {\"method\": \"normal\", \"std\": -1}}"))
            .containsExactly(entry("#/model/layers/0/init/std", "std must be positive, got -1.0"));
    }

    @Test
    void anUnknownInitMethodInsideALayerIsPointedAtInsideIt() {
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> json.parse(spec("{\"type\": \"dense\", \"units\": 3, \"init\": {\"method\": \"orthogonal\"}}")));
        assertThat(errors(e)).containsExactly(entry("#/model/layers/0/init/method", "unknown method 'orthogonal'"));
    }

    @Test
    void aLayerThatDoesNotFitItsInputIsPointedAtByItsIndex() {
        DatasetService datasets = mock(DatasetService.class);
        when(datasets.find(any(), any())).thenReturn(Optional.of(new DatasetView(datasetId, "blobs", "csv", 30,
                List.of(2), List.of("a", "b", "c"), Map.of(), "", 0, Instant.EPOCH)));
        JobSpec spec = json.parse(spec("{\"type\": \"dense\", \"units\": 8}, "
                + "{\"type\": \"conv2d\", \"filters\": 4, \"kernel\": 3}, {\"type\": \"dense\", \"units\": 3}"));
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> new SpecResolver(datasets).resolve(UUID.randomUUID(), spec));
        assertThat(errors(e)).containsExactly(
                entry("#/model/layers/1", "layer 1 does not fit its input: conv2d needs (C, H, W) input, got (8)"));
    }

    @Test
    void paddingSameIsReturnedAsSentAndKeepsTheImageSizeInADryRun() {
        JobSpec spec = json.parse(spec("""
                {"type": "conv2d", "filters": 4, "kernel": 3, "padding": "same"},
                {"type": "conv2d", "filters": 2, "kernel": 5, "stride": 2, "padding": "same"},
                {"type": "flatten"}, {"type": "dense", "units": 3}"""));
        assertThat(json.write(spec.withDefaults().model().layers()))
            .startsWith("[{\"type\":\"conv2d\",\"filters\":4,\"kernel\":3,\"stride\":1,\"padding\":\"same\",");
        // what POST /api/v1/jobs?dryRun=true returns
        ModelSummary summary = new SpecResolver(images(1, 7, 7)).resolve(UUID.randomUUID(), spec).summary();
        assertThat(summary.layers().get(0).outputShape()).containsExactly(4, 7, 7);
        assertThat(summary.layers().get(1).outputShape()).containsExactly(2, 4, 4);
        assertThat(summary.layers().get(2).outputShape()).containsExactly(32);
    }

    @Test
    void paddingSameWithAnEvenKernelIsPointedAtThePadding() {
        assertThat(pointers("{\"type\": \"relu\"}, {\"type\": \"conv2d\", \"filters\": 4, \"kernel\": 2, "
                + "\"padding\": \"same\"}, {\"type\": \"flatten\"}, {\"type\": \"dense\", \"units\": 3}"))
            .containsExactly(entry("#/model/layers/1/padding", "padding same needs an odd kernel, got kernel 2"));
        ApiException e = catchThrowableOfType(ApiException.class, () -> new SpecResolver(images(1, 7, 7))
            .resolve(UUID.randomUUID(), json.parse(spec("{\"type\": \"conv2d\", \"filters\": 4, \"kernel\": 4, "
                    + "\"padding\": \"same\"}, {\"type\": \"flatten\"}, {\"type\": \"dense\", \"units\": 3}"))));
        assertThat(e.status().value()).isEqualTo(400);
        assertThat(errors(e))
            .containsExactly(entry("#/model/layers/0/padding", "padding same needs an odd kernel, got kernel 4"));
    }

    private static final String BASIC_BLOCK = """
            {"type": "residual", "layers": [
              {"type": "conv2d", "filters": 16, "kernel": 3, "stride": 2, "padding": "same", "bias": false},
              {"type": "batch_norm"}, {"type": "relu"},
              {"type": "conv2d", "filters": 16, "kernel": 3, "padding": "same", "bias": false},
              {"type": "batch_norm"}]}, {"type": "relu"}""";

    @Test
    void aResidualsLayersComeBackWithTheirDefaultsAndShowInADryRun() {
        JobSpec spec = json.parse(spec("""
                {"type": "conv2d", "filters": 8, "kernel": 3, "padding": "same"}, %s,
                {"type": "global_avg_pool"}, {"type": "dense", "units": 3}""".formatted(BASIC_BLOCK)));
        assertThat(json.write(spec.withDefaults().model().layers().get(1)))
            .isEqualTo("{\"type\":\"residual\",\"layers\":[{\"type\":\"conv2d\",\"filters\":16,\"kernel\":3,"
                    + "\"stride\":2,\"padding\":\"same\",\"bias\":false,\"init\":null},"
                    + "{\"type\":\"batch_norm\",\"momentum\":0.1,\"eps\":1.0E-5},{\"type\":\"relu\"},"
                    + "{\"type\":\"conv2d\",\"filters\":16,\"kernel\":3,\"stride\":1,\"padding\":\"same\","
                    + "\"bias\":false,\"init\":null},{\"type\":\"batch_norm\",\"momentum\":0.1,\"eps\":1.0E-5}],"
                    + "\"projection\":\"auto\"}");
        ModelSummary summary = new SpecResolver(images(3, 8, 8)).resolve(UUID.randomUUID(), spec).summary();
        assertThat(summary.layers().get(1).type()).isEqualTo("residual");
        assertThat(summary.layers().get(1).outputShape()).containsExactly(16, 4, 4);
        // body: two bias-free convs and two batch norms; shortcut: 1x1 conv 8 -> 16 and
        // batch norm
        assertThat(summary.layers().get(1).parameters()).isEqualTo(16 * 8 * 9 + 32 + 16 * 16 * 9 + 32 + 16 * 8 + 32);
    }

    @Test
    void faultsInsideAResidualArePointedAtInsideIt() {
        assertThat(pointers("""
                {"type": "residual", "layers": [{"type": "conv2d", "filters": 0, "kernel": 3, "bias": "no"},
                  {"type": "swish"}, {"type": "relu", "units": 2},
                  {"type": "residual", "layers": [{"type": "relu"}]}]},
                {"type": "flatten"}, {"type": "dense", "units": 3}""")).containsExactly(
                entry("#/model/layers/0/layers/0/filters", "filters must be from 1 to 65536, got 0"),
                entry("#/model/layers/0/layers/0/bias", "bias must be true or false, got no"),
                entry("#/model/layers/0/layers/1/type", "unknown type 'swish'"),
                entry("#/model/layers/0/layers/2/units", "unknown member 'units'"),
                entry("#/model/layers/0/layers/3/type", "a residual's layers cannot hold another residual"));
        assertThat(pointers("{\"type\": \"residual\", \"layers\": []}, {\"type\": \"dense\", \"units\": 3}"))
            .containsExactly(entry("#/model/layers/0/layers", "layers must hold from 1 to 32 layers, got 0"));
        ApiException e = catchThrowableOfType(ApiException.class, () -> json.parse(
                spec("{\"type\": \"residual\", \"layers\": [{\"type\": \"relu\"}, {\"type\": \"dense\", \"units\": 3, "
                        + "\"init\": {\"method\": \"orthogonal\"}}]}")));
        assertThat(errors(e))
            .containsExactly(entry("#/model/layers/0/layers/1/init/method", "unknown method 'orthogonal'"));
    }

    @Test
    void aResidualWhoseShapesCannotBeReconciledIsPointedAtItsLayers() {
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> new SpecResolver(images(2, 4, 4)).resolve(UUID.randomUUID(), json.parse(spec("""
                        {"type": "residual", "layers": [{"type": "conv2d", "filters": 2, "kernel": 2}]},
                        {"type": "flatten"}, {"type": "dense", "units": 3}"""))));
        assertThat(e.status().value()).isEqualTo(400);
        assertThat(errors(e)).containsOnlyKeys("#/model/layers/0/layers");
        e = catchThrowableOfType(ApiException.class,
                () -> new SpecResolver(images(2, 4, 4)).resolve(UUID.randomUUID(), json.parse(spec("""
                        {"type": "relu"}, {"type": "residual", "layers": [{"type": "relu"},
                          {"type": "conv2d", "filters": 2, "kernel": 7}]},
                        {"type": "flatten"}, {"type": "dense", "units": 3}"""))));
        assertThat(errors(e)).containsExactly(entry("#/model/layers/1/layers/1",
                "layer 1 does not fit its input: layers[1]: kernel 7 with padding 0 does not fit input (2, 4, 4)"));
    }

    @Test
    void scheduleIntervalDefaultsToEpochAndIsEchoed() {
        JobSpec plain = json.parse(spec("{\"type\": \"dense\", \"units\": 3}")).withDefaults();
        assertThat(plain.training().schedule().interval()).isEqualTo("epoch");
        JobSpec cosine = json.parse(withSchedule("{\"type\": \"cosine\", \"warmupEpochs\": 1}")).withDefaults();
        assertThat(json.write(cosine.training().schedule()))
            .isEqualTo("{\"type\":\"cosine\",\"minLearningRate\":0.0,\"warmupEpochs\":1,\"interval\":\"epoch\"}");
        JobSpec step = json.parse(withSchedule("{\"type\": \"cosine\", \"interval\": \"step\"}")).withDefaults();
        String written = json.write(step);
        assertThat(written).contains("\"interval\":\"step\"");
        assertThat(json.read(written, JobSpec.class).training().schedule().interval()).isEqualTo("step");
    }

    @Test
    void aBadScheduleIntervalIsPointedAt() {
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> SpecValidator
                    .validate(json.parse(withSchedule("{\"type\": \"step\", \"interval\": \"batch\"}")).withDefaults())
                    .throwIfAny());
        assertThat(e.status().value()).isEqualTo(400);
        assertThat(errors(e))
            .containsExactly(entry("#/training/schedule/interval", "interval must be epoch or step, got 'batch'"));
    }

    private String withSchedule(String schedule) {
        return """
                {"datasetId": "%s", "model": {"layers": [{"type": "dense", "units": 3}]},
                 "training": {"epochs": 2, "optimizer": {"type": "sgd", "learningRate": 0.05},
                              "schedule": %s}}""".formatted(datasetId, schedule);
    }

    private DatasetService images(int... shape) {
        DatasetService datasets = mock(DatasetService.class);
        when(datasets.find(any(), any())).thenReturn(Optional
            .of(new DatasetView(datasetId, "images", "idx", 30, java.util.Arrays.stream(shape).boxed().toList(),
                    List.of("a", "b", "c"), Map.of(), "", 0, Instant.EPOCH)));
        return datasets;
    }

    private Map<String, String> pointers(String layers) {
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> SpecValidator.validate(json.parse(spec(layers)).withDefaults()).throwIfAny());
        return errors(e);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> errors(ApiException e) {
        assertThat(e).isNotNull();
        Map<String, String> errors = new java.util.LinkedHashMap<>();
        ((List<Map<String, String>>) e.properties().get("errors"))
            .forEach(m -> errors.put(m.get("pointer"), m.get("detail")));
        return errors;
    }

    private String spec(String layers) {
        return """
                {"datasetId": "%s", "model": {"layers": [%s]},
                 "training": {"epochs": 1, "optimizer": {"type": "sgd", "learningRate": 0.05}}}""".formatted(datasetId,
                layers);
    }

}
