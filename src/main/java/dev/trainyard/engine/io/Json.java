package dev.trainyard.engine.io;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;

/**
 * Strict JSON (RFC 8259) for model-file headers, read and written with jackson-core's
 * streaming API (no data binding).
 *
 * <p>
 * Values map to Java as: object ↔ {@code Map<String, Object>} (insertion order kept),
 * array ↔ {@code List<Object>}, string ↔ {@code String}, number → {@code Long} when
 * integral and in range, else {@code Double} (any {@code Number} is written),
 * {@code true/false} ↔ {@code Boolean}, {@code null} ↔ {@code null}.
 *
 * <p>
 * The reader rejects anything RFC 8259 does not allow (comments, trailing commas, single
 * quotes, leading zeros, NaN, control characters in strings, trailing content), duplicate
 * keys and nesting deeper than {@value #MAX_DEPTH} levels, with a {@link JsonException}
 * giving the line and column (in Jackson's words where jackson-core found the fault, so
 * nothing depends on the wording). Reals are written as {@link Double#toString} writes
 * them (integral ones below 10^15 as {@code 12.0}), so they read back bit for bit.
 */
public final class Json {

    static final int MAX_DEPTH = 256;

    // strings as long as the header that holds them; nesting is limited below
    private static final JsonFactory FACTORY = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
        .disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
        .build();

    private Json() {
    }

    /** Parses one JSON value; the whole text must be that value (whitespace aside). */
    public static Object parse(String text) {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), text)) {
            try {
                if (p.nextToken() == null) {
                    throw error("unexpected end of input, expected a value", p.currentLocation());
                }
                Object value = value(p, 0);
                requireEnd(p);
                return value;
            }
            catch (JacksonException e) {
                TokenStreamLocation at = e.getLocation();
                String what = e.getOriginalMessage();
                throw at == null ? new JsonException(what) : error(what, at);
            }
        }
    }

    private static void requireEnd(JsonParser p) {
        TokenStreamLocation at;
        try {
            if (p.nextToken() == null) {
                return;
            }
            at = p.currentTokenLocation();
        }
        catch (JacksonException e) {
            at = e.getLocation();
        }
        throw error("unexpected content after the JSON value", at);
    }

    /** Parses a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new JsonException("expected a JSON object, got " + describe(v));
        }
        return (Map<String, Object>) v;
    }

    /**
     * Compact JSON for a value made of maps, lists, strings, numbers, booleans and nulls.
     */
    public static String write(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            write(value, g, 0);
        }
        return out.toString();
    }

    // ---- reader: the parser stands on the value's first token

    private static Object value(JsonParser p, int depth) {
        if (depth > MAX_DEPTH) {
            throw error("JSON nested deeper than " + MAX_DEPTH + " levels", p.currentTokenLocation());
        }
        JsonToken token = p.currentToken();
        return switch (token) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String key = p.currentName();
                    if (map.containsKey(key)) {
                        throw error("duplicate key \"" + key + "\"", p.currentTokenLocation());
                    }
                    p.nextToken();
                    map.put(key, value(p, depth + 1));
                }
                yield map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(p, depth + 1));
                }
                yield list;
            }
            case VALUE_STRING -> p.getString();
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? (Object) Double.parseDouble(p.getString()) : (Object) p.getLongValue();
            case VALUE_NUMBER_FLOAT -> Double.parseDouble(p.getString());
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw error("unexpected " + token, p.currentTokenLocation());
        };
    }

    // ---- writer

    private static void write(Object v, JsonGenerator g, int depth) {
        if (depth > MAX_DEPTH) {
            throw new JsonException("value nested deeper than " + MAX_DEPTH + " levels");
        }
        switch (v) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Double d -> g.writeNumber(floating(d));
            case Float f -> g.writeNumber(floating(f.doubleValue()));
            case BigDecimal d -> g.writeNumber(d.toString());
            case Number n when n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte ->
                g.writeNumber(n.longValue());
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!(e.getKey() instanceof String key)) {
                        throw new JsonException("object keys must be strings, got " + describe(e.getKey()));
                    }
                    g.writeName(key);
                    write(e.getValue(), g, depth + 1);
                }
                g.writeEndObject();
            }
            case List<?> list -> {
                g.writeStartArray();
                for (Object item : list) {
                    write(item, g, depth + 1);
                }
                g.writeEndArray();
            }
            default -> throw new JsonException("cannot write " + describe(v) + " as JSON");
        }
    }

    /**
     * The shortest text that reads back as {@code d}, e.g. {@code 12.0}, {@code 1.0E-5}.
     */
    private static String floating(double d) {
        if (!Double.isFinite(d)) {
            throw new JsonException("JSON has no representation for " + d);
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15 && !isNegativeZero(d)) {
            return (long) d + ".0";
        }
        return Double.toString(d);
    }

    private static boolean isNegativeZero(double d) {
        return Double.doubleToRawLongBits(d) == Long.MIN_VALUE;
    }

    static JsonException error(String message, TokenStreamLocation at) {
        return new JsonException(message + " at line " + at.getLineNr() + ", column " + at.getColumnNr());
    }

    private static String describe(Object v) {
        return v == null ? "null" : v.getClass().getSimpleName();
    }

}
