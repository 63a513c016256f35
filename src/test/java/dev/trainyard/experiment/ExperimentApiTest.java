package dev.trainyard.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.TestHttp;
import dev.trainyard.system.PostgresTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import dev.trainyard.experiment.internal.ExperimentRunner;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The experiments API over HTTP: sweeps over a small MLP on three Gaussian blobs run as
 * ordinary jobs to a leaderboard, on the embedded H2 database and (the end-to-end runs)
 * on PostgreSQL.
 */
class ExperimentApiTest {

    static final Duration TIMEOUT = Duration.ofSeconds(120);

    static String request(String dataset, int epochs, String parameters, String strategy, int repeats,
            int maxConcurrent) {
        return """
                {"name": "blobs sweep", "baseSpec": %s, "parameters": %s, "strategy": %s,
                 "metric": "val_accuracy", "repeats": %d, "maxConcurrentTrials": %d}"""
            .formatted(ExperimentClient.mlpSpec(dataset, epochs), parameters, strategy, repeats, maxConcurrent);
    }

    static List<Integer> ints(JsonNode array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asInt()));
        return values;
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class OnH2 extends EndToEnd {

        @Test
        void aBadTrialSpecNamesTheParameterValueAndTheSpecMemberAndStoresNothing() {
            ExperimentClient c = client();
            String dataset = c.uploadBlobs(20, 1);
            long before = TestHttp.json(c.http.get("/api/v1/experiments")).path("totalItems").asLong();
            HttpResponse<String> refused = c.post(request(dataset, 2, """
                    [{"path": "/preprocessing/method", "values": ["none", "standardize"]},
                     {"path": "/training/optimizer/learningRate", "values": [0.1, 0.01, -1]}]""",
                    "{\"type\": \"grid\"}", 1, 2), false);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(TestHttp.contentType(refused)).startsWith("application/problem+json");
            JsonNode problem = TestHttp.json(refused);
            assertThat(problem.path("title").asString()).isEqualTo("Invalid experiment");
            // the same bad value in two trials is one problem
            assertThat(problem.path("errors")).hasSize(1);
            JsonNode error = problem.path("errors").get(0);
            assertThat(error.path("pointer").asString()).isEqualTo("#/parameters/1/values/2");
            assertThat(error.path("specPointer").asString()).isEqualTo("#/training/optimizer/learningRate");
            assertThat(error.path("detail").asString()).contains("learningRate must be positive");
            assertThat(error.path("trial").asInt()).isEqualTo(2);
            assertThat(TestHttp.json(c.http.get("/api/v1/experiments")).path("totalItems").asLong()).isEqualTo(before);
        }

        @Test
        void problemsOfTheBaseSpecAndOfTheRequestPointIntoTheRequest() {
            ExperimentClient c = client();
            String dataset = c.uploadBlobs(20, 1);
            HttpResponse<String> badLayer = c.post(
                    request(dataset, 2, "[]", "{\"type\": \"grid\"}", 1, 1).replace("\"units\": 3", "\"units\": 4"),
                    false);
            assertThat(badLayer.statusCode()).isEqualTo(400);
            JsonNode error = TestHttp.json(badLayer).path("errors").get(0);
            assertThat(error.path("pointer").asString()).isEqualTo("#/baseSpec/model/layers/2/units");
            assertThat(error.path("specPointer").asString()).isEqualTo("#/model/layers/2/units");

            assertThat(pointers(c.post(request(dataset, 2, "[{\"path\": \"/training/epochs\", \"values\": [0, 1]}]",
                    "{\"type\": \"grid\"}", 1, 1), false)))
                .containsExactly("#/parameters/0/values/0");
            assertThat(pointers(c.post(request(dataset, 2, "[]", "{\"type\": \"grid\"}", 1, 1)
                .replace("\"blobs sweep\"", "\"blobs\\u0000sweep\""), false))).containsExactly("#/name");
            assertThat(pointers(
                    c.post(request(dataset, 2, "[{\"path\": \"/preprocessing/method\", \"values\": [\"a\\u0000\"]}]",
                            "{\"type\": \"grid\"}", 1, 1), false)))
                .containsExactly("#/parameters/0/values/0");
            assertThat(pointers(c.post(request(dataset, 2, "[]", "{\"type\": \"bayes\"}", 1, 1), false)))
                .containsExactly("#/strategy/type");
            assertThat(pointers(c.post(request(dataset, 2, "[]", "{\"type\": \"grid\"}", 1, 0), false)))
                .containsExactly("#/maxConcurrentTrials");
            assertThat(pointers(c.post(request(dataset, 2, "[]", "{\"type\": \"grid\", \"extra\": 1}", 1, 1), false)))
                .containsExactly("#/strategy/extra");
            assertThat(pointers(c.post(
                    request(dataset, 2,
                            "[{\"path\": \"/training/optimizer/learningRate\", \"distribution\": \"log_uniform\", "
                                    + "\"min\": 0, \"max\": 1}]",
                            "{\"type\": \"random\", \"trials\": 3}", 1, 1),
                    false)))
                .containsExactly("#/parameters/0/min");
            assertThat(pointers(c.post(request(dataset, 2, "[{\"path\": \"/model/layers/7/units\", \"values\": [4]}]",
                    "{\"type\": \"grid\"}", 1, 1), false)))
                .containsExactly("#/parameters/0/path");
            // 40 x 30 = 1200 trials is past the limit of 1000 jobs
            String many = "[{\"path\": \"/seed\", \"values\": " + range(40) + "}, {\"path\": \"/training/batchSize\", "
                    + "\"values\": " + range(30).replace("[0,", "[30,") + "}]";
            HttpResponse<String> tooMany = c.post(request(dataset, 2, many, "{\"type\": \"grid\"}", 1, 1), true);
            assertThat(pointers(tooMany)).containsExactly("#/parameters");
            assertThat(TestHttp.json(tooMany).path("detail").asString()).contains("1200 jobs");
        }

        @Test
        void aDryRunListsTheTrialsAndTheirCostAndStoresNothing() {
            ExperimentClient c = client();
            String dataset = c.uploadBlobs(100, 1);
            HttpResponse<String> response = c.post(request(dataset, 3, """
                    [{"path": "/preprocessing/method", "values": ["none", "standardize"]},
                     {"path": "/training/epochs", "values": [2, 4]}]""", "{\"type\": \"grid\"}", 2, 2), true);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode plan = TestHttp.json(response);
            assertThat(plan.path("trialCount").asInt()).isEqualTo(4);
            assertThat(plan.path("jobs").asInt()).isEqualTo(8);
            JsonNode trials = plan.path("trials");
            assertThat(trials.get(1).path("parameters").path("/preprocessing/method").asString()).isEqualTo("none");
            assertThat(trials.get(1).path("parameters").path("/training/epochs").asInt()).isEqualTo(4);
            assertThat(trials.get(2).path("parameters").path("/preprocessing/method").asString())
                .isEqualTo("standardize");
            assertThat(ints(plan.findValues("epochs")
                .stream()
                .collect(tools.jackson.databind.node.JsonNodeFactory.instance::arrayNode,
                        tools.jackson.databind.node.ArrayNode::add, (a, b) -> a.addAll(b))))
                .containsExactly(2, 4, 2, 4);
            // dense 2 -> 16 -> 3: 2*16 + 16 + 16*3 + 3 = 99 parameters; 300 examples less
            // 30 for
            // validation; summed over trials and 2 repeats: 99 * 270 * (2 + 4 + 2 + 4) *
            // 2
            assertThat(trials.get(0).path("parameterCount").asLong()).isEqualTo(99);
            assertThat(trials.get(0).path("trainingExamples").asLong()).isEqualTo(270);
            assertThat(plan.path("cost").asLong()).isEqualTo(99L * 270 * 12 * 2);
            assertThat(TestHttp.json(c.http.get("/api/v1/experiments")).path("items").toString())
                .doesNotContain(dataset);
        }

        @Test
        void aHalvingDryRunCountsEveryRungsJobs() {
            ExperimentClient c = client();
            String dataset = c.uploadBlobs(100, 1);
            JsonNode plan = dryRun(c,
                    request(dataset, 5,
                            "[{\"path\": \"/training/optimizer/learningRate\", \"values\": [0.001, 0.002, 0.003, 0.01, "
                                    + "0.02, 0.03, 0.1, 0.2, 0.3]}]",
                            "{\"type\": \"successive_halving\", \"minEpochs\": 1, \"maxEpochs\": 9}", 1, 3));
            // 9 trials for 1 epoch, the best 3 for 3, the best 1 for 9 (reduction factor
            // 3)
            assertThat(plan.path("rungs").toString())
                .isEqualTo("[{\"rung\":0,\"epochs\":1,\"trials\":9},{\"rung\":1,\"epochs\":3,\"trials\":3},"
                        + "{\"rung\":2,\"epochs\":9,\"trials\":1}]");
            assertThat(plan.path("jobs").asInt()).isEqualTo(13);
            assertThat(plan.path("trials").get(0).path("epochs").asInt()).isEqualTo(1);
            assertThat(plan.path("cost").asLong()).isEqualTo(99L * 270 * (9 * 1 + 3 * 3 + 1 * 9));
        }

        @Test
        void randomTrialsAreDrawnReproduciblyFromTheSeed() {
            ExperimentClient c = client();
            String dataset = c.uploadBlobs(20, 1);
            String parameters = """
                    [{"path": "/training/optimizer/learningRate", "distribution": "log_uniform", "min": 0.001, "max": 0.5},
                     {"path": "/model/layers/0/units", "distribution": "int_uniform", "min": 4, "max": 32},
                     {"path": "/preprocessing/method", "values": ["none", "min_max", "standardize"]}]""";
            JsonNode first = dryRun(c,
                    request(dataset, 1, parameters, "{\"type\": \"random\", \"trials\": 8, \"seed\": 3}", 1, 2));
            JsonNode again = dryRun(c,
                    request(dataset, 1, parameters, "{\"type\": \"random\", \"trials\": 8, \"seed\": 3}", 1, 2));
            JsonNode other = dryRun(c,
                    request(dataset, 1, parameters, "{\"type\": \"random\", \"trials\": 8, \"seed\": 4}", 1, 2));
            assertThat(first.path("trials")).hasSize(8);
            assertThat(again.path("trials").toString()).isEqualTo(first.path("trials").toString());
            assertThat(other.path("trials").toString()).isNotEqualTo(first.path("trials").toString());
            Set<Double> rates = new HashSet<>();
            for (JsonNode t : first.path("trials")) {
                double rate = t.path("parameters").path("/training/optimizer/learningRate").asDouble();
                int units = t.path("parameters").path("/model/layers/0/units").asInt();
                assertThat(rate).isBetween(0.001, 0.5);
                assertThat(units).isBetween(4, 32);
                assertThat(t.path("parameters").path("/model/layers/0/units").isIntegralNumber()).isTrue();
                // the model grows with the drawn width: 2*u + u + u*3 + 3 parameters
                assertThat(t.path("parameterCount").asLong()).isEqualTo(6L * units + 3);
                rates.add(rate);
            }
            assertThat(rates).hasSize(8);
        }

        @Test
        void cancellingStopsTheRunningTrialsJobsAndSubmitsNoMore() throws Exception {
            ExperimentClient c = client();
            String dataset = c.uploadBlobs(2000, 5);
            JsonNode started = c.started(request(dataset, 500,
                    "[{\"path\": \"/training/optimizer/learningRate\", \"values\": [0.01, 0.02, 0.03]}]",
                    "{\"type\": \"grid\"}", 1, 1));
            String id = started.path("id").asString();
            String job = started.path("trials").get(0).path("jobIds").get(0).asString();
            assertThat(started.path("trials").get(1).path("jobIds")).isEmpty();

            HttpResponse<String> cancelled = c.cancel(id);
            assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(202);
            JsonNode experiment = TestHttp.json(cancelled);
            assertThat(experiment.path("status").asString()).isEqualTo("CANCELLED");
            assertThat(experiment.path("finishedAt").isNull()).isFalse();
            for (JsonNode t : experiment.path("trials")) {
                assertThat(t.path("status").asString()).isEqualTo("CANCELLED");
            }
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!TestHttp.json(c.http.get("/api/v1/jobs/" + job)).path("status").asString().equals("CANCELLED")) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(50);
            }
            Thread.sleep(300);
            assertThat(c.experiment(id).path("trials").get(1).path("jobIds")).isEmpty();
            assertThat(c.cancel(id).statusCode()).isEqualTo(409);
            List<ExperimentClient.Event> events = c.events(id, null);
            assertThat(events.getLast().type()).isEqualTo("completed");
        }

        @Test
        void aTrialWhoseJobDivergesFailsWithItsReasonAndRanksLast() throws Exception {
            ExperimentClient c = client();
            String dataset = c.uploadBlobs(50, 2);
            String id = c
                .started(request(dataset, 3,
                        "[{\"path\": \"/training/optimizer/learningRate\", \"values\": [1e30, 0.1]}]",
                        "{\"type\": \"grid\"}", 1, 2))
                .path("id")
                .asString();
            JsonNode done = c.awaitEnd(id, TIMEOUT);
            assertThat(done.path("status").asString()).isEqualTo("SUCCEEDED");
            JsonNode diverged = done.path("trials").get(0);
            assertThat(diverged.path("status").asString()).isEqualTo("FAILED");
            assertThat(diverged.path("error").asString()).startsWith("repeat 0: training_diverged: ");
            assertThat(ints(done.path("leaderboard"))).containsExactly(1, 0);
        }

        @Test
        void trialsTheRunningJobsQuotaRefusesWaitAndRunLater() throws Exception {
            ExperimentClient c = new ExperimentClient(new TestHttp(port, client().newTenantKey(1)));
            String dataset = c.uploadBlobs(30, 3);
            JsonNode started = c.started(request(dataset, 2,
                    "[{\"path\": \"/training/optimizer/learningRate\", \"values\": [0.05, 0.1, 0.2]}]",
                    "{\"type\": \"grid\"}", 1, 3));
            // three trials may run at once, but the tenant may run one job: one submitted
            long submitted = 0;
            for (JsonNode t : started.path("trials")) {
                submitted += t.path("jobIds").size();
            }
            assertThat(submitted).isEqualTo(1);
            JsonNode done = c.awaitEnd(started.path("id").asString(), TIMEOUT);
            assertThat(done.path("status").asString()).isEqualTo("SUCCEEDED");
            for (JsonNode t : done.path("trials")) {
                assertThat(t.path("status").asString()).isEqualTo("SUCCEEDED");
                assertThat(t.path("jobIds")).hasSize(1);
            }
        }

        @Autowired
        JdbcClient jdbc;

        @Autowired
        ExperimentRunner runner;

        @Test
        void aJobSubmittedButNotRecordedIsFoundAgainNotSubmittedTwice() {
            ExperimentClient c = client();
            String dataset = c.uploadBlobs(2000, 6);
            JsonNode started = c.started(request(dataset, 500, "[]", "{\"type\": \"grid\"}", 1, 1));
            String id = started.path("id").asString();
            String job = started.path("trials").get(0).path("jobIds").get(0).asString();
            long jobs = TestHttp.json(c.http.get("/api/v1/jobs")).path("totalItems").asLong();
            // as if the instance had died after the job was stored and before the run
            // recorded it
            jdbc.sql("UPDATE experiment_runs SET job_id = NULL, status = 'QUEUED' WHERE experiment_id = ?")
                .param(UUID.fromString(id))
                .update();
            runner.reconcile(UUID.fromString(id));
            assertThat(c.experiment(id).path("trials").get(0).path("jobIds").get(0).asString()).isEqualTo(job);
            assertThat(TestHttp.json(c.http.get("/api/v1/jobs")).path("totalItems").asLong()).isEqualTo(jobs);
            assertThat(c.cancel(id).statusCode()).isEqualTo(202);
        }

        @Test
        void anotherTenantsExperimentIsNotFound() {
            ExperimentClient c = client();
            String dataset = c.uploadBlobs(20, 1);
            String id = c.started(request(dataset, 1, "[]", "{\"type\": \"grid\"}", 1, 1)).path("id").asString();
            TestHttp other = c.http.withKey(c.newTenantKey(null));
            for (String path : List.of("", "/results.csv", "/events")) {
                HttpResponse<String> response = other.get("/api/v1/experiments/" + id + path);
                assertThat(response.statusCode()).as(path).isEqualTo(404);
            }
            assertThat(new ExperimentClient(other).cancel(id).statusCode()).isEqualTo(404);
            assertThat(TestHttp.json(other.get("/api/v1/experiments")).path("totalItems").asLong()).isZero();
            assertThat(c.http.get("/api/v1/experiments/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
        }

        private JsonNode dryRun(ExperimentClient c, String body) {
            HttpResponse<String> response = c.post(body, true);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return TestHttp.json(response);
        }

        private List<String> pointers(HttpResponse<String> response) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            List<String> pointers = new ArrayList<>();
            TestHttp.json(response).path("errors").forEach(e -> pointers.add(e.path("pointer").asString()));
            return pointers;
        }

        private static String range(int n) {
            StringBuilder s = new StringBuilder("[");
            for (int i = 0; i < n; i++) {
                s.append(i == 0 ? "" : ",").append(i);
            }
            return s.append(']').toString();
        }

    }

    @Nested
    @PostgresTest
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class OnPostgres extends EndToEnd {

    }

    abstract class EndToEnd {

        @LocalServerPort
        int port;

        ExperimentClient client() {
            return new ExperimentClient(new TestHttp(port));
        }

        @Test
        void aGridWithRepeatsRunsItsTrialsAsJobsToALeaderboard() throws Exception {
            ExperimentClient c = client();
            String dataset = c.uploadBlobs(100, 1);
            JsonNode started = c.started(request(dataset, 3, """
                    [{"path": "/preprocessing/method", "values": ["none", "standardize"]},
                     {"path": "/training/optimizer/learningRate", "values": [1e-6, 0.1]}]""", "{\"type\": \"grid\"}", 2,
                    2));
            String id = started.path("id").asString();
            assertThat(started.path("trials")).hasSize(4);
            // two trials at a time, each with its two repeats' jobs
            assertThat(ints(started.path("trials")
                .findValues("jobIds")
                .stream()
                .map(JsonNode::size)
                .collect(tools.jackson.databind.node.JsonNodeFactory.instance::arrayNode,
                        tools.jackson.databind.node.ArrayNode::add, (a, b) -> a.addAll(b))))
                .containsExactly(2, 2, 0, 0);

            JsonNode done = c.awaitEnd(id, TIMEOUT);
            assertThat(done.path("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
            assertThat(done.path("finishedAt").isNull()).isFalse();
            JsonNode trials = done.path("trials");
            assertThat(trials.get(3).path("parameters").path("/preprocessing/method").asString())
                .isEqualTo("standardize");
            assertThat(trials.get(3).path("parameters").path("/training/optimizer/learningRate").asDouble())
                .isEqualTo(0.1);
            Set<String> jobIds = new HashSet<>();
            for (JsonNode t : trials) {
                assertThat(t.path("status").asString()).isEqualTo("SUCCEEDED");
                assertThat(t.path("jobIds")).hasSize(2);
                t.path("jobIds").forEach(j -> jobIds.add(j.asString()));
                JsonNode m = t.path("metrics");
                assertThat(m.path("bestValAccuracy").asDouble()).isBetween(0.0, 1.0);
                assertThat(m.path("bestValLoss").asDouble()).isPositive();
                assertThat(m.path("bestValAccuracyStd").isNumber()).isTrue();
                assertThat(m.path("testAccuracy").isNull()).isTrue();
            }
            assertThat(jobIds).hasSize(8);
            // each trial's jobs are ordinary jobs with the trial's values and seeds 7 and
            // 8
            JsonNode job = TestHttp.json(c.http.get("/api/v1/jobs/" + trials.get(1).path("jobIds").get(1).asString()));
            assertThat(job.path("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(job.path("spec").path("seed").asLong()).isEqualTo(8);
            assertThat(job.path("spec").path("preprocessing").path("method").asString()).isEqualTo("none");
            assertThat(job.path("spec").path("training").path("optimizer").path("learningRate").asDouble())
                .isEqualTo(0.1);
            // the metrics are the means of the jobs' best epochs
            double best = 0;
            for (JsonNode j : trials.get(1).path("jobIds")) {
                double jobBest = 0;
                for (JsonNode row : TestHttp.json(c.http.get("/api/v1/jobs/" + j.asString() + "/metrics"))) {
                    jobBest = Math.max(jobBest, row.path("valAccuracy").asDouble());
                }
                best += jobBest / 2;
            }
            assertThat(trials.get(1).path("metrics").path("bestValAccuracy").asDouble()).isCloseTo(best,
                    org.assertj.core.data.Offset.offset(1e-12));
            // a learning rate of 0.1 learns the blobs; 1e-6 barely moves from its start
            List<Integer> leaderboard = ints(done.path("leaderboard"));
            assertThat(leaderboard.subList(0, 2)).containsExactlyInAnyOrder(1, 3);
            assertThat(trials.get(leaderboard.get(0)).path("metrics").path("bestValAccuracy").asDouble())
                .isGreaterThan(0.9);

            HttpResponse<String> csv = c.http.get("/api/v1/experiments/" + id + "/results.csv");
            assertThat(csv.statusCode()).isEqualTo(200);
            assertThat(TestHttp.contentType(csv)).startsWith("text/csv");
            List<String> lines = csv.body().lines().toList();
            assertThat(lines).hasSize(5);
            assertThat(lines.get(0)).startsWith(
                    "index,rank,/preprocessing/method,/training/optimizer/learningRate,status,rung,epochs,bestValAccuracy,");
            assertThat(lines.get(4)).startsWith("3," + (leaderboard.indexOf(3) + 1) + ",standardize,0.1,SUCCEEDED,,3,");

            List<ExperimentClient.Event> events = c.events(id, null);
            List<String> types = events.stream().map(ExperimentClient.Event::type).toList();
            assertThat(types.getFirst()).isEqualTo("status");
            assertThat(types.getLast()).isEqualTo("completed");
            assertThat(types).contains("trial");
            assertThat(c.events(id, events.get(events.size() - 2).id())).hasSize(1);

            JsonNode listed = TestHttp.json(c.http.get("/api/v1/experiments?size=100"));
            assertThat(listed.path("items").toString()).contains(id);
        }

        @Test
        void successiveHalvingPromotesTheTrialsThatLearn() throws Exception {
            ExperimentClient c = client();
            String dataset = c.uploadBlobs(100, 4);
            String id = c.started(request(dataset, 1,
                    "[{\"path\": \"/training/optimizer/learningRate\", \"values\": [1e-6, 0.3, 1e-5, 0.1]}]",
                    "{\"type\": \"successive_halving\", \"minEpochs\": 1, \"maxEpochs\": 2, \"reductionFactor\": 2}", 1,
                    4))
                .path("id")
                .asString();
            JsonNode done = c.awaitEnd(id, TIMEOUT);
            assertThat(done.path("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
            assertThat(done.path("rung").asInt()).isEqualTo(1);
            JsonNode trials = done.path("trials");
            for (int promoted : List.of(1, 3)) {
                JsonNode t = trials.get(promoted);
                assertThat(t.path("status").asString()).as(t.toString()).isEqualTo("SUCCEEDED");
                assertThat(t.path("rung").asInt()).isEqualTo(1);
                assertThat(t.path("epochs").asInt()).isEqualTo(2);
                assertThat(t.path("jobIds")).hasSize(2);
            }
            for (int stopped : List.of(0, 2)) {
                JsonNode t = trials.get(stopped);
                assertThat(t.path("status").asString()).as(t.toString()).isEqualTo("STOPPED");
                assertThat(t.path("rung").asInt()).isZero();
                assertThat(t.path("epochs").asInt()).isEqualTo(1);
                assertThat(t.path("jobIds")).hasSize(1);
                assertThat(t.path("metrics").path("bestValAccuracy").isNumber()).isTrue();
            }
            assertThat(ints(done.path("leaderboard")).subList(0, 2)).containsExactlyInAnyOrder(1, 3);
            JsonNode secondRung = TestHttp
                .json(c.http.get("/api/v1/jobs/" + trials.get(1).path("jobIds").get(1).asString()));
            assertThat(secondRung.path("spec").path("training").path("epochs").asInt()).isEqualTo(2);
        }

    }

}
