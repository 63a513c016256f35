package dev.trainyard.engine.train;

import dev.trainyard.engine.nn.Layer;
import dev.trainyard.engine.nn.Parameter;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Computes {@link EpochDiagnostics}. The probe forward runs in test mode, so it neither
 * draws dropout masks nor moves batch-norm statistics: diagnostics never change the
 * training run.
 */
public final class Diagnostics {

    public static final int BINS = 50;
    static final double TANH_SATURATION = 0.97;
    static final double SIGMOID_LOW = 0.03;
    static final double SIGMOID_HIGH = 0.97;

    private Diagnostics() {
    }

    /**
     * @param probe the fixed probe batch (P, ...inputShape)
     * @param paramsBefore the parameters before the last step, or null to skip update
     * ratios
     */
    public static EpochDiagnostics compute(int epoch, Sequential model, Tensor probe, float[] paramsBefore) {
        List<EpochDiagnostics.ActivationStats> acts = new ArrayList<>();
        Tensor t = probe;
        List<Layer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            t = layers.get(i).forward(t, false);
            acts.add(activationStats(i, layers.get(i).kind(), t));
        }
        List<EpochDiagnostics.ParameterStats> params = new ArrayList<>();
        float[] w = model.parameterData();
        float[] g = model.gradientData();
        for (Parameter p : model.parameters()) {
            int from = p.offset();
            int to = from + p.size();
            double gradSq = 0;
            double wSq = 0;
            double dSq = 0;
            for (int j = from; j < to; j++) {
                gradSq += (double) g[j] * g[j];
                wSq += (double) w[j] * w[j];
                if (paramsBefore != null) {
                    double d = (double) w[j] - paramsBefore[j];
                    dSq += d * d;
                }
            }
            double ratio = paramsBefore == null || wSq == 0 ? 0 : Math.sqrt(dSq) / Math.sqrt(wSq);
            params.add(new EpochDiagnostics.ParameterStats(p.name(), Math.sqrt(gradSq), ratio));
        }
        return new EpochDiagnostics(epoch, acts, params);
    }

    static EpochDiagnostics.ActivationStats activationStats(int layer, String kind, Tensor y) {
        int n = y.size();
        float[] d = y.data();
        int off = y.offset();
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += d[off + i];
        }
        double mean = sum / n;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            double c = d[off + i] - mean;
            sq += c * c;
        }
        float[] sorted = y.toArray();
        Arrays.sort(sorted);
        double lo;
        double hi;
        switch (kind) {
            case "tanh" -> {
                lo = -1;
                hi = 1;
            }
            case "sigmoid" -> {
                lo = 0;
                hi = 1;
            }
            default -> {
                lo = sorted[0];
                hi = sorted[n - 1];
            }
        }
        long[] hist = new long[BINS];
        double width = hi > lo ? (hi - lo) / BINS : 1;
        for (float v : sorted) {
            int b = (int) Math.floor((v - lo) / width);
            hist[Math.max(0, Math.min(BINS - 1, b))]++;
        }
        Double saturated = switch (kind) {
            case "tanh" -> fraction(sorted, v -> Math.abs(v) > TANH_SATURATION);
            case "sigmoid" -> fraction(sorted, v -> v < SIGMOID_LOW || v > SIGMOID_HIGH);
            default -> null;
        };
        Double dead = kind.equals("relu") ? deadFraction(y) : null;
        return new EpochDiagnostics.ActivationStats(layer, kind, mean, Math.sqrt(sq / n), percentile(sorted, 0.02),
                percentile(sorted, 0.98), lo, hi, hist, saturated, dead);
    }

    /** Linear interpolation between closest ranks, as numpy's default percentile. */
    static double percentile(float[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(sorted.length - 1, i + 1);
        return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
    }

    private interface FloatTest {

        boolean test(float v);

    }

    private static double fraction(float[] values, FloatTest test) {
        long c = 0;
        for (float v : values) {
            if (test.test(v)) {
                c++;
            }
        }
        return (double) c / values.length;
    }

    /**
     * Units (positions within one example) whose output is zero for every example of the
     * batch.
     */
    static double deadFraction(Tensor y) {
        int n = y.dim(0);
        int units = y.shape().sizeFrom(1);
        float[] d = y.data();
        int dead = 0;
        for (int u = 0; u < units; u++) {
            boolean alive = false;
            for (int i = 0; i < n && !alive; i++) {
                alive = d[y.offset() + i * units + u] > 0f;
            }
            if (!alive) {
                dead++;
            }
        }
        return (double) dead / units;
    }

}
