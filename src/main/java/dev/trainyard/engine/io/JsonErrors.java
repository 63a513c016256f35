package dev.trainyard.engine.io;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.UnexpectedEndOfInputException;

/**
 * Jackson's parse errors as {@link Json} reports them: a short statement of what was
 * wrong or expected, at the line and column Jackson found it.
 */
final class JsonErrors {

    /** Jackson names the offending character by its code: {@code ('}' (code 125))}. */
    private static final Pattern CODE = Pattern.compile("code (\\d+)\\)");

    private static final Pattern TOKEN = Pattern.compile("token '([^']*)'");

    private JsonErrors() {
    }

    static JsonException translate(JacksonException e, JsonParser p, String text) {
        if (e.getLocation() == null) {
            return new JsonException(e.getOriginalMessage());
        }
        return Json.error(message(e, p, text), e.getLocation());
    }

    private static String message(JacksonException e, JsonParser p, String text) {
        String m = e.getOriginalMessage();
        if (e instanceof UnexpectedEndOfInputException) {
            return "unexpected end of input, expected " + expectedAtEnd(m, p, text);
        }
        if (m.contains("double-quote to start property name")) {
            return "expected a string key";
        }
        if (m.contains("comma to separate Array entries")) {
            return "expected ',' or ']'";
        }
        if (m.contains("comma to separate Object entries")) {
            return "expected ',' or '}'";
        }
        if (m.contains("colon to separate property name and value")) {
            return "expected ':'";
        }
        if (m.contains("Leading zeroes not allowed")) {
            return "leading zeros are not allowed in numbers";
        }
        if (m.contains("Decimal point not followed by a digit")) {
            return "expected a digit after the decimal point";
        }
        if (m.contains("Exponent indicator not followed by a digit")) {
            return "expected a digit in the exponent";
        }
        if (m.contains("in numeric value")) {
            return "expected a digit";
        }
        if (m.contains("CTRL-CHAR")) {
            return "control character U+%04X in a string must be escaped".formatted(code(m));
        }
        if (m.startsWith("Unrecognized character escape")) {
            return "invalid escape '\\" + printable(code(m)) + "'";
        }
        if (m.contains("hex-digit for character escape")) {
            return "invalid hex digit in a \\u escape";
        }
        Matcher token = TOKEN.matcher(m);
        if ((m.startsWith("Unrecognized token") || m.startsWith("Non-standard token")) && token.find()) {
            String word = token.group(1);
            for (String literal : new String[] { "true", "false", "null" }) {
                if (!word.isEmpty() && word.charAt(0) == literal.charAt(0)) {
                    return "invalid literal, expected " + literal;
                }
            }
            return "unexpected character '" + (word.isEmpty() ? "" : printable(word.charAt(0))) + "', expected a value";
        }
        if (m.startsWith("Unexpected character")) {
            return "unexpected character '" + printable(code(m)) + "', expected a value";
        }
        return m;
    }

    /** What the end of input cut short. */
    private static String expectedAtEnd(String m, JsonParser p, String text) {
        if (m.contains("closing quote")) {
            return "a closing '\"'";
        }
        if (m.contains("close marker for Array")) {
            return "',' or ']'";
        }
        if (p.currentToken() == JsonToken.PROPERTY_NAME && !text.strip().endsWith(":")) {
            return "':'";
        }
        if (m.contains("Object entries") || m.contains("close marker for Object")) {
            return text.strip().endsWith(":") ? "a value" : "',' or '}'";
        }
        return "a value";
    }

    private static int code(String message) {
        Matcher code = CODE.matcher(message);
        return code.find() ? Integer.parseInt(code.group(1)) : '?';
    }

    private static String printable(int c) {
        return c < 0x20 ? String.format("\\u%04x", c) : String.valueOf((char) c);
    }

}
