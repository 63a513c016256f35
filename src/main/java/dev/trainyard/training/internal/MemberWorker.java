package dev.trainyard.training.internal;

import dev.trainyard.engine.train.TrainingResult;
import dev.trainyard.system.DatabaseUnavailable;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Trains one member of a job, the body of db-scheduler's {@code train-member} task:
 * claims it ({@link MemberClaims}), rebuilds its trainer ({@link MemberSetup}), trains
 * while {@link EpochRecorder} makes every epoch durable, and ends it by how training
 * stopped: finished (its model stored), cancelled, given back on shutdown with a
 * checkpoint, or abandoned to the instance that took it over. A member that loses the
 * database is not failed: its task fails, and db-scheduler runs it again.
 */
@Component
class MemberWorker {

    private static final Logger log = LoggerFactory.getLogger(MemberWorker.class);

    /** What db-scheduler does with the task instance: remove it, or run it again soon. */
    enum Outcome {

        DONE, RELEASED

    }

    private final MemberClaims claims;

    private final RunningMembers running;

    private final MemberSetup setup;

    private final EpochRecorder recorder;

    private final JobCompletion completion;

    MemberWorker(MemberClaims claims, RunningMembers running, MemberSetup setup, EpochRecorder recorder,
            JobCompletion completion) {
        this.claims = claims;
        this.running = running;
        this.setup = setup;
        this.recorder = recorder;
        this.completion = completion;
    }

    Outcome train(MemberRef ref) {
        if (!running.accepting()) {
            return Outcome.RELEASED;
        }
        Optional<MemberRun> claimed = claims.claim(ref);
        if (claimed.isEmpty()) {
            return Outcome.DONE;
        }
        MemberRun run = claimed.get();
        running.add(run);
        try {
            return trainClaimed(run);
        }
        catch (RuntimeException e) {
            if (DatabaseUnavailable.isCauseOf(e)) {
                // nothing is wrong with the member: db-scheduler runs it again later (or
                // revives it as dead), and it resumes from its last checkpoint
                log.warn("{} (attempt {}) stops: the database is unavailable; it resumes from its last checkpoint",
                        run.ref, run.attempt);
                throw e;
            }
            completion.fail(run, e);
            return Outcome.DONE;
        }
        finally {
            running.remove(run);
        }
    }

    private Outcome trainClaimed(MemberRun run) {
        MemberSetup.PreparedMember member = setup.prepare(run);
        member.trainer().addListener(recorder.listener(run, member.trainer(), member.job().members()));
        TrainingResult result = member.trainer().fit(run::stopRequested);
        if (result.status() != TrainingResult.Status.CANCELLED) {
            completion.succeed(run, setup.trainedModel(run.ref, member, result));
            return Outcome.DONE;
        }
        return switch (run.stopReason()) {
            case SHUTDOWN -> {
                claims.release(run, member.trainer().checkpoint());
                log.info("Released {} at epoch {} batch {} for another instance", run.ref,
                        run.lastBatch == null ? 0 : run.lastBatch.epoch(),
                        run.lastBatch == null ? 0 : run.lastBatch.batch());
                yield Outcome.RELEASED;
            }
            case CANCELLED -> {
                completion.cancel(run);
                yield Outcome.DONE;
            }
            case LOST -> {
                log.warn("{} (attempt {}) was taken over by another instance; this attempt stops", run.ref,
                        run.attempt);
                yield Outcome.DONE;
            }
        };
    }

}
