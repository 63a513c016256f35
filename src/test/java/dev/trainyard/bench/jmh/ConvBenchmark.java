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
 * The convolutions of the {@code cnn} and {@code resnet} workloads at batch 128, through
 * the {@link Conv} facade with the GEMM provider and kernels this JVM chose (printed at
 * set-up): conv1 = conv3x3(1 -> 32, pad 1) on 28x28, conv2 = conv3x3(32 -> 64, pad 1) on
 * 14x14; res16, res32, res64 = the resnet's conv3x3 (pad 1, no bias) on 28x28, 14x14,
 * 7x7; down32, down64 = its stride-2 conv3x3 into a stage (16 -> 32 from 28x28, 32 -> 64
 * from 14x14); proj32, proj64 = its stride-2 1x1 projections of the same shapes.
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

    @Param({ "conv1", "conv2", "res16", "down32", "proj32", "res32", "down64", "proj64", "res64" })
    public String layer;

    @Param({ "1", "2" })
    public int threads;

    private ComputePool pool;

    private int stride;

    private int padding;

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
        // c, f, input size, kernel, stride, padding
        int[] shape = switch (layer) {
            case "conv1" -> new int[] { 1, 32, 28, 3, 1, 1 };
            case "conv2" -> new int[] { 32, 64, 14, 3, 1, 1 };
            case "res16" -> new int[] { 16, 16, 28, 3, 1, 1 };
            case "down32" -> new int[] { 16, 32, 28, 3, 2, 1 };
            case "proj32" -> new int[] { 16, 32, 28, 1, 2, 0 };
            case "res32" -> new int[] { 32, 32, 14, 3, 1, 1 };
            case "down64" -> new int[] { 32, 64, 14, 3, 2, 1 };
            case "proj64" -> new int[] { 32, 64, 14, 1, 2, 0 };
            case "res64" -> new int[] { 64, 64, 7, 3, 1, 1 };
            default -> throw new IllegalArgumentException("unknown layer " + layer);
        };
        int c = shape[0];
        int f = shape[1];
        int hw = shape[2];
        int k = shape[3];
        stride = shape[4];
        padding = shape[5];
        int out = Conv.outputSize(hw, k, stride, padding);
        boolean resnet = layer.startsWith("res") || layer.startsWith("down") || layer.startsWith("proj");
        pool = ComputePool.create(threads);
        x = random(1, BATCH, c, hw, hw);
        weight = random(2, f, c, k, k);
        bias = resnet ? null : random(3, f);
        dy = random(4, BATCH, f, out, out);
        y = Tensor.zeros(BATCH, f, out, out);
        dx = Tensor.zeros(BATCH, c, hw, hw);
        dweight = Tensor.zeros(f, c, k, k);
        dbias = resnet ? null : Tensor.zeros(f);
        System.err.println("conv benchmark: gemm=" + Kernels.gemm().name() + " kernels=" + Kernels.support().name());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public Tensor forward() {
        ComputePool.runWith(pool, () -> Conv.forward(x, weight, bias, stride, padding, y));
        return y;
    }

    @Benchmark
    public Tensor backwardInput() {
        ComputePool.runWith(pool, () -> Conv.backwardInput(dy, weight, stride, padding, dx));
        return dx;
    }

    @Benchmark
    public Tensor backwardWeight() {
        ComputePool.runWith(pool, () -> Conv.backwardWeight(x, dy, stride, padding, dweight, dbias));
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
