package dev.trainyard.engine.optim;

/**
 * AdamW (Loshchilov and Hutter, 2019, "Decoupled Weight Decay Regularization") exactly as
 * {@code torch.optim.AdamW}: the weights shrink by {@code 1 - lr * wd} before the Adam
 * step and the decay never enters the moment estimates.
 */
public final class AdamW extends Adam {

    public AdamW(float[] params, float[] grads, double learningRate, double beta1, double beta2, float eps,
            float weightDecay) {
        super(params, grads, learningRate, beta1, beta2, eps, weightDecay, true);
    }

    /** AdamW with torch's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
    public AdamW(float[] params, float[] grads, double learningRate) {
        this(params, grads, learningRate, 0.9, 0.999, 1e-8f, 0.01f);
    }

}
