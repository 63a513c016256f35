package dev.trainyard.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real once-per-JVM choice, in fresh JVMs started with the flags a user might give:
 * the Vector API kernels by default, the reference with
 * {@code trainyard.engine.simd=false}, and the reference with exactly one WARN saying
 * what to change when the module or C2 is missing.
 */
class KernelSelectionJvmTest {

    /** Entry point of the child JVMs: prints the choice on standard output. */
    public static final class Probe {

        public static void main(String[] args) {
            System.out.println("kernels=" + Kernels.support().name() + " simd=" + Kernels.simdEnabled());
        }

    }

    private record Run(String out, String err) {
        long warnings() {
            return err.lines().filter(l -> l.startsWith("WARNING: Vector API kernels off")).count();
        }
    }

    private static Run launch(String... flags) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void vectorKernelsByDefaultWithTheModule() throws Exception {
        Run r = launch("--add-modules", "jdk.incubator.vector");
        assertThat(r.out()).contains("kernels=panama simd=true");
        assertThat(r.warnings()).isZero();
    }

    @Test
    void propertyFalseForcesTheReferenceWithoutAWarning() throws Exception {
        Run r = launch("--add-modules", "jdk.incubator.vector", "-Dtrainyard.engine.simd=false");
        assertThat(r.out()).contains("kernels=reference simd=false");
        assertThat(r.warnings()).isZero();
        assertThat(r.err()).contains("trainyard.engine.simd=false forces the scalar kernels");
    }

    @Test
    void missingModuleFallsBackWithOneWarningNamingTheFlag() throws Exception {
        Run r = launch();
        assertThat(r.out()).contains("kernels=reference simd=false");
        assertThat(r.warnings()).isEqualTo(1);
        assertThat(r.err()).contains("--add-modules jdk.incubator.vector");
    }

    @Test
    void limitedTieringFallsBackWithOneWarning() throws Exception {
        Run r = launch("--add-modules", "jdk.incubator.vector", "-XX:TieredStopAtLevel=1");
        assertThat(r.out()).contains("kernels=reference simd=false");
        assertThat(r.warnings()).isEqualTo(1);
        assertThat(r.err()).contains("TieredStopAtLevel");
    }

}
