package dev.trainyard.prediction;

import dev.trainyard.prediction.internal.Predictor;
import dev.trainyard.prediction.internal.RequestReader;
import dev.trainyard.security.CurrentTenant;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/ensembles}: create, describe and predict with ensembles of models. */
@RestController
@RequestMapping("/api/v1/ensembles")
@Tag(name = "Ensembles", description = "Probability-averaging and voting ensembles of models")
class EnsembleController {

    private static final String PROBLEM = PredictionController.PROBLEM;

    private final EnsembleService ensembles;

    private final Predictor predictor;

    private final RequestReader reader;

    EnsembleController(EnsembleService ensembles, Predictor predictor, RequestReader reader) {
        this.ensembles = ensembles;
        this.predictor = predictor;
        this.reader = reader;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "createEnsemble", summary = "Create an ensemble",
            description = "Members: the tenant's models with the same classes and feature shape. With "
                    + "testDatasetId, the ensemble and each member are evaluated on that dataset.")
    @ApiResponse(responseCode = "201", description = "Created; Location names the new ensemble")
    @ApiResponse(responseCode = "422",
            description = "A model is unknown, or the members differ in classes or feature shape, or bad weights",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<EnsembleView> create(@RequestBody CreateEnsembleRequest request) {
        EnsembleView created = ensembles.createView(CurrentTenant.id(), request.name(), request.modelIds(),
                request.weights(), request.testDatasetId());
        return ResponseEntity.created(URI.create("/api/v1/ensembles/" + created.id())).body(created);
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getEnsemble", summary = "Describe an ensemble")
    @ApiResponse(responseCode = "200", description = "The ensemble with its test metrics")
    @ApiResponse(responseCode = "404", description = "No such ensemble for this tenant",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    EnsembleView get(@PathVariable UUID id) {
        return ensembles.get(CurrentTenant.id(), id);
    }

    @PostMapping(path = "/{id}/predictions", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "predictWithEnsemble", summary = "Predict with an ensemble",
            description = "method average (default; weighted if the ensemble has weights) or vote (ties broken "
                    + "by the averaged probability); reports agreement, entropy and every member's label. "
                    + "mcDropoutSamples T > 0: T stochastic passes per member, std per class.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = EnsemblePredictionRequest.class)))
    @ApiResponse(responseCode = "200", description = "One prediction per instance, in order")
    @ApiResponse(responseCode = "400", description = "No instances, unknown method or a malformed body",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No such ensemble for this tenant",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "413", description = "More instances than trainyard.prediction.max-instances",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "Wrong feature count (expected and actual), NaN or infinity",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    EnsemblePrediction predict(@PathVariable UUID id, @RequestBody byte[] body) {
        UUID tenant = CurrentTenant.id();
        EnsembleView ensemble = ensembles.get(tenant, id);
        RequestReader.Prediction request = reader.readEnsemblePrediction(body);
        return predictor.predict(tenant, ensemble, request.instances(), request.method(), request.mcDropoutSamples(),
                request.seed());
    }

}
