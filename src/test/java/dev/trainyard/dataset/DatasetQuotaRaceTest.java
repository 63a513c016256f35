package dev.trainyard.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.AllAtOnce;
import dev.trainyard.Multipart;
import dev.trainyard.TestHttp;
import dev.trainyard.system.AnotherInstance;
import dev.trainyard.system.PostgresTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Uploads that together pass the tenant's dataset quota, all at once: as many are stored
 * as fit, the others answer 409 and leave nothing behind. On H2 they race on one
 * instance's threads, on PostgreSQL over two instances of the same database.
 */
class DatasetQuotaRaceTest {

    /** Each upload stores 10 examples of two float32 features and an int32 label. */
    static final int UPLOAD_BYTES = 10 * 12;

    static final long QUOTA = 1000;

    static final int UPLOADS = 20;

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class OnH2 extends Checks {

        @Test
        void racingUploadsOnOneInstanceStayWithinTheQuota() throws Exception {
            race(List.of(port));
        }

    }

    @Nested
    @PostgresTest
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class OnPostgres extends Checks {

        @Autowired
        JdbcConnectionDetails database;

        @Test
        void racingUploadsOnTwoInstancesStayWithinTheQuota() throws Exception {
            try (AnotherInstance other = AnotherInstance.start(database)) {
                race(List.of(port, other.port()));
            }
        }

    }

    abstract static class Checks {

        @LocalServerPort
        int port;

        @Autowired
        JdbcTemplate jdbc;

        void race(List<Integer> ports) throws Exception {
            TestHttp operator = new TestHttp(port);
            UUID tenant = UUID.fromString(
                    TestHttp
                        .json(post(operator, "/api/v1/tenants",
                                "{\"name\": \"quota-" + UUID.randomUUID() + "\", \"datasetBytesQuota\": " + QUOTA
                                        + "}"))
                        .path("id")
                        .asString());
            String key = TestHttp
                .json(post(operator, "/api/v1/tenants/" + tenant + "/keys",
                        "{\"name\": \"uploads\", \"role\": \"user\"}"))
                .path("key")
                .asString();

            List<HttpResponse<String>> answers = uploadAtOnce(ports, key);

            long fit = QUOTA / UPLOAD_BYTES;
            assertThat(answers).filteredOn(a -> a.statusCode() == 201).hasSize((int) fit);
            assertThat(answers).filteredOn(a -> a.statusCode() != 201).hasSize((int) (UPLOADS - fit)).allSatisfy(a -> {
                assertThat(a.statusCode()).as(a.body()).isEqualTo(409);
                JsonNode problem = TestHttp.json(a);
                assertThat(problem.path("title").asString()).isEqualTo("Dataset storage quota exceeded");
                assertThat(problem.path("used").asLong() + problem.path("requested").asLong()).isGreaterThan(QUOTA);
            });
            assertThat(
                    jdbc.queryForObject("select sum(size_bytes) from datasets where tenant_id = ?", Long.class, tenant))
                .isEqualTo(fit * UPLOAD_BYTES);
            assertThat(jdbc.queryForObject("select count(*) from datasets where tenant_id = ?", Long.class, tenant))
                .isEqualTo(fit);
            assertThat(jdbc.queryForObject("select count(*) from dataset_chunks c join datasets d on d.id = "
                    + "c.dataset_id where d.tenant_id = ?", Long.class, tenant))
                .as("a features and a labels chunk per stored dataset")
                .isEqualTo(2 * fit);
            assertThat(jdbc.queryForObject(
                    "select count(*) from dataset_chunks where dataset_id not in (select id from datasets)",
                    Long.class))
                .isZero();
        }

        private static HttpResponse<String> post(TestHttp http, String path, String json) {
            HttpResponse<String> response = http.send(http.request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            return response;
        }

        private static List<HttpResponse<String>> uploadAtOnce(List<Integer> ports, String key) throws Exception {
            StringBuilder csv = new StringBuilder("a,b,label\n");
            for (int i = 0; i < UPLOAD_BYTES / 12; i++) {
                csv.append(i).append(',').append(-i).append(',').append(i % 2 == 0 ? "even" : "odd").append('\n');
            }
            byte[] content = csv.toString().getBytes(StandardCharsets.UTF_8);
            List<Callable<HttpResponse<String>>> uploads = new ArrayList<>();
            for (int i = 0; i < UPLOADS; i++) {
                TestHttp http = new TestHttp(ports.get(i % ports.size()), key);
                HttpRequest request = new Multipart().field("name", "parity-" + i)
                    .file("file", "parity.csv", "text/csv", content)
                    .post(http.request("/api/v1/datasets"))
                    .build();
                uploads.add(() -> http.send(request));
            }
            return AllAtOnce.call(uploads);
        }

    }

}
