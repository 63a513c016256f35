package dev.trainyard.bench.jmh;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.kernel.Conv;
import dev.trainyard.engine.kernel.Kernels;
import dev.trainyard.engine.tensor.Tensor;
import java.util.SplittableRandom;
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
 * The two convolutions of the {@code cnn} workload at batch 128, through the {@link Conv}
 * facade with the GEMM provider and kernels this JVM chose (printed at set-up): conv1 =
 * conv3x3(1 -> 32, pad 1) on 28x28, conv2 = conv3x3(32 -> 64, pad 1) on 14x14.
 * Milliseconds per call for the forward pass, the input gradient and the weight (+ bias)
 * gradient. Scalar kernels for comparison: run with
 * {@code -Dtrainyard.engine.simd=false}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ConvBenchmark {

    private static final int BATCH = 128;

    @Param({ "conv1", "conv2" })
    public String layer;

    @Param({ "1", "2" })
    public int threads;

    private ComputePool pool;

    private Tensor x;

    private Tensor weight;

    private Tensor bias;

    private Tensor y;

    private Tensor dy;

    private Tensor dx;

    private Tensor dweight;

    private Tensor dbias;

    @Setup(Level.Trial)
    public void setUp() {
        int c = layer.equals("conv1") ? 1 : 32;
        int f = layer.equals("conv1") ? 32 : 64;
        int hw = layer.equals("conv1") ? 28 : 14;
        pool = ComputePool.create(threads);
        x = random(1, BATCH, c, hw, hw);
        weight = random(2, f, c, 3, 3);
        bias = random(3, f);
        dy = random(4, BATCH, f, hw, hw);
        y = Tensor.zeros(BATCH, f, hw, hw);
        dx = Tensor.zeros(BATCH, c, hw, hw);
        dweight = Tensor.zeros(f, c, 3, 3);
        dbias = Tensor.zeros(f);
        System.err.println("conv benchmark: gemm=" + Kernels.gemm().name() + " kernels=" + Kernels.support().name());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public Tensor forward() {
        ComputePool.runWith(pool, () -> Conv.forward(x, weight, bias, 1, 1, y));
        return y;
    }

    @Benchmark
    public Tensor backwardInput() {
        ComputePool.runWith(pool, () -> Conv.backwardInput(dy, weight, 1, 1, dx));
        return dx;
    }

    @Benchmark
    public Tensor backwardWeight() {
        ComputePool.runWith(pool, () -> Conv.backwardWeight(x, dy, 1, 1, dweight, dbias));
        return dweight;
    }

    static Tensor random(long seed, int... dims) {
        Tensor t = Tensor.zeros(dims);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return t;
    }

}
