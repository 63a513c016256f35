package dev.trainyard.dataset;

import static dev.trainyard.dataset.internal.TestData.entries;
import static dev.trainyard.dataset.internal.TestData.gray;
import static dev.trainyard.dataset.internal.TestData.gzip;
import static dev.trainyard.dataset.internal.TestData.idxImages;
import static dev.trainyard.dataset.internal.TestData.idxLabels;
import static dev.trainyard.dataset.internal.TestData.png;
import static dev.trainyard.dataset.internal.TestData.zip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.Multipart;
import dev.trainyard.TestHttp;
import dev.trainyard.dataset.internal.Mutations;
import dev.trainyard.engine.data.Dataset;
import dev.trainyard.security.Tenants;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import dev.trainyard.system.PostgresTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The dataset API over HTTP, on the embedded H2 database and on PostgreSQL (bytea chunks,
 * the same migration, the same behaviour). Both run with
 * {@code trainyard.datasets.chunk-size=4KB} (so small uploads span many chunks) and
 * {@code trainyard.datasets.max-upload-size=2MB}.
 */
class DatasetApiTest {

    static final int CHUNK = 4096;

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

        @Autowired
        DatasetService datasets;

        @Autowired
        BlockingUsage usage;

        TestHttp http() {
            return new TestHttp(port);
        }

        HttpResponse<String> upload(Multipart form) {
            return http().send(form.post(http().request("/api/v1/datasets")).build());
        }

        /** A CSV of n rows: features (i, -i / 4), label "even" or "odd". */
        static String csv(int n) {
            StringBuilder sb = new StringBuilder("a,b,label\n");
            for (int i = 0; i < n; i++) {
                sb.append(i).append(',').append(-i / 4.0).append(',').append(i % 2 == 0 ? "even" : "odd").append('\n');
            }
            return sb.toString();
        }

        static String sha256(byte[]... parts) throws Exception {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return HexFormat.of().formatHex(digest.digest());
        }

        long rows(String table) {
            return jdbc.queryForObject("select count(*) from " + table, Long.class);
        }

        @Test
        void uploadsACsvAndDescribesIt() throws Exception {
            byte[] file = csv(1500).getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> response = upload(
                    new Multipart().field("name", "parity").field("format", "csv").file("file", "p.csv", file));

            assertThat(response.statusCode()).isEqualTo(201);
            JsonNode body = TestHttp.json(response);
            String id = body.path("id").asString();
            assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/datasets/" + id);
            assertThat(body.path("name").asString()).isEqualTo("parity");
            assertThat(body.path("format").asString()).isEqualTo("csv");
            assertThat(body.path("examples").asInt()).isEqualTo(1500);
            assertThat(body.path("featureShape").toString()).isEqualTo("[2]");
            assertThat(body.path("classes").toString()).isEqualTo("[\"even\",\"odd\"]");
            assertThat(body.path("classCounts").toString()).isEqualTo("{\"even\":750,\"odd\":750}");
            assertThat(body.path("sha256").asString()).isEqualTo(sha256(file));
            assertThat(body.path("sizeBytes").asLong()).isEqualTo(1500L * 2 * 4 + 1500L * 4);
            assertThat(Instant.parse(body.path("createdAt").asString())).isBefore(Instant.now().plusSeconds(1));

            HttpResponse<String> get = http().get("/api/v1/datasets/" + id);
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(TestHttp.json(get)).isEqualTo(body);

            // 12,000 feature bytes and 6,000 label bytes in chunks of at most 4 KiB
            UUID uuid = UUID.fromString(id);
            assertThat(
                    jdbc.queryForObject("select count(*) from dataset_chunks where dataset_id = ?", Long.class, uuid))
                .isEqualTo(3 + 2);
            assertThat(jdbc.queryForObject("select max(octet_length(data)) from dataset_chunks where dataset_id = ?",
                    Long.class, uuid))
                .isEqualTo(CHUNK);

            Dataset loaded = datasets.load(Tenants.DEFAULT_ID, uuid);
            assertThat(loaded.featureShape().dims()).containsExactly(2);
            assertThat(loaded.classes()).isEqualTo(2);
            assertThat(loaded.features().get(1499, 0)).isEqualTo(1499f);
            assertThat(loaded.features().get(1499, 1)).isEqualTo(-1499 / 4f);
            assertThat(loaded.labels()[1499]).isEqualTo(1);
        }

        @Test
        void detectsGzippedIdxAndLoadsItsPixels() throws Exception {
            int[] labels = new int[300];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = i % 3 * 4; // classes 0, 4, 8
            }
            byte[] images = gzip(idxImages(300, 5, 4));
            byte[] labelBytes = gzip(idxLabels(labels));
            HttpResponse<String> response = upload(new Multipart().file("images", "train-images-idx3-ubyte.gz", images)
                .file("labels", "train-labels-idx1-ubyte.gz", labelBytes));

            assertThat(response.statusCode()).isEqualTo(201);
            JsonNode body = TestHttp.json(response);
            assertThat(body.path("format").asString()).isEqualTo("idx");
            assertThat(body.path("name").asString()).isEqualTo("train-images-idx3-ubyte");
            assertThat(body.path("featureShape").toString()).isEqualTo("[1,5,4]");
            assertThat(body.path("classes").toString()).isEqualTo("[\"0\",\"4\",\"8\"]");
            assertThat(body.path("sha256").asString()).isEqualTo(sha256(images, labelBytes));
            assertThat(body.path("sizeBytes").asLong()).isEqualTo(300L * 20 + 300L * 4);

            Dataset loaded = datasets.load(Tenants.DEFAULT_ID, UUID.fromString(body.path("id").asString()));
            byte[] raw = idxImages(300, 5, 4);
            assertThat(loaded.features().get(299, 0, 4, 3)).isEqualTo((float) (raw[16 + 299 * 20 + 19] & 0xff));
            assertThat(loaded.labels()[299]).isEqualTo(2);
        }

        @Test
        void uploadsAZipOfImagesWithResize() {
            byte[] archive = zip(entries("digits/zero/a.png", png(gray(8, 8, 0)), "digits/one/b.png",
                    png(gray(4, 4, 100)), "digits/one/c.png", png(gray(8, 8, 50))));
            HttpResponse<String> response = upload(
                    new Multipart().field("name", "digits").field("resize", "4x4").file("file", "d.zip", archive));

            assertThat(response.statusCode()).isEqualTo(201);
            JsonNode body = TestHttp.json(response);
            assertThat(body.path("format").asString()).isEqualTo("images");
            assertThat(body.path("featureShape").toString()).isEqualTo("[1,4,4]");
            assertThat(body.path("classCounts").toString()).isEqualTo("{\"one\":2,\"zero\":1}");
        }

        @Test
        void listsNewestFirstInPages() {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = upload(new Multipart().field("name", "page-" + i)
                    .file("file", "p.csv", csv(4).getBytes(StandardCharsets.UTF_8)));
                ids.add(TestHttp.json(r).path("id").asString());
            }
            HttpResponse<String> response = http().get("/api/v1/datasets?page=0&size=2");

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode page = TestHttp.json(response);
            assertThat(page.path("page").asInt()).isZero();
            assertThat(page.path("size").asInt()).isEqualTo(2);
            assertThat(page.path("items").size()).isEqualTo(2);
            assertThat(page.path("totalItems").asLong()).isGreaterThanOrEqualTo(3);
            assertThat(page.path("totalPages").asInt()).isEqualTo((int) ((page.path("totalItems").asLong() + 1) / 2));
            assertThat(page.path("items").get(0).path("id").asString()).isEqualTo(ids.get(2));
            assertThat(page.path("items").get(1).path("id").asString()).isEqualTo(ids.get(1));

            HttpResponse<String> bad = http().get("/api/v1/datasets?size=1000");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(TestHttp.contentType(bad)).startsWith("application/problem+json");
        }

        @Test
        void deletesADatasetWithItsContentUnlessAJobUsesIt() {
            HttpResponse<String> created = upload(
                    new Multipart().file("file", "p.csv", csv(2000).getBytes(StandardCharsets.UTF_8)));
            UUID id = UUID.fromString(TestHttp.json(created).path("id").asString());

            usage.inUse.add(id);
            try {
                HttpResponse<String> refused = http().send(http().request("/api/v1/datasets/" + id).DELETE().build());
                assertThat(refused.statusCode()).isEqualTo(409);
                assertThat(TestHttp.json(refused).path("detail").asString()).contains("job 42 is RUNNING");
                assertThat(datasets.exists(Tenants.DEFAULT_ID, id)).isTrue();
            }
            finally {
                usage.inUse.remove(id);
            }

            HttpResponse<String> deleted = http().send(http().request("/api/v1/datasets/" + id).DELETE().build());
            assertThat(deleted.statusCode()).isEqualTo(204);
            assertThat(http().get("/api/v1/datasets/" + id).statusCode()).isEqualTo(404);
            assertThat(jdbc.queryForObject("select count(*) from dataset_chunks where dataset_id = ?", Long.class, id))
                .isZero();
            assertThat(jdbc.queryForObject("select count(*) from dataset_classes where dataset_id = ?", Long.class, id))
                .isZero();
            assertThat(http().send(http().request("/api/v1/datasets/" + id).DELETE().build()).statusCode())
                .isEqualTo(404);
        }

        @Test
        void aFailedUploadLeavesNoRowsEvenAfterChunksWereWritten() {
            // 4,000 good rows (32 KB of features, eight chunks) before a bad value
            // in the last row.
            String bad = csv(4000) + "1,oops,even\n";
            long datasets = rows("datasets");
            long chunks = rows("dataset_chunks");
            long classes = rows("dataset_classes");

            HttpResponse<String> response = upload(new Multipart().field("format", "csv")
                .file("file", "bad.csv", bad.getBytes(StandardCharsets.UTF_8)));

            assertThat(response.statusCode()).isEqualTo(422);
            assertThat(TestHttp.contentType(response)).startsWith("application/problem+json");
            JsonNode problem = TestHttp.json(response);
            assertThat(problem.path("title").asString()).isEqualTo("Non-numeric feature");
            assertThat(problem.path("part").asString()).isEqualTo("file");
            assertThat(problem.path("row").asLong()).isEqualTo(4002);
            assertThat(problem.path("column").asInt()).isEqualTo(1);
            assertThat(problem.path("columnName").asString()).isEqualTo("b");
            assertThat(rows("datasets")).isEqualTo(datasets);
            assertThat(rows("dataset_chunks")).isEqualTo(chunks);
            assertThat(rows("dataset_classes")).isEqualTo(classes);
        }

        @Test
        void requestErrorsAre400AndNamedThePart() {
            HttpResponse<String> noFile = upload(new Multipart().field("name", "x"));
            assertThat(noFile.statusCode()).isEqualTo(400);
            assertThat(TestHttp.json(noFile).path("part").asString()).isEqualTo("file");

            HttpResponse<String> idxWithoutLabels = upload(
                    new Multipart().file("images", "i.gz", gzip(idxImages(2, 2, 2))));
            assertThat(idxWithoutLabels.statusCode()).isEqualTo(400);
            assertThat(TestHttp.json(idxWithoutLabels).path("part").asString()).isEqualTo("labels");

            HttpResponse<String> unknown = upload(
                    new Multipart().field("format", "parquet").file("file", "x", new byte[] { 1 }));
            assertThat(unknown.statusCode()).isEqualTo(400);
            assertThat(TestHttp.json(unknown).path("part").asString()).isEqualTo("format");

            HttpResponse<String> delimiter = upload(new Multipart().field("delimiter", "|")
                .file("file", "x.csv", csv(3).getBytes(StandardCharsets.UTF_8)));
            assertThat(delimiter.statusCode()).isEqualTo(400);
        }

        @Test
        void singleClassAndEmptyFilesAre422() {
            HttpResponse<String> single = upload(
                    new Multipart().file("file", "s.csv", "a,label\n1,x\n2,x\n".getBytes()));
            assertThat(single.statusCode()).isEqualTo(422);
            assertThat(TestHttp.json(single).path("title").asString()).isEqualTo("Single class");

            HttpResponse<String> empty = upload(new Multipart().file("file", "e.csv", new byte[0]));
            assertThat(empty.statusCode()).isEqualTo(422);
            assertThat(TestHttp.json(empty).path("title").asString()).isEqualTo("Empty dataset");
        }

        @Test
        void uploadsAboveTheLimitAre413() {
            byte[] big = new byte[3 * 1024 * 1024];
            HttpResponse<String> response = upload(new Multipart().file("file", "big.csv", big));
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(TestHttp.contentType(response)).startsWith("application/problem+json");
        }

        @Test
        void damagedUploadsAnswer4xxAndLeaveNoRows() {
            byte[] csv = csv(50).getBytes(StandardCharsets.UTF_8);
            byte[] images = gzip(idxImages(20, 3, 3));
            byte[] labels = idxLabels(0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1);
            byte[] archive = zip(entries("a/1.png", png(gray(3, 3, 0)), "b/1.png", png(gray(3, 3, 9))));
            Random random = new Random(20261127);
            for (int i = 0; i < 24; i++) {
                long datasets = rows("datasets");
                long chunks = rows("dataset_chunks");
                Multipart form = switch (i % 3) {
                    case 0 -> new Multipart().file("file", "d.csv", Mutations.mutate(csv, random));
                    case 1 -> new Multipart().file("images", "i.gz", Mutations.mutate(images, random))
                        .file("labels", "l", labels);
                    default -> new Multipart().file("file", "d.zip", Mutations.mutate(archive, random));
                };
                HttpResponse<String> response = upload(form);
                if (response.statusCode() == 201) {
                    String id = TestHttp.json(response).path("id").asString();
                    http().send(http().request("/api/v1/datasets/" + id).DELETE().build());
                    continue;
                }
                assertThat(response.statusCode()).as("upload %d: %s", i, response.body()).isBetween(400, 499);
                assertThat(TestHttp.contentType(response)).startsWith("application/problem+json");
                assertThat(TestHttp.json(response).path("part").asString()).isIn("file", "images", "labels");
                assertThat(rows("datasets")).isEqualTo(datasets);
                assertThat(rows("dataset_chunks")).isEqualTo(chunks);
            }
        }

        @Test
        void unknownDatasetsAre404Problems() {
            HttpResponse<String> response = http().get("/api/v1/datasets/" + UUID.randomUUID());
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(TestHttp.json(response).path("title").asString()).isEqualTo("Dataset not found");
        }

    }

}
