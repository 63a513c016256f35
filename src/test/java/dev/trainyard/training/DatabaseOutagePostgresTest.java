package dev.trainyard.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.TestHttp;
import dev.trainyard.TrainyardApplication;
import dev.trainyard.system.PostgresTest;
import dev.trainyard.system.TcpProxy;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A worker whose database goes away for a few seconds while it trains, as in a PostgreSQL
 * restart: it reaches the database through a {@link TcpProxy} that the test cuts (open
 * connections break, new ones are refused) and restores. Meanwhile its requests answer
 * 503 with {@code Retry-After}, never 500; its member is not failed but taken up again
 * from its last checkpoint once the database is back, and ends with the same weights as
 * an uninterrupted run. The test's own context serves the API directly (its worker is
 * off).
 */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "trainyard.worker.enabled=false")
class DatabaseOutagePostgresTest {

    static final int EPOCHS = 150;

    /** How long the worker waits for a connection before its request or member fails. */
    static final int CONNECTION_TIMEOUT_MILLIS = 2000;

    @LocalServerPort
    int port;

    @Autowired
    JdbcConnectionDetails database;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aWorkerThatLosesItsDatabaseAnswers503AndItsMemberResumesBitIdentical() throws Exception {
        JobClient api = new JobClient(new TestHttp(port));
        String dataset = api.uploadBlobs(3000, 4);
        String spec = JobClient.mlpSpec(dataset, EPOCHS, "").replace("\"batchSize\": 16", "\"batchSize\": 4");

        Matcher target = Pattern.compile("//([^:/]+):(\\d+)/").matcher(database.getJdbcUrl());
        assertThat(target.find()).as(database.getJdbcUrl()).isTrue();
        try (TcpProxy proxy = new TcpProxy(target.group(1), Integer.parseInt(target.group(2)));
                ConfigurableApplicationContext worker = startWorker(proxy.port())) {
            TestHttp workerHttp = new TestHttp(
                    Integer.parseInt(worker.getEnvironment().getRequiredProperty("local.server.port")));
            String interrupted = api.submitted(spec);
            api.awaitJob(interrupted, Duration.ofSeconds(300), j -> j.path("progress").path("epoch").asInt() >= 2);

            proxy.cut();
            long cutAt = System.nanoTime();
            HttpResponse<String> duringOutage = workerHttp.get("/api/v1/jobs/" + interrupted);
            long answeredMillis = (System.nanoTime() - cutAt) / 1_000_000;
            // back while the member's failure is handled, which is when a worker that
            // took the outage for a failed member would record the job as FAILED
            Thread.sleep(Math.max(0, CONNECTION_TIMEOUT_MILLIS * 7 / 4 - answeredMillis));
            proxy.restore();

            assertThat(duringOutage.statusCode()).as(duringOutage.body()).isEqualTo(503);
            assertThat(duringOutage.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(duringOutage.headers().firstValue("Retry-After")).isPresent();
            assertThat(answeredMillis).isLessThan(CONNECTION_TIMEOUT_MILLIS + 3000);

            JsonNode done = api.awaitJob(interrupted, Duration.ofSeconds(300), j -> j.path("finishedAt").isString());
            assertThat(done.path("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
            assertThat(attempts(interrupted)).as("the member was taken up again after the outage")
                .isGreaterThanOrEqualTo(2);
            assertThat(jdbc.sql("SELECT epoch FROM training_metrics WHERE job_id = ? ORDER BY epoch")
                .param(UUID.fromString(interrupted))
                .query(Integer.class)
                .list()).containsExactlyElementsOf(IntStream.rangeClosed(1, EPOCHS).boxed().toList());
            assertThat(workerHttp.get("/api/v1/jobs/" + interrupted).statusCode()).isEqualTo(200);

            String uninterrupted = api.submitted(spec);
            api.awaitStatus(uninterrupted, "SUCCEEDED", Duration.ofSeconds(300));
            assertThat(attempts(uninterrupted)).isEqualTo(1);
            assertThat(weightsSha256(api, done)).isEqualTo(weightsSha256(api, api.job(uninterrupted)));
        }
    }

    private static String weightsSha256(JobClient api, JsonNode job) {
        String modelId = job.path("modelIds").get(0).asString();
        return TestHttp.json(api.http.get("/api/v1/models/" + modelId))
            .path("provenance")
            .path("weightsSha256")
            .asString();
    }

    private int attempts(String jobId) {
        return jdbc.sql("SELECT attempt FROM training_members WHERE job_id = ? AND member = 0")
            .param(UUID.fromString(jobId))
            .query(Integer.class)
            .single();
    }

    private ConfigurableApplicationContext startWorker(int proxyPort) {
        List<String> args = new ArrayList<>();
        args.add("--spring.datasource.url="
                + database.getJdbcUrl().replaceFirst("//[^:/]+:\\d+/", "//127.0.0.1:" + proxyPort + "/"));
        if (database.getUsername() != null) {
            args.add("--spring.datasource.username=" + database.getUsername());
            args.add("--spring.datasource.password=" + database.getPassword());
        }
        args.add("--spring.datasource.hikari.connection-timeout=" + CONNECTION_TIMEOUT_MILLIS);
        args.add("--server.port=0");
        args.add("--trainyard.security.bootstrap-api-key=");
        // every request reads its key from the database
        args.add("--trainyard.security.key-cache-ttl=0s");
        args.add("--trainyard.worker.name=worker-behind-proxy");
        args.add("--trainyard.worker.polling-interval=200ms");
        args.add("--trainyard.worker.heartbeat-interval=1s");
        args.add("--trainyard.worker.missed-heartbeats=4");
        return new SpringApplicationBuilder(TrainyardApplication.class).run(args.toArray(String[]::new));
    }

}
