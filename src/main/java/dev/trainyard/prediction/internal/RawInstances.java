package dev.trainyard.prediction.internal;

/**
 * A request's instances as read from its body, before they are checked against a model:
 * the rows Jackson read (doubles), or the rows the fast body reader read straight into
 * one float32 array (each value already the float of the double Jackson would read, and
 * finite), with each row's length. {@link #pack} checks either form the same way and
 * gives the float32 batch a forward pass takes. The fast form of a body with one row and
 * no other member has no spare entries and is that batch already, so that body is read
 * into one array and copied no further; other bodies are copied once, to drop the spare
 * entries.
 */
public final class RawInstances {

    private final double[][] rows;

    private final float[] values;

    private final int[] lengths;

    private RawInstances(double[][] rows, float[] values, int[] lengths) {
        this.rows = rows;
        this.values = values;
        this.lengths = lengths;
    }

    /** Rows as Jackson read them; null stands for an absent member. */
    public static RawInstances of(double[][] rows) {
        return new RawInstances(rows, null, null);
    }

    /**
     * Rows read into one array: row i is the next lengths[i] values; values may hold more
     * (unused) entries at its end. Every value must be finite.
     */
    static RawInstances packed(float[] values, int[] lengths) {
        return new RawInstances(null, values, lengths);
    }

    /** How many instances. */
    public int count() {
        if (rows != null) {
            return rows.length;
        }
        return lengths == null ? 0 : lengths.length;
    }

    /**
     * Checks the instances and packs them as one float32 batch (N x features, row-major),
     * as {@link Instances#pack} does: none is 400, more than maxInstances 413, a row of
     * the wrong length or a value that is not finite 422, each naming where.
     */
    float[] pack(int features, int maxInstances) {
        if (values == null) {
            return Instances.pack(rows, features, maxInstances);
        }
        int n = lengths.length;
        Instances.checkCount(n, maxInstances);
        for (int i = 0; i < n; i++) {
            Instances.checkLength(i, lengths[i], features);
        }
        int size = n * features;
        if (values.length == size) {
            return values;
        }
        float[] packed = new float[size];
        System.arraycopy(values, 0, packed, 0, size);
        return packed;
    }

    /** The values as Jackson's form would hold them (for tests). */
    double[][] toRows() {
        if (rows != null || values == null) {
            return rows;
        }
        double[][] out = new double[lengths.length][];
        int at = 0;
        for (int i = 0; i < lengths.length; i++) {
            out[i] = new double[lengths[i]];
            for (int f = 0; f < lengths[i]; f++) {
                out[i][f] = values[at++];
            }
        }
        return out;
    }

    /** Whether the fast reader read them (for tests). */
    boolean isPacked() {
        return values != null;
    }

}
