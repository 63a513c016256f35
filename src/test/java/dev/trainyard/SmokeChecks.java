package dev.trainyard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What a newcomer checks first on a running Trainyard, whatever the database behind it.
 */
interface SmokeChecks {

    TestHttp http();

    @Test
    default void healthIsUpWithTheDatabase() {
        HttpResponse<String> response = http().get("/actuator/health");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode health = TestHttp.json(response);
        assertThat(health.path("status").asString()).isEqualTo("UP");
        assertThat(health.path("components").path("db").path("status").asString()).isEqualTo("UP");
    }

    @Test
    default void apiDocsAreServed() {
        HttpResponse<String> response = http().get("/v3/api-docs");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode document = TestHttp.json(response);
        assertThat(document.path("openapi").asString()).startsWith("3.");
        assertThat(document.path("info").path("title").asString()).isEqualTo("Trainyard API");
    }

    @Test
    default void swaggerUiAnswers() {
        HttpResponse<String> response = http().get("/swagger-ui.html");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("swagger-ui");
    }

    @Test
    default void unknownPathIsAProblemDocument() {
        HttpResponse<String> response = http().get("/no/such/thing");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(TestHttp.contentType(response)).startsWith("application/problem+json");
        JsonNode problem = TestHttp.json(response);
        assertThat(problem.path("status").asInt()).isEqualTo(404);
        assertThat(problem.path("title").asString()).isEqualTo("Not Found");
        assertThat(problem.path("instance").asString()).isEqualTo("/no/such/thing");
    }

    @Test
    default void infoNamesTheJvm() {
        HttpResponse<String> response = http().get("/actuator/info");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(response).path("java").path("version").asString())
            .isEqualTo(System.getProperty("java.version"));
    }

    @Test
    default void prometheusServesMetrics() {
        HttpResponse<String> response = http().get("/actuator/prometheus");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("jvm_memory_used_bytes");
    }

}
