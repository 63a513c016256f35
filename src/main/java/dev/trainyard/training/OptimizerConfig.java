package dev.trainyard.training;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The optimizer, told apart by {@code type}; each behaves as its torch.optim namesake.
 * {@code decayBiasAndNorm: false} gives parameters of rank 1 or less (every bias, batch
 * norm's weight and bias) no weight decay, as torch's two parameter groups
 * {@code [{weights, weight_decay: wd}, {the rest, weight_decay: 0}]} do.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = OptimizerConfig.Sgd.class, name = "sgd"),
        @JsonSubTypes.Type(value = OptimizerConfig.Adam.class, name = "adam"),
        @JsonSubTypes.Type(value = OptimizerConfig.AdamW.class, name = "adamw") })
@Schema(description = "sgd, adam or adamw", discriminatorProperty = "type",
        oneOf = { OptimizerConfig.Sgd.class, OptimizerConfig.Adam.class, OptimizerConfig.AdamW.class })
public sealed interface OptimizerConfig {

    OptimizerConfig withDefaults();

    Double learningRate();

    /** This optimizer with another learning rate. */
    OptimizerConfig withLearningRate(double learningRate);

    /**
     * Whether parameters of rank 1 or less (biases, batch norm's weight and bias) get the
     * weight decay too.
     */
    Boolean decayBiasAndNorm();

    String DECAY_BIAS_AND_NORM = "Weight decay on parameters of rank <= 1 (biases, batch norm's weight and bias) "
            + "too; false decays weight matrices and kernels only";

    @Schema(name = "SgdOptimizer", description = "SGD with momentum (dampening 0), optional Nesterov, L2 decay")
    record Sgd(@Schema(defaultValue = "0.01") Double learningRate, @Schema(defaultValue = "0.9") Double momentum,
            @Schema(defaultValue = "false") Boolean nesterov, @Schema(defaultValue = "0") Double weightDecay,
            @Schema(description = DECAY_BIAS_AND_NORM, defaultValue = "true") Boolean decayBiasAndNorm,
            @Schema(description = "false: the decay is added to the gradient (L2, torch's SGD); true: the weights "
                    + "shrink by 1 - learningRate * weightDecay before each step, apart from the momentum (SGDW, "
                    + "Loshchilov and Hutter 2019)", defaultValue = "false") Boolean decoupledWeightDecay)
            implements
                OptimizerConfig {

        /** Torch's SGD: decay on every parameter, added to the gradient. */
        public Sgd(Double learningRate, Double momentum, Boolean nesterov, Double weightDecay) {
            this(learningRate, momentum, nesterov, weightDecay, null, null);
        }

        @Override
        public OptimizerConfig withDefaults() {
            return new Sgd(learningRate != null ? learningRate : 0.01, momentum != null ? momentum : 0.9,
                    nesterov != null && nesterov, weightDecay != null ? weightDecay : 0.0,
                    decayBiasAndNorm == null || decayBiasAndNorm, decoupledWeightDecay != null && decoupledWeightDecay);
        }

        @Override
        public OptimizerConfig withLearningRate(double learningRate) {
            return new Sgd(learningRate, momentum, nesterov, weightDecay, decayBiasAndNorm, decoupledWeightDecay);
        }
    }

    @Schema(name = "AdamOptimizer", description = "Adam (Kingma and Ba 2015), weight decay added to the gradient")
    record Adam(@Schema(defaultValue = "0.001") Double learningRate, @Schema(defaultValue = "0.9") Double beta1,
            @Schema(defaultValue = "0.999") Double beta2, @Schema(defaultValue = "1e-8") Double eps,
            @Schema(defaultValue = "0") Double weightDecay,
            @Schema(description = DECAY_BIAS_AND_NORM, defaultValue = "true") Boolean decayBiasAndNorm)
            implements
                OptimizerConfig {
        @Override
        public OptimizerConfig withDefaults() {
            return new Adam(learningRate != null ? learningRate : 0.001, beta1 != null ? beta1 : 0.9,
                    beta2 != null ? beta2 : 0.999, eps != null ? eps : 1e-8, weightDecay != null ? weightDecay : 0.0,
                    decayBiasAndNorm == null || decayBiasAndNorm);
        }

        @Override
        public OptimizerConfig withLearningRate(double learningRate) {
            return new Adam(learningRate, beta1, beta2, eps, weightDecay, decayBiasAndNorm);
        }
    }

    @Schema(name = "AdamWOptimizer", description = "AdamW (Loshchilov and Hutter 2019), decoupled weight decay")
    record AdamW(@Schema(defaultValue = "0.001") Double learningRate, @Schema(defaultValue = "0.9") Double beta1,
            @Schema(defaultValue = "0.999") Double beta2, @Schema(defaultValue = "1e-8") Double eps,
            @Schema(defaultValue = "0.01") Double weightDecay,
            @Schema(description = DECAY_BIAS_AND_NORM, defaultValue = "true") Boolean decayBiasAndNorm)
            implements
                OptimizerConfig {
        @Override
        public OptimizerConfig withDefaults() {
            return new AdamW(learningRate != null ? learningRate : 0.001, beta1 != null ? beta1 : 0.9,
                    beta2 != null ? beta2 : 0.999, eps != null ? eps : 1e-8, weightDecay != null ? weightDecay : 0.01,
                    decayBiasAndNorm == null || decayBiasAndNorm);
        }

        @Override
        public OptimizerConfig withLearningRate(double learningRate) {
            return new AdamW(learningRate, beta1, beta2, eps, weightDecay, decayBiasAndNorm);
        }
    }

}
