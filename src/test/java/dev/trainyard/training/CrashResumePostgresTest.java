package dev.trainyard.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import dev.trainyard.TestHttp;
import dev.trainyard.engine.io.ModelFile;
import dev.trainyard.engine.tensor.Tensor;
import dev.trainyard.system.AnotherInstance;
import dev.trainyard.system.PostgresTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Two workers on one PostgreSQL database, one killed while it trains: a separate JVM
 * (worker B) is killed with {@code destroyForcibly} after its member has checkpointed
 * some epochs; a second application (worker C) that was running all along takes the
 * member over once B's heartbeats have expired, resumes from the checkpoint and ends with
 * the same weights, bit for bit, as an uninterrupted run of the same spec. The test's own
 * context only serves the API (its worker is off).
 */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "trainyard.worker.enabled=false")
class CrashResumePostgresTest {

    static final int EPOCHS = 30;

    @LocalServerPort
    int port;

    @Autowired
    JdbcConnectionDetails database;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aKilledWorkersMemberIsResumedElsewhereAndEndsBitIdentical() throws Exception {
        JobClient api = new JobClient(new TestHttp(port));
        String dataset = api.uploadBlobs(5000, 4);
        String spec = JobClient.mlpSpec(dataset, EPOCHS, "").replace("\"batchSize\": 16", "\"batchSize\": 4");

        // C starts first but holds back, so that B (a JVM of its own, killable) takes the
        // job
        AnotherInstance workerC = AnotherInstance.start(database, AnotherInstance.quickWorker("worker-c"));
        Scheduler schedulerC = (Scheduler) workerC.context().getBean(SchedulerClient.class);
        schedulerC.pause();
        Path log = Files.createTempFile("worker-b", ".log");
        Process workerB = AnotherInstance.startJvm(database, log, AnotherInstance.quickWorker("worker-b"));
        try {
            String crashed = api.submitted(spec);
            // B is the only worker: it takes the member up and checkpoints a few epochs
            api.awaitJob(crashed, Duration.ofSeconds(400), j -> {
                assertThat(workerB.isAlive()).as("worker B is running; its log: %s", log).isTrue();
                return j.path("progress").path("epoch").asInt() >= 2;
            });
            assertThat(owner(crashed)).isEqualTo("worker-b");

            // C claims work again while B is alive: B's member stays B's
            schedulerC.resume();
            Thread.sleep(500);
            assertThat(owner(crashed)).isEqualTo("worker-b");
            int epochAtKill = api.job(crashed).path("progress").path("epoch").asInt();
            assertThat(epochAtKill).isLessThan(EPOCHS);

            workerB.destroyForcibly().waitFor();
            JsonNode resumed = api.awaitStatus(crashed, "SUCCEEDED", Duration.ofSeconds(400));
            assertThat(resumed.path("modelIds")).hasSize(1);
            assertThat(attempts(crashed)).isEqualTo(2);
            // every epoch has exactly one metrics row, whichever worker trained it
            assertThat(jdbc.sql("SELECT epoch FROM training_metrics WHERE job_id = ? ORDER BY epoch")
                .param(UUID.fromString(crashed))
                .query(Integer.class)
                .list()).containsExactlyElementsOf(IntStream.rangeClosed(1, EPOCHS).boxed().toList());

            String uninterrupted = api.submitted(spec);
            api.awaitStatus(uninterrupted, "SUCCEEDED", Duration.ofSeconds(400));
            assertThat(attempts(uninterrupted)).isEqualTo(1);

            Map<String, Tensor> a = modelTensors(crashed);
            Map<String, Tensor> b = modelTensors(uninterrupted);
            assertThat(a.keySet()).containsExactlyElementsOf(b.keySet());
            for (String name : a.keySet()) {
                assertThat(bits(a.get(name))).as(name).isEqualTo(bits(b.get(name)));
            }
        }
        finally {
            workerB.destroyForcibly();
            workerC.close();
        }
    }

    private String owner(String jobId) {
        return jdbc.sql("SELECT owner FROM training_members WHERE job_id = ? AND member = 0")
            .param(UUID.fromString(jobId))
            .query((rs, i) -> rs.getString(1))
            .single();
    }

    private int attempts(String jobId) {
        return jdbc.sql("SELECT attempt FROM training_members WHERE job_id = ? AND member = 0")
            .param(UUID.fromString(jobId))
            .query(Integer.class)
            .single();
    }

    private Map<String, Tensor> modelTensors(String jobId) {
        List<byte[]> chunks = jdbc
            .sql("SELECT data FROM training_blobs WHERE job_id = ? AND member = 0 " + "AND kind = 'model' ORDER BY seq")
            .param(UUID.fromString(jobId))
            .query((rs, i) -> rs.getBytes(1))
            .list();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        chunks.forEach(bytes::writeBytes);
        return ModelFile.fromBytes(bytes.toByteArray()).tensors();
    }

    private static int[] bits(Tensor t) {
        int[] bits = new int[t.size()];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = Float.floatToRawIntBits(t.data()[t.offset() + i]);
        }
        return bits;
    }

}
