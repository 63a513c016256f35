package dev.trainyard.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.engine.init.Zeros;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import java.io.IOException;
import org.assertj.core.data.Offset;
import java.io.InputStream;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Outputs and every gradient against PyTorch 1.13, from the files that
 * {@code src/test/python/make_golden_layers.py} writes; float32 tolerance.
 */
class GoldenLayerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final double ABS = 2e-5;

    private static final double REL = 1e-5;

    static JsonNode load(String name) throws IOException {
        try (InputStream in = GoldenLayerTest.class.getResourceAsStream("/golden/layers/" + name + ".json")) {
            assertThat(in).as("golden file %s", name).isNotNull();
            return JSON.readTree(in);
        }
    }

    static float[] floats(JsonNode node) {
        float[] f = new float[node.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) node.get(i).asDouble();
        }
        return f;
    }

    static int[] ints(JsonNode node) {
        int[] v = new int[node.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = node.get(i).asInt();
        }
        return v;
    }

    static void assertClose(String what, float[] actual, float[] expected) {
        assertThat(actual.length).as("%s length", what).isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            double tol = ABS + REL * Math.abs(expected[i]);
            assertThat((double) actual[i]).as("%s[%d]", what, i).isCloseTo(expected[i], Offset.offset(tol));
        }
    }

    static LayerSpec spec(JsonNode layer) {
        return switch (layer.get("type").asString()) {
            case "dense" -> new LayerSpec.Dense(layer.get("units").asInt());
            case "conv2d" -> new LayerSpec.Conv2d(layer.get("filters").asInt(), layer.get("kernel").asInt(),
                    layer.get("stride").asInt(), layer.get("padding").asInt(),
                    !layer.has("bias") || layer.get("bias").asBoolean(), null);
            case "max_pool" -> new LayerSpec.MaxPool(layer.get("size").asInt(), layer.get("stride").asInt());
            case "avg_pool" -> new LayerSpec.AvgPool(layer.get("size").asInt(), layer.get("stride").asInt());
            case "global_avg_pool" -> new LayerSpec.GlobalAvgPool();
            case "batch_norm" ->
                layer.has("momentum") ? new LayerSpec.BatchNorm((float) layer.get("momentum").asDouble(),
                        (float) layer.get("eps").asDouble()) : new LayerSpec.BatchNorm();
            case "residual" -> {
                List<LayerSpec> body = new java.util.ArrayList<>();
                layer.get("layers").forEach(sub -> body.add(spec(sub)));
                yield new LayerSpec.Residual(body);
            }
            case "dropout" -> new LayerSpec.Dropout((float) layer.get("rate").asDouble());
            case "relu" -> new LayerSpec.Relu();
            case "leaky_relu" -> new LayerSpec.LeakyRelu((float) layer.get("slope").asDouble());
            case "tanh" -> new LayerSpec.Tanh();
            case "sigmoid" -> new LayerSpec.Sigmoid();
            default -> throw new IllegalArgumentException("unknown layer in golden file: " + layer);
        };
    }

    /** A one-layer model with torch's parameters copied in. */
    static Sequential model(JsonNode g) {
        Shape input = Shape.of(ints(g.get("input_shape")));
        Sequential m = Sequential.build(input.dropFirst(), List.of(spec(g.get("layer"))), new Zeros(), 0);
        m.setInputGradientNeeded(true);
        for (Parameter p : m.parameters()) {
            p.value().copyFrom(Tensor.wrap(floats(g.get(p.localName())), p.shape()));
        }
        return m;
    }

    static Tensor tensor(JsonNode g, String field, Shape shape) {
        return Tensor.wrap(floats(g.get(field)), shape);
    }

    @ParameterizedTest
    @ValueSource(strings = { "dense", "conv2d_k3_s1_p1", "conv2d_k3_s2_p0", "conv2d_k2_s2_p2",
            "conv2d_k5_s1_p2_nonsquare", "conv2d_k3_s3_p1_nonsquare", "max_pool_2", "max_pool_3_s2", "avg_pool_2",
            "avg_pool_3_s2", "global_avg_pool", "relu", "leaky_relu", "tanh", "sigmoid", "batch_norm_1d",
            "batch_norm_2d", "residual_identity", "residual_projection" })
    void outputsAndGradientsMatchPyTorch(String name) throws IOException {
        JsonNode g = load(name);
        Sequential m = model(g);
        Shape shape = Shape.of(ints(g.get("input_shape")));
        Tensor y = m.forward(tensor(g, "input", shape), true);
        assertClose(name + " output", y.toArray(), floats(g.get("output")));
        m.zeroGrad();
        Tensor dx = m.backward(tensor(g, "dout", y.shape()));
        assertClose(name + " dinput", dx.toArray(), floats(g.get("dinput")));
        for (Parameter p : m.parameters()) {
            assertClose(name + " d" + p.localName(), p.grad().toArray(), floats(g.get("d" + p.localName())));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "batch_norm_1d", "batch_norm_2d" })
    void batchNormRunningStatisticsAndTestOutputMatchPyTorch(String name) throws IOException {
        JsonNode g = load(name);
        Sequential m = model(g);
        Shape shape = Shape.of(ints(g.get("input_shape")));
        m.forward(tensor(g, "input", shape), true);
        assertClose(name + " running_mean after 1 step", m.state().get("0.running_mean").toArray(),
                floats(g.get("running_mean_1")));
        assertClose(name + " running_var after 1 step", m.state().get("0.running_var").toArray(),
                floats(g.get("running_var_1")));
        for (JsonNode more : g.get("more_training_inputs")) {
            m.forward(Tensor.wrap(floats(more), shape), true);
        }
        assertClose(name + " running_mean", m.state().get("0.running_mean").toArray(), floats(g.get("running_mean")));
        assertClose(name + " running_var", m.state().get("0.running_var").toArray(), floats(g.get("running_var")));
        assertThat(m.batchNormCounters()).containsEntry("0.num_batches_tracked", g.get("num_batches_tracked").asLong());
        Tensor yt = m.forward(tensor(g, "test_input", shape), false);
        assertClose(name + " test output", yt.toArray(), floats(g.get("test_output")));
    }

    @ParameterizedTest
    @ValueSource(strings = { "residual_identity", "residual_projection" })
    void residualBlocksNameTheirTensorsAndMoveTheirStatisticsAsPyTorch(String name) throws IOException {
        JsonNode g = load(name);
        Sequential m = model(g);
        List<String> torchNames = g.propertyNames()
            .stream()
            .filter(k -> k.startsWith("body.") || k.startsWith("shortcut."))
            .map(k -> "0." + k)
            .toList();
        assertThat(m.parameterNames()).containsExactlyElementsOf(torchNames);
        m.forward(tensor(g, "input", Shape.of(ints(g.get("input_shape")))), true);
        JsonNode state = g.get("state");
        List<String> stateNames = new java.util.ArrayList<>();
        for (String key : state.propertyNames()) {
            if (key.endsWith("num_batches_tracked")) {
                assertThat(m.batchNormCounters()).containsEntry("0." + key, state.get(key).asLong());
            }
            else {
                stateNames.add("0." + key);
                assertClose(name + " " + key, m.state().get("0." + key).toArray(), floats(state.get(key)));
            }
        }
        assertThat(m.state().keySet()).containsExactlyElementsOf(stateNames);
        assertThat(m.layer(0).outputShape().dims())
            .containsExactly(java.util.Arrays.copyOfRange(ints(g.get("output_shape")), 1, 4));
    }

    @ParameterizedTest
    @ValueSource(strings = { "dropout" })
    void dropoutWithTorchsMaskMatchesPyTorch(String name) throws IOException {
        JsonNode g = load(name);
        Shape shape = Shape.of(ints(g.get("input_shape")));
        Sequential m = model(g);
        Dropout d = (Dropout) m.layer(0);
        Tensor y = d.forward(tensor(g, "input", shape), tensor(g, "keep", shape));
        assertClose("dropout output", y.toArray(), floats(g.get("output")));
        Tensor dx = d.backward(tensor(g, "dout", shape));
        assertClose("dropout dinput", dx.toArray(), floats(g.get("dinput")));
        long dropped = IntStream.range(0, shape.size()).filter(i -> y.toArray()[i] == 0f).count();
        assertThat(dropped).as("torch's mask drops some units and keeps others").isBetween(1L, shape.size() - 1L);
    }

}
