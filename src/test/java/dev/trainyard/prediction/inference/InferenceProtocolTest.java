package dev.trainyard.prediction.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trainyard.TestHttp;
import dev.trainyard.model.ModelService;
import dev.trainyard.model.TestModels;
import dev.trainyard.security.Tenants;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A conformance walk through the Open Inference Protocol's REST API as its specification
 * documents it: health, server and model metadata, readiness, inference requests and
 * responses (flat and nested data, FP32 and UINT8, output selection, the request id), and
 * its errors ({@code {"error": ...}}) for unknown models and versions, datatypes and
 * shapes the model does not take, and malformed requests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class InferenceProtocolTest {

    static final String TWO_ROWS = "[1, 2, 3, 4, 0.5, -1, 2, 8]";

    @LocalServerPort
    int port;

    @Autowired
    ModelService models;

    TestHttp http() {
        return new TestHttp(port);
    }

    HttpResponse<String> post(TestHttp http, String path, String json) {
        return http.send(http.request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
    }

    HttpResponse<String> put(String path, String json) {
        return http().send(http().request(path)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json))
            .build());
    }

    UUID model(long seed) {
        return models.register(TestModels.newModel(Tenants.DEFAULT_ID, null, 0, TestModels.mlp(4, seed),
                TestModels.standardize(4), TestModels.CLASSES));
    }

    /** A registered model whose versions serve the given models or ensembles. */
    String registered(String... versions) {
        String name = "oip-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(post(http(), "/api/v1/registered-models", "{\"name\": \"" + name + "\"}").statusCode())
            .isEqualTo(201);
        for (String version : versions) {
            HttpResponse<String> added = post(http(), "/api/v1/registered-models/" + name + "/versions", version);
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        }
        return name;
    }

    static String modelVersion(UUID model) {
        return "{\"modelId\": \"" + model + "\"}";
    }

    static String infer(String datatype, String shape, String data) {
        return "{\"inputs\": [{\"name\": \"input0\", \"shape\": " + shape + ", \"datatype\": \"" + datatype
                + "\", \"data\": " + data + "}]}";
    }

    /** The protocol's error: a JSON object with one string, and the status. */
    static void assertError(HttpResponse<String> response, int status, String containing) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(TestHttp.contentType(response)).startsWith("application/json");
        JsonNode body = TestHttp.json(response);
        assertThat(body.propertyNames()).containsExactly("error");
        assertThat(body.path("error").asString()).contains(containing);
    }

    @Test
    void healthAnswersWithoutKeyAndAnEmptyBody() {
        HttpResponse<String> live = http().withoutKey().get("/v2/health/live");
        HttpResponse<String> ready = http().withoutKey().get("/v2/health/ready");

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEmpty();
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEmpty();
    }

    @Test
    void serverMetadataNamesTheServerAndNoExtensions() {
        JsonNode server = TestHttp.json(http().get("/v2"));

        assertThat(server.path("name").asString()).isEqualTo("trainyard");
        assertThat(server.path("version").asString()).isNotBlank();
        assertThat(server.path("extensions").isArray()).isTrue();
        assertThat(server.path("extensions")).isEmpty();
    }

    @Test
    void modelMetadataDescribesTheChampionOrTheNamedVersion() {
        UUID first = model(1);
        UUID second = model(2);
        String name = registered(modelVersion(first), modelVersion(second));
        assertThat(put("/api/v1/registered-models/" + name + "/aliases/champion", "{\"version\": 1}").statusCode())
            .isEqualTo(200);

        JsonNode metadata = TestHttp.json(http().get("/v2/models/" + name));
        JsonNode second2 = TestHttp.json(http().get("/v2/models/" + name + "/versions/2"));

        assertThat(metadata.path("name").asString()).isEqualTo(name);
        assertThat(metadata.path("versions").toString()).isEqualTo("[\"1\",\"2\"]");
        assertThat(metadata.path("platform").asString()).isEqualTo("trainyard");
        assertThat(metadata.path("inputs").toString())
            .isEqualTo("[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,4]}]");
        assertThat(metadata.path("outputs").toString())
            .isEqualTo("[{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[-1,3]},"
                    + "{\"name\":\"label\",\"datatype\":\"BYTES\",\"shape\":[-1]}]");
        assertThat(metadata.path("parameters").path("version").asString()).isEqualTo("1");
        assertThat(metadata.path("parameters").path("model_id").asString()).isEqualTo(first.toString());
        assertThat(metadata.path("parameters").path("classes").asString()).isEqualTo("[\"cat\",\"dog\",\"bird\"]");
        assertThat(second2.path("parameters").path("model_id").asString()).isEqualTo(second.toString());
        // without a champion the highest version is served
        String plain = registered(modelVersion(first), modelVersion(second));
        assertThat(TestHttp.json(http().get("/v2/models/" + plain)).path("parameters").path("version").asString())
            .isEqualTo("2");
    }

    @Test
    void readinessIsAnEmpty200ForAServableModelAnd404Otherwise() {
        String name = registered(modelVersion(model(3)));

        HttpResponse<String> ready = http().get("/v2/models/" + name + "/ready");
        HttpResponse<String> versionReady = http().get("/v2/models/" + name + "/versions/1/ready");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEmpty();
        assertThat(versionReady.statusCode()).isEqualTo(200);
        assertError(http().get("/v2/models/" + name + "/versions/2/ready"), 404, "no version 2");
        assertError(http().get("/v2/models/nothing-" + UUID.randomUUID() + "/ready"), 404, "no registered model");
        assertError(http().get("/v2/models/" + registered() + "/ready"), 404, "has no versions");
    }

    @Test
    void inferenceAnswersWhatThePredictionsEndpointAnswers() {
        UUID model = model(4);
        String name = registered(modelVersion(model));
        JsonNode expected = TestHttp.json(post(http(), "/api/v1/models/" + model + "/predictions",
                "{\"instances\": [[1, 2, 3, 4], [0.5, -1, 2, 8]]}"));

        HttpResponse<String> response = post(http(), "/v2/models/" + name + "/infer",
                "{\"id\": \"42\", \"inputs\": [{\"name\": \"input0\", \"shape\": [2, 4], \"datatype\": \"FP32\", "
                        + "\"data\": " + TWO_ROWS + "}]}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = TestHttp.json(response);
        assertThat(body.path("model_name").asString()).isEqualTo(name);
        assertThat(body.path("model_version").asString()).isEqualTo("1");
        assertThat(body.path("id").asString()).isEqualTo("42");
        JsonNode probabilities = body.path("outputs").get(0);
        JsonNode label = body.path("outputs").get(1);
        assertThat(probabilities.path("name").asString()).isEqualTo("probabilities");
        assertThat(probabilities.path("datatype").asString()).isEqualTo("FP32");
        assertThat(probabilities.path("shape").toString()).isEqualTo("[2,3]");
        assertThat(label.path("name").asString()).isEqualTo("label");
        assertThat(label.path("datatype").asString()).isEqualTo("BYTES");
        assertThat(label.path("shape").toString()).isEqualTo("[2]");
        for (int i = 0; i < 2; i++) {
            JsonNode item = expected.path("predictions").get(i);
            for (int c = 0; c < 3; c++) {
                assertThat(probabilities.path("data").get(i * 3 + c).asDouble())
                    .isCloseTo(item.path("probabilities").get(c).asDouble(), within(1e-7));
            }
            assertThat(label.path("data").get(i).asString()).isEqualTo(item.path("label").asString());
        }
    }

    @Test
    void nestedDataUint8AndTheVersionPathAnswerAlike() {
        String name = registered(modelVersion(model(5)));
        String flat = post(http(), "/v2/models/" + name + "/infer",
                infer("FP32", "[2, 4]", "[1, 2, 3, 4, 0, 7, 255, 9]"))
            .body();

        HttpResponse<String> nested = post(http(), "/v2/models/" + name + "/infer",
                infer("FP32", "[2, 4]", "[[1, 2, 3, 4], [0, 7, 255, 9]]"));
        HttpResponse<String> uint8 = post(http(), "/v2/models/" + name + "/infer",
                infer("UINT8", "[2, 4]", "[[1, 2, 3, 4], [0, 7, 255, 9]]"));
        HttpResponse<String> version = post(http(), "/v2/models/" + name + "/versions/1/infer",
                infer("FP32", "[2, 4]", "[1, 2, 3, 4, 0, 7, 255, 9]"));

        assertThat(nested.statusCode()).as(nested.body()).isEqualTo(200);
        assertThat(nested.body()).isEqualTo(flat);
        assertThat(uint8.body()).isEqualTo(flat);
        assertThat(version.body()).isEqualTo(flat);
        assertThat(TestHttp.json(nested).has("id")).as("no id asked, none answered").isFalse();
    }

    @Test
    void requestedOutputsAndParametersAreHonoured() {
        String name = registered(modelVersion(model(6)));

        HttpResponse<String> response = post(http(), "/v2/models/" + name + "/infer",
                "{\"parameters\": {\"priority\": 1, \"tag\": \"x\", \"binary_data_output\": false}, "
                        + "\"inputs\": [{\"name\": \"input0\", \"shape\": [2, 4], \"datatype\": \"FP32\", "
                        + "\"data\": " + TWO_ROWS + "}], \"outputs\": [{\"name\": \"label\"}]}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode outputs = TestHttp.json(response).path("outputs");
        assertThat(outputs).hasSize(1);
        assertThat(outputs.get(0).path("name").asString()).isEqualTo("label");
        assertThat(outputs.get(0).path("data")).hasSize(2);
    }

    @Test
    void anEnsembleVersionAnswersWithTheAveragedProbabilities() {
        UUID a = model(7);
        UUID b = model(8);
        String ensemble = TestHttp
            .json(post(http(), "/api/v1/ensembles", "{\"name\": \"e\", \"modelIds\": [\"" + a + "\",\"" + b + "\"]}"))
            .path("id")
            .asString();
        String name = registered("{\"ensembleId\": \"" + ensemble + "\"}");
        JsonNode expected = TestHttp
            .json(post(http(), "/api/v1/ensembles/" + ensemble + "/predictions", "{\"instances\": [[1, 2, 3, 4]]}"));

        JsonNode body = TestHttp
            .json(post(http(), "/v2/models/" + name + "/infer", infer("FP32", "[1, 4]", "[1, 2, 3, 4]")));

        JsonNode probabilities = body.path("outputs").get(0).path("data");
        for (int c = 0; c < 3; c++) {
            assertThat(probabilities.get(c).asDouble())
                .isCloseTo(expected.path("predictions").get(0).path("probabilities").get(c).asDouble(), within(1e-7));
        }
        assertThat(TestHttp.json(http().get("/v2/models/" + name)).path("parameters").path("ensemble_id").asString())
            .isEqualTo(ensemble);
    }

    @Test
    void requestsTheModelCannotTakeAreProtocolErrors() {
        String name = registered(modelVersion(model(9)));
        String path = "/v2/models/" + name + "/infer";

        assertError(post(http(), path, infer("INT64", "[2, 4]", TWO_ROWS)), 400, "datatype INT64");
        assertError(post(http(), path, infer("FP32", "[2, 5]", TWO_ROWS)), 400, "shape [-1, 4]");
        assertError(post(http(), path, infer("FP32", "[8]", TWO_ROWS)), 400, "shape [8]");
        assertError(post(http(), path, infer("FP32", "[3, 4]", TWO_ROWS)), 400, "has 8 values");
        assertError(post(http(), path, infer("FP32", "[0, 4]", "[]")), 400, "no instances");
        assertError(post(http(), path, infer("UINT8", "[2, 4]", "[1, 2, 3, 4, 0, 7, 256, 9]")), 400, "0 to 255");
        assertError(post(http(), path, infer("UINT8", "[2, 4]", "[1, 2, 3, 4, 0, 7, 2.5, 9]")), 400, "0 to 255");
        assertError(post(http(), path, infer("FP32", "[2, 4]", "[1, 2, 3, 4, 0, 7, \"a\", 9]")), 400, "not a number");
        assertError(post(http(), path, infer("FP32", "[2, 4]", "[1, 2, 3, 4, 0, 7, 1e39, 9]")), 400, "finite");
        String tensor = "{\"name\": \"input0\", \"shape\": [2, 4], \"datatype\": \"FP32\", \"data\": " + TWO_ROWS + "}";
        assertError(post(http(), path, "{\"inputs\": [" + tensor + ", " + tensor + "]}"), 400, "exactly one input");
        assertError(post(http(), path, "{\"inputs\": "), 400, "not valid JSON");
        assertError(post(http(), path, "{}"), 400, "'inputs'");
        assertError(
                post(http(), path,
                        "{\"outputs\": [{\"name\": \"logits\"}], " + infer("FP32", "[2, 4]", TWO_ROWS).substring(1)),
                400, "Unknown output 'logits'");
        assertError(post(http(), path,
                "{\"parameters\": {\"binary_data_output\": true}, " + infer("FP32", "[2, 4]", TWO_ROWS).substring(1)),
                400, "Binary tensor data");
        assertError(post(http(), path, "{\"id\": 7, " + infer("FP32", "[2, 4]", TWO_ROWS).substring(1)), 400,
                "'id' must be a string");
    }

    @Test
    void unknownModelsAndVersionsAre404() {
        String name = registered(modelVersion(model(10)));
        String unknown = "nothing-" + UUID.randomUUID();

        assertError(http().get("/v2/models/" + unknown), 404, "no registered model " + unknown);
        assertError(post(http(), "/v2/models/" + unknown + "/infer", infer("FP32", "[1, 4]", "[1, 2, 3, 4]")), 404,
                "no registered model");
        assertError(http().get("/v2/models/" + name + "/versions/3"), 404, "no version 3");
        assertError(http().get("/v2/models/" + name + "/versions/one"), 404, "no version one");
        assertError(post(http(), "/v2/models/" + name + "/versions/3/infer", infer("FP32", "[1, 4]", "[1, 2, 3, 4]")),
                404, "no version 3");
    }

    @Test
    void theProtocolNeedsAKeyAndKeepsTenantsApart() {
        String name = registered(modelVersion(model(11)));
        String tenant = TestHttp
            .json(post(http(), "/api/v1/tenants",
                    "{\"name\": \"oip-" + UUID.randomUUID().toString().substring(0, 8) + "\"}"))
            .path("id")
            .asString();
        String key = TestHttp
            .json(post(http(), "/api/v1/tenants/" + tenant + "/keys", "{\"name\": \"k\", \"role\": \"user\"}"))
            .path("key")
            .asString();

        assertThat(http().withoutKey().get("/v2/models/" + name).statusCode()).isEqualTo(401);
        assertThat(http().withoutKey().get("/v2").statusCode()).isEqualTo(401);
        assertThat(post(http().withoutKey(), "/v2/models/" + name + "/infer", infer("FP32", "[1, 4]", "[1, 2, 3, 4]"))
            .statusCode()).isEqualTo(401);
        assertError(http().withKey(key).get("/v2/models/" + name), 404, "no registered model");
        assertError(post(http().withKey(key), "/v2/models/" + name + "/infer", infer("FP32", "[1, 4]", "[1, 2, 3, 4]")),
                404, "no registered model");
    }

}
