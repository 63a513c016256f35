package dev.trainyard.training.internal;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import dev.trainyard.training.AugmentationConfig;
import dev.trainyard.training.InitConfig;
import dev.trainyard.training.OptimizerConfig;
import dev.trainyard.training.ScheduleConfig;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Discriminator;
import io.swagger.v3.oas.models.media.Schema;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * The discriminator mappings of the job spec's polymorphic members, read from their
 * {@link JsonSubTypes} so that the document names the values the API reads
 * ({@code "sgd"}, {@code "one_cycle"}). Without a mapping OpenAPI takes the schema name
 * ({@code SgdOptimizer}) as the value, and generated clients would send that.
 */
@Component
class DiscriminatorMappings implements OpenApiCustomizer {

    private static final String REF = "#/components/schemas/";

    static final List<Class<?>> POLYMORPHIC = List.of(OptimizerConfig.class, ScheduleConfig.class, InitConfig.class,
            AugmentationConfig.class);

    @Override
    @SuppressWarnings("rawtypes")
    public void customise(OpenAPI api) {
        Map<String, Schema> schemas = api.getComponents().getSchemas();
        for (Class<?> type : POLYMORPHIC) {
            Schema<?> schema = schemas.get(schemaName(type));
            if (schema == null || schema.getDiscriminator() == null) {
                continue;
            }
            Discriminator discriminator = schema.getDiscriminator();
            for (JsonSubTypes.Type subtype : type.getAnnotation(JsonSubTypes.class).value()) {
                discriminator.mapping(subtype.name(), REF + schemaName(subtype.value()));
            }
        }
    }

    /**
     * The name springdoc gives the class's schema: its {@code @Schema(name)}, else its
     * simple name.
     */
    static String schemaName(Class<?> type) {
        io.swagger.v3.oas.annotations.media.Schema annotation = type
            .getAnnotation(io.swagger.v3.oas.annotations.media.Schema.class);
        return (annotation != null && !annotation.name().isEmpty()) ? annotation.name() : type.getSimpleName();
    }

}
