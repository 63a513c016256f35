package dev.trainyard.engine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesEveryKindOfValue() {
        Object v = Json
            .parse(" {\"a\": [1, -2.5, 3e2, true, false, null], \"b\": {\"c\": \"x\\n\\u00e9\\\"\"}, \"n\": -0} ");
        assertThat(v).isEqualTo(
                Map.of("a", Arrays.asList(1L, -2.5, 300.0, true, false, null), "b", Map.of("c", "x\né\""), "n", 0L));
    }

    @Test
    void writeThenParseGivesTheSameValue() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layers", List.of(Map.of("type", "dense", "units", 512L), Map.of("type", "relu")));
        m.put("mean", List.of(0.1, -1.0E-5, 3.4028234663852886E38, 1.0));
        m.put("name", "tab\there \"quoted\" \\ \u0001");
        m.put("ok", true);
        m.put("none", null);
        String json = Json.write(m);
        assertThat(Json.parse(json)).isEqualTo(m);
        assertThat(json).startsWith("{\"layers\":[");
    }

    @Test
    void floatsRoundTripExactly() {
        float[] values = { 0.1f, 1e-30f, 3.4028235e38f, -1.17549435e-38f, 1.0f / 3 };
        for (float f : values) {
            Object back = Json.parse(Json.write(List.of((double) f)));
            assertThat(((Number) ((List<?>) back).get(0)).floatValue()).isEqualTo(f);
        }
    }

    @Test
    void longsKeepAll64Bits() {
        List<Object> v = List.of(Long.MIN_VALUE, Long.MAX_VALUE, -6917529027641081856L);
        assertThat(Json.parse(Json.write(v))).isEqualTo(v);
        assertThat(Json.parse("[9223372036854775808]")).isEqualTo(List.of(9.223372036854775808E18));
    }

    @Test
    void keepsKeyOrder() {
        Map<String, Object> m = Json.parseObject("{\"z\": 1, \"a\": 2, \"m\": 3}");
        assertThat(m.keySet()).containsExactly("z", "a", "m");
    }

    @Test
    void rejectsMalformedInputWithPosition() {
        rejectedAt("{\"a\": 1,}", 1, 9);
        rejectedAt("[1,\n 2 3]", 2, 4);
        assertThatThrownBy(() -> Json.parse("{\"a\": 1, \"a\": 2}")).hasMessageContaining("duplicate key \"a\"");
        rejectedAt("01", 1, 2);
        rejectedAt("[NaN]", 1, 5);
        rejectedAt("'a'", 1, 1);
        rejectedAt("\"a\nb\"", 1, 3);
        rejectedAt("\"\\x\"", 1, 3);
        assertThatThrownBy(() -> Json.parse("{} x")).hasMessageContaining("unexpected content after the JSON value");
        rejectedAt("[1.]", 1, 3);
        rejectedAt("[tru]", 1, 2);
        rejectedAt("{\"a\"", 1, 5);
        assertThatThrownBy(() -> Json.parse("")).hasMessageContaining("unexpected end of input");
        assertThatThrownBy(() -> Json.parse("[".repeat(300))).hasMessageContaining("nested deeper than 256");
    }

    @Test
    void refusesToWriteWhatJsonCannotHold() {
        assertThatThrownBy(() -> Json.write(List.of(Double.NaN))).hasMessageContaining("no representation for NaN");
        assertThatThrownBy(() -> Json.write(Map.of(1, 2))).hasMessageContaining("object keys must be strings");
        assertThatThrownBy(() -> Json.write(new Object())).hasMessageContaining("cannot write Object as JSON");
    }

    @Test
    void writesNumbersAndStringsAsTheModelFilesOfEarlierVersionsHoldThem() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("doubles", List.of(0.0, 1.0, 12.0, 1e7, 1e15, 1e16, 123456789.0, 0.1, 1.0E-5, -2.5e-300,
                3.4028234663852886E38, 1.7976931348623157E308, 4.9E-324, (double) (1.0f / 3)));
        m.put("floats", List.of(0.1f, -1.5f, 1e20f));
        m.put("longs", List.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 7, (short) 3, (byte) -4));
        m.put("big", new java.math.BigDecimal("1.50"));
        m.put("text", "a/b \"q\" \\ \n\r\t\b\f \u0001 \u00e9 \u2028 \ud83d\ude00");
        m.put("nested", List.of(Map.of(), List.of(), Arrays.asList(true, false, null)));
        assertThat(Json.write(m)).isEqualTo("{\"doubles\":[0.0,1.0,12.0,10000000.0,1.0E15,1.0E16,123456789.0,0.1,"
                + "1.0E-5,-2.5E-300,3.4028234663852886E38,1.7976931348623157E308,4.9E-324,0.3333333432674408],"
                + "\"floats\":[0.10000000149011612,-1.5,1.0000000200408773E20],"
                + "\"longs\":[0,-1,-9223372036854775808,9223372036854775807,7,3,-4],\"big\":1.50,"
                + "\"text\":\"a/b \\\"q\\\" \\\\ \\n\\r\\t\\b\\f \\u0001 \u00e9 \u2028 \ud83d\ude00\","
                + "\"nested\":[{},[],[true,false,null]]}");
    }

    @Test
    void negativeZeroKeepsItsSign() {
        Object back = ((List<?>) Json.parse(Json.write(List.of(-0.0)))).get(0);
        assertThat(Double.doubleToRawLongBits((Double) back)).isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @Test
    void acceptsNestingUpToTheLimit() {
        // values at depths 0 to 256
        String deepest = "{\"a\":".repeat(256) + "[]" + "}".repeat(256);
        assertThat(Json.parse(deepest)).isInstanceOf(Map.class);
        String tooDeep = "[".repeat(258) + "]".repeat(258);
        assertThatThrownBy(() -> Json.parse(tooDeep)).isInstanceOf(JsonException.class)
            .hasMessage("JSON nested deeper than 256 levels at line 1, column 258");
    }

    @Test
    void rejectsWhatTheStrictReaderAlwaysRejected() {
        assertThatThrownBy(() -> Json.parse("[1] // note")).isInstanceOf(JsonException.class)
            .hasMessage("unexpected content after the JSON value at line 1, column 5");
        assertThatThrownBy(() -> Json.parse("\"a\" x"))
            .hasMessage("unexpected content after the JSON value at line 1, column 5");
        assertThatThrownBy(() -> Json.parse("{} {}"))
            .hasMessage("unexpected content after the JSON value at line 1, column 4");
        rejectedAt("[1.]", 1, 3);
        rejectedAt("{1: 2}", 1, 2);
        rejectedAt("{\"a\" 1}", 1, 6);
        rejectedAt("{\"a\": 1 \"b\": 2}", 1, 9);
        rejectedAt("[Infinity]", 1, 10);
        rejectedAt("[+1]", 1, 3);
        rejectedAt("[1e]", 1, 3);
        rejectedAt("\"\\u00zz\"", 1, 6);
        rejectedAt("\"abc", 1, 5);
        rejectedAt("[1", 1, 3);
        rejectedAt("{\"a\":", 1, 6);
        assertThatThrownBy(() -> Json.parse("{\"a\":1, \"b\":2, \"a\":3}"))
            .hasMessage("duplicate key \"a\" at line 1, column 16");
        assertThatThrownBy(() -> Json.parseObject("[1]")).hasMessage("expected a JSON object, got ArrayList");
    }

    /**
     * Refused with the position of the fault; the words are jackson-core's, so only the
     * position is asserted.
     */
    private static void rejectedAt(String text, int line, int column) {
        assertThatThrownBy(() -> Json.parse(text)).as(text)
            .isInstanceOf(JsonException.class)
            .hasMessageEndingWith(" at line " + line + ", column " + column);
    }

}
