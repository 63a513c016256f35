package dev.trainyard.system;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * Values that a schema of the served OpenAPI document accepts: examples, defaults and
 * enums where the document has them, otherwise values drawn within its bounds; UUIDs from
 * a supplier of real resource ids, so that valid requests reach past the lookup.
 */
final class SchemaValues {

    private static final int MAX_DEPTH = 6;

    private final JsonNode schemas;

    private final Random random;

    private final Supplier<String> uuids;

    SchemaValues(JsonNode document, Random random, Supplier<String> uuids) {
        this.schemas = document.path("components").path("schemas");
        this.random = random;
        this.uuids = uuids;
    }

    JsonNode resolve(JsonNode schema) {
        JsonNode current = schema;
        while (current.has("$ref")) {
            String ref = current.get("$ref").asString();
            current = this.schemas.path(ref.substring(ref.lastIndexOf('/') + 1));
        }
        return current;
    }

    Object value(JsonNode schema) {
        return value(schema, 0);
    }

    private Object value(JsonNode raw, int depth) {
        JsonNode schema = resolve(raw);
        if (schema.path("discriminator").has("mapping")) {
            // a subtype named by its discriminator value, as the server's polymorphic
            // reading expects
            List<Map.Entry<String, JsonNode>> mapping = new ArrayList<>(
                    schema.get("discriminator").get("mapping").properties());
            Map.Entry<String, JsonNode> chosen = mapping.get(this.random.nextInt(mapping.size()));
            Object subtype = value(
                    this.schemas.path(
                            chosen.getValue().asString().substring(chosen.getValue().asString().lastIndexOf('/') + 1)),
                    depth);
            if (subtype instanceof Map<?, ?> map) {
                Map<String, Object> named = new LinkedHashMap<>();
                map.forEach((k, v) -> named.put(String.valueOf(k), v));
                named.put(schema.get("discriminator").path("propertyName").asString(), chosen.getKey());
                return named;
            }
            return subtype;
        }
        if (schema.has("oneOf") || schema.has("anyOf")) {
            JsonNode choices = schema.has("oneOf") ? schema.get("oneOf") : schema.get("anyOf");
            return value(choices.get(this.random.nextInt(choices.size())), depth);
        }
        if (schema.has("allOf")) {
            Map<String, Object> merged = new LinkedHashMap<>();
            for (JsonNode part : schema.get("allOf")) {
                // the parent of a discriminated subtype gives its own properties only
                JsonNode resolved = resolve(part);
                Object value = resolved.has("discriminator") ? object(resolved, depth) : value(part, depth + 1);
                if (value instanceof Map<?, ?> map) {
                    map.forEach((k, v) -> merged.put(String.valueOf(k), v));
                }
            }
            return merged;
        }
        if (schema.has("enum")) {
            JsonNode values = schema.get("enum");
            return scalar(values.get(this.random.nextInt(values.size())));
        }
        if (schema.has("example") && this.random.nextInt(3) > 0) {
            return scalar(schema.get("example"));
        }
        if (schema.has("default") && this.random.nextBoolean()) {
            return scalar(schema.get("default"));
        }
        String type = schema.path("type").asString("");
        if (type.isEmpty() && schema.has("properties")) {
            type = "object";
        }
        return switch (type) {
            case "object" -> object(schema, depth);
            case "array" -> {
                List<Object> items = new ArrayList<>();
                int n = (depth >= MAX_DEPTH) ? 0 : 1 + this.random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    items.add(value(schema.path("items"), depth + 1));
                }
                yield items;
            }
            case "integer" -> integer(schema);
            case "number" -> number(schema);
            case "boolean" -> this.random.nextBoolean();
            case "string" -> string(schema);
            default -> this.random.nextBoolean() ? "x" : 1;
        };
    }

    private Map<String, Object> object(JsonNode schema, int depth) {
        Map<String, Object> object = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(name -> required.add(name.asString()));
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            boolean wanted = required.contains(property.getKey()) || (depth < MAX_DEPTH && this.random.nextInt(3) == 0);
            if (wanted) {
                object.put(property.getKey(), value(property.getValue(), depth + 1));
            }
        }
        return object;
    }

    private Object integer(JsonNode schema) {
        long min = schema.has("minimum") ? schema.get("minimum").asLong() : 0;
        long max = schema.has("maximum") ? schema.get("maximum").asLong() : min + 10;
        if (schema.has("exclusiveMinimum")) {
            min = Math.max(min, 1);
        }
        return min + (long) (this.random.nextDouble() * (Math.max(max - min, 0) + 1));
    }

    private Object number(JsonNode schema) {
        double min = schema.has("minimum") ? schema.get("minimum").asDouble() : 0;
        double max = schema.has("maximum") ? schema.get("maximum").asDouble() : min + 1;
        return min + this.random.nextDouble() * (max - min);
    }

    private Object string(JsonNode schema) {
        String format = schema.path("format").asString("");
        return switch (format) {
            case "uuid" -> this.uuids.get();
            case "date-time" -> "2026-01-01T00:00:00Z";
            case "binary" -> "AAAA";
            default -> "fz" + Integer.toString(this.random.nextInt(1_000_000), 36);
        };
    }

    private static Object scalar(JsonNode node) {
        if (node.isString()) {
            return node.asString();
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isNull()) {
            return null;
        }
        return new Json.Raw(node.toString());
    }

    static String randomUuid(Random random) {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

}
