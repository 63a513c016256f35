package dev.trainyard.dataset;

/**
 * A stored dataset's examples, read a run at a time in any order, for work that goes over
 * all of them (batch predictions) without holding the dataset in memory. Each read
 * fetches only the stored chunks that hold the run, and the last chunk fetched is kept,
 * so reading the runs in order fetches every chunk once. Not for concurrent use.
 */
public interface DatasetRows {

    /** Number of examples. */
    int examples();

    /** Values per example: the product of the feature shape. */
    int featureCount();

    /**
     * Reads examples {@code [from, from + count)}, which the dataset must hold: their raw
     * values (0..255 for uint8 storage, the parsed floats otherwise), row-major, into
     * {@code features[0, count * featureCount())}, and their labels (indices into the
     * dataset's classes) into {@code labels[0, count)}.
     */
    void read(int from, int count, float[] features, int[] labels);

}
