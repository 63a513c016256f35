package dev.trainyard.prediction.batch;

import dev.trainyard.dataset.DatasetService;
import dev.trainyard.dataset.DatasetView;
import dev.trainyard.model.ModelService;
import dev.trainyard.model.ModelView;
import dev.trainyard.system.ApiException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Batch predictions: submit one (a model over a stored dataset), read, list and cancel
 * them, and write a finished one's results. Every call takes the caller's tenant: another
 * tenant's batch, model or dataset is not found.
 */
@Service
class BatchPredictionService {

    static final int MAX_PAGE_SIZE = 100;

    /** Most bytes of raw input values in one chunk (float32). */
    static final long CHUNK_INPUT_BYTES = 64L << 20;

    /** Most bytes of probabilities in one stored chunk (float32). */
    static final long CHUNK_RESULT_BYTES = 8L << 20;

    private final BatchStore store;

    private final BatchQueue queue;

    private final ModelService models;

    private final DatasetService datasets;

    private final ResultsWriter results;

    private final BatchPredictionProperties properties;

    private final TransactionTemplate tx;

    BatchPredictionService(BatchStore store, BatchQueue queue, ModelService models, DatasetService datasets,
            ResultsWriter results, BatchPredictionProperties properties, TransactionTemplate tx) {
        this.store = store;
        this.queue = queue;
        this.models = models;
        this.datasets = datasets;
        this.results = results;
        this.properties = properties;
        this.tx = tx;
    }

    /**
     * Queues the model over every example of the dataset; the model in 404, the dataset
     * in 422 when unknown or of another shape. Both are locked against deletion while the
     * batch is recorded.
     */
    BatchPredictionView submit(UUID tenantId, UUID modelId, BatchPredictionRequest request) {
        UUID datasetId = request == null ? null : request.datasetId();
        if (datasetId == null) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid request",
                    "datasetId is required: the id of a stored dataset to score.")
                .with("pointer", "#/datasetId");
        }
        BatchRow row = tx.execute(status -> {
            ModelView model = models.reserve(tenantId, modelId);
            if (datasets.find(tenantId, datasetId).isEmpty()) {
                throw unprocessable("There is no dataset " + datasetId + ".").with("datasetId", datasetId);
            }
            DatasetView dataset = datasets.reserve(tenantId, datasetId);
            checkShape(model, dataset);
            int[] labelMap = labelMap(model, dataset);
            BatchRow batch = new BatchRow(UUID.randomUUID(), tenantId, modelId, datasetId, dataset.name(),
                    BatchPredictionStatus.QUEUED, false, model.classes(), labelMap, dataset.examples(),
                    chunkRows(model, dataset), Progress.start(model.classes().size(), labelMap != null), 0, null, null,
                    Instant.now().truncatedTo(ChronoUnit.MICROS), null, null);
            store.insert(batch);
            queue.enqueue(batch.id());
            return batch;
        });
        return view(row);
    }

    BatchPredictionView get(UUID tenantId, UUID id) {
        return view(owned(tenantId, id));
    }

    BatchPredictionPage list(UUID tenantId, BatchPredictionStatus status, int page, int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid page",
                    "page must be 0 or more and size from 1 to " + MAX_PAGE_SIZE + ".")
                .with("page", page)
                .with("size", size);
        }
        long total = store.count(tenantId, status);
        List<BatchPredictionView> items = store.page(tenantId, status, page, size)
            .stream()
            .map(BatchPredictionService::view)
            .toList();
        return new BatchPredictionPage(items, page, size, total, (int) ((total + size - 1) / size));
    }

    /**
     * A queued batch never starts; a running one stops before its next chunk is stored,
     * on whichever instance scores it; a finished one answers 409.
     */
    BatchPredictionView cancel(UUID tenantId, UUID id) {
        return tx.execute(status -> {
            BatchRow batch = store.lock(id).filter(b -> b.tenantId().equals(tenantId)).orElseThrow(() -> notFound(id));
            if (batch.status().finished()) {
                throw new ApiException(HttpStatus.CONFLICT, "Batch prediction already finished",
                        "Batch prediction " + id + " is " + batch.status() + " and cannot be cancelled.")
                    .with("batchPredictionId", id)
                    .with("status", batch.status());
            }
            store.requestCancel(id);
            if (batch.status() == BatchPredictionStatus.QUEUED) {
                store.finish(id, BatchPredictionStatus.CANCELLED, Instant.now());
            }
            return view(store.find(id).orElseThrow());
        });
    }

    /**
     * The finished batch whose results are about to be written; 404 for none, 409 unless
     * it SUCCEEDED.
     */
    BatchRow finished(UUID tenantId, UUID id) {
        BatchRow batch = owned(tenantId, id);
        if (batch.status() != BatchPredictionStatus.SUCCEEDED) {
            throw new ApiException(HttpStatus.CONFLICT, "Results not available",
                    "Batch prediction " + id + " is " + batch.status() + "; results exist once it has SUCCEEDED.")
                .with("batchPredictionId", id)
                .with("status", batch.status())
                .with("rowsDone", batch.progress().rowsDone())
                .with("rowsTotal", batch.rowsTotal());
        }
        return batch;
    }

    void writeResults(BatchRow batch, ResultFormat format, OutputStream out) throws IOException {
        results.write(batch, format, out);
    }

    private BatchRow owned(UUID tenantId, UUID id) {
        return store.find(id).filter(b -> b.tenantId().equals(tenantId)).orElseThrow(() -> notFound(id));
    }

    /**
     * The dataset fits when its examples have the model's shape, or the same number of
     * values where one of the two shapes is flat (predictions take instances flattened).
     */
    private static void checkShape(ModelView model, DatasetView dataset) {
        List<Integer> m = model.featureShape();
        List<Integer> d = dataset.featureShape();
        boolean fits = m.equals(d) || ((m.size() == 1 || d.size() == 1) && values(m) == values(d));
        if (!fits) {
            throw unprocessable("Dataset " + dataset.id() + " has examples shaped " + d + " but model " + model.id()
                    + " takes " + m + ".")
                .with("datasetId", dataset.id())
                .with("featureShape", d)
                .with("expectedFeatureShape", m);
        }
    }

    private static long values(List<Integer> shape) {
        long n = 1;
        for (int dim : shape) {
            n *= dim;
        }
        return n;
    }

    /** Per dataset class its index among the model's, or null if the model lacks one. */
    private static int[] labelMap(ModelView model, DatasetView dataset) {
        int[] map = new int[dataset.classes().size()];
        for (int c = 0; c < map.length; c++) {
            map[c] = model.classes().indexOf(dataset.classes().get(c));
            if (map[c] < 0) {
                return null;
            }
        }
        return map;
    }

    private int chunkRows(ModelView model, DatasetView dataset) {
        long inputs = Math.max(1, CHUNK_INPUT_BYTES / (Float.BYTES * values(dataset.featureShape())));
        long outputs = Math.max(1, CHUNK_RESULT_BYTES / ((long) Float.BYTES * model.classes().size()));
        return (int) Math.min(properties.chunkRows(), Math.min(inputs, outputs));
    }

    static BatchPredictionView view(BatchRow b) {
        Progress p = b.progress();
        Double rate = p.rowsDone() > 0 && p.seconds() > 0 ? p.rowsDone() / p.seconds() : null;
        Double duration = b.startedAt() == null ? null
                : Duration.between(b.startedAt(), b.finishedAt() != null ? b.finishedAt() : Instant.now()).toNanos()
                        / 1e9;
        Double accuracy = b.labelled() && p.rowsDone() > 0 ? (double) p.correct() / p.rowsDone() : null;
        BatchPredictionView.Error error = b.errorType() == null ? null
                : new BatchPredictionView.Error(b.errorType(), b.errorMessage());
        return new BatchPredictionView(b.id(), b.modelId(), b.datasetId(), b.datasetName(), b.status(), b.classes(),
                b.rowsTotal(), p.rowsDone(), rate, duration, b.labelled(), accuracy,
                b.labelled() ? p.confusion() : null, error, b.createdAt(), b.startedAt(), b.finishedAt());
    }

    private static ApiException notFound(UUID id) {
        return new ApiException(HttpStatus.NOT_FOUND, "Batch prediction not found",
                "There is no batch prediction " + id + ".")
            .with("batchPredictionId", id);
    }

    private static ApiException unprocessable(String detail) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid batch prediction", detail).with("pointer",
                "#/datasetId");
    }

}
