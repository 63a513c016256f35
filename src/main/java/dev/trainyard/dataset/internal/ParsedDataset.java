package dev.trainyard.dataset.internal;

import java.util.List;

/**
 * What a parser found, besides the features it streamed to its sink.
 *
 * @param featureShape shape of one example, e.g. [784] for CSV or [1, 28, 28] for IDX
 * @param classes class names in natural order (numeric when every name is an integer)
 * @param labels one index into {@code classes} per example, in upload order
 */
record ParsedDataset(int[] featureShape, FeatureEncoding encoding, List<String> classes, int[] labels) {

    public int examples() {
        return labels.length;
    }

    /** Examples per class, in the order of {@link #classes()}. */
    public int[] classCounts() {
        int[] counts = new int[classes.size()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }
}
