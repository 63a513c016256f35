package dev.trainyard.prediction.inference;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The Open Inference Protocol's inference response.
 *
 * @param id the request's {@code id}, absent when it had none
 * @param outputs the requested outputs, or {@code probabilities} and {@code label}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InferenceResponse(@JsonProperty("model_name") String modelName,
        @JsonProperty("model_version") String modelVersion, String id, List<OutputTensor> outputs) {

    /**
     * One output tensor; {@code data} is flat, row-major.
     */
    @Schema(name = "InferenceResponseOutput")
    public record OutputTensor(String name, String datatype, List<Integer> shape, Object data) {
    }

}
