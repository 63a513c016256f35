package dev.trainyard.security.internal;

import static dev.trainyard.security.internal.EndpointMatrix.api;
import static dev.trainyard.security.internal.EndpointMatrix.open;
import static dev.trainyard.security.internal.EndpointMatrix.operatorOnly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.Multipart;
import dev.trainyard.TestHttp;
import dev.trainyard.model.ModelService;
import dev.trainyard.model.TestModels;
import dev.trainyard.prediction.EnsembleService;
import dev.trainyard.prediction.registry.CreateRegisteredModelRequest;
import dev.trainyard.prediction.registry.CreateVersionRequest;
import dev.trainyard.prediction.registry.RegisteredModelService;
import dev.trainyard.prediction.registry.SetAliasRequest;
import java.io.InputStream;
import dev.trainyard.security.Caller;
import dev.trainyard.security.Role;
import dev.trainyard.security.Tenants;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.trainyard.system.PostgresTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * Authentication, tenant isolation and key handling through the running server, on the
 * embedded H2 database and on PostgreSQL (each in the same context as the smoke tests of
 * its database).
 */
@ExtendWith(OutputCaptureExtension.class)
class SecurityTest {

    static final Caller OPERATOR = new Caller(UUID.randomUUID(), Tenants.DEFAULT_ID, Role.ADMIN);

    /** An Open Inference Protocol request for the 4-feature test models. */
    static final String INFER = "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 4], \"datatype\": \"FP32\", "
            + "\"data\": [1, 2, 3, 4]}]}";

    /**
     * {@code POST /api/v1/datasets} of a small CSV with two classes, as curl -F would
     * send it: {@code rows} examples of two float features and a label, 12 bytes each
     * once stored (two float32 features and one int32 label).
     */
    static HttpRequest.Builder parityUpload(HttpRequest.Builder request, int rows) {
        StringBuilder csv = new StringBuilder("a,b,label\n");
        for (int i = 0; i < rows; i++) {
            csv.append(i).append(',').append(-i).append(',').append(i % 2 == 0 ? "even" : "odd").append('\n');
        }
        return new Multipart().field("name", "parity")
            .file("file", "parity.csv", "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8))
            .post(request);
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class OnH2 extends Checks {

    }

    @Nested
    @PostgresTest
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class OnPostgres extends Checks {

    }

    abstract class Checks {

        @LocalServerPort
        int port;

        @Autowired
        ApplicationContext context;

        /** Two tenants with keys of every kind; tenant A owns what the requests name. */
        record World(UUID tenantA, UUID tenantB, KeyManagement.IssuedKey adminA, KeyManagement.IssuedKey userA,
                KeyManagement.IssuedKey adminB, KeyManagement.IssuedKey revokedA) {
        }

        World world() {
            KeyManagement management = management();
            UUID tenantA = management.createTenant(OPERATOR, unique("a"), null, null).id();
            UUID tenantB = management.createTenant(OPERATOR, unique("b"), null, null).id();
            KeyManagement.IssuedKey revokedA = management.issueKey(OPERATOR, tenantA, "revoked a", Role.ADMIN);
            management.revoke(OPERATOR, revokedA.stored().id());
            return new World(tenantA, tenantB, management.issueKey(OPERATOR, tenantA, "admin a", Role.ADMIN),
                    management.issueKey(OPERATOR, tenantA, "user a", Role.USER),
                    management.issueKey(OPERATOR, tenantB, "admin b", Role.ADMIN), revokedA);
        }

        KeyManagement management() {
            return context.getBean(KeyManagement.class);
        }

        BootstrapAdminKey bootstrap() {
            return context.getBean(BootstrapAdminKey.class);
        }

        JdbcTemplate jdbc() {
            return context.getBean(JdbcTemplate.class);
        }

        /**
         * Every endpoint of the application, and what each kind of caller gets from it.
         */
        EndpointMatrix matrix() {
            return new EndpointMatrix()
                .add("POST /api/v1/tenants", f -> json("/api/v1/tenants", "{\"name\": \"" + f.uniqueName() + "\"}"),
                        api(403, 403, 403, 201))
                .add("POST /api/v1/tenants/{id}/keys",
                        f -> json("/api/v1/tenants/" + f.tenantA() + "/keys", "{\"name\": \"k\", \"role\": \"user\"}"),
                        api(404, 201, 403, 201))
                .add("GET /api/v1/keys", f -> request("/api/v1/keys").GET(), api(200, 200, 403, 200))
                .add("DELETE /api/v1/keys/{id}", f -> request("/api/v1/keys/" + f.freshKeyOfTenantA()).DELETE(),
                        api(404, 204, 403, 204))
                .add("POST /api/v1/datasets", f -> parityUpload(request("/api/v1/datasets"), 4),
                        api(201, 201, 201, 201))
                .add("GET /api/v1/datasets", f -> request("/api/v1/datasets").GET(), api(200, 200, 200, 200))
                .add("GET /api/v1/datasets/{id}", f -> request("/api/v1/datasets/" + f.freshDatasetOfTenantA()).GET(),
                        api(404, 200, 200, 404))
                .add("GET /api/v1/datasets/{id}/examples",
                        f -> request("/api/v1/datasets/" + f.freshDatasetOfTenantA() + "/examples").GET(),
                        api(404, 200, 200, 404))
                .add("DELETE /api/v1/datasets/{id}",
                        f -> request("/api/v1/datasets/" + f.freshDatasetOfTenantA()).DELETE(), api(404, 204, 204, 404))
                .add("GET /api/v1/models", f -> request("/api/v1/models").GET(), api(200, 200, 200, 200))
                .add("GET /api/v1/models/{id}", f -> request("/api/v1/models/" + f.modelOfTenantA()).GET(),
                        api(404, 200, 200, 404))
                .add("DELETE /api/v1/models/{id}", f -> request("/api/v1/models/" + f.modelOfTenantA()).DELETE(),
                        api(404, 204, 204, 404))
                .add("GET /api/v1/models/{id}/export",
                        f -> request("/api/v1/models/" + f.modelOfTenantA() + "/export?format=onnx").GET(),
                        api(404, 200, 200, 404))
                .add("POST /api/v1/models/import", f -> goldenImport(), api(201, 201, 201, 201))
                .add("POST /api/v1/models/{id}/predictions",
                        f -> json("/api/v1/models/" + f.modelOfTenantA() + "/predictions",
                                "{\"instances\": [[1, 2, 3, 4]]}"),
                        api(404, 200, 200, 404))
                .add("POST /api/v1/models/{id}/batch-predictions",
                        f -> json("/api/v1/models/" + f.modelOfTenantA() + "/batch-predictions",
                                "{\"datasetId\": \"" + f.scoringDatasetOfTenantA() + "\"}"),
                        api(404, 202, 202, 404))
                .add("GET /api/v1/batch-predictions", f -> request("/api/v1/batch-predictions").GET(),
                        api(200, 200, 200, 200))
                .add("GET /api/v1/batch-predictions/{id}",
                        f -> request("/api/v1/batch-predictions/" + f.finishedBatchPredictionOfTenantA()).GET(),
                        api(404, 200, 200, 404))
                .add("POST /api/v1/batch-predictions/{id}/cancel",
                        f -> request("/api/v1/batch-predictions/" + f.finishedBatchPredictionOfTenantA() + "/cancel")
                            .POST(HttpRequest.BodyPublishers.noBody()),
                        api(404, 409, 409, 404))
                .add("GET /api/v1/batch-predictions/{id}/results",
                        f -> request("/api/v1/batch-predictions/" + f.finishedBatchPredictionOfTenantA() + "/results")
                            .GET(),
                        api(404, 200, 200, 404))
                .add("POST /api/v1/ensembles",
                        f -> json("/api/v1/ensembles",
                                "{\"name\": \"e\", \"modelIds\": [\"" + f.modelOfTenantA() + "\"]}"),
                        api(422, 201, 201, 422))
                .add("GET /api/v1/ensembles/{id}", f -> request("/api/v1/ensembles/" + f.ensembleOfTenantA()).GET(),
                        api(404, 200, 200, 404))
                .add("POST /api/v1/ensembles/{id}/predictions",
                        f -> json("/api/v1/ensembles/" + f.ensembleOfTenantA() + "/predictions",
                                "{\"instances\": [[1, 2, 3, 4]]}"),
                        api(404, 200, 200, 404))
                .add("POST /api/v1/registered-models",
                        f -> json("/api/v1/registered-models", "{\"name\": \"" + f.uniqueName() + "\"}"),
                        api(201, 201, 201, 201))
                .add("GET /api/v1/registered-models", f -> request("/api/v1/registered-models").GET(),
                        api(200, 200, 200, 200))
                .add("GET /api/v1/registered-models/{name}",
                        f -> request("/api/v1/registered-models/" + f.registeredModelOfTenantA()).GET(),
                        api(404, 200, 200, 404))
                .add("POST /api/v1/registered-models/{name}/versions",
                        f -> json("/api/v1/registered-models/" + f.registeredModelOfTenantA() + "/versions",
                                "{\"modelId\": \"" + f.modelOfTenantA() + "\"}"),
                        api(404, 201, 201, 404))
                .add("GET /api/v1/registered-models/{name}/versions/{version}",
                        f -> request("/api/v1/registered-models/" + f.registeredModelOfTenantA() + "/versions/1").GET(),
                        api(404, 200, 200, 404))
                .add("PUT /api/v1/registered-models/{name}/aliases/{alias}",
                        f -> request("/api/v1/registered-models/" + f.registeredModelOfTenantA() + "/aliases/staging")
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString("{\"version\": 1}")),
                        api(404, 200, 200, 404))
                .add("DELETE /api/v1/registered-models/{name}/aliases/{alias}",
                        f -> request("/api/v1/registered-models/" + f.registeredModelOfTenantA() + "/aliases/champion")
                            .DELETE(),
                        api(404, 204, 204, 404))
                .add("POST /api/v1/registered-models/{name}@{alias}/predictions",
                        f -> json("/api/v1/registered-models/" + f.registeredModelOfTenantA() + "@champion/predictions",
                                "{\"instances\": [[1, 2, 3, 4]]}"),
                        api(404, 200, 200, 404))
                .add("POST /api/v1/registered-models/{name}/versions/{version}/predictions",
                        f -> json(
                                "/api/v1/registered-models/" + f.registeredModelOfTenantA() + "/versions/1/predictions",
                                "{\"instances\": [[1, 2, 3, 4]]}"),
                        api(404, 200, 200, 404))
                .add("GET /v2/health/live", f -> request("/v2/health/live").GET(), open(200))
                .add("GET /v2/health/ready", f -> request("/v2/health/ready").GET(), open(200))
                .add("GET /v2", f -> request("/v2").GET(), api(200, 200, 200, 200))
                .add("GET /v2/models/{name}", f -> request("/v2/models/" + f.registeredModelOfTenantA()).GET(),
                        api(404, 200, 200, 404))
                .add("GET /v2/models/{name}/versions/{version}",
                        f -> request("/v2/models/" + f.registeredModelOfTenantA() + "/versions/1").GET(),
                        api(404, 200, 200, 404))
                .add("GET /v2/models/{name}/ready",
                        f -> request("/v2/models/" + f.registeredModelOfTenantA() + "/ready").GET(),
                        api(404, 200, 200, 404))
                .add("GET /v2/models/{name}/versions/{version}/ready",
                        f -> request("/v2/models/" + f.registeredModelOfTenantA() + "/versions/1/ready").GET(),
                        api(404, 200, 200, 404))
                .add("POST /v2/models/{name}/infer",
                        f -> json("/v2/models/" + f.registeredModelOfTenantA() + "/infer", INFER),
                        api(404, 200, 200, 404))
                .add("POST /v2/models/{name}/versions/{version}/infer",
                        f -> json("/v2/models/" + f.registeredModelOfTenantA() + "/versions/1/infer", INFER),
                        api(404, 200, 200, 404))
                .add("POST /api/v1/jobs", f -> json("/api/v1/jobs", jobSpec(f.freshDatasetOfTenantA())),
                        api(400, 202, 202, 400))
                .add("GET /api/v1/jobs", f -> request("/api/v1/jobs").GET(), api(200, 200, 200, 200))
                .add("GET /api/v1/jobs/{id}", f -> request("/api/v1/jobs/" + f.finishedJobOfTenantA()).GET(),
                        api(404, 200, 200, 404))
                .add("GET /api/v1/jobs/{id}/metrics",
                        f -> request("/api/v1/jobs/" + f.finishedJobOfTenantA() + "/metrics").GET(),
                        api(404, 200, 200, 404))
                .add("GET /api/v1/jobs/{id}/diagnostics",
                        f -> request("/api/v1/jobs/" + f.finishedJobOfTenantA() + "/diagnostics").GET(),
                        api(404, 200, 200, 404))
                .add("GET /api/v1/jobs/{id}/events",
                        f -> request("/api/v1/jobs/" + f.finishedJobOfTenantA() + "/events").GET(),
                        api(404, 200, 200, 404))
                .add("POST /api/v1/jobs/{id}/cancel",
                        f -> request("/api/v1/jobs/" + f.finishedJobOfTenantA() + "/cancel")
                            .POST(HttpRequest.BodyPublishers.noBody()),
                        api(404, 409, 409, 404))
                .add("POST /api/v1/experiments",
                        f -> json("/api/v1/experiments", experiment(f.freshDatasetOfTenantA())),
                        api(400, 202, 202, 400))
                .add("GET /api/v1/experiments", f -> request("/api/v1/experiments").GET(), api(200, 200, 200, 200))
                .add("GET /api/v1/experiments/presets",
                        f -> request("/api/v1/experiments/presets?datasetId=" + f.freshDatasetOfTenantA()).GET(),
                        api(404, 200, 200, 404))
                .add("GET /api/v1/experiments/{id}",
                        f -> request("/api/v1/experiments/" + f.finishedExperimentOfTenantA()).GET(),
                        api(404, 200, 200, 404))
                .add("GET /api/v1/experiments/{id}/results.csv",
                        f -> request("/api/v1/experiments/" + f.finishedExperimentOfTenantA() + "/results.csv").GET(),
                        api(404, 200, 200, 404))
                .add("GET /api/v1/experiments/{id}/events",
                        f -> request("/api/v1/experiments/" + f.finishedExperimentOfTenantA() + "/events").GET(),
                        api(404, 200, 200, 404))
                .add("POST /api/v1/experiments/{id}/cancel",
                        f -> request("/api/v1/experiments/" + f.finishedExperimentOfTenantA() + "/cancel")
                            .POST(HttpRequest.BodyPublishers.noBody()),
                        api(404, 409, 409, 404))
                .add("GET /v3/api-docs", f -> request("/v3/api-docs").GET(), open(200))
                .add("GET /v3/api-docs.yaml", f -> request("/v3/api-docs.yaml").GET(), open(200))
                .add("GET /v3/api-docs/swagger-config", f -> request("/v3/api-docs/swagger-config").GET(), open(200))
                .add("GET /swagger-ui.html", f -> request("/swagger-ui.html").GET(), open(200))
                .add("ANY /error", f -> request("/error").GET(), open(404))
                .add("GET /actuator/health", f -> request("/actuator/health").GET(), open(200))
                .add("GET /actuator/health/**", f -> request("/actuator/health/db").GET(), open(200))
                .add("GET /actuator", f -> request("/actuator").GET(), operatorOnly(200))
                .add("GET /actuator/info", f -> request("/actuator/info").GET(), operatorOnly(200))
                .add("GET /actuator/prometheus", f -> request("/actuator/prometheus").GET(), operatorOnly(200));
        }

        @Test
        void everyEndpointHasItsAccessRulesInTheMatrix() {
            Set<String> mapped = mappedEndpoints();

            assertThat(matrix().rows().keySet()).as("endpoints in the matrix; the application maps %s", mapped)
                .containsExactlyInAnyOrderElementsOf(mapped);
        }

        @Test
        void everyEndpointAnswersEveryCallerAsTheMatrixSays() {
            World w = world();
            EndpointMatrix.Fixture fixture = new EndpointMatrix.Fixture() {
                @Override
                public String tenantA() {
                    return w.tenantA().toString();
                }

                @Override
                public String freshKeyOfTenantA() {
                    return management().issueKey(OPERATOR, w.tenantA(), "target", Role.USER).stored().id().toString();
                }

                @Override
                public String freshDatasetOfTenantA() {
                    return uploadDataset(w.adminA().key());
                }

                private String finishedJob;

                @Override
                public String finishedJobOfTenantA() {
                    if (finishedJob == null) {
                        finishedJob = finishedJob(w.adminA().key());
                    }
                    return finishedJob;
                }

                private String finishedExperiment;

                @Override
                public String finishedExperimentOfTenantA() {
                    if (finishedExperiment == null) {
                        finishedExperiment = finishedExperiment(w.adminA().key());
                    }
                    return finishedExperiment;
                }

                @Override
                public String uniqueName() {
                    return unique("t");
                }

                @Override
                public String scoringDatasetOfTenantA() {
                    return uploadScoringDataset(w.adminA().key());
                }

                private String finishedBatch;

                @Override
                public String finishedBatchPredictionOfTenantA() {
                    if (finishedBatch == null) {
                        finishedBatch = finishedBatchPrediction(w.adminA().key(), newModel(w.tenantA()));
                    }
                    return finishedBatch;
                }

                @Override
                public String modelOfTenantA() {
                    return newModel(w.tenantA()).toString();
                }

                @Override
                public String registeredModelOfTenantA() {
                    RegisteredModelService registry = context.getBean(RegisteredModelService.class);
                    String name = unique("rm");
                    registry.create(w.tenantA(), new CreateRegisteredModelRequest(name, null));
                    registry.addVersion(w.tenantA(), name, new CreateVersionRequest(newModel(w.tenantA()), null));
                    registry.setAlias(w.tenantA(), name, "champion", new SetAliasRequest(1));
                    return name;
                }

                @Override
                public String ensembleOfTenantA() {
                    return context.getBean(EnsembleService.class)
                        .create(w.tenantA(), "e", List.of(newModel(w.tenantA())), null, (UUID) null)
                        .toString();
                }
            };
            List<String> mismatches = new ArrayList<>();
            int checked = 0;
            for (Map.Entry<String, EndpointMatrix.Row> row : matrix().rows().entrySet()) {
                for (Map.Entry<EndpointMatrix.Caller, Integer> expected : row.getValue().statuses().entrySet()) {
                    HttpRequest.Builder request = row.getValue().request().apply(fixture);
                    keyOf(w, expected.getKey()).ifPresent(key -> request.setHeader("X-API-Key", key));
                    HttpResponse<String> response = http().send(request.build());
                    checked++;
                    if (response.statusCode() != expected.getValue()) {
                        mismatches.add(row.getKey() + " as " + expected.getKey() + ": expected " + expected.getValue()
                                + ", got " + response.statusCode() + " " + response.body());
                    }
                    else if (response.statusCode() >= 400) {
                        // the Open Inference Protocol answers its own errors as {"error":
                        // ...};
                        // the security filters answer before it with problem details
                        boolean protocol = row.getKey().contains(" /v2/") && response.statusCode() != 401
                                && response.statusCode() != 403;
                        assertThat(TestHttp.contentType(response)).as(row.getKey() + " as " + expected.getKey())
                            .startsWith(protocol ? "application/json" : "application/problem+json");
                        if (protocol) {
                            assertThat(TestHttp.json(response).path("error").isString()).isTrue();
                        }
                    }
                    if (response.statusCode() == 401) {
                        assertThat(response.headers().firstValue("WWW-Authenticate"))
                            .hasValue("ApiKey realm=\"trainyard\", header=\"X-API-Key\"");
                    }
                }
            }
            assertThat(mismatches).as("%d requests checked", checked).isEmpty();
            assertThat(checked).isEqualTo(matrix().rows().size() * EndpointMatrix.Caller.values().length);
        }

        @Test
        void aRequestWithoutKeyIsAProblemWithAChallenge() {
            HttpResponse<String> response = http().withoutKey().get("/api/v1/keys");

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(TestHttp.contentType(response)).startsWith("application/problem+json");
            assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValue("ApiKey realm=\"trainyard\", header=\"X-API-Key\"");
            JsonNode problem = TestHttp.json(response);
            assertThat(problem.path("title").asString()).isEqualTo("Unauthorized");
            assertThat(problem.path("detail").asString()).contains("X-API-Key");
            assertThat(problem.path("instance").asString()).isEqualTo("/api/v1/keys");
        }

        @Test
        void unknownApiPathIs401WithoutKeyAnd404WithOne() {
            World w = world();
            assertThat(http().withoutKey().get("/api/v1/nothing-here").statusCode()).isEqualTo(401);

            HttpResponse<String> response = http().withKey(w.userA().key()).get("/api/v1/nothing-here");

            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(TestHttp.contentType(response)).startsWith("application/problem+json");
        }

        @Test
        void issuedKeyIsShownOnceAndWorksWithItsRole() {
            World w = world();
            HttpResponse<String> created = send(w.adminA().key(),
                    json("/api/v1/tenants/" + w.tenantA() + "/keys", "{\"name\": \"ci\", \"role\": \"user\"}"));

            assertThat(created.statusCode()).isEqualTo(201);
            JsonNode issued = TestHttp.json(created);
            String key = issued.path("key").asString();
            assertThat(key).matches("ty_[0-9a-f]{16}_[A-Za-z0-9_-]{43}");
            assertThat(issued.path("prefix").asString()).isEqualTo(key.substring(0, 19));
            assertThat(issued.path("role").asString()).isEqualTo("user");
            assertThat(issued.path("tenantId").asString()).isEqualTo(w.tenantA().toString());
            assertThat(created.headers().firstValue("Location"))
                .hasValue("/api/v1/keys/" + issued.path("id").asString());
            // a user key reaches the API but cannot manage keys
            assertThat(http().withKey(key).get("/api/v1/nothing-here").statusCode()).isEqualTo(404);
            assertThat(http().withKey(key).get("/api/v1/keys").statusCode()).isEqualTo(403);
            // the list shows the key's prefix, never the key
            HttpResponse<String> list = http().withKey(w.adminA().key()).get("/api/v1/keys");
            assertThat(list.body()).contains(issued.path("prefix").asString()).doesNotContain(key);
        }

        @Test
        void adminsSeeTheirTenantsKeysAndOperatorsSeeAll() {
            World w = world();
            Set<String> seenByA = keyIds(http().withKey(w.adminA().key()).get("/api/v1/keys"));
            Set<String> seenByB = keyIds(http().withKey(w.adminB().key()).get("/api/v1/keys"));
            Set<String> seenByOperator = keyIds(http().get("/api/v1/keys"));

            Set<String> ofA = Set.of(w.adminA().stored().id().toString(), w.userA().stored().id().toString(),
                    w.revokedA().stored().id().toString());
            assertThat(seenByA).containsExactlyInAnyOrderElementsOf(ofA);
            assertThat(seenByB).containsExactly(w.adminB().stored().id().toString());
            assertThat(seenByOperator).containsAll(ofA).contains(w.adminB().stored().id().toString());
        }

        @Test
        void anotherTenantsKeyAndTenantAnswer404() {
            World w = world();
            HttpResponse<String> revoke = send(w.adminB().key(),
                    request("/api/v1/keys/" + w.userA().stored().id()).DELETE());
            HttpResponse<String> issue = send(w.adminB().key(),
                    json("/api/v1/tenants/" + w.tenantA() + "/keys", "{\"name\": \"x\", \"role\": \"admin\"}"));

            assertThat(revoke.statusCode()).isEqualTo(404);
            assertThat(issue.statusCode()).isEqualTo(404);
            assertThat(TestHttp.json(revoke).path("detail").asString())
                .isEqualTo("No key " + w.userA().stored().id() + ".");
            // and nothing changed: A's user key still works
            assertThat(http().withKey(w.userA().key()).get("/api/v1/nothing-here").statusCode()).isEqualTo(404);
        }

        @Test
        void invalidRequestsAre400ProblemDetails() {
            World w = world();
            HttpResponse<String> blank = send(TestHttp.ADMIN_KEY, json("/api/v1/tenants", "{\"name\": \" \"}"));
            HttpResponse<String> role = send(TestHttp.ADMIN_KEY,
                    json("/api/v1/tenants/" + w.tenantA() + "/keys", "{\"name\": \"k\", \"role\": \"root\"}"));
            HttpResponse<String> duplicate = send(TestHttp.ADMIN_KEY,
                    json("/api/v1/tenants", "{\"name\": \"default\"}"));

            assertThat(blank.statusCode()).isEqualTo(400);
            assertThat(TestHttp.json(blank).path("errors").path(0).path("pointer").asString()).isEqualTo("#/name");
            assertThat(role.statusCode()).isEqualTo(400);
            assertThat(TestHttp.json(role).path("pointer").asString()).isEqualTo("#/role");
            assertThat(duplicate.statusCode()).isEqualTo(409);
        }

        @Test
        void revokedKeyStopsWorkingAtOnceOnThisInstance() {
            World w = world();
            KeyManagement.IssuedKey key = management().issueKey(OPERATOR, w.tenantA(), "short-lived", Role.ADMIN);
            assertThat(http().withKey(key.key()).get("/api/v1/keys").statusCode()).isEqualTo(200);

            HttpResponse<String> revoked = send(TestHttp.ADMIN_KEY,
                    request("/api/v1/keys/" + key.stored().id()).DELETE());

            assertThat(revoked.statusCode()).isEqualTo(204);
            HttpResponse<String> after = http().withKey(key.key()).get("/api/v1/keys");
            assertThat(after.statusCode()).isEqualTo(401);
            assertThat(TestHttp.json(after).path("detail").asString()).isEqualTo("The API key is unknown or revoked.");
            assertThat(send(TestHttp.ADMIN_KEY, request("/api/v1/keys/" + key.stored().id()).DELETE()).statusCode())
                .as("revoking again changes nothing")
                .isEqualTo(204);
        }

        @Test
        void keyRevokedByAnotherInstanceStopsWorkingHereWithinTheKeyCacheTtl() throws InterruptedException {
            Duration ttl = context.getBean(SecurityProperties.class).keyCacheTtl();
            World w = world();
            KeyManagement.IssuedKey key = management().issueKey(OPERATOR, w.tenantA(), "elsewhere", Role.USER);
            assertThat(http().withKey(key.key()).get("/api/v1/nothing-here").statusCode())
                .as("works, and is now in this instance's cache")
                .isEqualTo(404);
            long cachedBy = System.nanoTime();

            // what another instance sharing the database does when it revokes the key
            jdbc().update("update api_keys set revoked_at = current_timestamp where id = ?", key.stored().id());
            // the cache entry was written before cachedBy, so it has expired by then +
            // TTL
            sleepUntil(cachedBy + ttl.toNanos());
            HttpResponse<String> refused = http().withKey(key.key()).get("/api/v1/nothing-here");

            assertThat(refused.statusCode()).as("%s after the key was cached", ttl).isEqualTo(401);
            assertThat(TestHttp.json(refused).path("detail").asString())
                .isEqualTo("The API key is unknown or revoked.");
        }

        @Test
        void anotherInstancesCacheLetsGoOfARevokedKeyWithinTheKeyCacheTtl() throws InterruptedException {
            SecurityProperties properties = context.getBean(SecurityProperties.class);
            World w = world();
            // a second authenticator over the same database: what another
            // instance holds in memory
            ApiKeyAuthenticator otherInstance = new ApiKeyAuthenticator(context.getBean(ApiKeyRepository.class),
                    context.getBean(ApiKeyHasher.class), properties);
            KeyManagement.IssuedKey key = management().issueKey(OPERATOR, w.tenantA(), "two instances", Role.USER);
            ApiKeyFormat.ParsedKey parsed = ApiKeyFormat.parse(key.key()).orElseThrow();
            assertThat(otherInstance.authenticate(parsed)).as("known, and now cached there").isPresent();
            long cachedBy = System.nanoTime();

            management().revoke(OPERATOR, key.stored().id());

            assertThat(http().withKey(key.key()).get("/api/v1/datasets").statusCode()).as("this instance, at once")
                .isEqualTo(401);
            sleepUntil(cachedBy + properties.keyCacheTtl().toNanos());
            assertThat(otherInstance.authenticate(parsed))
                .as("the other instance, %s after it cached the key", properties.keyCacheTtl())
                .isEmpty();
        }

        @Test
        void theLastOperatorKeyCannotBeRevoked() {
            List<UUID> others = jdbc().queryForList(
                    "select id from api_keys where tenant_id = ? and role = 'ADMIN' and revoked_at is null and public_id <> ?",
                    UUID.class, Tenants.DEFAULT_ID, TestHttp.ADMIN_KEY.substring(3, 19));
            others.forEach(id -> management().revoke(OPERATOR, id));
            UUID testKey = jdbc().queryForObject("select id from api_keys where public_id = ?", UUID.class,
                    TestHttp.ADMIN_KEY.substring(3, 19));

            HttpResponse<String> response = send(TestHttp.ADMIN_KEY, request("/api/v1/keys/" + testKey).DELETE());

            assertThat(response.statusCode()).isEqualTo(409);
            assertThat(http().get("/api/v1/keys").statusCode()).isEqualTo(200);
        }

        @Test
        void theDatabaseHoldsNoKeyInPlainText() {
            World w = world();
            List<String> secrets = List.of(w.adminA().key(), w.userA().key(), w.adminB().key(), w.revokedA().key(),
                    TestHttp.ADMIN_KEY);

            List<Map<String, Object>> rows = jdbc().queryForList("select * from api_keys");

            assertThat(rows).hasSizeGreaterThanOrEqualTo(secrets.size());
            for (Map<String, Object> row : rows) {
                for (Object value : row.values()) {
                    String text = String.valueOf(value);
                    for (String key : secrets) {
                        // neither the key nor its secret part, which is all
                        // after the public id
                        assertThat(text).doesNotContain(key.substring(20)).doesNotContain(key);
                    }
                }
            }
            Map<String, Object> row = jdbc().queryForMap(
                    "select public_id, salt, secret_hash from api_keys where id = ?", w.adminA().stored().id());
            assertThat(row.get("public_id")).isEqualTo(w.adminA().key().substring(3, 19));
            assertThat((String) row.get("secret_hash")).matches("[0-9a-f]{64}");
            assertThat((String) row.get("salt")).matches("[0-9a-f]{32}");
        }

        @Test
        void keysNeverReachTheLog(CapturedOutput log) {
            World w = world();
            http().withKey(w.adminA().key()).get("/api/v1/keys");
            http().withKey(w.revokedA().key()).get("/api/v1/keys");
            http().withKey(w.adminA().key() + "x").get("/api/v1/keys");
            send(w.adminA().key(),
                    json("/api/v1/tenants/" + w.tenantA() + "/keys", "{\"name\": \"logged?\", \"role\": \"user\"}"));

            for (String key : List.of(w.adminA().key(), w.revokedA().key(), TestHttp.ADMIN_KEY)) {
                assertThat(log.getAll()).doesNotContain(key.substring(20));
            }
            assertThat(log.getAll()).contains("GET /api/v1/keys 200", "GET /api/v1/keys 401");
        }

        @Test
        void configuredBootstrapKeyIsAnOperatorKeyOfTheDefaultTenant() {
            World w = world();
            Map<String, Object> row = jdbc().queryForMap(
                    "select tenant_id, role, name from api_keys where public_id = ?",
                    TestHttp.ADMIN_KEY.substring(3, 19));

            assertThat(row.get("tenant_id")).isEqualTo(Tenants.DEFAULT_ID);
            assertThat(row.get("role")).isEqualTo("ADMIN");
            assertThat(http().get("/actuator/prometheus").statusCode()).isEqualTo(200);
            assertThat(jdbc().queryForObject("select name from tenants where id = ?", String.class, Tenants.DEFAULT_ID))
                .isEqualTo("default");
        }

        @Test
        void requestsAreTimedWithoutObservingSpringSecurityItself() {
            assertThat(http().get("/api/v1/keys").statusCode()).isEqualTo(200);
            assertThat(http().withoutKey().get("/api/v1/keys").statusCode()).isEqualTo(401);

            String metrics = http().get("/actuator/prometheus").body();
            assertThat(metrics).contains("http_server_requests_seconds_count{", "uri=\"/api/v1/keys\"")
                .doesNotContain("spring_security");
            assertThat(context.getBean(SecurityObservationSettings.class).shouldObserveRequests()).isFalse();
        }

        @Test
        void bootstrapKeyIsCreatedOnceAndNotAgain() {
            assertThat(jdbc().queryForObject("select count(*) from api_keys where bootstrap", Integer.class))
                .isEqualTo(1);

            assertThat(bootstrap().createIfAbsent("")).isEmpty();
            assertThat(bootstrap().createIfAbsent(ApiKeyFormat.generate().text())).isEmpty();
            assertThat(jdbc().queryForObject("select count(*) from api_keys where bootstrap", Integer.class))
                .isEqualTo(1);
        }

        @Test
        void generatedBootstrapKeyIsPrintedOnceWithHowToUseIt(CapturedOutput log) {
            forgetBootstrap();

            String key = bootstrap().createIfAbsent("").orElseThrow().key();
            bootstrap().createIfAbsent("");

            assertThat(key).matches("ty_[0-9a-f]{16}_[A-Za-z0-9_-]{43}");
            Matcher usage = Pattern.compile("curl -H 'X-API-Key: (ty_\\S+)' http://localhost:\\d+/api/v1/keys")
                .matcher(log.getAll());
            assertThat(usage.find()).isTrue();
            assertThat(usage.group(1)).isEqualTo(key);
            // printed on its own line and in the usage line, by the first call only
            assertThat(log.getAll().split(Pattern.quote(key), -1)).hasSize(3);
            assertThat(http().withKey(key).get("/actuator/prometheus").statusCode()).isEqualTo(200);
        }

        @Test
        void instancesStartingTogetherCreateOneBootstrapKey() throws Exception {
            forgetBootstrap();
            CountDownLatch start = new CountDownLatch(1);
            Callable<Optional<KeyManagement.IssuedKey>> instance = () -> {
                start.await();
                return bootstrap().createIfAbsent("");
            };
            List<Optional<KeyManagement.IssuedKey>> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
                List<Future<Optional<KeyManagement.IssuedKey>>> futures = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    futures.add(pool.submit(instance));
                }
                start.countDown();
                for (Future<Optional<KeyManagement.IssuedKey>> future : futures) {
                    results.add(future.get());
                }
            }

            assertThat(results.stream().filter(Optional::isPresent)).hasSize(1);
            assertThat(jdbc().queryForObject("select count(*) from api_keys where bootstrap", Integer.class))
                .isEqualTo(1);
        }

        @Test
        void malformedBootstrapKeyStopsTheStartWithARecipe() {
            forgetBootstrap();

            assertThatThrownBy(() -> bootstrap().createIfAbsent("my-secret-admin-password"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TRAINYARD_BOOTSTRAP_API_KEY is not a Trainyard API key")
                .hasMessageContaining("openssl rand");
            assertThat(jdbc().queryForObject("select count(*) from api_keys where bootstrap", Integer.class)).isZero();
            bootstrap().createIfAbsent("");
        }

        @Test
        void anotherTenantsDatasetIsInvisibleAndStaysIntact() {
            World w = world();
            String dataset = uploadDataset(w.userA().key());

            HttpResponse<String> listedForB = http().withKey(w.adminB().key()).get("/api/v1/datasets");
            HttpResponse<String> listedForA = http().withKey(w.adminA().key()).get("/api/v1/datasets");
            HttpResponse<String> deletedByB = send(w.adminB().key(), request("/api/v1/datasets/" + dataset).DELETE());

            assertThat(listedForB.body()).doesNotContain(dataset);
            assertThat(TestHttp.json(listedForA).toString()).contains(dataset);
            assertThat(deletedByB.statusCode()).isEqualTo(404);
            assertThat(TestHttp.json(deletedByB).path("detail").asString())
                .isEqualTo("There is no dataset " + dataset + ".");
            assertThat(http().withKey(w.userA().key()).get("/api/v1/datasets/" + dataset).statusCode()).isEqualTo(200);
            assertThat(jdbc().queryForObject("select tenant_id from datasets where id = ?", UUID.class,
                    UUID.fromString(dataset)))
                .isEqualTo(w.tenantA());
        }

        /**
         * A one-epoch job on {@code datasetId} (the small CSV of {@link #parityUpload}).
         */
        static String jobSpec(String datasetId) {
            return "{\"datasetId\": \"" + datasetId + "\", \"validationFraction\": 0, "
                    + "\"model\": {\"layers\": [{\"type\": \"dense\", \"units\": 2}]}, \"training\": {\"epochs\": 1}}";
        }

        /**
         * An experiment of one trial: {@link #jobSpec} with half the examples held out
         * for validation.
         */
        static String experiment(String datasetId) {
            return "{\"baseSpec\": "
                    + jobSpec(datasetId).replace("\"validationFraction\": 0", "\"validationFraction\": 0.5") + "}";
        }

        /** Starts an experiment with {@code key} and waits until it has finished. */
        String finishedExperiment(String key) {
            HttpResponse<String> started = send(key, json("/api/v1/experiments", experiment(uploadDataset(key))));
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            String id = TestHttp.json(started).path("id").asString();
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
            while (!TestHttp.json(send(key, request("/api/v1/experiments/" + id).GET()))
                .path("finishedAt")
                .isString()) {
                assertThat(System.nanoTime()).as("experiment %s finishes", id).isLessThan(deadline);
                try {
                    Thread.sleep(50);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return id;
        }

        /** Submits a job with {@code key} and waits until it has finished. */
        String finishedJob(String key) {
            HttpResponse<String> submitted = send(key, json("/api/v1/jobs", jobSpec(uploadDataset(key))));
            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
            String id = TestHttp.json(submitted).path("id").asString();
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
            while (!TestHttp.json(send(key, request("/api/v1/jobs/" + id).GET())).path("finishedAt").isString()) {
                assertThat(System.nanoTime()).as("job %s finishes", id).isLessThan(deadline);
                try {
                    Thread.sleep(50);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return id;
        }

        /**
         * Scores a fresh dataset of the key's tenant with {@code model} and waits until
         * the batch has finished.
         */
        String finishedBatchPrediction(String key, UUID model) {
            HttpResponse<String> submitted = send(key, json("/api/v1/models/" + model + "/batch-predictions",
                    "{\"datasetId\": \"" + uploadScoringDataset(key) + "\"}"));
            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
            String id = TestHttp.json(submitted).path("id").asString();
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
            while (!TestHttp.json(send(key, request("/api/v1/batch-predictions/" + id).GET()))
                .path("finishedAt")
                .isString()) {
                assertThat(System.nanoTime()).as("batch prediction %s finishes", id).isLessThan(deadline);
                try {
                    Thread.sleep(50);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return id;
        }

        /** Uploads a small dataset that fits {@link #newModel}: 4 features. */
        String uploadScoringDataset(String key) {
            StringBuilder csv = new StringBuilder("a,b,c,d,label\n");
            for (int i = 0; i < 6; i++) {
                csv.append(i).append(",1,2,").append(-i).append(',').append(i % 2 == 0 ? "cat" : "dog").append('\n');
            }
            HttpResponse<String> response = send(key,
                    new Multipart().field("name", "scoring")
                        .file("file", "scoring.csv", "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8))
                        .post(request("/api/v1/datasets")));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            return TestHttp.json(response).path("id").asString();
        }

        /** Uploads a small dataset with the key and returns its id. */
        String uploadDataset(String key) {
            HttpResponse<String> response = send(key, parityUpload(request("/api/v1/datasets"), 4));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            return TestHttp.json(response).path("id").asString();
        }

        /**
         * As if the database had never made a bootstrap key; the keys themselves stay
         * valid.
         */
        private void forgetBootstrap() {
            jdbc().update("update api_keys set bootstrap = null where bootstrap");
        }

        private Set<String> mappedEndpoints() {
            Set<String> endpoints = new TreeSet<>();
            context.getBeansOfType(RequestMappingInfoHandlerMapping.class)
                .values()
                .forEach(
                        mapping -> mapping.getHandlerMethods().keySet().forEach(info -> endpoints.addAll(names(info))));
            return endpoints;
        }

        private static List<String> names(RequestMappingInfo info) {
            Set<String> methods = new TreeSet<>();
            info.getMethodsCondition().getMethods().forEach(method -> methods.add(method.name()));
            if (methods.isEmpty()) {
                methods.add("ANY");
            }
            List<String> names = new ArrayList<>();
            for (String method : methods) {
                for (String pattern : info.getPatternValues()) {
                    names.add(method + " " + pattern);
                }
            }
            return names;
        }

        private Set<String> keyIds(HttpResponse<String> response) {
            assertThat(response.statusCode()).isEqualTo(200);
            Set<String> ids = new TreeSet<>();
            TestHttp.json(response).valueStream().forEach(key -> ids.add(key.path("id").asString()));
            return ids;
        }

        private Optional<String> keyOf(World w, EndpointMatrix.Caller caller) {
            return switch (caller) {
                case NO_KEY -> Optional.empty();
                case MALFORMED_KEY -> Optional.of("ty_not-a-key");
                case REVOKED_KEY -> Optional.of(w.revokedA().key());
                case OTHER_TENANT -> Optional.of(w.adminB().key());
                case OWN -> Optional.of(w.adminA().key());
                case OWN_USER -> Optional.of(w.userA().key());
                case OPERATOR -> Optional.of(TestHttp.ADMIN_KEY);
            };
        }

        HttpResponse<String> send(String key, HttpRequest.Builder request) {
            return http().send(request.setHeader("X-API-Key", key).build());
        }

        /**
         * A client that sends the operator key in its own requests
         * ({@link TestHttp#get}).
         */
        TestHttp http() {
            return new TestHttp(port);
        }

        /** A model of the tenant, registered directly. */
        UUID newModel(UUID tenant) {
            return context.getBean(ModelService.class)
                .register(TestModels.newModel(tenant, null, 0, TestModels.mlp(4, 1), TestModels.standardize(4),
                        TestModels.CLASSES));
        }

        /** An import of the PyTorch-written golden MLP. */
        HttpRequest.Builder goldenImport() {
            try (InputStream weights = getClass().getResourceAsStream("/golden/import/mlp.safetensors");
                    InputStream golden = getClass().getResourceAsStream("/golden/import/mlp.json")) {
                String spec = tools.jackson.databind.json.JsonMapper.builder()
                    .build()
                    .readTree(golden.readAllBytes())
                    .path("spec")
                    .toString();
                return new Multipart().file("weights", "mlp.safetensors", weights.readAllBytes())
                    .json("spec", spec)
                    .post(request("/api/v1/models/import"));
            }
            catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** A request without key. */
        HttpRequest.Builder request(String path) {
            return new TestHttp(port, null).request(path);
        }

        HttpRequest.Builder json(String path, String body) {
            return request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        }

        private static String unique(String prefix) {
            return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        }

    }

    /** Sleeps until {@link System#nanoTime()} has reached {@code deadline}. */
    static void sleepUntil(long deadline) throws InterruptedException {
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            Thread.sleep(Duration.ofNanos(left).plusMillis(1));
        }
    }

}
