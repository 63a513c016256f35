package dev.trainyard.engine.nn;

import java.util.List;
import java.util.Map;

/**
 * One parameter of a layer type: its name (as in the job spec and model files), kind,
 * default and allowed values. A parameter without a default is required, except an
 * {@link Kind#INIT init}, which falls back to the model's initializer. {@code defaultsTo}
 * names another parameter whose value is the default (a pool's stride is its size). An
 * {@link Kind#INTEGER integer} may also take one of the words in {@code choices}, which
 * {@code resolver} turns into the integer it stands for given the layer's other values
 * (conv2d's padding {@code "same"}).
 */
public record LayerParameter(String name, Kind kind, Object defaultValue, String defaultsTo, double min,
        boolean minInclusive, double max, boolean maxInclusive, List<String> choices, String description,
        Resolver resolver) {

    /** Turns a word an integer parameter allows into its integer. */
    @FunctionalInterface
    public interface Resolver {

        /**
         * The integer {@code word} stands for among the layer's {@code values} (defaults
         * filled in); throws IllegalArgumentException with the reason where it stands for
         * none. Values of other parameters that are not valid integers are reported by
         * those parameters, so a resolver may then resolve to anything.
         */
        int resolve(String word, Map<String, ?> values);

    }

    public enum Kind {

        /**
         * A whole number within [min, max], or one of {@code choices} where it has them.
         */
        INTEGER,
        /** A finite number within the bounds, each inclusive or not. */
        NUMBER,
        /** One of {@code choices}. */
        CHOICE,
        /** true or false. */
        BOOLEAN,
        /**
         * An initializer in the caller's form (a JSON object, a job spec's record);
         * checked by the caller.
         */
        INIT,
        /**
         * A list of from min to max layers in the caller's form (JSON objects, a job
         * spec's records, specs); each layer is checked by the caller.
         */
        LAYERS

    }

    static LayerParameter integer(String name, int min, int max) {
        return new LayerParameter(name, Kind.INTEGER, null, null, min, true, max, true, List.of(), null, null);
    }

    static LayerParameter number(String name, double min, boolean minInclusive, double max, boolean maxInclusive) {
        return new LayerParameter(name, Kind.NUMBER, null, null, min, minInclusive, max, maxInclusive, List.of(), null,
                null);
    }

    static LayerParameter choice(String name, String... choices) {
        return new LayerParameter(name, Kind.CHOICE, null, null, 0, true, 0, true, List.of(choices), null, null);
    }

    static LayerParameter bool(String name) {
        return new LayerParameter(name, Kind.BOOLEAN, null, null, 0, true, 0, true, List.of(), null, null);
    }

    /** A list of sub-layers, required, of from {@code min} to {@code max} layers. */
    static LayerParameter layers(String name, int min, int max) {
        return new LayerParameter(name, Kind.LAYERS, null, null, min, true, max, true, List.of(), null, null);
    }

    /** An optional initializer that overrides the model's. */
    static LayerParameter init() {
        return new LayerParameter("init", Kind.INIT, null, null, 0, true, 0, true, List.of(),
                "Overrides the model's init", null);
    }

    LayerParameter withDefault(Object value) {
        return new LayerParameter(name, kind, value, defaultsTo, min, minInclusive, max, maxInclusive, choices,
                description, resolver);
    }

    LayerParameter defaultingTo(String other) {
        return new LayerParameter(name, kind, defaultValue, other, min, minInclusive, max, maxInclusive, choices,
                description, resolver);
    }

    LayerParameter describedAs(String text) {
        return new LayerParameter(name, kind, defaultValue, defaultsTo, min, minInclusive, max, maxInclusive, choices,
                text, resolver);
    }

    /**
     * This integer parameter also taking {@code word}, which {@code resolver} turns into
     * an integer.
     */
    LayerParameter orWord(String word, Resolver wordResolver) {
        if (kind != Kind.INTEGER) {
            throw new IllegalStateException(name + ": only an integer parameter takes words");
        }
        List<String> words = new java.util.ArrayList<>(choices);
        words.add(word);
        return new LayerParameter(name, kind, defaultValue, defaultsTo, min, minInclusive, max, maxInclusive,
                List.copyOf(words), description, wordResolver);
    }

    public boolean required() {
        return defaultValue == null && defaultsTo == null && kind != Kind.INIT;
    }

    /**
     * Why {@code value} (a JSON value: Integer or Long, Double, String) is not allowed;
     * null if it is. A word is checked against the layer's other {@code values} (defaults
     * filled in).
     */
    public String problem(Object value, Map<String, ?> values) {
        if (value == null) {
            return required() ? name + " is required" : null;
        }
        return switch (kind) {
            case INTEGER -> {
                if (value instanceof String word && choices.contains(word)) {
                    try {
                        resolver.resolve(word, values);
                        yield null;
                    }
                    catch (IllegalArgumentException e) {
                        yield e.getMessage();
                    }
                }
                if (!(value instanceof Integer || value instanceof Long)) {
                    yield name + " must be an integer" + (choices.isEmpty() ? "" : " or " + words()) + ", got " + value;
                }
                long v = ((Number) value).longValue();
                yield v < min || v > max ? name + " must be from " + (long) min + " to " + (long) max + ", got " + v
                        : null;
            }
            case NUMBER -> {
                if (!(value instanceof Number n)) {
                    yield name + " must be a number, got " + value;
                }
                double v = n.doubleValue();
                if (Double.isInfinite(min) && Double.isInfinite(max)) {
                    yield Double.isFinite(v) ? null : name + " must be a finite number";
                }
                boolean inside = (minInclusive ? v >= min : v > min) && (maxInclusive ? v <= max : v < max);
                yield inside ? null : name + " must lie in " + (minInclusive ? "[" : "(") + bound(min) + ", "
                        + bound(max) + (maxInclusive ? "]" : ")") + ", got " + v;
            }
            case CHOICE -> choices.contains(value) ? null
                    : name + " must be " + String.join(" or ", choices) + ", got '" + value + "'";
            case BOOLEAN -> value instanceof Boolean ? null : name + " must be true or false, got " + value;
            case INIT -> null;
            case LAYERS -> {
                if (!(value instanceof List<?> list)) {
                    yield name + " must be a list of layers, got " + value;
                }
                yield list.size() < min || list.size() > max
                        ? name + " must hold from " + (long) min + " to " + (long) max + " layers, got " + list.size()
                        : null;
            }
        };
    }

    /**
     * {@code value} as an int: an integer as it is, a word as it resolves among the
     * layer's {@code values}; for a value {@link #problem} allows.
     */
    int intValue(Object value, Map<String, ?> values) {
        return value instanceof String word ? resolver.resolve(word, values) : ((Number) value).intValue();
    }

    /**
     * {@code value} as this kind's Java value (Integer, Double, String) where it is of
     * the kind, else unchanged.
     */
    Object normalized(Object value) {
        return switch (kind) {
            case INTEGER -> value instanceof Long l && l == l.intValue() ? (Object) l.intValue() : value;
            case NUMBER -> value instanceof Number n ? (Object) n.doubleValue() : value;
            case CHOICE, BOOLEAN, INIT, LAYERS -> value;
        };
    }

    private String words() {
        return String.join(" or ", choices.stream().map(w -> "'" + w + "'").toList());
    }

    private static String bound(double b) {
        return b == Math.rint(b) ? String.valueOf((long) b) : String.valueOf(b);
    }

}
