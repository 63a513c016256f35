package dev.trainyard.model;

import dev.trainyard.engine.data.PreprocessingMethod;
import dev.trainyard.engine.data.PreprocessingStatistics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The preprocessing a model applies to every input, with the statistics fitted on its
 * training split: {@code mean}/{@code std} or {@code min}/{@code max} arrays (per
 * feature, or per channel when {@code perChannel}).
 */
public record PreprocessingInfo(String method, boolean perChannel, Map<String, float[]> statistics) {

    public PreprocessingInfo {
        statistics = statistics == null ? Map.of() : Map.copyOf(statistics);
    }

    /** The API and storage form of the engine's fitted statistics. */
    public static PreprocessingInfo of(PreprocessingStatistics s) {
        Map<String, float[]> stats = new LinkedHashMap<>();
        put(stats, "mean", s.mean());
        put(stats, "std", s.std());
        put(stats, "min", s.min());
        put(stats, "max", s.max());
        return new PreprocessingInfo(s.method().name().toLowerCase(java.util.Locale.ROOT), s.perChannel(), stats);
    }

    /** Back to the engine's statistics, to preprocess instances for a prediction. */
    public PreprocessingStatistics toStatistics(int[] featureShape) {
        PreprocessingMethod m = PreprocessingMethod.valueOf(method.toUpperCase(java.util.Locale.ROOT));
        return PreprocessingStatistics.of(m, perChannel, featureShape, array("mean"), array("std"), array("min"),
                array("max"));
    }

    private float[] array(String name) {
        return statistics.getOrDefault(name, new float[0]);
    }

    /** Keeps only the arrays the method uses (the engine returns the others empty). */
    private static void put(Map<String, float[]> stats, String name, float[] values) {
        if (values != null && values.length > 0) {
            stats.put(name, values);
        }
    }
}
