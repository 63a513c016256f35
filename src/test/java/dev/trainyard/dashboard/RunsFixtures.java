package dev.trainyard.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.Multipart;
import dev.trainyard.TestHttp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * Jobs for the run views' browser tests, made over HTTP: a small synthetic dataset (three
 * Gaussian blobs in the plane) and tiny MLPs that train in seconds.
 */
final class RunsFixtures {

    private final TestHttp http;

    RunsFixtures(TestHttp http) {
        this.http = http;
    }

    /**
     * Uploads {@code perClass} examples of each of three blobs as CSV; returns its id.
     */
    String blobs(int perClass, long seed) {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("x,y,label\n");
        for (int i = 0; i < perClass; i++) {
            for (int c = 0; c < 3; c++) {
                double angle = 2 * Math.PI * c / 3;
                csv.append(
                        String.format(Locale.ROOT, "%.5f,%.5f,c%d%n", 3 * Math.cos(angle) + 1.4 * random.nextGaussian(),
                                3 * Math.sin(angle) + 1.4 * random.nextGaussian(), c));
            }
        }
        HttpResponse<String> response = http.send(new Multipart().field("name", "blobs")
            .field("format", "csv")
            .file("file", "blobs.csv", "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8))
            .post(http.request("/api/v1/datasets"))
            .build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return TestHttp.json(response).path("id").asString();
    }

    /**
     * A spec for the blobs: dense 16, {@code activation}, dense 3, trained with SGD at
     * {@code learningRate}; {@code testDataset} may be null.
     */
    static String spec(String name, String dataset, String testDataset, String activation, int members, int epochs,
            int batchSize, double learningRate) {
        return """
                {"name": "%s", "datasetId": "%s", %s "seed": 3, "validationFraction": 0.2,
                 "model": {"layers": [{"type": "dense", "units": 16}, {"type": "%s"}, {"type": "dense", "units": 3}]},
                 "training": {"epochs": %d, "batchSize": %d,
                              "optimizer": {"type": "sgd", "learningRate": %s}},
                 "ensemble": {"members": %d}}""".formatted(name, dataset,
                testDataset == null ? "" : "\"testDatasetId\": \"" + testDataset + "\",", activation, epochs, batchSize,
                Double.toString(learningRate), members);
    }

    String submit(String spec) {
        HttpResponse<String> response = http.send(http.request("/api/v1/jobs")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(spec))
            .build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return TestHttp.json(response).path("id").asString();
    }

    JsonNode job(String id) {
        HttpResponse<String> response = http.get("/api/v1/jobs/" + id);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHttp.json(response);
    }

    void cancel(String id) {
        HttpResponse<String> response = http
            .send(http.request("/api/v1/jobs/" + id + "/cancel").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(response.statusCode()).as(response.body()).isIn(202, 409);
    }

    JsonNode await(String id, Duration timeout, Predicate<JsonNode> condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode job = job(id);
        while (!condition.test(job)) {
            assertThat(System.nanoTime()).as("job %s did not get there in %s: %s", id, timeout, job)
                .isLessThan(deadline);
            Thread.sleep(50);
            job = job(id);
        }
        return job;
    }

    JsonNode awaitFinished(String id, Duration timeout) throws InterruptedException {
        return await(id, timeout, j -> j.path("finishedAt").isString());
    }

}
