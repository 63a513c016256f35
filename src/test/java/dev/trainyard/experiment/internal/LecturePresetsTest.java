package dev.trainyard.experiment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.dataset.DatasetView;
import dev.trainyard.experiment.ExperimentPreset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class LecturePresetsTest {

    private static final JsonMapper json = JsonMapper.builder().build();

    static DatasetView dataset(List<Integer> shape, int classes) {
        List<String> names = IntStream.range(0, classes).mapToObj(i -> "c" + i).toList();
        return new DatasetView(UUID.randomUUID(), "data", "idx", 100, shape, names, Map.of(), "", 0, Instant.now());
    }

    /**
     * Every layer list of a preset: the base spec's and each list-valued parameter value.
     */
    static List<JsonNode> layerLists(ExperimentPreset preset) {
        JsonNode request = json.valueToTree(preset.request());
        List<JsonNode> lists = new ArrayList<>(List.of(request.path("baseSpec").path("model").path("layers")));
        for (JsonNode p : request.path("parameters")) {
            if (p.path("path").asString().equals("/model/layers")) {
                p.path("values").forEach(lists::add);
            }
        }
        return lists;
    }

    @Test
    void colourImagesGetConvNetsEndingInOneUnitPerClass() {
        List<ExperimentPreset> presets = LecturePresets.of(json, dataset(List.of(3, 32, 32), 7), null);
        for (ExperimentPreset preset : presets) {
            for (JsonNode layers : layerLists(preset)) {
                JsonNode last = layers.get(layers.size() - 1);
                assertThat(last.path("type").asString()).isEqualTo("dense");
                assertThat(last.path("units").asInt()).as(preset.id()).isEqualTo(7);
            }
        }
        assertThat(json.valueToTree(presets.get(0).request()).toString()).contains("conv2d");
        // DropBlock on the 16x16 maps after the first pooling: blocks of a quarter side
        JsonNode regularizers = json.valueToTree(presets.get(4).request()).path("parameters").get(0).path("values");
        assertThat(regularizers.get(3).path("type").asString()).isEqualTo("drop_block");
        assertThat(regularizers.get(3).path("blockSize").asInt()).isEqualTo(4);
    }

    @Test
    void tinyImagesAndFlatExamplesGetPerceptrons() {
        for (List<Integer> shape : List.of(List.of(1, 4, 4), List.of(20))) {
            for (ExperimentPreset preset : LecturePresets.of(json, dataset(shape, 2), null)) {
                for (JsonNode layers : layerLists(preset)) {
                    assertThat(layers.toString()).doesNotContain("conv2d").doesNotContain("drop_block");
                    assertThat(layers.get(0).path("type").asString()).as(preset.id() + " " + shape)
                        .isEqualTo(shape.size() > 1 ? "flatten" : "dense");
                }
            }
        }
    }

}
