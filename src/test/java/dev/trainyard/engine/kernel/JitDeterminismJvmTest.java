package dev.trainyard.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The transcendental kernels (tanh, sigmoid, softmax, log-softmax) and the direct
 * convolution's (whose weight gradient folds vector lanes, where reduceLanes would add
 * them in another order once compiled) give the same bits in their first, interpreted
 * call as after C2 has compiled them. A job resumed in another JVM relies on it: a kernel
 * whose result changes with the JIT's progress would make the resumed run end with other
 * weights. Runs in a fresh JVM, so the first call is really cold.
 */
class JitDeterminismJvmTest {

    /**
     * Entry point of the child JVM: prints one line per kernel, cold hash and warm hash.
     */
    public static final class Probe {

        static final List<String> KERNELS = List.of("tanh", "sigmoid", "softmax", "logSoftmax", "convSame",
                "convSameWeightGradient");

        private static final int N = 2048;

        public static void main(String[] args) {
            KernelSupport k = Kernels.support();
            System.out.println("kernels=" + k.name());
            float[] x = new float[N];
            long s = 42;
            for (int i = 0; i < N; i++) {
                s = s * 6364136223846793005L + 1442695040888963407L;
                x[i] = ((s >>> 40) / (float) (1 << 24) - 0.5f) * 16f;
            }
            for (String kernel : KERNELS) {
                float[] cold = run(k, kernel, x);
                for (int i = 0; i < 3000; i++) {
                    run(k, kernel, x);
                }
                float[] warm = run(k, kernel, x);
                System.out.println(kernel + " cold=" + Arrays.hashCode(cold) + " warm=" + Arrays.hashCode(warm));
            }
        }

        private static float[] run(KernelSupport k, String kernel, float[] x) {
            float[] y = new float[N];
            switch (kernel) {
                // the start of x as an image (2, 16, 16) and as weights (4, 2, 3, 3):
                // four filters, so that the weight gradient takes its blocked path too
                case "convSame" -> k.convSame(x, 0, 2, 16, 16, x, 0, 4, 3, y, 0);
                case "convSameWeightGradient" -> {
                    // x as two images (2, 2, 16, 16) and, reversed, as their output
                    // gradient
                    // (2, 4, 16, 16)
                    float[] dy = new float[N];
                    for (int i = 0; i < N; i++) {
                        dy[i] = x[N - 1 - i];
                    }
                    k.convSameWeightGradient(x, 0, 2, 2, 16, 16, dy, 0, 4, 3, y, 0);
                }
                case "tanh" -> k.tanh(x, 0, y, 0, N);
                case "sigmoid" -> k.sigmoid(x, 0, y, 0, N);
                case "softmax" -> {
                    for (int r = 0; r < N; r += 64) {
                        k.softmax(x, r, y, r, 64);
                    }
                }
                default -> {
                    for (int r = 0; r < N; r += 64) {
                        k.logSoftmax(x, r, y, r, 64);
                    }
                }
            }
            return y;
        }

    }

    @Test
    void transcendentalAndDirectConvolutionKernelsGiveTheSameBitsColdAndCompiled()
            throws IOException, InterruptedException {
        assumeTrue(Kernels.vectorModulePresent(), "jdk.incubator.vector is not loaded");
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Probe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("kernels=panama");
        List<String> lines = out.lines().filter(l -> l.contains(" cold=")).toList();
        assertThat(lines).hasSize(Probe.KERNELS.size());
        for (String line : lines) {
            String cold = line.substring(line.indexOf("cold=") + 5, line.indexOf(" warm="));
            String warm = line.substring(line.indexOf("warm=") + 5);
            assertThat(warm).as(line).isEqualTo(cold);
        }
    }

}
