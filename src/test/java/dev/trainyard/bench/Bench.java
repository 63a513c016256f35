package dev.trainyard.bench;

import dev.trainyard.engine.backend.ComputePool;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Benchmark entry point used by {@code src/test/bench/compare.sh}, through the
 * {@code bench} Maven profile:
 * {@code ./mvnw -q -Pbench exec:exec -Dbench.workload=gemm -Dbench.epochs=1 -Dbench.threads=2}.
 *
 * <p>
 * Runs one workload on the shared compute pool (its size is
 * {@code trainyard.engine.threads}, which the profile sets from {@code bench.threads})
 * and prints its JSON result lines on standard output. Adding a workload is one line in
 * {@link #WORKLOADS}.
 */
public final class Bench {

    /** Workloads by name. */
    static final Map<String, Supplier<Workload>> WORKLOADS = new TreeMap<>(
            Map.of("gemm", GemmWorkload::new, "jmh", JmhWorkload::new, "mlp", () -> new TrainingWorkload("mlp"), "cnn",
                    () -> new TrainingWorkload("cnn"), "resnet", () -> new TrainingWorkload("resnet")));

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args);
        Supplier<Workload> workload = WORKLOADS.get(options.workload());
        if (workload == null) {
            System.err.println("unknown workload '" + options.workload() + "'; known: " + WORKLOADS.keySet());
            System.exit(2);
        }
        System.err.println("bench: " + options.workload() + " on " + ComputePool.current().threads()
                + " compute threads, JDK " + Runtime.version());
        workload.get().run(options, System.out);
        System.out.flush();
    }

}
