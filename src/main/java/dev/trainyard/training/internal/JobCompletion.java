package dev.trainyard.training.internal;

import dev.trainyard.engine.train.TrainingDivergedException;
import dev.trainyard.system.ApiException;
import dev.trainyard.training.JobStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ends of a member and of its job, each in one transaction under the job's row lock:
 * a member that succeeds keeps its model, and the last one to succeed publishes the job's
 * models (and their ensemble) as it finishes the job; a failure fails the job and asks
 * the other members to stop; a cancel finishes the job as CANCELLED. A job that does not
 * succeed publishes no model.
 */
@Component
class JobCompletion {

    private static final Logger log = LoggerFactory.getLogger(JobCompletion.class);

    private final JobStore store;

    private final TransactionTemplate tx;

    private final EventLog events;

    private final ModelPublisher models;

    private final SpecJson json;

    /**
     * Looked up when first needed: the queue's task runs the workers that complete here.
     */
    private final ObjectProvider<JobQueue> queue;

    JobCompletion(JobStore store, TransactionTemplate tx, EventLog events, ModelPublisher models, SpecJson json,
            ObjectProvider<JobQueue> queue) {
        this.store = store;
        this.tx = tx;
        this.events = events;
        this.models = models;
        this.json = json;
        this.queue = queue;
    }

    /**
     * Ends a member whose training finished. A cancel accepted before this takes the
     * job's lock wins: the job ends CANCELLED and the model is dropped. Otherwise the
     * model is kept with the member, and the last member to succeed publishes every
     * member's model (and their ensemble) in the transaction that makes the job
     * SUCCEEDED; a cancel arriving meanwhile waits for that lock and finds the job
     * finished. In a snapshot ensemble ({@code warmStart}) the next member is queued in
     * the same transaction, so it starts from this member's model exactly when that model
     * is stored.
     */
    void succeed(MemberRun run, TrainedModel trained) {
        byte[] bytes = trained.file().toBytes();
        MemberModel description = trained.description();
        boolean cancelled = Boolean.TRUE.equals(tx.execute(status -> {
            JobRow job = store.lockJob(run.ref.jobId()).orElseThrow();
            if (!stillOwned(run)) {
                return false;
            }
            Instant now = Instant.now();
            if (job.cancelRequested()) {
                cancelLocked(job, now);
                return true;
            }
            models.keep(job, run.ref.member(), bytes, description);
            store.finishMember(job.id(), run.ref.member(), JobStatus.SUCCEEDED, null, now);
            events.status(job.id(), JobStatus.SUCCEEDED, run.ref.member());
            List<MemberRow> members = store.members(job.id());
            int next = run.ref.member() + 1;
            if (next < members.size() && json.read(job.spec()).withDefaults().ensemble().warmStart()) {
                queue.getObject().enqueue(job.id(), next, next + 1);
            }
            if (members.stream().allMatch(m -> m.status() == JobStatus.SUCCEEDED)) {
                List<UUID> modelIds = models.publish(job, members);
                if (modelIds.size() > 1) {
                    store.setEnsemble(job.id(), models.createEnsemble(job, modelIds));
                }
                finish(job, JobStatus.SUCCEEDED, now);
            }
            return false;
        }));
        log.info(cancelled ? "{} finished training after its job was cancelled; its model is dropped" : "{} succeeded",
                run.ref);
    }

    void fail(MemberRun run, RuntimeException e) {
        String type = errorType(e);
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        if (type.equals("training_failed")) {
            log.error("{} failed", run.ref, e);
        }
        else {
            log.info("{} failed: {}", run.ref, message);
        }
        tx.executeWithoutResult(status -> {
            JobRow job = store.lockJob(run.ref.jobId()).orElseThrow();
            if (!stillOwned(run)) {
                return;
            }
            Instant now = Instant.now();
            store.finishMember(job.id(), run.ref.member(), JobStatus.FAILED, null, now);
            if (!job.status().finished()) {
                store.fail(job.id(), type, "member " + run.ref.member() + ": " + message, now);
                store.cancelUnfinishedMembers(job.id(), now);
                events.status(job.id(), JobStatus.FAILED, null);
                events.completed(job.id());
            }
        });
    }

    void cancel(MemberRun run) {
        tx.executeWithoutResult(status -> {
            JobRow job = store.lockJob(run.ref.jobId()).orElseThrow();
            if (stillOwned(run)) {
                cancelLocked(job, Instant.now());
            }
        });
        log.info("{} cancelled", run.ref);
    }

    /** Cancels the job and its unfinished members; the caller holds the job's lock. */
    void cancelLocked(JobRow job, Instant now) {
        store.cancelUnfinishedMembers(job.id(), now);
        if (!job.status().finished()) {
            finish(job, JobStatus.CANCELLED, now);
        }
    }

    private void finish(JobRow job, JobStatus status, Instant now) {
        store.updateStatus(job.id(), status, null, now);
        events.status(job.id(), status, null);
        events.completed(job.id());
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

    private boolean stillOwned(MemberRun run) {
        return store.member(run.ref.jobId(), run.ref.member())
            .filter(m -> m.status() == JobStatus.RUNNING && m.attempt() == run.attempt)
            .isPresent();
    }

}
