package dev.trainyard.engine.backend;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * The process's compute threads, shared by everything that trains or predicts.
 *
 * <p>
 * Determinism contract: callers cut their work into a number of chunks that depends only
 * on the problem size, never on the thread count; each chunk writes its own outputs, and
 * any partial results are combined by the caller in chunk order. The pool only decides
 * which thread runs a chunk, so results are bit-identical with 1, 2 or 8 threads.
 *
 * <p>
 * A {@link #parallelFor} issued from inside a chunk runs inline on that thread, so
 * kernels can call kernels without deadlock or oversubscription. Size:
 * {@code trainyard.engine.threads} (system property), default the number of available
 * processors.
 */
public final class ComputePool implements AutoCloseable {

    private static final ScopedValue<ComputePool> CURRENT = ScopedValue.newInstance();

    private static volatile ComputePool shared;

    private final int threads;

    private final ForkJoinPool pool;

    private ComputePool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads, ComputeThread::new, null, false);
    }

    /** A new pool of its own; close it when done. Most code uses {@link #current()}. */
    public static ComputePool create(int threads) {
        return new ComputePool(threads);
    }

    /** The process-wide pool, created on first use. */
    public static ComputePool shared() {
        ComputePool p = shared;
        if (p == null) {
            synchronized (ComputePool.class) {
                p = shared;
                if (p == null) {
                    int n = Integer.getInteger("trainyard.engine.threads", Runtime.getRuntime().availableProcessors());
                    shared = p = new ComputePool(Math.max(1, n));
                }
            }
        }
        return p;
    }

    /** The pool bound by {@link #runWith} on this thread, else the shared pool. */
    public static ComputePool current() {
        return CURRENT.isBound() ? CURRENT.get() : shared();
    }

    /** Runs {@code body} with {@code pool} as {@link #current()} on this thread. */
    public static void runWith(ComputePool pool, Runnable body) {
        ScopedValue.where(CURRENT, pool).run(body);
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} for every chunk index in {@code [0, chunks)} and returns when all
     * are done. Chunk boundaries are the caller's; see the class comment for the
     * determinism contract.
     */
    public void parallelFor(int chunks, IntConsumer body) {
        if (chunks <= 0) {
            return;
        }
        if (chunks == 1 || pool == null || Thread.currentThread() instanceof ComputeThread) {
            for (int i = 0; i < chunks; i++) {
                body.accept(i);
            }
            return;
        }
        pool.submit(() -> IntStream.range(0, chunks).parallel().forEach(body)).join();
    }

    /** Number of chunks of at most {@code chunkSize} items that cover {@code items}. */
    public static int chunks(int items, int chunkSize) {
        return (items + chunkSize - 1) / chunkSize;
    }

    @Override
    public void close() {
        if (pool != null && this != shared) {
            pool.shutdown();
        }
    }

    private static final class ComputeThread extends ForkJoinWorkerThread {

        ComputeThread(ForkJoinPool pool) {
            super(pool);
            setDaemon(true);
        }

        /**
         * Named once the pool has registered it: before that its pool index is 0 for
         * every thread.
         */
        @Override
        protected void onStart() {
            super.onStart();
            setName("trainyard-compute-" + getPoolIndex());
        }

    }

}
