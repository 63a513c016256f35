package dev.trainyard.prediction;

import dev.trainyard.prediction.internal.Predictor;
import dev.trainyard.prediction.internal.RequestReader;
import dev.trainyard.security.CurrentTenant;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/models/{id}/predictions}: classify instances with one model. */
@RestController
@Tag(name = "Predictions", description = "Class probabilities from a model or an ensemble")
class PredictionController {

    static final String PROBLEM = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    private final Predictor predictor;

    private final RequestReader reader;

    PredictionController(Predictor predictor, RequestReader reader) {
        this.predictor = predictor;
        this.reader = reader;
    }

    @PostMapping(path = "/api/v1/models/{id}/predictions", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Predict with a model",
            description = "Raw feature values in the dataset's original scale, each instance flattened row-major; "
                    + "the model's preprocessing is applied. All instances run as one forward pass. "
                    + "mcDropoutSamples T > 0 averages T passes with dropout active and adds std per class.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = PredictionRequest.class)))
    @ApiResponse(responseCode = "200", description = "One prediction per instance, in order")
    @ApiResponse(responseCode = "400", description = "No instances, or a malformed body",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No such model for this tenant",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "413", description = "More instances than trainyard.prediction.max-instances",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "Wrong feature count (expected and actual), NaN or infinity",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ModelPrediction predict(@PathVariable UUID id, @RequestBody byte[] body) {
        RequestReader.Prediction request = reader.readPrediction(body);
        return predictor.predict(CurrentTenant.id(), id, request.instances(), request.mcDropoutSamples(),
                request.seed());
    }

}
