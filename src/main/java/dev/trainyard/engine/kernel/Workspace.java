package dev.trainyard.engine.kernel;

/**
 * Scratch arrays kept per thread and reused across calls, so the convolution hot path
 * allocates nothing once warm. Each slot serves one purpose; a slot's array is grown,
 * never shrunk, and its contents are garbage on entry: callers overwrite before they
 * read.
 *
 * <p>
 * Slots must not be shared by code that can be active on one thread at the same time: a
 * facade takes {@link #PARTIALS} on the calling thread and its chunks take
 * {@link #COLUMNS}, which is safe because a nested {@code parallelFor} runs its chunks
 * inline on that thread.
 */
final class Workspace {

    /** im2col / col2im matrix of the images being processed. */
    static final int COLUMNS = 0;

    /** Per-chunk partial sums that a facade reduces in chunk order. */
    static final int PARTIALS = 1;

    /**
     * Outputs or output gradients of a group of images laid side by side for one GEMM.
     */
    static final int STAGING = 2;

    /** One image in channels-last order, (h, w, c). */
    static final int CHANNELS_LAST = 3;

    /** One image's pixels channels-last, (h, w, c), beside {@link #CHANNELS_LAST}. */
    static final int PIXELS = 4;

    private static final int SLOTS = 5;

    private static final ThreadLocal<float[][]> ARRAYS = ThreadLocal.withInitial(() -> new float[SLOTS][]);

    private Workspace() {
    }

    /** This thread's array for {@code slot}, at least {@code size} long. */
    static float[] floats(int slot, int size) {
        float[][] arrays = ARRAYS.get();
        float[] a = arrays[slot];
        if (a == null || a.length < size) {
            a = new float[size];
            arrays[slot] = a;
        }
        return a;
    }

}
