package dev.trainyard.training.internal;

import dev.trainyard.system.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * Collects what is wrong with a job spec, each with a JSON Pointer (fragment form,
 * {@code #/model/layers/3/rate}) to the member at fault, and throws them as one 400
 * problem whose {@code errors} list them, as the system module does for bean validation.
 */
final class Violations {

    private final List<Map<String, String>> errors = new ArrayList<>();

    public Violations add(String pointer, String detail) {
        errors.add(Map.of("pointer", "#" + pointer, "detail", detail));
        return this;
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
    }

    public static ApiException single(String pointer, String detail) {
        return invalid(List.of(Map.of("pointer", "#" + pointer, "detail", detail)));
    }

    private static ApiException invalid(List<Map<String, String>> errors) {
        return new ApiException(HttpStatus.BAD_REQUEST, "Invalid job spec",
                errors.size() == 1 ? errors.getFirst().get("detail") : "The job spec has " + errors.size() + " errors.")
            .with("errors", List.copyOf(errors));
    }

}
