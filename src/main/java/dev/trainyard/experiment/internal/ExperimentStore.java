package dev.trainyard.experiment.internal;

import dev.trainyard.experiment.ExperimentSummary;
import dev.trainyard.experiment.TrialMetrics;
import dev.trainyard.experiment.TrialStatus;
import dev.trainyard.system.PolledEventStream;
import dev.trainyard.training.JobStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The experiment module's tables through plain SQL (the same on H2 and PostgreSQL).
 * Callers own the transactions; every change of an experiment, its trials or runs holds
 * the experiment's row lock ({@link #lock}).
 */
@Repository
public class ExperimentStore {

    private static final String COLUMNS = "id, tenant_id, name, status, request, strategy, metric, repeats, "
            + "max_concurrent, rung, created_at, started_at, finished_at";

    private static final String TRIAL_COLUMNS = "experiment_id, trial, parameters, spec, status, rung, error, "
            + "best_val_accuracy, best_val_loss, test_accuracy, best_val_accuracy_std, best_val_loss_std, "
            + "test_accuracy_std";

    private static final String RUN_COLUMNS = "experiment_id, trial, rung, rep, epochs, job_id, status, "
            + "best_val_accuracy, best_val_loss, test_accuracy, error";

    private final JdbcClient jdbc;

    ExperimentStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(ExperimentRow e, List<TrialRow> trials, List<RunRow> runs) {
        jdbc.sql("INSERT INTO experiments (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .params(e.id(), e.tenantId(), e.name(), e.status().name(), e.request(), e.strategy(), e.metric(),
                    e.repeats(), e.maxConcurrent(), e.rung(), time(e.createdAt()), time(e.startedAt()),
                    time(e.finishedAt()))
            .update();
        for (TrialRow t : trials) {
            jdbc.sql("INSERT INTO experiment_trials (" + TRIAL_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(t.experimentId(), t.trial(), t.parameters(), t.spec(), t.status().name(), t.rung(), t.error(),
                        t.metrics().bestValAccuracy(), t.metrics().bestValLoss(), t.metrics().testAccuracy(),
                        t.metrics().bestValAccuracyStd(), t.metrics().bestValLossStd(), t.metrics().testAccuracyStd())
                .update();
        }
        runs.forEach(this::insertRun);
    }

    public void insertRun(RunRow r) {
        jdbc.sql("INSERT INTO experiment_runs (" + RUN_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .params(r.experimentId(), r.trial(), r.rung(), r.repeat(), r.epochs(), r.jobId(), r.status().name(),
                    r.bestValAccuracy(), r.bestValLoss(), r.testAccuracy(), truncate(r.error()))
            .update();
    }

    public Optional<ExperimentRow> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM experiments WHERE id = ?")
            .param(id)
            .query(ExperimentStore::experiment)
            .optional();
    }

    /** The experiment, locked until the transaction ends. */
    public Optional<ExperimentRow> lock(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM experiments WHERE id = ? FOR UPDATE")
            .param(id)
            .query(ExperimentStore::experiment)
            .optional();
    }

    public List<ExperimentSummary> page(UUID tenantId, int page, int size) {
        return jdbc
            .sql("SELECT e.id, e.name, e.status, e.strategy, e.metric, "
                    + "(SELECT COUNT(*) FROM experiment_trials t WHERE t.experiment_id = e.id), "
                    + "(SELECT COUNT(*) FROM experiment_trials t WHERE t.experiment_id = e.id "
                    + "AND t.status NOT IN ('QUEUED', 'RUNNING')), e.created_at, e.finished_at "
                    + "FROM experiments e WHERE e.tenant_id = ? ORDER BY e.created_at DESC, e.id DESC LIMIT ? OFFSET ?")
            .params(tenantId, size, (long) page * size)
            .query((rs, i) -> new ExperimentSummary(rs.getObject(1, UUID.class), rs.getString(2),
                    JobStatus.valueOf(rs.getString(3)), rs.getString(4), rs.getString(5), rs.getInt(6), rs.getInt(7),
                    instant(rs, 8), instant(rs, 9)))
            .list();
    }

    public long count(UUID tenantId) {
        return jdbc.sql("SELECT COUNT(*) FROM experiments WHERE tenant_id = ?")
            .param(tenantId)
            .query(Long.class)
            .single();
    }

    public List<UUID> unfinished() {
        return jdbc.sql("SELECT id FROM experiments WHERE status IN ('QUEUED', 'RUNNING') ORDER BY created_at")
            .query(UUID.class)
            .list();
    }

    /** The experiment a job was submitted for, if any. */
    public Optional<UUID> experimentOfJob(UUID jobId) {
        return jdbc.sql("SELECT experiment_id FROM experiment_runs WHERE job_id = ?")
            .param(jobId)
            .query(UUID.class)
            .optional();
    }

    public void update(ExperimentRow e) {
        jdbc.sql("UPDATE experiments SET status = ?, rung = ?, started_at = ?, finished_at = ? WHERE id = ?")
            .params(e.status().name(), e.rung(), time(e.startedAt()), time(e.finishedAt()), e.id())
            .update();
    }

    public List<TrialRow> trials(UUID experimentId) {
        return jdbc.sql("SELECT " + TRIAL_COLUMNS + " FROM experiment_trials WHERE experiment_id = ? ORDER BY trial")
            .param(experimentId)
            .query(ExperimentStore::trial)
            .list();
    }

    public void update(TrialRow t) {
        TrialMetrics m = t.metrics();
        jdbc.sql("UPDATE experiment_trials SET status = ?, rung = ?, error = ?, best_val_accuracy = ?, "
                + "best_val_loss = ?, test_accuracy = ?, best_val_accuracy_std = ?, best_val_loss_std = ?, "
                + "test_accuracy_std = ? WHERE experiment_id = ? AND trial = ?")
            .params(t.status().name(), t.rung(), truncate(t.error()), m.bestValAccuracy(), m.bestValLoss(),
                    m.testAccuracy(), m.bestValAccuracyStd(), m.bestValLossStd(), m.testAccuracyStd(), t.experimentId(),
                    t.trial())
            .update();
    }

    /** Every run of the experiment, by trial, rung and repeat. */
    public List<RunRow> runs(UUID experimentId) {
        return jdbc
            .sql("SELECT " + RUN_COLUMNS + " FROM experiment_runs WHERE experiment_id = ? ORDER BY trial, rung, rep")
            .param(experimentId)
            .query(ExperimentStore::run)
            .list();
    }

    public void update(RunRow r) {
        jdbc.sql("UPDATE experiment_runs SET job_id = ?, status = ?, best_val_accuracy = ?, best_val_loss = ?, "
                + "test_accuracy = ?, error = ? WHERE experiment_id = ? AND trial = ? AND rung = ? AND rep = ?")
            .params(r.jobId(), r.status().name(), r.bestValAccuracy(), r.bestValLoss(), r.testAccuracy(),
                    truncate(r.error()), r.experimentId(), r.trial(), r.rung(), r.repeat())
            .update();
    }

    // events

    public void appendEvent(UUID experimentId, String type, String json, Instant at) {
        jdbc.sql("INSERT INTO experiment_events (experiment_id, type, data, created_at) VALUES (?, ?, ?, ?)")
            .params(experimentId, type, json, time(at))
            .update();
    }

    public List<PolledEventStream.Event> eventsAfter(UUID experimentId, long afterId, int limit) {
        return jdbc
            .sql("SELECT id, type, data FROM experiment_events WHERE experiment_id = ? AND id > ? ORDER BY id LIMIT ?")
            .params(experimentId, afterId, limit)
            .query((rs, i) -> new PolledEventStream.Event(rs.getLong(1), rs.getString(2), rs.getString(3)))
            .list();
    }

    private static ExperimentRow experiment(ResultSet rs, int row) throws SQLException {
        return new ExperimentRow(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                JobStatus.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8),
                rs.getInt(9), rs.getInt(10), instant(rs, 11), instant(rs, 12), instant(rs, 13));
    }

    private static TrialRow trial(ResultSet rs, int row) throws SQLException {
        return new TrialRow(rs.getObject(1, UUID.class), rs.getInt(2), rs.getString(3), rs.getString(4),
                TrialStatus.valueOf(rs.getString(5)), rs.getInt(6), rs.getString(7),
                new TrialMetrics(rs.getObject(8, Double.class), rs.getObject(9, Double.class),
                        rs.getObject(10, Double.class), rs.getObject(11, Double.class), rs.getObject(12, Double.class),
                        rs.getObject(13, Double.class)));
    }

    private static RunRow run(ResultSet rs, int row) throws SQLException {
        return new RunRow(rs.getObject(1, UUID.class), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5),
                rs.getObject(6, UUID.class), JobStatus.valueOf(rs.getString(7)), rs.getObject(8, Double.class),
                rs.getObject(9, Double.class), rs.getObject(10, Double.class), rs.getString(11));
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 2000 ? text : text.substring(0, 2000);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

}
