package dev.trainyard.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trainyard.Multipart;
import dev.trainyard.TestHttp;
import dev.trainyard.engine.data.PreprocessingStatistics;
import dev.trainyard.engine.ensemble.ClassProbabilities;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Tensor;
import dev.trainyard.model.ModelService;
import dev.trainyard.model.TestModels;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** Models, predictions and ensembles over HTTP, on the embedded H2 database. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "trainyard.prediction.max-instances=50", "trainyard.security.rate-limits.predictions-per-second=0" })
class PredictionApiTest {

    static final UUID DEFAULT_TENANT = UUID.fromString("00000000-0000-0000-0000-000000000001");

    @LocalServerPort
    int port;

    @Autowired
    ModelService registry;

    @Autowired
    JdbcTemplate jdbc;

    TestHttp http() {
        return new TestHttp(port);
    }

    HttpResponse<String> post(TestHttp http, String path, String json) {
        return http.send(http.request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
    }

    UUID register(Sequential net, int member) {
        return registry.register(
                TestModels.newModel(DEFAULT_TENANT, null, member, net, TestModels.standardize(4), TestModels.CLASSES));
    }

    static float[] instances(int n, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[n * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (i % 4 + (1 + i % 4) * rng.nextGaussian());
        }
        return x;
    }

    static String json(float[] x, int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "[" : ",[");
            for (int f = 0; f < 4; f++) {
                sb.append(f == 0 ? "" : ",").append(x[i * 4 + f]);
            }
            sb.append(']');
        }
        return sb.append(']').toString();
    }

    static float[] expected(Sequential net, float[] x, int n) {
        PreprocessingStatistics prep = TestModels.standardize(4);
        return ClassProbabilities.predict(net, prep.apply(Tensor.wrap(x.clone(), n, 4))).toArray();
    }

    @Test
    void aPredictionAppliesThePreprocessingAndAnswersEveryInstanceInOrder() {
        Sequential net = TestModels.mlp(4, 21);
        UUID id = register(net, 0);
        float[] x = instances(7, 1);

        HttpResponse<String> response = post(http(), "/api/v1/models/" + id + "/predictions",
                "{\"instances\": " + json(x, 7) + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = TestHttp.json(response);
        assertThat(body.path("modelId").asString()).isEqualTo(id.toString());
        assertThat(body.path("classes").toString()).isEqualTo("[\"cat\",\"dog\",\"bird\"]");
        float[] p = expected(net, x, 7);
        for (int i = 0; i < 7; i++) {
            JsonNode item = body.path("predictions").get(i);
            int best = 0;
            for (int c = 0; c < 3; c++) {
                assertThat(item.path("probabilities").get(c).asDouble()).isCloseTo(p[i * 3 + c], within(1e-6));
                best = p[i * 3 + c] > p[i * 3 + best] ? c : best;
            }
            assertThat(item.path("label").asString()).isEqualTo(TestModels.CLASSES.get(best));
            assertThat(item.has("std")).isFalse();
        }
    }

    /**
     * The counters that say how well requests batch, and what a pass costs, move with
     * every prediction.
     */
    @Test
    void prometheusCountsTheForwardPassesAndTheRequestsTheyServed() {
        UUID id = register(TestModels.mlp(4, 23), 0);
        double[] before = forwardCounts();

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = post(http(), "/api/v1/models/" + id + "/predictions",
                    "{\"instances\": " + json(instances(2, 40 + i), 2) + "}");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }

        double[] after = forwardCounts();
        // other tests of this context may predict at the same time: at least these three
        assertThat(after[0] - before[0]).isGreaterThanOrEqualTo(1);
        assertThat(after[1] - before[1]).isGreaterThanOrEqualTo(3);
        assertThat(after[1] - before[1]).isGreaterThanOrEqualTo(after[0] - before[0]);
        // two rows per request, and some time for each pass
        assertThat(after[2] - before[2]).isGreaterThanOrEqualTo(6);
        assertThat(after[2] - before[2]).isGreaterThanOrEqualTo(after[1] - before[1]);
        assertThat(after[3] - before[3]).isPositive();
    }

    private double[] forwardCounts() {
        HttpResponse<String> response = http().get("/actuator/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        return new double[] { sample(response.body(), "trainyard_prediction_forward_batches_total"),
                sample(response.body(), "trainyard_prediction_forward_requests_total"),
                sample(response.body(), "trainyard_prediction_forward_rows_total"),
                sample(response.body(), "trainyard_prediction_forward_time_seconds_total") };
    }

    private static double sample(String exposition, String name) {
        return exposition.lines()
            .filter((line) -> line.startsWith(name + " ") || line.startsWith(name + "{"))
            .mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
            .findFirst()
            .orElseThrow(() -> new AssertionError(name + " is not in /actuator/prometheus"));
    }

    @Test
    void badInstancesAreProblemsThatSayWhatIsWrong() {
        UUID id = register(TestModels.mlp(4, 2), 0);
        String path = "/api/v1/models/" + id + "/predictions";

        HttpResponse<String> wrongCount = post(http(), path, "{\"instances\": [[1,2,3,4],[1,2,3]]}");
        HttpResponse<String> nan = post(http(), path, "{\"instances\": [[1,2,NaN,4]]}");
        HttpResponse<String> infinity = post(http(), path, "{\"instances\": [[1,2,3,1e400]]}");
        HttpResponse<String> empty = post(http(), path, "{\"instances\": []}");
        HttpResponse<String> tooMany = post(http(), path, "{\"instances\": " + json(instances(51, 3), 51) + "}");
        HttpResponse<String> unknown = post(http(), "/api/v1/models/" + UUID.randomUUID() + "/predictions",
                "{\"instances\": [[1,2,3,4]]}");

        assertThat(wrongCount.statusCode()).isEqualTo(422);
        JsonNode problem = TestHttp.json(wrongCount);
        assertThat(problem.path("expected").asInt()).isEqualTo(4);
        assertThat(problem.path("actual").asInt()).isEqualTo(3);
        assertThat(problem.path("detail").asString()).contains("Instance 1 has 3 features").contains("expects 4");
        assertThat(nan.statusCode()).isEqualTo(422);
        assertThat(TestHttp.json(nan).path("pointer").asString()).isEqualTo("#/instances/0/2");
        assertThat(infinity.statusCode()).isEqualTo(422);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(tooMany.statusCode()).isEqualTo(413);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(TestHttp.contentType(unknown)).startsWith("application/problem+json");
    }

    @Test
    void monteCarloDropoutAveragesStochasticPassesAndReportsTheirSpread() {
        Sequential net = TestModels.mlp(4, 5);
        UUID id = register(net, 0);
        float[] x = instances(2, 4);
        String body = "{\"instances\": " + json(x, 2) + ", \"mcDropoutSamples\": 50, \"seed\": 7}";

        JsonNode first = TestHttp.json(post(http(), "/api/v1/models/" + id + "/predictions", body));
        JsonNode again = TestHttp.json(post(http(), "/api/v1/models/" + id + "/predictions", body));

        assertThat(again.path("predictions").toString()).isEqualTo(first.path("predictions").toString());
        JsonNode item = first.path("predictions").get(0);
        double sum = 0;
        for (int c = 0; c < 3; c++) {
            sum += item.path("probabilities").get(c).asDouble();
            assertThat(item.path("std").get(c).asDouble()).isPositive();
        }
        assertThat(sum).isCloseTo(1.0, within(1e-5));
        // the deterministic answer differs: dropout was active
        float[] p = expected(net, x, 2);
        assertThat(item.path("probabilities").get(0).asDouble()).isNotCloseTo(p[0], within(1e-6));
    }

    @Test
    void aCachedModelIsServedWithoutTheDatabase() {
        Sequential net = TestModels.mlp(4, 8);
        UUID id = register(net, 0);
        float[] x = instances(3, 9);
        String path = "/api/v1/models/" + id + "/predictions";
        assertThat(post(http(), path, "{\"instances\": " + json(x, 3) + "}").statusCode()).isEqualTo(200);

        // behind the service's back: the model's file is gone (its row stays, so the
        // cache's check for deleted models keeps it), only the cache still has the
        // weights
        jdbc.update("DELETE FROM model_chunks WHERE model_id = ?", id);
        HttpResponse<String> response = post(http(), path, "{\"instances\": " + json(x, 3) + "}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(response).path("predictions").get(2).path("probabilities").get(1).asDouble())
            .isCloseTo(expected(net, x, 3)[7], within(1e-6));
    }

    @Test
    void aModelDeletedByAnotherInstanceStopsServingHereWithinTwoSeconds() throws InterruptedException {
        UUID id = register(TestModels.mlp(4, 10), 0);
        float[] x = instances(2, 11);
        String path = "/api/v1/models/" + id + "/predictions";
        assertThat(post(http(), path, "{\"instances\": " + json(x, 2) + "}").statusCode()).isEqualTo(200);

        // what another instance's DELETE does in the shared database
        jdbc.update("DELETE FROM model_chunks WHERE model_id = ?", id);
        jdbc.update("DELETE FROM models WHERE id = ?", id);
        long deletedAt = System.nanoTime();
        List<Integer> statuses = new ArrayList<>();
        while (System.nanoTime() - deletedAt < Duration.ofMillis(2500).toNanos()) {
            statuses.add(post(http(), path, "{\"instances\": " + json(x, 2) + "}").statusCode());
            if (statuses.getLast() == 404) {
                break;
            }
            Thread.sleep(20);
        }
        Duration after = Duration.ofNanos(System.nanoTime() - deletedAt);

        assertThat(statuses).as("answers after the deletion")
            .endsWith(404)
            .allSatisfy(s -> assertThat(s).isIn(200, 404));
        assertThat(after).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void concurrentRequestsGetTheSameAnswersAsSequentialOnes() throws Exception {
        Sequential net = TestModels.mlp(4, 13);
        UUID id = register(net, 0);
        String path = "/api/v1/models/" + id + "/predictions";
        List<String> bodies = new ArrayList<>();
        for (int r = 0; r < 96; r++) {
            bodies.add("{\"instances\": " + json(instances(1 + r % 40, r), 1 + r % 40) + "}");
        }
        List<String> sequential = new ArrayList<>();
        for (String b : bodies) {
            sequential.add(post(http(), path, b).body());
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
            List<Future<String>> answers = new ArrayList<>();
            for (String b : bodies) {
                answers.add(pool.submit(() -> post(http(), path, b).body()));
            }
            for (int r = 0; r < bodies.size(); r++) {
                assertThat(answers.get(r).get()).isEqualTo(sequential.get(r));
            }
        }
    }

    @Test
    void anotherTenantSeesNoneOfTheModelsOrEnsembles() {
        UUID id = register(TestModels.mlp(4, 3), 0);
        HttpResponse<String> ensemble = post(http(), "/api/v1/ensembles",
                "{\"name\": \"e\", \"modelIds\": [\"" + id + "\"]}");
        TestHttp other = http().withKey(newTenantKey());

        assertThat(other.get("/api/v1/models/" + id).statusCode()).isEqualTo(404);
        assertThat(other.get("/api/v1/models/" + id + "/export?format=onnx").statusCode()).isEqualTo(404);
        assertThat(other.send(other.request("/api/v1/models/" + id).DELETE().build()).statusCode()).isEqualTo(404);
        assertThat(post(other, "/api/v1/models/" + id + "/predictions", "{\"instances\": [[1,2,3,4]]}").statusCode())
            .isEqualTo(404);
        assertThat(other.get("/api/v1/ensembles/" + TestHttp.json(ensemble).path("id").asString()).statusCode())
            .isEqualTo(404);
        assertThat(
                post(other, "/api/v1/ensembles", "{\"name\": \"theirs\", \"modelIds\": [\"" + id + "\"]}").statusCode())
            .isEqualTo(422);
        assertThat(TestHttp.json(other.get("/api/v1/models")).path("totalItems").asInt()).isZero();
    }

    @Test
    void modelsAreListedByJobDescribedAndDeletedUnlessAnEnsembleUsesThem() {
        UUID job = UUID.randomUUID();
        UUID a = registry.register(TestModels.newModel(DEFAULT_TENANT, job, 0, TestModels.mlp(4, 1),
                TestModels.standardize(4), TestModels.CLASSES));
        UUID b = registry.register(TestModels.newModel(DEFAULT_TENANT, job, 1, TestModels.mlp(4, 2),
                TestModels.standardize(4), TestModels.CLASSES));
        post(http(), "/api/v1/ensembles", "{\"name\": \"uses a\", \"modelIds\": [\"" + a + "\"]}");

        JsonNode page = TestHttp.json(http().get("/api/v1/models?jobId=" + job + "&size=1"));
        JsonNode model = TestHttp.json(http().get("/api/v1/models/" + b));
        HttpResponse<String> deleteUsed = http().send(http().request("/api/v1/models/" + a).DELETE().build());
        HttpResponse<String> deleteUnused = http().send(http().request("/api/v1/models/" + b).DELETE().build());

        assertThat(page.path("totalItems").asInt()).isEqualTo(2);
        assertThat(page.path("items")).hasSize(1);
        assertThat(model.path("architecture").get(1).path("type").asString()).isEqualTo("batch_norm");
        assertThat(model.path("architecture").get(0).path("outputShape").toString()).isEqualTo("[8]");
        assertThat(model.path("parameterCount").asInt()).isEqualTo(4 * 8 + 8 + 16 + 8 * 3 + 3);
        assertThat(model.path("preprocessing").path("statistics").path("mean").toString())
            .isEqualTo("[0.0,1.0,2.0,3.0]");
        assertThat(deleteUsed.statusCode()).isEqualTo(409);
        assertThat(deleteUnused.statusCode()).isEqualTo(204);
        assertThat(http().get("/api/v1/models/" + b).statusCode()).isEqualTo(404);
    }

    @Test
    void anEnsemblePredictsByAveragingOrVotingAndReportsAgreement() {
        List<Sequential> nets = List.of(TestModels.mlp(4, 31), TestModels.mlp(4, 32), TestModels.mlp(4, 33));
        List<UUID> ids = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            ids.add(register(nets.get(m), m));
        }
        HttpResponse<String> created = post(http(), "/api/v1/ensembles", "{\"name\": \"three\", \"modelIds\": [\""
                + ids.get(0) + "\",\"" + ids.get(1) + "\",\"" + ids.get(2) + "\"], \"weights\": [1, 1, 2]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String ensemble = TestHttp.json(created).path("id").asString();
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/ensembles/" + ensemble);
        float[] x = instances(20, 17);

        JsonNode average = TestHttp.json(
                post(http(), "/api/v1/ensembles/" + ensemble + "/predictions", "{\"instances\": " + json(x, 20) + "}"));
        JsonNode vote = TestHttp.json(post(http(), "/api/v1/ensembles/" + ensemble + "/predictions",
                "{\"instances\": " + json(x, 20) + ", \"method\": \"vote\"}"));
        JsonNode view = TestHttp.json(http().get("/api/v1/ensembles/" + ensemble));

        assertThat(view.path("weights").toString()).isEqualTo("[1.0,1.0,2.0]");
        assertThat(view.path("modelIds")).hasSize(3);
        float[][] p = new float[3][];
        for (int m = 0; m < 3; m++) {
            p[m] = expected(nets.get(m), x, 20);
        }
        for (int i = 0; i < 20; i++) {
            JsonNode item = average.path("predictions").get(i);
            double[] avg = new double[3];
            int[] votes = new int[3];
            List<String> members = new ArrayList<>();
            double entropy = 0;
            for (int c = 0; c < 3; c++) {
                avg[c] = (p[0][i * 3 + c] + p[1][i * 3 + c] + 2 * p[2][i * 3 + c]) / 4.0;
                assertThat(item.path("probabilities").get(c).asDouble()).isCloseTo(avg[c], within(1e-6));
                entropy -= avg[c] * Math.log(avg[c]);
            }
            for (int m = 0; m < 3; m++) {
                int best = argmax(p[m], i * 3);
                votes[best]++;
                members.add(TestModels.CLASSES.get(best));
                for (int c = 0; c < 3; c++) {
                    assertThat(item.path("memberProbabilities").get(m).get(c).asDouble()).isCloseTo(p[m][i * 3 + c],
                            within(1e-6));
                }
            }
            int label = argmax(avg);
            int agree = 0;
            for (String s : members) {
                agree += s.equals(TestModels.CLASSES.get(label)) ? 1 : 0;
            }
            assertThat(item.path("label").asString()).isEqualTo(TestModels.CLASSES.get(label));
            assertThat(item.path("memberLabels").toString())
                .isEqualTo(members.stream().map(s -> "\"" + s + "\"").toList().toString().replace(" ", ""));
            assertThat(item.path("agreement").asDouble()).isCloseTo(agree / 3.0, within(1e-9));
            assertThat(item.path("entropy").asDouble()).isCloseTo(entropy, within(1e-5));
            // weighted vote: member 2 counts twice; ties go to the higher averaged
            // probability
            double[] weighted = { 0, 0, 0 };
            for (int m = 0; m < 3; m++) {
                weighted[argmax(p[m], i * 3)] += m == 2 ? 2 : 1;
            }
            int voted = 0;
            for (int c = 1; c < 3; c++) {
                if (weighted[c] > weighted[voted] || (weighted[c] == weighted[voted] && avg[c] > avg[voted])) {
                    voted = c;
                }
            }
            assertThat(vote.path("predictions").get(i).path("label").asString())
                .isEqualTo(TestModels.CLASSES.get(voted));
        }
    }

    @Test
    void anEnsembleWithMonteCarloDropoutReportsTheSpreadOfAllSamples() {
        UUID a = register(TestModels.mlp(4, 41), 0);
        UUID b = register(TestModels.mlp(4, 42), 1);
        String ensemble = TestHttp
            .json(post(http(), "/api/v1/ensembles", "{\"name\": \"mc\", \"modelIds\": [\"" + a + "\",\"" + b + "\"]}"))
            .path("id")
            .asString();

        JsonNode answer = TestHttp.json(post(http(), "/api/v1/ensembles/" + ensemble + "/predictions",
                "{\"instances\": " + json(instances(3, 5), 3) + ", \"mcDropoutSamples\": 20, \"seed\": 1}"));

        JsonNode item = answer.path("predictions").get(0);
        assertThat(item.path("std")).hasSize(3);
        // the mixture's mean is the members' means averaged
        assertThat(item.path("memberProbabilities")).hasSize(2);
        for (int c = 0; c < 3; c++) {
            double mean = (item.path("memberProbabilities").get(0).get(c).asDouble()
                    + item.path("memberProbabilities").get(1).get(c).asDouble()) / 2;
            assertThat(item.path("probabilities").get(c).asDouble()).isCloseTo(mean, within(1e-6));
        }
        assertThat(item.path("std").get(0).asDouble()).isPositive();
        assertThat(answer.path("ensembleId").asString()).isEqualTo(ensemble);
    }

    @Test
    void anExportedModelImportedAgainPredictsTheSame() {
        Sequential net = TestModels.mlp(4, 55);
        UUID id = register(net, 0);
        byte[] weights = download("/api/v1/models/" + id + "/export?format=safetensors");
        String spec = """
                {"layers": [{"type": "dense", "units": 8}, {"type": "batch_norm"}, {"type": "relu"},
                            {"type": "dropout", "rate": 0.5}, {"type": "dense", "units": 3}],
                 "featureShape": [4], "classes": ["cat", "dog", "bird"],
                 "preprocessing": {"method": "standardize",
                                   "statistics": {"mean": [0, 1, 2, 3], "std": [1, 2, 3, 4]}}}""";

        HttpResponse<String> imported = http().send(new Multipart().file("weights", "m.safetensors", weights)
            .json("spec", spec)
            .post(http().request("/api/v1/models/import"))
            .build());

        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
        String copy = TestHttp.json(imported).path("id").asString();
        String instances = "{\"instances\": " + json(instances(10, 77), 10) + "}";
        JsonNode original = TestHttp.json(post(http(), "/api/v1/models/" + id + "/predictions", instances));
        JsonNode again = TestHttp.json(post(http(), "/api/v1/models/" + copy + "/predictions", instances));
        assertThat(again.path("predictions").toString()).isEqualTo(original.path("predictions").toString());
    }

    @Test
    void anImportWhoseTensorDoesNotFitNamesItAndBothShapes() {
        UUID id = register(TestModels.mlp(4, 56), 0);
        byte[] weights = download("/api/v1/models/" + id + "/export?format=safetensors");
        String spec = """
                {"layers": [{"type": "dense", "units": 9}, {"type": "batch_norm"}, {"type": "relu"},
                            {"type": "dense", "units": 3}],
                 "featureShape": [4], "classes": ["cat", "dog", "bird"]}""";

        HttpResponse<String> response = http().send(new Multipart().file("weights", "m.safetensors", weights)
            .json("spec", spec)
            .post(http().request("/api/v1/models/import"))
            .build());

        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode problem = TestHttp.json(response);
        assertThat(problem.path("tensor").asString()).isEqualTo("0.weight");
        assertThat(problem.path("expectedShape").toString()).isEqualTo("[9,4]");
        assertThat(problem.path("actualShape").toString()).isEqualTo("[8,4]");
        assertThat(problem.path("detail").asString()).contains("0.weight").contains("(8, 4)").contains("(9, 4)");
    }

    byte[] download(String path) {
        try {
            HttpResponse<byte[]> response = java.net.http.HttpClient.newHttpClient()
                .send(http().request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        }
        catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private String newTenantKey() {
        String name = "other-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode tenant = TestHttp.json(post(http(), "/api/v1/tenants", "{\"name\": \"" + name + "\"}"));
        JsonNode key = TestHttp.json(post(http(), "/api/v1/tenants/" + tenant.path("id").asString() + "/keys",
                "{\"name\": \"k\", \"role\": \"admin\"}"));
        return key.path("key").asString();
    }

    private static int argmax(float[] p, int base) {
        int best = 0;
        for (int c = 1; c < 3; c++) {
            best = p[base + c] > p[base + best] ? c : best;
        }
        return best;
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            best = p[c] > p[best] ? c : best;
        }
        return best;
    }

}
