package dev.trainyard.training.internal;

import dev.trainyard.engine.train.EpochDiagnostics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Plain-language warnings from an epoch's activation and gradient statistics, with the
 * lecture's remedies: saturated tanh or sigmoid units, dead ReLUs, vanishing or exploding
 * gradients, and updates far from the ~1e-3 of the weights that training works well with.
 */
final class Diagnoser {

    /** Fraction of saturated tanh/sigmoid outputs from which a layer is reported. */
    static final double SATURATED = 0.5;

    /**
     * Fraction of ReLU units dead on the whole probe batch from which a layer is
     * reported.
     */
    static final double DEAD = 0.3;

    static final double VANISHING_GRADIENT = 1e-7;

    static final double EXPLODING_GRADIENT = 1e3;

    static final double LARGE_UPDATE = 1e-1;

    private Diagnoser() {
    }

    static List<String> warnings(EpochDiagnostics d) {
        List<String> warnings = new ArrayList<>();
        for (EpochDiagnostics.ActivationStats a : d.activations()) {
            if (a.saturatedFraction() != null && a.saturatedFraction() >= SATURATED) {
                warnings.add(String.format(Locale.ROOT,
                        "layer %d (%s) is %.0f%% saturated after epoch %d: try Xavier initialization or batch norm",
                        a.layer(), a.kind(), 100 * a.saturatedFraction(), d.epoch()));
            }
            if (a.deadFraction() != null && a.deadFraction() >= DEAD) {
                warnings.add(
                        String.format(Locale.ROOT,
                                "%.0f%% of layer %d's ReLUs are dead after epoch %d: try a lower learning rate, "
                                        + "He initialization or leaky_relu",
                                100 * a.deadFraction(), a.layer(), d.epoch()));
            }
        }
        for (EpochDiagnostics.ParameterStats p : d.parameters()) {
            if (!Double.isFinite(p.gradientNorm()) || p.gradientNorm() > EXPLODING_GRADIENT) {
                warnings.add(String.format(Locale.ROOT,
                        "the gradient of %s is exploding (norm %.3g) after epoch %d: try a lower learning rate, "
                                + "batch norm or weight decay",
                        p.name(), p.gradientNorm(), d.epoch()));
            }
            else if (p.name().endsWith("weight") && p.gradientNorm() < VANISHING_GRADIENT) {
                warnings
                    .add(String.format(Locale.ROOT,
                            "the gradient of %s is vanishing (norm %.3g) after epoch %d: try ReLU activations, "
                                    + "He or Xavier initialization, or batch norm",
                            p.name(), p.gradientNorm(), d.epoch()));
            }
            if (p.name().endsWith("weight") && p.updateRatio() > LARGE_UPDATE) {
                warnings.add(String.format(Locale.ROOT,
                        "updates of %s are %.2g of its weights after epoch %d (about 1e-3 works well): "
                                + "try a lower learning rate",
                        p.name(), p.updateRatio(), d.epoch()));
            }
        }
        return warnings;
    }

}
