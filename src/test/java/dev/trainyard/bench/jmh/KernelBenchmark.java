package dev.trainyard.bench.jmh;

import dev.trainyard.engine.kernel.KernelSupport;
import dev.trainyard.engine.kernel.Kernels;
import dev.trainyard.engine.kernel.ReferenceKernels;
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
 * Single-threaded kernels, scalar reference against the Vector API implementation, at the
 * sizes the facades hand them in the {@code cnn} workload: elementwise on one 16384-float
 * chunk, softmax over the (128, 10) logits, batch-norm moments of (128, 32, 14, 14) and
 * of (128, 512), im2col / col2im of one conv2 image (32, 14, 14) and 2x2 max pooling of a
 * batch's conv1 output, (128, 32, 28, 28), and conv2 output, (128, 64, 14, 14), from
 * memory as in training. Microseconds per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class KernelBenchmark {

    private static final int CHUNK = 16384;

    /**
     * A batch of 128 conv1 outputs: 32 planes each, 12.8 MB, more than the caches hold.
     */
    private static final int POOL_PLANES = 128 * 32;

    @Param({ "reference", "panama" })
    public String kernels;

    private KernelSupport k;

    private float[] x;

    private float[] dy;

    private float[] out;

    private float[] logits;

    private float[] probs;

    private float[] image;

    private float[] col;

    private float[] planes;

    private float[] pooled;

    private int[] argmax;

    private float[] poolGradient;

    private float[] inputGradient;

    private final float[] mean = new float[512];

    private final float[] var = new float[512];

    @Setup(Level.Trial)
    public void setUp() {
        k = kernels.equals("reference") ? new ReferenceKernels() : Kernels.support();
        if (!k.name().equals(kernels)) {
            throw new IllegalStateException("asked for " + kernels + " kernels, this JVM has " + k.name()
                    + " (start it with --add-modules jdk.incubator.vector)");
        }
        x = random(1, 128 * 32 * 14 * 14);
        dy = random(2, CHUNK);
        out = new float[CHUNK];
        logits = random(3, 128 * 10);
        probs = new float[128 * 10];
        image = random(4, 32 * 14 * 14);
        col = random(5, 32 * 9 * 14 * 14);
        planes = random(6, POOL_PLANES * 28 * 28);
        pooled = new float[POOL_PLANES * 14 * 14];
        argmax = new int[POOL_PLANES * 14 * 14];
        poolGradient = random(7, POOL_PLANES * 14 * 14);
        inputGradient = new float[POOL_PLANES * 28 * 28];
        for (int p = 0; p < POOL_PLANES; p++) {
            k.maxPool(planes, p * 784, 28, 28, 2, 2, pooled, p * 196, 14, 14, argmax, p * 196);
        }
    }

    @Benchmark
    public float[] relu() {
        k.relu(x, 0, out, 0, CHUNK);
        return out;
    }

    @Benchmark
    public float[] reluBackward() {
        k.reluBackward(x, 0, dy, 0, out, 0, CHUNK);
        return out;
    }

    @Benchmark
    public float[] tanh() {
        k.tanh(x, 0, out, 0, CHUNK);
        return out;
    }

    @Benchmark
    public float[] sigmoid() {
        k.sigmoid(x, 0, out, 0, CHUNK);
        return out;
    }

    @Benchmark
    public float[] softmax() {
        for (int r = 0; r < 128; r++) {
            k.softmax(logits, r * 10, probs, r * 10, 10);
        }
        return probs;
    }

    @Benchmark
    public float[] logSoftmax() {
        for (int r = 0; r < 128; r++) {
            k.logSoftmax(logits, r * 10, probs, r * 10, 10);
        }
        return probs;
    }

    @Benchmark
    public float[] channelMoments() {
        k.channelMoments(x, 0, 128, 32, 14 * 14, 0, 32, mean, var);
        return var;
    }

    @Benchmark
    public float[] columnMoments() {
        k.columnMoments(x, 0, 128, 512, 0, 512, mean, var);
        return var;
    }

    @Benchmark
    public float[] im2col() {
        k.im2col(image, 0, 32, 14, 14, 3, 3, 1, 1, 14, 14, col, 0);
        return col;
    }

    @Benchmark
    public float[] col2im() {
        k.col2im(col, 0, 32, 14, 14, 3, 3, 1, 1, 14, 14, image, 0);
        return image;
    }

    @Benchmark
    public float[] maxPool() {
        for (int p = 0; p < POOL_PLANES; p++) {
            k.maxPool(planes, p * 784, 28, 28, 2, 2, pooled, p * 196, 14, 14, argmax, p * 196);
        }
        return pooled;
    }

    /**
     * The backward of {@link #maxPool}, routed by the argmax that a forward leaves, each
     * plane cleared first as the facade does.
     */
    @Benchmark
    public float[] maxPoolBackward() {
        for (int p = 0; p < POOL_PLANES; p++) {
            java.util.Arrays.fill(inputGradient, p * 784, (p + 1) * 784, 0f);
            k.maxPoolBackward(poolGradient, p * 196, argmax, p * 196, 196, inputGradient, p * 784);
        }
        return inputGradient;
    }

    @Benchmark
    public float[] maxPool14() {
        for (int p = 0; p < 2 * POOL_PLANES; p++) {
            k.maxPool(planes, p * 196, 14, 14, 2, 2, pooled, p * 49, 7, 7, argmax, p * 49);
        }
        return pooled;
    }

    private static float[] random(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (random.nextDouble() * 4 - 2);
        }
        return a;
    }

}
