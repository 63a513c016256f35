package dev.trainyard.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.Multipart;
import dev.trainyard.TestHttp;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * What the job tests do over HTTP: upload a synthetic dataset, submit specs, read jobs,
 * follow the event stream.
 */
final class JobClient {

    private static final HttpClient STREAMS = HttpClient.newHttpClient();

    final TestHttp http;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    JobClient(TestHttp http) {
        this.http = http;
    }

    /**
     * Three Gaussian blobs in the plane (centres on a circle of radius 3, std 0.7),
     * {@code perClass} examples each, as CSV with a header {@code x,y,label}; the same
     * seed gives the same file.
     */
    static String blobsCsv(int perClass, long seed) {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("x,y,label\n");
        for (int i = 0; i < perClass; i++) {
            for (int c = 0; c < 3; c++) {
                double angle = 2 * Math.PI * c / 3;
                double x = 3 * Math.cos(angle) + 0.7 * random.nextGaussian();
                double y = 3 * Math.sin(angle) + 0.7 * random.nextGaussian();
                csv.append(String.format(Locale.ROOT, "%.5f,%.5f,c%d%n", x, y, c));
            }
        }
        return csv.toString();
    }

    static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    String uploadBlobs(int perClass, long seed) {
        HttpResponse<String> response = http.send(new Multipart().field("name", "blobs")
            .field("format", "csv")
            .file("file", "blobs.csv", "text/csv", blobsCsv(perClass, seed).getBytes(StandardCharsets.UTF_8))
            .post(http.request("/api/v1/datasets"))
            .build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return TestHttp.json(response).path("id").asString();
    }

    /**
     * An MLP for the blobs: dense 16, relu, dense 3; {@code extra} is spliced into
     * "training".
     */
    static String mlpSpec(String datasetId, int epochs, String extra) {
        return """
                {"name": "blobs-mlp", "datasetId": "%s", "seed": 7,
                 "model": {"layers": [{"type": "dense", "units": 16}, {"type": "relu"},
                                      {"type": "dense", "units": 3}]},
                 "training": {"epochs": %d, "batchSize": 16,
                              "optimizer": {"type": "sgd", "learningRate": 0.05}%s}}""".formatted(datasetId, epochs,
                extra);
    }

    HttpResponse<String> submit(String spec) {
        return http.send(http.request("/api/v1/jobs")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(spec))
            .build());
    }

    HttpResponse<String> submit(String spec, String idempotencyKey) {
        return http.send(http.request("/api/v1/jobs")
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", idempotencyKey)
            .POST(HttpRequest.BodyPublishers.ofString(spec))
            .build());
    }

    String submitted(String spec) {
        HttpResponse<String> response = submit(spec);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return TestHttp.json(response).path("id").asString();
    }

    JsonNode job(String id) {
        HttpResponse<String> response = http.get("/api/v1/jobs/" + id);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHttp.json(response);
    }

    long jobCount() {
        return TestHttp.json(http.get("/api/v1/jobs")).path("totalItems").asLong();
    }

    HttpResponse<String> cancel(String id) {
        return http
            .send(http.request("/api/v1/jobs/" + id + "/cancel").POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** Polls the job until {@code condition} holds, failing after {@code timeout}. */
    JsonNode awaitJob(String id, Duration timeout, Predicate<JsonNode> condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode job = job(id);
        while (!condition.test(job)) {
            assertThat(System.nanoTime()).as("job %s did not get there in %s: %s", id, timeout, job)
                .isLessThan(deadline);
            Thread.sleep(20);
            job = job(id);
        }
        return job;
    }

    JsonNode awaitStatus(String id, String status, Duration timeout) throws InterruptedException {
        return awaitJob(id, timeout, j -> j.path("status").asString().equals(status));
    }

    record Event(String id, String type, String data) {
    }

    /**
     * Reads the job's event stream until it ends ({@code completed}); {@code lastEventId}
     * may be null.
     */
    List<Event> events(String id, String lastEventId) throws Exception {
        HttpRequest.Builder request = http.request("/api/v1/jobs/" + id + "/events")
            .timeout(Duration.ofSeconds(120))
            .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<java.io.InputStream> response = STREAMS.send(request.GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        List<Event> events = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String eventId = null;
            String type = null;
            StringBuilder data = new StringBuilder();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isEmpty()) {
                    if (type != null) {
                        events.add(new Event(eventId, type, data.toString()));
                    }
                    eventId = null;
                    type = null;
                    data.setLength(0);
                }
                else if (line.startsWith("id:")) {
                    eventId = line.substring(3).strip();
                }
                else if (line.startsWith("event:")) {
                    type = line.substring(6).strip();
                }
                else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                }
            }
        }
        return events;
    }

}
