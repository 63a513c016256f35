package dev.trainyard.engine.nn;

import dev.trainyard.engine.init.Initializer;

/**
 * What a layer is, independent of its input: the architecture as the job spec and model files
 * write it. {@link Sequential} turns a list of specs into layers once the input shape is known.
 * {@link #kind()} is the job spec's {@code type}. A weight layer's {@code init} may be null: the
 * model's default initializer applies.
 */
public sealed interface LayerSpec {

    String kind();

    /** y = x W^T + b, W (units, in) like torch.nn.Linear; needs (F) input (put a Flatten before it on images). */
    record Dense(int units, Initializer init) implements LayerSpec {
        public Dense {
            positive(units, "dense units");
        }

        public Dense(int units) {
            this(units, null);
        }

        @Override
        public String kind() {
            return "dense";
        }
    }

    /** (N, C, H, W) to (N, C*H*W), a view; explicit as in PyTorch, so layer indices match nn.Sequential. */
    record Flatten() implements LayerSpec {
        @Override
        public String kind() {
            return "flatten";
        }
    }

    record Relu() implements LayerSpec {
        @Override
        public String kind() {
            return "relu";
        }
    }

    /** y = x for x > 0, slope * x otherwise (torch's default slope is 0.01). */
    record LeakyRelu(float slope) implements LayerSpec {
        public static final float DEFAULT_SLOPE = 0.01f;

        public LeakyRelu() {
            this(DEFAULT_SLOPE);
        }

        @Override
        public String kind() {
            return "leaky_relu";
        }
    }

    record Tanh() implements LayerSpec {
        @Override
        public String kind() {
            return "tanh";
        }
    }

    record Sigmoid() implements LayerSpec {
        @Override
        public String kind() {
            return "sigmoid";
        }
    }

    private static void positive(int value, String what) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }
}
