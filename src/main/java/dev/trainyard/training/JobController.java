package dev.trainyard.training;

import dev.trainyard.training.internal.Downsampling;
import dev.trainyard.training.internal.JobEventStream;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 * {@code /api/v1/jobs}: submit training jobs, watch them, read their results, cancel
 * them.
 */
@RestController
@RequestMapping("/api/v1/jobs")
@Tag(name = "Training jobs", description = "Train models (or ensembles) on uploaded datasets")
class JobController {

    private static final String PROBLEM = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    /** Response header of the metrics and diagnostics: whether rows were left out. */
    static final String DOWNSAMPLED = "X-Downsampled";

    private final JobService jobs;

    private final JobEventStream events;

    JobController(JobService jobs, JobEventStream events) {
        this.jobs = jobs;
        this.events = events;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Submit a training job",
            description = "Validates the spec against its dataset and queues one unit of work per ensemble member. "
                    + "Omitted members get the defaults the schema shows. With dryRun=true nothing is queued and "
                    + "the answer is the resolved model (layers, output shapes, parameter count). A retried "
                    + "submission with the same Idempotency-Key and spec returns the first job (202 again); the "
                    + "same key with a different spec is refused with 422.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = JobSpec.class),
                    examples = @ExampleObject(name = "mlp", value = JobSpec.EXAMPLE)))
    @ApiResponse(responseCode = "202",
            description = "Queued (or the earlier job of the same Idempotency-Key); " + "Location names it",
            content = @Content(schema = @Schema(implementation = JobView.class)))
    @ApiResponse(responseCode = "200", description = "dryRun=true: the spec is valid; the model it describes",
            content = @Content(schema = @Schema(implementation = ModelSummary.class)))
    @ApiResponse(responseCode = "400", description = "Invalid spec: `errors` lists each problem with a JSON "
            + "Pointer to the member at fault (unknown members or types, values out of range, layers that do not "
            + "fit the data, unknown dataset)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "The Idempotency-Key was used before with a different spec",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<?> submit(@RequestBody String body,
            @Parameter(description = "Validate and describe the model only") @RequestParam(
                    defaultValue = "false") boolean dryRun,
            @Parameter(description = "Makes a retried submission return the same job (per tenant)") @RequestHeader(
                    name = "Idempotency-Key", required = false) String idempotencyKey) {
        if (dryRun) {
            return ResponseEntity.ok(jobs.dryRun(body));
        }
        JobService.Submission submission = jobs.submit(body, idempotencyKey);
        return ResponseEntity.accepted()
            .location(URI.create("/api/v1/jobs/" + submission.job().id()))
            .body(submission.job());
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "listJobs", summary = "List the tenant's jobs, newest first")
    JobPage list(@Parameter(description = "Only jobs in this state") @RequestParam(required = false) JobStatus status,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        return jobs.list(status, page, size);
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getJob", summary = "A job: status, spec, progress, models, error")
    @ApiResponse(responseCode = "200", description = "The job")
    @ApiResponse(responseCode = "404", description = "No such job for this tenant",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    JobView get(@PathVariable UUID id) {
        return jobs.get(id);
    }

    @GetMapping(path = "/{id}/metrics", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Per member and epoch: losses, accuracies, learning rate, time, throughput",
            description = "Rows in member and epoch order. A member with more than maxPoints epochs is "
                    + "downsampled (M4): its epochs are cut into equal buckets and each keeps its first and last "
                    + "row and the rows of the minimum and maximum of trainLoss, valLoss, trainAccuracy and "
                    + "valAccuracy; the first and last epoch and the best valAccuracy are always kept, rows stay "
                    + "whole and in order. The header " + DOWNSAMPLED + " says whether rows were left out.")
    @ApiResponse(responseCode = "200", description = "The rows",
            headers = @Header(name = DOWNSAMPLED, description = "true when a member's rows were thinned",
                    schema = @Schema(type = "boolean")))
    @ApiResponse(responseCode = "400", description = "maxPoints outside 10..100000; `parameter` names it",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No such job for this tenant",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<List<EpochRow>> metrics(@PathVariable UUID id, @Parameter(
            description = "most rows per member, 10 to 100000") @RequestParam(defaultValue = "2000") int maxPoints) {
        return downsampled(jobs.metrics(id, maxPoints));
    }

    @GetMapping(path = "/{id}/diagnostics", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Per member and epoch: plain-language warnings, activation statistics per layer "
            + "(mean, std, percentiles, histogram, saturated and dead fractions) and gradient norms and update "
            + "ratios per parameter tensor, measured on a fixed probe batch")
    @ApiResponse(responseCode = "200",
            description = "Rows in member and epoch order. A member with more than maxPoints epochs keeps its "
                    + "first and last epoch, every epoch with a warning (evenly thinned if they alone are more "
                    + "than maxPoints) and evenly spaced others, maxPoints rows at most; the header " + DOWNSAMPLED
                    + " says whether rows were left out.",
            headers = @Header(name = DOWNSAMPLED, description = "true when a member's rows were thinned",
                    schema = @Schema(type = "boolean")),
            content = @Content(array = @ArraySchema(schema = @Schema(type = "object"))))
    @ApiResponse(responseCode = "400", description = "maxPoints outside 10..100000; `parameter` names it",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No such job for this tenant",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<List<Map<String, Object>>> diagnostics(@PathVariable UUID id, @Parameter(
            description = "most rows per member, 10 to 100000") @RequestParam(defaultValue = "2000") int maxPoints) {
        return downsampled(jobs.diagnostics(id, maxPoints));
    }

    private static <T> ResponseEntity<List<T>> downsampled(Downsampling.Result<T> result) {
        return ResponseEntity.ok().header(DOWNSAMPLED, String.valueOf(result.downsampled())).body(result.rows());
    }

    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Server-Sent Events: status, epoch (a metrics row), completed (the finished job)",
            description = "Served from the database, so any instance streams any job. Each event's id can be "
                    + "sent back as Last-Event-ID to resume after it. The stream ends after `completed`.")
    SseEmitter events(@PathVariable UUID id,
            @RequestHeader(name = "Last-Event-ID", required = false) Long lastEventId) {
        return events.open(jobs.requireOwned(id), lastEventId == null ? 0 : lastEventId);
    }

    @PostMapping(path = "/{id}/cancel", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Cancel a job",
            description = "A queued job never starts; a running one stops at the next "
                    + "batch boundary and becomes CANCELLED.")
    @ApiResponse(responseCode = "202", description = "Cancellation requested (or done, for a queued job)")
    @ApiResponse(responseCode = "409", description = "The job has already finished",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<JobView> cancel(@PathVariable UUID id) {
        return ResponseEntity.accepted().body(jobs.cancel(id));
    }

}
