package dev.trainyard.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.Multipart;
import dev.trainyard.TestHttp;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The lecture's presets over HTTP: for a small synthetic image dataset every preset's
 * request, shortened to one epoch and one repeat, is accepted by
 * {@code POST /api/v1/experiments} and runs to the end; for a dataset of flat examples
 * the presets are perceptrons whose every trial validates.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExperimentPresetsTest {

    static final Duration TIMEOUT = Duration.ofSeconds(300);

    static final List<String> IDS = List.of("preprocessing", "initialization", "batch_norm", "dropout", "drop_block",
            "ensemble");

    @LocalServerPort
    int port;

    ExperimentClient client() {
        return new ExperimentClient(new TestHttp(port));
    }

    @Test
    void everyPresetRunsOnASmallImageDatasetToTheEnd() throws Exception {
        ExperimentClient c = client();
        String train = uploadImages(c, "presets-train", 48, 16, 1);
        String test = uploadImages(c, "presets-test", 24, 16, 2);
        JsonNode presets = presets(c, "?datasetId=" + train + "&testDatasetId=" + test, 200);
        assertThat(ids(presets)).isEqualTo(IDS);
        for (JsonNode preset : presets) {
            assertThat(preset.path("claim").asString()).isNotBlank();
            assertThat(preset.path("description").asString()).isNotBlank();
            JsonNode request = preset.path("request");
            assertThat(request.path("baseSpec").path("datasetId").asString()).isEqualTo(train);
            assertThat(request.path("baseSpec").path("testDatasetId").asString()).isEqualTo(test);
            assertThat(request.path("repeats").asInt()).isGreaterThan(1);
            // image datasets get conv nets wherever the lecture's claim is about them
            if (List.of("preprocessing", "batch_norm", "drop_block", "ensemble")
                .contains(preset.path("id").asString())) {
                assertThat(request.toString()).contains("\"conv2d\"");
            }
        }
        assertThat(presets.get(4).path("request").toString()).contains("\"drop_block\"");
        assertThat(presets.get(1).path("description").asString()).contains("/api/v1/jobs/{jobId}/diagnostics");

        for (JsonNode preset : presets) {
            String id = preset.path("id").asString();
            ObjectNode request = shortened(preset.path("request"));
            int trials = trialCount(request);
            JsonNode started = c.started(request.toString());
            assertThat(started.path("trials")).as(id).hasSize(trials);
            JsonNode done = c.awaitEnd(started.path("id").asString(), TIMEOUT);
            assertThat(done.path("status").asString()).as(id + ": " + done).isEqualTo("SUCCEEDED");
            for (JsonNode t : done.path("trials")) {
                assertThat(t.path("status").asString()).as(id + " trial " + t).isEqualTo("SUCCEEDED");
                assertThat(t.path("metrics").path("testAccuracy").asDouble()).as(id).isBetween(0.0, 1.0);
            }
            if (id.equals("initialization")) {
                // the comparison the preset names: per-layer activation std in the
                // diagnostics, one entry per layer of the 10-layer perceptron
                String job = done.path("trials").get(0).path("jobIds").get(0).asString();
                JsonNode diagnostics = TestHttp.json(c.http.get("/api/v1/jobs/" + job + "/diagnostics"));
                JsonNode activations = diagnostics.get(0).path("activations");
                assertThat(activations).hasSize(22);
                assertThat(activations.get(20).path("std").isNumber()).isTrue();
            }
            if (id.equals("ensemble")) {
                JsonNode largest = done.path("trials").get(4);
                assertThat(largest.path("parameters").path("/ensemble/members").asInt()).isEqualTo(5);
                JsonNode job = TestHttp.json(c.http.get("/api/v1/jobs/" + largest.path("jobIds").get(0).asString()));
                assertThat(job.path("spec").path("ensemble").path("members").asInt()).isEqualTo(5);
            }
        }
    }

    @Test
    void flatExamplesGetPerceptronsAndEveryTrialValidates() {
        ExperimentClient c = client();
        String blobs = c.uploadBlobs(20, 3);
        JsonNode presets = presets(c, "?datasetId=" + blobs, 200);
        assertThat(ids(presets)).isEqualTo(IDS);
        for (JsonNode preset : presets) {
            String request = preset.path("request").toString();
            assertThat(request).doesNotContain("conv2d").doesNotContain("drop_block").doesNotContain("testDatasetId");
            HttpResponse<String> plan = c.post(request, true);
            assertThat(plan.statusCode()).as(preset.path("id") + ": " + plan.body()).isEqualTo(200);
            assertThat(TestHttp.json(plan).path("trialCount").asInt()).isEqualTo(trialCount(preset.path("request")));
        }
        assertThat(presets.get(0).path("description").asString()).contains("need (C, H, W) images");
        assertThat(presets.get(4).path("description").asString()).contains("cannot be judged");
        assertThat(presets.get(5).path("description").asString()).contains("testDatasetId");
    }

    @Test
    void aMissingUnknownOrOtherTenantsDatasetIsAProblem() {
        ExperimentClient c = client();
        String blobs = c.uploadBlobs(5, 4);
        String images = uploadImages(c, "presets-misfit", 6, 16, 3);
        assertProblem(c, "", 400);
        assertProblem(c, "?datasetId=not-a-uuid", 400);
        assertProblem(c, "?datasetId=" + UUID.randomUUID(), 404);
        assertProblem(c, "?datasetId=" + blobs + "&testDatasetId=" + UUID.randomUUID(), 404);
        JsonNode misfit = assertProblem(c, "?datasetId=" + blobs + "&testDatasetId=" + images, 400);
        assertThat(misfit.path("title").asString()).isEqualTo("Test dataset does not fit");
        ExperimentClient other = new ExperimentClient(new TestHttp(port, c.newTenantKey(null)));
        assertProblem(other, "?datasetId=" + blobs, 404);
        assertThat(presets(other, "?datasetId=" + other.uploadBlobs(5, 4), 200)).hasSize(IDS.size());
    }

    private static JsonNode assertProblem(ExperimentClient c, String query, int status) {
        HttpResponse<String> response = c.http.get("/api/v1/experiments/presets" + query);
        assertThat(response.statusCode()).as(query + ": " + response.body()).isEqualTo(status);
        assertThat(TestHttp.contentType(response)).startsWith("application/problem+json");
        return TestHttp.json(response);
    }

    private static JsonNode presets(ExperimentClient c, String query, int status) {
        HttpResponse<String> response = c.http.get("/api/v1/experiments/presets" + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return TestHttp.json(response);
    }

    private static List<String> ids(JsonNode presets) {
        List<String> ids = new ArrayList<>();
        presets.forEach(p -> ids.add(p.path("id").asString()));
        return ids;
    }

    /** The preset's request with one epoch and one repeat, the rest as served. */
    private static ObjectNode shortened(JsonNode request) {
        ObjectNode copy = (ObjectNode) request.deepCopy();
        ((ObjectNode) copy.path("baseSpec").path("training")).put("epochs", 1);
        copy.put("repeats", 1).put("maxConcurrentTrials", 8);
        return copy;
    }

    private static int trialCount(JsonNode request) {
        int trials = 1;
        for (JsonNode p : request.path("parameters")) {
            trials *= p.path("values").size();
        }
        return trials;
    }

    /**
     * {@code count} side x side images in three classes (bright left half, right half,
     * top half) over noise, uploaded as IDX.
     */
    private static String uploadImages(ExperimentClient c, String name, int count, int side, long seed) {
        Random random = new Random(seed);
        ByteBuffer images = ByteBuffer.allocate(16 + count * side * side);
        images.putInt(0x00000803).putInt(count).putInt(side).putInt(side);
        ByteBuffer labels = ByteBuffer.allocate(8 + count);
        labels.putInt(0x00000801).putInt(count);
        for (int n = 0; n < count; n++) {
            int label = n % 3;
            labels.put((byte) label);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    boolean lit = switch (label) {
                        case 0 -> x < side / 2;
                        case 1 -> x >= side / 2;
                        default -> y < side / 2;
                    };
                    images.put((byte) ((lit ? 150 : 0) + random.nextInt(60)));
                }
            }
        }
        HttpResponse<String> response = c.http.send(new Multipart().field("name", name)
            .file("images", name + "-images-idx3-ubyte", images.array())
            .file("labels", name + "-labels-idx1-ubyte", labels.array())
            .post(c.http.request("/api/v1/datasets"))
            .build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return TestHttp.json(response).path("id").asString();
    }

}
