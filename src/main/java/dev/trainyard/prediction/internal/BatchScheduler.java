package dev.trainyard.prediction.internal;

import dev.trainyard.engine.nn.Sequential;
import java.util.concurrent.locks.LockSupport;

/**
 * Which thread runs which batch: a request thread serves its own waiting requests (one
 * per model it asked, several for an ensemble) by running batches of their queues itself,
 * on its own thread (no hand-off), until all of them are done. A request for an ensemble
 * thus waits in every member's queue at once and its thread serves whichever member has a
 * replica free: requests for one ensemble meet in each member's batches, where walking
 * the members one after another kept them in step and left most batches with a single
 * row.
 */
final class BatchScheduler {

    private BatchScheduler() {
    }

    /**
     * Runs batches until every one of this thread's requests (null entries ignored) is
     * done: on each queue whose request of this thread still waits and that has a replica
     * free, all waiting requests ({@link BatchQueue#runWaiting}); parks while none has.
     * Whoever gives a replica back wakes the head of that queue, so a waiting request
     * always has a thread that will serve it, possibly after that thread finishes a batch
     * of another model.
     */
    static void serve(PendingRequest[] mine) {
        boolean interrupted = false;
        while (true) {
            BatchQueue waitingOn = null;
            boolean ran = false;
            for (PendingRequest request : mine) {
                if (request == null || request.done) {
                    continue;
                }
                BatchQueue queue = request.queue;
                waitingOn = queue;
                if (request.taken) {
                    continue;
                }
                Sequential replica = queue.tryAcquire();
                if (replica != null) {
                    try {
                        ran |= queue.runWaiting(replica);
                    }
                    finally {
                        queue.release(replica);
                    }
                }
            }
            if (waitingOn == null) {
                break;
            }
            // Checked again with no lock taken before parking: tryAcquire may park on a
            // replica queue's lock and so swallow the wake-up of a thread that completed
            // one of these requests or gave a replica back just then.
            if (!ran && !servable(mine)) {
                LockSupport.park(waitingOn);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether this thread has something to do: all its requests are done, or one still
     * waits in a queue that has a replica free.
     */
    private static boolean servable(PendingRequest[] mine) {
        boolean waiting = false;
        for (PendingRequest request : mine) {
            if (request != null && !request.done) {
                waiting = true;
                if (!request.taken && request.queue.hasIdleReplica()) {
                    return true;
                }
            }
        }
        return !waiting;
    }

}
