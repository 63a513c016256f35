package dev.trainyard.engine.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an optimizer carries between steps: its kind, step count, current learning rate
 * and its per-parameter buffers by torch's names ({@code momentum_buffer},
 * {@code exp_avg}, {@code exp_avg_sq}), each as long as the parameter buffer.
 */
public record OptimizerState(String kind, long steps, double learningRate, Map<String, float[]> buffers) {

    public OptimizerState {
        buffers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(buffers));
    }
}
