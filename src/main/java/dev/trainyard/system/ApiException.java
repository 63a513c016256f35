package dev.trainyard.system;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * An error a client caused or may react to, rendered by the system module as RFC 9457
 * problem details ({@code application/problem+json}) with the given status, title and
 * detail; extra properties (a JSON Pointer, the offending part, the expected shape...)
 * become members of the problem document. Modules throw it, or a subclass, from their
 * services and controllers.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;

    private final String title;

    private final Map<String, Object> properties = new LinkedHashMap<>();

    public ApiException(HttpStatus status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public ApiException(HttpStatus status, String title, String detail, Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.title = title;
    }

    /**
     * Adds a member to the problem document, for example {@code pointer} or {@code part}.
     */
    public ApiException with(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public Map<String, Object> properties() {
        return Map.copyOf(properties);
    }

}
