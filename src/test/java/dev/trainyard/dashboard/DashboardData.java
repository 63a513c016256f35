package dev.trainyard.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.Multipart;
import dev.trainyard.TestHttp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * Data the dashboard tests look at, made through the API: synthetic image datasets and,
 * once per server, two trained jobs (an ensemble of two small MLPs with dropout, and a
 * single model that a test may delete). Training takes a few seconds.
 */
final class DashboardData {

    /** What one server holds after {@link #trained}. */
    record Trained(String trainId, String testId, SyntheticImages test, String jobId, List<String> modelIds,
            String ensembleId, String spareModelId) {
    }

    private static final Map<Integer, Trained> TRAINED = new ConcurrentHashMap<>();

    private DashboardData() {
    }

    static String upload(TestHttp http, String name, SyntheticImages data) {
        HttpResponse<String> response = http.send(new Multipart().field("name", name)
            .file("images", name + "-images-idx3-ubyte", data.images())
            .file("labels", name + "-labels-idx1-ubyte", data.labels())
            .post(http.request("/api/v1/datasets"))
            .build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return TestHttp.json(response).path("id").asString();
    }

    /** A small MLP with dropout for the synthetic images, as a job spec. */
    static String mlpSpec(String name, String trainId, String testId, int epochs, int members) {
        return """
                {"name": "%s", "datasetId": "%s", "testDatasetId": "%s", "seed": 3, "validationFraction": 0.1,
                 "preprocessing": {"method": "standardize"},
                 "model": {"layers": [{"type": "flatten"}, {"type": "dense", "units": 24}, {"type": "relu"},
                                      {"type": "dropout", "rate": 0.2}, {"type": "dense", "units": 3}]},
                 "training": {"epochs": %d, "batchSize": 32,
                              "optimizer": {"type": "sgd", "learningRate": 0.05, "momentum": 0.9}},
                 "ensemble": {"members": %d}}""".formatted(name, trainId, testId, epochs, members);
    }

    static synchronized Trained trained(TestHttp http, int port) {
        return TRAINED.computeIfAbsent(port, p -> train(http));
    }

    private static Trained train(TestHttp http) {
        SyntheticImages train = SyntheticImages.generate(300, 11);
        SyntheticImages test = SyntheticImages.generate(90, 12);
        String trainId = upload(http, "shapes-train", train);
        String testId = upload(http, "shapes-test", test);
        String jobId = submit(http, mlpSpec("shapes-ensemble", trainId, testId, 4, 2));
        String spareJob = submit(http, mlpSpec("shapes-spare", trainId, testId, 1, 1));
        JsonNode job = awaitSuccess(http, jobId);
        JsonNode spare = awaitSuccess(http, spareJob);
        List<String> modelIds = new ArrayList<>();
        job.path("modelIds").forEach(id -> modelIds.add(id.asString()));
        assertThat(modelIds).hasSize(2);
        assertThat(job.path("ensembleId").isNull()).as(job.toString()).isFalse();
        return new Trained(trainId, testId, test, jobId, List.copyOf(modelIds), job.path("ensembleId").asString(),
                spare.path("modelIds").get(0).asString());
    }

    static String submit(TestHttp http, String spec) {
        HttpResponse<String> response = http.send(http.request("/api/v1/jobs")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(spec))
            .build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return TestHttp.json(response).path("id").asString();
    }

    static JsonNode awaitSuccess(TestHttp http, String jobId) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        for (;;) {
            JsonNode job = TestHttp.json(http.get("/api/v1/jobs/" + jobId));
            String status = job.path("status").asString();
            if (status.equals("SUCCEEDED")) {
                return job;
            }
            assertThat(status).as(job.toString()).isIn("QUEUED", "RUNNING");
            assertThat(System.nanoTime()).as("job %s still %s", jobId, status).isLessThan(deadline);
            try {
                Thread.sleep(100);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
    }

    /** POSTs JSON and returns the parsed 200 answer. */
    static JsonNode post(TestHttp http, String path, String body) {
        HttpResponse<String> response = http.send(http.request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHttp.json(response);
    }

}
