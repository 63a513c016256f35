package dev.trainyard.training.internal;

import dev.trainyard.training.JobStatus;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * This instance's hold on members in the database, under the job's row lock: claiming a
 * member (a new attempt), answering whether an attempt still holds it, and letting it go
 * with a checkpoint. An instance that was declared dead and comes back finds that it no
 * longer holds its member and so never writes over the instance that took it over.
 */
@Component
class MemberClaims {

    private static final Logger log = LoggerFactory.getLogger(MemberClaims.class);

    private final JobStore store;

    private final TransactionTemplate tx;

    private final EventLog events;

    private final JobCompletion completion;

    private volatile String ownerName = "not-a-worker";

    MemberClaims(JobStore store, TransactionTemplate tx, EventLog events, JobCompletion completion) {
        this.store = store;
        this.tx = tx;
        this.events = events;
        this.completion = completion;
    }

    /** The name this instance claims members under (db-scheduler's scheduler name). */
    void setOwnerName(String name) {
        this.ownerName = name;
    }

    String ownerName() {
        return ownerName;
    }

    /**
     * Claims the member for a new attempt, marking it and its job RUNNING; empty if it is
     * finished or its job is (then a pending cancel is completed here).
     */
    Optional<MemberRun> claim(MemberRef ref) {
        Optional<MemberRun> claimed = tx.execute(status -> claimLocked(ref));
        return claimed == null ? Optional.empty() : claimed;
    }

    private Optional<MemberRun> claimLocked(MemberRef ref) {
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

    /**
     * Locks the job and answers whether this attempt still holds the member; call inside
     * a transaction.
     */
    boolean owns(MemberRun run) {
        store.lockJob(run.ref.jobId());
        return store.member(run.ref.jobId(), run.ref.member())
            .filter(m -> m.status() == JobStatus.RUNNING && ownerName.equals(m.owner()) && m.attempt() == run.attempt)
            .isPresent();
    }

    /** Writes the batch position if this attempt still holds the member; false if not. */
    boolean progress(MemberRun run, int epoch, int batch, int batches) {
        return store.progress(run.ref.jobId(), run.ref.member(), ownerName, run.attempt, epoch, batch, batches);
    }

    /** Stores the checkpoint and gives the member back to the queue, if still held. */
    void release(MemberRun run, byte[] checkpoint) {
        tx.executeWithoutResult(status -> {
            if (owns(run)) {
                store.writeBlob(run.ref.jobId(), run.ref.member(), "checkpoint", checkpoint);
                store.release(run.ref.jobId(), run.ref.member());
            }
        });
    }

}
