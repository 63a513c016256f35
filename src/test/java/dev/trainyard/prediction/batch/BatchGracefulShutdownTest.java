package dev.trainyard.prediction.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.TestHttp;
import dev.trainyard.TrainyardApplication;
import dev.trainyard.model.ModelService;
import dev.trainyard.model.TestModels;
import dev.trainyard.security.Tenants;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * An instance that shuts down gracefully in the middle of a batch prediction gives it
 * back after its last stored chunk; the next instance resumes at the first chunk not
 * stored, and the results are those of an uninterrupted batch, byte for byte. Both
 * instances use one in-memory H2 database that outlives them.
 */
class BatchGracefulShutdownTest {

    static final int ROWS = 60_000;

    static final int CHUNK_ROWS = 16;

    @Test
    void aStoppedInstanceReleasesItsBatchWhichResumesAtItsFirstChunkNotStored() throws Exception {
        String url = "jdbc:h2:mem:batch-shutdown-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
        String model;
        String dataset;
        String batch;
        int storedBeforeShutdown;
        try (ConfigurableApplicationContext first = start(url)) {
            BatchClient api = client(first);
            model = first.getBean(ModelService.class)
                .register(TestModels.newModel(Tenants.DEFAULT_ID, null, 0, TestModels.mlp(4, 41),
                        TestModels.standardize(4), TestModels.CLASSES))
                .toString();
            dataset = api.upload("resume", BatchClient.examples(ROWS, 21, TestModels.CLASSES));
            batch = api.submitted(model, dataset);
            api.await(batch, Duration.ofSeconds(60), b -> b.path("rowsDone").asInt() >= 20 * CHUNK_ROWS);
        }
        try (ConfigurableApplicationContext second = start(url)) {
            JdbcClient jdbc = second.getBean(JdbcClient.class);
            BatchClient api = client(second);
            storedBeforeShutdown = chunksOfAttempt(jdbc, batch, 1);
            assertThat(storedBeforeShutdown).isPositive().isLessThan(ROWS / CHUNK_ROWS);

            JsonNode resumed = api.awaitStatus(batch, "SUCCEEDED", Duration.ofSeconds(300));

            assertThat(resumed.path("rowsDone").asInt()).isEqualTo(ROWS);
            // released on shutdown, so taken up a second time; the first attempt's chunks
            // were kept, and the second scored only the others
            assertThat(attempt(jdbc, batch)).isEqualTo(2);
            assertThat(chunksOfAttempt(jdbc, batch, 1)).isEqualTo(storedBeforeShutdown);
            assertThat(chunksOfAttempt(jdbc, batch, 2)).isEqualTo(ROWS / CHUNK_ROWS - storedBeforeShutdown);

            String uninterrupted = api.submitted(model, dataset);
            JsonNode undisturbed = api.awaitStatus(uninterrupted, "SUCCEEDED", Duration.ofSeconds(300));
            assertThat(attempt(jdbc, uninterrupted)).isEqualTo(1);
            HttpResponse<String> a = api.results(batch, "format=csv", null);
            HttpResponse<String> b = api.results(uninterrupted, "format=csv", null);
            assertThat(a.body()).hasSize(b.body().length());
            assertThat(a.body().equals(b.body())).as("the results of both batches are the same bytes").isTrue();
            assertThat(resumed.path("accuracy").asDouble()).isEqualTo(undisturbed.path("accuracy").asDouble());
            assertThat(resumed.path("confusionMatrix")).isEqualTo(undisturbed.path("confusionMatrix"));
        }
    }

    static int attempt(JdbcClient jdbc, String batch) {
        return jdbc.sql("SELECT attempt FROM batch_predictions WHERE id = ?")
            .param(UUID.fromString(batch))
            .query(Integer.class)
            .single();
    }

    static int chunksOfAttempt(JdbcClient jdbc, String batch, int attempt) {
        return jdbc.sql("SELECT COUNT(*) FROM batch_prediction_chunks WHERE batch_id = ? AND attempt = ?")
            .params(UUID.fromString(batch), attempt)
            .query(Integer.class)
            .single();
    }

    private static ConfigurableApplicationContext start(String url) {
        return new SpringApplicationBuilder(TrainyardApplication.class).run("--spring.datasource.url=" + url,
                "--server.port=0", "--trainyard.worker.polling-interval=200ms",
                "--trainyard.batch-predictions.chunk-rows=" + CHUNK_ROWS);
    }

    private static BatchClient client(ConfigurableApplicationContext context) {
        return new BatchClient(new TestHttp(((WebServerApplicationContext) context).getWebServer().getPort()));
    }

}
