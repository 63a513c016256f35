package dev.trainyard.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a client generator reads from the committed OpenAPI snapshot (kept equal to the
 * served document by {@link OpenApiSnapshotTest}): operation ids become method names, so
 * each is unique without the numeric suffix springdoc adds to repeated method names
 * ({@code get_1}); a discriminator maps every member of its {@code oneOf}, else the
 * schema name ({@code SgdOptimizer}) would be the value a client sends.
 */
class OpenApiForClientsTest {

    private static final JsonNode DOCUMENT = JsonMapper.builder()
        .build()
        .readTree(OpenApiSnapshotTest.SNAPSHOT.toFile());

    @Test
    void operationIdsAreUniqueAndNamedByTheController() {
        List<String> ids = new ArrayList<>();
        DOCUMENT.path("paths")
            .forEach((pathItem) -> pathItem.forEach((operation) -> ids.add(operation.path("operationId").asString())));

        assertThat(ids).hasSizeGreaterThan(30).doesNotHaveDuplicates().allSatisfy((id) -> {
            assertThat(id).as("operation id").isNotEmpty();
            assertThat(id).as("springdoc's suffix for a repeated method name").doesNotMatch(".*_\\d+");
        });
    }

    @Test
    void everyDiscriminatorMapsEveryMemberOfItsOneOf() {
        List<String> checked = new ArrayList<>();
        DOCUMENT.path("components").path("schemas").properties().forEach((entry) -> {
            JsonNode discriminator = entry.getValue().path("discriminator");
            if (discriminator.isMissingNode()) {
                return;
            }
            Set<String> members = new HashSet<>();
            entry.getValue().path("oneOf").forEach((member) -> members.add(member.path("$ref").asString()));
            Set<String> mapped = new HashSet<>();
            discriminator.path("mapping").forEach((ref) -> mapped.add(ref.asString()));
            assertThat(mapped).as("mapping of %s", entry.getKey()).isEqualTo(members);
            checked.add(entry.getKey());
        });
        assertThat(checked).contains("LayerConfig", "OptimizerConfig", "ScheduleConfig", "InitConfig",
                "AugmentationConfig");
    }

}
