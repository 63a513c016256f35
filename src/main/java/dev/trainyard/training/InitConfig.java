package dev.trainyard.training;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * How a weight layer's weights start; biases start at zero. Told apart by {@code method}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "method")
@JsonSubTypes({ @JsonSubTypes.Type(value = InitConfig.Zeros.class, name = "zeros"),
        @JsonSubTypes.Type(value = InitConfig.Constant.class, name = "constant"),
        @JsonSubTypes.Type(value = InitConfig.Normal.class, name = "normal"),
        @JsonSubTypes.Type(value = InitConfig.XavierNormal.class, name = "xavier_normal"),
        @JsonSubTypes.Type(value = InitConfig.XavierUniform.class, name = "xavier_uniform"),
        @JsonSubTypes.Type(value = InitConfig.HeNormal.class, name = "he_normal"),
        @JsonSubTypes.Type(value = InitConfig.HeUniform.class, name = "he_uniform") })
@Schema(description = "Initialization: zeros, constant (value), normal (std), xavier_normal and xavier_uniform "
        + "(fanMode in | avg), he_normal, he_uniform", discriminatorProperty = "method",
        oneOf = { InitConfig.Zeros.class, InitConfig.Constant.class, InitConfig.Normal.class,
                InitConfig.XavierNormal.class, InitConfig.XavierUniform.class, InitConfig.HeNormal.class,
                InitConfig.HeUniform.class })
public sealed interface InitConfig {

    default InitConfig withDefaults() {
        return this;
    }

    @Schema(name = "ZerosInit")
    record Zeros() implements InitConfig {
    }

    @Schema(name = "ConstantInit")
    record Constant(@Schema(defaultValue = "0") Double value) implements InitConfig {
        @Override
        public InitConfig withDefaults() {
            return new Constant(value != null ? value : 0.0);
        }
    }

    @Schema(name = "NormalInit", description = "N(0, std^2)")
    record Normal(@Schema(defaultValue = "0.01") Double std) implements InitConfig {
        @Override
        public InitConfig withDefaults() {
            return new Normal(std != null ? std : 0.01);
        }
    }

    @Schema(name = "XavierNormalInit", description = "Glorot and Bengio 2010; fanMode avg: Var = 2/(in+out), in: 1/in")
    record XavierNormal(@Schema(defaultValue = "avg") String fanMode) implements InitConfig {
        @Override
        public InitConfig withDefaults() {
            return new XavierNormal(fanMode != null ? fanMode : "avg");
        }
    }

    @Schema(name = "XavierUniformInit", description = "Glorot and Bengio 2010; fanMode avg: Var = 2/(in+out), in: 1/in")
    record XavierUniform(@Schema(defaultValue = "avg") String fanMode) implements InitConfig {
        @Override
        public InitConfig withDefaults() {
            return new XavierUniform(fanMode != null ? fanMode : "avg");
        }
    }

    @Schema(name = "HeNormalInit", description = "He et al. 2015: N(0, 2/fan_in)")
    record HeNormal() implements InitConfig {
    }

    @Schema(name = "HeUniformInit", description = "He et al. 2015: U(-a, a), a = sqrt(6/fan_in)")
    record HeUniform() implements InitConfig {
    }

}
