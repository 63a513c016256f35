package dev.trainyard.engine.data;

import java.util.Arrays;

/**
 * A seeded, stratified split of a dataset into a training and a validation part.
 *
 * <p>
 * Each class contributes to validation in proportion to its size: the validation count of
 * class c is n_c * fraction rounded by the largest-remainder method, so the counts sum to
 * round(N * fraction) exactly. Which examples of a class go to validation is decided by a
 * Fisher-Yates shuffle of that class's indices driven by SplitMix64, a self-contained
 * generator (no {@code java.util.Random}), so the same labels, fraction and seed give the
 * same split on every run and every machine. Both index lists are returned in ascending
 * order.
 *
 * @param training indices of the training examples, ascending
 * @param validation indices of the validation examples, ascending
 */
public record StratifiedSplit(int[] training, int[] validation) {

    public StratifiedSplit {
        training = training.clone();
        validation = validation.clone();
    }

    @Override
    public int[] training() {
        return training.clone();
    }

    @Override
    public int[] validation() {
        return validation.clone();
    }

    /** The training part of {@code dataset} (a copy). */
    public Dataset trainingOf(Dataset dataset) {
        return dataset.subset(training);
    }

    /** The validation part of {@code dataset} (a copy). */
    public Dataset validationOf(Dataset dataset) {
        return dataset.subset(validation);
    }

    /**
     * Splits the examples of {@code dataset}; {@code validationFraction} in (0, 1) must
     * leave at least one example on each side.
     */
    public static StratifiedSplit of(Dataset dataset, double validationFraction, long seed) {
        return of(dataset.labels(), dataset.classes(), validationFraction, seed);
    }

    /** Splits examples with the given labels in [0, classes). */
    public static StratifiedSplit of(int[] labels, int classes, double validationFraction, long seed) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must lie in (0, 1), got " + validationFraction);
        }
        int n = labels.length;
        int[] counts = new int[classes];
        for (int label : labels) {
            counts[label]++;
        }
        int[] take = validationCounts(counts, n, validationFraction);
        int total = Arrays.stream(take).sum();
        if (total == 0 || total == n) {
            throw new IllegalArgumentException("a validation fraction of " + validationFraction + " of " + n
                    + " examples leaves " + (total == 0 ? "no validation" : "no training") + " examples");
        }

        // Indices grouped by class, each group in ascending order (counting sort).
        int[] start = new int[classes + 1];
        for (int c = 0; c < classes; c++) {
            start[c + 1] = start[c] + counts[c];
        }
        int[] byClass = new int[n];
        int[] fill = Arrays.copyOf(start, classes);
        for (int i = 0; i < n; i++) {
            byClass[fill[labels[i]]++] = i;
        }

        long[] state = { seed };
        boolean[] isValidation = new boolean[n];
        for (int c = 0; c < classes; c++) {
            // Partial Fisher-Yates: the first take[c] positions of the class's group
            // become a
            // uniformly drawn subset.
            for (int k = 0; k < take[c]; k++) {
                int j = k + bounded(state, counts[c] - k);
                int a = start[c] + k;
                int b = start[c] + j;
                int t = byClass[a];
                byClass[a] = byClass[b];
                byClass[b] = t;
                isValidation[byClass[a]] = true;
            }
        }
        int[] training = new int[n - total];
        int[] validation = new int[total];
        int t = 0;
        int v = 0;
        for (int i = 0; i < n; i++) {
            if (isValidation[i]) {
                validation[v++] = i;
            }
            else {
                training[t++] = i;
            }
        }
        return new StratifiedSplit(training, validation);
    }

    /**
     * Largest-remainder apportionment of round(n * fraction) over the classes; ties go to
     * the lower class.
     */
    static int[] validationCounts(int[] counts, int n, double fraction) {
        int classes = counts.length;
        long target = Math.round(n * fraction);
        int[] take = new int[classes];
        double[] remainder = new double[classes];
        long assigned = 0;
        for (int c = 0; c < classes; c++) {
            double exact = counts[c] * fraction;
            take[c] = (int) Math.floor(exact);
            remainder[c] = exact - take[c];
            assigned += take[c];
        }
        Integer[] order = new Integer[classes];
        for (int c = 0; c < classes; c++) {
            order[c] = c;
        }
        Arrays.sort(order, (a, b) -> remainder[a] != remainder[b] ? Double.compare(remainder[b], remainder[a]) : a - b);
        for (int k = 0; assigned < target && k < classes; k++) {
            int c = order[k];
            if (take[c] < counts[c]) {
                take[c]++;
                assigned++;
            }
        }
        return take;
    }

    /**
     * Uniform integer in [0, bound) by rejection, from SplitMix64 (Steele, Lea, Flood
     * 2014).
     */
    private static int bounded(long[] state, int bound) {
        long limit = Long.MAX_VALUE - Long.MAX_VALUE % bound;
        while (true) {
            long r = nextLong(state) >>> 1;
            if (r < limit) {
                return (int) (r % bound);
            }
        }
    }

    static long nextLong(long[] state) {
        long z = (state[0] += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
