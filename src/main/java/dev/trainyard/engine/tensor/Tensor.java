package dev.trainyard.engine.tensor;

import java.util.Arrays;

/**
 * A float32 tensor: a shape over a contiguous, row-major range of a {@code float[]}.
 * Views ({@link #reshape}, {@link #slice}) share the array and copy nothing, so kernels
 * receive the backing array and {@link #offset()} directly.
 */
public final class Tensor {

    private final float[] data;

    private final int offset;

    private final Shape shape;

    private Tensor(float[] data, int offset, Shape shape) {
        if (offset < 0 || offset + shape.size() > data.length) {
            throw new IllegalArgumentException(
                    "shape " + shape + " at offset " + offset + " does not fit an array of " + data.length);
        }
        this.data = data;
        this.offset = offset;
        this.shape = shape;
    }

    public static Tensor zeros(Shape shape) {
        return new Tensor(new float[shape.size()], 0, shape);
    }

    public static Tensor zeros(int... dims) {
        return zeros(Shape.of(dims));
    }

    /** Wraps {@code data} (not copied); its length must equal the shape's size. */
    public static Tensor wrap(float[] data, Shape shape) {
        if (data.length != shape.size()) {
            throw new IllegalArgumentException(
                    "array of " + data.length + " values does not match shape " + shape + " (" + shape.size() + ")");
        }
        return new Tensor(data, 0, shape);
    }

    public static Tensor wrap(float[] data, int... dims) {
        return wrap(data, Shape.of(dims));
    }

    /**
     * A view of {@code shape.size()} values of {@code data} starting at {@code offset}.
     */
    public static Tensor view(float[] data, int offset, Shape shape) {
        return new Tensor(data, offset, shape);
    }

    public float[] data() {
        return data;
    }

    public int offset() {
        return offset;
    }

    public Shape shape() {
        return shape;
    }

    public int size() {
        return shape.size();
    }

    public int rank() {
        return shape.rank();
    }

    public int dim(int axis) {
        return shape.dim(axis);
    }

    /** Same values, another shape of the same size; no copy. */
    public Tensor reshape(Shape newShape) {
        if (newShape.size() != shape.size()) {
            throw new IllegalArgumentException("cannot reshape " + shape + " to " + newShape);
        }
        return new Tensor(data, offset, newShape);
    }

    public Tensor reshape(int... dims) {
        return reshape(Shape.of(dims));
    }

    /** Rows {@code [from, to)} of the first dimension as a view; no copy. */
    public Tensor slice(int from, int to) {
        int n = shape.dim(0);
        if (from < 0 || to > n || from >= to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") out of range for " + shape);
        }
        int[] d = shape.dims();
        d[0] = to - from;
        return new Tensor(data, offset + from * shape.sizeFrom(1), Shape.of(d));
    }

    public float get(int... index) {
        return data[offset + flatIndex(index)];
    }

    public void set(float value, int... index) {
        data[offset + flatIndex(index)] = value;
    }

    private int flatIndex(int[] index) {
        if (index.length != shape.rank()) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " does not match " + shape);
        }
        int flat = 0;
        for (int i = 0; i < index.length; i++) {
            int d = shape.dim(i);
            if (index[i] < 0 || index[i] >= d) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " outside " + shape);
            }
            flat = flat * d + index[i];
        }
        return flat;
    }

    /** A new tensor with its own array holding a copy of these values. */
    public Tensor copy() {
        return new Tensor(Arrays.copyOfRange(data, offset, offset + size()), 0, shape);
    }

    /** Copies these values into a fresh array. */
    public float[] toArray() {
        return Arrays.copyOfRange(data, offset, offset + size());
    }

    public void fill(float value) {
        Arrays.fill(data, offset, offset + size(), value);
    }

    /** Copies {@code src}'s values into this tensor; sizes must match. */
    public void copyFrom(Tensor src) {
        requireSameSize(src, this);
        System.arraycopy(src.data, src.offset, data, offset, size());
    }

    /** Throws an error naming both shapes unless they are equal. */
    public static void requireSameShape(Tensor a, Tensor b) {
        if (!a.shape.equals(b.shape)) {
            throw new IllegalArgumentException("shape mismatch: " + a.shape + " vs " + b.shape);
        }
    }

    /** Throws an error naming both shapes unless they hold the same number of values. */
    public static void requireSameSize(Tensor a, Tensor b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("size mismatch: " + a.shape + " vs " + b.shape);
        }
    }

    @Override
    public String toString() {
        return "Tensor" + shape;
    }

}
