package dev.trainyard.prediction.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import dev.trainyard.TestHttp;
import dev.trainyard.model.ModelService;
import dev.trainyard.model.TestModels;
import dev.trainyard.security.Tenants;
import dev.trainyard.system.AnotherInstance;
import dev.trainyard.system.PostgresTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Two workers on one PostgreSQL database, one killed while it scores a batch: a separate
 * JVM (worker B) is killed with {@code destroyForcibly} after it has stored some chunks;
 * a second application (worker C) that was running all along takes the batch over once
 * B's heartbeats have expired, resumes at the first chunk B did not store, and ends with
 * the results of an uninterrupted batch, byte for byte. The test's own context only
 * serves the API (its worker is off).
 */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "trainyard.worker.enabled=false", "trainyard.batch-predictions.chunk-rows=16" })
class BatchCrashResumePostgresTest {

    static final int ROWS = 60_000;

    static final int CHUNKS = ROWS / 16;

    @LocalServerPort
    int port;

    @Autowired
    JdbcConnectionDetails database;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ModelService models;

    @Test
    void aKilledWorkersBatchResumesElsewhereAtItsFirstChunkNotStored() throws Exception {
        BatchClient api = new BatchClient(new TestHttp(port));
        String model = models.register(TestModels.newModel(Tenants.DEFAULT_ID, null, 0, TestModels.mlp(4, 51),
                TestModels.standardize(4), TestModels.CLASSES))
            .toString();
        String dataset = api.upload("crash", BatchClient.examples(ROWS, 31, TestModels.CLASSES));

        // C starts first but holds back, so that B (a JVM of its own, killable) takes the
        // batch
        AnotherInstance workerC = AnotherInstance.start(database, AnotherInstance.quickWorker("worker-c"));
        Scheduler schedulerC = (Scheduler) workerC.context().getBean(SchedulerClient.class);
        schedulerC.pause();
        Path log = Files.createTempFile("batch-worker-b", ".log");
        Process workerB = AnotherInstance.startJvm(database, log, AnotherInstance.quickWorker("worker-b"));
        try {
            String crashed = api.submitted(model, dataset);
            api.await(crashed, Duration.ofSeconds(400), b -> {
                assertThat(workerB.isAlive()).as("worker B is running; its log: %s", log).isTrue();
                return b.path("rowsDone").asInt() >= 20 * 16;
            });
            assertThat(pickedBy(crashed)).isEqualTo("worker-b");

            // C claims work again while B is alive: B's batch stays B's
            schedulerC.resume();
            Thread.sleep(500);
            assertThat(pickedBy(crashed)).isEqualTo("worker-b");

            workerB.destroyForcibly().waitFor();
            int storedByB = BatchGracefulShutdownTest.chunksOfAttempt(jdbc, crashed, 1);
            assertThat(storedByB).isPositive().isLessThan(CHUNKS);

            JsonNode resumed = api.awaitStatus(crashed, "SUCCEEDED", Duration.ofSeconds(400));
            assertThat(resumed.path("rowsDone").asInt()).isEqualTo(ROWS);
            assertThat(BatchGracefulShutdownTest.attempt(jdbc, crashed)).isEqualTo(2);
            assertThat(BatchGracefulShutdownTest.chunksOfAttempt(jdbc, crashed, 1)).isEqualTo(storedByB);
            assertThat(BatchGracefulShutdownTest.chunksOfAttempt(jdbc, crashed, 2)).isEqualTo(CHUNKS - storedByB);

            String uninterrupted = api.submitted(model, dataset);
            JsonNode undisturbed = api.awaitStatus(uninterrupted, "SUCCEEDED", Duration.ofSeconds(400));
            assertThat(BatchGracefulShutdownTest.attempt(jdbc, uninterrupted)).isEqualTo(1);
            String a = api.results(crashed, "format=jsonl", null).body();
            String b = api.results(uninterrupted, "format=jsonl", null).body();
            assertThat(a.length()).isEqualTo(b.length());
            assertThat(a.equals(b)).as("the results of both batches are the same bytes").isTrue();
            assertThat(resumed.path("confusionMatrix")).isEqualTo(undisturbed.path("confusionMatrix"));
        }
        finally {
            workerB.destroyForcibly();
            workerC.close();
        }
    }

    private String pickedBy(String batch) {
        return jdbc.sql("SELECT picked_by FROM scheduled_tasks WHERE task_name = 'score-batch' AND task_instance = ?")
            .param(batch)
            .query(String.class)
            .single();
    }

}
