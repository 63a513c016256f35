package dev.trainyard.prediction.internal;

import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.tensor.Tensor;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One model's requests waiting to be served in batches, and its replicas. A thread that
 * holds a replica takes every waiting request from the head, up to {@code batchRows}
 * rows, runs them as one forward pass and hands each its rows of the result; which thread
 * does so is {@link BatchScheduler}'s part. Under load this turns many one-row products,
 * each reading all the weights, into one product over many rows.
 */
final class BatchQueue {

    /** Class probabilities (rows, K) of raw rows (rows x features), on a replica. */
    @FunctionalInterface
    interface Forward {

        Tensor probabilities(Sequential replica, float[] raw, int rows);

    }

    private final ReplicaPool replicas;

    private final int batchRows;

    private final int featureCount;

    private final Forward forward;

    private final ConcurrentLinkedQueue<PendingRequest> pending = new ConcurrentLinkedQueue<>();

    private final AtomicLong batches = new AtomicLong();

    private final AtomicLong batchedRequests = new AtomicLong();

    /** Batches run by every queue of this process, for {@link PredictionMeters}. */
    static final LongAdder ALL_BATCHES = new LongAdder();

    /** Requests those batches served. */
    static final LongAdder ALL_BATCHED_REQUESTS = new LongAdder();

    /** Rows of those requests. */
    static final LongAdder ALL_BATCHED_ROWS = new LongAdder();

    /**
     * Nanoseconds those batches took on the threads that ran them, from copying the rows
     * in to the last result handed out (a thread the scheduler preempts meanwhile still
     * counts).
     */
    static final LongAdder ALL_FORWARD_NANOS = new LongAdder();

    BatchQueue(ReplicaPool replicas, int batchRows, int featureCount, Forward forward) {
        this.replicas = replicas;
        this.batchRows = batchRows;
        this.featureCount = featureCount;
        this.forward = forward;
    }

    /** Queues raw rows (rows x features) of the calling thread, which waits for them. */
    PendingRequest enqueue(float[] raw, int rows) {
        PendingRequest request = new PendingRequest(this, raw, rows);
        pending.add(request);
        return request;
    }

    /** An idle replica, a new one while the pool may grow, else null. */
    Sequential tryAcquire() {
        return replicas.tryAcquire();
    }

    /** Whether a replica is idle now; takes no lock. */
    boolean hasIdleReplica() {
        return replicas.hasIdle();
    }

    /**
     * Gives a replica back and wakes the first waiting request, which takes it for the
     * next batch (if another thread took both first, that thread wakes the next one when
     * it is done, so a waiting request is never left without a thread that will serve
     * it).
     */
    void release(Sequential replica) {
        replicas.giveBack(replica);
        PendingRequest head = pending.peek();
        if (head != null) {
            LockSupport.unpark(head.waiter);
        }
    }

    /**
     * Takes waiting requests from the head of the queue, up to {@code batchRows} rows (at
     * least one request), runs them as one batch on the replica and completes each; false
     * when none was waiting.
     */
    boolean runWaiting(Sequential replica) {
        PendingRequest first = pending.poll();
        if (first == null) {
            return false;
        }
        first.taken = true;
        PendingRequest[] batch = { first, null, null, null, null, null, null, null };
        int count = 1;
        int rows = first.rows;
        // the bound is soft: another thread may take the request looked at first, and the
        // one taken instead may be larger
        for (PendingRequest next = pending.peek(); next != null
                && rows + next.rows <= batchRows; next = pending.peek()) {
            PendingRequest polled = pending.poll();
            if (polled == null) {
                break;
            }
            if (count == batch.length) {
                batch = Arrays.copyOf(batch, count * 2);
            }
            polled.taken = true;
            batch[count++] = polled;
            rows += polled.rows;
        }
        batches.incrementAndGet();
        batchedRequests.addAndGet(count);
        ALL_BATCHES.increment();
        ALL_BATCHED_REQUESTS.add(count);
        ALL_BATCHED_ROWS.add(rows);
        long started = System.nanoTime();
        try {
            float[] raw;
            if (count == 1) {
                raw = first.raw;
            }
            else {
                raw = new float[rows * featureCount];
                int at = 0;
                for (int i = 0; i < count; i++) {
                    System.arraycopy(batch[i].raw, 0, raw, at, batch[i].raw.length);
                    at += batch[i].raw.length;
                }
            }
            Tensor out = forward.probabilities(replica, raw, rows);
            int k = out.dim(1);
            float[] p = out.data();
            int row = 0;
            for (int i = 0; i < count; i++) {
                PendingRequest r = batch[i];
                r.result = count == 1 ? out
                        : Tensor.wrap(Arrays.copyOfRange(p, row * k, (row + r.rows) * k), r.rows, k);
                row += r.rows;
            }
        }
        catch (RuntimeException e) {
            for (int i = 0; i < count; i++) {
                batch[i].failure = e;
            }
        }
        finally {
            ALL_FORWARD_NANOS.add(System.nanoTime() - started);
            for (int i = 0; i < count; i++) {
                batch[i].finish();
            }
        }
        return true;
    }

    /** Requests waiting now. */
    int waiting() {
        return pending.size();
    }

    /** Batches run so far, and the requests they served. */
    long[] batchCounts() {
        return new long[] { batches.get(), batchedRequests.get() };
    }

}
