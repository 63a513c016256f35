package dev.trainyard.experiment.internal;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a value at an RFC 6901 JSON Pointer inside a spec: objects missing on the way
 * are created (a base spec may omit {@code training}), array elements must exist.
 */
final class JsonPointerWriter {

    private JsonPointerWriter() {
    }

    /** Writes {@code value} at {@code pointer}; a problem's description, or null. */
    static String write(ObjectNode root, String pointer, JsonNode value) {
        List<String> tokens = tokens(pointer);
        JsonNode node = root;
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            boolean last = i == tokens.size() - 1;
            if (node instanceof ObjectNode object) {
                if (last) {
                    object.set(token, value);
                    return null;
                }
                JsonNode child = object.get(token);
                if (child == null || child.isNull()) {
                    child = object.putObject(token);
                }
                node = child;
            }
            else if (node instanceof ArrayNode array) {
                int index = index(token);
                if (index < 0 || index >= array.size()) {
                    return "the base spec has no element " + token + " in the array at "
                            + String.join("/", tokens.subList(0, i)).transform(s -> "/" + s) + " (it has "
                            + array.size() + ")";
                }
                if (last) {
                    array.set(index, value);
                    return null;
                }
                node = array.get(index);
            }
            else {
                return "the base spec has a value, not an object or array, at /"
                        + String.join("/", tokens.subList(0, i));
            }
        }
        return "path must name a member of the job spec";
    }

    private static int index(String token) {
        if (token.isEmpty() || token.length() > 9 || !token.chars().allMatch(Character::isDigit)
                || (token.length() > 1 && token.charAt(0) == '0')) {
            return -1;
        }
        return Integer.parseInt(token);
    }

    /** The unescaped reference tokens of {@code pointer} (which starts with a slash). */
    static List<String> tokens(String pointer) {
        List<String> tokens = new ArrayList<>();
        for (String raw : pointer.substring(1).split("/", -1)) {
            tokens.add(raw.replace("~1", "/").replace("~0", "~"));
        }
        return tokens;
    }

}
