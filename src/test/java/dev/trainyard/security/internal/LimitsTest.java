package dev.trainyard.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.TestHttp;
import dev.trainyard.security.CurrentTenant;
import dev.trainyard.security.Role;
import dev.trainyard.security.QuotaService;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Rate limits, quotas, CORS and the switches for the public endpoints, with settings
 * small enough to reach. The probes stand for the endpoints of other modules that are
 * limited the same way.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "trainyard.security.rate-limits.uploads-per-minute=2", "trainyard.security.quota.running-jobs=4",
                "trainyard.security.rate-limits.upload-paths=POST /api/v1/datasets,POST /api/v1/probe/uploads",
                "trainyard.cors.allowed-origins=https://app.example,https://admin.example",
                "trainyard.security.public-docs=false", "trainyard.security.public-health=false" })
@Import(LimitsTest.Probes.class)
class LimitsTest {

    @LocalServerPort
    int port;

    @Autowired
    KeyManagement management;

    @Autowired
    QuotaService quotas;

    @Autowired
    Probes probes;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void uploadsBeyondTheRateAre429WithRetryAfterAndStoreNothing() {
        String key = newKey(null, null);
        TestHttp http = new TestHttp(port, key);
        assertThat(upload(http).statusCode()).isEqualTo(200);
        assertThat(upload(http).statusCode()).isEqualTo(200);
        int handled = probes.uploads.get();

        HttpResponse<String> refused = upload(http);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(TestHttp.contentType(refused)).startsWith("application/problem+json");
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        // 2 per minute: the next token comes 30 s after the burst, less the time the test
        // took
        assertThat(retryAfter).isBetween(1L, 30L);
        JsonNode problem = TestHttp.json(refused);
        assertThat(problem.path("title").asString()).isEqualTo("Rate limit exceeded");
        assertThat(problem.path("limit").asInt()).isEqualTo(2);
        assertThat(problem.path("retryAfterSeconds").asLong()).isEqualTo(retryAfter);
        assertThat(probes.uploads.get()).as("the endpoint never ran").isEqualTo(handled);
        // the limit is per key
        assertThat(upload(new TestHttp(port, newKey(null, null))).statusCode()).isEqualTo(200);
        // and only for uploads
        assertThat(http.get("/api/v1/nothing-here").statusCode()).isEqualTo(404);
    }

    @Test
    void datasetUploadsBeyondTheRateAre429AndStoreNothing() {
        UUID tenant = newTenant(null);
        TestHttp http = new TestHttp(port, management.issueKey(SecurityTest.OPERATOR, tenant, "k", Role.USER).key());
        assertThat(uploadDataset(http, 4).statusCode()).isEqualTo(201);
        assertThat(uploadDataset(http, 4).statusCode()).isEqualTo(201);

        HttpResponse<String> refused = uploadDataset(http, 4);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(datasetsOf(tenant)).isEqualTo(2);
    }

    @Test
    void datasetUploadOverTheQuotaIs409AndStoresNothing() {
        UUID tenant = newTenant(200L);
        TestHttp http = new TestHttp(port, management.issueKey(SecurityTest.OPERATOR, tenant, "k", Role.USER).key());
        assertThat(uploadDataset(http, 10).statusCode()).as("120 of 200 bytes").isEqualTo(201);
        long chunks = jdbc.queryForObject("select count(*) from dataset_chunks", Long.class);

        HttpResponse<String> refused = uploadDataset(
                new TestHttp(port, management.issueKey(SecurityTest.OPERATOR, tenant, "k2", Role.USER).key()), 10);

        assertThat(refused.statusCode()).isEqualTo(409);
        JsonNode problem = TestHttp.json(refused);
        assertThat(problem.path("title").asString()).isEqualTo("Dataset storage quota exceeded");
        assertThat(problem.path("used").asLong()).isEqualTo(120);
        assertThat(problem.path("requested").asLong()).isEqualTo(120);
        assertThat(problem.path("limit").asLong()).isEqualTo(200);
        assertThat(datasetsOf(tenant)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from dataset_chunks", Long.class)).isEqualTo(chunks);
    }

    @Test
    void requestsWithoutValidKeyDoNotUseTheirTokens() {
        TestHttp anonymous = new TestHttp(port, null);
        for (int i = 0; i < 5; i++) {
            assertThat(upload(anonymous).statusCode()).isEqualTo(401);
        }
        String key = newKey(null, null);

        assertThat(upload(new TestHttp(port, key)).statusCode()).isEqualTo(200);
    }

    @Test
    void datasetBytesQuotaIs409AndLeavesTheStoreAlone() {
        UUID tenant = management.createTenant(SecurityTest.OPERATOR, "small-" + UUID.randomUUID(), 1000L, null).id();
        String key = management.issueKey(SecurityTest.OPERATOR, tenant, "k", Role.USER).key();
        TestHttp http = new TestHttp(port, key);

        assertThat(store(http, 900, 100).statusCode()).isEqualTo(200);
        int stored = probes.stored.get();
        HttpResponse<String> refused = store(http, 900, 101);

        assertThat(refused.statusCode()).isEqualTo(409);
        JsonNode problem = TestHttp.json(refused);
        assertThat(problem.path("title").asString()).isEqualTo("Dataset storage quota exceeded");
        assertThat(problem.path("detail").asString()).contains("900 bytes", "101 more", "quota is 1000 bytes");
        assertThat(problem.path("limit").asLong()).isEqualTo(1000);
        assertThat(problem.path("used").asLong()).isEqualTo(900);
        assertThat(refused.headers().firstValue("Retry-After")).isEmpty();
        assertThat(probes.stored.get()).isEqualTo(stored);
    }

    @Test
    void runningJobsQuotaIs429WithRetryAfter() {
        UUID tenant = management.createTenant(SecurityTest.OPERATOR, "two-jobs-" + UUID.randomUUID(), null, 2).id();
        TestHttp http = new TestHttp(port, management.issueKey(SecurityTest.OPERATOR, tenant, "k", Role.USER).key());

        assertThat(startJob(http, 1).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = startJob(http, 2);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("30");
        JsonNode problem = TestHttp.json(refused);
        assertThat(problem.path("title").asString()).isEqualTo("Running jobs quota reached");
        assertThat(problem.path("limit").asInt()).isEqualTo(2);
        assertThat(quotas.runningJobs(tenant)).isEqualTo(2);
    }

    @Test
    void quotaChecksRefuseToRunOutsideATransaction() {
        UUID tenant = newTenant(null);

        // the quota lock would end with the check, before anything was stored
        assertThatThrownBy(() -> quotas.checkRunningJobs(tenant, () -> 0))
            .isInstanceOf(IllegalTransactionStateException.class);
        assertThatThrownBy(() -> quotas.checkDatasetBytes(tenant, () -> 0, 1))
            .isInstanceOf(IllegalTransactionStateException.class);
    }

    @Test
    void tenantsWithoutOwnQuotasGetTheConfiguredOnes() {
        UUID tenant = management.createTenant(SecurityTest.OPERATOR, "plain-" + UUID.randomUUID(), null, null).id();

        assertThat(quotas.datasetBytes(tenant)).isEqualTo(10L * 1024 * 1024 * 1024);
        assertThat(quotas.runningJobs(tenant)).isEqualTo(4);
    }

    @Test
    void preflightFromAnAllowedOriginIsAnswered() {
        HttpResponse<String> response = preflight("https://app.example");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example");
        assertThat(response.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
            .containsIgnoringCase("x-api-key");
        assertThat(response.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("DELETE");
    }

    @Test
    void preflightFromAnyOtherOriginIsRefused() {
        HttpResponse<String> response = preflight("https://evil.example");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(TestHttp.contentType(response)).startsWith("application/problem+json");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void crossOriginResponsesExposeRetryAfterToScripts() {
        HttpResponse<String> response = new TestHttp(port)
            .send(new TestHttp(port).request("/api/v1/keys").header("Origin", "https://admin.example").GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://admin.example");
        assertThat(response.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
            .contains("Retry-After");
    }

    @Test
    void docsAndHealthNeedAKeyWhenNotPublic() {
        TestHttp anonymous = new TestHttp(port, null);
        TestHttp user = new TestHttp(port, newKey(null, null));

        assertThat(anonymous.get("/v3/api-docs").statusCode()).isEqualTo(401);
        assertThat(anonymous.get("/swagger-ui.html").statusCode()).isEqualTo(401);
        assertThat(anonymous.get("/actuator/health").statusCode()).isEqualTo(401);
        assertThat(user.get("/v3/api-docs").statusCode()).isEqualTo(200);
        assertThat(user.get("/actuator/health").statusCode()).isEqualTo(403);
        assertThat(new TestHttp(port).get("/actuator/health").statusCode()).isEqualTo(200);
    }

    private UUID newTenant(Long datasetBytes) {
        return management.createTenant(SecurityTest.OPERATOR, "t-" + UUID.randomUUID(), datasetBytes, null).id();
    }

    private long datasetsOf(UUID tenant) {
        return jdbc.queryForObject("select count(*) from datasets where tenant_id = ?", Long.class, tenant);
    }

    private static HttpResponse<String> uploadDataset(TestHttp http, int rows) {
        return http.send(SecurityTest.parityUpload(http.request("/api/v1/datasets"), rows).build());
    }

    private String newKey(Long datasetBytes, Integer runningJobs) {
        UUID tenant = management
            .createTenant(SecurityTest.OPERATOR, "t-" + UUID.randomUUID(), datasetBytes, runningJobs)
            .id();
        return management.issueKey(SecurityTest.OPERATOR, tenant, "k", Role.USER).key();
    }

    private HttpResponse<String> preflight(String origin) {
        TestHttp http = new TestHttp(port, null);
        return http.send(http.request("/api/v1/keys")
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "DELETE")
            .header("Access-Control-Request-Headers", "x-api-key")
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .build());
    }

    private static HttpResponse<String> upload(TestHttp http) {
        return http.send(http.request("/api/v1/probe/uploads").POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private static HttpResponse<String> store(TestHttp http, long storedBytes, long incomingBytes) {
        return http.send(http.request("/api/v1/probe/datasets?stored=" + storedBytes + "&incoming=" + incomingBytes)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build());
    }

    private static HttpResponse<String> startJob(TestHttp http, int running) {
        return http.send(http.request("/api/v1/probe/jobs?running=" + running)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build());
    }

    /**
     * Stand-ins for the uploads and job starts of other modules, counting what they did.
     */
    @TestConfiguration(proxyBeanMethods = false)
    @RestController
    static class Probes {

        final AtomicInteger uploads = new AtomicInteger();

        final AtomicInteger stored = new AtomicInteger();

        private final QuotaService quotas;

        private final TransactionTemplate tx;

        Probes(QuotaService quotas, TransactionTemplate tx) {
            this.quotas = quotas;
            this.tx = tx;
        }

        @PostMapping("/api/v1/probe/uploads")
        void upload() {
            uploads.incrementAndGet();
        }

        @PostMapping("/api/v1/probe/datasets")
        void store(@RequestParam long stored, @RequestParam long incoming) {
            UUID tenant = CurrentTenant.id();
            tx.executeWithoutResult(status -> quotas.checkDatasetBytes(tenant, () -> stored, incoming));
            this.stored.incrementAndGet();
        }

        @PostMapping("/api/v1/probe/jobs")
        void startJob(@RequestParam int running) {
            UUID tenant = CurrentTenant.id();
            tx.executeWithoutResult(status -> quotas.checkRunningJobs(tenant, () -> running));
        }

    }

}
