package dev.trainyard.prediction.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import dev.trainyard.TestHttp;
import dev.trainyard.model.ModelService;
import dev.trainyard.model.TestModels;
import dev.trainyard.security.Tenants;
import dev.trainyard.system.PostgresTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Batch predictions over HTTP, on the embedded H2 database and on PostgreSQL: datasets of
 * a few hundred rows scored in chunks of 64 by models of {@code TestModels}, compared row
 * by row with {@code POST /models/{id}/predictions}; formats, cancellation, deletions and
 * bad input.
 */
class BatchPredictionApiTest {

    static final int CHUNK_ROWS = 64;

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = "trainyard.batch-predictions.chunk-rows=" + CHUNK_ROWS)
    class OnH2 extends Checks {

    }

    @Nested
    @PostgresTest
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = "trainyard.batch-predictions.chunk-rows=" + CHUNK_ROWS)
    class OnPostgres extends Checks {

    }

    abstract class Checks {

        static final Duration WAIT = Duration.ofSeconds(60);

        @LocalServerPort
        int port;

        @Autowired
        ModelService models;

        @Autowired
        SchedulerClient scheduler;

        @Autowired
        JdbcClient jdbc;

        BatchClient client() {
            return new BatchClient(new TestHttp(port));
        }

        String model(long seed) {
            return models
                .register(TestModels.newModel(Tenants.DEFAULT_ID, null, 0, TestModels.mlp(4, seed),
                        TestModels.standardize(4), TestModels.CLASSES))
                .toString();
        }

        /** What {@code POST /models/{id}/predictions} answers for each example. */
        List<JsonNode> direct(BatchClient c, String modelId, List<BatchClient.Example> examples) {
            List<JsonNode> items = new ArrayList<>();
            for (int from = 0; from < examples.size(); from += 500) {
                StringBuilder body = new StringBuilder("{\"instances\": [");
                for (int i = from; i < Math.min(examples.size(), from + 500); i++) {
                    float[] x = examples.get(i).features();
                    body.append(i == from ? "[" : ",[")
                        .append(x[0])
                        .append(',')
                        .append(x[1])
                        .append(',')
                        .append(x[2])
                        .append(',')
                        .append(x[3])
                        .append(']');
                }
                HttpResponse<String> answer = c.post("/api/v1/models/" + modelId + "/predictions",
                        body.append("]}").toString());
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                TestHttp.json(answer).path("predictions").forEach(items::add);
            }
            return items;
        }

        @Test
        void everyRowIsScoredAsADirectPredictionWithAccuracyAndConfusionMatrix() throws Exception {
            BatchClient c = client();
            List<BatchClient.Example> examples = BatchClient.examples(300, 11, TestModels.CLASSES);
            String dataset = c.upload("batch-300", examples);
            String model = model(31);

            HttpResponse<String> submitted = c.submit(model, "{\"datasetId\": \"" + dataset + "\"}");

            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
            JsonNode queued = TestHttp.json(submitted);
            String id = queued.path("id").asString();
            assertThat(submitted.headers().firstValue("Location")).hasValue(BatchClient.BASE + "/" + id);
            assertThat(queued.path("modelId").asString()).isEqualTo(model);
            assertThat(queued.path("datasetId").asString()).isEqualTo(dataset);
            assertThat(queued.path("datasetName").asString()).isEqualTo("batch-300");
            assertThat(queued.path("status").asString()).isEqualTo("QUEUED");
            assertThat(queued.path("rowsTotal").asInt()).isEqualTo(300);
            assertThat(queued.path("rowsDone").asInt()).isZero();
            assertThat(queued.path("labelled").asBoolean()).isTrue();
            assertThat(queued.path("classes").toString()).isEqualTo("[\"cat\",\"dog\",\"bird\"]");

            JsonNode done = c.awaitStatus(id, "SUCCEEDED", WAIT);
            assertThat(done.path("rowsDone").asInt()).isEqualTo(300);
            assertThat(done.path("rowsPerSecond").asDouble()).isPositive();
            assertThat(done.path("durationSeconds").asDouble()).isPositive();
            assertThat(done.path("error").isNull()).isTrue();

            List<JsonNode> expected = direct(c, model, examples);
            int[][] confusion = new int[3][3];
            int correct = 0;
            HttpResponse<String> csv = c.results(id, null, null);
            assertThat(csv.statusCode()).as(csv.body()).isEqualTo(200);
            String[] lines = csv.body().split("\r\n");
            assertThat(lines[0]).isEqualTo("index,label,p_cat,p_dog,p_bird,trueLabel");
            assertThat(lines).hasSize(301);
            for (int i = 0; i < 300; i++) {
                String[] f = lines[i + 1].split(",");
                JsonNode direct = expected.get(i);
                assertThat(f[0]).isEqualTo(Integer.toString(i));
                assertThat(f[1]).as("row %d", i).isEqualTo(direct.path("label").asString());
                for (int k = 0; k < 3; k++) {
                    // the same float32, bit for bit
                    assertThat(Float.parseFloat(f[2 + k])).as("row %d class %d", i, k)
                        .isEqualTo(direct.path("probabilities").get(k).floatValue());
                }
                assertThat(f[5]).isEqualTo(examples.get(i).label());
                int truth = TestModels.CLASSES.indexOf(examples.get(i).label());
                int predicted = TestModels.CLASSES.indexOf(f[1]);
                confusion[truth][predicted]++;
                correct += truth == predicted ? 1 : 0;
            }
            assertThat(done.path("accuracy").asDouble()).isEqualTo(correct / 300.0);
            for (int t = 0; t < 3; t++) {
                for (int p = 0; p < 3; p++) {
                    assertThat(done.path("confusionMatrix").get(t).get(p).asInt()).as("true %d predicted %d", t, p)
                        .isEqualTo(confusion[t][p]);
                }
            }
            // five chunks of at most 64 rows, each written once
            assertThat(jdbc.sql("SELECT row_count FROM batch_prediction_chunks WHERE batch_id = ? ORDER BY chunk")
                .param(UUID.fromString(id))
                .query(Integer.class)
                .list()).containsExactly(64, 64, 64, 64, 44);

            JsonNode listed = TestHttp.json(c.http().get(BatchClient.BASE + "?size=100"));
            assertThat(listed.path("items").get(0).path("id").asString()).isEqualTo(id);
            assertThat(listed.path("totalItems").asLong()).isGreaterThanOrEqualTo(1);
            JsonNode succeeded = TestHttp.json(c.http().get(BatchClient.BASE + "?status=SUCCEEDED&size=100"));
            assertThat(succeeded.path("items"))
                .allSatisfy(b -> assertThat(b.path("status").asString()).isEqualTo("SUCCEEDED"));
        }

        @Test
        void resultsComeAsCsvOrJsonLinesByFormatOrAccept() throws Exception {
            BatchClient c = client();
            List<BatchClient.Example> examples = BatchClient.examples(70, 12, TestModels.CLASSES);
            String id = c.submitted(model(32), c.upload("batch-70", examples));
            c.awaitStatus(id, "SUCCEEDED", WAIT);

            HttpResponse<String> csv = c.results(id, null, "text/csv");
            assertThat(TestHttp.contentType(csv)).startsWith("text/csv");
            assertThat(csv.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"batch-prediction-" + id + ".csv\"");
            assertThat(TestHttp.contentType(c.results(id, null, "*/*"))).startsWith("text/csv");

            HttpResponse<String> jsonl = c.results(id, "format=jsonl", "text/csv");
            assertThat(jsonl.statusCode()).isEqualTo(200);
            assertThat(TestHttp.contentType(jsonl)).isEqualTo("application/jsonl");
            assertThat(jsonl.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"batch-prediction-" + id + ".jsonl\"");
            String[] lines = jsonl.body().split("\n");
            assertThat(lines).hasSize(70);
            String[] csvLines = csv.body().split("\r\n");
            for (int i = 0; i < 70; i++) {
                JsonNode line = JSON.readTree(lines[i]);
                String[] f = csvLines[i + 1].split(",");
                assertThat(line.path("index").asInt()).isEqualTo(i);
                assertThat(line.path("label").asString()).isEqualTo(f[1]);
                assertThat(line.path("probabilities")).hasSize(3);
                for (int k = 0; k < 3; k++) {
                    assertThat(line.path("probabilities").get(k).floatValue()).isEqualTo(Float.parseFloat(f[2 + k]));
                }
                assertThat(line.path("trueLabel").asString()).isEqualTo(examples.get(i).label());
            }

            HttpResponse<String> ndjson = c.results(id, null, "application/x-ndjson");
            assertThat(TestHttp.contentType(ndjson)).isEqualTo("application/x-ndjson");
            assertThat(ndjson.body()).isEqualTo(jsonl.body());
            assertThat(TestHttp.contentType(c.results(id, null, "application/jsonl, text/csv;q=0.5")))
                .isEqualTo("application/jsonl");
            assertThat(TestHttp.contentType(c.results(id, "format=CSV", "application/jsonl"))).startsWith("text/csv");

            HttpResponse<String> badFormat = c.results(id, "format=xml", null);
            assertThat(badFormat.statusCode()).isEqualTo(400);
            assertThat(TestHttp.contentType(badFormat)).isEqualTo("application/problem+json");
            assertThat(TestHttp.json(badFormat).path("parameter").asString()).isEqualTo("format");
            HttpResponse<String> unacceptable = c.results(id, null, "application/xml");
            assertThat(unacceptable.statusCode()).isEqualTo(406);
            assertThat(TestHttp.contentType(unacceptable)).isEqualTo("application/problem+json");
        }

        @Test
        void aQueuedBatchIsCancelledAtOnceAndNeverServesResults() throws Exception {
            BatchClient c = client();
            String model = model(33);
            String dataset = c.upload("batch-queued", BatchClient.examples(10, 13, TestModels.CLASSES));
            Scheduler worker = (Scheduler) scheduler;
            worker.pause();
            String id;
            try {
                id = c.submitted(model, dataset);
                assertThat(c.batch(id).path("status").asString()).isEqualTo("QUEUED");
                HttpResponse<String> early = c.results(id, null, null);
                assertThat(early.statusCode()).isEqualTo(409);
                assertThat(TestHttp.contentType(early)).isEqualTo("application/problem+json");
                assertThat(TestHttp.json(early).path("status").asString()).isEqualTo("QUEUED");

                HttpResponse<String> cancelled = c.cancel(id);
                assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(202);
                assertThat(TestHttp.json(cancelled).path("status").asString()).isEqualTo("CANCELLED");
                assertThat(TestHttp.json(cancelled).path("finishedAt").isString()).isTrue();
            }
            finally {
                worker.resume();
            }
            HttpResponse<String> again = c.cancel(id);
            assertThat(again.statusCode()).isEqualTo(409);
            assertThat(TestHttp.json(again).path("status").asString()).isEqualTo("CANCELLED");
            assertThat(c.results(id, null, null).statusCode()).isEqualTo(409);
            // the worker finds it finished and leaves it so
            Thread.sleep(500);
            assertThat(c.batch(id).path("status").asString()).isEqualTo("CANCELLED");
            assertThat(c.batch(id).path("rowsDone").asInt()).isZero();
        }

        @Test
        void aRunningBatchStopsBeforeItsNextChunkWhenCancelled() throws Exception {
            BatchClient c = client();
            String dataset = c.upload("batch-long", BatchClient.examples(60_000, 14, TestModels.CLASSES));
            String id = c.submitted(model(34), dataset);
            c.await(id, WAIT, b -> b.path("rowsDone").asInt() > 0);

            HttpResponse<String> cancelled = c.cancel(id);

            assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(202);
            JsonNode stopped = c.awaitStatus(id, "CANCELLED", WAIT);
            int done = stopped.path("rowsDone").asInt();
            assertThat(done).isLessThan(60_000).isEqualTo(CHUNK_ROWS * chunks(id));
            assertThat(c.results(id, null, null).statusCode()).isEqualTo(409);
        }

        private int chunks(String id) {
            return jdbc.sql("SELECT COUNT(*) FROM batch_prediction_chunks WHERE batch_id = ?")
                .param(UUID.fromString(id))
                .query(Integer.class)
                .single();
        }

        @Test
        void theModelAndDatasetOfAnUnfinishedBatchCannotBeDeletedButThoseOfAFinishedOneCan() throws Exception {
            BatchClient c = client();
            String model = model(35);
            String dataset = c.upload("batch-delete", BatchClient.examples(20, 15, TestModels.CLASSES));
            Scheduler worker = (Scheduler) scheduler;
            String id;
            worker.pause();
            try {
                id = c.submitted(model, dataset);
                HttpResponse<String> modelRefused = c.http()
                    .send(c.http().request("/api/v1/models/" + model).DELETE().build());
                assertThat(modelRefused.statusCode()).isEqualTo(409);
                assertThat(TestHttp.json(modelRefused).path("detail").asString())
                    .contains("batch prediction " + id + " is queued or running");
                HttpResponse<String> datasetRefused = c.http()
                    .send(c.http().request("/api/v1/datasets/" + dataset).DELETE().build());
                assertThat(datasetRefused.statusCode()).isEqualTo(409);
                assertThat(TestHttp.json(datasetRefused).path("detail").asString())
                    .contains("batch prediction " + id + " is queued or running");
            }
            finally {
                worker.resume();
            }
            c.awaitStatus(id, "SUCCEEDED", WAIT);
            String before = c.results(id, null, null).body();

            assertThat(c.http().send(c.http().request("/api/v1/models/" + model).DELETE().build()).statusCode())
                .isEqualTo(204);
            assertThat(c.http().send(c.http().request("/api/v1/datasets/" + dataset).DELETE().build()).statusCode())
                .isEqualTo(204);
            // the results keep their class names without the model or the dataset
            HttpResponse<String> after = c.results(id, null, null);
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(after.body()).isEqualTo(before);
            assertThat(c.batch(id).path("classes").toString()).isEqualTo("[\"cat\",\"dog\",\"bird\"]");
        }

        @Test
        void aDatasetWithClassesTheModelLacksIsScoredWithoutAccuracyOrTrueLabels() throws Exception {
            BatchClient c = client();
            String dataset = c.upload("batch-unlabelled", BatchClient.examples(10, 16, List.of("cat", "?")));
            String id = c.submitted(model(36), dataset);

            JsonNode done = c.awaitStatus(id, "SUCCEEDED", WAIT);

            assertThat(done.path("labelled").asBoolean()).isFalse();
            assertThat(done.path("accuracy").isNull()).isTrue();
            assertThat(done.path("confusionMatrix").isNull()).isTrue();
            String[] lines = c.results(id, null, null).body().split("\r\n");
            assertThat(lines[0]).isEqualTo("index,label,p_cat,p_dog,p_bird");
            assertThat(lines).hasSize(11);
            assertThat(c.results(id, "format=jsonl", null).body()).doesNotContain("trueLabel");
        }

        @Test
        void badInputIsAProblemThatSaysWhatIsWrong() {
            BatchClient c = client();
            String model = model(37);
            String dataset = c.upload("batch-bad", BatchClient.examples(5, 17, TestModels.CLASSES));

            HttpResponse<String> unknownModel = c.submit(UUID.randomUUID().toString(),
                    "{\"datasetId\": \"" + dataset + "\"}");
            assertThat(unknownModel.statusCode()).isEqualTo(404);
            assertThat(TestHttp.json(unknownModel).path("title").asString()).isEqualTo("Model not found");

            HttpResponse<String> unknownDataset = c.submit(model, "{\"datasetId\": \"" + UUID.randomUUID() + "\"}");
            assertThat(unknownDataset.statusCode()).isEqualTo(422);
            assertThat(TestHttp.json(unknownDataset).path("pointer").asString()).isEqualTo("#/datasetId");

            HttpResponse<String> missing = c.submit(model, "{}");
            assertThat(missing.statusCode()).isEqualTo(400);
            assertThat(TestHttp.json(missing).path("pointer").asString()).isEqualTo("#/datasetId");

            HttpResponse<String> notAnId = c.submit(model, "{\"datasetId\": \"not-a-uuid\"}");
            assertThat(notAnId.statusCode()).isEqualTo(400);
            assertThat(TestHttp.json(notAnId).path("pointer").asString()).isEqualTo("#/datasetId");

            HttpResponse<String> number = c.submit(model, "{\"datasetId\": 42}");
            assertThat(number.statusCode()).isEqualTo(400);
            assertThat(TestHttp.json(number).path("pointer").asString()).isEqualTo("#/datasetId");

            HttpResponse<String> notJson = c.submit(model, "{\"datasetId\": ");
            assertThat(notJson.statusCode()).isEqualTo(400);
            assertThat(TestHttp.contentType(notJson)).isEqualTo("application/problem+json");

            HttpResponse<String> badModelId = c.submit("not-a-uuid", "{\"datasetId\": \"" + dataset + "\"}");
            assertThat(badModelId.statusCode()).isEqualTo(400);

            // a dataset of 2 features does not fit a model of 4
            String narrow = uploadNarrow(c);
            HttpResponse<String> misfit = c.submit(model, "{\"datasetId\": \"" + narrow + "\"}");
            assertThat(misfit.statusCode()).isEqualTo(422);
            JsonNode problem = TestHttp.json(misfit);
            assertThat(problem.path("pointer").asString()).isEqualTo("#/datasetId");
            assertThat(problem.path("detail").asString()).contains("[2]", "[4]");

            assertThat(c.http().get(BatchClient.BASE + "/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
            assertThat(c.cancel(UUID.randomUUID().toString()).statusCode()).isEqualTo(404);
            assertThat(c.results(UUID.randomUUID().toString(), null, null).statusCode()).isEqualTo(404);
            assertThat(c.http().get(BatchClient.BASE + "?size=0").statusCode()).isEqualTo(400);
            assertThat(c.http().get(BatchClient.BASE + "?status=DONE").statusCode()).isEqualTo(400);
            // nothing was queued by the refused submissions
            assertThat(jdbc.sql("SELECT COUNT(*) FROM batch_predictions WHERE model_id = ?")
                .param(UUID.fromString(model))
                .query(Integer.class)
                .single()).isZero();
        }

        private String uploadNarrow(BatchClient c) {
            HttpResponse<String> response = c.http()
                .send(new dev.trainyard.Multipart().field("name", "narrow")
                    .field("format", "csv")
                    .file("file", "narrow.csv", "text/csv", "a,b,label\n1,2,cat\n3,4,dog\n".getBytes())
                    .post(c.http().request("/api/v1/datasets"))
                    .build());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            return TestHttp.json(response).path("id").asString();
        }

        @Test
        void anotherTenantSeesNoneOfItAndCannotUseOurModelsOrDatasets() throws Exception {
            BatchClient c = client();
            String model = model(38);
            String dataset = c.upload("batch-tenant", BatchClient.examples(10, 18, TestModels.CLASSES));
            String id = c.submitted(model, dataset);
            c.awaitStatus(id, "SUCCEEDED", WAIT);
            BatchClient other = new BatchClient(c.http().withKey(otherTenantKey(c)));

            assertThat(other.http().get(BatchClient.BASE + "/" + id).statusCode()).isEqualTo(404);
            assertThat(other.results(id, null, null).statusCode()).isEqualTo(404);
            assertThat(other.cancel(id).statusCode()).isEqualTo(404);
            assertThat(TestHttp.json(other.http().get(BatchClient.BASE)).path("totalItems").asInt()).isZero();
            assertThat(other.submit(model, "{\"datasetId\": \"" + dataset + "\"}").statusCode()).isEqualTo(404);
            String theirs = other.upload("theirs", BatchClient.examples(5, 19, TestModels.CLASSES));
            HttpResponse<String> ourModelTheirData = c.submit(model, "{\"datasetId\": \"" + theirs + "\"}");
            assertThat(ourModelTheirData.statusCode()).isEqualTo(422);
        }

        private String otherTenantKey(BatchClient c) {
            String name = "batch-other-" + UUID.randomUUID().toString().substring(0, 8);
            JsonNode tenant = TestHttp.json(c.post("/api/v1/tenants", "{\"name\": \"" + name + "\"}"));
            JsonNode key = TestHttp.json(c.post("/api/v1/tenants/" + tenant.path("id").asString() + "/keys",
                    "{\"name\": \"k\", \"role\": \"admin\"}"));
            return key.path("key").asString();
        }

    }

}
