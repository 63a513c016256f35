package dev.trainyard.engine.nn;

import static dev.trainyard.engine.nn.LayerParameter.bool;
import static dev.trainyard.engine.nn.LayerParameter.choice;
import static dev.trainyard.engine.nn.LayerParameter.integer;
import static dev.trainyard.engine.nn.LayerParameter.number;

import dev.trainyard.engine.init.Initializer;
import java.util.List;
import java.util.Map;

/**
 * The layer vocabulary: what a layer is, independent of its input, as job specs, model
 * imports and model files write it. Each record carries its {@link LayerType} (name,
 * parameters with defaults and allowed values, ONNX operator, how to build the layer),
 * and {@link #types()} lists them all; adding a layer type means adding its record here
 * and its layer class. {@link Sequential} turns a list of specs into layers once the
 * input shape is known. A weight layer's {@code init} may be null: the model's default
 * initializer applies. Constructors throw {@link InvalidLayerException} naming the
 * parameter at fault.
 */
public sealed interface LayerSpec {

    /** Every layer type, in the order the API documents them. */
    static List<LayerType<?>> types() {
        return Vocabulary.TYPES;
    }

    /** The type named {@code name} (the job spec's {@code type}), or null. */
    static LayerType<?> type(String name) {
        return Vocabulary.TYPES.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
    }

    /** This spec's type. */
    default LayerType<?> type() {
        return Vocabulary.TYPES.stream().filter(t -> t.specClass() == getClass()).findFirst().orElseThrow();
    }

    /** The job spec's {@code type}: {@code dense}, {@code batch_norm}, ... */
    default String kind() {
        return type().name();
    }

    /**
     * y = x W^T + b, W (units, in) like torch.nn.Linear; needs (F) input (put a Flatten
     * before it on images).
     */
    record Dense(int units, Initializer init) implements LayerSpec {
        static final LayerType<Dense> TYPE = new LayerType<>("dense", Dense.class,
                "Fully connected: y = x W^T + b; needs flat (F) input", "Gemm",
                (s, in, init, rng) -> new dev.trainyard.engine.nn.Dense(s, in, LayerType.init(s.init(), init)),
                integer("units", 1, 1 << 20), LayerParameter.init());

        public Dense {
            TYPE.check(units, init);
        }

        public Dense(int units) {
            this(units, null);
        }
    }

    /**
     * 2-D convolution as torch.nn.Conv2d: weight (filters, C, kernel, kernel), bias
     * (filters) unless {@code bias} is false (as {@code bias=False}, for a convolution
     * that a batch norm follows), square kernel, symmetric zero padding; needs (C, H, W)
     * input. Job specs and imports may write padding {@code "same"}, as Keras: with an
     * odd kernel it resolves to (kernel - 1) / 2, so the output keeps the input's size at
     * stride 1 and is ceil(H / stride) at stride s; the record holds the resolved
     * integer.
     */
    record Conv2d(int filters, int kernel, int stride, int padding, boolean bias,
            Initializer init) implements LayerSpec {

        static final LayerType<Conv2d> TYPE = new LayerType<>("conv2d", Conv2d.class,
                "2-D convolution over (C, H, W) input, square kernel, zero padding", "Conv",
                (s, in, init, rng) -> new dev.trainyard.engine.nn.Conv2d(s, in, LayerType.init(s.init(), init)),
                integer("filters", 1, 1 << 16), integer("kernel", 1, 1024), integer("stride", 1, 1024).withDefault(1),
                integer("padding", 0, 1024).withDefault(0)
                    .orWord("same", Conv2d::samePadding)
                    .describedAs("Zero padding on each side, or \"same\" (odd kernel only): (kernel - 1) / 2,"
                            + " so the output is ceil(H / stride) by ceil(W / stride)"),
                bool("bias").withDefault(true).describedAs("Whether the layer adds a learned bias per filter"),
                LayerParameter.init());

        public Conv2d {
            TYPE.check(filters, kernel, stride, padding, bias, init);
        }

        /** With a bias. */
        public Conv2d(int filters, int kernel, int stride, int padding, Initializer init) {
            this(filters, kernel, stride, padding, true, init);
        }

        /** Stride 1, no padding, a bias, the model's default init. */
        public Conv2d(int filters, int kernel) {
            this(filters, kernel, 1, 0, null);
        }

        /**
         * Padding "same" as symmetric zero padding: exact only for an odd kernel, where
         * floor((H + k - 1 - k) / s) + 1 = ceil(H / s).
         */
        private static int samePadding(String word, Map<String, ?> values) {
            if (!(values.get("kernel") instanceof Number k)) {
                return 0;
            }
            if (k.longValue() % 2 == 0) {
                throw new IllegalArgumentException("padding same needs an odd kernel, got kernel " + k.longValue());
            }
            return (int) ((k.longValue() - 1) / 2);
        }
    }

    /**
     * Max over size x size windows moved by stride (torch.nn.MaxPool2d, no padding, floor
     * mode).
     */
    record MaxPool(int size, int stride) implements LayerSpec {
        static final LayerType<MaxPool> TYPE = new LayerType<>("max_pool", MaxPool.class,
                "Maximum over size x size windows of (C, H, W) input", "MaxPool",
                (s, in, init, rng) -> new MaxPool2d(s, in), integer("size", 1, 1024).withDefault(2),
                integer("stride", 1, 1024).defaultingTo("size").describedAs("Default: size (windows do not overlap)"));

        public MaxPool {
            TYPE.check(size, stride);
        }

        /** Stride = size, non-overlapping windows. */
        public MaxPool(int size) {
            this(size, size);
        }
    }

    /**
     * Mean over size x size windows moved by stride (torch.nn.AvgPool2d, no padding,
     * floor mode).
     */
    record AvgPool(int size, int stride) implements LayerSpec {
        static final LayerType<AvgPool> TYPE = new LayerType<>("avg_pool", AvgPool.class,
                "Mean over size x size windows of (C, H, W) input", "AveragePool",
                (s, in, init, rng) -> new AvgPool2d(s, in), integer("size", 1, 1024).withDefault(2),
                integer("stride", 1, 1024).defaultingTo("size").describedAs("Default: size (windows do not overlap)"));

        public AvgPool {
            TYPE.check(size, stride);
        }

        public AvgPool(int size) {
            this(size, size);
        }
    }

    /**
     * Mean over each channel's whole H x W plane: (N, C, H, W) to (N, C), as
     * torch.nn.AdaptiveAvgPool2d(1) followed by torch.nn.Flatten(), so a dense layer can
     * follow directly.
     */
    record GlobalAvgPool() implements LayerSpec {
        static final LayerType<GlobalAvgPool> TYPE = new LayerType<>("global_avg_pool", GlobalAvgPool.class,
                "Mean over each channel's H x W plane of (C, H, W) input; outputs (C)", "GlobalAveragePool",
                (s, in, init, rng) -> new GlobalAvgPool2d(s, in));

    }

    /**
     * (N, C, H, W) to (N, C*H*W), a view; explicit as in PyTorch, so layer indices match
     * nn.Sequential.
     */
    record Flatten() implements LayerSpec {
        static final LayerType<Flatten> TYPE = new LayerType<>("flatten", Flatten.class, "(C, H, W) to (C*H*W)",
                "Flatten", (s, in, init, rng) -> new dev.trainyard.engine.nn.Flatten(s, in));

    }

    record Relu() implements LayerSpec {
        static final LayerType<Relu> TYPE = new LayerType<>("relu", Relu.class, null, "Relu",
                (s, in, init, rng) -> new ReLU(s, in));

    }

    /** y = x for x > 0, slope * x otherwise (torch's default slope is 0.01). */
    record LeakyRelu(float slope) implements LayerSpec {
        static final LayerType<LeakyRelu> TYPE = new LayerType<>("leaky_relu", LeakyRelu.class,
                "y = x for x > 0, slope * x otherwise", "LeakyRelu", (s, in, init, rng) -> new LeakyReLU(s, in),
                number("slope", Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false).withDefault(0.01));

        public LeakyRelu {
            TYPE.check(slope);
        }

        public LeakyRelu() {
            this(TYPE.defaultFloat("slope"));
        }
    }

    record Tanh() implements LayerSpec {
        static final LayerType<Tanh> TYPE = new LayerType<>("tanh", Tanh.class, null, "Tanh",
                (s, in, init, rng) -> new dev.trainyard.engine.nn.Tanh(s, in));

    }

    record Sigmoid() implements LayerSpec {
        static final LayerType<Sigmoid> TYPE = new LayerType<>("sigmoid", Sigmoid.class, null, "Sigmoid",
                (s, in, init, rng) -> new dev.trainyard.engine.nn.Sigmoid(s, in));

    }

    /**
     * Batch normalization (Ioffe and Szegedy 2015) over features of (F) input or per
     * channel of (C, H, W) input, as torch.nn.BatchNorm1d/2d: momentum 0.1 and eps 1e-5
     * by default.
     */
    record BatchNorm(float momentum, float eps) implements LayerSpec {
        static final LayerType<BatchNorm> TYPE = new LayerType<>("batch_norm", BatchNorm.class,
                "Batch normalization per feature, or per channel of images", "BatchNormalization",
                (s, in, init, rng) -> new dev.trainyard.engine.nn.BatchNorm(s, in),
                number("momentum", 0, true, 1, true).withDefault(0.1),
                number("eps", 0, false, 1, false).withDefault(1e-5));

        public BatchNorm {
            TYPE.check(momentum, eps);
        }

        public BatchNorm() {
            this(TYPE.defaultFloat("momentum"), TYPE.defaultFloat("eps"));
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
     * unit, in [0, 1). Exported as the identity, vanilla dropout as a Mul by 1 - rate.
     */
    record Dropout(float rate, DropoutVariant variant) implements LayerSpec {
        static final LayerType<Dropout> TYPE = new LayerType<>("dropout", Dropout.class,
                "Drops each unit with probability rate while training", null,
                (s, in, init, rng) -> new dev.trainyard.engine.nn.Dropout(s, in, rng),
                number("rate", 0, true, 1, false).withDefault(0.5).describedAs("Probability of dropping, in [0, 1)"),
                choice("variant", "inverted", "vanilla").withDefault("inverted")
                    .describedAs("inverted (scale while training, as PyTorch) or vanilla (scale at test time)"));

        public Dropout {
            if (variant == null) {
                variant = DropoutVariant.INVERTED;
            }
            TYPE.check(rate, variant);
        }

        public Dropout(float rate) {
            this(rate, DropoutVariant.INVERTED);
        }
    }

    /**
     * DropBlock (Ghiasi et al. 2018) for (C, H, W) input: drops blockSize x blockSize
     * squares so that about {@code rate} of the units are dropped; the rate ramps
     * linearly from rate/rampEpochs in epoch 1 to {@code rate} in epoch rampEpochs (0: no
     * ramp). Exported as the identity.
     */
    record DropBlock(int blockSize, float rate, int rampEpochs) implements LayerSpec {

        static final LayerType<DropBlock> TYPE = new LayerType<>("drop_block", DropBlock.class,
                "Drops blockSize x blockSize squares of (C, H, W) input", null,
                (s, in, init, rng) -> new dev.trainyard.engine.nn.DropBlock(s, in, rng),
                integer("blockSize", 1, 1024).withDefault(3),
                number("rate", 0, true, 1, false).withDefault(0.1).describedAs("Fraction of units dropped, in [0, 1)"),
                integer("rampEpochs", 0, 100_000).withDefault(0)
                    .describedAs("Epochs over which the rate ramps up linearly; 0 for none"));

        public DropBlock {
            TYPE.check(blockSize, rate, rampEpochs);
        }
    }

    /**
     * How a residual's shortcut meets its body's output: AUTO is the identity where the
     * body keeps the input's shape, else a projection (a bias-less 1x1 convolution
     * strided to the body's output size, then batch norm: He et al. 2016's option B).
     */
    enum Projection {

        AUTO

    }

    /**
     * A residual block (He et al. 2016): y = body(x) + shortcut(x), body the sub-layers
     * in order, shortcut the identity or a projection ({@link Projection}); as a PyTorch
     * module holding {@code body} and {@code shortcut} nn.Sequentials, so its tensors are
     * named {@code body.0.weight}, {@code shortcut.1.running_mean}, ... The activation
     * after the sum is the next layer. Sub-layers cannot be residuals themselves.
     */
    record Residual(List<LayerSpec> layers, Projection projection) implements LayerSpec {

        /** Sub-layers a residual may hold. */
        public static final int MAX_LAYERS = 32;

        static final LayerType<Residual> TYPE = new LayerType<>("residual", Residual.class,
                "y = body(x) + shortcut(x): body the sub-layers in order, shortcut the identity or a 1x1 conv"
                        + " and batch norm where the body changes the shape",
                "Add", (s, in, init, rng) -> new dev.trainyard.engine.nn.Residual(s, in, init, rng),
                LayerParameter.layers("layers", 1, MAX_LAYERS).describedAs("The body's layers, in order"),
                choice("projection", "auto").withDefault("auto")
                    .describedAs("auto: the identity where the body keeps the input's shape, else a bias-less 1x1"
                            + " convolution (stride: the input's size over the output's) and batch norm"));

        public Residual {
            if (projection == null) {
                projection = Projection.AUTO;
            }
            TYPE.check(layers, projection);
            layers = List.copyOf(layers);
            for (int j = 0; j < layers.size(); j++) {
                if (layers.get(j) instanceof Residual) {
                    throw InvalidLayerException.within("layers", j,
                            new InvalidLayerException("type", "a residual's layers cannot hold another residual"));
                }
            }
        }

        public Residual(List<LayerSpec> layers) {
            this(layers, Projection.AUTO);
        }
    }

    /**
     * Holds the list apart from the interface, so that loading a record (which loads this
     * interface) does not need every other record loaded first.
     */
    final class Vocabulary {

        static final List<LayerType<?>> TYPES = List.of(Dense.TYPE, Conv2d.TYPE, MaxPool.TYPE, AvgPool.TYPE,
                GlobalAvgPool.TYPE, Flatten.TYPE, Relu.TYPE, LeakyRelu.TYPE, Tanh.TYPE, Sigmoid.TYPE, BatchNorm.TYPE,
                Dropout.TYPE, DropBlock.TYPE, Residual.TYPE);

        private Vocabulary() {
        }

    }

}
