package dev.trainyard.experiment.internal;

import dev.trainyard.system.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.http.HttpStatus;

/**
 * Collects what is wrong with an experiment request, each with a JSON Pointer (fragment
 * form) into the request, and throws them as one 400 problem whose {@code errors} list
 * them, in the shape the jobs' spec problems have. A problem found in a trial's job spec
 * also names the member of the spec ({@code specPointer}) and the trial.
 */
public final class Problems {

    /** Beyond this many, further problems are not listed. */
    static final int MAX_LISTED = 50;

    private final List<Map<String, Object>> errors = new ArrayList<>();

    public Problems add(String pointer, String detail) {
        return add(pointer, detail, null, null);
    }

    public Problems add(String pointer, String detail, String specPointer, Integer trial) {
        if (errors.size() < MAX_LISTED) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("pointer", pointer);
            error.put("detail", detail);
            if (specPointer != null) {
                error.put("specPointer", specPointer);
            }
            if (trial != null) {
                error.put("trial", trial);
            }
            errors.add(error);
        }
        return this;
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public boolean contains(String pointer, String specPointer) {
        return errors.stream()
            .anyMatch(e -> e.get("pointer").equals(pointer) && Objects.equals(e.get("specPointer"), specPointer));
    }

    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw exception();
        }
    }

    public static ApiException single(String pointer, String detail) {
        return new Problems().add(pointer, detail).exception();
    }

    private ApiException exception() {
        return new ApiException(HttpStatus.BAD_REQUEST, "Invalid experiment", errors.size() == 1
                ? (String) errors.getFirst().get("detail")
                : "The experiment has " + errors.size() + " errors"
                        + (errors.size() == MAX_LISTED ? " or more (the first " + MAX_LISTED + " are listed)." : "."))
            .with("errors", List.copyOf(errors));
    }

}
