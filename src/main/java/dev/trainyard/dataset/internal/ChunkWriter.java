package dev.trainyard.dataset.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;

/**
 * Cuts a stream of values into chunks of {@code chunkSize} bytes (little-endian) and
 * inserts each as soon as it is full, so an upload of any size holds one chunk in memory.
 * Also refuses datasets with more values than one float tensor can hold.
 */
final class ChunkWriter implements FeatureSink {

    private static final long MAX_VALUES = Integer.MAX_VALUE - 8;

    private final DatasetStore store;

    private final UUID datasetId;

    private final String kind;

    private final int chunkSize;

    private final String part;

    private byte[] buffer;

    private int position;

    private int seq;

    private long bytes;

    private long values;

    ChunkWriter(DatasetStore store, UUID datasetId, String kind, int chunkSize, String part) {
        this.store = store;
        this.datasetId = datasetId;
        this.kind = kind;
        this.chunkSize = chunkSize;
        this.part = part;
        this.buffer = new byte[chunkSize];
    }

    @Override
    public void writeBytes(byte[] source, int offset, int length) {
        count(length);
        while (length > 0) {
            int n = Math.min(length, chunkSize - position);
            System.arraycopy(source, offset, buffer, position, n);
            position += n;
            offset += n;
            length -= n;
            flushIfFull();
        }
    }

    @Override
    public void writeFloats(float[] source, int offset, int length) {
        count(length);
        while (length > 0) {
            int n = Math.min(length, (chunkSize - position) / Float.BYTES);
            ByteBuffer.wrap(buffer, position, n * Float.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer()
                .put(source, offset, n);
            position += n * Float.BYTES;
            offset += n;
            length -= n;
            flushIfFull();
        }
    }

    void writeInts(int[] source, int offset, int length) {
        count(length);
        while (length > 0) {
            int n = Math.min(length, (chunkSize - position) / Integer.BYTES);
            ByteBuffer.wrap(buffer, position, n * Integer.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN)
                .asIntBuffer()
                .put(source, offset, n);
            position += n * Integer.BYTES;
            offset += n;
            length -= n;
            flushIfFull();
        }
    }

    private void count(int n) {
        values += n;
        if (values > MAX_VALUES) {
            throw new InvalidDatasetException(part, "Dataset too large",
                    "Part '" + part + "' holds more than " + MAX_VALUES + " values, more than one tensor can hold.");
        }
    }

    private void flushIfFull() {
        if (position == chunkSize) {
            flush();
        }
    }

    /** The buffer is reused: the store is done with it when insertChunk returns. */
    private void flush() {
        store.insertChunk(datasetId, kind, seq++, buffer, position);
        bytes += position;
        position = 0;
    }

    /** Writes the last, partial chunk; returns the bytes written in all. */
    long finish() {
        if (position > 0) {
            flush();
        }
        buffer = null;
        return bytes;
    }

}
