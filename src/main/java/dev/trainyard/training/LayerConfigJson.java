package dev.trainyard.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;

/**
 * A {@link LayerConfig} as one flat JSON object: {@code type} first, then the parameters.
 * Reading keeps every member for validation to judge; {@code init} is read as an
 * {@link InitConfig} and an array {@code layers} (a residual's) as LayerConfigs, so their
 * errors point into them.
 */
final class LayerConfigJson {

    private LayerConfigJson() {
    }

    static final class Reader extends ValueDeserializer<LayerConfig> {

        @Override
        public LayerConfig deserialize(JsonParser p, DeserializationContext ctxt) {
            if (!p.isExpectedStartObjectToken()) {
                return (LayerConfig) ctxt.handleUnexpectedToken(LayerConfig.class, p);
            }
            String type = null;
            Map<String, Object> parameters = new LinkedHashMap<>();
            for (String name = p.nextName(); name != null; name = p.nextName()) {
                JsonToken token = p.nextToken();
                if (name.equals("type")) {
                    if (token != JsonToken.VALUE_STRING && token != JsonToken.VALUE_NULL) {
                        throw ctxt.wrongTokenException(p, String.class, JsonToken.VALUE_STRING, "type is a string")
                            .prependPath(LayerConfig.class, "type");
                    }
                    type = token == JsonToken.VALUE_NULL ? null : p.getString();
                }
                else if (name.equals("init") && token != JsonToken.VALUE_NULL) {
                    parameters.put(name, init(p, ctxt));
                }
                else if (name.equals("layers") && token == JsonToken.START_ARRAY) {
                    parameters.put(name, layers(p, ctxt));
                }
                else {
                    parameters.put(name, ctxt.readValue(p, Object.class));
                }
            }
            return new LayerConfig(type, parameters);
        }

        private static List<LayerConfig> layers(JsonParser p, DeserializationContext ctxt) {
            List<LayerConfig> layers = new ArrayList<>();
            try {
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    try {
                        layers.add(t == JsonToken.VALUE_NULL ? null : ctxt.readValue(p, LayerConfig.class));
                    }
                    catch (JacksonException e) {
                        throw e.prependPath(List.class, layers.size());
                    }
                }
            }
            catch (JacksonException e) {
                throw e.prependPath(LayerConfig.class, "layers");
            }
            return layers;
        }

        private static InitConfig init(JsonParser p, DeserializationContext ctxt) {
            try {
                return ctxt.readValue(p, InitConfig.class);
            }
            catch (JacksonException e) {
                throw e.prependPath(LayerConfig.class, "init");
            }
        }

    }

    static final class Writer extends ValueSerializer<LayerConfig> {

        @Override
        public void serialize(LayerConfig layer, JsonGenerator g, SerializationContext ctxt) {
            g.writeStartObject();
            g.writeStringProperty("type", layer.type());
            for (Map.Entry<String, Object> e : layer.parameters().entrySet()) {
                g.writeName(e.getKey());
                if (e.getValue() instanceof InitConfig init) {
                    ctxt.findTypedValueSerializer(init.getClass(), true).serialize(init, g, ctxt);
                }
                else {
                    ctxt.writeValue(g, e.getValue());
                }
            }
            g.writeEndObject();
        }

    }

}
