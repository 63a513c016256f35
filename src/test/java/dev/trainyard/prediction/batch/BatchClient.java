package dev.trainyard.prediction.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.Multipart;
import dev.trainyard.TestHttp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * Batch predictions over HTTP for tests: CSV datasets of 4 features with the classes of
 * {@code TestModels} (cat, dog, bird), submissions, polling, result downloads.
 */
public record BatchClient(TestHttp http) {

    public static final String BASE = "/api/v1/batch-predictions";

    /** One example as uploaded: its 4 raw values and its class name. */
    public record Example(float[] features, String label) {
    }

    /**
     * {@code rows} seeded examples, feature j drawn around j with spread 1 + j (what
     * {@code TestModels.standardize(4)} undoes), labels drawn from {@code classes}.
     */
    public static List<Example> examples(int rows, long seed, List<String> classes) {
        Random random = new Random(seed);
        List<Example> examples = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            float[] x = new float[4];
            for (int j = 0; j < 4; j++) {
                x[j] = Float.parseFloat(String.format(Locale.ROOT, "%.4f", j + (1 + j) * random.nextGaussian()));
            }
            examples.add(new Example(x, classes.get(random.nextInt(classes.size()))));
        }
        return examples;
    }

    /** Uploads the examples as a CSV dataset; returns its id. */
    public String upload(String name, List<Example> examples) {
        StringBuilder csv = new StringBuilder("a,b,c,d,label\n");
        for (Example e : examples) {
            for (float v : e.features()) {
                csv.append(v).append(',');
            }
            csv.append(e.label()).append('\n');
        }
        HttpResponse<String> response = http.send(new Multipart().field("name", name)
            .field("format", "csv")
            .file("file", name + ".csv", "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8))
            .post(http.request("/api/v1/datasets"))
            .build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return TestHttp.json(response).path("id").asString();
    }

    public HttpResponse<String> post(String path, String json) {
        return http.send(http.request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
    }

    public HttpResponse<String> submit(String modelId, String body) {
        return post("/api/v1/models/" + modelId + "/batch-predictions", body);
    }

    /** Submits the dataset to the model; the new batch's id. */
    public String submitted(String modelId, String datasetId) {
        HttpResponse<String> response = submit(modelId, "{\"datasetId\": \"" + datasetId + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return TestHttp.json(response).path("id").asString();
    }

    public JsonNode batch(String id) {
        HttpResponse<String> response = http.get(BASE + "/" + id);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHttp.json(response);
    }

    public HttpResponse<String> cancel(String id) {
        return http.send(http.request(BASE + "/" + id + "/cancel").POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    public JsonNode await(String id, Duration timeout, Predicate<JsonNode> condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode batch = batch(id);
        while (!condition.test(batch)) {
            assertThat(System.nanoTime()).as("batch prediction %s did not get there in %s: %s", id, timeout, batch)
                .isLessThan(deadline);
            Thread.sleep(20);
            batch = batch(id);
        }
        return batch;
    }

    public JsonNode awaitStatus(String id, String status, Duration timeout) throws InterruptedException {
        JsonNode batch = await(id, timeout, b -> b.path("finishedAt").isString());
        assertThat(batch.path("status").asString()).as(batch.toString()).isEqualTo(status);
        return batch;
    }

    /** GET results with the given query and Accept header (either may be null). */
    public HttpResponse<String> results(String id, String query, String accept) {
        HttpRequest.Builder request = http.request(BASE + "/" + id + "/results" + (query == null ? "" : "?" + query));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.GET().build());
    }

}
