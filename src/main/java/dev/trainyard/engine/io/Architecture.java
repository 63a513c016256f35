package dev.trainyard.engine.io;

import dev.trainyard.engine.init.Constant;
import dev.trainyard.engine.init.FanMode;
import dev.trainyard.engine.init.HeNormal;
import dev.trainyard.engine.init.HeUniform;
import dev.trainyard.engine.init.Initializer;
import dev.trainyard.engine.init.Normal;
import dev.trainyard.engine.init.XavierNormal;
import dev.trainyard.engine.init.XavierUniform;
import dev.trainyard.engine.init.Zeros;
import dev.trainyard.engine.nn.LayerSpec;
import dev.trainyard.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model's architecture as JSON, in the job spec's vocabulary: {@code {"inputShape":
 * [784], "init": {"method": "he_normal"}, "layers": [{"type": "dense", "units": 512},
 * {"type": "batch_norm", "momentum": 0.1, "eps": 1e-5}, ...]}}. Every field is written,
 * so a file never depends on defaults; reading rejects unknown types and fields.
 */
public record Architecture(Shape inputShape, Initializer init, List<LayerSpec> layers) {

    public Architecture {
        layers = List.copyOf(layers);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> dims = new ArrayList<>();
        for (int d : inputShape.dims()) {
            dims.add((long) d);
        }
        m.put("inputShape", dims);
        m.put("init", init == null ? null : initToJson(init));
        List<Object> l = new ArrayList<>();
        for (LayerSpec s : layers) {
            l.add(layerToJson(s));
        }
        m.put("layers", l);
        return m;
    }

    public static Architecture fromJson(Map<String, Object> m) {
        List<?> dims = list(m.get("inputShape"), "inputShape");
        int[] d = new int[dims.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (int) integer(dims.get(i), "inputShape");
        }
        Initializer init = m.get("init") == null ? null : initFromJson(map(m.get("init"), "init"));
        List<LayerSpec> layers = new ArrayList<>();
        List<?> l = list(m.get("layers"), "layers");
        for (int i = 0; i < l.size(); i++) {
            try {
                layers.add(layerFromJson(map(l.get(i), "layer")));
            }
            catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layers[" + i + "]: " + e.getMessage(), e);
            }
        }
        return new Architecture(Shape.of(d), init, layers);
    }

    static Map<String, Object> layerToJson(LayerSpec spec) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", spec.kind());
        switch (spec) {
            case LayerSpec.Dense s -> {
                m.put("units", (long) s.units());
                putInit(m, s.init());
            }
            case LayerSpec.Conv2d s -> {
                m.put("filters", (long) s.filters());
                m.put("kernel", (long) s.kernel());
                m.put("stride", (long) s.stride());
                m.put("padding", (long) s.padding());
                putInit(m, s.init());
            }
            case LayerSpec.MaxPool s -> {
                m.put("size", (long) s.size());
                m.put("stride", (long) s.stride());
            }
            case LayerSpec.AvgPool s -> {
                m.put("size", (long) s.size());
                m.put("stride", (long) s.stride());
            }
            case LayerSpec.BatchNorm s -> {
                m.put("momentum", (double) s.momentum());
                m.put("eps", (double) s.eps());
            }
            case LayerSpec.Dropout s -> {
                m.put("rate", (double) s.rate());
                m.put("variant", s.variant().name().toLowerCase(Locale.ROOT));
            }
            case LayerSpec.DropBlock s -> {
                m.put("blockSize", (long) s.blockSize());
                m.put("rate", (double) s.rate());
                m.put("rampEpochs", (long) s.rampEpochs());
            }
            case LayerSpec.LeakyRelu s -> m.put("slope", (double) s.slope());
            case LayerSpec.Flatten s -> {
            }
            case LayerSpec.Relu s -> {
            }
            case LayerSpec.Tanh s -> {
            }
            case LayerSpec.Sigmoid s -> {
            }
        }
        return m;
    }

    static LayerSpec layerFromJson(Map<String, Object> m) {
        Fields f = new Fields(m);
        String type = f.string("type");
        LayerSpec spec = switch (type) {
            case "dense" -> new LayerSpec.Dense(f.integer("units"), f.init());
            case "conv2d" -> new LayerSpec.Conv2d(f.integer("filters"), f.integer("kernel"), f.integer("stride"),
                    f.integer("padding"), f.init());
            case "max_pool" -> new LayerSpec.MaxPool(f.integer("size"), f.integer("stride"));
            case "avg_pool" -> new LayerSpec.AvgPool(f.integer("size"), f.integer("stride"));
            case "batch_norm" -> new LayerSpec.BatchNorm(f.real("momentum"), f.real("eps"));
            case "dropout" -> new LayerSpec.Dropout(f.real("rate"),
                    LayerSpec.DropoutVariant.valueOf(f.string("variant").toUpperCase(Locale.ROOT)));
            case "drop_block" ->
                new LayerSpec.DropBlock(f.integer("blockSize"), f.real("rate"), f.integer("rampEpochs"));
            case "leaky_relu" -> new LayerSpec.LeakyRelu(f.real("slope"));
            case "flatten" -> new LayerSpec.Flatten();
            case "relu" -> new LayerSpec.Relu();
            case "tanh" -> new LayerSpec.Tanh();
            case "sigmoid" -> new LayerSpec.Sigmoid();
            default -> throw new IllegalArgumentException("unknown layer type " + type);
        };
        f.requireAllRead();
        return spec;
    }

    static Map<String, Object> initToJson(Initializer init) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", init.method());
        switch (init) {
            case Constant c -> m.put("value", (double) c.value());
            case Normal n -> m.put("std", n.std());
            case XavierNormal x -> m.put("fanMode", x.mode().name().toLowerCase(Locale.ROOT));
            case XavierUniform x -> m.put("fanMode", x.mode().name().toLowerCase(Locale.ROOT));
            case Zeros z -> {
            }
            case HeNormal h -> {
            }
            case HeUniform h -> {
            }
        }
        return m;
    }

    static Initializer initFromJson(Map<String, Object> m) {
        Fields f = new Fields(m);
        String method = f.string("method");
        Initializer init = switch (method) {
            case "zeros" -> new Zeros();
            case "constant" -> new Constant(f.real("value"));
            case "normal" -> new Normal(f.number("std"));
            case "xavier_normal" -> new XavierNormal(FanMode.valueOf(f.string("fanMode").toUpperCase(Locale.ROOT)));
            case "xavier_uniform" -> new XavierUniform(FanMode.valueOf(f.string("fanMode").toUpperCase(Locale.ROOT)));
            case "he_normal" -> new HeNormal();
            case "he_uniform" -> new HeUniform();
            default -> throw new IllegalArgumentException("unknown init method " + method);
        };
        f.requireAllRead();
        return init;
    }

    private static void putInit(Map<String, Object> m, Initializer init) {
        if (init != null) {
            m.put("init", initToJson(init));
        }
    }

    /** Reads named fields of one JSON object and complains about the ones nobody read. */
    private static final class Fields {

        private final Map<String, Object> m;

        private final java.util.Set<String> read = new java.util.HashSet<>();

        Fields(Map<String, Object> m) {
            this.m = m;
        }

        private Object get(String key) {
            read.add(key);
            Object v = m.get(key);
            if (v == null) {
                throw new IllegalArgumentException("missing field " + key);
            }
            return v;
        }

        String string(String key) {
            if (!(get(key) instanceof String s)) {
                throw new IllegalArgumentException("field " + key + " must be a string");
            }
            return s;
        }

        int integer(String key) {
            return (int) Architecture.integer(get(key), key);
        }

        float real(String key) {
            return (float) number(key);
        }

        double number(String key) {
            if (!(get(key) instanceof Number n)) {
                throw new IllegalArgumentException("field " + key + " must be a number");
            }
            return n.doubleValue();
        }

        Initializer init() {
            read.add("init");
            Object v = m.get("init");
            return v == null ? null : initFromJson(map(v, "init"));
        }

        void requireAllRead() {
            for (String k : m.keySet()) {
                if (!read.contains(k)) {
                    throw new IllegalArgumentException("unknown field " + k);
                }
            }
        }

    }

    private static long integer(Object v, String what) {
        if (!(v instanceof Long l) || l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " must be an integer, got " + v);
        }
        return l;
    }

    private static List<?> list(Object v, String what) {
        if (!(v instanceof List<?> l)) {
            throw new IllegalArgumentException(what + " must be an array");
        }
        return l;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object v, String what) {
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException(what + " must be an object");
        }
        return (Map<String, Object>) v;
    }
}
