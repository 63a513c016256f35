package dev.trainyard.prediction.internal;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.data.PreprocessingStatistics;
import dev.trainyard.engine.ensemble.ClassProbabilities;
import dev.trainyard.engine.io.ModelFile;
import dev.trainyard.engine.kernel.Gemm;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import dev.trainyard.model.ModelView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * A model ready for inference: its preprocessing and a small pool of replicas of the
 * network. Layers keep per-batch buffers, so a replica serves one batch at a time; a
 * batch takes an idle replica or builds one (from the parsed file, no database), and
 * gives it back. At most {@code replicas} exist.
 *
 * <p>
 * Requests are served in batches: a request joins a queue, and whichever request thread
 * gets a replica takes every waiting request (up to {@code batchRows} rows) and runs them
 * as one forward pass, then hands each its rows of the result. Under load this turns many
 * one-row products, each reading all the weights, into one product over many rows; when
 * idle a request runs alone at once, with no added wait. Batches run with the
 * block-invariant GEMM ({@link Gemm#blockInvariant(Runnable)}), so an instance gets the
 * same bits whichever requests it is batched with. Batches run on the calling thread (no
 * fork/join hand-off); only a single request larger than {@code batchRows} runs alone
 * over the shared compute pool. A request for an ensemble joins the queues of all its
 * members at once ({@link #probabilities(List, float[], int)}).
 */
public final class LoadedModel {

    private static final ComputePool INLINE = ComputePool.create(1);

    private final UUID tenantId;

    private final ModelView view;

    private final int[] featureShape;

    private final int featureCount;

    private final PreprocessingStatistics preprocessing;

    private final ModelFile file;

    private final long fileBytes;

    private final int replicas;

    private final int batchRows;

    private final LinkedBlockingQueue<Sequential> idle = new LinkedBlockingQueue<>();

    private final AtomicInteger created = new AtomicInteger();

    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();

    private final AtomicLong batches = new AtomicLong();

    private final AtomicLong batchedRequests = new AtomicLong();

    /** A request waiting in the queue: its raw rows, then its probabilities. */
    private static final class Pending {

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

        Pending(float[] raw, int rows) {
            this.raw = raw;
            this.rows = rows;
        }

    }

    public LoadedModel(UUID tenantId, ModelView view, byte[] fileBytes, int replicas, int batchRows) {
        this.tenantId = tenantId;
        this.view = view;
        this.featureShape = view.featureShape().stream().mapToInt(Integer::intValue).toArray();
        this.featureCount = Shape.of(featureShape).size();
        this.preprocessing = view.preprocessing().toStatistics(featureShape);
        this.file = ModelFile.fromBytes(fileBytes);
        this.fileBytes = fileBytes.length;
        this.replicas = Math.max(1, replicas);
        this.batchRows = Math.max(1, batchRows);
        created.incrementAndGet();
        idle.add(replica());
    }

    public UUID tenantId() {
        return tenantId;
    }

    public UUID id() {
        return view.id();
    }

    public ModelView view() {
        return view;
    }

    public List<String> classes() {
        return view.classes();
    }

    public int[] featureShape() {
        return featureShape.clone();
    }

    public int featureCount() {
        return featureCount;
    }

    /**
     * Bytes this entry may hold at most: the parsed file and every replica (its weights,
     * and a transposed copy of the dense ones, at most as much again).
     */
    public long weightBytes() {
        return fileBytes * (1L + 2L * replicas);
    }

    /** Batches run so far by {@link #probabilities}, and the requests they served. */
    public long[] batchCounts() {
        return new long[] { batches.get(), batchedRequests.get() };
    }

    /**
     * Class probabilities (N, K) for raw instances (N x featureCount values, row-major):
     * the stored preprocessing, then a forward pass in test mode, batched with whatever
     * other requests are waiting (see the class comment).
     */
    public Tensor probabilities(float[] raw, int n) {
        return probabilities(List.of(this), raw, n).getFirst();
    }

    /**
     * Class probabilities of the same raw instances under several models (an ensemble's
     * members), in their order, each as {@link #probabilities(float[], int)} gives them.
     * The request waits in every model's queue at once, and its thread serves whichever
     * of those models has a replica free: requests for one ensemble then meet in each
     * member's batches, where walking the members one after another kept them in step and
     * left most batches with a single row.
     */
    public static List<Tensor> probabilities(List<LoadedModel> models, float[] raw, int n) {
        int count = models.size();
        Tensor[] results = new Tensor[count];
        Pending[] mine = new Pending[count];
        for (int i = 0; i < count; i++) {
            LoadedModel model = models.get(i);
            if (n > model.batchRows) {
                Tensor x = model.preprocessing.apply(Tensor.wrap(raw, Shape.of(model.featureShape).withBatch(n)));
                results[i] = model.alone(n, replica -> ClassProbabilities.predict(replica, x));
            }
            else {
                mine[i] = new Pending(raw, n);
                model.pending.add(mine[i]);
            }
        }
        serve(models, mine);
        for (int i = 0; i < count; i++) {
            if (mine[i] != null) {
                if (mine[i].failure != null) {
                    throw mine[i].failure;
                }
                results[i] = mine[i].result;
            }
        }
        return Arrays.asList(results);
    }

    /**
     * Runs batches until every one of this thread's requests is done: on each model whose
     * request is still waiting and that has a replica free, all waiting requests (see
     * {@link #runWaiting}); parks while none has. Whoever gives a replica back wakes the
     * head of that model's queue, so a waiting request always has a thread that will
     * serve it, possibly after that thread finishes a batch of another model.
     */
    private static void serve(List<LoadedModel> models, Pending[] mine) {
        boolean interrupted = false;
        while (true) {
            boolean waiting = false;
            boolean ran = false;
            for (int i = 0; i < mine.length; i++) {
                if (mine[i] == null || mine[i].done) {
                    continue;
                }
                waiting = true;
                if (mine[i].taken) {
                    continue;
                }
                LoadedModel model = models.get(i);
                Sequential replica = model.tryAcquire();
                if (replica != null) {
                    try {
                        ran |= model.runWaiting(replica);
                    }
                    finally {
                        model.release(replica);
                    }
                }
            }
            if (!waiting) {
                break;
            }
            // Checked again with no lock taken before parking: tryAcquire may park on a
            // replica queue's lock and so swallow the wake-up of a thread that completed
            // one of these requests or gave a replica back just then.
            if (!ran && !servable(models, mine)) {
                LockSupport.park(models.getFirst());
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
     * waits in the queue of a model that has a replica free.
     */
    private static boolean servable(List<LoadedModel> models, Pending[] mine) {
        boolean waiting = false;
        for (int i = 0; i < mine.length; i++) {
            if (mine[i] != null && !mine[i].done) {
                waiting = true;
                if (!mine[i].taken && !models.get(i).idle.isEmpty()) {
                    return true;
                }
            }
        }
        return !waiting;
    }

    /**
     * Monte Carlo dropout estimate over {@code samples} stochastic passes (one forward
     * pass, not batched with other requests: its dropout masks follow the seed).
     */
    public ClassProbabilities.Estimate monteCarlo(float[] raw, int n, int samples, long seed) {
        Tensor x = preprocessing.apply(Tensor.wrap(raw, Shape.of(featureShape).withBatch(n)));
        return alone(n * samples, model -> ClassProbabilities.monteCarlo(model, x, samples, seed));
    }

    /**
     * Runs one request by itself on a replica, with the block-invariant GEMM: on the
     * calling thread up to {@code batchRows} rows, over the shared compute pool beyond.
     */
    private <T> T alone(int rows, Function<Sequential, T> body) {
        Sequential model = acquire();
        try {
            List<T> result = new ArrayList<>(1);
            Runnable run = () -> Gemm.blockInvariant(() -> result.add(body.apply(model)));
            if (rows <= batchRows) {
                ComputePool.runWith(INLINE, run);
            }
            else {
                run.run();
            }
            return result.getFirst();
        }
        finally {
            release(model);
        }
    }

    /**
     * Takes waiting requests from the head of the queue, up to {@code batchRows} rows (at
     * least one request), runs them as one batch and completes each; false when none was
     * waiting.
     */
    private boolean runWaiting(Sequential model) {
        Pending first = pending.poll();
        if (first == null) {
            return false;
        }
        first.taken = true;
        Pending[] batch = { first, null, null, null, null, null, null, null };
        int count = 1;
        int rows = first.rows;
        // the bound is soft: another thread may take the request looked at first, and the
        // one taken instead may be larger
        for (Pending next = pending.peek(); next != null && rows + next.rows <= batchRows; next = pending.peek()) {
            Pending polled = pending.poll();
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
            Tensor x = preprocessing.apply(Tensor.wrap(raw, Shape.of(featureShape).withBatch(rows)));
            Tensor[] out = new Tensor[1];
            ComputePool.runWith(INLINE, () -> Gemm.blockInvariant(() -> out[0] = ClassProbabilities.predict(model, x)));
            int k = out[0].dim(1);
            float[] p = out[0].data();
            int row = 0;
            for (int i = 0; i < count; i++) {
                Pending r = batch[i];
                r.result = count == 1 ? out[0]
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
            for (int i = 0; i < count; i++) {
                batch[i].done = true;
                LockSupport.unpark(batch[i].waiter);
            }
        }
        return true;
    }

    /** An idle replica, a new one while fewer than {@code replicas} exist, else null. */
    private Sequential tryAcquire() {
        Sequential model = idle.poll();
        if (model != null) {
            return model;
        }
        if (created.incrementAndGet() <= replicas) {
            return replica();
        }
        created.decrementAndGet();
        return null;
    }

    private Sequential replica() {
        Sequential model = file.toModel();
        model.prepareInference();
        return model;
    }

    /** Requests waiting in the queue now (for tests). */
    int waiting() {
        return pending.size();
    }

    /** Takes a replica, waiting for one if all are busy; package-private for tests. */
    Sequential acquire() {
        Sequential model = tryAcquire();
        if (model != null) {
            return model;
        }
        try {
            return idle.take();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a model replica", e);
        }
    }

    /**
     * Gives a replica back and wakes the first waiting request, which takes it for the
     * next batch (if another thread took both first, that thread wakes the next one when
     * it is done, so a waiting request is never left without a thread that will serve
     * it).
     */
    void release(Sequential model) {
        idle.offer(model);
        Pending head = pending.peek();
        if (head != null) {
            LockSupport.unpark(head.waiter);
        }
    }

}
