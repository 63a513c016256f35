package dev.trainyard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.trainyard.TestHttp;
import dev.trainyard.client.api.DatasetsApi;
import dev.trainyard.client.api.ModelsApi;
import dev.trainyard.client.api.PredictionsApi;
import dev.trainyard.client.api.TrainingJobsApi;
import dev.trainyard.client.model.DatasetView;
import dev.trainyard.client.model.DenseLayer;
import dev.trainyard.client.model.HeNormalInit;
import dev.trainyard.client.model.JobModel;
import dev.trainyard.client.model.JobSpec;
import dev.trainyard.client.model.JobTraining;
import dev.trainyard.client.model.JobView;
import dev.trainyard.client.model.ModelPrediction;
import dev.trainyard.client.model.ModelView;
import dev.trainyard.client.model.PredictionRequest;
import dev.trainyard.client.model.Problem;
import dev.trainyard.client.model.ReluLayer;
import dev.trainyard.client.model.SgdOptimizer;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.RestClientResponseException;
import tools.jackson.databind.JsonNode;

/**
 * The Java client generated from the committed OpenAPI snapshot (the build writes it to
 * {@code target/generated-sources/trainyard-client}), against the running application: a
 * dataset is uploaded as multipart, a job trained and polled, its model read and asked
 * for predictions, and the answers compared with what a plain HTTP call gets.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GeneratedClientTest {

    private static final Set<JobView.StatusEnum> FINISHED = Set.of(JobView.StatusEnum.SUCCEEDED,
            JobView.StatusEnum.FAILED, JobView.StatusEnum.CANCELLED);

    @LocalServerPort
    int port;

    @TempDir
    Path dir;

    ApiClient client(String apiKey) {
        ApiClient client = new ApiClient();
        client.setBasePath("http://localhost:" + this.port);
        if (apiKey != null) {
            client.setApiKey(apiKey);
        }
        return client;
    }

    /**
     * Two Gaussian blobs in the plane, centred at (-2, -2) and (2, 2) with std 0.5, as
     * CSV with a header {@code x,y,label}.
     */
    static String blobsCsv(int perClass, long seed) {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("x,y,label\n");
        for (int i = 0; i < perClass; i++) {
            for (int c = 0; c < 2; c++) {
                double centre = (c == 0) ? -2 : 2;
                csv.append(String.format(Locale.ROOT, "%.5f,%.5f,%s%n", centre + 0.5 * random.nextGaussian(),
                        centre + 0.5 * random.nextGaussian(), (c == 0) ? "low" : "high"));
            }
        }
        return csv.toString();
    }

    @Test
    void uploadsTrainsAndPredictsThroughTheGeneratedClient() throws IOException, InterruptedException {
        ApiClient client = client(TestHttp.ADMIN_KEY);
        Path csv = Files.writeString(this.dir.resolve("blobs.csv"), blobsCsv(60, 3));

        DatasetView dataset = new DatasetsApi(client).upload("blobs", "csv", null, null, null, null, csv.toFile(), null,
                null);

        assertThat(dataset.getExamples()).isEqualTo(120);
        assertThat(dataset.getFormat()).isEqualTo("csv");
        assertThat(dataset.getClasses()).containsExactlyInAnyOrder("low", "high");

        JobSpec spec = new JobSpec().name("client-mlp")
            .datasetId(dataset.getId())
            .seed(7L)
            .model(new JobModel().init(new HeNormalInit())
                .addLayersItem(new DenseLayer().units(8))
                .addLayersItem(new ReluLayer())
                .addLayersItem(new DenseLayer().units(2)))
            .training(new JobTraining().epochs(3).batchSize(16).optimizer(new SgdOptimizer().learningRate(0.1)));
        TrainingJobsApi jobs = new TrainingJobsApi(client);
        // submit answers 200 (a dry run's model summary) or 202 (the job); the generated
        // method reads the first, so the job is read from the response spec
        JobView submitted = jobs.submitWithResponseSpec(spec, null, null).body(JobView.class);
        assertThat(submitted.getStatus()).isIn(JobView.StatusEnum.QUEUED, JobView.StatusEnum.RUNNING);
        assertThat(submitted.getSpec().getTraining().getOptimizer()).isInstanceOf(SgdOptimizer.class);

        JobView job = awaitFinished(jobs, submitted.getId(), Duration.ofSeconds(60));
        assertThat(job.getStatus()).as("%s", job.getError()).isEqualTo(JobView.StatusEnum.SUCCEEDED);
        assertThat(job.getModelIds()).hasSize(1);

        ModelView model = new ModelsApi(client).getModel(job.getModelIds().getFirst());
        assertThat(model.getJobId()).isEqualTo(job.getId());
        assertThat(model.getClasses()).containsExactlyInAnyOrderElementsOf(dataset.getClasses());
        assertThat(model.getFeatureShape()).containsExactly(2);

        List<List<Double>> instances = List.of(List.of(-2.1, -1.9), List.of(2.2, 1.8), List.of(0.3, -0.1));
        ModelPrediction prediction = new PredictionsApi(client).predict(model.getId(),
                new PredictionRequest().instances(instances));

        assertThat(prediction.getModelId()).isEqualTo(model.getId());
        assertThat(prediction.getPredictions()).hasSize(3);
        assertThat(prediction.getPredictions().get(0).getLabel()).isEqualTo("low");
        assertThat(prediction.getPredictions().get(1).getLabel()).isEqualTo("high");
        JsonNode plain = plainPrediction(model.getId(), "{\"instances\": [[-2.1, -1.9], [2.2, 1.8], [0.3, -0.1]]}");
        assertThat(prediction.getClasses()).isEqualTo(strings(plain.path("classes")));
        for (int i = 0; i < instances.size(); i++) {
            JsonNode expected = plain.path("predictions").get(i);
            assertThat(prediction.getPredictions().get(i).getLabel()).isEqualTo(expected.path("label").asString());
            assertThat(prediction.getPredictions().get(i).getProbabilities())
                .isEqualTo(floats(expected.path("probabilities")));
        }
    }

    @Test
    void anErrorAnswerIsAnExceptionWithTheStatusAndTheProblem() {
        UUID unknown = UUID.randomUUID();
        PredictionRequest request = new PredictionRequest().instances(List.of(List.of(1.0, 2.0)));

        RestClientResponseException notFound = catchThrowableOfType(RestClientResponseException.class,
                () -> new PredictionsApi(client(TestHttp.ADMIN_KEY)).predict(unknown, request));

        assertThat(notFound.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(notFound.getResponseHeaders().getContentType()).hasToString("application/problem+json");
        Problem problem = notFound.getResponseBodyAs(Problem.class);
        JsonNode plain = plainProblem(unknown, "{\"instances\": [[1.0, 2.0]]}");
        assertThat(problem.getStatus()).isEqualTo(404);
        assertThat(problem.getTitle()).isEqualTo("Model not found").isEqualTo(plain.path("title").asString());
        assertThat(problem.getDetail()).isNotEmpty().isEqualTo(plain.path("detail").asString());
        assertThat(problem.getInstance()).isEqualTo("/api/v1/models/" + unknown + "/predictions");

        RestClientResponseException unauthorized = catchThrowableOfType(RestClientResponseException.class,
                () -> new ModelsApi(client(null)).getModel(unknown));

        assertThat(unauthorized.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(unauthorized.getResponseBodyAs(Problem.class).getStatus()).isEqualTo(401);
    }

    private JobView awaitFinished(TrainingJobsApi jobs, UUID id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JobView job = jobs.getJob(id);
        while (!FINISHED.contains(job.getStatus())) {
            assertThat(System.nanoTime()).as("job %s did not finish in %s: %s", id, timeout, job).isLessThan(deadline);
            Thread.sleep(50);
            job = jobs.getJob(id);
        }
        return job;
    }

    private JsonNode plainPrediction(UUID model, String body) {
        HttpResponse<String> response = postPrediction(model, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHttp.json(response);
    }

    private JsonNode plainProblem(UUID model, String body) {
        HttpResponse<String> response = postPrediction(model, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
        return TestHttp.json(response);
    }

    private HttpResponse<String> postPrediction(UUID model, String body) {
        TestHttp http = new TestHttp(this.port);
        return http.send(http.request("/api/v1/models/" + model + "/predictions")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach((value) -> values.add(value.asString()));
        return values;
    }

    private static List<Float> floats(JsonNode array) {
        List<Float> values = new ArrayList<>();
        array.forEach((value) -> values.add((float) value.asDouble()));
        return values;
    }

}
