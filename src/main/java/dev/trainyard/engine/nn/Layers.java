package dev.trainyard.engine.nn;

import dev.trainyard.engine.init.Initializer;
import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Shape;

/** Turns a spec into its layer for a given per-example input shape. */
final class Layers {

    private Layers() {
    }

    static Layer create(LayerSpec spec, Shape input, Initializer defaultInit, Rng rng) {
        return switch (spec) {
            case LayerSpec.Dense d -> new Dense(d, input, init(d.init(), defaultInit));
            case LayerSpec.Flatten f -> new Flatten(f, input);
            case LayerSpec.Relu r -> new ReLU(r, input);
            case LayerSpec.LeakyRelu r -> new LeakyReLU(r, input);
            case LayerSpec.Tanh t -> new Tanh(t, input);
            case LayerSpec.Sigmoid s -> new Sigmoid(s, input);
            case LayerSpec.Conv2d c -> new Conv2d(c, input, init(c.init(), defaultInit));
            case LayerSpec.MaxPool p -> new MaxPool2d(p, input);
            case LayerSpec.AvgPool p -> new AvgPool2d(p, input);
            case LayerSpec.BatchNorm b -> new BatchNorm(b, input);
            case LayerSpec.Dropout d -> new Dropout(d, input, rng);
            case LayerSpec.DropBlock d -> new DropBlock(d, input, rng);
        };
    }

    private static Initializer init(Initializer own, Initializer defaultInit) {
        if (own != null) {
            return own;
        }
        if (defaultInit == null) {
            throw new IllegalArgumentException("has no init and the model has no default initializer");
        }
        return defaultInit;
    }

}
