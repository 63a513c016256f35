package dev.trainyard.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.TestHttp;
import dev.trainyard.model.ModelService;
import dev.trainyard.model.TestModels;
import dev.trainyard.prediction.internal.ModelCache;
import dev.trainyard.security.Tenants;
import dev.trainyard.system.PostgresTest;
import dev.trainyard.system.SqlPauseChecks;
import dev.trainyard.system.SqlPauses;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/**
 * A model deleted while it serves predictions, and while an ensemble or a registered
 * version that would use it is being created, on H2 and PostgreSQL. Predictions answer
 * 200 or a 404 problem, never 500, and once the deletion has answered no prediction is
 * served from a cache; a model that an ensemble or a version uses answers 409 and keeps
 * serving. The interleavings that matter are forced with {@link SqlPauses}.
 */
class ModelDeletionVersusPredictionTest {

    static final String INSTANCES = "{\"instances\": [[0.5, 1.0, 1.5, 2.0], [1, 2, 3, 4]]}";

    @Nested
    @Import(SqlPauses.class)
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class OnH2 extends Checks {

    }

    @Nested
    @PostgresTest
    @Import(SqlPauses.class)
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class OnPostgres extends Checks {

    }

    /** One answer to a client that predicts in a loop: when it was sent, its status. */
    record Answer(long sentNanos, int status, String contentType) {
    }

    abstract static class Checks extends SqlPauseChecks {

        @Autowired
        ModelService registry;

        @Autowired
        ModelCache cache;

        TestHttp http() {
            return new TestHttp(port);
        }

        UUID model(long seed) {
            return registry.register(TestModels.newModel(Tenants.DEFAULT_ID, null, 0, TestModels.mlp(4, seed),
                    TestModels.standardize(4), TestModels.CLASSES));
        }

        HttpResponse<String> post(String path, String json) {
            return http().send(http().request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
        }

        HttpResponse<String> predict(UUID model) {
            return post("/api/v1/models/" + model + "/predictions", INSTANCES);
        }

        HttpResponse<String> delete(UUID model) {
            return http().send(http().request("/api/v1/models/" + model).DELETE().build());
        }

        boolean stored(UUID model) {
            return jdbc.sql("SELECT COUNT(*) FROM models WHERE id = ?").param(model).query(Long.class).single() > 0;
        }

        @Test
        void aPredictionThatLoadsTheModelAsItIsDeletedAnswers404AndNothingKeepsIt() throws Exception {
            UUID id = model(1);
            // the prediction has read the model's description and is about to read its
            // file
            SqlPauses.Pause loading = pauses.before("from model_chunks", "ModelCache.load", 0);
            CompletableFuture<HttpResponse<String>> prediction = CompletableFuture.supplyAsync(() -> predict(id));
            loading.awaitReached(Duration.ofSeconds(30));

            CompletableFuture<HttpResponse<String>> deletion = CompletableFuture.supplyAsync(() -> delete(id));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (stored(id)) {
                assertThat(System.nanoTime()).as("the deletion commits").isLessThan(deadline);
                Thread.sleep(20);
            }
            loading.release();

            HttpResponse<String> predicted = prediction.get(30, TimeUnit.SECONDS);
            assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(404);
            assertThat(TestHttp.contentType(predicted)).startsWith("application/problem+json");
            assertThat(TestHttp.json(predicted).path("title").asString()).isEqualTo("Model not found");
            assertThat(deletion.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
            assertThat(cache.contains(Tenants.DEFAULT_ID, id)).isFalse();
            assertThat(predict(id).statusCode()).isEqualTo(404);
        }

        @Test
        void predictionsRacingADeletionAnswer200Then404AndNoneIsServedAfterIt() throws Exception {
            ExecutorService clients = Executors.newFixedThreadPool(3);
            try {
                for (int round = 0; round < 12; round++) {
                    UUID id = model(100 + round);
                    if (round % 2 == 0) {
                        // half the rounds with the model loaded, half loading it in the
                        // race
                        assertThat(predict(id).statusCode()).isEqualTo(200);
                    }
                    AtomicBoolean going = new AtomicBoolean(true);
                    List<Future<List<Answer>>> answers = new ArrayList<>();
                    for (int client = 0; client < 3; client++) {
                        answers.add(clients.submit(() -> predictUntilStopped(id, going)));
                    }
                    Thread.sleep(30 + 7 * round);
                    HttpResponse<String> deleted = delete(id);
                    long deletedAt = System.nanoTime();
                    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
                    Thread.sleep(100);
                    going.set(false);
                    for (Future<List<Answer>> client : answers) {
                        List<Answer> seen = client.get(30, TimeUnit.SECONDS);
                        boolean gone = false;
                        for (Answer a : seen) {
                            assertThat(a.status()).as("round %d: %s", round, seen).isIn(200, 404);
                            if (a.status() == 404) {
                                assertThat(a.contentType()).startsWith("application/problem+json");
                                gone = true;
                            }
                            else {
                                assertThat(gone).as("round %d: 200 after a 404: %s", round, seen).isFalse();
                            }
                            if (a.sentNanos() > deletedAt) {
                                assertThat(a.status()).as("round %d: sent after the deletion answered", round)
                                    .isEqualTo(404);
                            }
                        }
                        assertThat(gone).as("round %d: the client saw the deletion", round).isTrue();
                    }
                    assertThat(cache.contains(Tenants.DEFAULT_ID, id)).isFalse();
                }
            }
            finally {
                clients.shutdownNow();
            }
        }

        private List<Answer> predictUntilStopped(UUID id, AtomicBoolean going) {
            List<Answer> seen = new ArrayList<>();
            while (going.get()) {
                long sent = System.nanoTime();
                HttpResponse<String> response = predict(id);
                seen.add(new Answer(sent, response.statusCode(), TestHttp.contentType(response)));
            }
            return seen;
        }

        @Test
        void aModelThatAnEnsembleOrARegisteredVersionUsesIsNotDeletedAndKeepsServing() throws Exception {
            UUID inEnsemble = model(201);
            UUID other = model(202);
            UUID versioned = model(203);
            HttpResponse<String> ensemble = post("/api/v1/ensembles",
                    "{\"name\": \"pair\", \"modelIds\": [\"" + inEnsemble + "\", \"" + other + "\"]}");
            assertThat(ensemble.statusCode()).as(ensemble.body()).isEqualTo(201);
            String ensembleId = TestHttp.json(ensemble).path("id").asString();
            String name = "served-" + UUID.randomUUID().toString().substring(0, 8);
            assertThat(post("/api/v1/registered-models", "{\"name\": \"" + name + "\"}").statusCode()).isEqualTo(201);
            assertThat(post("/api/v1/registered-models/" + name + "/versions", "{\"modelId\": \"" + versioned + "\"}")
                .statusCode()).isEqualTo(201);

            AtomicBoolean going = new AtomicBoolean(true);
            List<String> paths = List.of("/api/v1/models/" + inEnsemble + "/predictions",
                    "/api/v1/ensembles/" + ensembleId + "/predictions",
                    "/api/v1/registered-models/" + name + "@latest/predictions");
            ExecutorService clients = Executors.newFixedThreadPool(paths.size());
            try {
                List<Future<List<Integer>>> statuses = new ArrayList<>();
                for (String path : paths) {
                    statuses.add(clients.submit(() -> {
                        List<Integer> seen = new ArrayList<>();
                        while (going.get()) {
                            seen.add(post(path, INSTANCES).statusCode());
                        }
                        return seen;
                    }));
                }
                Thread.sleep(100);
                HttpResponse<String> refusedEnsembleMember = delete(inEnsemble);
                HttpResponse<String> refusedVersion = delete(versioned);
                Thread.sleep(100);
                going.set(false);
                assertThat(refusedEnsembleMember.statusCode()).as(refusedEnsembleMember.body()).isEqualTo(409);
                assertThat(TestHttp.json(refusedEnsembleMember).path("title").asString()).isEqualTo("Model in use");
                assertThat(refusedVersion.statusCode()).as(refusedVersion.body()).isEqualTo(409);
                for (int i = 0; i < paths.size(); i++) {
                    assertThat(statuses.get(i).get(30, TimeUnit.SECONDS)).as(paths.get(i))
                        .isNotEmpty()
                        .containsOnly(200);
                }
            }
            finally {
                clients.shutdownNow();
            }
        }

        @Test
        void anEnsembleBeingCreatedMakesTheDeletionOfItsModelWaitAndAnswer409() throws Exception {
            UUID a = model(301);
            UUID b = model(302);
            SqlPauses.Pause creating = pauses.before("insert into ensembles", "EnsembleService.createView", 0);
            CompletableFuture<HttpResponse<String>> creation = CompletableFuture
                .supplyAsync(() -> post("/api/v1/ensembles",
                        "{\"name\": \"racing\", \"modelIds\": [\"" + a + "\", \"" + b + "\"]}"));
            creating.awaitReached(Duration.ofSeconds(30));

            CompletableFuture<HttpResponse<String>> deletion = CompletableFuture.supplyAsync(() -> delete(a));
            Thread.sleep(HOLD_MILLIS);
            assertThat(deletion).as("the deletion waits for the model's lock").isNotDone();
            creating.release();

            HttpResponse<String> created = creation.get(30, TimeUnit.SECONDS);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            HttpResponse<String> deleted = deletion.get(30, TimeUnit.SECONDS);
            assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(409);
            assertThat(TestHttp.contentType(deleted)).startsWith("application/problem+json");
            String ensemble = TestHttp.json(created).path("id").asString();
            assertThat(post("/api/v1/ensembles/" + ensemble + "/predictions", INSTANCES).statusCode()).isEqualTo(200);
        }

        @Test
        void anEnsembleCreatedWhileItsModelIsDeletedWaitsAndIsRefused() throws Exception {
            UUID a = model(401);
            UUID b = model(402);
            // the deletion has locked the model, found no use and removed its file
            SqlPauses.Pause deleting = pauses.before("delete from models", "ModelService.delete", 0);
            CompletableFuture<HttpResponse<String>> deletion = CompletableFuture.supplyAsync(() -> delete(a));
            deleting.awaitReached(Duration.ofSeconds(30));

            CompletableFuture<HttpResponse<String>> creation = CompletableFuture
                .supplyAsync(() -> post("/api/v1/ensembles",
                        "{\"name\": \"racing\", \"modelIds\": [\"" + a + "\", \"" + b + "\"]}"));
            Thread.sleep(HOLD_MILLIS);
            assertThat(creation).as("the creation waits for the model's lock").isNotDone();
            deleting.release();

            assertThat(deletion.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
            HttpResponse<String> created = creation.get(30, TimeUnit.SECONDS);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(422);
            assertThat(TestHttp.contentType(created)).startsWith("application/problem+json");
            assertThat(TestHttp.json(created).path("pointer").asString()).isEqualTo("/modelIds/0");
            assertThat(jdbc.sql("SELECT COUNT(*) FROM ensemble_members WHERE model_id = ?")
                .param(a)
                .query(Long.class)
                .single()).isZero();
        }

        @Test
        void aVersionAddedWhileItsModelIsDeletedWaitsAndIsRefused() throws Exception {
            UUID a = model(501);
            String name = "racing-" + UUID.randomUUID().toString().substring(0, 8);
            assertThat(post("/api/v1/registered-models", "{\"name\": \"" + name + "\"}").statusCode()).isEqualTo(201);
            SqlPauses.Pause deleting = pauses.before("delete from models", "ModelService.delete", 0);
            CompletableFuture<HttpResponse<String>> deletion = CompletableFuture.supplyAsync(() -> delete(a));
            deleting.awaitReached(Duration.ofSeconds(30));

            CompletableFuture<HttpResponse<String>> version = CompletableFuture.supplyAsync(
                    () -> post("/api/v1/registered-models/" + name + "/versions", "{\"modelId\": \"" + a + "\"}"));
            Thread.sleep(HOLD_MILLIS);
            assertThat(version).as("the new version waits for the model's lock").isNotDone();
            deleting.release();

            assertThat(deletion.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
            HttpResponse<String> added = version.get(30, TimeUnit.SECONDS);
            assertThat(added.statusCode()).as(added.body()).isEqualTo(404);
            assertThat(TestHttp.json(added).path("pointer").asString()).isEqualTo("#/modelId");
            JsonNode registered = TestHttp.json(http().get("/api/v1/registered-models/" + name));
            assertThat(registered.path("versions")).isEmpty();
        }

        @Test
        void aVersionBeingAddedMakesTheDeletionOfItsModelWaitAndAnswer409() throws Exception {
            UUID a = model(601);
            String name = "racing-" + UUID.randomUUID().toString().substring(0, 8);
            assertThat(post("/api/v1/registered-models", "{\"name\": \"" + name + "\"}").statusCode()).isEqualTo(201);
            SqlPauses.Pause adding = pauses.before("insert into registered_model_versions",
                    "RegisteredModelService.addVersion", 0);
            CompletableFuture<HttpResponse<String>> version = CompletableFuture.supplyAsync(
                    () -> post("/api/v1/registered-models/" + name + "/versions", "{\"modelId\": \"" + a + "\"}"));
            adding.awaitReached(Duration.ofSeconds(30));

            CompletableFuture<HttpResponse<String>> deletion = CompletableFuture.supplyAsync(() -> delete(a));
            Thread.sleep(HOLD_MILLIS);
            assertThat(deletion).as("the deletion waits for the model's lock").isNotDone();
            adding.release();

            HttpResponse<String> added = version.get(30, TimeUnit.SECONDS);
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            HttpResponse<String> deleted = deletion.get(30, TimeUnit.SECONDS);
            assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(409);
            assertThat(post("/api/v1/registered-models/" + name + "@latest/predictions", INSTANCES).statusCode())
                .isEqualTo(200);
        }

    }

}
