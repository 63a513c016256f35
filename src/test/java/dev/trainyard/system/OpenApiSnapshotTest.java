package dev.trainyard.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.trainyard.TestHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document the running application serves equals the committed snapshot, so
 * that every change to the HTTP API is deliberate and visible in review. After an
 * intended change, refresh the snapshot and commit it:
 *
 * <pre>./mvnw test -Dtest=OpenApiSnapshotTest -Dopenapi.snapshot.update=true</pre>
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiSnapshotTest {

    static final Path SNAPSHOT = Path.of("src/test/resources/openapi/openapi.json");
    static final Path ACTUAL = Path.of("target/openapi/openapi.json");

    private static final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @LocalServerPort
    int port;

    @Test
    void documentMatchesTheCommittedSnapshot() throws IOException {
        HttpResponse<String> response = new TestHttp(port).get("/v3/api-docs");
        assertThat(response.statusCode()).isEqualTo(200);
        String actual = normalise(response.body());

        if (Boolean.getBoolean("openapi.snapshot.update")) {
            Files.createDirectories(SNAPSHOT.getParent());
            Files.writeString(SNAPSHOT, actual, StandardCharsets.UTF_8);
            return;
        }
        Files.createDirectories(ACTUAL.getParent());
        Files.writeString(ACTUAL, actual, StandardCharsets.UTF_8);
        if (!Files.exists(SNAPSHOT)) {
            fail("No snapshot at " + SNAPSHOT + "; create it with"
                    + " ./mvnw test -Dtest=OpenApiSnapshotTest -Dopenapi.snapshot.update=true");
        }
        String expected = Files.readString(SNAPSHOT, StandardCharsets.UTF_8).replace("\r\n", "\n");
        if (!expected.equals(actual)) {
            fail("The OpenAPI document differs from " + SNAPSHOT + " (the served one is in " + ACTUAL
                    + "). If the change is intended, refresh the snapshot with"
                    + " ./mvnw test -Dtest=OpenApiSnapshotTest -Dopenapi.snapshot.update=true and commit it.\n"
                    + UnifiedDiff.of("snapshot", expected, "served", actual));
        }
    }

    /** Sorted keys, two-space indentation, no server URL (it names the random port). */
    static String normalise(String document) {
        Map<?, ?> tree = json.readValue(document, Map.class);
        tree.remove("servers");
        return json.writeValueAsString(sorted(tree)).replace("\r\n", "\n") + "\n";
    }

    private static Object sorted(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((key, value) -> sorted.put(String.valueOf(key), sorted(value)));
            return sorted;
        }
        if (node instanceof List<?> list) {
            List<Object> items = new ArrayList<>();
            list.forEach(item -> items.add(sorted(item)));
            return items;
        }
        return node;
    }

}
