package dev.trainyard.system;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Requests for one operation of the served OpenAPI document: valid ones built from its
 * parameters and body schema, and mutations of them (wrong JSON types, missing and extra
 * fields, boundary and huge numbers, long and hostile unicode strings, deep nesting,
 * truncated JSON, wrong content types, malformed multipart, invalid path parameters,
 * unknown query parameters).
 */
final class RequestFuzzer {

    /** One operation: {@code POST /api/v1/jobs} and its OpenAPI object. */
    record Operation(String method, String path, JsonNode spec) {

        String name() {
            return this.method + " " + this.path;
        }

        boolean isEventStream() {
            return this.path.endsWith("/events");
        }

        String bodyType() {
            JsonNode content = this.spec.path("requestBody").path("content");
            return content.isObject() && !content.isEmpty() ? content.propertyNames().iterator().next() : null;
        }

    }

    /** A request to send; {@code mutation} says what was done to it. */
    record Request(String method, String path, String contentType, byte[] body, Map<String, String> headers,
            String mutation) {

        String excerpt() {
            String text = new String(this.body, StandardCharsets.UTF_8);
            return (text.length() > 300) ? text.substring(0, 300) + "... (" + text.length() + " chars)" : text;
        }

    }

    static final String[] MUTATIONS = { "valid", "valid", "wrong-type", "missing-required", "extra-field",
            "boundary-number", "long-string", "unicode", "deep-nesting", "truncated-json", "wrong-content-type",
            "invalid-path", "random-query", "odd-body" };

    private static final List<Object> BOUNDARY_NUMBERS = List.of(new Json.Raw("1e308"), new Json.Raw("-1e308"),
            new Json.Raw("1e309"), -1, 0, Long.MAX_VALUE, Long.MIN_VALUE, new Json.Raw("9223372036854775808"),
            new Json.Raw("123456789012345678901234567890"), "NaN", "Infinity", new Json.Raw("-0.0"),
            new Json.Raw("4.9e-324"), Integer.MAX_VALUE, Integer.MIN_VALUE, 0.5);

    private static final List<Object> UNICODE = List.of("\u0000", new Json.Raw("\"\\ud800\""),
            new Json.Raw("\"a\\udc00b\""), "\u202Eevil\u202C", "مرحبا", "😀🚂", "\uFEFFbom", "a\u0000b", "ｆｕｌｌ",
            "e\u0301", "\\", "\"quoted\"", "'; drop table datasets; --", "../../etc/passwd", "%00", "\r\n",
            "${jndi:ldap://x}");

    private static final List<String> INVALID_PATH_VALUES = List.of("not-a-uuid", "00000000-0000-0000-0000", "%00",
            "%20", "..", "-1", "99999999999999999999", "%E2%82%AC", "%F0%9F%98%80", "null", "'", "%22", "a".repeat(300),
            "00000000-0000-0000-0000-00000000000g", "%C0%AF", "%FF");

    private final Random random;

    private final SchemaValues values;

    private final Function<Operation, Map<String, String>> pathValues;

    RequestFuzzer(Random random, SchemaValues values, Function<Operation, Map<String, String>> pathValues) {
        this.random = random;
        this.values = values;
        this.pathValues = pathValues;
    }

    Request next(Operation operation) {
        String mutation = MUTATIONS[this.random.nextInt(MUTATIONS.length)];
        Map<String, String> path = new LinkedHashMap<>(this.pathValues.apply(operation));
        Map<String, String> query = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        for (JsonNode parameter : operation.spec().path("parameters")) {
            String name = parameter.path("name").asString();
            String in = parameter.path("in").asString();
            boolean send = parameter.path("required").asBoolean() || this.random.nextBoolean();
            if (in.equals("query") && send) {
                query.put(name, String.valueOf(this.values.value(parameter.path("schema"))));
            }
            else if (in.equals("header") && send) {
                headers.put(name, "fz-" + this.random.nextInt(1_000_000));
            }
        }
        if (mutation.equals("invalid-path") && !path.isEmpty()) {
            List<String> names = new ArrayList<>(path.keySet());
            path.put(names.get(this.random.nextInt(names.size())), pick(INVALID_PATH_VALUES));
        }
        if (mutation.equals("random-query")) {
            if (!query.isEmpty() && this.random.nextBoolean()) {
                List<String> names = new ArrayList<>(query.keySet());
                query.put(names.get(this.random.nextInt(names.size())), pick(List.of("abc", "-1", "0",
                        "99999999999999999999", "1e308", "NaN", "", "%00", "%E2%80%AE", "true%20false", "[1]")));
            }
            else {
                query.put("fz" + this.random.nextInt(100), "x" + this.random.nextInt(100));
            }
        }
        // a real submission would start training: jobs and experiments are fuzzed as dry
        // runs
        // unless the dataset they name does not exist
        boolean submission = operation.method().equals("POST")
                && (operation.path().equals("/api/v1/jobs") || operation.path().equals("/api/v1/experiments"));
        if (submission && this.random.nextInt(10) > 0) {
            query.put("dryRun", "true");
        }
        String target = expand(operation.path(), path) + queryString(query);
        String bodyType = operation.bodyType();
        if (bodyType == null) {
            if (mutation.equals("odd-body") || mutation.equals("wrong-content-type")) {
                return new Request(operation.method(), target, "application/json", bytes("{\"fz\": 1}"), headers,
                        mutation + " (body where none is expected)");
            }
            return new Request(operation.method(), target, null, new byte[0], headers, mutation);
        }
        if (bodyType.startsWith("multipart/")) {
            return multipart(operation, target, headers, mutation);
        }
        JsonNode schema = operation.spec().path("requestBody").path("content").path(bodyType).path("schema");
        Object body = this.values.value(schema);
        if (submission && !"true".equals(query.get("dryRun"))) {
            replaceDatasetIds(body);
        }
        String contentType = "application/json";
        String text = switch (mutation) {
            case "wrong-type" -> Json.write(mutateSomewhere(body, v -> pick(
                    List.of("text", 12, true, List.of(), Map.of(), new Json.Raw("null"), List.of(1, "a"), -3.5))));
            case "missing-required" -> Json.write(removeSomewhere(body));
            case "extra-field" -> Json.write(addField(body));
            case "boundary-number" -> Json.write(mutateSomewhere(body, v -> pick(BOUNDARY_NUMBERS)));
            case "long-string" -> Json.write(mutateSomewhere(body, v -> "L".repeat(1 + this.random.nextInt(200_000))));
            case "unicode" -> Json.write(mutateSomewhere(body, v -> pick(UNICODE)));
            case "deep-nesting" -> deepNesting(body);
            case "truncated-json" -> {
                String whole = Json.write(body);
                yield whole.substring(0, this.random.nextInt(Math.max(whole.length(), 1)));
            }
            case "wrong-content-type" -> {
                contentType = pick(List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=x", "application/json; charset=utf-16", "", "*/*",
                        "application/json; charset=nonexistent"));
                yield Json.write(body);
            }
            case "odd-body" -> pick(List.of("", "null", "[]", "\"text\"", "0", "{}", "{\"a\":1,\"a\":2}", "\u0000",
                    "{\"\u0000\":1}", "[{}]", "{\"a\":", "\uFEFF{}", "{}{}", "{'single': 1}"));
            default -> Json.write(body);
        };
        return new Request(operation.method(), target, contentType, bytes(text), headers, mutation);
    }

    private Request multipart(Operation operation, String target, Map<String, String> headers, String mutation) {
        String boundary = "fzb" + Integer.toString(this.random.nextInt(Integer.MAX_VALUE), 36);
        boolean datasets = operation.path().equals("/api/v1/datasets");
        StringBuilder body = new StringBuilder();
        if (datasets) {
            body.append(part(boundary, "name", null, "fz-data"));
            body.append(part(boundary, "file", "blobs.csv", "x,y,label\n0.1,0.2,a\n0.3,0.4,b\n0.5,0.1,a\n"));
        }
        else {
            body.append(part(boundary, "spec", null,
                    "{\"layers\":[{\"type\":\"dense\",\"units\":2}],\"inputShape\":[2],\"classes\":[\"a\",\"b\"]}"));
            body.append(part(boundary, "weights", "weights.safetensors", "\u0008\u0000\u0000\u0000{}"));
        }
        String whole = body + "--" + boundary + "--\r\n";
        String contentType = "multipart/form-data; boundary=" + boundary;
        String text = switch (mutation) {
            case "valid", "invalid-path", "random-query" -> whole;
            case "truncated-json" -> whole.substring(0, this.random.nextInt(whole.length()));
            case "wrong-content-type" -> {
                contentType = pick(List.of("multipart/form-data", "multipart/form-data; boundary=",
                        "multipart/form-data; boundary=other", "application/json",
                        "multipart/mixed; boundary=" + boundary,
                        "multipart/form-data; boundary=\"" + "b".repeat(100) + "\""));
                yield whole;
            }
            case "missing-required" -> "--" + boundary + "--\r\n";
            case "extra-field" -> part(boundary, "fz", null, "extra") + whole;
            case "unicode" -> whole.replace("fz-data", pick(List.of("\u0000", "\u202E", "😀", "\uFEFF")))
                .replace("blobs.csv", "bl\u0000obs.csv");
            case "long-string" -> part(boundary, "name", null, "N".repeat(100_000)) + whole;
            case "deep-nesting" -> part(boundary, "spec", null, "[".repeat(10_000) + "]".repeat(10_000)) + whole;
            case "boundary-number" ->
                whole.replace("0.1,0.2", "1e309,-1e309").replace("\"units\":2", "\"units\":9223372036854775807");
            case "wrong-type" -> whole.replace("x,y,label", "x;y;label")
                .replace("\"layers\":[", "\"layers\":{\"x\":[")
                .replace("],\"inputShape", "]},\"inputShape");
            default -> pick(List.of("", "--" + boundary + "\r\n",
                    "--" + boundary + "\r\nContent-Disposition: form-data\r\n\r\nx", "no boundary here",
                    "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\n",
                    whole.replace("\r\n", "\n"), "--" + boundary + "--" + boundary));
        };
        return new Request(operation.method(), target, contentType, bytes(text), headers, mutation + " (multipart)");
    }

    private static String part(String boundary, String name, String filename, String content) {
        return "--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"" + ((filename != null)
                        ? "; filename=\"" + filename + "\"\r\nContent-Type: application/octet-stream" : "")
                + "\r\n\r\n" + content + "\r\n";
    }

    private String deepNesting(Object body) {
        int depth = pick(List.of(600, 2_000, 10_000));
        String nested = pick(
                List.of("[".repeat(depth) + "]".repeat(depth), "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)));
        return this.random.nextBoolean() ? nested : Json.write(mutateSomewhere(body, v -> new Json.Raw(nested)));
    }

    /** {@code body} with one value, anywhere in it, replaced by {@code replacement}. */
    private Object mutateSomewhere(Object body, Function<Object, Object> replacement) {
        if (body instanceof Map<?, ?> map && !map.isEmpty() && this.random.nextInt(4) > 0) {
            Map<String, Object> copy = copy(map);
            String key = pick(new ArrayList<>(copy.keySet()));
            copy.put(key, mutateSomewhere(copy.get(key), replacement));
            return copy;
        }
        if (body instanceof List<?> list && !list.isEmpty() && this.random.nextInt(4) > 0) {
            List<Object> copy = new ArrayList<>(list);
            int i = this.random.nextInt(copy.size());
            copy.set(i, mutateSomewhere(copy.get(i), replacement));
            return copy;
        }
        return replacement.apply(body);
    }

    private Object removeSomewhere(Object body) {
        if (body instanceof Map<?, ?> map && !map.isEmpty()) {
            Map<String, Object> copy = copy(map);
            String key = pick(new ArrayList<>(copy.keySet()));
            if (this.random.nextBoolean()) {
                copy.remove(key);
            }
            else {
                copy.put(key, removeSomewhere(copy.get(key)));
            }
            return copy;
        }
        if (body instanceof List<?> list && !list.isEmpty()) {
            List<Object> copy = new ArrayList<>(list);
            copy.remove(this.random.nextInt(copy.size()));
            return copy;
        }
        return body;
    }

    private Object addField(Object body) {
        if (body instanceof Map<?, ?> map) {
            Map<String, Object> copy = copy(map);
            if (!copy.isEmpty() && this.random.nextBoolean()) {
                String key = pick(new ArrayList<>(copy.keySet()));
                copy.put(key, addField(copy.get(key)));
            }
            else {
                copy.put(pick(List.of("fz", "unknown", "__proto__", "@type", "id", "tenantId", "")),
                        pick(List.of(1, "x", true, List.of(1))));
            }
            return copy;
        }
        if (body instanceof List<?> list && !list.isEmpty()) {
            List<Object> copy = new ArrayList<>(list);
            int i = this.random.nextInt(copy.size());
            copy.set(i, addField(copy.get(i)));
            return copy;
        }
        return body;
    }

    private void replaceDatasetIds(Object body) {
        if (body instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> writable = (Map<String, Object>) map;
            if (writable.containsKey("datasetId")) {
                writable.put("datasetId", SchemaValues.randomUuid(this.random));
            }
            writable.values().forEach(this::replaceDatasetIds);
        }
        else if (body instanceof List<?> list) {
            list.forEach(this::replaceDatasetIds);
        }
    }

    private static Map<String, Object> copy(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), v));
        return copy;
    }

    private <T> T pick(List<T> choices) {
        return choices.get(this.random.nextInt(choices.size()));
    }

    private static String expand(String template, Map<String, String> values) {
        String path = template;
        for (Map.Entry<String, String> value : values.entrySet()) {
            path = path.replace("{" + value.getKey() + "}", value.getValue());
        }
        return path;
    }

    private static String queryString(Map<String, String> query) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> parameter : query.entrySet()) {
            out.append(out.isEmpty() ? '?' : '&')
                .append(encode(parameter.getKey()))
                .append('=')
                .append(parameter.getValue().startsWith("%") ? parameter.getValue() : encode(parameter.getValue()));
        }
        return out.toString();
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

}
