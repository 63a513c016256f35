package dev.trainyard.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.TestHttp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Requests that {@link ApiFuzzTest} found answered with a 500 or with Java type names:
 * each is a 400 problem that names no class.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HostileBodiesTest {

    @LocalServerPort
    int port;

    @Test
    void truncatedMultipartUploadIs400() {
        String body = "--b1\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nx,label\n1,a\n--b";
        HttpResponse<String> response = send(http().request("/api/v1/datasets")
            .header("Content-Type", "multipart/form-data; boundary=b1")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
        JsonNode problem = problem(response, 400);
        assertThat(problem.path("title").asString()).isEqualTo("Malformed multipart body");
    }

    @Test
    void predictionBodyOfJsonNullIs400() {
        JsonNode problem = problem(postJson("/api/v1/models/" + UUID.randomUUID() + "/predictions", "null"), 400);
        assertThat(problem.path("detail").asString()).isEqualTo("The request body must be a JSON object.");
    }

    @Test
    void predictionMemberOfTheWrongTypeIs400WithPointerAndNoJavaTypes() {
        HttpResponse<String> response = postJson("/api/v1/models/" + UUID.randomUUID() + "/predictions",
                "{\"instances\": [[0.1, 0.2]], \"seed\": \"seven\"}");
        JsonNode problem = problem(response, 400);
        assertThat(problem.path("pointer").asString()).isEqualTo("#/seed");
        assertThat(response.body()).doesNotContain("java.", "Long", "Cannot deserialize");
    }

    @Test
    void jobSpecOfJsonNullIs400() {
        JsonNode problem = problem(postJson("/api/v1/jobs?dryRun=true", "null"), 400);
        assertThat(problem.path("errors").get(0).path("detail").asString())
            .isEqualTo("the request body must be a job spec (JSON object)");
        problem(postJson("/api/v1/jobs", "null"), 400);
    }

    @Test
    void experimentOfJsonNullIs400() {
        for (String path : List.of("/api/v1/experiments?dryRun=true", "/api/v1/experiments")) {
            JsonNode problem = problem(postJson(path, "null"), 400);
            assertThat(problem.path("errors").get(0).path("detail").asString())
                .isEqualTo("the request body must be an experiment (JSON object)");
        }
    }

    @Test
    void wildcardContentTypeIs415() {
        for (String path : List.of("/api/v1/ensembles", "/v2/models/any/infer")) {
            HttpResponse<String> response = send(http().request(path)
                .header("Content-Type", "*/*")
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": []}")));
            problem(response, 415);
        }
    }

    @Test
    void inferenceBodyThatCannotBeReadIs400InTheProtocolsShape() {
        HttpResponse<String> response = send(http().request("/v2/models/any/infer")
            .header("Content-Type", "multipart/form-data; boundary=x")
            .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": []}")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(TestHttp.contentType(response)).startsWith("application/json");
        assertThat(TestHttp.json(response).path("error").asString())
            .isEqualTo("The request body is missing or is not valid JSON.");
    }

    private TestHttp http() {
        return new TestHttp(this.port);
    }

    private HttpResponse<String> postJson(String path, String body) {
        return send(http().request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        return http().send(request.build());
    }

    private static JsonNode problem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(TestHttp.contentType(response)).startsWith("application/problem+json");
        return TestHttp.json(response);
    }

}
