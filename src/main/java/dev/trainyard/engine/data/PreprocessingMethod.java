package dev.trainyard.engine.data;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How features are transformed before training; the statistics always come from the
 * training split.
 */
public enum PreprocessingMethod {

    /** Features unchanged. */
    NONE("none"),
    /** x - mean: zero-centred features ({@code X -= np.mean(X, axis=0)}). */
    MEAN_SUBTRACTION("mean_subtraction"),
    /** (x - mean) / std with the population std ({@code X /= np.std(X, axis=0)}). */
    STANDARDIZE("standardize"),
    /**
     * Each feature mapped linearly so that the training minimum is -1 and the maximum 1.
     */
    MIN_MAX("min_max");

    private final String id;

    PreprocessingMethod(String id) {
        this.id = id;
    }

    /**
     * The name used in job specs and stored with models, e.g. {@code mean_subtraction}.
     */
    public String id() {
        return id;
    }

    public static PreprocessingMethod fromId(String id) {
        for (PreprocessingMethod m : values()) {
            if (m.id.equals(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown preprocessing '" + id + "'; expected one of "
                + Arrays.stream(values()).map(PreprocessingMethod::id).collect(Collectors.joining(", ")));
    }

}
