package dev.trainyard.prediction.internal;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.data.PreprocessingStatistics;
import dev.trainyard.engine.ensemble.ClassProbabilities;
import dev.trainyard.engine.kernel.Gemm;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import dev.trainyard.model.ModelView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * A model ready for inference: its preprocessing, a pool of replicas of its network
 * ({@link ReplicaPool}) and the queue of requests waiting for them ({@link BatchQueue}).
 *
 * <p>
 * Requests are served in batches: a request joins the queue, and whichever request thread
 * gets a replica runs every waiting request (up to {@code batchRows} rows) as one forward
 * pass ({@link BatchScheduler}); when idle a request runs alone at once, with no added
 * wait. Every forward pass runs with the block-invariant GEMM
 * ({@link Gemm#blockInvariant(Runnable)}), so an instance gets the same bits whichever
 * requests it is batched with. Batches run on the calling thread (no fork/join hand-off);
 * only a single request larger than {@code batchRows} runs alone over the shared compute
 * pool. A request for an ensemble joins the queues of all its members at once
 * ({@link #probabilities(List, float[], int)}).
 */
public final class LoadedModel {

    private static final ComputePool INLINE = ComputePool.create(1);

    private final UUID tenantId;

    private final ModelView view;

    private final int[] featureShape;

    private final int featureCount;

    private final PreprocessingStatistics preprocessing;

    private final int batchRows;

    private final ReplicaPool replicas;

    private final BatchQueue queue;

    public LoadedModel(UUID tenantId, ModelView view, byte[] fileBytes, int replicas, int batchRows) {
        this.tenantId = tenantId;
        this.view = view;
        this.featureShape = view.featureShape().stream().mapToInt(Integer::intValue).toArray();
        this.featureCount = Shape.of(featureShape).size();
        this.preprocessing = view.preprocessing().toStatistics(featureShape);
        this.batchRows = Math.max(1, batchRows);
        this.replicas = new ReplicaPool(fileBytes, replicas);
        this.queue = new BatchQueue(this.replicas, this.batchRows, featureCount, this::forward);
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

    /** Bytes this entry may hold at most: the parsed file and every replica. */
    public long weightBytes() {
        return replicas.weightBytes();
    }

    /** Batches run so far by {@link #probabilities}, and the requests they served. */
    public long[] batchCounts() {
        return queue.batchCounts();
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
     * The request waits in every model's queue at once (see {@link BatchScheduler}).
     */
    public static List<Tensor> probabilities(List<LoadedModel> models, float[] raw, int n) {
        int count = models.size();
        Tensor[] results = new Tensor[count];
        PendingRequest[] mine = new PendingRequest[count];
        for (int i = 0; i < count; i++) {
            LoadedModel model = models.get(i);
            if (n > model.batchRows) {
                Tensor x = model.preprocessing.apply(Tensor.wrap(raw, Shape.of(model.featureShape).withBatch(n)));
                results[i] = model.alone(n, replica -> ClassProbabilities.predict(replica, x));
            }
            else {
                mine[i] = model.queue.enqueue(raw, n);
            }
        }
        BatchScheduler.serve(mine);
        for (int i = 0; i < count; i++) {
            if (mine[i] != null) {
                results[i] = mine[i].probabilities();
            }
        }
        return Arrays.asList(results);
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
     * A batch's forward pass on the calling thread: the stored preprocessing, then the
     * network in test mode with the block-invariant GEMM.
     */
    private Tensor forward(Sequential replica, float[] raw, int rows) {
        Tensor x = preprocessing.apply(Tensor.wrap(raw, Shape.of(featureShape).withBatch(rows)));
        Tensor[] out = new Tensor[1];
        ComputePool.runWith(INLINE, () -> Gemm.blockInvariant(() -> out[0] = ClassProbabilities.predict(replica, x)));
        return out[0];
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

    /** Requests waiting in the queue now (for tests). */
    int waiting() {
        return queue.waiting();
    }

    /** Takes a replica, waiting for one if all are busy; package-private for tests. */
    Sequential acquire() {
        return replicas.acquire();
    }

    /** Gives a replica back and wakes the first waiting request (see BatchQueue). */
    void release(Sequential model) {
        queue.release(model);
    }

}
