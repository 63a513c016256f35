package dev.trainyard.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.Multipart;
import dev.trainyard.TestHttp;
import dev.trainyard.security.Tenants;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Fuzzes every operation of the served OpenAPI document, on H2 and on PostgreSQL, with
 * valid and mutated requests ({@link RequestFuzzer}) and a few bodies sent slowly over a
 * raw socket. Every answer must be below 500, every error a problem document (the Open
 * Inference Protocol's {@code {"error"}} under {@code /v2}), and no answer may carry a
 * stack trace, an exception class or SQL.
 *
 * <p>
 * {@code -Dfuzz.seed} picks the seed (default fixed, so CI is repeatable) and
 * {@code -Dfuzz.requests} the number of requests (default 1,500); a failure names the
 * seed, the requests and their answers.
 */
class ApiFuzzTest {

    static final long SEED = Long.getLong("fuzz.seed", 20_261_206L);

    static final int REQUESTS = Integer.getInteger("fuzz.requests", 1_500);

    /**
     * What an answer must never show: stack frames, exception and driver classes, SQL.
     */
    static final Pattern LEAK = Pattern.compile("\\bat (dev|java|jdk|org|com|tools)\\.[\\w.$]+\\("
            + "|\\b\\w+(Exception|Error)\\b" + "|\\b(org\\.hibernate|org\\.postgresql|org\\.h2|java\\.lang|"
            + "org\\.springframework|tools\\.jackson|com\\.fasterxml|jakarta\\.)"
            + "|\\bSQL(State)?\\b|(?i:\\bselect\\s+[\\w*,. ]+\\s+from\\s)|(?i:\\binsert\\s+into\\s)"
            + "|(?i:duplicate key value)|(?i:violates \\w+ constraint)");

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class OnH2 extends Checks {

    }

    @Nested
    @PostgresTest
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class OnPostgres extends Checks {

    }

    abstract static class Checks {

        private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

        @LocalServerPort
        int port;

        @Test
        void everyOperationAnswersValidAndMutatedRequestsWithoutServerErrorsOrLeaks() throws Exception {
            TestHttp http = new TestHttp(this.port);
            Resources resources = Resources.create(http);
            JsonNode document = TestHttp.json(http.get("/v3/api-docs"));
            List<RequestFuzzer.Operation> operations = operations(document);
            assertThat(operations).hasSizeGreaterThan(40);

            Random random = new Random(SEED);
            SchemaValues values = new SchemaValues(document, random, () -> resources.anyUuid(random));
            RequestFuzzer fuzzer = new RequestFuzzer(random, values, op -> resources.pathValues(op, random));
            Map<String, Integer> perOperation = new TreeMap<>();
            Map<Integer, Integer> perStatus = new TreeMap<>();
            List<String> findings = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                RequestFuzzer.Operation operation = operations.get(i % operations.size());
                RequestFuzzer.Request request = fuzzer.next(operation);
                Answer answer = send(request, operation.isEventStream());
                perOperation.merge(operation.name(), 1, Integer::sum);
                perStatus.merge(answer.status(), 1, Integer::sum);
                String finding = check(request, answer);
                if (finding != null && findings.size() < 50) {
                    findings.add("#" + i + " " + operation.name() + " [" + request.mutation() + "] " + request.method()
                            + " " + request.path() + " (" + request.contentType() + ") body: " + request.excerpt()
                            + "\n    -> " + finding + ": " + answer.status() + " " + answer.contentType() + " "
                            + excerpt(answer.body()));
                }
            }
            System.out.printf("fuzz: seed %d, %d requests, %d operations%n  by status: %s%n  by operation: %s%n", SEED,
                    REQUESTS, operations.size(), perStatus, perOperation);
            assertThat(findings)
                .as("fuzz findings with -Dfuzz.seed=%d -Dfuzz.requests=%d:%n%s", SEED, REQUESTS,
                        String.join("\n", findings))
                .isEmpty();
        }

        @Test
        void bodiesSentSlowlyGetAnAnswer() throws Exception {
            String body = "{\"name\": \"slow-" + Long.toString(System.nanoTime(), 36)
                    + "\", \"description\": \"sent slowly\"}";
            String complete = rawPost("/api/v1/registered-models", body, body.length(), 25);
            assertThat(complete).startsWith("HTTP/1.1 201");
            // the client stops half-way and closes its side: a problem, not a hang
            String truncated = rawPost("/api/v1/registered-models", body, body.length() / 2, 25);
            assertThat(truncated).startsWith("HTTP/1.1 400").contains("application/problem+json");
            // the declared length is never reached
            String shortBody = rawPost("/api/v1/ensembles", "{\"modelIds\": [", 14, 50);
            assertThat(shortBody).matches("(?s)HTTP/1.1 4\\d\\d .*").contains("application/problem+json");
        }

        /**
         * Writes {@code sent} characters of {@code body} one at a time with
         * {@code pauseMs} between them, declaring the whole length, then closes the
         * output and reads the answer within 20 s.
         */
        private String rawPost(String path, String body, int sent, int pauseMs) throws Exception {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("localhost", this.port), 5_000);
                socket.setSoTimeout(20_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + TestHttp.ADMIN_KEY
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                        + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < Math.min(sent, bytes.length); i++) {
                    out.write(bytes[i]);
                    out.flush();
                    Thread.sleep(pauseMs);
                }
                socket.shutdownOutput();
                InputStream in = socket.getInputStream();
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }

        private Answer send(RequestFuzzer.Request request, boolean eventStream) throws Exception {
            HttpRequest.Builder builder = HttpRequest
                .newBuilder(URI.create("http://localhost:" + this.port + request.path()))
                .timeout(Duration.ofSeconds(30))
                .header("X-API-Key", TestHttp.ADMIN_KEY)
                .method(request.method(), (request.body().length == 0) ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
            if (request.contentType() != null && !request.contentType().isEmpty()) {
                builder.header("Content-Type", request.contentType());
            }
            request.headers().forEach(builder::header);
            if (eventStream) {
                builder.header("Accept", "text/event-stream");
                HttpResponse<InputStream> response = CLIENT
                    .sendAsync(builder.build(), HttpResponse.BodyHandlers.ofInputStream())
                    .get(30, TimeUnit.SECONDS);
                String contentType = TestHttp.contentType(response);
                try (InputStream body = response.body()) {
                    // an open stream is a success; its events have their own tests
                    String text = contentType.startsWith("text/event-stream") ? ""
                            : new String(body.readAllBytes(), StandardCharsets.UTF_8);
                    return new Answer(response.statusCode(), contentType, text);
                }
            }
            HttpResponse<String> response = CLIENT.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString())
                .get(60, TimeUnit.SECONDS);
            return new Answer(response.statusCode(), TestHttp.contentType(response), response.body());
        }

        /** What is wrong with {@code answer}, or null. */
        static String check(RequestFuzzer.Request request, Answer answer) {
            if (answer.status() >= 500) {
                return "server error";
            }
            if (answer.status() >= 400) {
                boolean problem = answer.contentType().startsWith("application/problem+json");
                boolean inference = request.path().startsWith("/v2")
                        && answer.contentType().startsWith("application/json") && answer.body().contains("\"error\"");
                if (!problem && !inference) {
                    return "error that is not a problem document";
                }
            }
            // every text answer, successes too; a binary one (a model export) is not read
            // for it
            boolean text = answer.contentType().contains("json") || answer.contentType().startsWith("text/");
            if (text && LEAK.matcher(answer.body()).find()) {
                return "internals in the answer ("
                        + LEAK.matcher(answer.body()).results().findFirst().orElseThrow().group() + ")";
            }
            return null;
        }

        private static String excerpt(String body) {
            return (body.length() > 400) ? body.substring(0, 400) + "..." : body;
        }

        static List<RequestFuzzer.Operation> operations(JsonNode document) {
            List<RequestFuzzer.Operation> operations = new ArrayList<>();
            for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
                if (!path.getKey().startsWith("/api/v1/") && !path.getKey().startsWith("/v2")) {
                    continue;
                }
                for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                    if (List.of("get", "post", "put", "delete", "patch").contains(operation.getKey())) {
                        operations
                            .add(new RequestFuzzer.Operation(operation.getKey().toUpperCase(java.util.Locale.ROOT),
                                    path.getKey(), operation.getValue()));
                    }
                }
            }
            return operations;
        }

    }

    record Answer(int status, String contentType, String body) {

    }

    /**
     * Real resources for path ids, made before fuzzing: a small dataset, a job trained on
     * it, its model, an ensemble of it, a registered model with a version and an alias,
     * and throwaway keys that DELETE may remove (never the admin's own).
     */
    record Resources(String dataset, String job, String model, String ensemble, String registered,
            List<String> throwawayKeys) {

        static Resources create(TestHttp http) throws Exception {
            StringBuilder csv = new StringBuilder("x,y,label\n");
            Random random = new Random(1);
            for (int i = 0; i < 60; i++) {
                int c = i % 2;
                csv.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,c%d%n", c * 3 + random.nextGaussian(),
                        c + random.nextGaussian(), c));
            }
            HttpResponse<String> uploaded = http.send(new Multipart().field("name", "fuzz")
                .file("file", "fuzz.csv", "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8))
                .post(http.request("/api/v1/datasets"))
                .build());
            assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
            String dataset = TestHttp.json(uploaded).path("id").asString();
            HttpResponse<String> submitted = post(http, "/api/v1/jobs",
                    """
                            {"name": "fuzz", "datasetId": "%s", "seed": 3,
                             "model": {"layers": [{"type": "dense", "units": 4}, {"type": "relu"}, {"type": "dense", "units": 2}]},
                             "training": {"epochs": 2, "batchSize": 16, "optimizer": {"type": "sgd", "learningRate": 0.05}}}"""
                        .formatted(dataset));
            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
            String job = TestHttp.json(submitted).path("id").asString();
            JsonNode done = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline) {
                done = TestHttp.json(http.get("/api/v1/jobs/" + job));
                if (done.path("status").asString().equals("SUCCEEDED")) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(done.path("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
            String model = done.path("modelIds").get(0).asString();
            HttpResponse<String> ensemble = post(http, "/api/v1/ensembles",
                    "{\"name\": \"fuzz\", \"modelIds\": [\"" + model + "\"]}");
            assertThat(ensemble.statusCode()).as(ensemble.body()).isEqualTo(201);
            String registered = "fuzz-" + Long.toString(System.nanoTime(), 36);
            assertThat(post(http, "/api/v1/registered-models", "{\"name\": \"" + registered + "\"}").statusCode())
                .isEqualTo(201);
            assertThat(post(http, "/api/v1/registered-models/" + registered + "/versions",
                    "{\"modelId\": \"" + model + "\"}")
                .statusCode()).isEqualTo(201);
            HttpResponse<String> alias = http
                .send(http.request("/api/v1/registered-models/" + registered + "/aliases/prod")
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"version\": 1}"))
                    .build());
            assertThat(alias.statusCode()).as(alias.body()).isLessThan(300);
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> key = post(http, "/api/v1/tenants/" + Tenants.DEFAULT_ID + "/keys",
                        "{\"name\": \"fuzz throwaway\", \"role\": \"user\"}");
                assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
                keys.add(TestHttp.json(key).path("id").asString());
            }
            return new Resources(dataset, job, model, TestHttp.json(ensemble).path("id").asString(), registered, keys);
        }

        private static HttpResponse<String> post(TestHttp http, String path, String json) {
            return http.send(http.request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
        }

        String anyUuid(Random random) {
            return switch (random.nextInt(6)) {
                case 0 -> this.dataset;
                case 1 -> this.model;
                case 2 -> this.ensemble;
                case 3 -> this.job;
                default -> SchemaValues.randomUuid(random);
            };
        }

        /**
         * Path values for {@code operation}: the real resource its path names most of the
         * time, else a random UUID. DELETE never gets the shared resources, so that every
         * operation keeps finding them.
         */
        Map<String, String> pathValues(RequestFuzzer.Operation operation, Random random) {
            String path = operation.path();
            boolean real = random.nextInt(4) > 0;
            boolean delete = operation.method().equals("DELETE");
            Map<String, String> values = new java.util.LinkedHashMap<>();
            if (path.contains("{id}")) {
                String id = SchemaValues.randomUuid(random);
                if (path.startsWith("/api/v1/keys/")) {
                    id = this.throwawayKeys.get(random.nextInt(this.throwawayKeys.size()));
                }
                else if (real && !delete) {
                    id = path.startsWith("/api/v1/datasets") ? this.dataset
                            : path.startsWith("/api/v1/jobs") ? this.job : path.startsWith("/api/v1/models")
                                    ? this.model : path.startsWith("/api/v1/ensembles") ? this.ensemble
                                            : path.startsWith("/api/v1/tenants") ? Tenants.DEFAULT_ID.toString() : id;
                }
                values.put("id", id);
            }
            if (path.contains("{name}")) {
                values.put("name", real ? this.registered : "fz-" + random.nextInt(1000));
            }
            if (path.contains("{alias}")) {
                values.put("alias", real ? "prod" : "fz" + random.nextInt(10));
            }
            if (path.contains("{version}")) {
                values.put("version", real ? "1" : String.valueOf(random.nextInt(5)));
            }
            return values;
        }

    }

}
