package dev.trainyard.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * Command-line options of {@link Bench}: {@code --workload W --epochs E} plus any
 * {@code --key value} a workload reads itself (e.g. {@code --n 2048 --reps 11} for gemm,
 * {@code --jmh REGEX} for jmh).
 */
public record BenchOptions(String workload, int epochs, Map<String, String> extra) {

    static BenchOptions parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --key value pairs, got '" + args[i] + "'");
            }
            values.put(args[i].substring(2), args[++i]);
        }
        String workload = values.remove("workload");
        if (workload == null) {
            throw new IllegalArgumentException("--workload is required");
        }
        int epochs = Integer.parseInt(values.getOrDefault("epochs", "1"));
        values.remove("epochs");
        return new BenchOptions(workload, epochs, Map.copyOf(values));
    }

    String option(String key, String fallback) {
        return extra.getOrDefault(key, fallback);
    }

    int intOption(String key, int fallback) {
        return extra.containsKey(key) ? Integer.parseInt(extra.get(key)) : fallback;
    }
}
