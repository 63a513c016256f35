package dev.trainyard.engine.nn;

import dev.trainyard.engine.init.Initializer;

/**
 * What a layer is, independent of its input: the architecture as the job spec and model
 * files write it. {@link Sequential} turns a list of specs into layers once the input
 * shape is known. {@link #kind()} is the job spec's {@code type}. A weight layer's
 * {@code init} may be null: the model's default initializer applies.
 */
public sealed interface LayerSpec {

    String kind();

    /**
     * y = x W^T + b, W (units, in) like torch.nn.Linear; needs (F) input (put a Flatten
     * before it on images).
     */
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

    /**
     * (N, C, H, W) to (N, C*H*W), a view; explicit as in PyTorch, so layer indices match
     * nn.Sequential.
     */
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

    /**
     * 2-D convolution as torch.nn.Conv2d: weight (filters, C, kernel, kernel), bias
     * (filters), square kernel, zero padding; needs (C, H, W) input.
     */
    record Conv2d(int filters, int kernel, int stride, int padding, Initializer init) implements LayerSpec {
        public Conv2d {
            positive(filters, "conv2d filters");
            positive(kernel, "conv2d kernel");
            positive(stride, "conv2d stride");
            if (padding < 0) {
                throw new IllegalArgumentException("conv2d padding must be >= 0, got " + padding);
            }
        }

        /** Stride 1, no padding, the model's default init. */
        public Conv2d(int filters, int kernel) {
            this(filters, kernel, 1, 0, null);
        }

        @Override
        public String kind() {
            return "conv2d";
        }
    }

    /**
     * Max over size x size windows moved by stride (torch.nn.MaxPool2d, no padding, floor
     * mode).
     */
    record MaxPool(int size, int stride) implements LayerSpec {
        public MaxPool {
            positive(size, "max_pool size");
            positive(stride, "max_pool stride");
        }

        /** Stride = size, non-overlapping windows. */
        public MaxPool(int size) {
            this(size, size);
        }

        @Override
        public String kind() {
            return "max_pool";
        }
    }

    /**
     * Mean over size x size windows moved by stride (torch.nn.AvgPool2d, no padding,
     * floor mode).
     */
    record AvgPool(int size, int stride) implements LayerSpec {
        public AvgPool {
            positive(size, "avg_pool size");
            positive(stride, "avg_pool stride");
        }

        public AvgPool(int size) {
            this(size, size);
        }

        @Override
        public String kind() {
            return "avg_pool";
        }
    }

    /**
     * Batch normalization (Ioffe and Szegedy 2015) over features of (F) input or per
     * channel of (C, H, W) input, as torch.nn.BatchNorm1d/2d: momentum 0.1 and eps 1e-5
     * by default.
     */
    record BatchNorm(float momentum, float eps) implements LayerSpec {
        public static final float DEFAULT_MOMENTUM = 0.1f;

        public static final float DEFAULT_EPS = 1e-5f;

        public BatchNorm {
            if (!(momentum >= 0f && momentum <= 1f)) {
                throw new IllegalArgumentException("batch_norm momentum must be in [0, 1], got " + momentum);
            }
            if (!(eps > 0f)) {
                throw new IllegalArgumentException("batch_norm eps must be positive, got " + eps);
            }
        }

        public BatchNorm() {
            this(DEFAULT_MOMENTUM, DEFAULT_EPS);
        }

        @Override
        public String kind() {
            return "batch_norm";
        }
    }

    /**
     * How dropout keeps the expected activation: rescale in training (INVERTED) or at
     * test (VANILLA).
     */
    enum DropoutVariant {

        /**
         * Training: mask / (1 - rate); test: identity. The default, as torch.nn.Dropout.
         */
        INVERTED,
        /**
         * Training: mask only; test: outputs scaled by (1 - rate), as in Srivastava et
         * al. 2014.
         */
        VANILLA

    }

    /**
     * Dropout (Srivastava et al. 2014); {@code rate} is the probability of dropping a
     * unit, in [0, 1).
     */
    record Dropout(float rate, DropoutVariant variant) implements LayerSpec {
        public Dropout {
            if (!(rate >= 0f && rate < 1f)) {
                throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
            }
            if (variant == null) {
                variant = DropoutVariant.INVERTED;
            }
        }

        public Dropout(float rate) {
            this(rate, DropoutVariant.INVERTED);
        }

        @Override
        public String kind() {
            return "dropout";
        }
    }

    /**
     * DropBlock (Ghiasi et al. 2018) for (C, H, W) input: drops blockSize x blockSize
     * squares so that about {@code rate} of the units are dropped; the rate ramps
     * linearly from rate/rampEpochs in epoch 1 to {@code rate} in epoch rampEpochs (0: no
     * ramp).
     */
    record DropBlock(int blockSize, float rate, int rampEpochs) implements LayerSpec {
        public DropBlock {
            positive(blockSize, "drop_block blockSize");
            if (!(rate >= 0f && rate < 1f)) {
                throw new IllegalArgumentException("drop_block rate must be in [0, 1), got " + rate);
            }
            if (rampEpochs < 0) {
                throw new IllegalArgumentException("drop_block rampEpochs must be >= 0, got " + rampEpochs);
            }
        }

        @Override
        public String kind() {
            return "drop_block";
        }
    }

    private static void positive(int value, String what) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }

}
