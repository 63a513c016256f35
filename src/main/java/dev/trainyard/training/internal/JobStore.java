package dev.trainyard.training.internal;

import dev.trainyard.system.PolledEventStream;
import dev.trainyard.training.EpochRow;
import dev.trainyard.training.JobStatus;
import java.io.ByteArrayOutputStream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The training module's tables through plain SQL (the same on H2 and PostgreSQL). Callers
 * own the transactions; {@link #lockJob} takes the job's row lock, which every state
 * change of a job or its members holds, so instances never interleave them.
 */
@Repository
public class JobStore {

    /** Largest single binary value written, as the datasets module does. */
    static final int CHUNK_BYTES = 8 << 20;

    private static final String JOB_COLUMNS = "id, tenant_id, name, status, spec, dataset_id, test_dataset_id, "
            + "members, cancel_requested, ensemble_id, error_type, error_message, idempotency_key, request_hash, "
            + "created_at, started_at, finished_at";

    private final JdbcClient jdbc;

    JobStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(JobRow job, List<MemberRow> members) {
        jdbc.sql("INSERT INTO training_jobs (" + JOB_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .params(job.id(), job.tenantId(), job.name(), job.status().name(), job.spec(), job.datasetId(),
                    job.testDatasetId(), job.members(), job.cancelRequested(), job.ensembleId(), job.errorType(),
                    job.errorMessage(), job.idempotencyKey(), job.requestHash(), time(job.createdAt()),
                    time(job.startedAt()), time(job.finishedAt()))
            .update();
        for (MemberRow m : members) {
            jdbc.sql("INSERT INTO training_members (job_id, member, seed, status, owner, attempt, epoch, epochs, "
                    + "batch, batches) VALUES (?, ?, ?, ?, NULL, 0, 0, ?, 0, 0)")
                .params(m.jobId(), m.member(), m.seed(), m.status().name(), m.epochs())
                .update();
        }
    }

    public Optional<JobRow> find(UUID id) {
        return jdbc.sql("SELECT " + JOB_COLUMNS + " FROM training_jobs WHERE id = ?")
            .param(id)
            .query(JobStore::job)
            .optional();
    }

    /** The job, locked until the transaction ends. */
    public Optional<JobRow> lockJob(UUID id) {
        return jdbc.sql("SELECT " + JOB_COLUMNS + " FROM training_jobs WHERE id = ? FOR UPDATE")
            .param(id)
            .query(JobStore::job)
            .optional();
    }

    public Optional<JobRow> findByIdempotencyKey(UUID tenantId, String key) {
        return jdbc.sql("SELECT " + JOB_COLUMNS + " FROM training_jobs WHERE tenant_id = ? AND idempotency_key = ?")
            .params(tenantId, key)
            .query(JobStore::job)
            .optional();
    }

    public List<JobRow> page(UUID tenantId, JobStatus status, int page, int size) {
        return jdbc
            .sql("SELECT " + JOB_COLUMNS + " FROM training_jobs WHERE tenant_id = :tenant"
                    + (status != null ? " AND status = :status" : "")
                    + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset")
            .param("tenant", tenantId)
            .param("status", status != null ? status.name() : null)
            .param("limit", size)
            .param("offset", (long) page * size)
            .query(JobStore::job)
            .list();
    }

    public long count(UUID tenantId, JobStatus status) {
        return jdbc
            .sql("SELECT COUNT(*) FROM training_jobs WHERE tenant_id = :tenant"
                    + (status != null ? " AND status = :status" : ""))
            .param("tenant", tenantId)
            .param("status", status != null ? status.name() : null)
            .query(Long.class)
            .single();
    }

    /**
     * Jobs that still need {@code datasetId} (as training or test data) and have not
     * finished.
     */
    public List<UUID> unfinishedJobsUsing(UUID datasetId) {
        return jdbc
            .sql("SELECT id FROM training_jobs WHERE (dataset_id = ? OR test_dataset_id = ?) "
                    + "AND status IN ('QUEUED', 'RUNNING') ORDER BY created_at")
            .params(datasetId, datasetId)
            .query(UUID.class)
            .list();
    }

    /**
     * The tenant's jobs that are queued or running: what its running-jobs quota counts.
     */
    public long countUnfinished(UUID tenantId) {
        return jdbc.sql("SELECT COUNT(*) FROM training_jobs WHERE tenant_id = ? AND status IN ('QUEUED', 'RUNNING')")
            .param(tenantId)
            .query(Long.class)
            .single();
    }

    public void updateStatus(UUID id, JobStatus status, Instant startedAt, Instant finishedAt) {
        jdbc.sql("UPDATE training_jobs SET status = ?, started_at = COALESCE(started_at, ?), finished_at = ? "
                + "WHERE id = ?")
            .params(status.name(), time(startedAt), time(finishedAt), id)
            .update();
    }

    public void fail(UUID id, String type, String message, Instant at) {
        jdbc.sql("UPDATE training_jobs SET status = 'FAILED', error_type = ?, error_message = ?, finished_at = ?, "
                + "cancel_requested = TRUE WHERE id = ?")
            .params(type, message.length() > 2000 ? message.substring(0, 2000) : message, time(at), id)
            .update();
    }

    public void requestCancel(UUID id) {
        jdbc.sql("UPDATE training_jobs SET cancel_requested = TRUE WHERE id = ?").param(id).update();
    }

    public boolean cancelRequested(UUID id) {
        return jdbc.sql("SELECT cancel_requested FROM training_jobs WHERE id = ?")
            .param(id)
            .query(Boolean.class)
            .optional()
            .orElse(true);
    }

    public void setEnsemble(UUID id, UUID ensembleId) {
        jdbc.sql("UPDATE training_jobs SET ensemble_id = ? WHERE id = ?").params(ensembleId, id).update();
    }

    // members

    public List<MemberRow> members(UUID jobId) {
        return jdbc
            .sql("SELECT job_id, member, seed, status, owner, attempt, epoch, epochs, batch, batches, "
                    + "model_id, started_at, finished_at FROM training_members WHERE job_id = ? ORDER BY member")
            .param(jobId)
            .query(JobStore::member)
            .list();
    }

    /** The members of each of {@code jobIds}, in member order, in one query. */
    public Map<UUID, List<MemberRow>> members(Collection<UUID> jobIds) {
        Map<UUID, List<MemberRow>> members = new HashMap<>();
        if (jobIds.isEmpty()) {
            return members;
        }
        jdbc.sql("SELECT job_id, member, seed, status, owner, attempt, epoch, epochs, batch, batches, "
                + "model_id, started_at, finished_at FROM training_members WHERE job_id IN (:ids) "
                + "ORDER BY job_id, member")
            .param("ids", List.copyOf(jobIds))
            .query(JobStore::member)
            .list()
            .forEach(m -> members.computeIfAbsent(m.jobId(), id -> new ArrayList<>()).add(m));
        return members;
    }

    public Optional<MemberRow> member(UUID jobId, int member) {
        return members(jobId).stream().filter(m -> m.member() == member).findFirst();
    }

    /**
     * Takes a member up for {@code owner}: RUNNING, one more attempt. Hold the job lock.
     */
    public int claim(UUID jobId, int member, String owner, Instant now) {
        jdbc.sql("UPDATE training_members SET status = 'RUNNING', owner = ?, attempt = attempt + 1, "
                + "started_at = COALESCE(started_at, ?) WHERE job_id = ? AND member = ?")
            .params(owner, time(now), jobId, member)
            .update();
        return member(jobId, member).orElseThrow().attempt();
    }

    /**
     * Records progress, only while {@code owner}'s attempt still holds the member; false
     * when another instance has taken it over.
     */
    public boolean progress(UUID jobId, int member, String owner, int attempt, int epoch, int batch, int batches) {
        return jdbc
            .sql("UPDATE training_members SET epoch = ?, batch = ?, batches = ? "
                    + "WHERE job_id = ? AND member = ? AND owner = ? AND attempt = ? AND status = 'RUNNING'")
            .params(epoch, batch, batches, jobId, member, owner, attempt)
            .update() == 1;
    }

    public void finishMember(UUID jobId, int member, JobStatus status, UUID modelId, Instant at) {
        jdbc.sql("UPDATE training_members SET status = ?, model_id = ?, finished_at = ?, owner = NULL "
                + "WHERE job_id = ? AND member = ?")
            .params(status.name(), modelId, time(at), jobId, member)
            .update();
    }

    /** Records the registered model of a member that succeeded. */
    public void setMemberModel(UUID jobId, int member, UUID modelId) {
        jdbc.sql("UPDATE training_members SET model_id = ? WHERE job_id = ? AND member = ?")
            .params(modelId, jobId, member)
            .update();
    }

    /** Gives the member back to the queue (graceful shutdown); its checkpoint stays. */
    public void release(UUID jobId, int member) {
        jdbc.sql("UPDATE training_members SET status = 'QUEUED', owner = NULL WHERE job_id = ? AND member = ?")
            .params(jobId, member)
            .update();
    }

    public void cancelUnfinishedMembers(UUID jobId, Instant at) {
        jdbc.sql("UPDATE training_members SET status = 'CANCELLED', owner = NULL, finished_at = ? "
                + "WHERE job_id = ? AND status IN ('QUEUED', 'RUNNING')")
            .params(time(at), jobId)
            .update();
    }

    // metrics and diagnostics

    public void insertMetrics(UUID jobId, EpochRow r) {
        jdbc.sql("INSERT INTO training_metrics (job_id, member, epoch, train_loss, train_accuracy, val_loss, "
                + "val_accuracy, learning_rate, seconds, samples_per_second) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .params(jobId, r.member(), r.epoch(), r.trainLoss(), r.trainAccuracy(), r.valLoss(), r.valAccuracy(),
                    r.learningRate(), r.seconds(), r.samplesPerSecond())
            .update();
    }

    /**
     * Metrics of epochs after {@code fromEpoch} (a resumed member repeats nothing it had
     * saved).
     */
    public void deleteMetricsAfter(UUID jobId, int member, int fromEpoch) {
        jdbc.sql("DELETE FROM training_metrics WHERE job_id = ? AND member = ? AND epoch > ?")
            .params(jobId, member, fromEpoch)
            .update();
        jdbc.sql("DELETE FROM training_diagnostics WHERE job_id = ? AND member = ? AND epoch > ?")
            .params(jobId, member, fromEpoch)
            .update();
    }

    public List<EpochRow> metrics(UUID jobId) {
        return jdbc
            .sql("SELECT member, epoch, train_loss, train_accuracy, val_loss, val_accuracy, learning_rate, "
                    + "seconds, samples_per_second FROM training_metrics WHERE job_id = ? ORDER BY member, epoch")
            .param(jobId)
            .query((rs, i) -> new EpochRow(rs.getInt(1), rs.getInt(2), rs.getDouble(3), rs.getDouble(4),
                    rs.getObject(5, Double.class), rs.getObject(6, Double.class), rs.getDouble(7), rs.getDouble(8),
                    rs.getDouble(9)))
            .list();
    }

    /**
     * Per job among {@code jobIds} that has metrics: the highest validation accuracy of
     * any member and epoch (null without a validation split) and the mean training
     * throughput of its epochs; one aggregate query.
     */
    public Map<UUID, MetricsSummary> metricsSummaries(Collection<UUID> jobIds) {
        Map<UUID, MetricsSummary> summaries = new HashMap<>();
        if (jobIds.isEmpty()) {
            return summaries;
        }
        jdbc.sql("SELECT job_id, MAX(val_accuracy), AVG(samples_per_second) FROM training_metrics "
                + "WHERE job_id IN (:ids) GROUP BY job_id")
            .param("ids", List.copyOf(jobIds))
            .query(rs -> {
                summaries.put(rs.getObject(1, UUID.class),
                        new MetricsSummary(rs.getObject(2, Double.class), rs.getObject(3, Double.class)));
            });
        return summaries;
    }

    /** What {@link #metricsSummaries} finds for one job. */
    public record MetricsSummary(Double bestValAccuracy, Double meanSamplesPerSecond) {
    }

    public void insertDiagnostics(UUID jobId, int member, int epoch, String json) {
        jdbc.sql("INSERT INTO training_diagnostics (job_id, member, epoch, data) VALUES (?, ?, ?, ?)")
            .params(jobId, member, epoch, json)
            .update();
    }

    public List<String> diagnostics(UUID jobId) {
        return jdbc.sql("SELECT data FROM training_diagnostics WHERE job_id = ? ORDER BY member, epoch")
            .param(jobId)
            .query(String.class)
            .list();
    }

    // binary state

    /**
     * Replaces the member's blob of {@code kind} ({@code checkpoint} or {@code model}).
     */
    public void writeBlob(UUID jobId, int member, String kind, byte[] bytes) {
        jdbc.sql("DELETE FROM training_blobs WHERE job_id = ? AND member = ? AND kind = ?")
            .params(jobId, member, kind)
            .update();
        int seq = 0;
        for (int from = 0; from < bytes.length || seq == 0; from += CHUNK_BYTES) {
            byte[] chunk = Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + CHUNK_BYTES));
            jdbc.sql("INSERT INTO training_blobs (job_id, member, kind, seq, data) VALUES (?, ?, ?, ?, ?)")
                .params(jobId, member, kind, seq++, chunk)
                .update();
        }
    }

    public Optional<byte[]> readBlob(UUID jobId, int member, String kind) {
        List<byte[]> chunks = jdbc
            .sql("SELECT data FROM training_blobs WHERE job_id = ? AND member = ? AND kind = ? " + "ORDER BY seq")
            .params(jobId, member, kind)
            .query((rs, i) -> rs.getBytes(1))
            .list();
        if (chunks.isEmpty()) {
            return Optional.empty();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        chunks.forEach(out::writeBytes);
        return Optional.of(out.toByteArray());
    }

    // events

    public void appendEvent(UUID jobId, String type, String json, Instant at) {
        jdbc.sql("INSERT INTO training_events (job_id, type, data, created_at) VALUES (?, ?, ?, ?)")
            .params(jobId, type, json, time(at))
            .update();
    }

    public List<PolledEventStream.Event> eventsAfter(UUID jobId, long afterId, int limit) {
        return jdbc.sql("SELECT id, type, data FROM training_events WHERE job_id = ? AND id > ? ORDER BY id LIMIT ?")
            .params(jobId, afterId, limit)
            .query((rs, i) -> new PolledEventStream.Event(rs.getLong(1), rs.getString(2), rs.getString(3)))
            .list();
    }

    private static JobRow job(ResultSet rs, int row) throws SQLException {
        return new JobRow(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                JobStatus.valueOf(rs.getString(4)), rs.getString(5), rs.getObject(6, UUID.class),
                rs.getObject(7, UUID.class), rs.getInt(8), rs.getBoolean(9), rs.getObject(10, UUID.class),
                rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14), instant(rs, 15),
                instant(rs, 16), instant(rs, 17));
    }

    private static MemberRow member(ResultSet rs, int row) throws SQLException {
        return new MemberRow(rs.getObject(1, UUID.class), rs.getInt(2), rs.getLong(3),
                JobStatus.valueOf(rs.getString(4)), rs.getString(5), rs.getInt(6), rs.getInt(7), rs.getInt(8),
                rs.getInt(9), rs.getInt(10), rs.getObject(11, UUID.class), instant(rs, 12), instant(rs, 13));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

}
