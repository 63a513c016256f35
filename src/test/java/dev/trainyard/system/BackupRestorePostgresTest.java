package dev.trainyard.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trainyard.Multipart;
import dev.trainyard.TestHttp;
import dev.trainyard.TrainyardApplication;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The backup procedure of docs/operations.md, end to end: a job trains two models and
 * their ensemble into a PostgreSQL database of its own; {@code pg_dump --format=custom}
 * of that database is taken while the application runs; {@code pg_restore} loads it into
 * a fresh database; an application started on the restored database lists the same
 * datasets, models, ensemble and job, answers the same predictions byte for byte (so
 * every probability is bit-identical), and trains a new job, so the db-scheduler queue
 * and the identity sequences came back too.
 *
 * <p>
 * Needs {@code TRAINYARD_TEST_POSTGRES_URL} (a server on which it may create and drop
 * databases) and the machine's {@code pg_dump}/{@code pg_restore}; it is skipped without
 * them, or fails when {@code TRAINYARD_REQUIRE_POSTGRES=true}.
 */
class BackupRestorePostgresTest {

    static final String INSTANCES = "{\"instances\": [[3.0, 0.0], [-1.5, 2.6], [0.1, -0.2], [-1.4, -2.7]]}";

    @Test
    void aDumpRestoredIntoAFreshDatabaseServesTheSameModelsAndPredictionsBitForBit(@TempDir Path dir) throws Exception {
        PostgresTools tools = toolsOrSkip();
        String source = "trainyard_backup_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String restored = source + "_restored";
        Path dump = dir.resolve("trainyard.dump");
        PostgresTools.createDatabase(source);
        try {
            Map<String, String> before;
            String dataset;
            try (ConfigurableApplicationContext app = start(source)) {
                TestHttp http = http(app);
                dataset = upload(http);
                String job = submit(http, spec(dataset, 3, 2));
                assertThat(awaitFinished(http, job).path("status").asString()).isEqualTo("SUCCEEDED");
                before = state(http);
                // the application keeps running: pg_dump reads one consistent snapshot
                tools.dump(source, dump);
            }
            PostgresTools.createDatabase(restored);
            tools.restore(dump, restored);
            try (ConfigurableApplicationContext app = start(restored)) {
                TestHttp http = http(app);
                Map<String, String> after = state(http);
                assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
                for (String what : before.keySet()) {
                    assertThat(after.get(what)).as(what).isEqualTo(before.get(what));
                }
                String next = submit(http, spec(dataset, 1, 1));
                assertThat(awaitFinished(http, next).path("status").asString()).isEqualTo("SUCCEEDED");
            }
        }
        finally {
            PostgresTools.dropDatabase(restored);
            PostgresTools.dropDatabase(source);
        }
    }

    /**
     * What a client sees, by request: the listings, the job, and every model's and the
     * ensemble's predictions of {@link #INSTANCES}, as response bodies.
     */
    private static Map<String, String> state(TestHttp http) {
        Map<String, String> state = new LinkedHashMap<>();
        for (String listing : new String[] { "/api/v1/datasets?size=100", "/api/v1/models?size=100",
                "/api/v1/jobs?size=100" }) {
            state.put("GET " + listing, body(http.get(listing)));
        }
        JsonNode jobs = TestHttp.json(http.get("/api/v1/jobs?size=100"));
        for (JsonNode job : jobs.path("items")) {
            for (JsonNode model : job.path("modelIds")) {
                String path = "/api/v1/models/" + model.asString() + "/predictions";
                state.put("POST " + path, body(post(http, path, INSTANCES)));
            }
            String ensemble = "/api/v1/ensembles/" + job.path("ensembleId").asString();
            state.put("GET " + ensemble, body(http.get(ensemble)));
            state.put("POST " + ensemble + "/predictions", body(post(http, ensemble + "/predictions", INSTANCES)));
        }
        assertThat(state.keySet().stream().filter(k -> k.endsWith("/predictions"))).hasSize(3);
        return state;
    }

    private static String body(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private static String upload(TestHttp http) {
        HttpResponse<String> response = http.send(new Multipart().field("name", "blobs")
            .field("format", "csv")
            .file("file", "blobs.csv", "text/csv", blobs(60, 5).getBytes(StandardCharsets.UTF_8))
            .post(http.request("/api/v1/datasets"))
            .build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return TestHttp.json(response).path("id").asString();
    }

    /** Three Gaussian blobs in the plane, {@code perClass} examples each. */
    private static String blobs(int perClass, long seed) {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("x,y,label\n");
        for (int i = 0; i < perClass; i++) {
            for (int c = 0; c < 3; c++) {
                double angle = 2 * Math.PI * c / 3;
                csv.append(String.format(Locale.ROOT, "%.5f,%.5f,c%d%n", 3 * Math.cos(angle) + random.nextGaussian(),
                        3 * Math.sin(angle) + random.nextGaussian(), c));
            }
        }
        return csv.toString();
    }

    private static String spec(String dataset, int epochs, int members) {
        return """
                {"name": "backup", "datasetId": "%s", "seed": 3, "ensemble": {"members": %d},
                 "model": {"layers": [{"type": "dense", "units": 8}, {"type": "relu"}, {"type": "dense", "units": 3}]},
                 "training": {"epochs": %d, "batchSize": 16, "optimizer": {"type": "adam", "learningRate": 0.01}}}"""
            .formatted(dataset, members, epochs);
    }

    private static String submit(TestHttp http, String spec) {
        HttpResponse<String> response = post(http, "/api/v1/jobs", spec);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return TestHttp.json(response).path("id").asString();
    }

    private static JsonNode awaitFinished(TestHttp http, String job) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            JsonNode view = TestHttp.json(http.get("/api/v1/jobs/" + job));
            if (view.path("finishedAt").isString()) {
                return view;
            }
            assertThat(System.nanoTime()).as("job %s did not finish: %s", job, view).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static HttpResponse<String> post(TestHttp http, String path, String json) {
        return http.send(http.request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
    }

    private static ConfigurableApplicationContext start(String database) {
        return new SpringApplicationBuilder(TrainyardApplication.class)
            .run("--spring.datasource.url=" + PostgresTools.jdbcUrl(database), "--server.port=0");
    }

    private static TestHttp http(ConfigurableApplicationContext app) {
        return new TestHttp(((WebServerApplicationContext) app).getWebServer().getPort());
    }

    private static PostgresTools toolsOrSkip() {
        String missing = null;
        Optional<PostgresTools> tools = PostgresTools.find();
        if (PostgresTestServer.url() == null) {
            missing = "a PostgreSQL server in " + PostgresTestServer.URL_VARIABLE + " (it creates and drops databases)";
        }
        else if (tools.isEmpty()) {
            missing = "pg_dump and pg_restore (looked in /usr/lib/postgresql/*/bin and on the PATH)";
        }
        if (missing != null) {
            if (PostgresTestServer.required()) {
                fail("The backup test needs " + missing + ", and " + PostgresTestServer.REQUIRE_VARIABLE + "=true");
            }
            assumeTrue(false, "Backup test skipped: it needs " + missing + "; set "
                    + PostgresTestServer.REQUIRE_VARIABLE + "=true to fail instead");
        }
        return tools.orElseThrow();
    }

}
