package dev.trainyard.dataset;

import static dev.trainyard.dataset.internal.TestData.idxImages;
import static dev.trainyard.dataset.internal.TestData.idxLabels;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.Multipart;
import dev.trainyard.TestHttp;
import dev.trainyard.system.PostgresTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/datasets/{id}/examples} on H2 and PostgreSQL, with the settings of
 * {@link DatasetApiTest} (4 KiB chunks), so that small uploads span several chunks and
 * pages cross chunk boundaries, some of them inside an example.
 */
class DatasetExamplesApiTest {

    static final int CHUNK = DatasetApiTest.CHUNK;

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = { "trainyard.datasets.chunk-size=4KB", "trainyard.datasets.max-upload-size=2MB" })
    @Import(BlockingUsage.class)
    class OnH2 extends Checks {

    }

    @Nested
    @PostgresTest
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = { "trainyard.datasets.chunk-size=4KB", "trainyard.datasets.max-upload-size=2MB" })
    @Import(BlockingUsage.class)
    class OnPostgres extends Checks {

    }

    abstract class Checks {

        @LocalServerPort
        int port;

        @Autowired
        JdbcTemplate jdbc;

        TestHttp http() {
            return new TestHttp(port);
        }

        String upload(Multipart form) {
            HttpResponse<String> response = http().send(form.post(http().request("/api/v1/datasets")).build());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            return TestHttp.json(response).path("id").asString();
        }

        /** 1,500 rows (i, -i / 4, "even"/"odd"): 8 bytes each, 512 to a 4 KiB chunk. */
        String uploadCsv() {
            return upload(new Multipart().field("format", "csv")
                .file("file", "p.csv", DatasetApiTest.Checks.csv(1500).getBytes(StandardCharsets.UTF_8)));
        }

        JsonNode examples(String id, String query) {
            HttpResponse<String> response = http().get("/api/v1/datasets/" + id + "/examples" + query);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return TestHttp.json(response);
        }

        @Test
        void csvExamplesAcrossAChunkBoundaryAreTheUploadedValues() {
            String id = uploadCsv();
            JsonNode page = examples(id, "?offset=500&limit=20");

            assertThat(page.path("datasetId").asString()).isEqualTo(id);
            assertThat(page.path("offset").asInt()).isEqualTo(500);
            assertThat(page.path("limit").asInt()).isEqualTo(20);
            assertThat(page.path("total").asInt()).isEqualTo(1500);
            assertThat(page.path("featureShape").toString()).isEqualTo("[2]");
            assertThat(page.path("classes").toString()).isEqualTo("[\"even\",\"odd\"]");
            JsonNode items = page.path("examples");
            assertThat(items).hasSize(20);
            for (int k = 0; k < 20; k++) {
                int i = 500 + k;
                JsonNode example = items.get(k);
                assertThat(example.path("index").asInt()).isEqualTo(i);
                assertThat(example.path("label").asString()).isEqualTo(i % 2 == 0 ? "even" : "odd");
                assertThat(example.path("features").get(0).asDouble()).isEqualTo(i);
                assertThat(example.path("features").get(1).asDouble()).isEqualTo(-i / 4.0);
                assertThat(example.path("features")).hasSize(2);
            }
        }

        @Test
        void idxExamplesAreRawBytesEvenWhereAnImageSpansTwoChunks() {
            int n = 300;
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = i % 3 * 4; // classes "0", "4", "8"
            }
            byte[] images = idxImages(n, 5, 4);
            String id = upload(
                    new Multipart().file("images", "i.idx", images).file("labels", "l.idx", idxLabels(labels)));

            // 20 bytes an image: image 204 holds bytes 4080..4099, across the first
            // boundary of 4 KiB chunks
            JsonNode page = examples(id, "?offset=200&limit=10");
            assertThat(page.path("featureShape").toString()).isEqualTo("[1,5,4]");
            JsonNode items = page.path("examples");
            assertThat(items).hasSize(10);
            for (int k = 0; k < 10; k++) {
                int i = 200 + k;
                JsonNode features = items.get(k).path("features");
                assertThat(features).hasSize(20);
                for (int j = 0; j < 20; j++) {
                    int expected = images[16 + i * 20 + j] & 0xff;
                    assertThat(features.get(j).isInt()).isTrue();
                    assertThat(features.get(j).asInt()).as("example %d value %d", i, j).isEqualTo(expected);
                }
                assertThat(items.get(k).path("label").asString()).isEqualTo(String.valueOf(labels[i]));
            }
        }

        @Test
        void readsOnlyTheChunksThatHoldThePage() {
            String id = uploadCsv();
            // the rows 512..1023 live in feature chunk 1 alone: drop chunk 2 (chunk 0
            // stays: its length tells the chunk size the dataset was written with)
            jdbc.update("delete from dataset_chunks where dataset_id = ? and kind = 'features' and seq = 2",
                    UUID.fromString(id));

            JsonNode page = examples(id, "?offset=600&limit=100");
            assertThat(page.path("examples")).hasSize(100);
            assertThat(page.path("examples").get(99).path("features").get(0).asDouble()).isEqualTo(699);

            HttpResponse<String> outside = http().get("/api/v1/datasets/" + id + "/examples?offset=1100&limit=1");
            assertThat(outside.statusCode()).isEqualTo(500);
        }

        @Test
        void pagesEndAtTheLastExampleAndPastItAreEmpty() {
            String id = uploadCsv();
            JsonNode defaults = examples(id, "");
            assertThat(defaults.path("offset").asInt()).isZero();
            assertThat(defaults.path("limit").asInt()).isEqualTo(20);
            assertThat(defaults.path("examples")).hasSize(20);

            JsonNode tail = examples(id, "?offset=1490&limit=100");
            assertThat(tail.path("examples")).hasSize(10);
            assertThat(tail.path("examples").get(9).path("index").asInt()).isEqualTo(1499);

            JsonNode past = examples(id, "?offset=5000&limit=5");
            assertThat(past.path("examples")).isEmpty();
            assertThat(past.path("total").asInt()).isEqualTo(1500);
            assertThat(past.path("offset").asInt()).isEqualTo(5000);
        }

        @Test
        void badParametersAre400ProblemsNamingTheParameter() {
            String id = uploadCsv();
            assertBadParameter(id, "?offset=-1", "offset");
            assertBadParameter(id, "?limit=0", "limit");
            assertBadParameter(id, "?limit=-5", "limit");
            assertBadParameter(id, "?limit=101", "limit");
            HttpResponse<String> notANumber = http().get("/api/v1/datasets/" + id + "/examples?limit=many");
            assertThat(notANumber.statusCode()).isEqualTo(400);
            assertThat(TestHttp.contentType(notANumber)).startsWith("application/problem+json");
        }

        private void assertBadParameter(String id, String query, String parameter) {
            HttpResponse<String> response = http().get("/api/v1/datasets/" + id + "/examples" + query);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(TestHttp.contentType(response)).startsWith("application/problem+json");
            assertThat(TestHttp.json(response).path("parameter").asString()).isEqualTo(parameter);
        }

        @Test
        void anotherTenantsDatasetIsNotFound() {
            String id = uploadCsv();
            TestHttp other = http().withKey(newTenantKey());

            HttpResponse<String> response = other.get("/api/v1/datasets/" + id + "/examples");
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(TestHttp.json(response).path("title").asString()).isEqualTo("Dataset not found");
            assertThat(http().get("/api/v1/datasets/" + UUID.randomUUID() + "/examples").statusCode()).isEqualTo(404);
        }

        private String newTenantKey() {
            String name = "other-" + UUID.randomUUID().toString().substring(0, 8);
            JsonNode tenant = TestHttp.json(post("/api/v1/tenants", "{\"name\": \"" + name + "\"}"));
            JsonNode key = TestHttp.json(post("/api/v1/tenants/" + tenant.path("id").asString() + "/keys",
                    "{\"name\": \"k\", \"role\": \"admin\"}"));
            return key.path("key").asString();
        }

        private HttpResponse<String> post(String path, String json) {
            return http().send(http().request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
        }

    }

}
