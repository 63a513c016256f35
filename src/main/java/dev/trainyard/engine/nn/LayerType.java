package dev.trainyard.engine.nn;

import dev.trainyard.engine.init.Initializer;
import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Shape;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * One entry of the layer vocabulary ({@link LayerSpec#types()}): the type's name in job
 * specs and model files, a one-line description, its parameters in the order of the spec
 * record's components, the ONNX operator it exports as (null where it exports as the
 * identity or needs several) and how to build its layer. Reads and writes the record from
 * and to JSON-like values (Integer or Long, Double, String, Boolean; initializers and a
 * residual's sub-layers in the caller's form) by its components, so a type's parameters
 * are written down once.
 */
public final class LayerType<S extends LayerSpec> {

    /** Builds the layer of a spec for a per-example input shape. */
    @FunctionalInterface
    interface Factory<S> {

        Layer create(S spec, Shape input, Initializer defaultInit, Rng rng);

    }

    private final String name;

    private final Class<S> specClass;

    private final String description;

    private final List<LayerParameter> parameters;

    private final String onnxOp;

    private final Factory<S> factory;

    private final Constructor<S> constructor;

    private final RecordComponent[] components;

    LayerType(String name, Class<S> specClass, String description, String onnxOp, Factory<S> factory,
            LayerParameter... parameters) {
        this.name = name;
        this.specClass = specClass;
        this.description = description;
        this.onnxOp = onnxOp;
        this.factory = factory;
        this.parameters = List.of(parameters);
        this.components = specClass.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            if (i >= parameters.length || !components[i].getName().equals(parameters[i].name())) {
                throw new IllegalStateException(name + ": parameters must follow the record components");
            }
        }
        if (components.length != parameters.length) {
            throw new IllegalStateException(name + ": parameters must follow the record components");
        }
        try {
            this.constructor = specClass.getDeclaredConstructor(types);
        }
        catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    public String name() {
        return name;
    }

    public Class<S> specClass() {
        return specClass;
    }

    /** One line for API documentation; null where the name says it all. */
    public String description() {
        return description;
    }

    public List<LayerParameter> parameters() {
        return parameters;
    }

    /** The ONNX operator of this layer; null where the exporter composes it. */
    public String onnxOp() {
        return onnxOp;
    }

    public LayerParameter parameter(String parameterName) {
        return parameters.stream().filter(p -> p.name().equals(parameterName)).findFirst().orElse(null);
    }

    /** The members of {@code given} that are no parameter of this type. */
    public List<String> unknown(Map<String, ?> given) {
        return given.keySet().stream().filter(k -> parameter(k) == null).toList();
    }

    /**
     * {@code given} with every omitted parameter set to its default (null for an init),
     * parameters first in their order, numbers as Integer or Double, words (conv2d's
     * padding {@code "same"}) as given; other members kept after them for the caller to
     * refuse.
     */
    public Map<String, Object> withDefaults(Map<String, ?> given) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (LayerParameter p : parameters) {
            Object v = given.get(p.name());
            if (v == null) {
                v = p.defaultsTo() != null ? m.get(p.defaultsTo()) : p.defaultValue();
            }
            m.put(p.name(), p.normalized(v));
        }
        given.forEach((k, v) -> m.putIfAbsent(k, v));
        return m;
    }

    /**
     * Parameter name and reason of every value {@code values} (defaults filled in)
     * breaks.
     */
    public Map<String, String> problems(Map<String, ?> values) {
        Map<String, String> problems = new LinkedHashMap<>();
        for (LayerParameter p : parameters) {
            String problem = p.problem(values.get(p.name()), values);
            if (problem != null) {
                problems.put(p.name(), problem);
            }
        }
        return problems;
    }

    /**
     * The spec of {@code values} (defaults filled in, no unknown members), words resolved
     * to their integers; {@code inits} turns an init value into an initializer and
     * {@code layers} a sub-layer (a residual's) into its spec. A sub-layer's fault is
     * rethrown at its position in the list ({@link InvalidLayerException#path()}).
     */
    public S read(Map<String, ?> values, Function<Object, Initializer> inits, Function<Object, LayerSpec> layers) {
        Map<String, String> problems = problems(values);
        if (!problems.isEmpty()) {
            Map.Entry<String, String> first = problems.entrySet().iterator().next();
            throw new InvalidLayerException(first.getKey(), first.getValue());
        }
        Object[] args = new Object[components.length];
        for (int i = 0; i < args.length; i++) {
            Object v = values.get(parameters.get(i).name());
            Class<?> type = components[i].getType();
            if (type == int.class) {
                args[i] = parameters.get(i).intValue(v, values);
            }
            else if (type == float.class) {
                args[i] = ((Number) v).floatValue();
            }
            else if (type == Initializer.class) {
                args[i] = v == null ? null : inits.apply(v);
            }
            else if (type == List.class) {
                args[i] = subLayers(parameters.get(i).name(), (List<?>) v, layers);
            }
            else if (type.isEnum()) {
                args[i] = enumValue(type, (String) v);
            }
            else {
                args[i] = v;
            }
        }
        try {
            return constructor.newInstance(args);
        }
        catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<LayerSpec> subLayers(String field, List<?> values, Function<Object, LayerSpec> layers) {
        List<LayerSpec> specs = new ArrayList<>();
        for (int j = 0; j < values.size(); j++) {
            try {
                specs.add(layers.apply(values.get(j)));
            }
            catch (IllegalArgumentException e) {
                throw InvalidLayerException.within(field, j, e);
            }
        }
        return List.copyOf(specs);
    }

    /**
     * Every parameter of {@code spec} as a JSON-like value: integers as Long, numbers as
     * Double, choices as strings, booleans as Boolean, the init as the spec's initializer
     * (null for none), sub-layers as their specs.
     */
    public Map<String, Object> write(LayerSpec spec) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (RecordComponent c : components) {
            try {
                m.put(c.getName(), json(c.getAccessor().invoke(spec)));
            }
            catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return m;
    }

    /**
     * Throws the first fault of a spec record's component values (in component order);
     * for the records' constructors.
     */
    void check(Object... componentValues) {
        List<Object> values = new ArrayList<>();
        for (Object v : componentValues) {
            values.add(json(v));
        }
        Map<String, Object> byName = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            byName.put(parameters.get(i).name(), values.get(i));
        }
        for (int i = 0; i < parameters.size(); i++) {
            String problem = parameters.get(i).problem(values.get(i), byName);
            if (problem != null) {
                throw new InvalidLayerException(parameters.get(i).name(), problem);
            }
        }
    }

    Layer layer(LayerSpec spec, Shape input, Initializer defaultInit, Rng rng) {
        return factory.create(specClass.cast(spec), input, defaultInit, rng);
    }

    /** The default of a number parameter, as the spec records hold it. */
    float defaultFloat(String parameterName) {
        return ((Number) parameter(parameterName).defaultValue()).floatValue();
    }

    /** A weight layer's own initializer, else the model's. */
    static Initializer init(Initializer own, Initializer defaultInit) {
        if (own != null) {
            return own;
        }
        if (defaultInit == null) {
            throw new IllegalArgumentException("has no init and the model has no default initializer");
        }
        return defaultInit;
    }

    private static Object json(Object v) {
        return switch (v) {
            case Integer i -> (long) i;
            case Float f -> (double) f;
            case Enum<?> e -> e.name().toLowerCase(Locale.ROOT);
            case null, default -> v;
        };
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static Object enumValue(Class<?> type, String name) {
        return Enum.valueOf((Class) type, name.toUpperCase(Locale.ROOT));
    }

}
