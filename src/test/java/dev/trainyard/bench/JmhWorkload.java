package dev.trainyard.bench;

import dev.trainyard.bench.jmh.GemmBenchmark;
import java.io.PrintStream;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * {@code jmh}: runs the JMH benchmarks under {@code dev.trainyard.bench.jmh} whose names
 * match {@code --jmh REGEX} (e.g. {@code GemmBenchmark}), with the forks and iterations
 * their annotations give, and prints one JSON line per result (GEMM results also in
 * GFLOP/s). {@code --p.NAME v1,v2} overrides a {@code @Param} (e.g.
 * {@code --p.provider java --p.threads 2}). Forks inherit this JVM's flags (vector
 * module, native access, system properties).
 */
final class JmhWorkload implements Workload {

    @Override
    public void run(BenchOptions options, PrintStream out) throws Exception {
        String include = options.option("jmh", "Benchmark");
        OptionsBuilder builder = new OptionsBuilder();
        builder.include("dev\\.trainyard\\.bench\\.jmh\\..*" + include + ".*");
        options.extra().forEach((key, value) -> {
            if (key.startsWith("p.")) {
                builder.param(key.substring(2), value.split(","));
            }
        });
        Options jmh = builder.build();
        Collection<RunResult> results = new Runner(jmh).run();
        for (RunResult r : results) {
            String benchmark = r.getParams().getBenchmark();
            Map<String, String> params = new TreeMap<>();
            for (String key : r.getParams().getParamsKeys()) {
                params.put(key, r.getParams().getParam(key));
            }
            double score = r.getPrimaryResult().getScore();
            StringBuilder line = new StringBuilder("{\"workload\":\"jmh\",\"benchmark\":\"")
                .append(benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1))
                .append('"');
            params.forEach((key, value) -> line.append(",\"").append(key).append("\":\"").append(value).append('"'));
            line.append(String.format(",\"score\":%.3f,\"unit\":\"%s\"", score, r.getPrimaryResult().getScoreUnit()));
            if (benchmark.startsWith(GemmBenchmark.class.getName()) && params.containsKey("shape")) {
                line.append(String.format(",\"gflops\":%.1f", GemmBenchmark.gflops(params.get("shape"), score)));
            }
            out.println(line.append('}'));
        }
    }

}
