package dev.trainyard.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.TestHttp;
import dev.trainyard.TrainyardApplication;
import dev.trainyard.model.ModelService;
import dev.trainyard.model.TestModels;
import dev.trainyard.system.PostgresTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two instances on one PostgreSQL database: instance A (the test's context) deletes a
 * model that both have loaded and that instance B serves to a client predicting without
 * pause. A must answer 404 at once; B within 2 s of the deletion, and nothing but 200
 * before and 404 after.
 */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "trainyard.worker.enabled=false", "trainyard.security.rate-limits.predictions-per-second=0" })
class ModelDeletedElsewherePostgresTest {

    static final UUID DEFAULT_TENANT = UUID.fromString("00000000-0000-0000-0000-000000000001");

    static final String INSTANCES = "{\"instances\": [[0.5, 1.0, 1.5, 2.0], [1, 2, 3, 4]]}";

    /** One answer B gave: when its request was sent, its status and problem title. */
    record Answer(long sentNanos, int status, String title) {
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcConnectionDetails database;

    @Autowired
    ModelService registry;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aModelDeletedThroughAnotherInstanceStopsServingThereWithinTwoSeconds() throws Exception {
        UUID id = registry.register(TestModels.newModel(DEFAULT_TENANT, null, 0, TestModels.mlp(4, 3),
                TestModels.standardize(4), TestModels.CLASSES));
        String path = "/api/v1/models/" + id + "/predictions";
        ConfigurableApplicationContext instanceB = startInstance();
        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            TestHttp b = new TestHttp(
                    Integer.parseInt(instanceB.getEnvironment().getRequiredProperty("local.server.port")));
            assertThat(predict(b, path).statusCode()).as("B serves the model and keeps it loaded").isEqualTo(200);
            TestHttp a = new TestHttp(port);
            assertThat(predict(a, path).statusCode()).as("A serves it too").isEqualTo(200);
            Queue<Answer> answers = new ConcurrentLinkedQueue<>();
            AtomicBoolean running = new AtomicBoolean(true);
            Future<?> predicting = client.submit(() -> {
                while (running.get()) {
                    long sent = System.nanoTime();
                    HttpResponse<String> response = predict(b, path);
                    String title = response.statusCode() == 200 ? null
                            : TestHttp.json(response).path("title").asString();
                    answers.add(new Answer(sent, response.statusCode(), title));
                }
                return null;
            });
            Thread.sleep(300);

            HttpResponse<String> deleted = a.send(a.request("/api/v1/models/" + id).DELETE().build());
            long deletedAt = System.nanoTime();
            assertThat(deleted.statusCode()).as("A deletes the model").isEqualTo(204);
            assertThat(predict(a, path).statusCode()).as("A, at once").isEqualTo(404);
            Thread.sleep(3000);
            running.set(false);
            predicting.get();

            List<Answer> all = new ArrayList<>(answers);
            assertThat(all).as("B answered throughout").hasSizeGreaterThan(20);
            assertThat(all).allSatisfy(answer -> assertThat(answer.status()).as("status").isIn(200, 404));
            assertThat(all).filteredOn(answer -> answer.status() == 404)
                .allSatisfy(answer -> assertThat(answer.title()).isEqualTo("Model not found"));
            int first404 = indexOfFirst404(all);
            assertThat(first404).as("B stopped serving the deleted model").isNotNegative();
            assertThat(all.subList(first404, all.size())).as("never served again once gone")
                .allSatisfy(answer -> assertThat(answer.status()).isEqualTo(404));
            long twoSecondsLater = deletedAt + Duration.ofSeconds(2).toNanos();
            assertThat(all).filteredOn(answer -> answer.sentNanos() >= twoSecondsLater)
                .as("requests sent 2 s after the deletion")
                .isNotEmpty()
                .allSatisfy(answer -> assertThat(answer.status()).isEqualTo(404));
            assertThat(Duration.ofNanos(all.get(first404).sentNanos() - deletedAt)).isLessThan(Duration.ofSeconds(2));
        }
        finally {
            client.shutdownNow();
            instanceB.close();
        }
    }

    private static int indexOfFirst404(List<Answer> answers) {
        for (int i = 0; i < answers.size(); i++) {
            if (answers.get(i).status() == 404) {
                return i;
            }
        }
        return -1;
    }

    private static HttpResponse<String> predict(TestHttp http, String path) {
        return http.send(http.request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(INSTANCES))
            .build());
    }

    /** A second application on the same database, as another instance of the cluster. */
    private ConfigurableApplicationContext startInstance() {
        List<String> args = new ArrayList<>();
        args.add("--spring.datasource.url=" + database.getJdbcUrl());
        if (database.getUsername() != null) {
            args.add("--spring.datasource.username=" + database.getUsername());
            args.add("--spring.datasource.password=" + database.getPassword());
        }
        args.add("--server.port=0");
        args.add("--trainyard.security.bootstrap-api-key=");
        args.add("--trainyard.worker.enabled=false");
        args.add("--trainyard.security.rate-limits.predictions-per-second=0");
        return new SpringApplicationBuilder(TrainyardApplication.class).run(args.toArray(String[]::new));
    }

}
