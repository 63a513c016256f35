package dev.trainyard.dataset.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Reads a run of consecutive examples of a stored dataset, fetching only the chunks that
 * hold them: example i's features are bytes {@code [i * rowBytes, (i + 1) * rowBytes)} of
 * the concatenated feature chunks and its label bytes {@code [4i, 4i + 4)} of the label
 * chunks.
 */
@Component
public class ExampleReader {

    private final DatasetStore store;

    ExampleReader(DatasetStore store) {
        this.store = store;
    }

    /**
     * Examples {@code [from, from + count)} of the dataset, which must hold them.
     *
     * @param features (count, prod(featureShape)) raw values: 0..255 for uint8 storage,
     * the parsed floats otherwise
     * @param labels one class index per example
     */
    public record Rows(boolean wholeNumbers, float[][] features, int[] labels) {
    }

    public Rows read(DatasetEntity dataset, int from, int count) {
        if (from < 0 || count < 0 || (long) from + count > dataset.examples()) {
            throw new IllegalArgumentException("examples [" + from + ", " + ((long) from + count)
                    + ") are outside dataset " + dataset.id() + " of " + dataset.examples());
        }
        int values = Arrays.stream(dataset.featureShape()).reduce(1, Math::multiplyExact);
        FeatureEncoding encoding = dataset.featureEncoding();
        long rowBytes = (long) values * encoding.bytesPerValue();
        float[][] features = new float[count][values];
        int[] labels = new int[count];
        if (count == 0) {
            return new Rows(encoding == FeatureEncoding.UINT8, features, labels);
        }
        ByteBuffer featureBytes = range(dataset.id(), DatasetChunk.FEATURES, from * rowBytes,
                (from + (long) count) * rowBytes);
        for (int i = 0; i < count; i++) {
            float[] row = features[i];
            if (encoding == FeatureEncoding.UINT8) {
                for (int j = 0; j < values; j++) {
                    row[j] = featureBytes.get() & 0xff;
                }
            }
            else {
                for (int j = 0; j < values; j++) {
                    row[j] = featureBytes.getFloat();
                }
            }
        }
        range(dataset.id(), DatasetChunk.LABELS, (long) from * Integer.BYTES, (from + (long) count) * Integer.BYTES)
            .asIntBuffer()
            .get(labels);
        return new Rows(encoding == FeatureEncoding.UINT8, features, labels);
    }

    /**
     * Bytes {@code [start, end)} of the concatenated chunks of {@code kind},
     * little-endian, read from the chunks that hold them alone.
     */
    private ByteBuffer range(UUID id, String kind, long start, long end) {
        int chunkSize = store.chunkSize(id, kind)
            .orElseThrow(() -> new IllegalStateException("dataset " + id + " has no " + kind + " chunk"));
        byte[] out = new byte[Math.toIntExact(end - start)];
        for (int seq = (int) (start / chunkSize); seq <= (end - 1) / chunkSize; seq++) {
            byte[] chunk = store.chunk(id, kind, seq);
            long chunkStart = (long) seq * chunkSize;
            long from = Math.max(start, chunkStart);
            long to = Math.min(end, chunkStart + chunk.length);
            if (to - from <= 0 || to < Math.min(end, chunkStart + chunkSize)) {
                throw new IllegalStateException("dataset " + id + " " + kind + " chunk " + seq + " holds "
                        + chunk.length + " bytes, too few for bytes [" + start + ", " + end + ")");
            }
            System.arraycopy(chunk, (int) (from - chunkStart), out, (int) (from - start), (int) (to - from));
        }
        return ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    }

}
