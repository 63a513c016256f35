package dev.trainyard.prediction.internal;

import dev.trainyard.engine.tensor.Tensor;
import java.util.concurrent.locks.LockSupport;

/**
 * A request waiting in one model's {@link BatchQueue}: its raw rows, the thread that
 * waits for it, then its probabilities or the failure of the batch that ran it.
 */
final class PendingRequest {

    final BatchQueue queue;

    final float[] raw;

    final int rows;

    final Thread waiter = Thread.currentThread();

    Tensor result;

    RuntimeException failure;

    /** Taken from the queue into a batch: only its completion is left to wait for. */
    volatile boolean taken;

    /**
     * Written last by the thread that ran the batch; publishes result and failure.
     */
    volatile boolean done;

    PendingRequest(BatchQueue queue, float[] raw, int rows) {
        this.queue = queue;
        this.raw = raw;
        this.rows = rows;
    }

    /** Marks it done, after its result or failure was set, and wakes its thread. */
    void finish() {
        done = true;
        LockSupport.unpark(waiter);
    }

    /** Its probabilities (rows, K) once done; the batch's failure is thrown instead. */
    Tensor probabilities() {
        if (failure != null) {
            throw failure;
        }
        return result;
    }

}
