package dev.trainyard.model;

import dev.trainyard.model.internal.ModelExporter;
import dev.trainyard.model.internal.ModelImporter;
import dev.trainyard.security.CurrentTenant;
import dev.trainyard.system.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** {@code /api/v1/models}: list, describe, delete, export and import models. */
@RestController
@RequestMapping("/api/v1/models")
@Tag(name = "Models", description = "Trained and imported models: provenance, metrics, export and import")
class ModelController {

    private static final String PROBLEM = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    private final ModelService registry;

    private final ModelExporter exporter;

    private final ModelImporter importer;

    ModelController(ModelService registry, ModelExporter exporter, ModelImporter importer) {
        this.registry = registry;
        this.exporter = exporter;
        this.importer = importer;
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "listModels", summary = "List models",
            description = "The tenant's models, newest first; optionally of one job")
    @ApiResponse(responseCode = "200", description = "A page of models")
    ModelPage list(
            @Parameter(description = "Only the models of this training job") @RequestParam(required = false) UUID jobId,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        return registry.list(CurrentTenant.id(), jobId, page, size);
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getModel", summary = "Describe a model",
            description = "Architecture with output shapes, classes, preprocessing statistics, metrics, provenance")
    @ApiResponse(responseCode = "200", description = "The model")
    @ApiResponse(responseCode = "404", description = "No such model for this tenant",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ModelView get(@PathVariable UUID id) {
        return registry.get(CurrentTenant.id(), id);
    }

    @DeleteMapping("/{id}")
    @Operation(operationId = "deleteModel", summary = "Delete a model")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "No such model for this tenant",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "An ensemble uses the model",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        registry.delete(CurrentTenant.id(), id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping(path = "/{id}/export", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    @Operation(summary = "Export a model",
            description = "safetensors: PyTorch state_dict names (0.weight, 1.running_mean, ...), architecture, "
                    + "preprocessing and classes in __metadata__. onnx: opset 17, raw features in, preprocessing "
                    + "as graph operations, softmax probabilities out.")
    @ApiResponse(responseCode = "200", description = "The file",
            content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                    schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "400", description = "Unknown format",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No such model for this tenant",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<byte[]> export(@PathVariable UUID id,
            @Parameter(description = "safetensors or onnx",
                    schema = @Schema(allowableValues = { "safetensors", "onnx" })) @RequestParam(
                            defaultValue = "safetensors") String format) {
        UUID tenant = CurrentTenant.id();
        if (!format.equals("safetensors") && !format.equals("onnx")) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Unknown export format",
                    "format must be safetensors or onnx, got " + format + ".")
                .with("format", format);
        }
        ModelView view = registry.get(tenant, id);
        byte[] file = registry.file(tenant, id);
        byte[] body = format.equals("onnx") ? exporter.onnx(view, file) : exporter.safetensors(view, file);
        return ResponseEntity.ok()
            .contentType(MediaType.APPLICATION_OCTET_STREAM)
            .header(HttpHeaders.CONTENT_DISPOSITION,
                    ContentDisposition.attachment()
                        .filename("model-" + id + "." + format, StandardCharsets.UTF_8)
                        .build()
                        .toString())
            .body(body);
    }

    @PostMapping(path = "/import", consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Import a model",
            description = "weights: safetensors with PyTorch state_dict names of the equivalent nn.Sequential; "
                    + "spec: JSON {layers (as in a job spec), featureShape, classes, preprocessing {method, "
                    + "perChannel, statistics}}")
    @ApiResponse(responseCode = "201", description = "Registered; Location names the new model")
    @ApiResponse(responseCode = "400", description = "A part is missing",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422",
            description = "The spec is invalid, or a tensor is missing, unused or mis-shaped (named, with both shapes)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<ModelView> importModel(
            @Parameter(description = "safetensors weights") @RequestPart(required = false) MultipartFile weights,
            @Parameter(description = "JSON spec") @RequestPart(required = false) String spec) throws IOException {
        if (weights == null || weights.isEmpty()) {
            throw missing("weights");
        }
        if (spec == null || spec.isBlank()) {
            throw missing("spec");
        }
        UUID tenant = CurrentTenant.id();
        UUID id = registry.register(importer.prepare(tenant, weights.getBytes(), spec));
        return ResponseEntity.created(URI.create("/api/v1/models/" + id)).body(registry.get(tenant, id));
    }

    private static ApiException missing(String part) {
        return new ApiException(HttpStatus.BAD_REQUEST, "Missing part", "The request needs the part " + part + ".")
            .with("part", part);
    }

}
