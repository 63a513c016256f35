package dev.trainyard.training.internal;

import dev.trainyard.dataset.DatasetService;
import dev.trainyard.dataset.DatasetView;
import dev.trainyard.engine.data.Dataset;
import dev.trainyard.engine.data.PreprocessingStatistics;
import dev.trainyard.engine.data.StratifiedSplit;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.train.BatchProgress;
import dev.trainyard.engine.train.EpochDiagnostics;
import dev.trainyard.engine.train.EpochMetrics;
import dev.trainyard.engine.train.Trainer;
import dev.trainyard.engine.train.TrainingDivergedException;
import dev.trainyard.engine.train.TrainingListener;
import dev.trainyard.engine.train.TrainingResult;
import dev.trainyard.system.ApiException;
import dev.trainyard.training.EpochRow;
import dev.trainyard.training.JobSpec;
import dev.trainyard.training.JobStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.GitProperties;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Trains one member of a job, the body of db-scheduler's {@code train-member} task:
 * claims the member under the job's row lock, rebuilds its trainer from the stored spec
 * (restoring the last checkpoint of an earlier attempt), trains, and after every epoch
 * writes metrics, diagnostics, checkpoint and event in one transaction. Every write
 * checks that this attempt still owns the member, so an instance that was declared dead
 * and comes back can never write over the instance that took its member over.
 */
@Component
public class MemberWorker implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(MemberWorker.class);

    /** How often running members look at the database for a cancel request. */
    static final long CANCEL_POLL_MILLIS = 200;

    /** How often the batch position of a running member is written for GET /jobs/{id}. */
    static final long PROGRESS_WRITE_MILLIS = 1000;

    enum Outcome {

        DONE, RELEASED

    }

    private final JobStore store;

    private final DatasetService datasets;

    private final TransactionTemplate tx;

    private final SpecJson json;

    private final EventLog events;

    private final JobCompletion completion;

    private final String gitCommit;

    private final Map<MemberRef, MemberRun> running = new ConcurrentHashMap<>();

    private final ScheduledExecutorService cancelWatch = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "training-cancel-watch");
        t.setDaemon(true);
        return t;
    });

    private volatile boolean shuttingDown;

    private volatile String ownerName = "not-a-worker";

    MemberWorker(JobStore store, DatasetService datasets, TransactionTemplate tx, SpecJson json, EventLog events,
            JobCompletion completion, ObjectProvider<GitProperties> git) {
        this.store = store;
        this.datasets = datasets;
        this.tx = tx;
        this.json = json;
        this.events = events;
        this.completion = completion;
        GitProperties gitProperties = git.getIfAvailable();
        this.gitCommit = gitProperties != null ? gitProperties.getCommitId() : null;
        cancelWatch.scheduleWithFixedDelay(this::pollCancelRequests, CANCEL_POLL_MILLIS, CANCEL_POLL_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    void setOwnerName(String name) {
        this.ownerName = name;
    }

    String ownerName() {
        return ownerName;
    }

    /** Running members stop at their next batch, checkpoint and go back to the queue. */
    void beginShutdown() {
        shuttingDown = true;
        running.values().forEach(run -> run.stop(MemberRun.Stop.SHUTDOWN));
    }

    /** Claims members again after {@link #beginShutdown()} (a restarted context). */
    void resumeWork() {
        shuttingDown = false;
    }

    /**
     * Waits until no member trains here; false if some still do after {@code timeout}.
     */
    boolean awaitIdle(java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!running.isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return running.isEmpty();
            }
        }
        return true;
    }

    /** A cancel request for a job this instance trains takes effect at the next batch. */
    public void cancelLocally(java.util.UUID jobId) {
        running.values()
            .stream()
            .filter(run -> run.ref.jobId().equals(jobId))
            .forEach(run -> run.stop(MemberRun.Stop.CANCELLED));
    }

    Outcome train(MemberRef ref) {
        if (shuttingDown) {
            return Outcome.RELEASED;
        }
        Optional<MemberRun> claimed = tx.execute(status -> claim(ref));
        if (claimed == null || claimed.isEmpty()) {
            return Outcome.DONE;
        }
        MemberRun run = claimed.get();
        running.put(ref, run);
        try {
            return trainClaimed(run);
        }
        catch (RuntimeException e) {
            completion.fail(run, e);
            return Outcome.DONE;
        }
        finally {
            running.remove(ref);
        }
    }

    private Optional<MemberRun> claim(MemberRef ref) {
        JobRow job = store.lockJob(ref.jobId()).orElse(null);
        MemberRow member = job == null ? null : store.member(ref.jobId(), ref.member()).orElse(null);
        if (member == null || member.status().finished()) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        if (job.status().finished() || job.cancelRequested()) {
            completion.cancelLocked(job, now);
            return Optional.empty();
        }
        if (member.owner() != null) {
            log.warn("Taking over {} from {}, which stopped heart-beating", ref, member.owner());
        }
        int attempt = store.claim(ref.jobId(), ref.member(), ownerName, now);
        if (job.status() == JobStatus.QUEUED) {
            store.updateStatus(job.id(), JobStatus.RUNNING, now, null);
            events.status(job.id(), JobStatus.RUNNING, null);
        }
        events.status(job.id(), JobStatus.RUNNING, ref.member());
        return Optional.of(new MemberRun(ref, attempt, member.epochs()));
    }

    private Outcome trainClaimed(MemberRun run) {
        MemberRef ref = run.ref;
        JobRow job = store.find(ref.jobId()).orElseThrow();
        JobSpec spec = json.read(job.spec());
        JobPlan plan = JobPlan.of(spec);
        long seed = plan.seed(ref.member());

        DatasetView description = datasets.get(job.tenantId(), job.datasetId());
        Dataset all = datasets.load(job.tenantId(), job.datasetId());
        Dataset train = all;
        Dataset validation = null;
        if (spec.validationFraction() > 0) {
            StratifiedSplit split = StratifiedSplit.of(all, spec.validationFraction(), spec.seed());
            train = split.trainingOf(all);
            validation = split.validationOf(all);
        }
        PreprocessingStatistics statistics = PreprocessingStatistics.fit(plan.preprocessing(),
                spec.preprocessing().perChannel(), train);
        train = statistics.apply(train);
        validation = validation == null ? null : statistics.apply(validation);

        Sequential model = plan.model(train.featureShape(), seed);
        Trainer trainer = new Trainer(model, plan.optimizer(model), plan.loss(), plan.trainingConfig(seed), train,
                validation);
        Optional<byte[]> checkpoint = store.readBlob(ref.jobId(), ref.member(), "checkpoint");
        checkpoint.ifPresent(trainer::restore);
        if (checkpoint.isPresent()) {
            log.info("Resuming {} (attempt {}) from its checkpoint", ref, run.attempt);
        }
        trainer.addListener(new Listener(run, trainer, job.members()));

        TrainingResult result = trainer.fit(run::stopRequested);
        if (result.status() == TrainingResult.Status.CANCELLED) {
            return switch (run.stopReason()) {
                case SHUTDOWN -> release(run, trainer);
                case CANCELLED -> {
                    completion.cancel(run);
                    yield Outcome.DONE;
                }
                case LOST -> {
                    log.warn("{} (attempt {}) was taken over by another instance; this attempt stops", ref,
                            run.attempt);
                    yield Outcome.DONE;
                }
            };
        }
        Dataset test = null;
        if (job.testDatasetId() != null) {
            test = statistics.apply(datasets.load(job.tenantId(), job.testDatasetId()));
        }
        TrainedModel trained = new TrainedModel(ref.jobId(), ref.member(), seed, model, plan.defaultInit(), statistics,
                description.classes(), TrainedModel.metrics(result.history(), model, plan.loss(), test),
                TrainedModel.provenance(job.datasetId(), description.sha256(), job.spec(), seed, gitCommit));
        completion.succeed(run, trained);
        return Outcome.DONE;
    }

    private Outcome release(MemberRun run, Trainer trainer) {
        byte[] checkpoint = trainer.checkpoint();
        tx.executeWithoutResult(status -> {
            if (owns(run)) {
                store.writeBlob(run.ref.jobId(), run.ref.member(), "checkpoint", checkpoint);
                store.release(run.ref.jobId(), run.ref.member());
            }
        });
        log.info("Released {} at epoch {} batch {} for another instance", run.ref,
                run.lastBatch == null ? 0 : run.lastBatch.epoch(), run.lastBatch == null ? 0 : run.lastBatch.batch());
        return Outcome.RELEASED;
    }

    /** Locks the job and answers whether this attempt still holds the member. */
    private boolean owns(MemberRun run) {
        store.lockJob(run.ref.jobId());
        return store.member(run.ref.jobId(), run.ref.member())
            .filter(m -> m.status() == JobStatus.RUNNING && ownerName.equals(m.owner()) && m.attempt() == run.attempt)
            .isPresent();
    }

    private void pollCancelRequests() {
        try {
            for (MemberRun run : running.values()) {
                if (store.cancelRequested(run.ref.jobId())) {
                    run.stop(MemberRun.Stop.CANCELLED);
                }
            }
        }
        catch (RuntimeException e) {
            log.debug("Cancel poll failed; trying again", e);
        }
    }

    @Override
    public void destroy() {
        cancelWatch.shutdownNow();
    }

    /** Writes each epoch durably and keeps the batch position fresh. */
    private final class Listener implements TrainingListener {

        private final MemberRun run;

        private final Trainer trainer;

        private final int members;

        Listener(MemberRun run, Trainer trainer, int members) {
            this.run = run;
            this.trainer = trainer;
            this.members = members;
        }

        @Override
        public void batchFinished(BatchProgress progress) {
            run.lastBatch = progress;
            long now = System.currentTimeMillis();
            if (now - run.lastProgressWrite >= PROGRESS_WRITE_MILLIS) {
                run.lastProgressWrite = now;
                if (!store.progress(run.ref.jobId(), run.ref.member(), ownerName, run.attempt, progress.epoch(),
                        progress.batch(), progress.batches())) {
                    run.stop(MemberRun.Stop.LOST);
                }
            }
        }

        @Override
        public void epochFinished(EpochMetrics m, EpochDiagnostics diagnostics) {
            // a cancelled member saves nothing more, unless this was its last epoch
            if ((run.stopReason() == MemberRun.Stop.CANCELLED && m.epoch() < run.epochs)
                    || run.stopReason() == MemberRun.Stop.LOST) {
                return;
            }
            EpochRow row = new EpochRow(run.ref.member(), m.epoch(), m.trainLoss(), m.trainAccuracy(),
                    m.validationLoss(), m.validationAccuracy(), m.learningRate(), m.seconds(), m.samplesPerSecond());
            byte[] checkpoint = trainer.checkpoint();
            BatchProgress last = run.lastBatch;
            int batches = last == null ? 0 : last.batches();
            Boolean written = tx.execute(status -> {
                if (!owns(run)) {
                    return false;
                }
                store.progress(run.ref.jobId(), run.ref.member(), ownerName, run.attempt, m.epoch(), batches, batches);
                store.insertMetrics(run.ref.jobId(), row);
                if (diagnostics != null) {
                    store.insertDiagnostics(run.ref.jobId(), run.ref.member(), m.epoch(),
                            json.write(diagnosticsJson(diagnostics)));
                }
                store.writeBlob(run.ref.jobId(), run.ref.member(), "checkpoint", checkpoint);
                events.epoch(run.ref.jobId(), row);
                return true;
            });
            if (!Boolean.TRUE.equals(written)) {
                run.stop(MemberRun.Stop.LOST);
                return;
            }
            log.info(run.progressLine(members, m, run.epochs - m.epoch()));
        }

        private Map<String, Object> diagnosticsJson(EpochDiagnostics d) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("member", run.ref.member());
            data.put("epoch", d.epoch());
            data.put("warnings", Diagnoser.warnings(d));
            data.put("activations", d.activations());
            data.put("parameters", d.parameters());
            return data;
        }

    }

    /** A failure a client can understand, as {@code error.type}. */
    static String errorType(RuntimeException e) {
        if (e instanceof TrainingDivergedException) {
            return "training_diverged";
        }
        if (e instanceof ApiException api && api.status().value() == 404) {
            return "dataset_unavailable";
        }
        if (e instanceof IllegalArgumentException) {
            return "invalid_data";
        }
        return "training_failed";
    }

}
