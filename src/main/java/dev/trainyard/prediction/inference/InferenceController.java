package dev.trainyard.prediction.inference;

import dev.trainyard.prediction.EnsemblePrediction;
import dev.trainyard.prediction.EnsembleService;
import dev.trainyard.prediction.ModelPrediction;
import dev.trainyard.prediction.internal.LoadedModel;
import dev.trainyard.prediction.internal.ModelCache;
import dev.trainyard.prediction.internal.Predictor;
import dev.trainyard.prediction.registry.RegisteredModelService;
import dev.trainyard.prediction.registry.RegisteredModelVersion;
import dev.trainyard.prediction.registry.ServingTarget;
import dev.trainyard.security.CurrentTenant;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.info.BuildProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Open Inference Protocol v2 over REST (KServe's, Triton's and Seldon MLServer's):
 * health, server and model metadata, model readiness and inference with JSON tensors.
 * {@code {name}} is a registered model's name, served at its {@code champion} alias when
 * no version is given, else at its highest version. Errors are the protocol's
 * {@code {"error": "..."}} ({@link InferenceErrors}), not problem details.
 */
@RestController
@Tag(name = "Open Inference Protocol",
        description = "KServe's v2 REST protocol over registered models: metadata, readiness, inference with tensors")
class InferenceController {

    static final String PLATFORM = "trainyard";

    static final String CHAMPION = "champion";

    private final RegisteredModelService registry;

    private final EnsembleService ensembles;

    private final ModelCache cache;

    private final Predictor predictor;

    private final InferenceRequestReader reader;

    private final ApplicationAvailability availability;

    private final ObjectProvider<BuildProperties> build;

    private final JsonMapper json;

    InferenceController(RegisteredModelService registry, EnsembleService ensembles, ModelCache cache,
            Predictor predictor, InferenceRequestReader reader, ApplicationAvailability availability,
            ObjectProvider<BuildProperties> build, JsonMapper json) {
        this.registry = registry;
        this.ensembles = ensembles;
        this.cache = cache;
        this.predictor = predictor;
        this.reader = reader;
        this.availability = availability;
        this.build = build;
        this.json = json;
    }

    @GetMapping("/v2/health/live")
    @Operation(operationId = "serverLive", summary = "Server liveness",
            description = "200 with an empty body while the server runs. No key needed "
                    + "unless trainyard.security.public-health is false.")
    @ApiResponse(responseCode = "200", description = "Live")
    ResponseEntity<Void> live() {
        return ResponseEntity.ok().build();
    }

    @GetMapping("/v2/health/ready")
    @Operation(operationId = "serverReady", summary = "Server readiness",
            description = "200 with an empty body while the server accepts traffic, 400 (the protocol's false) while it "
                    + "starts or shuts down. No key needed unless trainyard.security.public-health is false.")
    @ApiResponse(responseCode = "200", description = "Ready")
    @ApiResponse(responseCode = "400", description = "Not ready")
    ResponseEntity<Void> ready() {
        boolean ready = availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC;
        return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.BAD_REQUEST).build();
    }

    @GetMapping(path = "/v2", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "serverMetadata", summary = "Server metadata",
            description = "The server's name and version; no protocol extensions.")
    @ApiResponse(responseCode = "200", description = "The server metadata")
    ServerMetadata server() {
        BuildProperties properties = build.getIfAvailable();
        return new ServerMetadata(PLATFORM, properties == null ? "unknown" : properties.getVersion(), List.of());
    }

    @GetMapping(path = "/v2/models/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "modelMetadata", summary = "Model metadata",
            description = "The registered model's versions and the input and output tensors of the version served "
                    + "by default (champion, else the highest).")
    @ApiResponse(responseCode = "200", description = "The model metadata")
    @ApiResponse(responseCode = "404", description = "No such registered model, or it has no version",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = InferenceError.class)))
    ModelMetadata metadata(@PathVariable String name) {
        UUID tenant = CurrentTenant.id();
        return metadata(tenant, registry.resolveDefault(tenant, name));
    }

    @GetMapping(path = "/v2/models/{name}/versions/{version}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "modelVersionMetadata", summary = "Model version metadata")
    @ApiResponse(responseCode = "200", description = "The model metadata of that version")
    @ApiResponse(responseCode = "404", description = "No such registered model or version",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = InferenceError.class)))
    ModelMetadata metadata(@PathVariable String name, @PathVariable String version) {
        UUID tenant = CurrentTenant.id();
        return metadata(tenant, resolve(tenant, name, version));
    }

    @GetMapping("/v2/models/{name}/ready")
    @Operation(operationId = "modelReady", summary = "Model readiness",
            description = "200 with an empty body when the version served by default can answer (its model is "
                    + "loaded now if it was not).")
    @ApiResponse(responseCode = "200", description = "Ready")
    @ApiResponse(responseCode = "404", description = "No such registered model, or it has no version",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = InferenceError.class)))
    ResponseEntity<Void> modelReady(@PathVariable String name) {
        UUID tenant = CurrentTenant.id();
        representative(tenant, registry.resolveDefault(tenant, name));
        return ResponseEntity.ok().build();
    }

    @GetMapping("/v2/models/{name}/versions/{version}/ready")
    @Operation(operationId = "modelVersionReady", summary = "Model version readiness")
    @ApiResponse(responseCode = "200", description = "Ready")
    @ApiResponse(responseCode = "404", description = "No such registered model or version",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = InferenceError.class)))
    ResponseEntity<Void> modelReady(@PathVariable String name, @PathVariable String version) {
        UUID tenant = CurrentTenant.id();
        representative(tenant, resolve(tenant, name, version));
        return ResponseEntity.ok().build();
    }

    @PostMapping(path = "/v2/models/{name}/infer", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "modelInfer", summary = "Inference",
            description = "One input tensor, FP32 or UINT8, shape [batch, features...] as the metadata says, data flat "
                    + "(row-major) or nested, in the dataset's raw scale (the model's preprocessing is applied). "
                    + "Answers probabilities (FP32, [batch, classes]) and label (BYTES, [batch]), or the requested "
                    + "outputs; the request's id comes back. Served by the champion alias, else the highest version.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = InferenceRequest.class)))
    @ApiResponse(responseCode = "200", description = "The outputs")
    @ApiResponse(responseCode = "400",
            description = "A malformed request, a datatype or shape the model does not take, a value out of range",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = InferenceError.class)))
    @ApiResponse(responseCode = "404", description = "No such registered model, or it has no version",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = InferenceError.class)))
    @ApiResponse(responseCode = "413", description = "More instances than trainyard.prediction.max-instances",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = InferenceError.class)))
    InferenceResponse infer(@PathVariable String name, @RequestBody byte[] body) {
        UUID tenant = CurrentTenant.id();
        return infer(tenant, registry.resolveDefault(tenant, name), body);
    }

    @PostMapping(path = "/v2/models/{name}/versions/{version}/infer", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "modelVersionInfer", summary = "Inference with a version",
            description = "As /v2/models/{name}/infer, with that version.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = InferenceRequest.class)))
    @ApiResponse(responseCode = "200", description = "The outputs")
    @ApiResponse(responseCode = "400",
            description = "A malformed request, a datatype or shape the model does not take, a value out of range",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = InferenceError.class)))
    @ApiResponse(responseCode = "404", description = "No such registered model or version",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = InferenceError.class)))
    @ApiResponse(responseCode = "413", description = "More instances than trainyard.prediction.max-instances",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = InferenceError.class)))
    InferenceResponse infer(@PathVariable String name, @PathVariable String version, @RequestBody byte[] body) {
        UUID tenant = CurrentTenant.id();
        return infer(tenant, resolve(tenant, name, version), body);
    }

    private InferenceResponse infer(UUID tenant, ServingTarget target, byte[] body) {
        LoadedModel model = representative(tenant, target);
        InferenceRequestReader.Inference request = reader.read(body, model.featureShape());
        double[][] instances = request.instances();
        int n = instances.length;
        List<String> classes = model.classes();
        int k = classes.size();
        float[] probabilities = new float[n * k];
        List<String> labels = new ArrayList<>(n);
        if (target.isEnsemble()) {
            EnsemblePrediction answer = predictor.predict(tenant, ensembles.get(tenant, target.ensembleId()), instances,
                    null, null, null);
            for (int i = 0; i < n; i++) {
                EnsemblePrediction.Item item = answer.predictions().get(i);
                System.arraycopy(item.probabilities(), 0, probabilities, i * k, k);
                labels.add(item.label());
            }
        }
        else {
            ModelPrediction answer = predictor.predict(tenant, target.modelId(), instances, null, null);
            for (int i = 0; i < n; i++) {
                ModelPrediction.Item item = answer.predictions().get(i);
                System.arraycopy(item.probabilities(), 0, probabilities, i * k, k);
                labels.add(item.label());
            }
        }
        List<InferenceResponse.OutputTensor> outputs = new ArrayList<>();
        for (String output : request.outputs()) {
            outputs.add(InferenceRequestReader.PROBABILITIES.equals(output)
                    ? new InferenceResponse.OutputTensor(output, "FP32", List.of(n, k), probabilities)
                    : new InferenceResponse.OutputTensor(output, "BYTES", List.of(n), labels));
        }
        return new InferenceResponse(target.name(), String.valueOf(target.version()), request.id(), outputs);
    }

    private ModelMetadata metadata(UUID tenant, ServingTarget target) {
        LoadedModel model = representative(tenant, target);
        List<String> versions = registry.get(tenant, target.name())
            .versions()
            .stream()
            .map(RegisteredModelVersion::version)
            .map(String::valueOf)
            .toList();
        List<Integer> input = new ArrayList<>();
        input.add(-1);
        Arrays.stream(model.featureShape()).forEach(input::add);
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("version", String.valueOf(target.version()));
        if (target.isEnsemble()) {
            parameters.put("ensemble_id", target.ensembleId().toString());
        }
        else {
            parameters.put("model_id", target.modelId().toString());
        }
        parameters.put("classes", json.writeValueAsString(model.classes()));
        return new ModelMetadata(target.name(), versions, PLATFORM,
                List.of(new ModelMetadata.TensorMetadata("input", "FP32", input)),
                List.of(new ModelMetadata.TensorMetadata(InferenceRequestReader.PROBABILITIES, "FP32",
                        List.of(-1, model.classes().size())),
                        new ModelMetadata.TensorMetadata(InferenceRequestReader.LABEL, "BYTES", List.of(-1))),
                parameters);
    }

    /**
     * The loaded model that answers for the target, or the first member of its ensemble:
     * its feature shape and classes are the target's.
     */
    private LoadedModel representative(UUID tenant, ServingTarget target) {
        UUID modelId = target.isEnsemble() ? ensembles.get(tenant, target.ensembleId()).modelIds().getFirst()
                : target.modelId();
        return cache.get(tenant, modelId);
    }

    private ServingTarget resolve(UUID tenant, String name, String version) {
        int number;
        try {
            number = Integer.parseInt(version);
        }
        catch (NumberFormatException notANumber) {
            number = -1;
        }
        if (number < 1) {
            throw new InferenceException(HttpStatus.NOT_FOUND,
                    "Registered model " + name + " has no version " + version + "; versions are numbers from 1.");
        }
        return registry.resolveVersion(tenant, name, number);
    }

}
