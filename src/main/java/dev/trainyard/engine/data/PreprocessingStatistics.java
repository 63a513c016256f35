package dev.trainyard.engine.data;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * The fitted state of a preprocessor: what {@link #fit} learned from the training split,
 * applied unchanged to validation, test and every prediction. Immutable; plain arrays in
 * and out so it can be stored with a model and restored with {@link #of}.
 *
 * <p>
 * There is one statistic per feature, or with {@code perChannel} one per channel of a (C,
 * H, W...) example, pooled over the example's other dimensions. Sums run in double
 * precision in a fixed order, so fitting is deterministic.
 *
 * <ul>
 * <li>{@code mean_subtraction}: x - mean.
 * <li>{@code standardize}: (x - mean) / std, std the population standard deviation
 * (numpy's {@code np.std}, ddof 0). A std below {@link #EPS} counts as zero variance:
 * such a feature is only centred (divided by 1), so a value never seen in training cannot
 * blow up.
 * <li>{@code min_max}: 2 (x - min) / (max - min) - 1, so the training range maps to [-1,
 * 1]; other splits may fall outside it (no clipping). A constant training feature maps to
 * 0.
 * </ul>
 */
public final class PreprocessingStatistics {

    /** Standard deviations below this are treated as zero variance. */
    public static final float EPS = 1e-7f;

    /** Values per block of examples that {@link #apply(Tensor)} hands to one thread. */
    private static final int ROW_BLOCK_VALUES = 1 << 16;

    private static final float[] NONE = new float[0];

    private final PreprocessingMethod method;

    private final boolean perChannel;

    private final Shape featureShape;

    private final float[] mean;

    private final float[] std;

    private final float[] min;

    private final float[] max;

    private PreprocessingStatistics(PreprocessingMethod method, boolean perChannel, Shape featureShape, float[] mean,
            float[] std, float[] min, float[] max) {
        this.method = Objects.requireNonNull(method);
        this.perChannel = perChannel;
        this.featureShape = featureShape;
        this.mean = mean;
        this.std = std;
        this.min = min;
        this.max = max;
    }

    /** Fits {@code method} on {@code training} (the training split only). */
    public static PreprocessingStatistics fit(PreprocessingMethod method, boolean perChannel, Dataset training) {
        Shape shape = training.featureShape();
        int groups = groupCount(shape, perChannel);
        int groupSize = shape.size() / groups;
        float[] data = training.features().data();
        int offset = training.features().offset();
        int n = training.size();
        int width = shape.size();
        return switch (method) {
            case NONE -> new PreprocessingStatistics(method, perChannel, shape, NONE, NONE, NONE, NONE);
            case MEAN_SUBTRACTION, STANDARDIZE -> {
                double[] sum = new double[groups];
                for (int i = 0; i < n; i++) {
                    int base = offset + i * width;
                    for (int f = 0; f < width; f++) {
                        sum[f / groupSize] += data[base + f];
                    }
                }
                double count = (double) n * groupSize;
                double[] mu = new double[groups];
                for (int g = 0; g < groups; g++) {
                    mu[g] = sum[g] / count;
                }
                if (method == PreprocessingMethod.MEAN_SUBTRACTION) {
                    yield new PreprocessingStatistics(method, perChannel, shape, toFloat(mu), NONE, NONE, NONE);
                }
                // Two passes: the squared deviations from the mean, not E[x^2] - E[x]^2,
                // which cancels badly.
                double[] squares = new double[groups];
                for (int i = 0; i < n; i++) {
                    int base = offset + i * width;
                    for (int f = 0; f < width; f++) {
                        double d = data[base + f] - mu[f / groupSize];
                        squares[f / groupSize] += d * d;
                    }
                }
                double[] sigma = new double[groups];
                for (int g = 0; g < groups; g++) {
                    sigma[g] = Math.sqrt(squares[g] / count);
                }
                yield new PreprocessingStatistics(method, perChannel, shape, toFloat(mu), toFloat(sigma), NONE, NONE);
            }
            case MIN_MAX -> {
                float[] lo = new float[groups];
                float[] hi = new float[groups];
                Arrays.fill(lo, Float.POSITIVE_INFINITY);
                Arrays.fill(hi, Float.NEGATIVE_INFINITY);
                for (int i = 0; i < n; i++) {
                    int base = offset + i * width;
                    for (int f = 0; f < width; f++) {
                        int g = f / groupSize;
                        float x = data[base + f];
                        lo[g] = Math.min(lo[g], x);
                        hi[g] = Math.max(hi[g], x);
                    }
                }
                yield new PreprocessingStatistics(method, perChannel, shape, NONE, NONE, lo, hi);
            }
        };
    }

    /**
     * Restores statistics from their stored form. Arrays the method does not use are
     * empty; the others hold one value per feature or, with {@code perChannel}, per
     * channel.
     */
    public static PreprocessingStatistics of(PreprocessingMethod method, boolean perChannel, int[] featureShape,
            float[] mean, float[] std, float[] min, float[] max) {
        Shape shape = Shape.of(featureShape);
        int groups = groupCount(shape, perChannel);
        boolean centred = method == PreprocessingMethod.MEAN_SUBTRACTION || method == PreprocessingMethod.STANDARDIZE;
        requireLength("mean", mean, centred ? groups : 0);
        requireLength("std", std, method == PreprocessingMethod.STANDARDIZE ? groups : 0);
        requireLength("min", min, method == PreprocessingMethod.MIN_MAX ? groups : 0);
        requireLength("max", max, method == PreprocessingMethod.MIN_MAX ? groups : 0);
        return new PreprocessingStatistics(method, perChannel, shape, mean.clone(), std.clone(), min.clone(),
                max.clone());
    }

    private static void requireLength(String name, float[] values, int expected) {
        if (values.length != expected) {
            throw new IllegalArgumentException(name + " holds " + values.length + " values, expected " + expected);
        }
    }

    private static int groupCount(Shape featureShape, boolean perChannel) {
        if (!perChannel) {
            return featureShape.size();
        }
        if (featureShape.rank() < 2) {
            throw new IllegalArgumentException(
                    "per-channel statistics need examples shaped (C, H, W...), got " + featureShape);
        }
        return featureShape.dim(0);
    }

    private static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    /**
     * A new dataset with preprocessed features and the same labels; {@code none} returns
     * {@code dataset}.
     */
    public Dataset apply(Dataset dataset) {
        if (method == PreprocessingMethod.NONE) {
            return dataset;
        }
        return new Dataset(apply(dataset.features()), dataset.labels().clone(), dataset.classes());
    }

    /** Preprocessed copy of a batch of examples (N, ...featureShape). */
    public Tensor apply(Tensor features) {
        if (!features.shape().dropFirst().equals(featureShape)) {
            throw new IllegalArgumentException(
                    "examples shaped " + features.shape().dropFirst() + " but statistics fitted on " + featureShape);
        }
        Tensor out = features.copy();
        int n = features.dim(0);
        int rows = Math.max(1, ROW_BLOCK_VALUES / Math.max(1, featureShape.size()));
        // each value is computed alone, so the blocks change no bit, whatever the thread
        // count
        ComputePool.current()
            .parallelFor(ComputePool.chunks(n, rows), block -> applyInPlace(out.data(),
                    block * rows * featureShape.size(), Math.min(rows, n - block * rows)));
        return out;
    }

    /**
     * Preprocessed copy of one raw example, flattened row-major (featureShape.size()
     * values).
     */
    public float[] applyToInstance(float[] instance) {
        if (instance.length != featureShape.size()) {
            throw new IllegalArgumentException("an example holds " + instance.length + " values, expected "
                    + featureShape.size() + " " + featureShape);
        }
        float[] out = instance.clone();
        applyInPlace(out, 0, 1);
        return out;
    }

    /**
     * Preprocesses {@code n} examples from {@code data[offset]} in place, group by group
     * (a group's features are contiguous), with the formulas of the class comment.
     */
    private void applyInPlace(float[] data, int offset, int n) {
        int width = featureShape.size();
        int groups = groupCount(featureShape, perChannel);
        int groupSize = width / groups;
        for (int i = 0; i < n; i++) {
            int base = offset + i * width;
            for (int g = 0; g < groups; g++) {
                int from = base + g * groupSize;
                int to = from + groupSize;
                switch (method) {
                    case NONE -> {
                    }
                    case MEAN_SUBTRACTION -> {
                        float m = mean[g];
                        for (int j = from; j < to; j++) {
                            data[j] = data[j] - m;
                        }
                    }
                    case STANDARDIZE -> {
                        float m = mean[g];
                        float s = std[g] < EPS ? 1f : std[g];
                        for (int j = from; j < to; j++) {
                            data[j] = (data[j] - m) / s;
                        }
                    }
                    case MIN_MAX -> {
                        if (max[g] > min[g]) {
                            float lo = min[g];
                            float range = max[g] - min[g];
                            for (int j = from; j < to; j++) {
                                data[j] = 2f * ((data[j] - lo) / range) - 1f;
                            }
                        }
                        else {
                            Arrays.fill(data, from, to, 0f);
                        }
                    }
                }
            }
        }
    }

    public PreprocessingMethod method() {
        return method;
    }

    public boolean perChannel() {
        return perChannel;
    }

    public int[] featureShape() {
        return featureShape.dims();
    }

    /** Per-feature (or per-channel) training means; empty unless the method centres. */
    public float[] mean() {
        return mean.clone();
    }

    /** Population standard deviations; empty unless {@code standardize}. */
    public float[] std() {
        return std.clone();
    }

    /** Training minima; empty unless {@code min_max}. */
    public float[] min() {
        return min.clone();
    }

    /** Training maxima; empty unless {@code min_max}. */
    public float[] max() {
        return max.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreprocessingStatistics s && method == s.method && perChannel == s.perChannel
                && featureShape.equals(s.featureShape) && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std)
                && Arrays.equals(min, s.min) && Arrays.equals(max, s.max);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, perChannel, featureShape, Arrays.hashCode(mean), Arrays.hashCode(std),
                Arrays.hashCode(min), Arrays.hashCode(max));
    }

    @Override
    public String toString() {
        return "PreprocessingStatistics[" + method.id() + (perChannel ? ", per channel" : "") + ", " + featureShape
                + "]";
    }

}
