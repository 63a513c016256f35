package dev.trainyard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.system.PostgresTest;
import java.net.http.HttpResponse;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * What a newcomer checks first on a running Trainyard, the whole application on a random
 * port: on the embedded H2 database, and on real PostgreSQL with every migration applied.
 */
class SmokeTest {

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class OnH2 extends Checks {

    }

    @Nested
    @PostgresTest
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class OnPostgres extends Checks {

        @Autowired
        JdbcTemplate jdbc;

        @Autowired
        Flyway flyway;

        @Test
        void runsOnPostgresql() {
            String product = jdbc
                .execute((java.sql.Connection connection) -> connection.getMetaData().getDatabaseProductName());

            assertThat(product).isEqualTo("PostgreSQL");
        }

        @Test
        void appliesEveryMigrationToAFreshSchema() {
            MigrationInfo[] applied = flyway.info().applied();

            assertThat(applied).isNotEmpty()
                .allSatisfy(migration -> assertThat(migration.getState().isApplied()).isTrue());
            assertThat(flyway.info().pending()).isEmpty();
            Integer history = jdbc.queryForObject(
                    "select count(*) from flyway_schema_history where success and version is not null", Integer.class);
            assertThat(history).isEqualTo(applied.length);
        }

    }

    abstract class Checks {

        @LocalServerPort
        int port;

        TestHttp http() {
            return new TestHttp(port);
        }

        @Test
        void healthIsUpWithTheDatabase() {
            HttpResponse<String> response = http().get("/actuator/health");

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode health = TestHttp.json(response);
            assertThat(health.path("status").asString()).isEqualTo("UP");
            assertThat(health.path("components").path("db").path("status").asString()).isEqualTo("UP");
        }

        @Test
        void apiDocsAreServed() {
            HttpResponse<String> response = http().get("/v3/api-docs");

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode document = TestHttp.json(response);
            assertThat(document.path("openapi").asString()).startsWith("3.");
            assertThat(document.path("info").path("title").asString()).isEqualTo("Trainyard API");
        }

        @Test
        void swaggerUiAnswers() {
            HttpResponse<String> response = http().get("/swagger-ui.html");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("swagger-ui");
        }

        @Test
        void unknownPathIsAProblemDocument() {
            HttpResponse<String> response = http().get("/no/such/thing");

            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(TestHttp.contentType(response)).startsWith("application/problem+json");
            JsonNode problem = TestHttp.json(response);
            assertThat(problem.path("status").asInt()).isEqualTo(404);
            assertThat(problem.path("title").asString()).isEqualTo("Not Found");
            assertThat(problem.path("instance").asString()).isEqualTo("/no/such/thing");
        }

        @Test
        void infoNamesTheJvm() {
            HttpResponse<String> response = http().get("/actuator/info");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(TestHttp.json(response).path("java").path("version").asString())
                .isEqualTo(System.getProperty("java.version"));
        }

        @Test
        void prometheusServesMetrics() {
            HttpResponse<String> response = http().get("/actuator/prometheus");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("jvm_memory_used_bytes");
        }

    }

}
