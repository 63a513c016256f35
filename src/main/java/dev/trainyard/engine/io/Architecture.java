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
import dev.trainyard.engine.nn.InvalidLayerException;
import dev.trainyard.engine.nn.LayerSpec;
import dev.trainyard.engine.nn.LayerType;
import dev.trainyard.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model's architecture as JSON, in the job spec's vocabulary: {@code {"inputShape":
 * [784], "init": {"method": "he_normal"}, "layers": [{"type": "dense", "units": 512},
 * {"type": "batch_norm", "momentum": 0.1, "eps": 1e-5}, ...]}}; a residual's
 * {@code layers} are layer objects alike. Every field is written, so a file never depends
 * on defaults; reading rejects unknown types and fields. The layer types, their
 * parameters and allowed values are {@link LayerSpec#types()}'s; a faulty layer throws
 * {@link InvalidLayerException} with its index.
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
                throw InvalidLayerException.at(i, "layers[" + i + "]: ", e);
            }
        }
        return new Architecture(Shape.of(d), init, layers);
    }

    static Map<String, Object> layerToJson(LayerSpec spec) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", spec.kind());
        spec.type().write(spec).forEach((name, value) -> {
            if (value instanceof Initializer init) {
                m.put(name, initToJson(init));
            }
            else if (value instanceof List<?> subLayers) {
                m.put(name, subLayers.stream().map(s -> (Object) layerToJson((LayerSpec) s)).toList());
            }
            else if (value != null) {
                m.put(name, value);
            }
        });
        return m;
    }

    /**
     * The spec of one layer object; an omitted parameter takes the vocabulary's default.
     */
    static LayerSpec layerFromJson(Map<String, Object> m) {
        if (!(m.get("type") instanceof String name)) {
            throw new InvalidLayerException("type",
                    m.get("type") == null ? "missing field type" : "field type must be a string");
        }
        LayerType<?> type = LayerSpec.type(name);
        if (type == null) {
            throw new InvalidLayerException("type", "unknown layer type " + name);
        }
        Map<String, Object> values = new LinkedHashMap<>(m);
        values.remove("type");
        List<String> unknown = type.unknown(values);
        if (!unknown.isEmpty()) {
            throw new InvalidLayerException(unknown.getFirst(), "unknown field " + unknown.getFirst());
        }
        return type.read(type.withDefaults(values), v -> initFromJson(map(v, "init")),
                v -> layerFromJson(map(v, "layer")));
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

    /**
     * Reads named fields of one initializer object and complains about the ones nobody
     * read.
     */
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

        float real(String key) {
            return (float) number(key);
        }

        double number(String key) {
            if (!(get(key) instanceof Number n)) {
                throw new IllegalArgumentException("field " + key + " must be a number");
            }
            return n.doubleValue();
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
