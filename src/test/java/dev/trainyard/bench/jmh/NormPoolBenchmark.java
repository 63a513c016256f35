package dev.trainyard.bench.jmh;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.init.HeNormal;
import dev.trainyard.engine.nn.Layer;
import dev.trainyard.engine.nn.LayerSpec;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@code cnn} workload's batch norm, ReLU and 2x2 max pool at batch 128, a training
 * forward and its backward: block1 on the first convolution's output (32, 28, 28), block2
 * on the second's (64, 14, 14). {@code fused} runs them as the model does (one pass,
 * {@link Sequential#forward}); otherwise each layer's own forward and backward in turn.
 * Milliseconds per forward + backward.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class NormPoolBenchmark {

    private static final int BATCH = 128;

    @Param({ "block1", "block2" })
    public String block;

    @Param({ "true", "false" })
    public boolean fused;

    @Param({ "2" })
    public int threads;

    private ComputePool pool;

    private Sequential model;

    private Tensor x;

    private Tensor dy;

    @Setup(Level.Trial)
    public void setUp() {
        Shape example = block.equals("block1") ? Shape.of(32, 28, 28) : Shape.of(64, 14, 14);
        model = Sequential.build(example,
                List.of(new LayerSpec.BatchNorm(), new LayerSpec.Relu(), new LayerSpec.MaxPool(2)), new HeNormal(), 1);
        // inside the cnn the batch norm's input gradient is needed
        model.layers().getFirst().setInputGradientNeeded(true);
        pool = ComputePool.create(threads);
        x = ConvBenchmark.random(1, example.withBatch(BATCH).dims());
        dy = ConvBenchmark.random(2, model.outputShape().withBatch(BATCH).dims());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public Tensor forwardBackward() {
        Tensor[] dx = new Tensor[1];
        ComputePool.runWith(pool, () -> {
            if (fused) {
                model.forward(x, true);
                dx[0] = model.backward(dy);
            }
            else {
                List<Layer> layers = model.layers();
                Tensor h = x;
                for (Layer layer : layers) {
                    h = layer.forward(h, true);
                }
                Tensor g = dy;
                for (int i = layers.size() - 1; i >= 0; i--) {
                    g = layers.get(i).backward(g);
                }
                dx[0] = g;
            }
        });
        return dx[0];
    }

}
