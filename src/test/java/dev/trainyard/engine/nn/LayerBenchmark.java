package dev.trainyard.engine.nn;

import dev.trainyard.engine.init.HeNormal;
import dev.trainyard.engine.kernel.Kernels;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import java.util.List;

/**
 * Forward + backward of pytorch_peer.py's mlp (or cnn) at batch 128, with a per-layer
 * profile. Not a test: run by hand, e.g.
 * {@code java $FLAGS -cp target/classes:target/test-classes:$(cat cp.txt) dev.trainyard.engine.nn.LayerBenchmark mlp 200}.
 */
public final class LayerBenchmark {

    public static void main(String[] args) {
        String workload = args.length > 0 ? args[0] : "mlp";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int batch = 128;
        boolean cnn = workload.equals("cnn");
        Shape example = cnn ? Shape.of(1, 28, 28) : Shape.of(784);
        List<LayerSpec> specs = cnn ? SequentialTest.peerCnn() : SequentialTest.peerMlp();
        Sequential m = Sequential.build(example, specs, new HeNormal(), 1);
        Tensor x = GradientCheck.randomInput(2, example.withBatch(batch).dims());
        Tensor dy = GradientCheck.randomInput(3, batch, 10);
        int layers = m.layers().size();
        long[] fwd = new long[layers];
        long[] bwd = new long[layers];
        System.out.printf("%s, batch %d, gemm %s, kernels %s, threads %s%n", workload, batch, Kernels.gemm().name(),
                Kernels.support().name(), dev.trainyard.engine.backend.ComputePool.current().threads());
        for (int phase = 0; phase < 2; phase++) { // warm-up, then measure
            java.util.Arrays.fill(fwd, 0);
            java.util.Arrays.fill(bwd, 0);
            long t0 = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                m.zeroGrad();
                Tensor t = x;
                for (int i = 0; i < layers; i++) {
                    long a = System.nanoTime();
                    t = m.layer(i).forward(t, true);
                    fwd[i] += System.nanoTime() - a;
                }
                Tensor g = dy;
                for (int i = layers - 1; i >= 0; i--) {
                    long a = System.nanoTime();
                    g = m.layer(i).backward(g);
                    bwd[i] += System.nanoTime() - a;
                }
                float[] w = m.parameterData();
                float[] dw = m.gradientData();
                for (int i = 0; i < w.length; i++) {
                    w[i] -= 1e-6f * dw[i];
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            if (phase == 1) {
                System.out.printf("forward+backward+update: %.1f samples/s (%.3f ms per batch)%n", steps * batch / secs,
                        secs * 1e3 / steps);
                for (int i = 0; i < layers; i++) {
                    System.out.printf("  %2d %-10s fwd %7.3f ms  bwd %7.3f ms%n", i, m.layer(i).kind(),
                            fwd[i] / 1e6 / steps, bwd[i] / 1e6 / steps);
                }
            }
        }
    }

}
