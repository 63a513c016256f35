package dev.trainyard.prediction.batch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The results of one chunk: rows {@code [firstRow, firstRow + rows)}, per row the
 * predicted class, the probabilities of every class (row-major, {@code rows x classes})
 * and, for a labelled batch, the true class; classes are indices among the model's.
 */
record ChunkScores(int chunk, int firstRow, int rows, int[] labels, float[] probabilities, int[] trueLabels) {

    /** Little-endian int32 per value, as {@code batch_prediction_chunks} stores them. */
    static byte[] bytes(int[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        return b.array();
    }

    /** Little-endian float32 per value. */
    static byte[] bytes(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    static int[] ints(byte[] bytes) {
        int[] values = new int[bytes.length / Integer.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(values);
        return values;
    }

    static float[] floats(byte[] bytes) {
        float[] values = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

}
