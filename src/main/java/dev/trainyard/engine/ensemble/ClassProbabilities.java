package dev.trainyard.engine.ensemble;

import dev.trainyard.engine.kernel.Softmax;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;

/**
 * A classifier's class probabilities: the softmax of its outputs (logits), in test mode,
 * or averaged over Monte Carlo dropout samples. Each call runs one forward pass over the
 * whole batch. The model's layers keep buffers, so one {@link Sequential} must not serve
 * two threads at once.
 */
public final class ClassProbabilities {

    private ClassProbabilities() {
    }

    /**
     * The mean probabilities (N, K) and, for Monte Carlo estimates, their standard
     * deviation.
     */
    public record Estimate(Tensor mean, Tensor std) {
    }

    /**
     * softmax(model(x)) (N, K) in test mode, for x (N, ...inputShape); a fresh tensor.
     */
    public static Tensor predict(Sequential model, Tensor x) {
        Tensor logits = model.forward(x, false);
        Tensor p = Tensor.zeros(logits.shape());
        Softmax.softmax(logits, p);
        return p;
    }

    /**
     * E_z[softmax(f(x, z))] estimated with {@code samples} stochastic passes (Gal and
     * Ghahramani 2016): the batch is repeated {@code samples} times and run as ONE
     * forward pass with dropout active and batch norm in test mode
     * ({@link Sequential#forwardMonteCarlo}); masks come from the model's generator,
     * reset to {@code seed} first, so a seed gives the same estimate. The std is the
     * population standard deviation over the samples, per example and class.
     */
    public static Estimate monteCarlo(Sequential model, Tensor x, int samples, long seed) {
        if (samples < 1) {
            throw new IllegalArgumentException("Monte Carlo dropout needs at least 1 sample, got " + samples);
        }
        int n = x.dim(0);
        Shape example = x.shape().dropFirst();
        int width = example.size();
        // xs (samples * N, ...example): sample s holds rows [s*N, (s+1)*N)
        Tensor xs = Tensor.zeros(example.withBatch(samples * n));
        for (int s = 0; s < samples; s++) {
            System.arraycopy(x.data(), x.offset(), xs.data(), s * n * width, n * width);
        }
        model.rng().setState(Rng.forStream(seed, 1).state());
        Tensor logits = model.forwardMonteCarlo(xs);
        Tensor p = Tensor.zeros(logits.shape());
        Softmax.softmax(logits, p);
        int k = p.shape().sizeFrom(1);
        Tensor mean = Tensor.zeros(n, k);
        Tensor std = Tensor.zeros(n, k);
        float[] pd = p.data();
        for (int i = 0; i < n * k; i++) {
            double sum = 0;
            for (int s = 0; s < samples; s++) {
                sum += pd[s * n * k + i];
            }
            double mu = sum / samples;
            double sq = 0;
            for (int s = 0; s < samples; s++) {
                double d = pd[s * n * k + i] - mu;
                sq += d * d;
            }
            mean.data()[i] = (float) mu;
            std.data()[i] = (float) Math.sqrt(sq / samples);
        }
        return new Estimate(mean, std);
    }

}
