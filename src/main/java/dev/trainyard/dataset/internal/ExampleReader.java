package dev.trainyard.dataset.internal;

import dev.trainyard.dataset.DatasetRows;
import java.util.Arrays;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads runs of consecutive examples of a stored dataset, fetching only the chunks that
 * hold them ({@link ChunkedRows}).
 */
@Component
public class ExampleReader {

    private final DatasetStore store;

    private final TransactionTemplate readOnly;

    ExampleReader(DatasetStore store, PlatformTransactionManager transactions) {
        this.store = store;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
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
        DatasetRows rows = rows(dataset);
        int values = rows.featureCount();
        float[] flat = new float[Math.multiplyExact(Math.max(count, 0), values)];
        int[] labels = new int[Math.max(count, 0)];
        rows.read(from, count, flat, labels);
        float[][] features = new float[count][];
        for (int i = 0; i < count; i++) {
            features[i] = Arrays.copyOfRange(flat, i * values, (i + 1) * values);
        }
        return new Rows(dataset.featureEncoding() == FeatureEncoding.UINT8, features, labels);
    }

    /**
     * The dataset's examples for reading run after run, each chunk fetched in a read-only
     * transaction of its own (or the caller's).
     */
    public DatasetRows rows(DatasetEntity dataset) {
        return new ChunkedRows(store, readOnly, dataset);
    }

}
