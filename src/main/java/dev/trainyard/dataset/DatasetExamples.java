package dev.trainyard.dataset;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.UUID;

/**
 * A page of a dataset's examples in stored order ({@code GET /datasets/{id}/examples}).
 *
 * @param offset index of the first example asked for
 * @param limit most examples asked for
 * @param total examples in the dataset; {@code examples} is empty when {@code offset}
 * reaches it
 * @param featureShape shape of one example, as in {@link DatasetView}
 * @param classes class names, as in {@link DatasetView}
 */
public record DatasetExamples(UUID datasetId, int offset, int limit, int total, List<Integer> featureShape,
        List<String> classes, List<Example> examples) {

    /**
     * @param index position in the dataset, from 0
     * @param label the example's class name (null for an example without one)
     * @param features the values as stored, row-major over {@code featureShape}: 0..255
     * for IDX and images (uint8), the parsed numbers for CSV (float32); no preprocessing
     */
    @Schema(name = "DatasetExample")
    public record Example(int index, String label, List<Number> features) {
    }

}
