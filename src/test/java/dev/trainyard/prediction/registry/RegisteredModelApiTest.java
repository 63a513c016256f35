package dev.trainyard.prediction.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.TestHttp;
import dev.trainyard.model.ModelService;
import dev.trainyard.security.Tenants;
import dev.trainyard.system.PostgresTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Registered models over HTTP, on the embedded H2 database and on PostgreSQL: names,
 * versions numbered under concurrent calls, aliases moved while clients predict, and
 * predictions by alias and by version.
 */
class RegisteredModelApiTest {

    static final String BASE = RegistryClient.BASE;

    static final String ONE = "{\"instances\": [[1, 2, 3, 4], [0.5, -1, 2, 8]]}";

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
        ModelService models;

        @Autowired
        JdbcTemplate jdbc;

        RegistryClient client() {
            return new RegistryClient(new TestHttp(port), models);
        }

        @Test
        void aNameGetsVersionsAndAliasesAndAnswersAsItsModelWould() {
            RegistryClient c = client();
            UUID first = c.model(1);
            UUID second = c.model(2);
            String name = "fashion.v2_" + UUID.randomUUID().toString().substring(0, 8);

            HttpResponse<String> created = c.post(BASE, "{\"name\": \"" + name + "\", \"description\": \"shoes\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(created.headers().firstValue("Location")).hasValue(BASE + "/" + name);
            HttpResponse<String> v1 = c.post(BASE + "/" + name + "/versions", "{\"modelId\": \"" + first + "\"}");
            assertThat(v1.statusCode()).as(v1.body()).isEqualTo(201);
            assertThat(TestHttp.json(v1).path("version").asInt()).isEqualTo(1);
            assertThat(TestHttp.json(v1).path("modelId").asString()).isEqualTo(first.toString());
            assertThat(TestHttp.json(v1).has("ensembleId")).isFalse();
            assertThat(v1.headers().firstValue("Location")).hasValue(BASE + "/" + name + "/versions/1");
            assertThat(c.addModelVersion(name, second)).isEqualTo(2);
            c.alias(name, "champion", 1);
            c.alias(name, "staging", 2);

            JsonNode view = TestHttp.json(c.http().get(BASE + "/" + name));
            assertThat(view.path("name").asString()).isEqualTo(name);
            assertThat(view.path("description").asString()).isEqualTo("shoes");
            assertThat(view.path("versions")).hasSize(2);
            assertThat(view.path("versions").get(1).path("version").asInt()).isEqualTo(2);
            assertThat(view.path("versions").get(1).path("modelId").asString()).isEqualTo(second.toString());
            assertThat(view.path("versions").get(1).path("createdAt").isMissingNode()).isFalse();
            assertThat(view.path("aliases").toString()).isEqualTo("{\"champion\":1,\"staging\":2}");
            assertThat(TestHttp.json(c.http().get(BASE + "/" + name + "/versions/2")).path("modelId").asString())
                .isEqualTo(second.toString());

            String direct = c.post("/api/v1/models/" + first + "/predictions", ONE).body();
            HttpResponse<String> byAlias = c.post(BASE + "/" + name + "@champion/predictions", ONE);
            HttpResponse<String> byVersion = c.post(BASE + "/" + name + "/versions/1/predictions", ONE);
            assertThat(byAlias.statusCode()).as(byAlias.body()).isEqualTo(200);
            assertThat(byAlias.body()).isEqualTo(direct);
            assertThat(byVersion.body()).isEqualTo(direct);
            assertThat(c.post(BASE + "/" + name + "@staging/predictions", ONE).body())
                .isEqualTo(c.post("/api/v1/models/" + second + "/predictions", ONE).body());
            assertThat(c.post(BASE + "/" + name + "@latest/predictions", ONE).body())
                .isEqualTo(c.post("/api/v1/models/" + second + "/predictions", ONE).body());

            c.alias(name, "champion", 2);
            assertThat(
                    TestHttp.json(c.post(BASE + "/" + name + "@champion/predictions", ONE)).path("modelId").asString())
                .as("this instance serves a moved alias at once")
                .isEqualTo(second.toString());
            assertThat(c.delete(BASE + "/" + name + "/aliases/staging").statusCode()).isEqualTo(204);
            assertThat(c.post(BASE + "/" + name + "@staging/predictions", ONE).statusCode()).isEqualTo(404);
            assertThat(TestHttp.json(c.http().get(BASE + "/" + name)).path("aliases").toString())
                .isEqualTo("{\"champion\":2}");
            JsonNode page = TestHttp.json(c.http().get(BASE + "?size=100"));
            assertThat(page.path("items").valueStream().map(item -> item.path("name").asString())).contains(name);
        }

        @Test
        void anEnsembleVersionAnswersAsTheEnsembleWould() {
            RegistryClient c = client();
            UUID a = c.model(3);
            UUID b = c.model(4);
            String ensemble = TestHttp
                .json(c.post("/api/v1/ensembles", "{\"name\": \"pair\", \"modelIds\": [\"" + a + "\",\"" + b + "\"]}"))
                .path("id")
                .asString();
            String name = c.name("pair");

            HttpResponse<String> v1 = c.post(BASE + "/" + name + "/versions", "{\"ensembleId\": \"" + ensemble + "\"}");

            assertThat(v1.statusCode()).as(v1.body()).isEqualTo(201);
            assertThat(TestHttp.json(v1).path("ensembleId").asString()).isEqualTo(ensemble);
            assertThat(TestHttp.json(v1).has("modelId")).isFalse();
            String vote = "{\"instances\": [[1, 2, 3, 4]], \"method\": \"vote\"}";
            assertThat(c.post(BASE + "/" + name + "/versions/1/predictions", vote).body())
                .isEqualTo(c.post("/api/v1/ensembles/" + ensemble + "/predictions", vote).body());
        }

        @Test
        void badNamesVersionsAndAliasesAreProblemsThatSayWhat() {
            RegistryClient c = client();
            String name = c.name("rules");
            UUID model = c.model(5);
            String versions = BASE + "/" + name + "/versions";

            HttpResponse<String> duplicate = c.post(BASE, "{\"name\": \"" + name + "\"}");
            HttpResponse<String> badName = c.post(BASE, "{\"name\": \"no spaces\"}");
            HttpResponse<String> tooLong = c.post(BASE, "{\"name\": \"" + "a".repeat(101) + "\"}");
            HttpResponse<String> neither = c.post(versions, "{}");
            HttpResponse<String> both = c.post(versions,
                    "{\"modelId\": \"" + model + "\", \"ensembleId\": \"" + UUID.randomUUID() + "\"}");
            HttpResponse<String> unknownModel = c.post(versions, "{\"modelId\": \"" + UUID.randomUUID() + "\"}");
            HttpResponse<String> unknownEnsemble = c.post(versions, "{\"ensembleId\": \"" + UUID.randomUUID() + "\"}");
            HttpResponse<String> unknownName = c.post(BASE + "/nothing-" + UUID.randomUUID() + "/versions",
                    "{\"modelId\": \"" + model + "\"}");
            c.addModelVersion(name, model);
            HttpResponse<String> missingVersion = c.put(BASE + "/" + name + "/aliases/champion", "{\"version\": 2}");
            HttpResponse<String> noVersion = c.put(BASE + "/" + name + "/aliases/champion", "{}");
            HttpResponse<String> reserved = c.put(BASE + "/" + name + "/aliases/latest", "{\"version\": 1}");
            HttpResponse<String> badAlias = c.put(BASE + "/" + name + "/aliases/9lives", "{\"version\": 1}");
            HttpResponse<String> unknownAlias = c.post(BASE + "/" + name + "@champion/predictions", ONE);
            HttpResponse<String> unknownVersion = c.post(BASE + "/" + name + "/versions/7/predictions", ONE);
            HttpResponse<String> deleteUnknown = c.delete(BASE + "/" + name + "/aliases/champion");

            assertThat(duplicate.statusCode()).isEqualTo(409);
            assertThat(TestHttp.contentType(duplicate)).startsWith("application/problem+json");
            assertThat(badName.statusCode()).isEqualTo(400);
            assertThat(TestHttp.json(badName).path("pointer").asString()).isEqualTo("#/name");
            assertThat(tooLong.statusCode()).isEqualTo(400);
            assertThat(neither.statusCode()).isEqualTo(400);
            assertThat(both.statusCode()).isEqualTo(400);
            assertThat(unknownModel.statusCode()).isEqualTo(404);
            assertThat(TestHttp.json(unknownModel).path("pointer").asString()).isEqualTo("#/modelId");
            assertThat(unknownEnsemble.statusCode()).isEqualTo(404);
            assertThat(TestHttp.json(unknownEnsemble).path("pointer").asString()).isEqualTo("#/ensembleId");
            assertThat(unknownName.statusCode()).isEqualTo(404);
            assertThat(missingVersion.statusCode()).isEqualTo(404);
            assertThat(TestHttp.json(missingVersion).path("pointer").asString()).isEqualTo("#/version");
            assertThat(noVersion.statusCode()).isEqualTo(400);
            assertThat(reserved.statusCode()).isEqualTo(400);
            assertThat(badAlias.statusCode()).isEqualTo(400);
            assertThat(unknownAlias.statusCode()).isEqualTo(404);
            assertThat(TestHttp.json(unknownAlias).path("title").asString()).isEqualTo("Alias not found");
            assertThat(unknownVersion.statusCode()).isEqualTo(404);
            assertThat(deleteUnknown.statusCode()).isEqualTo(404);
            // the failed registrations took no number
            assertThat(c.addModelVersion(name, model)).isEqualTo(2);
        }

        @Test
        void concurrentRegistrationsGetEveryNumberOnce() throws Exception {
            RegistryClient c = client();
            String name = c.name("busy");
            UUID model = c.model(6);
            int calls = 16;
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(calls)) {
                for (int i = 0; i < calls; i++) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return c.post(BASE + "/" + name + "/versions", "{\"modelId\": \"" + model + "\"}");
                    }));
                }
                start.countDown();
                Set<Integer> numbers = new TreeSet<>();
                for (Future<HttpResponse<String>> answer : answers) {
                    HttpResponse<String> response = answer.get();
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
                    numbers.add(TestHttp.json(response).path("version").asInt());
                }
                Set<Integer> expected = new TreeSet<>();
                for (int v = 1; v <= calls; v++) {
                    expected.add(v);
                }
                assertThat(numbers).isEqualTo(expected);
            }
            assertThat(TestHttp.json(c.http().get(BASE + "/" + name)).path("versions")).hasSize(calls);
        }

        @Test
        void movingTheAliasUnderLoadFailsNoRequestAndSwitchesAtOnce() throws Exception {
            RegistryClient c = client();
            UUID before = c.model(7);
            UUID after = c.model(8);
            String name = c.name("live");
            c.addModelVersion(name, before);
            c.addModelVersion(name, after);
            c.alias(name, "champion", 1);

            Switch observed = predictWhile(c, name, () -> c.alias(name, "champion", 2), after);

            assertThat(observed.failures()).isEmpty();
            assertThat(observed.served()).containsOnly(before.toString(), after.toString());
            assertThat(observed.switchedAfter()).isLessThan(Duration.ofSeconds(2));
        }

        @Test
        void anAliasMovedByAnotherInstanceIsServedWithinTwoSeconds() throws Exception {
            RegistryClient c = client();
            UUID before = c.model(9);
            UUID after = c.model(10);
            String name = c.name("elsewhere");
            c.addModelVersion(name, before);
            c.addModelVersion(name, after);
            c.alias(name, "champion", 1);

            // what another instance sharing the database writes when it moves the alias;
            // this instance learns of it only through its resolution cache expiring
            Switch observed = predictWhile(c, name, () -> jdbc
                .update("UPDATE registered_model_aliases SET version = 2 WHERE alias = 'champion' AND "
                        + "registered_model_id = (SELECT id FROM registered_models WHERE tenant_id = ? AND name = ?)",
                        Tenants.DEFAULT_ID, name),
                    after);

            assertThat(observed.failures()).isEmpty();
            assertThat(observed.switchedAfter()).isLessThan(Duration.ofSeconds(2));
        }

        @Test
        void aModelThatAVersionServesCannotBeDeleted() {
            RegistryClient c = client();
            UUID model = c.model(11);
            String name = c.name("kept");
            c.addModelVersion(name, model);

            HttpResponse<String> refused = c.delete("/api/v1/models/" + model);

            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(TestHttp.json(refused).path("detail").asString())
                .contains("registered model " + name + " version 1");
            assertThat(c.post(BASE + "/" + name + "/versions/1/predictions", ONE).statusCode()).isEqualTo(200);
        }

        @Test
        void anotherTenantSeesNoneOfTheNames() {
            RegistryClient c = client();
            UUID model = c.model(12);
            String name = c.name("mine");
            c.addModelVersion(name, model);
            c.alias(name, "champion", 1);
            RegistryClient other = new RegistryClient(c.http().withKey(c.otherTenantKey()), models);

            assertThat(other.http().get(BASE + "/" + name).statusCode()).isEqualTo(404);
            assertThat(other.post(BASE + "/" + name + "@champion/predictions", ONE).statusCode()).isEqualTo(404);
            assertThat(other.post(BASE + "/" + name + "/versions/1/predictions", ONE).statusCode()).isEqualTo(404);
            assertThat(other.put(BASE + "/" + name + "/aliases/champion", "{\"version\": 1}").statusCode())
                .isEqualTo(404);
            assertThat(TestHttp.json(other.http().get(BASE)).path("totalItems").asInt()).isZero();
            // the same name is free in the other tenant, and its versions cannot use our
            // model
            assertThat(other.post(BASE, "{\"name\": \"" + name + "\"}").statusCode()).isEqualTo(201);
            assertThat(other.post(BASE + "/" + name + "/versions", "{\"modelId\": \"" + model + "\"}").statusCode())
                .isEqualTo(404);
        }

    }

    /**
     * What a client that predicted by {@code name@champion} without pause saw while
     * {@code move} ran: failed requests, the models that answered, and how long after the
     * move began until every answer came from {@code target}.
     */
    record Switch(List<String> failures, Set<String> served, Duration switchedAfter) {
    }

    static Switch predictWhile(RegistryClient c, String name, Runnable move, UUID target) throws Exception {
        List<String> failures = new ArrayList<>();
        Set<String> served = new TreeSet<>();
        AtomicBoolean stop = new AtomicBoolean();
        long[] moveStarted = { 0 };
        long[] lastOld = { 0 };
        try (ExecutorService client = Executors.newSingleThreadExecutor()) {
            Future<?> loop = client.submit(() -> {
                while (!stop.get()) {
                    HttpResponse<String> response = c.post(BASE + "/" + name + "@champion/predictions", ONE);
                    long now = System.nanoTime();
                    if (response.statusCode() != 200) {
                        failures.add(response.statusCode() + " " + response.body());
                        continue;
                    }
                    String model = TestHttp.json(response).path("modelId").asString();
                    served.add(model);
                    if (!model.equals(target.toString())) {
                        lastOld[0] = now;
                    }
                }
            });
            Thread.sleep(300);
            moveStarted[0] = System.nanoTime();
            move.run();
            Thread.sleep(2500);
            stop.set(true);
            loop.get();
        }
        return new Switch(failures, served, Duration.ofNanos(Math.max(0, lastOld[0] - moveStarted[0])));
    }

}
