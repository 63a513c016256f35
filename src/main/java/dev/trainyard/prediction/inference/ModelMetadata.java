package dev.trainyard.prediction.inference;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The Open Inference Protocol's model metadata.
 *
 * @param versions every version of the registered model, oldest first
 * @param platform {@code trainyard}
 * @param inputs one tensor: {@code [-1, features...]}, FP32 (UINT8 is accepted too)
 * @param outputs {@code probabilities} FP32 {@code [-1, classes]} and {@code label} BYTES
 * {@code [-1]}
 * @param parameters the version served ({@code version}), what it serves
 * ({@code model_id} or {@code ensemble_id}) and the order of the probabilities
 * ({@code classes}, a JSON array of strings)
 */
public record ModelMetadata(String name, List<String> versions, String platform, List<TensorMetadata> inputs,
        List<TensorMetadata> outputs, Map<String, Object> parameters) {

    /** A tensor's name, datatype and shape; -1 for a dimension of any size. */
    @Schema(name = "InferenceTensorMetadata")
    public record TensorMetadata(String name, String datatype, List<Integer> shape) {
    }

}
