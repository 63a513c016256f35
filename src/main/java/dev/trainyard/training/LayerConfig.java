package dev.trainyard.training;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.swagger.v3.oas.annotations.media.DiscriminatorMapping;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One layer of a job's model, told apart by {@code type}. Conventions are PyTorch's:
 * dropout {@code rate} is the probability of dropping; batch norm momentum 0.1 and eps
 * 1e-5.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = LayerConfig.Dense.class, name = "dense"),
        @JsonSubTypes.Type(value = LayerConfig.Conv2d.class, name = "conv2d"),
        @JsonSubTypes.Type(value = LayerConfig.MaxPool.class, name = "max_pool"),
        @JsonSubTypes.Type(value = LayerConfig.AvgPool.class, name = "avg_pool"),
        @JsonSubTypes.Type(value = LayerConfig.Flatten.class, name = "flatten"),
        @JsonSubTypes.Type(value = LayerConfig.Relu.class, name = "relu"),
        @JsonSubTypes.Type(value = LayerConfig.LeakyRelu.class, name = "leaky_relu"),
        @JsonSubTypes.Type(value = LayerConfig.Tanh.class, name = "tanh"),
        @JsonSubTypes.Type(value = LayerConfig.Sigmoid.class, name = "sigmoid"),
        @JsonSubTypes.Type(value = LayerConfig.BatchNorm.class, name = "batch_norm"),
        @JsonSubTypes.Type(value = LayerConfig.Dropout.class, name = "dropout"),
        @JsonSubTypes.Type(value = LayerConfig.DropBlock.class, name = "drop_block") })
@Schema(description = "A layer; `type` says which", discriminatorProperty = "type",
        discriminatorMapping = { @DiscriminatorMapping(value = "dense", schema = LayerConfig.Dense.class),
                @DiscriminatorMapping(value = "conv2d", schema = LayerConfig.Conv2d.class),
                @DiscriminatorMapping(value = "max_pool", schema = LayerConfig.MaxPool.class),
                @DiscriminatorMapping(value = "avg_pool", schema = LayerConfig.AvgPool.class),
                @DiscriminatorMapping(value = "flatten", schema = LayerConfig.Flatten.class),
                @DiscriminatorMapping(value = "relu", schema = LayerConfig.Relu.class),
                @DiscriminatorMapping(value = "leaky_relu", schema = LayerConfig.LeakyRelu.class),
                @DiscriminatorMapping(value = "tanh", schema = LayerConfig.Tanh.class),
                @DiscriminatorMapping(value = "sigmoid", schema = LayerConfig.Sigmoid.class),
                @DiscriminatorMapping(value = "batch_norm", schema = LayerConfig.BatchNorm.class),
                @DiscriminatorMapping(value = "dropout", schema = LayerConfig.Dropout.class),
                @DiscriminatorMapping(value = "drop_block", schema = LayerConfig.DropBlock.class) },
        oneOf = { LayerConfig.Dense.class, LayerConfig.Conv2d.class, LayerConfig.MaxPool.class,
                LayerConfig.AvgPool.class, LayerConfig.Flatten.class, LayerConfig.Relu.class,
                LayerConfig.LeakyRelu.class, LayerConfig.Tanh.class, LayerConfig.Sigmoid.class,
                LayerConfig.BatchNorm.class, LayerConfig.Dropout.class, LayerConfig.DropBlock.class })
public sealed interface LayerConfig {

    /** The layer with every omitted member replaced by its default. */
    default LayerConfig withDefaults() {
        return this;
    }

    @Schema(name = "DenseLayer", description = "Fully connected: y = x W^T + b; needs flat (F) input")
    record Dense(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) Integer units,
            @Schema(description = "Overrides the model's init") InitConfig init) implements LayerConfig {
        @Override
        public LayerConfig withDefaults() {
            return new Dense(units, init == null ? null : init.withDefaults());
        }
    }

    @Schema(name = "Conv2dLayer", description = "2-D convolution over (C, H, W) input, square kernel, zero padding")
    record Conv2d(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) Integer filters,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Integer kernel,
            @Schema(defaultValue = "1") Integer stride, @Schema(defaultValue = "0") Integer padding,
            @Schema(description = "Overrides the model's init") InitConfig init) implements LayerConfig {
        @Override
        public LayerConfig withDefaults() {
            return new Conv2d(filters, kernel, stride != null ? stride : 1, padding != null ? padding : 0,
                    init == null ? null : init.withDefaults());
        }
    }

    @Schema(name = "MaxPoolLayer", description = "Maximum over size x size windows of (C, H, W) input")
    record MaxPool(@Schema(defaultValue = "2") Integer size,
            @Schema(description = "Default: size (windows do not overlap)") Integer stride) implements LayerConfig {
        @Override
        public LayerConfig withDefaults() {
            int s = size != null ? size : 2;
            return new MaxPool(s, stride != null ? stride : s);
        }
    }

    @Schema(name = "AvgPoolLayer", description = "Mean over size x size windows of (C, H, W) input")
    record AvgPool(@Schema(defaultValue = "2") Integer size,
            @Schema(description = "Default: size (windows do not overlap)") Integer stride) implements LayerConfig {
        @Override
        public LayerConfig withDefaults() {
            int s = size != null ? size : 2;
            return new AvgPool(s, stride != null ? stride : s);
        }
    }

    @Schema(name = "FlattenLayer", description = "(C, H, W) to (C*H*W)")
    record Flatten() implements LayerConfig {
    }

    @Schema(name = "ReluLayer")
    record Relu() implements LayerConfig {
    }

    @Schema(name = "LeakyReluLayer", description = "y = x for x > 0, slope * x otherwise")
    record LeakyRelu(@Schema(defaultValue = "0.01") Double slope) implements LayerConfig {
        @Override
        public LayerConfig withDefaults() {
            return new LeakyRelu(slope != null ? slope : 0.01);
        }
    }

    @Schema(name = "TanhLayer")
    record Tanh() implements LayerConfig {
    }

    @Schema(name = "SigmoidLayer")
    record Sigmoid() implements LayerConfig {
    }

    @Schema(name = "BatchNormLayer", description = "Batch normalization per feature, or per channel of images")
    record BatchNorm(@Schema(defaultValue = "0.1") Double momentum,
            @Schema(defaultValue = "0.00001") Double eps) implements LayerConfig {
        @Override
        public LayerConfig withDefaults() {
            return new BatchNorm(momentum != null ? momentum : 0.1, eps != null ? eps : 1e-5);
        }
    }

    @Schema(name = "DropoutLayer", description = "Drops each unit with probability rate while training")
    record Dropout(@Schema(description = "Probability of dropping, in [0, 1)", defaultValue = "0.5") Double rate,
            @Schema(description = "inverted (scale while training, as PyTorch) or vanilla (scale at test time)",
                    defaultValue = "inverted") String variant)
            implements
                LayerConfig {
        @Override
        public LayerConfig withDefaults() {
            return new Dropout(rate != null ? rate : 0.5, variant != null ? variant : "inverted");
        }
    }

    @Schema(name = "DropBlockLayer", description = "Drops blockSize x blockSize squares of (C, H, W) input")
    record DropBlock(@Schema(defaultValue = "3") Integer blockSize,
            @Schema(description = "Fraction of units dropped, in [0, 1)", defaultValue = "0.1") Double rate,
            @Schema(description = "Epochs over which the rate ramps up linearly; 0 for none",
                    defaultValue = "0") Integer rampEpochs)
            implements
                LayerConfig {
        @Override
        public LayerConfig withDefaults() {
            return new DropBlock(blockSize != null ? blockSize : 3, rate != null ? rate : 0.1,
                    rampEpochs != null ? rampEpochs : 0);
        }
    }

}
