package dev.trainyard.dataset.internal;

import dev.trainyard.dataset.DatasetRows;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.UUID;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link DatasetRows} over the stored chunks: example i's features are bytes
 * {@code [i * rowBytes, (i + 1) * rowBytes)} of the concatenated feature chunks, its
 * label bytes {@code [4i, 4i + 4)} of the label chunks. Each chunk is fetched in a
 * read-only transaction of its own, and the last one of each kind is kept for the next
 * read.
 */
final class ChunkedRows implements DatasetRows {

    private final DatasetStore store;

    private final TransactionTemplate readOnly;

    private final UUID id;

    private final int examples;

    private final int values;

    private final FeatureEncoding encoding;

    private final Source features;

    private final Source labels;

    ChunkedRows(DatasetStore store, TransactionTemplate readOnly, DatasetEntity dataset) {
        this.store = store;
        this.readOnly = readOnly;
        this.id = dataset.id();
        this.examples = dataset.examples();
        this.values = Arrays.stream(dataset.featureShape()).reduce(1, Math::multiplyExact);
        this.encoding = dataset.featureEncoding();
        this.features = new Source(DatasetChunk.FEATURES);
        this.labels = new Source(DatasetChunk.LABELS);
    }

    @Override
    public int examples() {
        return examples;
    }

    @Override
    public int featureCount() {
        return values;
    }

    @Override
    public void read(int from, int count, float[] out, int[] labelsOut) {
        if (from < 0 || count < 0 || (long) from + count > examples) {
            throw new IllegalArgumentException("examples [" + from + ", " + ((long) from + count)
                    + ") are outside dataset " + id + " of " + examples);
        }
        if (out.length < (long) count * values || labelsOut.length < count) {
            throw new IllegalArgumentException("arrays too small for " + count + " examples of " + values + " values");
        }
        if (count == 0) {
            return;
        }
        long rowBytes = (long) values * encoding.bytesPerValue();
        byte[] bytes = features.range(from * rowBytes, (from + (long) count) * rowBytes);
        int n = count * values;
        if (encoding == FeatureEncoding.UINT8) {
            for (int j = 0; j < n; j++) {
                out[j] = bytes[j] & 0xff;
            }
        }
        else {
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out, 0, n);
        }
        ByteBuffer.wrap(labels.range((long) from * Integer.BYTES, (from + (long) count) * Integer.BYTES))
            .order(ByteOrder.LITTLE_ENDIAN)
            .asIntBuffer()
            .get(labelsOut, 0, count);
    }

    /** The chunks of one kind, with the last one fetched. */
    private final class Source {

        private final String kind;

        private int chunkSize = -1;

        private int cachedSeq = -1;

        private byte[] cached;

        Source(String kind) {
            this.kind = kind;
        }

        /** Bytes {@code [start, end)} of the concatenated chunks. */
        byte[] range(long start, long end) {
            if (chunkSize < 0) {
                chunkSize = readOnly.execute(status -> store.chunkSize(id, kind))
                    .orElseThrow(() -> new IllegalStateException("dataset " + id + " has no " + kind + " chunk"));
            }
            byte[] out = new byte[Math.toIntExact(end - start)];
            for (int seq = (int) (start / chunkSize); seq <= (end - 1) / chunkSize; seq++) {
                byte[] chunk = chunk(seq);
                long chunkStart = (long) seq * chunkSize;
                long from = Math.max(start, chunkStart);
                long to = Math.min(end, chunkStart + chunk.length);
                if (to - from <= 0 || to < Math.min(end, chunkStart + chunkSize)) {
                    throw new IllegalStateException("dataset " + id + " " + kind + " chunk " + seq + " holds "
                            + chunk.length + " bytes, too few for bytes [" + start + ", " + end + ")");
                }
                System.arraycopy(chunk, (int) (from - chunkStart), out, (int) (from - start), (int) (to - from));
            }
            return out;
        }

        private byte[] chunk(int seq) {
            if (seq != cachedSeq) {
                cached = readOnly.execute(status -> store.chunk(id, kind, seq));
                cachedSeq = seq;
            }
            return cached;
        }

    }

}
