package dev.trainyard.experiment;

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

/**
 * What the experiment tests do over HTTP: upload a synthetic dataset of three Gaussian
 * blobs, post experiments over a small MLP spec, read them, follow their events.
 */
final class ExperimentClient {

    private static final HttpClient STREAMS = HttpClient.newHttpClient();

    final TestHttp http;

    ExperimentClient(TestHttp http) {
        this.http = http;
    }

    /**
     * Three Gaussian blobs in the plane (centres on a circle of radius 3, std 0.7),
     * {@code perClass} examples each, as CSV {@code x,y,label}.
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
     * A job spec for the blobs: dense 16, relu, dense 3; sgd with learning rate 0.05,
     * batch 16, seed 7.
     */
    static String mlpSpec(String datasetId, int epochs) {
        return """
                {"datasetId": "%s", "seed": 7,
                 "model": {"layers": [{"type": "dense", "units": 16}, {"type": "relu"},
                                      {"type": "dense", "units": 3}]},
                 "training": {"epochs": %d, "batchSize": 16,
                              "optimizer": {"type": "sgd", "learningRate": 0.05}}}""".formatted(datasetId, epochs);
    }

    HttpResponse<String> post(String body, boolean dryRun) {
        return http.send(http.request("/api/v1/experiments" + (dryRun ? "?dryRun=true" : ""))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
    }

    JsonNode started(String body) {
        HttpResponse<String> response = post(body, false);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode experiment = TestHttp.json(response);
        assertThat(response.headers().firstValue("Location"))
            .hasValue("/api/v1/experiments/" + experiment.path("id").asString());
        return experiment;
    }

    JsonNode experiment(String id) {
        HttpResponse<String> response = http.get("/api/v1/experiments/" + id);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHttp.json(response);
    }

    HttpResponse<String> cancel(String id) {
        return http.send(http.request("/api/v1/experiments/" + id + "/cancel")
            .POST(HttpRequest.BodyPublishers.noBody())
            .build());
    }

    /**
     * Polls the experiment until {@code condition} holds, failing after {@code timeout}.
     */
    JsonNode await(String id, Duration timeout, Predicate<JsonNode> condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode experiment = experiment(id);
        while (!condition.test(experiment)) {
            assertThat(System.nanoTime()).as("experiment %s did not get there in %s: %s", id, timeout, experiment)
                .isLessThan(deadline);
            Thread.sleep(50);
            experiment = experiment(id);
        }
        return experiment;
    }

    JsonNode awaitEnd(String id, Duration timeout) throws InterruptedException {
        return await(id, timeout, e -> !List.of("QUEUED", "RUNNING").contains(e.path("status").asString()));
    }

    record Event(String id, String type, String data) {
    }

    /** Reads the experiment's event stream until it ends ({@code completed}). */
    List<Event> events(String id, String lastEventId) throws Exception {
        HttpRequest.Builder request = http.request("/api/v1/experiments/" + id + "/events")
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

    /** An admin key of a new tenant, whose running-jobs quota is {@code runningJobs}. */
    String newTenantKey(Integer runningJobs) {
        String name = "exp-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> tenant = http.send(http.request("/api/v1/tenants")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"" + name + "\""
                    + (runningJobs != null ? ", \"runningJobsQuota\": " + runningJobs : "") + "}"))
            .build());
        assertThat(tenant.statusCode()).as(tenant.body()).isEqualTo(201);
        HttpResponse<String> key = http
            .send(http.request("/api/v1/tenants/" + TestHttp.json(tenant).path("id").asString() + "/keys")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"k\", \"role\": \"admin\"}"))
                .build());
        assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
        return TestHttp.json(key).path("key").asString();
    }

}
