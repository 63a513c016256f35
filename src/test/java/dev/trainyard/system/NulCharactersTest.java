package dev.trainyard.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.Multipart;
import dev.trainyard.TestHttp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A NUL character (U+0000) in a name is refused with 400 or 422 at the door, on H2 and on
 * PostgreSQL (whose text cannot hold it, so it used to fail at the database with 500),
 * and nothing is stored.
 */
class NulCharactersTest {

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class OnH2 extends Checks {

    }

    @Nested
    @PostgresTest
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    class OnPostgres extends Checks {

    }

    abstract static class Checks {

        static final String CSV = "x,y,label\n0,1,a\n1,0,b\n0,0,a\n1,1,b\n";

        @LocalServerPort
        int port;

        TestHttp http() {
            return new TestHttp(this.port);
        }

        HttpResponse<String> upload(String name, String csv) {
            Multipart multipart = new Multipart().field("format", "csv")
                .file("file", "nul.csv", "text/csv", csv.getBytes(StandardCharsets.UTF_8));
            if (name != null) {
                multipart.field("name", name);
            }
            return http().send(multipart.post(http().request("/api/v1/datasets")).build());
        }

        HttpResponse<String> postJson(String path, String body) {
            return http().send(http().request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
        }

        long datasets() {
            return TestHttp.json(http().get("/api/v1/datasets?size=100")).path("totalItems").asLong();
        }

        @Test
        void aDatasetNameOrClassWithNulIsRefusedAndNothingIsStored() {
            long before = datasets();
            HttpResponse<String> named = upload("bad\u0000name", CSV);
            assertThat(named.statusCode()).as(named.body()).isEqualTo(400);
            assertThat(TestHttp.contentType(named)).startsWith("application/problem+json");
            assertThat(named.body()).contains("NUL").doesNotContainIgnoringCase("sql");

            HttpResponse<String> labelled = upload("fine", CSV.replace(",a\n", ",a\u0000z\n"));
            assertThat(labelled.statusCode()).as(labelled.body()).isEqualTo(422);
            assertThat(labelled.body()).contains("NUL");
            assertThat(datasets()).isEqualTo(before);

            assertThat(upload("fine", CSV).statusCode()).isEqualTo(201);
        }

        @Test
        void aJsonStringWithNulIsRefusedWithItsPointer() {
            HttpResponse<String> dataset = upload("for-jobs", CSV);
            String id = TestHttp.json(dataset).path("id").asString();
            String spec = """
                    {"name": "bad\\u0000job", "datasetId": "%s",
                     "model": {"layers": [{"type": "dense", "units": 2}]}, "training": {"epochs": 1}}""".formatted(id);
            HttpResponse<String> job = postJson("/api/v1/jobs", spec);
            assertThat(job.statusCode()).as(job.body()).isEqualTo(400);
            JsonNode error = TestHttp.json(job).path("errors").path(0);
            assertThat(error.path("pointer").asString()).isEqualTo("#/name");
            assertThat(error.path("detail").asString()).contains("NUL");

            HttpResponse<String> ensemble = postJson("/api/v1/ensembles",
                    "{\"name\": \"e\\u0000\", \"modelIds\": [\"" + UUID.randomUUID() + "\"]}");
            assertThat(ensemble.statusCode()).as(ensemble.body()).isEqualTo(400);
            assertThat(TestHttp.json(ensemble).path("pointer").asString()).isEqualTo("#/name");
            assertThat(TestHttp.json(ensemble).path("detail").asString()).contains("NUL");
        }

    }

}
