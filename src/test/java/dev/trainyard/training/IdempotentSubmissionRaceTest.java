package dev.trainyard.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.AllAtOnce;
import dev.trainyard.TestHttp;
import dev.trainyard.system.AnotherInstance;
import dev.trainyard.system.PostgresTest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Many submissions with one {@code Idempotency-Key} at once: exactly one job is stored,
 * every caller with the same spec gets it (202), every caller with another spec gets 422
 * naming it; none gets a 500. On H2 the submissions race on one instance's threads, on
 * PostgreSQL over two instances of the same database.
 */
class IdempotentSubmissionRaceTest {

    static final int CALLERS = 24;

    static final String[] SETTINGS = { "trainyard.worker.enabled=false" };

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = "trainyard.worker.enabled=false")
    class OnH2 extends Checks {

        @Test
        void racingSubmissionsOnOneInstanceStoreOneJob() throws Exception {
            TestHttp http = new TestHttp(port);
            race(List.of(http), new JobClient(http).uploadBlobs(20, 1));
        }

    }

    @Nested
    @PostgresTest
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = "trainyard.worker.enabled=false")
    class OnPostgres extends Checks {

        @Autowired
        JdbcConnectionDetails database;

        @Test
        void racingSubmissionsOnTwoInstancesStoreOneJob() throws Exception {
            try (AnotherInstance other = AnotherInstance.start(database, SETTINGS)) {
                TestHttp http = new TestHttp(port);
                race(List.of(http, other.http()), new JobClient(http).uploadBlobs(20, 1));
            }
        }

    }

    abstract static class Checks {

        @LocalServerPort
        int port;

        @Autowired
        JdbcTemplate jdbc;

        /**
         * Three rounds over {@code instances}: every caller with the same spec, then half
         * with a spec that differs in its epochs.
         */
        void race(List<TestHttp> instances, String dataset) throws Exception {
            String spec = JobClient.mlpSpec(dataset, 1, "");
            String other = JobClient.mlpSpec(dataset, 2, "");
            for (int round = 0; round < 3; round++) {
                String key = "race-" + UUID.randomUUID();
                List<String> specs = new ArrayList<>();
                for (int i = 0; i < CALLERS; i++) {
                    specs.add(round == 0 || i % 2 == 0 ? spec : other);
                }
                List<HttpResponse<String>> answers = submitAtOnce(instances, key, specs);

                Long stored = jdbc.queryForObject("select count(*) from training_jobs where idempotency_key = ?",
                        Long.class, key);
                assertThat(stored).as("jobs stored for key %s", key).isEqualTo(1);
                String jobId = jdbc.queryForObject("select id from training_jobs where idempotency_key = ?",
                        String.class, key);
                int epochs = JobClient.json(jdbc.queryForObject("select spec from training_jobs where id = ?",
                        String.class, UUID.fromString(jobId)))
                    .path("training")
                    .path("epochs")
                    .asInt();
                assertThat(epochs).isIn(1, 2);
                String winner = epochs == 1 ? spec : other;
                for (int i = 0; i < CALLERS; i++) {
                    HttpResponse<String> answer = answers.get(i);
                    JsonNode body = TestHttp.json(answer);
                    if (specs.get(i).equals(winner)) {
                        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
                        assertThat(body.path("id").asString()).isEqualTo(jobId);
                    }
                    else {
                        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
                        assertThat(body.path("title").asString()).isEqualTo("Idempotency-Key reused");
                        assertThat(body.path("jobId").asString()).isEqualTo(jobId);
                    }
                }
            }
        }

        private static List<HttpResponse<String>> submitAtOnce(List<TestHttp> instances, String key, List<String> specs)
                throws Exception {
            List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < specs.size(); i++) {
                JobClient client = new JobClient(instances.get(i % instances.size()));
                String spec = specs.get(i);
                calls.add(() -> client.submit(spec, key));
            }
            return AllAtOnce.call(calls);
        }

    }

}
