package dev.trainyard.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.TestHttp;
import dev.trainyard.system.PostgresTest;
import dev.trainyard.system.SqlPauseChecks;
import dev.trainyard.system.SqlPauses;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/**
 * A cancel request racing the end of a two-member job, on H2 and PostgreSQL, each
 * interleaving forced by pausing the worker at the point that matters
 * ({@link SqlPauses}). Whatever the order, the job ends either SUCCEEDED with both models
 * and its ensemble (and the cancel answers 409) or CANCELLED with no model of it
 * published (and the cancel answers 202): never CANCELLED with models, never stuck
 * RUNNING, never a 500.
 */
class CancelVersusCompletionTest {

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

    abstract static class Checks extends SqlPauseChecks {

        JobClient client() {
            return new JobClient(new TestHttp(port));
        }

        static String twoMembers(String dataset) {
            return JobClient.mlpSpec(dataset, 2, "")
                .replace("\"seed\": 7,", "\"seed\": 7, \"ensemble\": {\"members\": 2},");
        }

        @Test
        void aCancelArrivingWhileTheLastMemberPublishesWaitsAndFindsTheJobSucceeded() throws Exception {
            JobClient c = client();
            String dataset = c.uploadBlobs(100, 1);
            // the last member's completion holds the job's lock and is storing the
            // ensemble
            SqlPauses.Pause publishing = pauses.before("insert into ensembles", "JobCompletion.succeed", 0);
            String id = c.submitted(twoMembers(dataset));
            publishing.awaitReached(Duration.ofSeconds(60));

            CompletableFuture<HttpResponse<String>> cancel = CompletableFuture.supplyAsync(() -> c.cancel(id));
            Thread.sleep(HOLD_MILLIS);
            assertThat(cancel).as("the cancel waits for the job's lock").isNotDone();
            publishing.release();

            HttpResponse<String> answer = cancel.get(30, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(409);
            assertThat(TestHttp.contentType(answer)).startsWith("application/problem+json");
            assertThat(TestHttp.json(answer).path("detail").asString()).contains("is SUCCEEDED");
            JsonNode job = c.awaitJob(id, Duration.ofSeconds(30), j -> j.path("finishedAt").isString());
            assertThat(job.path("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(job.path("modelIds")).hasSize(2);
            for (JsonNode model : job.path("modelIds")) {
                assertThat(c.http.get("/api/v1/models/" + model.asString()).statusCode()).isEqualTo(200);
            }
            assertThat(c.http.get("/api/v1/ensembles/" + job.path("ensembleId").asString()).statusCode())
                .isEqualTo(200);
        }

        @Test
        void aCancelAcceptedJustBeforeTheLastMemberFinishesCancelsTheJobAndPublishesNoModel() throws Exception {
            JobClient c = client();
            String dataset = c.uploadBlobs(100, 2);
            // member 0 has finished; member 1 has trained and is about to lock its job
            SqlPauses.Pause finishing = pauses.before("for update", "JobCompletion.succeed", 1);
            String id = c.submitted(twoMembers(dataset));
            finishing.awaitReached(Duration.ofSeconds(60));

            HttpResponse<String> cancel = c.cancel(id);
            assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
            finishing.release();

            JsonNode job = c.awaitJob(id, Duration.ofSeconds(30), j -> j.path("finishedAt").isString());
            assertThat(job.path("status").asString()).as(job.toString()).isEqualTo("CANCELLED");
            assertNothingPublished(c, id, job);
        }

        @Test
        void aJobCancelledAfterOneMemberFinishedPublishesNoneOfItsModels() throws Exception {
            JobClient c = client();
            String dataset = c.uploadBlobs(100, 3);
            // member 0 has finished; member 1 is about to be taken up
            SqlPauses.Pause claiming = pauses.before("for update", "MemberClaims.claim", 1);
            String id = c.submitted(twoMembers(dataset));
            claiming.awaitReached(Duration.ofSeconds(60));
            assertThat(memberStatus(id, 0)).isEqualTo("SUCCEEDED");

            HttpResponse<String> cancel = c.cancel(id);
            assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
            claiming.release();

            JsonNode job = c.awaitJob(id, Duration.ofSeconds(30), j -> j.path("finishedAt").isString());
            assertThat(job.path("status").asString()).as(job.toString()).isEqualTo("CANCELLED");
            assertNothingPublished(c, id, job);
        }

        private void assertNothingPublished(JobClient c, String id, JsonNode job) {
            assertThat(job.path("modelIds")).as("models of a cancelled job").isEmpty();
            assertThat(job.path("ensembleId").isNull()).isTrue();
            JsonNode models = TestHttp.json(c.http.get("/api/v1/models?jobId=" + id));
            assertThat(models.path("totalItems").asLong()).isZero();
            assertThat(jdbc.sql("SELECT COUNT(*) FROM models WHERE job_id = ?")
                .param(UUID.fromString(id))
                .query(Long.class)
                .single()).isZero();
            assertThat(c.cancel(id).statusCode()).isEqualTo(409);
        }

        private String memberStatus(String id, int member) {
            return jdbc.sql("SELECT status FROM training_members WHERE job_id = ? AND member = ?")
                .params(UUID.fromString(id), member)
                .query(String.class)
                .single();
        }

    }

}
