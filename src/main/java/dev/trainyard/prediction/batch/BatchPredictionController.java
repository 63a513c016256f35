package dev.trainyard.prediction.batch;

import dev.trainyard.security.CurrentTenant;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/models/{id}/batch-predictions} and
 * {@code /api/v1/batch-predictions}: score every example of a stored dataset with a model
 * on the workers, follow it, cancel it, download its results.
 */
@RestController
@Tag(name = "Batch predictions",
        description = "A model over every example of a stored dataset, scored on the workers in resumable chunks")
class BatchPredictionController {

    private static final String PROBLEM = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    private static final String CSV_EXAMPLE = "index,label,p_cat,p_dog,p_bird,trueLabel\r\n"
            + "0,cat,0.91234565,0.06123401,0.026420336,cat\r\n1,bird,0.10312,0.2205176,0.6763624,dog\r\n";

    private static final String JSONL_EXAMPLE = """
            {"index":0,"label":"cat","probabilities":[0.91234565,0.06123401,0.026420336],"trueLabel":"cat"}
            {"index":1,"label":"bird","probabilities":[0.10312,0.2205176,0.6763624],"trueLabel":"dog"}
            """;

    private static final Logger log = LoggerFactory.getLogger(BatchPredictionController.class);

    private final BatchPredictionService batches;

    BatchPredictionController(BatchPredictionService batches) {
        this.batches = batches;
    }

    @PostMapping(path = "/api/v1/models/{id}/batch-predictions", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "createBatchPrediction", summary = "Score a stored dataset with a model",
            description = "Queues the model over every example of the dataset, for the workers that train jobs "
                    + "(on the same threads, so it may wait for a running job). Each chunk of examples is "
                    + "preprocessed with the model's stored statistics and scored as POST "
                    + "/models/{id}/predictions scores it, bit for bit; its results and the progress are stored in "
                    + "one transaction, so a batch whose worker dies resumes elsewhere at its first chunk not "
                    + "stored. While the batch is queued or running, neither the model nor the dataset can be "
                    + "deleted.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = BatchPredictionRequest.class),
                    examples = @ExampleObject(name = "dataset", value = BatchPredictionRequest.EXAMPLE)))
    @ApiResponse(responseCode = "202", description = "Queued; Location names the batch prediction")
    @ApiResponse(responseCode = "400",
            description = "No datasetId, a datasetId that is not a UUID, or a body that is not JSON; "
                    + "`pointer` names the member",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No such model for this tenant",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422",
            description = "No such dataset for this tenant, or its examples do not fit the model's feature shape",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<BatchPredictionView> create(@PathVariable UUID id, @RequestBody BatchPredictionRequest request) {
        BatchPredictionView batch = batches.submit(CurrentTenant.id(), id, request);
        return ResponseEntity.accepted().location(URI.create("/api/v1/batch-predictions/" + batch.id())).body(batch);
    }

    @GetMapping(path = "/api/v1/batch-predictions", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "listBatchPredictions", summary = "List the tenant's batch predictions, newest first")
    @ApiResponse(responseCode = "200", description = "One page")
    @ApiResponse(responseCode = "400", description = "A page below 0, a size outside 1 to 100 or an unknown status",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    BatchPredictionPage list(
            @Parameter(description = "Only batches in this state") @RequestParam(
                    required = false) BatchPredictionStatus status,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        return batches.list(CurrentTenant.id(), status, page, size);
    }

    @GetMapping(path = "/api/v1/batch-predictions/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getBatchPrediction",
            summary = "A batch prediction: status, rows done of total, rows per second, accuracy and confusion "
                    + "matrix when the dataset's labels are the model's classes")
    @ApiResponse(responseCode = "200", description = "The batch prediction")
    @ApiResponse(responseCode = "404", description = "No such batch prediction for this tenant",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    BatchPredictionView get(@PathVariable UUID id) {
        return batches.get(CurrentTenant.id(), id);
    }

    @PostMapping(path = "/api/v1/batch-predictions/{id}/cancel", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "cancelBatchPrediction", summary = "Cancel a batch prediction",
            description = "A queued batch never starts; a running one stops before its next chunk is stored and "
                    + "becomes CANCELLED. Its partial results are not served.")
    @ApiResponse(responseCode = "202", description = "Cancellation requested (or done, for a queued batch)")
    @ApiResponse(responseCode = "404", description = "No such batch prediction for this tenant",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "The batch prediction has already finished",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<BatchPredictionView> cancel(@PathVariable UUID id) {
        return ResponseEntity.accepted().body(batches.cancel(CurrentTenant.id(), id));
    }

    @GetMapping(path = "/api/v1/batch-predictions/{id}/results")
    @Operation(operationId = "getBatchPredictionResults", summary = "The results of a finished batch prediction",
            description = "One line per example of the dataset, in its order: the index, the predicted label (a "
                    + "class name), the probability of every class in the order of the batch's `classes`, and the "
                    + "true label when the batch is `labelled`. As CSV (a header line, then `index,label,p_<class>"
                    + "...,trueLabel`) or JSON Lines; ?format=csv|jsonl decides, else the Accept header (text/csv, "
                    + "application/jsonl or application/x-ndjson; CSV for */* or none). Streamed from the stored "
                    + "chunks, one at a time.")
    @ApiResponse(responseCode = "200", description = "The results, as a download (Content-Disposition)",
            content = {
                    @Content(mediaType = "text/csv", schema = @Schema(type = "string"),
                            examples = @ExampleObject(name = "csv", value = CSV_EXAMPLE)),
                    @Content(mediaType = "application/jsonl", schema = @Schema(type = "string"),
                            examples = @ExampleObject(name = "jsonl", value = JSONL_EXAMPLE)),
                    @Content(mediaType = "application/x-ndjson", schema = @Schema(type = "string")) })
    @ApiResponse(responseCode = "400", description = "A format other than csv or jsonl; `parameter` names it",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No such batch prediction for this tenant",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "406", description = "The Accept header allows none of the formats",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409",
            description = "The batch prediction has not SUCCEEDED (queued, running, failed or cancelled)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    void results(@PathVariable UUID id,
            @Parameter(description = "csv or jsonl; wins over the Accept header") @RequestParam(
                    required = false) String format,
            @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept,
            HttpServletResponse response) {
        ResultFormat.Choice choice = ResultFormat.choose(format, accept);
        BatchRow batch = batches.finished(CurrentTenant.id(), id);
        String type = choice.format() == ResultFormat.CSV ? choice.contentType() + ";charset=UTF-8"
                : choice.contentType().toString();
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(type);
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
                "attachment; filename=\"batch-prediction-" + id + "." + choice.format().extension() + "\"");
        try {
            batches.writeResults(batch, choice.format(), response.getOutputStream());
        }
        catch (IOException clientGone) {
            // the client closed the connection; a failure of ours propagates and cuts the
            // response short, so that a partial download never looks complete
            log.debug("Results of batch prediction {} not sent in full: {}", id, clientGone.toString());
        }
    }

}
