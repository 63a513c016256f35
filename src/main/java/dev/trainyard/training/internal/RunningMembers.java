package dev.trainyard.training.internal;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The members training on this instance, and the ways they are asked to stop at their
 * next batch: a cancel request (made here, or seen by polling the database, since another
 * instance may have taken it) and shutdown, which also stops new members from starting
 * here.
 */
@Component
public class RunningMembers implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RunningMembers.class);

    /** How often running members look at the database for a cancel request. */
    static final long CANCEL_POLL_MILLIS = 200;

    private final JobStore store;

    private final Map<MemberRef, MemberRun> running = new ConcurrentHashMap<>();

    private final ScheduledExecutorService cancelWatch = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "training-cancel-watch");
        t.setDaemon(true);
        return t;
    });

    private volatile boolean shuttingDown;

    RunningMembers(JobStore store) {
        this.store = store;
        cancelWatch.scheduleWithFixedDelay(this::pollCancelRequests, CANCEL_POLL_MILLIS, CANCEL_POLL_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /** False once shutdown has begun: members are then left to other instances. */
    boolean accepting() {
        return !shuttingDown;
    }

    void add(MemberRun run) {
        running.put(run.ref, run);
    }

    void remove(MemberRun run) {
        running.remove(run.ref);
    }

    /** Running members stop at their next batch, checkpoint and go back to the queue. */
    void beginShutdown() {
        shuttingDown = true;
        running.values().forEach(run -> run.stop(MemberRun.Stop.SHUTDOWN));
    }

    /** Accepts members again after {@link #beginShutdown()} (a restarted context). */
    void resumeWork() {
        shuttingDown = false;
    }

    /**
     * Waits until no member trains here; false if some still do after {@code timeout}.
     */
    boolean awaitIdle(Duration timeout) {
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
    public void cancelLocally(UUID jobId) {
        running.values()
            .stream()
            .filter(run -> run.ref.jobId().equals(jobId))
            .forEach(run -> run.stop(MemberRun.Stop.CANCELLED));
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

}
