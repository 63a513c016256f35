package dev.trainyard.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.Multipart;
import dev.trainyard.TestHttp;
import dev.trainyard.TrainyardApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The single instance on its default embedded H2 file ({@code ./data/trainyard}, the
 * shipped configuration), killed with SIGKILL while it stores an upload and trains a job,
 * then started again on the same files. The instance is a child JVM on this test's
 * classpath, run through the application's main class as {@code java -jar} would (the jar
 * exists only after {@code package}, later than the tests); its configuration is the main
 * {@code application.properties} alone.
 *
 * <p>
 * After the restart the database opens and serves; the upload that was being stored is
 * absent and left nothing behind (no dataset row, no chunk without its dataset); the
 * member that was training is taken over by the new instance once the dead one's
 * heartbeats have expired, resumes from its last checkpoint and the job succeeds, with
 * one metrics row per epoch. {@code CrashResumePostgresTest} covers a killed worker on
 * PostgreSQL with a second instance running meanwhile, and the bit-identical weights;
 * {@code GracefulShutdownTest} a clean stop on H2.
 */
class EmbeddedCrashTest {

    /**
     * Enough for the job to outlast the kill by some seconds: the killed instance trains
     * with C1 alone, the restarted one (this JVM) several times faster.
     */
    static final int EPOCHS = 40;

    @Test
    void afterAKillTheDatabaseOpensTheInterruptedUploadIsGoneAndTheMemberResumes(@TempDir Path home) throws Exception {
        String dataset;
        String job;
        String acknowledged;
        byte[] big = bigCsv();
        Instance first = Instance.start(home, "first");
        try {
            JobClient api = first.api();
            dataset = api.uploadBlobs(2000, 5);

            // a large upload (some seconds to store), caught once its first chunk is
            // written in its transaction
            long chunksBefore = first.logged("insert into dataset_chunks");
            CompletableFuture<HttpResponse<String>> upload = CompletableFuture
                .supplyAsync(() -> api.http.send(new Multipart().field("name", "interrupted")
                    .field("format", "csv")
                    .file("file", "big.csv", "text/csv", big)
                    .post(api.http.request("/api/v1/datasets").timeout(Duration.ofSeconds(120)))
                    .build()));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (first.logged("insert into dataset_chunks") <= chunksBefore) {
                assertThat(upload).as("the upload is still being stored").isNotDone();
                assertThat(System.nanoTime()).as("the upload's chunks are written").isLessThan(deadline);
                Thread.sleep(20);
            }
            long firstChunk = System.nanoTime();

            // meanwhile a job trains until its first epoch is checkpointed
            job = api
                .submitted(JobClient.mlpSpec(dataset, EPOCHS, "").replace("\"batchSize\": 16", "\"batchSize\": 4"));
            api.awaitJob(job, Duration.ofSeconds(120), j -> j.path("progress").path("epoch").asInt() >= 1);
            // and an upload is acknowledged just before the kill
            acknowledged = api.uploadBlobs(20, 6);

            JsonNode training = api.job(job);
            boolean storing = !upload.isDone();
            first.kill();
            assertThat(training.path("status").asString()).as(training.toString()).isEqualTo("RUNNING");
            assertThat(storing).as("the large upload was still being stored").isTrue();
            System.out.println("Killed the instance at epoch " + training.path("progress").path("epoch").asInt()
                    + " of " + EPOCHS + ", " + (System.nanoTime() - firstChunk) / 1_000_000
                    + " ms after the large upload's first chunk");
            assertThat(upload).failsWithin(Duration.ofSeconds(30));
        }
        finally {
            first.kill();
        }

        // the restart: a new application on the same files, in this JVM, which never
        // opened them before
        try (ConfigurableApplicationContext second = restart(home)) {
            JobClient api = new JobClient(
                    new TestHttp(((WebServerApplicationContext) second).getWebServer().getPort()));
            JsonNode datasets = TestHttp.json(api.http.get("/api/v1/datasets"));
            assertThat(datasets.findValues("id").stream().map(JsonNode::asString).toList()).as(datasets.toString())
                .containsExactlyInAnyOrder(dataset, acknowledged);

            JsonNode done = api.awaitStatus(job, "SUCCEEDED", Duration.ofSeconds(120));
            assertThat(done.path("modelIds")).hasSize(1);
            JsonNode metrics = TestHttp.json(api.http.get("/api/v1/jobs/" + job + "/metrics"));
            assertThat(metrics.findValues("epoch").stream().map(JsonNode::asInt).toList())
                .containsExactlyElementsOf(IntStream.rangeClosed(1, EPOCHS).boxed().toList());
            HttpResponse<String> predicted = api.http
                .send(api.http.request("/api/v1/models/" + done.path("modelIds").get(0).asString() + "/predictions")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": [[3.0, 0.0]]}"))
                    .build());
            assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);

            JdbcClient db = second.getBean(JdbcClient.class);
            assertThat(count(db, "SELECT COUNT(*) FROM datasets")).isEqualTo(2);
            assertThat(
                    count(db, "SELECT COUNT(*) FROM dataset_chunks WHERE dataset_id NOT IN (SELECT id FROM datasets)"))
                .as("chunks without their dataset")
                .isZero();
            assertThat(
                    count(db, "SELECT COUNT(*) FROM dataset_classes WHERE dataset_id NOT IN (SELECT id FROM datasets)"))
                .isZero();
            assertThat(count(db, "SELECT attempt FROM training_members")).as("taken up again after the kill")
                .isEqualTo(2);
        }
    }

    /**
     * The application in this JVM on {@code home}'s database, configured as the child
     * was: the main configuration with its default database URL, whose {@code ./data} is
     * made absolute, since this JVM works elsewhere.
     */
    private static ConfigurableApplicationContext restart(Path home) throws IOException {
        Properties main = PropertiesLoaderUtils.loadProperties(new ClassPathResource("application.properties"));
        String url = main.getProperty("spring.datasource.url");
        assertThat(url).startsWith("jdbc:h2:file:./data/");
        return new SpringApplicationBuilder(TrainyardApplication.class).run(
                "--spring.config.location=classpath:/application.properties",
                "--spring.datasource.url=" + url.replace("./data/", home.resolve("data") + "/"), "--server.port=0",
                "--trainyard.worker.polling-interval=200ms", "--trainyard.worker.heartbeat-interval=1s",
                "--trainyard.worker.missed-heartbeats=4");
    }

    /**
     * A CSV of 3 million rows (about 50 MB): a block of the blobs repeated, since only
     * the time it takes to store matters.
     */
    private static byte[] bigCsv() {
        String csv = JobClient.blobsCsv(10_000, 9);
        String rows = csv.substring(csv.indexOf('\n') + 1);
        return (csv + rows.repeat(99)).getBytes(StandardCharsets.UTF_8);
    }

    private static long count(JdbcClient db, String sql) {
        return db.sql(sql).query(Long.class).single();
    }

    /** Trainyard in a JVM of its own, working in {@code home}, logging to a file. */
    record Instance(Process process, int port, Path log) {

        static Instance start(Path home, String name) throws Exception {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path log = home.resolve(name + ".log");
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.add("--add-modules");
            command.add("jdk.incubator.vector");
            command.add("--enable-native-access=ALL-UNNAMED");
            command.add("-Xmx1g");
            // C1 only: it starts sooner, and this instance is killed before speed matters
            command.add("-XX:TieredStopAtLevel=1");
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(TrainyardApplication.class.getName());
            // the main configuration only, not the tests' (an in-memory database)
            command.add("--spring.config.location=classpath:/application.properties");
            command.add("--server.port=" + port);
            command.add("--trainyard.security.bootstrap-api-key=" + TestHttp.ADMIN_KEY);
            command.add("--trainyard.worker.polling-interval=200ms");
            command.add("--trainyard.worker.heartbeat-interval=1s");
            command.add("--trainyard.worker.missed-heartbeats=4");
            command.add("--logging.level.org.hibernate.SQL=DEBUG");
            Process process = new ProcessBuilder(command).directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
            Instance instance = new Instance(process, port, log);
            instance.awaitUp();
            return instance;
        }

        JobClient api() {
            return new JobClient(new TestHttp(port));
        }

        private void awaitUp() throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (true) {
                assertThat(process.isAlive()).as("the instance runs; its log: %s", log).isTrue();
                assertThat(System.nanoTime()).as("the instance starts; its log: %s", log).isLessThan(deadline);
                try {
                    if (new TestHttp(port).get("/actuator/health").statusCode() == 200) {
                        return;
                    }
                }
                catch (RuntimeException notYet) {
                    // not listening yet
                }
                Thread.sleep(200);
            }
        }

        /** Lines of the log containing {@code text}, case-insensitive. */
        long logged(String text) throws IOException {
            try (var lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
                return lines.filter(line -> line.toLowerCase(Locale.ROOT).contains(text)).count();
            }
        }

        /** SIGKILL: no shutdown hook, no graceful stop, nothing flushed. */
        void kill() throws InterruptedException {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }

    }

}
