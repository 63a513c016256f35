package dev.trainyard.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trainyard.TestHttp;
import dev.trainyard.model.ModelService;
import dev.trainyard.security.Tenants;
import dev.trainyard.system.PostgresTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The runs table's figures ({@code summary} of a job) and the downsampling of long
 * metrics and diagnostics, over HTTP on H2 and PostgreSQL. Long series are written
 * straight into the metrics tables of a finished job.
 */
class JobSummaryApiTest {

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class OnH2 extends Checks {

    }

    @Nested
    @PostgresTest
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class OnPostgres extends Checks {

    }

    abstract class Checks {

        @LocalServerPort
        int port;

        @Autowired
        JdbcTemplate jdbc;

        @Autowired
        ModelService models;

        JobClient client() {
            return new JobClient(new TestHttp(port));
        }

        /** A finished single-model job on the blobs with a test dataset. */
        String finishedJob(JobClient c, int epochs) throws Exception {
            String dataset = c.uploadBlobs(100, 1);
            String test = c.uploadBlobs(30, 98);
            String id = c.submitted(JobClient.mlpSpec(dataset, epochs, "")
                .replace("\"seed\": 7,", "\"seed\": 7, \"testDatasetId\": \"" + test + "\","));
            JsonNode done = c.awaitJob(id, Duration.ofSeconds(60), j -> j.path("finishedAt").isString());
            assertThat(done.path("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
            return id;
        }

        @Test
        void summaryGivesTheBestValidationAccuracyTestAccuracyDurationAndThroughput() throws Exception {
            JobClient c = client();
            String id = finishedJob(c, 3);
            JsonNode metrics = TestHttp.json(c.http.get("/api/v1/jobs/" + id + "/metrics"));
            assertThat(metrics).hasSize(3);
            // make an early epoch the best and the last one poor: best is the maximum
            jdbc.update("UPDATE training_metrics SET val_accuracy = 0.995 WHERE job_id = ? AND epoch = 1",
                    UUID.fromString(id));
            jdbc.update("UPDATE training_metrics SET val_accuracy = 0.25 WHERE job_id = ? AND epoch > 1",
                    UUID.fromString(id));
            double meanThroughput = (metrics.get(0).path("samplesPerSecond").asDouble()
                    + metrics.get(1).path("samplesPerSecond").asDouble()
                    + metrics.get(2).path("samplesPerSecond").asDouble()) / 3;

            JsonNode job = c.job(id);
            JsonNode summary = job.path("summary");
            assertThat(summary.path("bestValAccuracy").asDouble()).isEqualTo(0.995);
            UUID modelId = UUID.fromString(job.path("modelIds").get(0).asString());
            Double testAccuracy = models.get(Tenants.DEFAULT_ID, modelId).metrics().testAccuracy();
            assertThat(testAccuracy).isNotNull();
            assertThat(summary.path("testAccuracy").asDouble()).isEqualTo(testAccuracy);
            double duration = Duration
                .between(Instant.parse(job.path("startedAt").asString()),
                        Instant.parse(job.path("finishedAt").asString()))
                .toMillis() / 1000.0;
            assertThat(summary.path("durationSeconds").asDouble()).isEqualTo(duration);
            assertThat(summary.path("samplesPerSecond").asDouble()).isCloseTo(meanThroughput, within(1e-6));

            // the list shows the same summary for every job of its page
            JsonNode page = TestHttp.json(c.http.get("/api/v1/jobs?size=100"));
            JsonNode listed = null;
            for (JsonNode item : page.path("items")) {
                if (item.path("id").asString().equals(id)) {
                    listed = item;
                }
                assertThat(item.has("summary")).isTrue();
            }
            assertThat(listed).isNotNull();
            assertThat(listed.path("summary")).isEqualTo(summary);
        }

        @Test
        void aQueuedJobHasAnEmptySummaryAndARunningOneADurationUpToNow() throws Exception {
            JobClient c = client();
            String dataset = c.uploadBlobs(2000, 4);
            String busy = c.submitted(JobClient.mlpSpec(dataset, 500, ""));
            c.awaitStatus(busy, "RUNNING", Duration.ofSeconds(30));
            String queued = c.submitted(JobClient.mlpSpec(dataset, 1, ""));
            try {
                JsonNode waiting = c.job(queued).path("summary");
                assertThat(waiting.path("bestValAccuracy").isNull()).isTrue();
                assertThat(waiting.path("testAccuracy").isNull()).isTrue();
                assertThat(waiting.path("durationSeconds").isNull()).isTrue();
                assertThat(waiting.path("samplesPerSecond").isNull()).isTrue();

                JsonNode running = c.awaitJob(busy, Duration.ofSeconds(60),
                        j -> !j.path("summary").path("bestValAccuracy").isNull());
                Instant started = Instant.parse(running.path("startedAt").asString());
                double upToNow = Duration.between(started, Instant.now()).toMillis() / 1000.0;
                assertThat(running.path("summary").path("durationSeconds").asDouble()).isPositive()
                    .isLessThanOrEqualTo(upToNow + 0.001);
                assertThat(running.path("summary").path("samplesPerSecond").asDouble()).isPositive();
                assertThat(running.path("summary").path("testAccuracy").isNull()).isTrue();
            }
            finally {
                c.cancel(queued);
                c.cancel(busy);
                c.awaitStatus(busy, "CANCELLED", Duration.ofSeconds(10));
            }
        }

        @Test
        void longMetricsAreDownsampledAndSaySo() throws Exception {
            JobClient c = client();
            String id = finishedJob(c, 2);
            UUID job = UUID.fromString(id);
            jdbc.update("UPDATE training_metrics SET val_accuracy = 0.5 WHERE job_id = ?", job);
            // epochs 3..3000 of member 0, the best validation accuracy at epoch 1234
            List<Object[]> rows = new ArrayList<>();
            for (int e = 3; e <= 3000; e++) {
                double t = e / 3000.0;
                rows.add(new Object[] { job, 0, e, 1 - 0.5 * t, 0.5 + 0.3 * t, 1 - 0.4 * t,
                        e == 1234 ? 0.999 : 0.5 + 0.3 * t, 0.01, 1.0, 5000.0 });
            }
            jdbc.batchUpdate("INSERT INTO training_metrics (job_id, member, epoch, train_loss, train_accuracy, "
                    + "val_loss, val_accuracy, learning_rate, seconds, samples_per_second) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);

            HttpResponse<String> thinned = c.http.get("/api/v1/jobs/" + id + "/metrics?maxPoints=100");
            assertThat(thinned.statusCode()).isEqualTo(200);
            assertThat(thinned.headers().firstValue("X-Downsampled")).hasValue("true");
            JsonNode kept = TestHttp.json(thinned);
            assertThat(kept.size()).isLessThanOrEqualTo(100).isGreaterThan(10);
            List<Integer> epochs = kept.valueStream().map(r -> r.path("epoch").asInt()).toList();
            assertThat(epochs).isSorted().doesNotHaveDuplicates().contains(1, 1234, 3000);
            JsonNode best = kept.valueStream().filter(r -> r.path("epoch").asInt() == 1234).findFirst().orElseThrow();
            assertThat(best.path("valAccuracy").asDouble()).isEqualTo(0.999);
            assertThat(best.path("samplesPerSecond").asDouble()).isEqualTo(5000.0);

            HttpResponse<String> byDefault = c.http.get("/api/v1/jobs/" + id + "/metrics");
            assertThat(byDefault.headers().firstValue("X-Downsampled")).hasValue("true");
            assertThat(TestHttp.json(byDefault).size()).isLessThanOrEqualTo(2000);

            HttpResponse<String> whole = c.http.get("/api/v1/jobs/" + id + "/metrics?maxPoints=3000");
            assertThat(whole.headers().firstValue("X-Downsampled")).hasValue("false");
            assertThat(TestHttp.json(whole)).hasSize(3000);

            assertThat(c.job(id).path("summary").path("bestValAccuracy").asDouble()).isEqualTo(0.999);
        }

        @Test
        void longDiagnosticsKeepTheirWarningsAndSaySo() throws Exception {
            JobClient c = client();
            String id = finishedJob(c, 2);
            UUID job = UUID.fromString(id);
            List<Object[]> rows = new ArrayList<>();
            for (int e = 3; e <= 400; e++) {
                String warnings = e == 321 ? "[\"layer 0 (tanh) is 80% saturated after epoch 321\"]" : "[]";
                rows.add(new Object[] { job, 0, e, "{\"member\": 0, \"epoch\": " + e + ", \"warnings\": " + warnings
                        + ", \"activations\": [], \"parameters\": []}" });
            }
            jdbc.batchUpdate("INSERT INTO training_diagnostics (job_id, member, epoch, data) VALUES (?, ?, ?, ?)",
                    rows);

            HttpResponse<String> thinned = c.http.get("/api/v1/jobs/" + id + "/diagnostics?maxPoints=20");
            assertThat(thinned.statusCode()).isEqualTo(200);
            assertThat(thinned.headers().firstValue("X-Downsampled")).hasValue("true");
            JsonNode kept = TestHttp.json(thinned);
            assertThat(kept.size()).isLessThanOrEqualTo(20).isGreaterThan(10);
            List<Integer> epochs = kept.valueStream().map(r -> r.path("epoch").asInt()).toList();
            assertThat(epochs).isSorted().doesNotHaveDuplicates().contains(1, 321, 400);

            HttpResponse<String> whole = c.http.get("/api/v1/jobs/" + id + "/diagnostics");
            assertThat(whole.headers().firstValue("X-Downsampled")).hasValue("false");
            assertThat(TestHttp.json(whole)).hasSize(400);
        }

        @Test
        void badMaxPointsAre400AndAnotherTenantsJobIs404() throws Exception {
            JobClient c = client();
            String id = finishedJob(c, 1);
            for (String path : List.of("/metrics", "/diagnostics")) {
                for (String value : List.of("9", "0", "-1", "100001")) {
                    HttpResponse<String> response = c.http.get("/api/v1/jobs/" + id + path + "?maxPoints=" + value);
                    assertThat(response.statusCode()).as(path + " " + value).isEqualTo(400);
                    assertThat(TestHttp.contentType(response)).startsWith("application/problem+json");
                    assertThat(TestHttp.json(response).path("parameter").asString()).isEqualTo("maxPoints");
                }
                assertThat(c.http.get("/api/v1/jobs/" + id + path + "?maxPoints=lots").statusCode()).isEqualTo(400);
            }

            TestHttp other = c.http.withKey(newTenantKey(c.http));
            for (String path : List.of("", "/metrics", "/diagnostics")) {
                HttpResponse<String> response = other.get("/api/v1/jobs/" + id + path);
                assertThat(response.statusCode()).as(path).isEqualTo(404);
                assertThat(TestHttp.contentType(response)).startsWith("application/problem+json");
            }
            JsonNode theirs = TestHttp.json(other.get("/api/v1/jobs"));
            assertThat(theirs.path("items")).isEmpty();
        }

        private static String newTenantKey(TestHttp http) {
            String name = "other-" + UUID.randomUUID().toString().substring(0, 8);
            JsonNode tenant = TestHttp.json(post(http, "/api/v1/tenants", "{\"name\": \"" + name + "\"}"));
            JsonNode key = TestHttp.json(post(http, "/api/v1/tenants/" + tenant.path("id").asString() + "/keys",
                    "{\"name\": \"k\", \"role\": \"admin\"}"));
            return key.path("key").asString();
        }

        private static HttpResponse<String> post(TestHttp http, String path, String json) {
            return http.send(http.request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
        }

    }

}
