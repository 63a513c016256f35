package dev.trainyard.bench;

import dev.trainyard.engine.backend.ComputePool;
import dev.trainyard.engine.kernel.Gemm;
import dev.trainyard.engine.kernel.Kernels;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * {@code gemm}: C (n x n) = A (n x n) * B (n x n) through the {@link Gemm} facade with
 * the provider {@link Kernels#gemm()} chose, n = {@code --n} (default 1024). Warms up for
 * about two seconds, then times {@code --reps} products (default 21) and prints one line
 * with the median:
 * {@code {"workload":"gemm","n":1024,"gflops":...,"threads":2,"provider":"native"}}.
 */
final class GemmWorkload implements Workload {

    private static final long WARMUP_NANOS = 2_000_000_000L;

    @Override
    public void run(BenchOptions options, PrintStream out) {
        int n = options.intOption("n", 1024);
        int reps = options.intOption("reps", 21);
        float[] a = random(n * n, 1);
        float[] b = random(n * n, 2);
        float[] c = new float[n * n];
        long warmEnd = System.nanoTime() + WARMUP_NANOS;
        while (System.nanoTime() < warmEnd) {
            product(n, a, b, c);
        }
        long[] nanos = new long[reps];
        long cpu0 = processCpuNanos();
        long wall0 = System.nanoTime();
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            product(n, a, b, c);
            nanos[r] = System.nanoTime() - t0;
        }
        double cpuShare = (double) (processCpuNanos() - cpu0) / (System.nanoTime() - wall0);
        Arrays.sort(nanos);
        double gflops = 2.0 * n * n * n / nanos[reps / 2];
        // On a loaded machine the wall-clock figure understates the kernel; the CPU share
        // tells how much.
        System.err.printf("gemm: median %.1f GFLOP/s wall over %d products; the process had %.2f cores on average%n",
                gflops, reps, cpuShare);
        out.printf("{\"workload\":\"gemm\",\"n\":%d,\"gflops\":%.1f,\"threads\":%d,\"provider\":\"%s\"}%n", n, gflops,
                ComputePool.current().threads(), Kernels.gemm().name());
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }

    private static void product(int n, float[] a, float[] b, float[] c) {
        Gemm.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
    }

    static float[] random(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return x;
    }

}
