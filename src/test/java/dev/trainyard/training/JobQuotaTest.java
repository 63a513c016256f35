package dev.trainyard.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.TestHttp;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The tenant's running-jobs quota is enforced when a job is submitted: queued jobs count,
 * since they will run; a refusal is 429 with {@code Retry-After} and stores nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "trainyard.security.quota.running-jobs=1")
class JobQuotaTest {

    @LocalServerPort
    int port;

    @Test
    void aSubmissionPastTheRunningJobsQuotaIs429AndStoresNothing() throws Exception {
        JobClient c = new JobClient(new TestHttp(port));
        String dataset = c.uploadBlobs(2000, 5);
        String running = c.submitted(JobClient.mlpSpec(dataset, 500, ""));
        long jobs = c.jobCount();

        HttpResponse<String> refused = c.submit(JobClient.mlpSpec(dataset, 1, ""));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type"))
            .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.body()).contains("Running jobs quota reached");
        assertThat(c.jobCount()).isEqualTo(jobs);

        assertThat(c.cancel(running).statusCode()).isEqualTo(202);
        c.awaitStatus(running, "CANCELLED", Duration.ofSeconds(30));
        HttpResponse<String> accepted = c.submit(JobClient.mlpSpec(dataset, 1, ""));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    }

}
