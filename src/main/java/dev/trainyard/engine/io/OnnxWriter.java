package dev.trainyard.engine.io;

import dev.trainyard.engine.data.PreprocessingMethod;
import dev.trainyard.engine.data.PreprocessingStatistics;
import dev.trainyard.engine.nn.Layer;
import dev.trainyard.engine.nn.LayerSpec;
import dev.trainyard.engine.nn.Residual;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a classifier as an ONNX model (IR version 8, opset 17) with its own protobuf
 * encoder; each layer's operator is its type's {@code onnxOp}. Input {@code input} (N,
 * ...featureShape) holds raw feature values; the graph applies the preprocessing (Sub,
 * Div, Mul, Add with the fitted statistics, broadcast per feature or per channel), then
 * the layers (Gemm, Conv, BatchNormalization in inference mode, Relu, LeakyRelu, Tanh,
 * Sigmoid, MaxPool, AveragePool, GlobalAveragePool followed by Flatten, Flatten; dropout
 * and DropBlock are the identity, vanilla dropout a Mul by 1 - rate; a residual is its
 * body's and its projection's nodes and an Add) and a Softmax, so output
 * {@code probabilities} (N, K) equals the service's answer.
 */
public final class OnnxWriter {

    static final int IR_VERSION = 8;

    static final int OPSET = 17;

    private static final int FLOAT = 1;

    private static final int ATTR_FLOAT = 1;

    private static final int ATTR_INT = 2;

    private static final int ATTR_INTS = 7;

    private final Protobuf graph = new Protobuf();

    private final List<Protobuf> initializers = new ArrayList<>();

    private int names;

    private OnnxWriter() {
    }

    public static byte[] write(Sequential model, PreprocessingStatistics preprocessing, String graphName) {
        OnnxWriter w = new OnnxWriter();
        String x = w.preprocessing("input", preprocessing);
        for (int i = 0; i < model.layers().size(); i++) {
            x = w.layer(String.valueOf(i), model.layer(i), x);
        }
        w.node("Softmax", List.of(x), "probabilities", attrInt("axis", 1));
        for (Protobuf t : w.initializers) {
            w.graph.message(5, t);
        }
        w.graph.string(2, graphName);
        w.graph.message(11, valueInfo("input", model.inputShape()));
        w.graph.message(12, valueInfo("probabilities", model.outputShape()));
        return new Protobuf().varint(1, IR_VERSION)
            .string(2, "trainyard")
            .string(3, "1")
            .message(7, w.graph)
            .message(8, new Protobuf().string(1, "").varint(2, OPSET))
            .toBytes();
    }

    private String preprocessing(String x, PreprocessingStatistics s) {
        PreprocessingMethod method = s.method();
        if (method == PreprocessingMethod.NONE) {
            return x;
        }
        Shape shape = Shape.of(s.featureShape());
        int groups = s.perChannel() ? shape.dim(0) : shape.size();
        // statistics broadcast against (N, ...featureShape): (...featureShape) per
        // feature, (C, 1, 1...)
        // per channel
        int[] dims = shape.dims();
        if (s.perChannel()) {
            for (int d = 1; d < dims.length; d++) {
                dims[d] = 1;
            }
        }
        return switch (method) {
            case MEAN_SUBTRACTION -> node("Sub", List.of(x, constant(s.mean(), dims)), null);
            case STANDARDIZE -> {
                float[] std = new float[groups];
                for (int g = 0; g < groups; g++) {
                    std[g] = s.std()[g] < PreprocessingStatistics.EPS ? 1f : s.std()[g];
                }
                String centred = node("Sub", List.of(x, constant(s.mean(), dims)), null);
                yield node("Div", List.of(centred, constant(std, dims)), null);
            }
            case MIN_MAX -> {
                // 2 (x - min) / (max - min) - 1; a constant training feature maps to 0
                float[] range = new float[groups];
                float[] scale = new float[groups];
                float[] shift = new float[groups];
                for (int g = 0; g < groups; g++) {
                    boolean varies = s.max()[g] > s.min()[g];
                    range[g] = varies ? s.max()[g] - s.min()[g] : 1f;
                    scale[g] = varies ? 2f : 0f;
                    shift[g] = varies ? -1f : 0f;
                }
                String d = node("Sub", List.of(x, constant(s.min(), dims)), null);
                String r = node("Div", List.of(d, constant(range, dims)), null);
                String m = node("Mul", List.of(r, constant(scale, dims)), null);
                yield node("Add", List.of(m, constant(shift, dims)), null);
            }
            case NONE -> x;
        };
    }

    /**
     * The nodes of {@code layer} at {@code path} ({@code 3}, or {@code 3.body.0} inside a
     * residual) applied to {@code x}; returns the output's name.
     */
    private String layer(String path, Layer layer, String x) {
        if (layer instanceof Residual r) {
            return residual(path, r, x);
        }
        List<String> params = new ArrayList<>();
        layer.parameters().forEach(p -> params.add(initializer(p.name(), p.value())));
        String op = layer.spec().type().onnxOp();
        return switch (layer.spec()) {
            case LayerSpec.Dense d -> node(op, List.of(x, params.get(0), params.get(1)), null, attrInt("transB", 1));
            // Conv's B input is optional: a bias-less conv has none
            case LayerSpec.Conv2d c ->
                node(op, c.bias() ? List.of(x, params.get(0), params.get(1)) : List.of(x, params.get(0)), null,
                        attrInts("kernel_shape", c.kernel(), c.kernel()), attrInts("strides", c.stride(), c.stride()),
                        attrInts("pads", c.padding(), c.padding(), c.padding(), c.padding()));
            case LayerSpec.BatchNorm b -> node(op,
                    List.of(x, params.get(0), params.get(1),
                            initializer(path + ".running_mean", layer.state().get("running_mean")),
                            initializer(path + ".running_var", layer.state().get("running_var"))),
                    null, attrFloat("epsilon", b.eps()));
            case LayerSpec.Relu r -> node(op, List.of(x), null);
            case LayerSpec.LeakyRelu r -> node(op, List.of(x), null, attrFloat("alpha", r.slope()));
            case LayerSpec.Tanh t -> node(op, List.of(x), null);
            case LayerSpec.Sigmoid s -> node(op, List.of(x), null);
            case LayerSpec.MaxPool p -> node(op, List.of(x), null, attrInts("kernel_shape", p.size(), p.size()),
                    attrInts("strides", p.stride(), p.stride()));
            case LayerSpec.AvgPool p -> node(op, List.of(x), null, attrInts("kernel_shape", p.size(), p.size()),
                    attrInts("strides", p.stride(), p.stride()));
            // GlobalAveragePool gives (N, C, 1, 1); Flatten makes it our (N, C)
            case LayerSpec.GlobalAvgPool g ->
                node("Flatten", List.of(node(op, List.of(x), null)), null, attrInt("axis", 1));
            case LayerSpec.Flatten f -> node(op, List.of(x), null, attrInt("axis", 1));
            case LayerSpec.Dropout d -> d.variant() == LayerSpec.DropoutVariant.VANILLA && d.rate() > 0
                    ? node("Mul", List.of(x, constant(new float[] { 1f - d.rate() }, new int[0])), null) : x;
            case LayerSpec.DropBlock d -> x;
            case LayerSpec.Residual r -> throw new IllegalStateException("a residual spec on a " + layer.kind());
        };
    }

    /** The body's nodes, the shortcut's (none for the identity), then their Add. */
    private String residual(String path, Residual r, String x) {
        String b = x;
        for (int j = 0; j < r.body().size(); j++) {
            b = layer(path + ".body." + j, r.body().get(j), b);
        }
        String s = x;
        for (int j = 0; j < r.shortcut().size(); j++) {
            s = layer(path + ".shortcut." + j, r.shortcut().get(j), s);
        }
        return node(r.spec().type().onnxOp(), List.of(b, s), null);
    }

    /**
     * Adds a node; returns its output's name (a fresh one unless {@code output} is
     * given).
     */
    private String node(String op, List<String> inputs, String output, Protobuf... attributes) {
        String out = output != null ? output : "t" + names++;
        Protobuf n = new Protobuf();
        for (String in : inputs) {
            n.string(1, in);
        }
        n.string(2, out).string(3, op + "_" + names++).string(4, op);
        for (Protobuf a : attributes) {
            n.message(5, a);
        }
        graph.message(1, n);
        return out;
    }

    private String constant(float[] values, int[] dims) {
        return initializer("c" + names++, Tensor.wrap(values.clone(), dims.length == 0 ? Shape.of(1) : Shape.of(dims)),
                dims);
    }

    private String initializer(String name, Tensor t) {
        return initializer(name, t, t.shape().dims());
    }

    private String initializer(String name, Tensor t, int[] dims) {
        Protobuf p = new Protobuf();
        for (int d : dims) {
            p.varint(1, d);
        }
        ByteBuffer raw = ByteBuffer.allocate(4 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(t.data(), t.offset(), t.size());
        p.varint(2, FLOAT).string(8, name).bytes(9, raw.array());
        initializers.add(p);
        return name;
    }

    private static Protobuf valueInfo(String name, Shape example) {
        Protobuf shape = new Protobuf().message(1, new Protobuf().string(2, "N"));
        for (int d : example.dims()) {
            shape.message(1, new Protobuf().varint(1, d));
        }
        Protobuf tensorType = new Protobuf().varint(1, FLOAT).message(2, shape);
        return new Protobuf().string(1, name).message(2, new Protobuf().message(1, tensorType));
    }

    private static Protobuf attrInt(String name, long value) {
        return new Protobuf().string(1, name).varint(3, value).varint(20, ATTR_INT);
    }

    private static Protobuf attrFloat(String name, float value) {
        return new Protobuf().string(1, name).float32(2, value).varint(20, ATTR_FLOAT);
    }

    private static Protobuf attrInts(String name, int... values) {
        Protobuf a = new Protobuf().string(1, name);
        for (int v : values) {
            a.varint(8, v);
        }
        return a.varint(20, ATTR_INTS);
    }

}
