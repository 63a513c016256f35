package dev.trainyard.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.Multipart;
import dev.trainyard.TestHttp;
import jakarta.servlet.Filter;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.JsonNode;

/**
 * Every error a client can meet, through the real server (Tomcat, filters, error page):
 * each is {@code application/problem+json}, none is HTML or leaks a stack trace.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "trainyard.http.max-body-size=1KB", "spring.servlet.multipart.max-file-size=1KB",
                "spring.servlet.multipart.max-request-size=2KB" })
@Import(ProblemDetailsTest.Probes.class)
@ExtendWith(OutputCaptureExtension.class)
class ProblemDetailsTest {

    @LocalServerPort
    int port;

    @Test
    void unknownPathIs404EvenForBrowsers(CapturedOutput log) {
        HttpResponse<String> response = http()
            .send(http().request("/nowhere").header("Accept", "text/html").GET().build());

        JsonNode problem = problem(response, 404);
        assertThat(problem.path("title").asString()).isEqualTo("Not Found");
        assertThat(problem.path("detail").asString()).isEqualTo("No endpoint GET /nowhere.");
        assertThat(problem.path("instance").asString()).isEqualTo("/nowhere");
        assertThat(log.getOut()).containsPattern("GET /nowhere 404 \\d+ms");
    }

    @Test
    void wrongMethodIs405() {
        HttpResponse<String> response = http().get("/probe/things");

        problem(response, 405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void wrongMediaTypeIs415() {
        HttpResponse<String> response = http().send(http().request("/probe/things")
            .header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString("name=x"))
            .build());

        problem(response, 415);
    }

    @Test
    void malformedJsonIs400() {
        JsonNode problem = problem(postJson("{\"name\": \"a\", "), 400);

        assertThat(problem.path("title").asString()).isEqualTo("Malformed request body");
    }

    @Test
    void wrongTypeIs400WithPointerAndNoClassNames() {
        HttpResponse<String> response = postJson("{\"name\": \"a\", \"size\": \"large\"}");

        JsonNode problem = problem(response, 400);
        assertThat(problem.path("pointer").asString()).isEqualTo("#/size");
        assertThat(response.body()).doesNotContain("dev.trainyard", "Thing");
    }

    @Test
    void beanValidationIs400WithTheInvalidFields() {
        JsonNode problem = problem(postJson("{\"name\": \" \", \"size\": -3, \"parts\": [{\"label\": \"\"}]}"), 400);

        assertThat(problem.path("title").asString()).isEqualTo("Invalid request");
        assertThat(problem.path("errors")
            .valueStream()
            .map(error -> error.path("pointer").asString() + " " + error.path("detail").asString()))
            .containsExactlyInAnyOrder("#/name must not be blank", "#/size must be greater than 0",
                    "#/parts/0/label must not be blank");
    }

    @Test
    void invalidParameterIs400WithTheParameter() {
        JsonNode problem = problem(http().get("/probe/page?limit=0"), 400);

        JsonNode error = problem.path("errors").path(0);
        assertThat(error.path("parameter").asString()).isEqualTo("limit");
        assertThat(error.path("detail").asString()).isEqualTo("must be greater than or equal to 1");
    }

    @Test
    void oversizedBodyIs413() {
        JsonNode problem = problem(postJson("{\"name\": \"" + "x".repeat(2000) + "\", \"size\": 1}"), 413);

        assertThat(problem.path("maxBytes").asLong()).isEqualTo(1024);
    }

    @Test
    void oversizedChunkedBodyIs413() {
        byte[] body = ("{\"name\": \"" + "x".repeat(2000) + "\", \"size\": 1}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = http().send(http().request("/probe/things")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
            .build());

        problem(response, 413);
    }

    @Test
    void oversizedUploadIs413() {
        HttpResponse<String> response = http().send(new Multipart()
            .file("file", "big.csv", "text/csv", "1,2,3\n".repeat(400).getBytes(StandardCharsets.UTF_8))
            .post(http().request("/probe/upload"))
            .build());

        problem(response, 413);
    }

    @Test
    void apiExceptionKeepsItsStatusTitleAndProperties() {
        JsonNode problem = problem(http().get("/probe/conflict"), 409);

        assertThat(problem.path("title").asString()).isEqualTo("Dataset in use");
        assertThat(problem.path("detail").asString()).isEqualTo("Dataset 7 is used by job 9.");
        assertThat(problem.path("jobId").asInt()).isEqualTo(9);
    }

    @Test
    void serverSideApiExceptionKeepsItsDetailAndGetsAnErrorId(CapturedOutput log) {
        JsonNode problem = problem(http().get("/probe/unavailable"), 503);

        assertThat(problem.path("detail").asString()).isEqualTo("Try again in a minute.");
        assertThat(log.getOut()).contains("errorId=" + problem.path("errorId").asString());
    }

    @Test
    void unexpectedFailureIs500WithAnErrorIdThatIsLogged(CapturedOutput log) {
        HttpResponse<String> response = http().get("/probe/boom");

        JsonNode problem = problem(response, 500);
        String errorId = problem.path("errorId").asString();
        assertThat(errorId).isNotBlank();
        assertThat(problem.path("detail").asString()).contains(errorId);
        assertThat(response.body()).doesNotContain("select", "IllegalStateException", "at dev.");
        assertThat(log.getOut()).contains("errorId=" + errorId)
            .contains("java.lang.IllegalStateException: select secret from keys")
            .contains("at dev.trainyard.system.ProblemDetailsTest$Probes");
    }

    @Test
    void failureInAFilterIs500WithAnErrorId(CapturedOutput log) {
        JsonNode problem = problem(http().get("/probe/filter-boom"), 500);

        String errorId = problem.path("errorId").asString();
        assertThat(log.getOut()).contains("errorId=" + errorId);
    }

    @Test
    void databaseOutageIs503WithRetryAfterAndNoErrorId(CapturedOutput log) {
        HttpResponse<String> response = http().get("/probe/database-down");

        JsonNode problem = problem(response, 503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(problem.path("title").asString()).isEqualTo("Database unavailable");
        assertThat(problem.path("retryAfterSeconds").asInt()).isEqualTo(5);
        assertThat(problem.has("errorId")).isFalse();
        assertThat(response.body()).doesNotContain("Hikari", "5432");
        assertThat(log.getOut()).contains("Database unavailable on GET /probe/database-down");
    }

    @Test
    void databaseOutageMetInAFilterIs503WithRetryAfter() {
        HttpResponse<String> response = http().get("/probe/filter-database-down");

        problem(response, 503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
    }

    @Test
    void aFailedStatementIsStill500() {
        JsonNode problem = problem(http().get("/probe/bad-statement"), 500);

        assertThat(problem.path("errorId").asString()).isNotBlank();
    }

    @Test
    void errorPageItselfIs404() {
        problem(http().send(http().request("/error").header("Accept", "text/html").GET().build()), 404);
    }

    @Test
    void requestRejectedByTomcatIsAProblemToo() throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /% HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);

            assertThat(response).startsWith("HTTP/1.1 400");
            assertThat(response).containsIgnoringCase("Content-Type: application/problem+json");
            assertThat(response).doesNotContain("<html");
        }
    }

    private TestHttp http() {
        return new TestHttp(port);
    }

    private HttpResponse<String> postJson(String body) {
        return http().send(http().request("/probe/things")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
    }

    /**
     * Asserts the problem-details shape common to every error and returns the document.
     */
    private static JsonNode problem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(TestHttp.contentType(response)).startsWith("application/problem+json");
        assertThat(response.body()).doesNotContain("<html", "Exception", "\tat ");
        JsonNode problem = TestHttp.json(response);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asString()).isNotBlank();
        return problem;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toByteArray();
    }

    record Part(@NotBlank String label) {
    }

    record Thing(@NotBlank String name, @Positive int size, List<@Valid Part> parts) {
    }

    /** Endpoints that fail in every way the real modules may fail. */
    @TestConfiguration(proxyBeanMethods = false)
    @RestController
    static class Probes {

        @PostMapping(path = "/probe/things", consumes = "application/json")
        Thing create(@Valid @RequestBody Thing thing) {
            return thing;
        }

        @GetMapping("/probe/page")
        List<String> page(@RequestParam @Min(1) int limit) {
            return List.of();
        }

        @PostMapping("/probe/upload")
        Map<String, Long> upload(@RequestParam MultipartFile file) {
            return Map.of("size", file.getSize());
        }

        @GetMapping("/probe/conflict")
        void conflict() {
            throw new ApiException(HttpStatus.CONFLICT, "Dataset in use", "Dataset 7 is used by job 9.").with("jobId",
                    9);
        }

        @GetMapping("/probe/unavailable")
        void unavailable() {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Queue full", "Try again in a minute.");
        }

        @GetMapping("/probe/boom")
        void boom() {
            throw new IllegalStateException("select secret from keys");
        }

        @GetMapping("/probe/database-down")
        void databaseDown() {
            throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                    new SQLTransientConnectionException(
                            "HikariPool-1 - Connection is not available, request timed out after 5000ms",
                            new SQLException("Connection to 127.0.0.1:5432 refused", "08001")));
        }

        @GetMapping("/probe/bad-statement")
        void badStatement() {
            throw new DataIntegrityViolationException("insert into models",
                    new SQLException("duplicate key value violates unique constraint", "23505"));
        }

        @Bean
        FilterRegistrationBean<Filter> databaseDownInAFilter() {
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
                throw new DataAccessResourceFailureException("select from api_keys",
                        new SQLException("An I/O error occurred while sending to the backend", "08006"));
            });
            registration.addUrlPatterns("/probe/filter-database-down");
            return registration;
        }

        @Bean
        FilterRegistrationBean<Filter> failingFilter() {
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
                throw new IllegalStateException("filter failed on select secret from keys");
            });
            registration.addUrlPatterns("/probe/filter-boom");
            return registration;
        }

    }

}
