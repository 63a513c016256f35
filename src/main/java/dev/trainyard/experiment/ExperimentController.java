package dev.trainyard.experiment;

import dev.trainyard.experiment.internal.ExperimentEventStream;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code /api/v1/experiments}: sweeps over job specs, their trials, leaderboard and
 * results.
 */
@RestController
@RequestMapping("/api/v1/experiments")
@Tag(name = "Experiments", description = "Sweeps over job specs: grid, random search, successive halving")
class ExperimentController {

    private static final String PROBLEM = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    private static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final ExperimentService experiments;

    private final ExperimentEventStream events;

    ExperimentController(ExperimentService experiments, ExperimentEventStream events) {
        this.experiments = experiments;
        this.events = events;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "createExperiment", summary = "Start an experiment",
            description = "Expands the parameters into trials (grid, random draws, or successive halving over "
                    + "either), validates every trial's job spec and submits the first trials' jobs: one ordinary "
                    + "job per trial and repeat (and per rung under successive halving), at most "
                    + "maxConcurrentTrials trials at a time, so job quotas, cancellation and crash resume apply. "
                    + "A job the running-jobs quota refuses waits and is submitted again when jobs end. "
                    + "With dryRun=true nothing is stored or queued: the answer lists the trials and their cost.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = ExperimentRequest.class),
                    examples = { @ExampleObject(name = "grid", value = ExperimentRequest.EXAMPLE),
                            @ExampleObject(name = "random", value = ExperimentRequest.RANDOM_EXAMPLE),
                            @ExampleObject(name = "successive_halving", value = ExperimentRequest.HALVING_EXAMPLE) }))
    @ApiResponse(responseCode = "202", description = "Started; Location names it",
            content = @Content(schema = @Schema(implementation = ExperimentView.class)))
    @ApiResponse(responseCode = "200", description = "dryRun=true: every trial is valid; the trials and their cost",
            content = @Content(schema = @Schema(implementation = ExperimentPlan.class)))
    @ApiResponse(responseCode = "400", description = "Invalid experiment: `errors` lists each problem with a JSON "
            + "Pointer into the request (`pointer`: the parameter value, e.g. #/parameters/1/values/2) and, for a "
            + "problem in a trial's job spec, the member of the spec (`specPointer`) and the trial",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<?> create(@RequestBody String body, @Parameter(
            description = "List the trials and their cost only") @RequestParam(defaultValue = "false") boolean dryRun) {
        if (dryRun) {
            return ResponseEntity.ok(experiments.dryRun(body));
        }
        ExperimentView view = experiments.create(body);
        return ResponseEntity.accepted().location(URI.create("/api/v1/experiments/" + view.id())).body(view);
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "listExperiments", summary = "List the tenant's experiments, newest first")
    ExperimentPage list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        return experiments.list(page, size);
    }

    @GetMapping(path = "/presets", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "experimentPresets", summary = "The lecture's claims as ready experiments for a dataset",
            description = "One preset per claim: preprocessing x three networks, initialization of 10-layer tanh and "
                    + "ReLU perceptrons, batch norm across learning rates, dropout (inverted and vanilla), DropBlock "
                    + "against dropout, ensembles of 1 to 5 members. Each has the claim, what to look at to judge "
                    + "it, and a request that POST /api/v1/experiments accepts unchanged. Networks fit the "
                    + "dataset's example shape and classes: conv nets for images, perceptrons otherwise.")
    @ApiResponse(responseCode = "200", description = "The presets")
    @ApiResponse(responseCode = "400",
            description = "A missing or malformed id, or a test dataset whose examples or "
                    + "classes differ from the dataset's",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No such dataset (or test dataset) for this tenant",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    List<ExperimentPreset> presets(@Parameter(description = "The dataset to train on") @RequestParam UUID datasetId,
            @Parameter(description = "A dataset to test every trained model on") @RequestParam(
                    required = false) UUID testDatasetId) {
        return experiments.presets(datasetId, testDatasetId);
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getExperiment",
            summary = "An experiment: status, trials with their parameters, jobs and metrics, leaderboard")
    @ApiResponse(responseCode = "200", description = "The experiment")
    @ApiResponse(responseCode = "404", description = "No such experiment for this tenant",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ExperimentView get(@PathVariable UUID id) {
        return experiments.get(id);
    }

    @GetMapping(path = "/{id}/results.csv", produces = "text/csv")
    @Operation(operationId = "experimentResults",
            summary = "One row per trial: index, rank, each parameter, status, rung, epochs, metrics with "
                    + "their standard deviations over repeats, job ids, error")
    @ApiResponse(responseCode = "200", description = "RFC 4180 CSV with a header row",
            content = @Content(mediaType = "text/csv", schema = @Schema(type = "string")))
    ResponseEntity<String> results(@PathVariable UUID id) {
        String csv = experiments.resultsCsv(id);
        return ResponseEntity.ok()
            .contentType(CSV)
            .header(HttpHeaders.CONTENT_DISPOSITION,
                    ContentDisposition.attachment().filename("experiment-" + id + ".csv").build().toString())
            .body(csv);
    }

    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(operationId = "experimentEvents",
            summary = "Server-Sent Events: status, trial (a trial's new state), completed (the finished experiment)",
            description = "Served from the database, so any instance streams any experiment. Each event's id can be "
                    + "sent back as Last-Event-ID to resume after it. The stream ends after `completed`.")
    SseEmitter events(@PathVariable UUID id,
            @RequestHeader(name = "Last-Event-ID", required = false) Long lastEventId) {
        return events.open(experiments.requireOwned(id), lastEventId == null ? 0 : lastEventId);
    }

    @PostMapping(path = "/{id}/cancel", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "cancelExperiment", summary = "Cancel an experiment",
            description = "Cancels the jobs of its queued and running trials (running ones stop at their next batch "
                    + "boundary) and submits no more; trials that ended keep their results.")
    @ApiResponse(responseCode = "202", description = "Cancelled")
    @ApiResponse(responseCode = "409", description = "The experiment has already ended",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<ExperimentView> cancel(@PathVariable UUID id) {
        return ResponseEntity.accepted().body(experiments.cancel(id));
    }

}
