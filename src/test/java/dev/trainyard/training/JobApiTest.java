package dev.trainyard.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.TestHttp;
import dev.trainyard.engine.io.ModelFile;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import dev.trainyard.model.ModelService;
import dev.trainyard.model.ModelView;
import dev.trainyard.security.Tenants;
import dev.trainyard.system.PostgresTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The jobs API over HTTP, on the embedded H2 database and on PostgreSQL: a synthetic
 * dataset is uploaded, jobs are submitted, streamed, read, cancelled.
 */
class JobApiTest {

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
        ModelService models;

        JobClient client() {
            return new JobClient(new TestHttp(port));
        }

        /** The model registry of the application under test, to find a job's models. */

        String blobs() {
            return client().uploadBlobs(100, 1);
        }

        @Test
        void trainsAJobEndToEndAndStreamsItsEvents() throws Exception {
            JobClient c = client();
            String dataset = blobs();
            HttpResponse<String> submitted = c.submit(JobClient.mlpSpec(dataset, 3, ""));
            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
            JsonNode job = TestHttp.json(submitted);
            String id = job.path("id").asString();
            assertThat(submitted.headers().firstValue("Location")).hasValue("/api/v1/jobs/" + id);
            // defaults are filled in and returned with the job
            assertThat(job.path("spec").path("validationFraction").asDouble()).isEqualTo(0.1);
            assertThat(job.path("spec").path("preprocessing").path("method").asString()).isEqualTo("standardize");
            assertThat(job.path("spec").path("training").path("optimizer").path("momentum").asDouble()).isEqualTo(0.9);
            assertThat(job.path("progress").path("members").asInt()).isEqualTo(1);

            List<JobClient.Event> events = c.events(id, null);
            List<String> types = events.stream().map(JobClient.Event::type).toList();
            assertThat(types.getFirst()).isEqualTo("status");
            assertThat(types.getLast()).isEqualTo("completed");
            assertThat(types.stream().filter("epoch"::equals).count()).isEqualTo(3);
            JsonNode completed = JobClient.json(events.getLast().data());
            assertThat(completed.path("status").asString()).isEqualTo("SUCCEEDED");

            JsonNode done = c.job(id);
            assertThat(done.path("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(done.path("modelIds")).hasSize(1);
            ModelView model = models.get(Tenants.DEFAULT_ID, UUID.fromString(done.path("modelIds").get(0).asString()));
            assertThat(model.jobId()).hasToString(id);
            assertThat(model.member()).isZero();
            assertThat(model.seed()).isEqualTo(7);
            assertThat(model.classes()).containsExactly("c0", "c1", "c2");
            assertThat(model.parameterCount()).isEqualTo(2 * 16 + 16 + 16 * 3 + 3);
            assertThat(done.path("startedAt").isNull()).isFalse();
            assertThat(done.path("finishedAt").isNull()).isFalse();
            assertThat(done.path("progress").path("epoch").asInt()).isEqualTo(3);
            assertThat(done.path("error").isNull()).isTrue();

            JsonNode metrics = TestHttp.json(c.http.get("/api/v1/jobs/" + id + "/metrics"));
            assertThat(metrics).hasSize(3);
            assertThat(metrics.get(2).path("epoch").asInt()).isEqualTo(3);
            assertThat(metrics.get(2).path("valAccuracy").asDouble()).isGreaterThan(0.9);
            assertThat(metrics.get(0).path("samplesPerSecond").asDouble()).isPositive();

            JsonNode diagnostics = TestHttp.json(c.http.get("/api/v1/jobs/" + id + "/diagnostics"));
            assertThat(diagnostics).hasSize(3);
            assertThat(diagnostics.get(0).path("activations")).hasSize(3);
            assertThat(diagnostics.get(0).path("warnings").isArray()).isTrue();

            // resuming after the first epoch event replays only what followed it
            String firstEpoch = events.stream().filter(e -> e.type().equals("epoch")).findFirst().orElseThrow().id();
            List<JobClient.Event> resumed = c.events(id, firstEpoch);
            assertThat(resumed.stream().filter(e -> e.type().equals("epoch")).count()).isEqualTo(2);
        }

        @Test
        void aJobWithThreeMembersTrainsThemWithConsecutiveSeedsAndRegistersTheirEnsemble() throws Exception {
            JobClient c = client();
            String dataset = blobs();
            String test = client().uploadBlobs(60, 99);
            String spec = JobClient.mlpSpec(dataset, 3, "")
                .replace("\"seed\": 7,",
                        "\"seed\": 7, \"testDatasetId\": \"" + test + "\", \"ensemble\": {\"members\": 3},");
            String id = c.submitted(spec);
            assertThat(c.job(id).path("progress").path("members").asInt()).isEqualTo(3);
            JsonNode done = c.awaitJob(id, Duration.ofSeconds(120), j -> j.path("finishedAt").isString());
            assertThat(done.path("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
            assertThat(done.path("modelIds")).hasSize(3);
            List<String> modelIds = new ArrayList<>();
            List<Double> memberAccuracies = new ArrayList<>();
            for (int member = 0; member < 3; member++) {
                String modelId = done.path("modelIds").get(member).asString();
                modelIds.add(modelId);
                ModelView model = models.get(Tenants.DEFAULT_ID, UUID.fromString(modelId));
                assertThat(model.jobId()).hasToString(id);
                assertThat(model.member()).isEqualTo(member);
                assertThat(model.seed()).isEqualTo(7 + member);
                assertThat(model.metrics().testAccuracy()).isGreaterThan(0.9);
                memberAccuracies.add(model.metrics().testAccuracy());
            }
            assertThat(Set.copyOf(modelIds)).hasSize(3);
            JsonNode metrics = TestHttp.json(c.http.get("/api/v1/jobs/" + id + "/metrics"));
            assertThat(metrics).hasSize(9);
            assertThat(metrics.findValues("member").stream().map(JsonNode::asInt).distinct().sorted().toList())
                .containsExactly(0, 1, 2);

            String ensembleId = done.path("ensembleId").asString();
            HttpResponse<String> read = c.http.get("/api/v1/ensembles/" + ensembleId);
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            JsonNode ensemble = TestHttp.json(read);
            assertThat(ensemble.path("modelIds").valueStream().map(JsonNode::asString).toList())
                .containsExactlyElementsOf(modelIds);
            JsonNode evaluated = ensemble.path("metrics");
            assertThat(evaluated.path("memberTestAccuracies").valueStream().map(JsonNode::asDouble).toList())
                .containsExactlyElementsOf(memberAccuracies);
            assertThat(evaluated.path("testAccuracy").asDouble()).isGreaterThan(0.9);

            HttpResponse<String> predicted = c.http
                .send(c.http.request("/api/v1/ensembles/" + ensembleId + "/predictions")
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"instances\": [[3.0, 0.0]]}"))
                    .build());
            assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
            JsonNode prediction = TestHttp.json(predicted).path("predictions").get(0);
            assertThat(prediction.path("label").asString()).isEqualTo("c0");
            assertThat(prediction.path("memberLabels")).hasSize(3);
        }

        @Test
        void aSnapshotEnsembleStartsEachMemberFromTheWeightsTheOneBeforeItEndedWith() throws Exception {
            JobClient c = client();
            String dataset = blobs();
            // a learning rate far below the weights' resolution: SGD leaves every weight
            // where it started (only the zero-initialized biases move), so a member's
            // trained weights show where it started
            String frozen = JobClient.mlpSpec(dataset, 2, "")
                .replace("\"learningRate\": 0.05", "\"learningRate\": 1e-30, \"momentum\": 0");
            String chained = c.submitted(frozen.replace("\"seed\": 7,",
                    "\"seed\": 7, \"ensemble\": {\"members\": 3, \"warmStart\": true},"));
            String independent = c
                .submitted(frozen.replace("\"seed\": 7,", "\"seed\": 7, \"ensemble\": {\"members\": 2},"));

            JsonNode done = c.awaitJob(chained, Duration.ofSeconds(120), j -> j.path("finishedAt").isString());
            assertThat(done.path("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
            assertThat(done.path("spec").path("ensemble").path("warmStart").asBoolean()).isTrue();
            assertThat(done.path("modelIds")).hasSize(3);
            assertThat(done.path("ensembleId").isString()).isTrue();
            List<ModelFile> files = new ArrayList<>();
            for (int member = 0; member < 3; member++) {
                UUID modelId = UUID.fromString(done.path("modelIds").get(member).asString());
                assertThat(models.get(Tenants.DEFAULT_ID, modelId).seed()).isEqualTo(7 + member);
                files.add(ModelFile.fromBytes(models.file(Tenants.DEFAULT_ID, modelId)));
            }
            for (String weight : List.of("0.weight", "2.weight")) {
                float[] first = files.get(0).tensors().get(weight).data();
                assertThat(files.get(1).tensors().get(weight).data()).as(weight).isEqualTo(first);
                assertThat(files.get(2).tensors().get(weight).data()).as(weight).isEqualTo(first);
            }

            // the same members without warmStart start from their own seeds' weights
            JsonNode alone = c.awaitJob(independent, Duration.ofSeconds(120), j -> j.path("finishedAt").isString());
            assertThat(alone.path("status").asString()).as(alone.toString()).isEqualTo("SUCCEEDED");
            assertThat(alone.path("spec").path("ensemble").path("warmStart").asBoolean()).isFalse();
            ModelFile second = ModelFile
                .fromBytes(models.file(Tenants.DEFAULT_ID, UUID.fromString(alone.path("modelIds").get(1).asString())));
            assertThat(second.tensors().get("0.weight").data())
                .isNotEqualTo(files.get(0).tensors().get("0.weight").data());
        }

        @Test
        void snapshotRestartsTrainForTheirOwnEpochsAtTheirOwnLearningRate() throws Exception {
            JobClient c = client();
            String chained = c.submitted(JobClient.mlpSpec(blobs(), 3, "")
                .replace("\"seed\": 7,", "\"seed\": 7, \"ensemble\": {\"members\": 3, \"warmStart\": true, "
                        + "\"restartEpochs\": 2, \"restartLearningRate\": 0.01},"));

            JsonNode done = c.awaitJob(chained, Duration.ofSeconds(120), j -> j.path("finishedAt").isString());
            assertThat(done.path("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
            assertThat(done.path("spec").path("ensemble").path("restartEpochs").asInt()).isEqualTo(2);
            assertThat(done.path("spec").path("training").path("epochs").asInt()).isEqualTo(3);
            JsonNode metrics = TestHttp.json(c.http.get("/api/v1/jobs/" + chained + "/metrics"));
            List<String> rows = new ArrayList<>();
            metrics.forEach(r -> rows.add(r.path("member").asInt() + ":" + r.path("epoch").asInt() + "@"
                    + r.path("learningRate").asDouble()));
            // the constant schedule's rate: the first member's, then the restarts'
            assertThat(rows).containsExactly("0:1@0.05", "0:2@0.05", "0:3@0.05", "1:1@0.01", "1:2@0.01", "2:1@0.01",
                    "2:2@0.01");
            assertThat(done.path("modelIds")).hasSize(3);
            assertThat(done.path("ensembleId").isString()).isTrue();
        }

        @Test
        void dryRunDescribesTheModelAndQueuesNothing() {
            JobClient c = client();
            String dataset = blobs();
            long jobsBefore = c.jobCount();
            HttpResponse<String> response = c.http.send(c.http.request("/api/v1/jobs?dryRun=true")
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(JobClient.mlpSpec(dataset, 2, "")))
                .build());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode summary = TestHttp.json(response);
            assertThat(summary.path("inputShape").toString()).isEqualTo("[2]");
            assertThat(summary.path("layers")).hasSize(3);
            assertThat(summary.path("layers").get(2).path("outputShape").toString()).isEqualTo("[3]");
            // dense 2->16 (48) + dense 16->3 (51)
            assertThat(summary.path("parameterCount").asLong()).isEqualTo(2 * 16 + 16 + 16 * 3 + 3);
            assertThat(c.jobCount()).isEqualTo(jobsBefore);
        }

        @Test
        void refusesInvalidSpecsWithPointersToTheFaultyMember() {
            JobClient c = client();
            String dataset = blobs();
            String mlp = JobClient.mlpSpec(dataset, 2, "");
            long jobsBefore = c.jobCount();
            assertPointer(c.submit(mlp.replace("\"seed\": 7", "\"seed\": 7, \"colour\": \"red\"")), "#/colour");
            assertPointer(c.submit(mlp.replace("\"batchSize\": 16", "\"batchSize\": 16, \"bogus\": 1")),
                    "#/training/bogus");
            assertPointer(c.submit(mlp.replace("{\"type\": \"relu\"}", "{\"type\": \"dropout\", \"rate\": 1.0}")),
                    "#/model/layers/1/rate");
            assertPointer(c.submit(mlp.replace("{\"type\": \"relu\"}", "{\"type\": \"swish\"}")),
                    "#/model/layers/1/type");
            assertPointer(c.submit(mlp.replace("{\"type\": \"relu\"}", "{\"type\": \"relu\", \"units\": 3}")),
                    "#/model/layers/1/units");
            assertPointer(c.submit(mlp.replace("\"epochs\": 2", "\"epochs\": 0")), "#/training/epochs");
            assertPointer(c.submit(mlp.replace("\"batchSize\": 16", "\"batchSize\": -4")), "#/training/batchSize");
            assertPointer(c.submit(mlp.replace("\"units\": 3}", "\"units\": 4}")), "#/model/layers/2/units");
            assertPointer(c.submit(mlp.replace("{\"type\": \"dense\", \"units\": 16}",
                    "{\"type\": \"conv2d\", \"filters\": 4, \"kernel\": 3}")), "#/model/layers/0");
            assertPointer(c.submit(JobClient.mlpSpec(UUID.randomUUID().toString(), 2, "")), "#/datasetId");
            assertPointer(c.submit(mlp.replace("\"seed\": 7", "\"seed\": \"seven\"")), "#/seed");
            assertPointer(
                    c.submit(mlp.replace("\"batchSize\": 16",
                            "\"batchSize\": 16, \"augmentation\": [{\"type\": \"horizontal_flip\"}]")),
                    "#/training/augmentation/0");
            assertPointer(
                    c.submit(mlp.replace("\"batchSize\": 16",
                            "\"batchSize\": 16, \"augmentation\": [{\"type\": \"random_crop\", \"padding\": -2}]")),
                    "#/training/augmentation/0/padding");
            assertPointer(c.submit(mlp.replace("\"seed\": 7,", "\"seed\": 7, \"ensemble\": {\"warmStart\": true},")),
                    "#/ensemble/warmStart");
            assertPointer(
                    c.submit(mlp.replace("\"seed\": 7,",
                            "\"seed\": 7, \"ensemble\": {\"members\": 2, \"restartEpochs\": 1},")),
                    "#/ensemble/restartEpochs");
            assertPointer(
                    c.submit(mlp.replace("\"seed\": 7,",
                            "\"seed\": 7, \"ensemble\": {\"members\": 2, \"warmStart\": true, \"restartEpochs\": 0},")),
                    "#/ensemble/restartEpochs");
            assertPointer(
                    c.submit(mlp.replace("\"seed\": 7,",
                            "\"seed\": 7, \"ensemble\": {\"members\": 2, "
                                    + "\"warmStart\": true, \"restartLearningRate\": -0.1},")),
                    "#/ensemble/restartLearningRate");
            assertThat(c.jobCount()).isEqualTo(jobsBefore);
        }

        private static void assertPointer(HttpResponse<String> response, String pointer) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(TestHttp.contentType(response)).startsWith("application/problem+json");
            List<String> pointers = new ArrayList<>();
            TestHttp.json(response).path("errors").forEach(e -> pointers.add(e.path("pointer").asString()));
            assertThat(pointers).as(response.body()).containsExactly(pointer);
        }

        @Test
        void anIdempotencyKeyReturnsTheFirstJob() {
            JobClient c = client();
            String dataset = blobs();
            String spec = JobClient.mlpSpec(dataset, 1, "");
            String key = "retry-" + UUID.randomUUID();
            long jobsBefore = c.jobCount();
            HttpResponse<String> first = c.submit(spec, key);
            HttpResponse<String> again = c.submit(spec, key);
            assertThat(first.statusCode()).isEqualTo(202);
            assertThat(again.statusCode()).isEqualTo(202);
            assertThat(TestHttp.json(again).path("id").asString())
                .isEqualTo(TestHttp.json(first).path("id").asString());
            HttpResponse<String> different = c.submit(JobClient.mlpSpec(dataset, 2, ""), key);
            assertThat(different.statusCode()).as(different.body()).isEqualTo(422);
            assertThat(c.jobCount()).isEqualTo(jobsBefore + 1);
        }

        @Test
        void cancellingStopsARunningJobQuicklyAndFinishedJobsAnswer409() throws Exception {
            JobClient c = client();
            String dataset = client().uploadBlobs(2000, 2);
            String id = c.submitted(JobClient.mlpSpec(dataset, 500, ""));
            c.awaitJob(id, Duration.ofSeconds(30), j -> j.path("status").asString().equals("RUNNING"));
            Instant requested = Instant.now();
            HttpResponse<String> cancel = c.cancel(id);
            assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
            JsonNode cancelled = c.awaitStatus(id, "CANCELLED", Duration.ofSeconds(10));
            // the server runs in this JVM: same clock. The target is 1 s (it stops
            // at the next batch, found by an in-memory flag or a 200 ms poll); the
            // bound leaves room for a loaded machine
            Instant finished = Instant.parse(cancelled.path("finishedAt").asString());
            assertThat(Duration.between(requested, finished)).isLessThan(Duration.ofSeconds(2));
            assertThat(c.cancel(id).statusCode()).isEqualTo(409);
        }

        @Test
        void anIdleWorkerStartsAQueuedJobWithinASecond() throws Exception {
            JobClient c = client();
            String dataset = blobs();
            List<Duration> latencies = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String id = c.submitted(JobClient.mlpSpec(dataset, 1, ""));
                JsonNode job = c.awaitJob(id, Duration.ofSeconds(60), j -> j.path("finishedAt").isString());
                latencies.add(Duration.between(Instant.parse(job.path("createdAt").asString()),
                        Instant.parse(job.path("startedAt").asString())));
            }
            List<Duration> sorted = latencies.stream().sorted().toList();
            System.out.println("QUEUED -> RUNNING latencies on an idle worker: " + latencies);
            assertThat(sorted.get(2)).as("median of %s", latencies).isLessThan(Duration.ofSeconds(1));
        }

        @Test
        void aQueuedJobThatIsCancelledNeverStarts() throws Exception {
            JobClient c = client();
            String dataset = client().uploadBlobs(2000, 3);
            String busy = c.submitted(JobClient.mlpSpec(dataset, 500, ""));
            c.awaitStatus(busy, "RUNNING", Duration.ofSeconds(30));
            String queued = c.submitted(JobClient.mlpSpec(dataset, 1, ""));
            assertThat(c.job(queued).path("status").asString()).isEqualTo("QUEUED");
            assertThat(c.cancel(queued).statusCode()).isEqualTo(202);
            assertThat(c.cancel(busy).statusCode()).isEqualTo(202);
            c.awaitStatus(busy, "CANCELLED", Duration.ofSeconds(10));
            Thread.sleep(1500);
            JsonNode job = c.job(queued);
            assertThat(job.path("status").asString()).isEqualTo("CANCELLED");
            assertThat(job.path("startedAt").isNull()).isTrue();
            assertThat(TestHttp.json(c.http.get("/api/v1/jobs/" + queued + "/metrics"))).isEmpty();
        }

        @Test
        void aDivergingLossFailsTheJobWithAHint() throws Exception {
            JobClient c = client();
            String dataset = blobs();
            String id = c.submitted(
                    JobClient.mlpSpec(dataset, 5, "").replace("\"learningRate\": 0.05", "\"learningRate\": 1e30"));
            JsonNode failed = c.awaitStatus(id, "FAILED", Duration.ofSeconds(30));
            assertThat(failed.path("error").path("type").asString()).isEqualTo("training_diverged");
            assertThat(failed.path("error").path("message").asString())
                .matches("member 0: loss became (NaN|infinite) at epoch 1, batch \\d+; try a lower learning rate");
        }

        @Test
        void anotherTenantsJobIsNotFound() {
            JobClient c = client();
            assertThat(c.http.get("/api/v1/jobs/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
            assertThat(c.cancel(UUID.randomUUID().toString()).statusCode()).isEqualTo(404);
        }

    }

}
