package dev.trainyard.training;

import dev.trainyard.engine.nn.LayerSpec;
import dev.trainyard.engine.nn.LayerType;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * One layer of a job's model: {@code type} and its parameters as one flat JSON object,
 * e.g. {@code {"type": "conv2d", "filters": 32, "kernel": 3}}. The types, their
 * parameters, defaults and allowed values are the engine's layer vocabulary
 * ({@link LayerSpec#types()}); the OpenAPI document describes each type from it
 * ({@code LayerSchemas}). Parameters are JSON values, except {@code init}, which is an
 * {@link InitConfig}, and a residual's {@code layers}, which are LayerConfigs.
 * Conventions are PyTorch's: dropout {@code rate} is the probability of dropping; batch
 * norm momentum 0.1 and eps 1e-5.
 */
@JsonSerialize(using = LayerConfigJson.Writer.class)
@JsonDeserialize(using = LayerConfigJson.Reader.class)
@Schema(name = "LayerConfig")
public record LayerConfig(String type, Map<String, Object> parameters) {

    public LayerConfig {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * The layer with every omitted parameter replaced by its default; unknown types and
     * members are kept for validation to refuse.
     */
    public LayerConfig withDefaults() {
        LayerType<?> t = LayerSpec.type(type);
        Map<String, Object> filled = new LinkedHashMap<>(t == null ? parameters : t.withDefaults(parameters));
        filled.replaceAll((name, value) -> switch (value) {
            case InitConfig init -> init.withDefaults();
            case List<?> layers -> layers.stream().map(l -> l instanceof LayerConfig c ? c.withDefaults() : l).toList();
            case null, default -> value;
        });
        return new LayerConfig(type, filled);
    }

}
