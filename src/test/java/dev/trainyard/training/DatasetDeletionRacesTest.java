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
 * A dataset deleted while a job that trains on it is submitted, or while its examples are
 * read, on H2 and PostgreSQL, each order forced by pausing one request inside its
 * transaction ({@link SqlPauses}). The dataset's row lock decides between deletion and
 * submission, in the database, so it holds across instances: a submission holding it
 * makes the deletion wait and answer 409; a deletion holding it makes the submission wait
 * and answer 404. Never a job on a deleted dataset, never chunks without their dataset; a
 * read that loses its dataset halfway answers 404, not 500.
 */
class DatasetDeletionRacesTest {

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

        @Test
        void aDeletionWhileAJobOnTheDatasetIsSubmittedWaitsAndIsRefused() throws Exception {
            JobClient c = new JobClient(new TestHttp(port));
            String dataset = c.uploadBlobs(50, 11);
            // the submission has reserved the dataset and is about to store the job
            SqlPauses.Pause submitting = pauses.before("insert into training_jobs");
            CompletableFuture<HttpResponse<String>> submission = CompletableFuture
                .supplyAsync(() -> c.submit(JobClient.mlpSpec(dataset, 1, "")));
            submitting.awaitReached(Duration.ofSeconds(30));

            CompletableFuture<HttpResponse<String>> deletion = CompletableFuture.supplyAsync(() -> delete(c, dataset));
            Thread.sleep(HOLD_MILLIS);
            assertThat(deletion).as("the deletion waits for the dataset's lock").isNotDone();
            submitting.release();

            HttpResponse<String> submitted = submission.get(30, TimeUnit.SECONDS);
            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
            HttpResponse<String> deleted = deletion.get(30, TimeUnit.SECONDS);
            assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(409);
            assertThat(TestHttp.contentType(deleted)).startsWith("application/problem+json");
            assertThat(TestHttp.json(deleted).path("title").asString()).isEqualTo("Dataset in use");
            assertThat(c.http.get("/api/v1/datasets/" + dataset).statusCode()).isEqualTo(200);

            String job = TestHttp.json(submitted).path("id").asString();
            JsonNode finished = c.awaitJob(job, Duration.ofSeconds(60), j -> j.path("finishedAt").isString());
            assertThat(finished.path("status").asString()).as(finished.toString()).isEqualTo("SUCCEEDED");
        }

        @Test
        void aSubmissionWhileItsDatasetIsDeletedWaitsAndFindsNoDataset() throws Exception {
            JobClient c = new JobClient(new TestHttp(port));
            String dataset = c.uploadBlobs(50, 12);
            long jobsBefore = c.jobCount();
            // the deletion has locked the dataset, found no job using it and is about
            // to delete its content
            SqlPauses.Pause deleting = pauses.before("delete from dataset_chunks");
            CompletableFuture<HttpResponse<String>> deletion = CompletableFuture.supplyAsync(() -> delete(c, dataset));
            deleting.awaitReached(Duration.ofSeconds(30));

            CompletableFuture<HttpResponse<String>> submission = CompletableFuture
                .supplyAsync(() -> c.submit(JobClient.mlpSpec(dataset, 1, "")));
            Thread.sleep(HOLD_MILLIS);
            assertThat(submission).as("the submission waits for the dataset's lock").isNotDone();
            deleting.release();

            HttpResponse<String> deleted = deletion.get(30, TimeUnit.SECONDS);
            assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
            HttpResponse<String> submitted = submission.get(30, TimeUnit.SECONDS);
            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(404);
            assertThat(TestHttp.contentType(submitted)).startsWith("application/problem+json");
            assertThat(TestHttp.json(submitted).path("title").asString()).isEqualTo("Dataset not found");

            assertThat(c.jobCount()).isEqualTo(jobsBefore);
            UUID id = UUID.fromString(dataset);
            assertThat(count("SELECT COUNT(*) FROM training_jobs WHERE dataset_id = ?", id)).isZero();
            assertThat(count("SELECT COUNT(*) FROM datasets WHERE id = ?", id)).isZero();
            assertThat(count("SELECT COUNT(*) FROM dataset_chunks WHERE dataset_id = ?", id)).isZero();
            assertThat(count("SELECT COUNT(*) FROM dataset_classes WHERE dataset_id = ?", id)).isZero();
        }

        @Test
        void examplesReadWhileTheDatasetIsDeletedAnswer404() throws Exception {
            JobClient c = new JobClient(new TestHttp(port));
            String dataset = c.uploadBlobs(50, 13);
            // the read has found the dataset and is about to read its chunks
            SqlPauses.Pause reading = pauses.before("from dataset_chunks", "DatasetService.examples", 0);
            CompletableFuture<HttpResponse<String>> read = CompletableFuture
                .supplyAsync(() -> c.http.get("/api/v1/datasets/" + dataset + "/examples?limit=10"));
            reading.awaitReached(Duration.ofSeconds(30));

            HttpResponse<String> deleted = delete(c, dataset);
            assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
            reading.release();

            HttpResponse<String> answer = read.get(30, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(404);
            assertThat(TestHttp.contentType(answer)).startsWith("application/problem+json");
            assertThat(TestHttp.json(answer).path("title").asString()).isEqualTo("Dataset not found");
        }

        private long count(String sql, UUID id) {
            return jdbc.sql(sql).param(id).query(Long.class).single();
        }

        private static HttpResponse<String> delete(JobClient c, String dataset) {
            return c.http.send(c.http.request("/api/v1/datasets/" + dataset).DELETE().build());
        }

    }

}
