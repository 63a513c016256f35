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
        assertThatThrownBy(() -> Json.parse("{\"a\": 1,}")).isInstanceOf(JsonException.class)
            .hasMessage("expected a string key at line 1, column 9");
        assertThatThrownBy(() -> Json.parse("[1,\n 2 3]")).hasMessage("expected ',' or ']' at line 2, column 4");
        assertThatThrownBy(() -> Json.parse("{\"a\": 1, \"a\": 2}")).hasMessageContaining("duplicate key \"a\"");
        assertThatThrownBy(() -> Json.parse("01")).hasMessageContaining("leading zeros");
        assertThatThrownBy(() -> Json.parse("[NaN]")).hasMessageContaining("unexpected character 'N'");
        assertThatThrownBy(() -> Json.parse("'a'")).hasMessageContaining("unexpected character '''");
        assertThatThrownBy(() -> Json.parse("\"a\nb\"")).hasMessageContaining("control character U+000A");
        assertThatThrownBy(() -> Json.parse("\"\\x\"")).hasMessageContaining("invalid escape '\\x'");
        assertThatThrownBy(() -> Json.parse("{} x")).hasMessageContaining("unexpected content after the JSON value");
        assertThatThrownBy(() -> Json.parse("[1.]")).hasMessageContaining("expected a digit after the decimal point");
        assertThatThrownBy(() -> Json.parse("[tru]")).hasMessageContaining("invalid literal, expected true");
        assertThatThrownBy(() -> Json.parse("{\"a\"")).hasMessageContaining("expected ':'");
        assertThatThrownBy(() -> Json.parse("")).hasMessageContaining("unexpected end of input");
        assertThatThrownBy(() -> Json.parse("[".repeat(300))).hasMessageContaining("nested deeper than 256");
    }

    @Test
    void refusesToWriteWhatJsonCannotHold() {
        assertThatThrownBy(() -> Json.write(List.of(Double.NaN))).hasMessageContaining("no representation for NaN");
        assertThatThrownBy(() -> Json.write(Map.of(1, 2))).hasMessageContaining("object keys must be strings");
        assertThatThrownBy(() -> Json.write(new Object())).hasMessageContaining("cannot write Object as JSON");
    }

}
