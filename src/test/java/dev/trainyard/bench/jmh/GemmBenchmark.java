package dev.trainyard.bench.jmh;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.kernel.Gemm;
import dev.trainyard.engine.kernel.GemmProvider;
import dev.trainyard.engine.kernel.GemmProviders;
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
 * GEMM through the {@link Gemm} facade, per provider and compute-thread count, at square
 * sizes and at the shapes the MLP workload trains with (batch 128, 784-512-256): forward
 * {@code Y = X W}, weight gradient {@code dW = X^T dY} and input gradient
 * {@code dX = dY W^T}.
 *
 * <p>
 * Shape parameter: {@code MxNxK} with an optional {@code :TN} / {@code :NT} suffix for
 * which operand is transposed. Throughput in products per second; {@link #gflops}
 * converts. Short by design (1 fork, 2 + 3 one-second iterations): about 7 s per
 * parameter combination.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class GemmBenchmark {

    @Param({ "native", "java" })
    public String provider;

    @Param({ "1", "2" })
    public int threads;

    @Param({ "256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048", "128x512x784", "128x256x512", // forward:
                                                                                                             // X
                                                                                                             // (128,
                                                                                                             // 784)
                                                                                                             // W
                                                                                                             // (784,
                                                                                                             // 512);
                                                                                                             // H
                                                                                                             // (128,
                                                                                                             // 512)
                                                                                                             // W2
                                                                                                             // (512,
                                                                                                             // 256)
            "784x512x128:TN", "512x256x128:TN", // dW = X^T dY
            "128x784x512:NT", "128x512x256:NT" }) // dX = dY W^T
    public String shape;

    private GemmProvider gemm;

    private ComputePool pool;

    private boolean transA;

    private boolean transB;

    private int m;

    private int n;

    private int k;

    private float[] a;

    private float[] b;

    private float[] c;

    @Setup(Level.Trial)
    public void setUp() {
        gemm = GemmProviders.load(provider);
        pool = ComputePool.create(threads);
        int[] mnk = dims(shape);
        m = mnk[0];
        n = mnk[1];
        k = mnk[2];
        transA = shape.endsWith(":TN");
        transB = shape.endsWith(":NT");
        a = random(m * k, 1);
        b = random(k * n, 2);
        c = new float[m * n];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float[] sgemm() {
        ComputePool.runWith(pool, () -> Gemm.sgemm(gemm, transA, transB, m, n, k, 1f, a, 0, transA ? m : k, b, 0,
                transB ? k : n, 0f, c, 0, n));
        return c;
    }

    /** GFLOP/s of a throughput score (products per second) for a shape parameter. */
    public static double gflops(String shape, double productsPerSecond) {
        int[] mnk = dims(shape);
        return 2.0 * mnk[0] * mnk[1] * mnk[2] * productsPerSecond / 1e9;
    }

    private static int[] dims(String shape) {
        String[] parts = shape.split(":")[0].split("x");
        return new int[] { Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]) };
    }

    private static float[] random(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return x;
    }

}
