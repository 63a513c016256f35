package dev.trainyard.prediction.batch;

import dev.trainyard.dataset.DatasetRows;
import dev.trainyard.dataset.DatasetService;
import dev.trainyard.model.ModelService;
import dev.trainyard.system.ApiException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Scores one batch, the body of db-scheduler's {@code score-batch} task: claims it (a new
 * attempt), builds the model ({@link ScoringModel}) and scores the dataset chunk by chunk
 * from the first one not stored, committing each chunk's results with the progress they
 * make in one transaction. It ends by how scoring stopped: finished, cancelled (seen when
 * a chunk is committed, on whichever instance the cancel was asked), given back on
 * shutdown, or abandoned to the instance that took it over.
 */
@Component
class BatchWorker {

    private static final Logger log = LoggerFactory.getLogger(BatchWorker.class);

    /** What db-scheduler does with the task instance: remove it, or run it again soon. */
    enum Outcome {

        DONE, RELEASED

    }

    /** A failure the batch's {@code error.type} names. */
    static final class ScoringFailure extends RuntimeException {

        final String type;

        ScoringFailure(String type, String message, Throwable cause) {
            super(message, cause);
            this.type = type;
        }

    }

    private final BatchStore store;

    private final BatchRuns runs;

    private final ModelService models;

    private final DatasetService datasets;

    private final TransactionTemplate tx;

    BatchWorker(BatchStore store, BatchRuns runs, ModelService models, DatasetService datasets,
            TransactionTemplate tx) {
        this.store = store;
        this.runs = runs;
        this.models = models;
        this.datasets = datasets;
        this.tx = tx;
    }

    Outcome score(UUID id) {
        if (!runs.accepting()) {
            return Outcome.RELEASED;
        }
        Optional<BatchRow> claimed = tx.execute(status -> claim(id));
        if (claimed == null || claimed.isEmpty()) {
            return Outcome.DONE;
        }
        BatchRow batch = claimed.get();
        BatchRun run = new BatchRun(id, batch.attempt());
        runs.add(run);
        try {
            return scoreClaimed(run, batch);
        }
        catch (RuntimeException e) {
            fail(run, e);
            return Outcome.DONE;
        }
        finally {
            runs.remove(run);
        }
    }

    private Optional<BatchRow> claim(UUID id) {
        BatchRow batch = store.lock(id).orElse(null);
        if (batch == null || batch.status().finished()) {
            return Optional.empty();
        }
        if (batch.cancelRequested()) {
            store.finish(id, BatchPredictionStatus.CANCELLED, Instant.now());
            return Optional.empty();
        }
        if (batch.status() == BatchPredictionStatus.RUNNING) {
            log.warn("Taking over batch prediction {} (attempt {}), whose worker stopped heart-beating", id,
                    batch.attempt());
        }
        store.claim(id, Instant.now());
        return store.find(id);
    }

    private Outcome scoreClaimed(BatchRun run, BatchRow batch) {
        long start = System.nanoTime();
        ScoringModel model = model(batch);
        DatasetRows rows = rows(batch);
        if (rows.featureCount() != model.featureCount()) {
            throw new ScoringFailure("scoring_failed", "the dataset has " + rows.featureCount()
                    + " values per example but the model takes " + model.featureCount(), null);
        }
        int chunks = batch.chunks();
        Progress progress = batch.progress();
        if (progress.chunksDone() >= chunks) {
            // only a batch of no rows: the last chunk's commit ends every other one
            tx.executeWithoutResult(status -> {
                if (owns(run, store.lock(run.id).orElse(null))) {
                    store.finish(run.id, BatchPredictionStatus.SUCCEEDED, Instant.now());
                }
            });
            return Outcome.DONE;
        }
        log.info("Batch prediction {} (attempt {}): scoring {} rows from chunk {} of {} ({} rows each)", batch.id(),
                run.attempt, batch.rowsTotal() - progress.rowsDone(), progress.chunksDone(), chunks, batch.chunkRows());
        for (int chunk = progress.chunksDone(); chunk < chunks; chunk++) {
            if (run.shutdownRequested()) {
                release(run);
                log.info("Released batch prediction {} at chunk {} of {} for another instance", batch.id(), chunk,
                        chunks);
                return Outcome.RELEASED;
            }
            ChunkScores scores = score(batch, model, rows, chunk);
            Progress next = progress.plus(scores, batch.progress().seconds() + (System.nanoTime() - start) / 1e9);
            boolean last = chunk == chunks - 1;
            Boolean committed = tx
                .execute(status -> store.commit(batch.id(), run.attempt, scores, next, last, Instant.now()));
            if (!Boolean.TRUE.equals(committed)) {
                stopped(run);
                return Outcome.DONE;
            }
            progress = next;
        }
        log.info(String.format(Locale.ROOT, "Batch prediction %s succeeded: %,d rows, %,.0f rows/s%s", batch.id(),
                progress.rowsDone(), progress.rowsDone() / Math.max(progress.seconds(), 1e-9),
                batch.labelled() ? String.format(Locale.ROOT, ", accuracy %.4f",
                        (double) progress.correct() / Math.max(progress.rowsDone(), 1)) : ""));
        return Outcome.DONE;
    }

    private ScoringModel model(BatchRow batch) {
        try {
            return new ScoringModel(models.get(batch.tenantId(), batch.modelId()),
                    models.file(batch.tenantId(), batch.modelId()));
        }
        catch (ApiException e) {
            throw new ScoringFailure("model_unavailable", "model " + batch.modelId() + ": " + e.getMessage(), e);
        }
    }

    private DatasetRows rows(BatchRow batch) {
        try {
            return datasets.rows(batch.tenantId(), batch.datasetId());
        }
        catch (ApiException e) {
            throw new ScoringFailure("dataset_unavailable", "dataset " + batch.datasetId() + ": " + e.getMessage(), e);
        }
    }

    /** Reads, preprocesses and scores the rows of one chunk. */
    private static ChunkScores score(BatchRow batch, ScoringModel model, DatasetRows rows, int chunk) {
        int first = chunk * batch.chunkRows();
        int n = Math.min(batch.chunkRows(), batch.rowsTotal() - first);
        float[] raw = new float[n * rows.featureCount()];
        int[] datasetLabels = new int[n];
        try {
            rows.read(first, n, raw, datasetLabels);
        }
        catch (RuntimeException e) {
            throw new ScoringFailure("dataset_unavailable",
                    "dataset " + batch.datasetId() + " could not be read: " + e.getMessage(), e);
        }
        float[] p = model.probabilities(raw, n);
        int k = batch.classes().size();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (p[i * k + c] > p[i * k + best]) {
                    best = c;
                }
            }
            labels[i] = best;
        }
        int[] truth = null;
        if (batch.labelled()) {
            truth = new int[n];
            for (int i = 0; i < n; i++) {
                int label = datasetLabels[i];
                if (label < 0 || label >= batch.labelMap().length) {
                    throw new ScoringFailure("dataset_unavailable", "example " + (first + i) + " of dataset "
                            + batch.datasetId() + " has label " + label + ", outside its classes", null);
                }
                truth[i] = batch.labelMap()[label];
            }
        }
        return new ChunkScores(chunk, first, n, labels, p, truth);
    }

    /**
     * A chunk was not stored: the batch was cancelled (then it ends here, CANCELLED), or
     * another attempt holds it.
     */
    private void stopped(BatchRun run) {
        boolean cancelled = Boolean.TRUE.equals(tx.execute(status -> {
            BatchRow batch = store.lock(run.id).orElse(null);
            if (owns(run, batch) && batch.cancelRequested()) {
                store.finish(run.id, BatchPredictionStatus.CANCELLED, Instant.now());
                return true;
            }
            return false;
        }));
        if (cancelled) {
            log.info("Batch prediction {} cancelled", run.id);
        }
        else {
            log.warn("Batch prediction {} (attempt {}) was taken over by another instance; this attempt stops", run.id,
                    run.attempt);
        }
    }

    private void release(BatchRun run) {
        tx.executeWithoutResult(status -> {
            if (owns(run, store.lock(run.id).orElse(null))) {
                store.release(run.id);
            }
        });
    }

    private void fail(BatchRun run, RuntimeException e) {
        String type = e instanceof ScoringFailure f ? f.type : "scoring_failed";
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        if (type.equals("scoring_failed")) {
            log.error("Batch prediction {} failed", run.id, e);
        }
        else {
            log.info("Batch prediction {} failed: {}", run.id, message);
        }
        tx.executeWithoutResult(status -> {
            if (owns(run, store.lock(run.id).orElse(null))) {
                store.fail(run.id, type, message, Instant.now());
            }
        });
    }

    private static boolean owns(BatchRun run, BatchRow batch) {
        return batch != null && batch.status() == BatchPredictionStatus.RUNNING && batch.attempt() == run.attempt;
    }

}
