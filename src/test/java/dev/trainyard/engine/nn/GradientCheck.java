package dev.trainyard.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Tensor;

/**
 * Central finite differences on the scalar L = sum(forward(x) * r) for a fixed random r,
 * whose analytic gradient is backward(r). Checks dInput and every parameter gradient of a
 * model.
 */
final class GradientCheck {

    private final Sequential model;

    private final Tensor x;

    private final Tensor r;

    private final Runnable beforeForward;

    private final float eps;

    private final double tolerance;

    GradientCheck(Sequential model, Tensor x, long seed, Runnable beforeForward, float eps, double tolerance) {
        this.model = model;
        this.x = x;
        this.beforeForward = beforeForward;
        this.eps = eps;
        this.tolerance = tolerance;
        Tensor y0 = forward();
        this.r = Tensor.zeros(y0.shape());
        Rng rng = new Rng(seed);
        for (int i = 0; i < r.size(); i++) {
            r.data()[i] = (float) rng.nextGaussian();
        }
    }

    static GradientCheck of(Sequential model, Tensor x) {
        return new GradientCheck(model, x, 99, () -> {
        }, 1e-3f, 2e-2);
    }

    private Tensor forward() {
        beforeForward.run();
        return model.forward(x, true);
    }

    private double loss() {
        Tensor y = forward();
        double s = 0;
        for (int i = 0; i < y.size(); i++) {
            s += (double) y.data()[y.offset() + i] * r.data()[i];
        }
        return s;
    }

    /**
     * Runs forward and backward once and checks every analytic gradient against finite
     * differences.
     */
    void verify() {
        model.setInputGradientNeeded(true);
        model.zeroGrad();
        forward();
        Tensor dx = model.backward(r).copy();
        float[] grads = model.gradientData().clone();
        compare("dInput", x.data(), x.offset(), dx.data(), 0, x.size());
        for (Parameter p : model.parameters()) {
            compare("d" + p.name(), model.parameterData(), p.offset(), grads, p.offset(), p.size());
        }
    }

    private void compare(String what, float[] values, int offset, float[] analytic, int aOffset, int n) {
        int step = Math.max(1, n / 40); // probe up to ~40 entries per tensor
        int probed = 0;
        int kinks = 0;
        double center = loss();
        for (int i = 0; i < n; i += step) {
            float saved = values[offset + i];
            values[offset + i] = saved + eps;
            double plus = loss();
            values[offset + i] = saved - eps;
            double minus = loss();
            values[offset + i] = saved;
            double numeric = (plus - minus) / (2 * eps);
            double scale = tolerance * Math.max(1.0, Math.abs(numeric));
            probed++;
            // a ReLU or max-pool kink inside [-eps, eps]: the one-sided slopes disagree,
            // skip it
            if (Math.abs((plus - center) / eps - (center - minus) / eps) > 2 * scale) {
                kinks++;
                continue;
            }
            double a = analytic[aOffset + i];
            assertThat(Math.abs(a - numeric)).as("%s[%d]: analytic %s vs numeric %s", what, i, a, numeric)
                .isLessThanOrEqualTo(scale);
        }
        assertThat(kinks).as("%s: entries skipped at kinks", what).isLessThanOrEqualTo(probed / 4);
    }

    static Tensor randomInput(long seed, int... dims) {
        Tensor t = Tensor.zeros(dims);
        Rng rng = new Rng(seed);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) rng.nextGaussian();
        }
        return t;
    }

}
