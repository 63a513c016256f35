package dev.trainyard.prediction.internal;

import dev.trainyard.system.ApiException;
import org.springframework.http.HttpStatus;

/**
 * Checks a request's instances and packs them into one float32 batch (N x features,
 * row-major): none is 400, more than the configured maximum 413, a row of the wrong
 * length or a value that is not finite (NaN, infinity, beyond float32) 422, each naming
 * where.
 */
final class Instances {

    private Instances() {
    }

    static float[] pack(double[][] instances, int features, int maxInstances) {
        checkCount(instances == null ? 0 : instances.length, maxInstances);
        float[] packed = new float[instances.length * features];
        for (int i = 0; i < instances.length; i++) {
            double[] row = instances[i];
            checkLength(i, row == null ? 0 : row.length, features);
            for (int f = 0; f < features; f++) {
                float v = (float) row[f];
                if (!Float.isFinite(v)) {
                    throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid feature value",
                            "Instance " + i + " feature " + f + " is " + row[f]
                                    + "; features must be finite float32 numbers.")
                        .with("pointer", "#/instances/" + i + "/" + f);
                }
                packed[i * features + f] = v;
            }
        }
        return packed;
    }

    /** None is 400, more than maxInstances 413. */
    static void checkCount(int count, int maxInstances) {
        if (count == 0) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "No instances", "instances must hold at least one instance.")
                .with("pointer", "#/instances");
        }
        if (count > maxInstances) {
            throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Too many instances",
                    count + " instances in one request; at most " + maxInstances + " are allowed.")
                .with("maxInstances", maxInstances)
                .with("instances", count);
        }
    }

    /**
     * Instance i with {@code actual} values where the model expects {@code features}:
     * 422.
     */
    static void checkLength(int i, int actual, int features) {
        if (actual != features) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Wrong feature count",
                    "Instance " + i + " has " + actual + " features; the model expects " + features + ".")
                .with("pointer", "#/instances/" + i)
                .with("expected", features)
                .with("actual", actual);
        }
    }

}
