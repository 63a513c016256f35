package dev.trainyard.training.internal;

import dev.trainyard.engine.nn.LayerParameter;
import dev.trainyard.engine.nn.LayerSpec;
import dev.trainyard.engine.nn.LayerType;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Discriminator;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.Schema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * The OpenAPI schemas of the job spec's layers, written from the layer vocabulary
 * ({@link LayerSpec#types()}): {@code LayerConfig}, a {@code oneOf} told apart by
 * {@code type}, and per type a schema such as {@code Conv2dLayer} with every parameter's
 * kind, default and description.
 */
@Component
class LayerSchemas implements OpenApiCustomizer {

    private static final String REF = "#/components/schemas/";

    @Override
    public void customise(OpenAPI api) {
        Map<String, Schema> schemas = api.getComponents().getSchemas();
        Discriminator discriminator = new Discriminator().propertyName("type");
        List<Schema> oneOf = new ArrayList<>();
        for (LayerType<?> type : LayerSpec.types()) {
            String name = schemaName(type);
            schemas.put(name, schema(type));
            discriminator.mapping(type.name(), REF + name);
            oneOf.add(new JsonSchema().$ref(REF + name));
        }
        schemas.put("LayerConfig",
                new JsonSchema().description("A layer; `type` says which")
                    .discriminator(discriminator)
                    .oneOf(oneOf)
                    .addProperty("type", typed("string"))
                    .required(List.of("type")));
    }

    /** {@code max_pool} becomes {@code MaxPoolLayer}. */
    static String schemaName(LayerType<?> type) {
        StringBuilder name = new StringBuilder();
        for (String word : type.name().split("_")) {
            name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return name.append("Layer").toString();
    }

    private static Schema<?> schema(LayerType<?> type) {
        List<Schema> allOf = new ArrayList<>(List.of(new JsonSchema().$ref(REF + "LayerConfig")));
        JsonSchema schema = new JsonSchema();
        schema.description(type.description());
        if (!type.parameters().isEmpty()) {
            Schema<?> properties = typed("object");
            for (LayerParameter p : type.parameters()) {
                properties.addProperty(p.name(), property(p));
            }
            allOf.add(properties);
        }
        List<String> required = type.parameters()
            .stream()
            .filter(LayerParameter::required)
            .map(LayerParameter::name)
            .toList();
        if (!required.isEmpty()) {
            schema.required(required);
        }
        return schema.allOf(allOf);
    }

    @SuppressWarnings("unchecked")
    private static Schema<?> property(LayerParameter p) {
        Schema<Object> s = switch (p.kind()) {
            case INTEGER -> p.choices().isEmpty() ? typed("integer").format("int32") : integerOrWord(p);
            case NUMBER -> typed("number").format("double");
            case CHOICE -> typed("string");
            case BOOLEAN -> typed("boolean");
            case INIT -> new JsonSchema().$ref(REF + "InitConfig");
            case LAYERS -> typed("array").items(new JsonSchema().$ref(REF + "LayerConfig"))
                .minItems((int) p.min())
                .maxItems((int) p.max());
        };
        if (p.defaultValue() != null) {
            // numbers' defaults in plain decimal strings, as springdoc writes the
            // document's others
            s.setDefault(p.kind() == LayerParameter.Kind.NUMBER
                    ? BigDecimal.valueOf((Double) p.defaultValue()).stripTrailingZeros().toPlainString()
                    : p.defaultValue());
        }
        return s.description(p.description());
    }

    /** An integer, or one of the words the parameter also takes. */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static Schema<Object> integerOrWord(LayerParameter p) {
        Schema words = typed("string");
        words.setEnum(new ArrayList<>(p.choices()));
        return (Schema) new JsonSchema().oneOf(List.of(typed("integer").format("int32"), words));
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static Schema<Object> typed(String type) {
        return (Schema) new JsonSchema().types(Set.of(type));
    }

}
