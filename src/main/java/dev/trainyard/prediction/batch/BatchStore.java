package dev.trainyard.prediction.batch;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The batch predictions' tables through plain SQL (the same on H2 and PostgreSQL).
 * Callers own the transactions; every state change of a batch holds its row lock
 * ({@link #lock}, or the lock its {@code UPDATE} takes).
 */
@Component
class BatchStore {

    private static final String COLUMNS = "id, tenant_id, model_id, dataset_id, dataset_name, status, "
            + "cancel_requested, classes, label_map, rows_total, chunk_rows, chunks_done, rows_done, correct, "
            + "confusion, seconds, attempt, error_type, error_message, created_at, started_at, finished_at";

    /** One stored chunk's results as bytes (see {@link ChunkScores}). */
    record StoredChunk(int firstRow, int rows, byte[] labels, byte[] probabilities, byte[] trueLabels) {
    }

    private final JdbcClient jdbc;

    private final JsonMapper json;

    BatchStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(BatchRow b) {
        jdbc.sql("INSERT INTO batch_predictions (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .params(b.id(), b.tenantId(), b.modelId(), b.datasetId(), b.datasetName(), b.status().name(),
                    b.cancelRequested(), json.writeValueAsString(b.classes()),
                    b.labelMap() == null ? null : json.writeValueAsString(b.labelMap()), b.rowsTotal(), b.chunkRows(),
                    b.progress().chunksDone(), b.progress().rowsDone(), b.progress().correct(),
                    confusion(b.progress().confusion()), b.progress().seconds(), b.attempt(), b.errorType(),
                    b.errorMessage(), time(b.createdAt()), time(b.startedAt()), time(b.finishedAt()))
            .update();
    }

    Optional<BatchRow> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM batch_predictions WHERE id = ?")
            .param(id)
            .query(this::row)
            .optional();
    }

    /** The batch, locked until the transaction ends. */
    Optional<BatchRow> lock(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM batch_predictions WHERE id = ? FOR UPDATE")
            .param(id)
            .query(this::row)
            .optional();
    }

    List<BatchRow> page(UUID tenantId, BatchPredictionStatus status, int page, int size) {
        return jdbc
            .sql("SELECT " + COLUMNS + " FROM batch_predictions WHERE tenant_id = :tenant"
                    + (status != null ? " AND status = :status" : "")
                    + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset")
            .param("tenant", tenantId)
            .param("status", status != null ? status.name() : null)
            .param("limit", size)
            .param("offset", (long) page * size)
            .query(this::row)
            .list();
    }

    long count(UUID tenantId, BatchPredictionStatus status) {
        return jdbc
            .sql("SELECT COUNT(*) FROM batch_predictions WHERE tenant_id = :tenant"
                    + (status != null ? " AND status = :status" : ""))
            .param("tenant", tenantId)
            .param("status", status != null ? status.name() : null)
            .query(Long.class)
            .single();
    }

    /** Queued or running batches that score with {@code modelId}, oldest first. */
    List<UUID> unfinishedUsingModel(UUID modelId) {
        return jdbc
            .sql("SELECT id FROM batch_predictions WHERE model_id = ? AND status IN ('QUEUED', 'RUNNING') "
                    + "ORDER BY created_at")
            .param(modelId)
            .query(UUID.class)
            .list();
    }

    /** Queued or running batches that score the examples of {@code datasetId}. */
    List<UUID> unfinishedUsingDataset(UUID datasetId) {
        return jdbc
            .sql("SELECT id FROM batch_predictions WHERE dataset_id = ? AND status IN ('QUEUED', 'RUNNING') "
                    + "ORDER BY created_at")
            .param(datasetId)
            .query(UUID.class)
            .list();
    }

    /** Takes the batch up: RUNNING, one more attempt. Hold its lock. */
    int claim(UUID id, Instant now) {
        jdbc.sql("UPDATE batch_predictions SET status = 'RUNNING', attempt = attempt + 1, "
                + "started_at = COALESCE(started_at, ?) WHERE id = ?")
            .params(time(now), id)
            .update();
        return jdbc.sql("SELECT attempt FROM batch_predictions WHERE id = ?").param(id).query(Integer.class).single();
    }

    /**
     * Stores a chunk and the progress it makes, only while {@code attempt} holds the
     * running batch, no cancel is pending and the chunk is the next one; with the last
     * chunk the batch SUCCEEDED. False (nothing written) otherwise.
     */
    boolean commit(UUID id, int attempt, ChunkScores scores, Progress progress, boolean last, Instant now) {
        int updated = jdbc
            .sql("UPDATE batch_predictions SET chunks_done = ?, rows_done = ?, correct = ?, confusion = ?, "
                    + "seconds = ?, status = ?, finished_at = ? WHERE id = ? AND attempt = ? AND chunks_done = ? "
                    + "AND status = 'RUNNING' AND cancel_requested = FALSE")
            .params(progress.chunksDone(), progress.rowsDone(), progress.correct(), confusion(progress.confusion()),
                    progress.seconds(), last ? BatchPredictionStatus.SUCCEEDED.name() : "RUNNING",
                    last ? time(now) : null, id, attempt, scores.chunk())
            .update();
        if (updated != 1) {
            return false;
        }
        jdbc.sql("INSERT INTO batch_prediction_chunks (batch_id, chunk, first_row, row_count, attempt, labels, "
                + "probabilities, true_labels) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .params(id, scores.chunk(), scores.firstRow(), scores.rows(), attempt, ChunkScores.bytes(scores.labels()),
                    ChunkScores.bytes(scores.probabilities()),
                    scores.trueLabels() == null ? null : ChunkScores.bytes(scores.trueLabels()))
            .update();
        return true;
    }

    Optional<StoredChunk> chunk(UUID id, int chunk) {
        return jdbc
            .sql("SELECT first_row, row_count, labels, probabilities, true_labels FROM batch_prediction_chunks "
                    + "WHERE batch_id = ? AND chunk = ?")
            .params(id, chunk)
            .query((rs, i) -> new StoredChunk(rs.getInt(1), rs.getInt(2), rs.getBytes(3), rs.getBytes(4),
                    rs.getBytes(5)))
            .optional();
    }

    /** Gives a running batch back to the queue (graceful shutdown); its chunks stay. */
    void release(UUID id) {
        jdbc.sql("UPDATE batch_predictions SET status = 'QUEUED' WHERE id = ?").param(id).update();
    }

    void requestCancel(UUID id) {
        jdbc.sql("UPDATE batch_predictions SET cancel_requested = TRUE WHERE id = ?").param(id).update();
    }

    void finish(UUID id, BatchPredictionStatus status, Instant at) {
        jdbc.sql("UPDATE batch_predictions SET status = ?, finished_at = ? WHERE id = ?")
            .params(status.name(), time(at), id)
            .update();
    }

    void fail(UUID id, String type, String message, Instant at) {
        jdbc.sql("UPDATE batch_predictions SET status = 'FAILED', error_type = ?, error_message = ?, "
                + "finished_at = ? WHERE id = ?")
            .params(type, message.length() > 2000 ? message.substring(0, 2000) : message, time(at), id)
            .update();
    }

    private BatchRow row(ResultSet rs, int i) throws SQLException {
        String labelMap = rs.getString(9);
        String confusion = rs.getString(15);
        Progress progress = new Progress(rs.getInt(12), rs.getInt(13), rs.getInt(14),
                confusion == null ? null : json.readValue(confusion, int[][].class), rs.getDouble(16));
        return new BatchRow(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                rs.getObject(4, UUID.class), rs.getString(5), BatchPredictionStatus.valueOf(rs.getString(6)),
                rs.getBoolean(7), json.readValue(rs.getString(8), new TypeReference<List<String>>() {
                }), labelMap == null ? null : json.readValue(labelMap, int[].class), rs.getInt(10), rs.getInt(11),
                progress, rs.getInt(17), rs.getString(18), rs.getString(19), instant(rs, 20), instant(rs, 21),
                instant(rs, 22));
    }

    private String confusion(int[][] counts) {
        return counts == null ? null : json.writeValueAsString(counts);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

}
