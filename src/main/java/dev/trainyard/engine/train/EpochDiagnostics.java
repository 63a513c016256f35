package dev.trainyard.engine.train;

import java.util.List;

/**
 * The lecture's activation figures (Glorot and Bengio, 2010) for one epoch: per layer,
 * statistics of its outputs on a fixed probe batch in test mode; per parameter tensor,
 * the size of the last step's gradient and update. Plain values, ready to be written as
 * JSON.
 */
public record EpochDiagnostics(int epoch, List<ActivationStats> activations, List<ParameterStats> parameters) {

    public EpochDiagnostics {
        activations = List.copyOf(activations);
        parameters = List.copyOf(parameters);
    }

    /**
     * Statistics of one layer's outputs over the probe batch. The histogram has
     * {@link Diagnostics#BINS} equal bins over [histogramMin, histogramMax] ([-1, 1] for
     * tanh, [0, 1] for sigmoid, else the observed range). {@code saturatedFraction}: tanh
     * |y| > 0.97, sigmoid y < 0.03 or y > 0.97, else null. {@code deadFraction}: for
     * ReLU, the fraction of units (output positions of one example) that are zero for
     * every probe example, else null.
     */
    public record ActivationStats(int layer, String kind, double mean, double std, double percentile2,
            double percentile98, double histogramMin, double histogramMax, long[] histogram, Double saturatedFraction,
            Double deadFraction) {
    }

    /**
     * Per parameter tensor: the L2 norm of the gradient of the epoch's last step, and the
     * update ratio ||delta w|| / ||w|| of that step (w after the step; 0 when w is all
     * zero).
     */
    public record ParameterStats(String name, double gradientNorm, double updateRatio) {
    }
}
