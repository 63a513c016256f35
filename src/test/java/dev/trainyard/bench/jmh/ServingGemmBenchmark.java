package dev.trainyard.bench.jmh;

import dev.trainyard.engine.kernel.GemmProvider;
import dev.trainyard.engine.kernel.Kernels;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The product a served prediction batch runs first: a few rows times the first dense
 * layer of the {@code mlp} (784 x 512, 1.6 MB of weights), on one thread with the
 * block-invariant GEMM provider, as {@code LoadedModel} runs it. {@code cold=true} sweeps
 * 64 MB through the caches before each product (outside the timing), as a busy server's
 * other work does between two batches; {@code cold=false} repeats the product with the
 * weights warm. Average time per product.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ServingGemmBenchmark {

    @Param({ "1", "2", "4", "8" })
    public int rows;

    @Param({ "false", "true" })
    public boolean cold;

    private static final int K = 784;

    private static final int N = 512;

    private GemmProvider gemm;

    private float[] a;

    private float[] b;

    private float[] c;

    private final float[] sweep = new float[16 << 20];

    @Setup(Level.Trial)
    public void setUp() {
        gemm = Kernels.blockInvariantGemm();
        SplittableRandom random = new SplittableRandom(5);
        a = new float[rows * K];
        b = new float[K * N];
        c = new float[rows * N];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextDouble();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) (random.nextDouble() * 2 - 1);
        }
    }

    @Setup(Level.Invocation)
    public void evict() {
        if (cold) {
            for (int i = 0; i < sweep.length; i += 16) {
                sweep[i] += 1f;
            }
        }
    }

    @Benchmark
    public float[] product() {
        gemm.sgemm(false, false, rows, N, K, 1f, a, 0, K, b, 0, N, 0f, c, 0, N);
        return c;
    }

}
