package dev.trainyard.prediction.internal;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.data.PreprocessingStatistics;
import dev.trainyard.engine.ensemble.ClassProbabilities;
import dev.trainyard.engine.io.ModelFile;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import dev.trainyard.model.ModelView;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A model ready for inference: its preprocessing and a small pool of replicas of the
 * network. Layers keep per-batch buffers, so a replica serves one request at a time; a
 * request takes an idle replica or builds one (from the parsed file, no database), and
 * gives it back. At most {@code maxIdle} replicas are kept. Small batches run on the
 * calling thread (no fork/join hand-off), large ones over the shared compute pool.
 */
public final class LoadedModel {

    /** Batches up to this many examples run single-threaded on the request thread. */
    static final int INLINE_BATCH = 32;

    private static final ComputePool INLINE = ComputePool.create(1);

    private final UUID tenantId;

    private final ModelView view;

    private final int[] featureShape;

    private final PreprocessingStatistics preprocessing;

    private final ModelFile file;

    private final long fileBytes;

    private final int maxIdle;

    private final ConcurrentLinkedQueue<Sequential> idle = new ConcurrentLinkedQueue<>();

    private final AtomicInteger idleCount = new AtomicInteger();

    public LoadedModel(UUID tenantId, ModelView view, byte[] fileBytes, int maxIdle) {
        this.tenantId = tenantId;
        this.view = view;
        this.featureShape = view.featureShape().stream().mapToInt(Integer::intValue).toArray();
        this.preprocessing = view.preprocessing().toStatistics(featureShape);
        this.file = ModelFile.fromBytes(fileBytes);
        this.fileBytes = fileBytes.length;
        this.maxIdle = Math.max(1, maxIdle);
        release(file.toModel());
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
        return Shape.of(featureShape).size();
    }

    /**
     * Bytes this entry may hold at most: the parsed file and every idle replica
     * (weights).
     */
    public long weightBytes() {
        return fileBytes * (1L + maxIdle);
    }

    /**
     * Class probabilities (N, K) for raw instances (N x featureCount values, row-major):
     * the stored preprocessing, then one forward pass in test mode.
     */
    public Tensor probabilities(float[] raw, int n) {
        Tensor x = preprocessing.apply(Tensor.wrap(raw, Shape.of(featureShape).withBatch(n)));
        return withReplica(n, model -> ClassProbabilities.predict(model, x));
    }

    /**
     * Monte Carlo dropout estimate over {@code samples} stochastic passes (one forward
     * pass).
     */
    public ClassProbabilities.Estimate monteCarlo(float[] raw, int n, int samples, long seed) {
        Tensor x = preprocessing.apply(Tensor.wrap(raw, Shape.of(featureShape).withBatch(n)));
        return withReplica(n * samples, model -> ClassProbabilities.monteCarlo(model, x, samples, seed));
    }

    private <T> T withReplica(int rows, Function<Sequential, T> body) {
        Sequential model = idle.poll();
        if (model == null) {
            model = file.toModel();
        }
        else {
            idleCount.decrementAndGet();
        }
        try {
            Sequential m = model;
            if (rows <= INLINE_BATCH) {
                Object[] result = new Object[1];
                ComputePool.runWith(INLINE, () -> result[0] = body.apply(m));
                @SuppressWarnings("unchecked")
                T t = (T) result[0];
                return t;
            }
            return body.apply(m);
        }
        finally {
            release(model);
        }
    }

    private void release(Sequential model) {
        if (idleCount.incrementAndGet() <= maxIdle) {
            idle.offer(model);
        }
        else {
            idleCount.decrementAndGet();
        }
    }

}
