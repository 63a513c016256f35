package dev.trainyard.prediction.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.TestHttp;
import dev.trainyard.model.ModelService;
import dev.trainyard.model.TestModels;
import dev.trainyard.security.Tenants;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Registered models over HTTP for tests: models of the default tenant (4 features,
 * classes cat, dog, bird), names, versions and aliases.
 */
record RegistryClient(TestHttp http, ModelService models) {

    static final String BASE = "/api/v1/registered-models";

    HttpResponse<String> post(String path, String json) {
        return http.send(http.request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
    }

    HttpResponse<String> put(String path, String json) {
        return http.send(http.request(path)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json))
            .build());
    }

    HttpResponse<String> delete(String path) {
        return http.send(http.request(path).DELETE().build());
    }

    /** A fresh model of the default tenant with seeded random weights. */
    UUID model(long seed) {
        return models.register(TestModels.newModel(Tenants.DEFAULT_ID, null, 0, TestModels.mlp(4, seed),
                TestModels.standardize(4), TestModels.CLASSES));
    }

    /** A fresh registered model with a unique name starting with {@code prefix}. */
    String name(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = post(BASE, "{\"name\": \"" + name + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return name;
    }

    int addModelVersion(String name, UUID modelId) {
        HttpResponse<String> created = post(BASE + "/" + name + "/versions", "{\"modelId\": \"" + modelId + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return TestHttp.json(created).path("version").asInt();
    }

    void alias(String name, String alias, int version) {
        HttpResponse<String> moved = put(BASE + "/" + name + "/aliases/" + alias, "{\"version\": " + version + "}");
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
    }

    /** An admin key of a new tenant. */
    String otherTenantKey() {
        String tenantName = "other-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode tenant = TestHttp.json(post("/api/v1/tenants", "{\"name\": \"" + tenantName + "\"}"));
        JsonNode key = TestHttp.json(post("/api/v1/tenants/" + tenant.path("id").asString() + "/keys",
                "{\"name\": \"k\", \"role\": \"admin\"}"));
        return key.path("key").asString();
    }

}
