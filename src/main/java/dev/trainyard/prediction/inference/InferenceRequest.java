package dev.trainyard.prediction.inference;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The Open Inference Protocol's inference request, as documentation of the body that
 * {@link InferenceRequestReader} reads.
 *
 * @param id returned in the response as is
 * @param parameters strings, numbers and booleans; unknown ones are ignored
 * @param inputs exactly one tensor
 * @param outputs the outputs to answer ({@code probabilities}, {@code label}); all when
 * absent
 */
@Schema(name = "InferenceRequest")
record InferenceRequest(String id, Map<String, Object> parameters,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Input> inputs, List<Output> outputs) {

    /**
     * @param shape {@code [batch, features...]}
     * @param datatype FP32 or UINT8
     * @param data the values, flat in row-major order or nested as the shape
     */
    @Schema(name = "InferenceRequestInput")
    record Input(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "input") String name,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "[2, 4]") List<Integer> shape,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {
                    "FP32", "UINT8" }) String datatype,
            Map<String, Object> parameters, @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                    example = "[1, 2, 3, 4, 0.5, -1, 2, 8]") List<Object> data){
    }

    @Schema(name = "InferenceRequestOutput")
    record Output(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {
            "probabilities", "label" }) String name, Map<String, Object> parameters){
    }

}
