package dev.trainyard.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.AllAtOnce;
import dev.trainyard.TestHttp;
import dev.trainyard.system.AnotherInstance;
import dev.trainyard.system.PostgresTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Submissions that together pass the tenant's running-jobs quota, all at once: exactly as
 * many jobs are stored and queued as the quota allows, the others answer 429 and leave
 * nothing behind. On H2 they race on one instance's threads, on PostgreSQL over two
 * instances of the same database. No worker runs, so no job ends and frees its place.
 */
class RunningJobsQuotaRaceTest {

    static final int QUOTA = 5;

    static final int SUBMISSIONS = 24;

    static final String[] SETTINGS = { "trainyard.worker.enabled=false" };

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = "trainyard.worker.enabled=false")
    class OnH2 extends Checks {

        @Test
        void racingSubmissionsOnOneInstanceStayWithinTheQuota() throws Exception {
            race(List.of(port));
        }

        @Test
        void racingSubmissionsWithOneKeyOnOneInstanceAllGetTheJobThatTookTheLastPlace() throws Exception {
            raceWithOneKey(List.of(port));
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
        void racingSubmissionsOnTwoInstancesStayWithinTheQuota() throws Exception {
            try (AnotherInstance other = AnotherInstance.start(database, SETTINGS)) {
                race(List.of(port, other.port()));
            }
        }

        @Test
        void racingSubmissionsWithOneKeyOnTwoInstancesAllGetTheJobThatTookTheLastPlace() throws Exception {
            try (AnotherInstance other = AnotherInstance.start(database, SETTINGS)) {
                raceWithOneKey(List.of(port, other.port()));
            }
        }

    }

    record Tenant(UUID id, String key) {
    }

    abstract static class Checks {

        @LocalServerPort
        int port;

        @Autowired
        JdbcTemplate jdbc;

        void race(List<Integer> ports) throws Exception {
            Tenant tenant = tenant(QUOTA);
            String spec = JobClient.mlpSpec(new JobClient(new TestHttp(port, tenant.key())).uploadBlobs(20, 1), 1, "");
            Set<String> tasksBefore = taskInstances();

            List<HttpResponse<String>> answers = submitAtOnce(ports, tenant.key(), spec, null, SUBMISSIONS);

            List<HttpResponse<String>> accepted = answers.stream().filter(a -> a.statusCode() == 202).toList();
            assertThat(accepted).hasSize(QUOTA);
            assertThat(answers).filteredOn(a -> a.statusCode() != 202).hasSize(SUBMISSIONS - QUOTA).allSatisfy(a -> {
                assertThat(a.statusCode()).as(a.body()).isEqualTo(429);
                assertThat(a.headers().firstValue("Retry-After")).isPresent();
                JsonNode problem = TestHttp.json(a);
                assertThat(problem.path("title").asString()).isEqualTo("Running jobs quota reached");
                assertThat(problem.path("limit").asInt()).isEqualTo(QUOTA);
                assertThat(problem.path("used").asInt()).isEqualTo(QUOTA);
            });
            Set<String> acceptedIds = accepted.stream()
                .map(a -> TestHttp.json(a).path("id").asString())
                .collect(Collectors.toSet());
            assertThat(acceptedIds).hasSize(QUOTA);
            assertThat(jobsOf(tenant)).containsExactlyInAnyOrderElementsOf(acceptedIds);
            assertThat(count("select count(*) from training_members m join training_jobs j on j.id = m.job_id "
                    + "where j.tenant_id = ?", tenant))
                .as("one member per stored job")
                .isEqualTo(QUOTA);
            assertThat(count("select count(*) from training_events e join training_jobs j on j.id = e.job_id "
                    + "where j.tenant_id = ?", tenant))
                .as("the QUEUED event of each stored job")
                .isEqualTo(QUOTA);
            Set<String> tasksAdded = new HashSet<>(taskInstances());
            tasksAdded.removeAll(tasksBefore);
            assertThat(tasksAdded).as("queued members")
                .containsExactlyInAnyOrderElementsOf(acceptedIds.stream().map(id -> id + "/0").toList());
        }

        /**
         * With a quota of one, every caller sending the same spec and key gets the one
         * job (202), although the callers that find it stored are past the quota.
         */
        void raceWithOneKey(List<Integer> ports) throws Exception {
            Tenant tenant = tenant(1);
            String spec = JobClient.mlpSpec(new JobClient(new TestHttp(port, tenant.key())).uploadBlobs(20, 1), 1, "");
            String idempotencyKey = "quota-race-" + UUID.randomUUID();

            List<HttpResponse<String>> answers = submitAtOnce(ports, tenant.key(), spec, idempotencyKey, SUBMISSIONS);

            List<String> stored = jobsOf(tenant);
            assertThat(stored).hasSize(1);
            assertThat(answers).allSatisfy(a -> {
                assertThat(a.statusCode()).as(a.body()).isEqualTo(202);
                assertThat(TestHttp.json(a).path("id").asString()).isEqualTo(stored.getFirst());
            });
        }

        /** A new tenant that may run {@code quota} jobs at once, and a key of it. */
        private Tenant tenant(int quota) {
            TestHttp operator = new TestHttp(port);
            UUID id = UUID.fromString(TestHttp
                .json(post(operator, "/api/v1/tenants",
                        "{\"name\": \"jobs-" + UUID.randomUUID() + "\", \"runningJobsQuota\": " + quota + "}"))
                .path("id")
                .asString());
            String key = TestHttp
                .json(post(operator, "/api/v1/tenants/" + id + "/keys", "{\"name\": \"jobs\", \"role\": \"user\"}"))
                .path("key")
                .asString();
            return new Tenant(id, key);
        }

        private List<String> jobsOf(Tenant tenant) {
            return jdbc.queryForList("select cast(id as varchar(36)) from training_jobs where tenant_id = ?",
                    String.class, tenant.id());
        }

        private long count(String sql, Tenant tenant) {
            return jdbc.queryForObject(sql, Long.class, tenant.id());
        }

        private Set<String> taskInstances() {
            return new HashSet<>(jdbc.queryForList("select task_instance from scheduled_tasks", String.class));
        }

        private static HttpResponse<String> post(TestHttp http, String path, String json) {
            HttpResponse<String> response = http.send(http.request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            return response;
        }

        private static List<HttpResponse<String>> submitAtOnce(List<Integer> ports, String key, String spec,
                String idempotencyKey, int callers) throws Exception {
            List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                JobClient client = new JobClient(new TestHttp(ports.get(i % ports.size()), key));
                calls.add(() -> idempotencyKey == null ? client.submit(spec) : client.submit(spec, idempotencyKey));
            }
            return AllAtOnce.call(calls);
        }

    }

}
