package dev.trainyard.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.TestHttp;
import dev.trainyard.TrainyardApplication;
import dev.trainyard.engine.io.ModelFile;
import dev.trainyard.engine.tensor.Tensor;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * An instance that shuts down gracefully checkpoints its member in the middle of an epoch
 * and gives it back to the queue; the next instance resumes it and ends with the weights
 * of an uninterrupted run. Both instances use one in-memory H2 database that outlives
 * them.
 */
class GracefulShutdownTest {

    static final int EPOCHS = 15;

    @Test
    void aStoppedInstanceReleasesItsMemberWhichResumesBitIdenticalElsewhere() throws Exception {
        String url = "jdbc:h2:mem:shutdown-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
        String job;
        String spec;
        try (ConfigurableApplicationContext first = start(url)) {
            JobClient api = client(first);
            spec = JobClient.mlpSpec(api.uploadBlobs(1500, 5), EPOCHS, "")
                .replace("\"batchSize\": 16", "\"batchSize\": 4");
            job = api.submitted(spec);
            api.awaitJob(job, Duration.ofSeconds(120),
                    j -> j.path("progress").path("epoch").asInt() >= 2 && j.path("progress").path("batch").asInt() > 0);
        }
        try (ConfigurableApplicationContext second = start(url)) {
            JdbcClient jdbc = second.getBean(JdbcClient.class);
            JobClient api = client(second);
            JsonNode resumed = api.awaitStatus(job, "SUCCEEDED", Duration.ofSeconds(300));
            assertThat(resumed.path("modelIds")).hasSize(1);
            // released on shutdown, so taken up a second time; never failed or cancelled
            assertThat(jdbc.sql("SELECT attempt FROM training_members WHERE job_id = ?")
                .param(UUID.fromString(job))
                .query(Integer.class)
                .single()).isEqualTo(2);

            String uninterrupted = api.submitted(spec);
            api.awaitStatus(uninterrupted, "SUCCEEDED", Duration.ofSeconds(300));
            Map<String, Tensor> a = model(jdbc, job);
            Map<String, Tensor> b = model(jdbc, uninterrupted);
            assertThat(a.keySet()).containsExactlyElementsOf(b.keySet());
            for (String name : a.keySet()) {
                assertThat(a.get(name).data()).as(name).containsExactly(b.get(name).data());
            }
        }
    }

    private static ConfigurableApplicationContext start(String url) {
        return new SpringApplicationBuilder(TrainyardApplication.class).run("--spring.datasource.url=" + url,
                "--server.port=0", "--trainyard.worker.polling-interval=200ms");
    }

    private static JobClient client(ConfigurableApplicationContext context) {
        return new JobClient(new TestHttp(((WebServerApplicationContext) context).getWebServer().getPort()));
    }

    static Map<String, Tensor> model(JdbcClient jdbc, String jobId) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        jdbc.sql("SELECT data FROM training_blobs WHERE job_id = ? AND kind = 'model' ORDER BY seq")
            .param(UUID.fromString(jobId))
            .query((rs, i) -> rs.getBytes(1))
            .list()
            .forEach(bytes::writeBytes);
        return ModelFile.fromBytes(bytes.toByteArray()).tensors();
    }

}
