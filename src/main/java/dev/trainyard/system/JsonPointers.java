package dev.trainyard.system;

import java.util.List;
import tools.jackson.core.JacksonException;

/**
 * RFC 6901 JSON Pointers in the URI fragment form of RFC 9457's examples
 * ({@code #/layers/0/units}) for the members of a request body that a client got wrong;
 * every module builds its pointers here, so names with {@code ~} or {@code /} are escaped
 * alike.
 */
public final class JsonPointers {

    private JsonPointers() {
    }

    /** {@code #/layers/0} from the tokens {@code layers, 0}. */
    public static String of(Object... tokens) {
        String pointer = "#";
        for (Object token : tokens) {
            pointer = append(pointer, token);
        }
        return pointer;
    }

    /** {@code pointer} followed by one more token, escaped. */
    public static String append(String pointer, Object token) {
        return pointer + "/" + escape(String.valueOf(token));
    }

    /**
     * {@code layers[0].units} (a bean property path) becomes {@code #/layers/0/units}.
     */
    static String fromPropertyPath(String propertyPath) {
        StringBuilder pointer = new StringBuilder("#");
        for (String token : propertyPath.replaceAll("\\[([^]]*)]", ".$1").split("\\.")) {
            if (!token.isEmpty()) {
                pointer.append('/').append(escape(token));
            }
        }
        return pointer.toString();
    }

    /** The pointer of the member a Jackson exception's path leads to. */
    public static String fromJacksonPath(List<JacksonException.Reference> path) {
        StringBuilder pointer = new StringBuilder("#");
        for (JacksonException.Reference reference : path) {
            String name = reference.getPropertyName();
            pointer.append('/').append(name != null ? escape(name) : String.valueOf(reference.getIndex()));
        }
        return pointer.toString();
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

}
