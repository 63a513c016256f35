package dev.trainyard.dataset.internal;

import dev.trainyard.engine.data.Dataset;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.springframework.stereotype.Component;

/**
 * Reads a stored dataset back into memory, one chunk at a time: features as float32
 * (uint8 values become 0..255, unscaled; preprocessing is the trainer's business), labels
 * as class indices.
 */
@Component
public class DatasetLoader {

    private final DatasetStore store;

    DatasetLoader(DatasetStore store) {
        this.store = store;
    }

    public Dataset load(DatasetEntity dataset) {
        Shape shape = Shape.of(dataset.featureShape()).withBatch(dataset.examples());
        float[] features = new float[shape.size()];
        int filled = 0;
        int chunks = store.chunkCount(dataset.id(), DatasetChunk.FEATURES);
        for (int seq = 0; seq < chunks; seq++) {
            byte[] chunk = store.chunk(dataset.id(), DatasetChunk.FEATURES, seq);
            if (dataset.featureEncoding() == FeatureEncoding.UINT8) {
                requireRoom(dataset, filled, chunk.length, features.length);
                for (byte b : chunk) {
                    features[filled++] = b & 0xff;
                }
            }
            else {
                int n = chunk.length / Float.BYTES;
                requireRoom(dataset, filled, n, features.length);
                ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(features, filled, n);
                filled += n;
            }
        }
        int[] labels = new int[dataset.examples()];
        int labelled = 0;
        int labelChunks = store.chunkCount(dataset.id(), DatasetChunk.LABELS);
        for (int seq = 0; seq < labelChunks; seq++) {
            byte[] chunk = store.chunk(dataset.id(), DatasetChunk.LABELS, seq);
            int n = chunk.length / Integer.BYTES;
            requireRoom(dataset, labelled, n, labels.length);
            ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(labels, labelled, n);
            labelled += n;
        }
        if (filled != features.length || labelled != labels.length) {
            throw new IllegalStateException("dataset " + dataset.id() + " stores " + filled + " feature values and "
                    + labelled + " labels, expected " + features.length + " and " + labels.length);
        }
        return new Dataset(Tensor.wrap(features, shape), labels, dataset.classes().size());
    }

    private static void requireRoom(DatasetEntity dataset, int filled, int more, int capacity) {
        if (filled + more > capacity) {
            throw new IllegalStateException("dataset " + dataset.id() + " stores more values than its shape holds");
        }
    }

}
