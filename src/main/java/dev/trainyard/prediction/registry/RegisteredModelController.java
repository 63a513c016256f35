package dev.trainyard.prediction.registry;

import dev.trainyard.prediction.EnsemblePrediction;
import dev.trainyard.prediction.EnsemblePredictionRequest;
import dev.trainyard.prediction.EnsembleService;
import dev.trainyard.prediction.ModelPrediction;
import dev.trainyard.prediction.PredictionRequest;
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
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/registered-models}: names with numbered versions and aliases, and
 * predictions by {@code name@alias} or by version, answered as {@code POST
 * /api/v1/models/{id}/predictions} (or the ensemble's) answers.
 */
@RestController
@RequestMapping("/api/v1/registered-models")
@Tag(name = "Registered models",
        description = "Names with numbered versions and movable aliases (champion, staging) for models and ensembles")
class RegisteredModelController {

    private static final String PROBLEM = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    private final RegisteredModelService registry;

    private final EnsembleService ensembles;

    private final Predictor predictor;

    private final RequestReader reader;

    RegisteredModelController(RegisteredModelService registry, EnsembleService ensembles, Predictor predictor,
            RequestReader reader) {
        this.registry = registry;
        this.ensembles = ensembles;
        this.predictor = predictor;
        this.reader = reader;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "createRegisteredModel", summary = "Create a registered model",
            description = "A name without versions yet.")
    @ApiResponse(responseCode = "201", description = "Created; Location names it")
    @ApiResponse(responseCode = "400", description = "A name that breaks the rules, or a description too long",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "The tenant already has a registered model of that name",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<RegisteredModelView> create(@RequestBody CreateRegisteredModelRequest request) {
        RegisteredModelView created = registry.create(CurrentTenant.id(), request);
        return ResponseEntity.created(URI.create("/api/v1/registered-models/" + created.name())).body(created);
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "listRegisteredModels", summary = "List registered models",
            description = "By name, a page at a time.")
    @ApiResponse(responseCode = "200", description = "One page")
    @ApiResponse(responseCode = "400", description = "A page below 0 or a size outside 1 to 100",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    RegisteredModelPage list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        return registry.list(CurrentTenant.id(), page, size);
    }

    @GetMapping(path = "/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getRegisteredModel", summary = "Describe a registered model",
            description = "With its versions and aliases.")
    @ApiResponse(responseCode = "200", description = "The registered model")
    @ApiResponse(responseCode = "404", description = "No such name for this tenant",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    RegisteredModelView get(@PathVariable String name) {
        return registry.get(CurrentTenant.id(), name);
    }

    @PostMapping(path = "/{name}/versions", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "addRegisteredModelVersion", summary = "Add a version",
            description = "The next number (1, 2, ...; never a gap or a repeat, also under concurrent calls), "
                    + "pointing at one of the tenant's models or ensembles.")
    @ApiResponse(responseCode = "201", description = "Created; Location names the version")
    @ApiResponse(responseCode = "400", description = "Neither or both of modelId and ensembleId",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404",
            description = "No such name, or no such model or ensemble for this tenant (pointer says which)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<RegisteredModelVersion> addVersion(@PathVariable String name,
            @RequestBody CreateVersionRequest request) {
        RegisteredModelVersion created = registry.addVersion(CurrentTenant.id(), name, request);
        return ResponseEntity
            .created(URI.create("/api/v1/registered-models/" + name + "/versions/" + created.version()))
            .body(created);
    }

    @GetMapping(path = "/{name}/versions/{version}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getRegisteredModelVersion", summary = "Describe a version")
    @ApiResponse(responseCode = "200", description = "The version")
    @ApiResponse(responseCode = "404", description = "No such name or version for this tenant",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    RegisteredModelVersion version(@PathVariable String name, @PathVariable int version) {
        return registry.version(CurrentTenant.id(), name, version);
    }

    @PutMapping(path = "/{name}/aliases/{alias}", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "setRegisteredModelAlias", summary = "Set or move an alias",
            description = "Points the alias at a version in one step: every request sees the old version or the new "
                    + "one. Predictions on every instance follow within 2 s (this instance at once). "
                    + "'latest' is reserved: it always names the highest version.")
    @ApiResponse(responseCode = "200", description = "The registered model with its aliases")
    @ApiResponse(responseCode = "400", description = "An alias that breaks the rules, or no version",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No such name, or no such version (pointer #/version)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    RegisteredModelView setAlias(@PathVariable String name, @PathVariable String alias,
            @RequestBody SetAliasRequest request) {
        return registry.setAlias(CurrentTenant.id(), name, alias, request);
    }

    @DeleteMapping(path = "/{name}/aliases/{alias}")
    @Operation(operationId = "deleteRegisteredModelAlias", summary = "Delete an alias")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "No such name or alias",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<Void> deleteAlias(@PathVariable String name, @PathVariable String alias) {
        registry.deleteAlias(CurrentTenant.id(), name, alias);
        return ResponseEntity.noContent().build();
    }

    @PostMapping(path = "/{name}@{alias}/predictions", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "predictByAlias", summary = "Predict with the version an alias names",
            description = "The same body and answer as POST /api/v1/models/{id}/predictions, or as "
                    + "POST /api/v1/ensembles/{id}/predictions when the version is an ensemble. The alias 'latest' "
                    + "names the highest version.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(oneOf = { PredictionRequest.class, EnsemblePredictionRequest.class })))
    @ApiResponse(responseCode = "200", description = "One prediction per instance, in order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(oneOf = { ModelPrediction.class, EnsemblePrediction.class })))
    @ApiResponse(responseCode = "400", description = "No instances, or a malformed body",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No such name or alias for this tenant",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "413", description = "More instances than trainyard.prediction.max-instances",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "Wrong feature count (expected and actual), NaN or infinity",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    Object predictByAlias(@PathVariable String name, @PathVariable String alias, @RequestBody byte[] body) {
        UUID tenant = CurrentTenant.id();
        return predict(tenant, registry.resolveAlias(tenant, name, alias), body);
    }

    @PostMapping(path = "/{name}/versions/{version}/predictions", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "predictByVersion", summary = "Predict with a version",
            description = "The same body and answer as POST /api/v1/models/{id}/predictions, or as "
                    + "POST /api/v1/ensembles/{id}/predictions when the version is an ensemble.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(oneOf = { PredictionRequest.class, EnsemblePredictionRequest.class })))
    @ApiResponse(responseCode = "200", description = "One prediction per instance, in order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(oneOf = { ModelPrediction.class, EnsemblePrediction.class })))
    @ApiResponse(responseCode = "400", description = "No instances, or a malformed body",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No such name or version for this tenant",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "413", description = "More instances than trainyard.prediction.max-instances",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "Wrong feature count (expected and actual), NaN or infinity",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    Object predictByVersion(@PathVariable String name, @PathVariable int version, @RequestBody byte[] body) {
        UUID tenant = CurrentTenant.id();
        return predict(tenant, registry.resolveVersion(tenant, name, version), body);
    }

    /** The model's or the ensemble's prediction path, unchanged. */
    private Object predict(UUID tenant, ServingTarget target, byte[] body) {
        if (target.isEnsemble()) {
            RequestReader.Prediction request = reader.readEnsemblePrediction(body);
            return predictor.predict(tenant, ensembles.get(tenant, target.ensembleId()), request.instances(),
                    request.method(), request.mcDropoutSamples(), request.seed());
        }
        RequestReader.Prediction request = reader.readPrediction(body);
        return predictor.predict(tenant, target.modelId(), request.instances(), request.mcDropoutSamples(),
                request.seed());
    }

}
