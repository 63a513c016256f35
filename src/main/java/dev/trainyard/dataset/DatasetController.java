package dev.trainyard.dataset;

import dev.trainyard.security.CurrentTenant;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.UUID;
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

/**
 * {@code /api/v1/datasets}: upload, list, describe, page through and delete the caller's
 * tenant's datasets.
 */
@RestController
@RequestMapping("/api/v1/datasets")
@Tag(name = "Datasets", description = "Upload labelled data (CSV, IDX, ZIP of images) for training")
class DatasetController {

    private static final String PROBLEM = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    private final DatasetService datasets;

    DatasetController(DatasetService datasets) {
        this.datasets = datasets;
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Upload a dataset",
            description = "Parts: name; format (csv, idx, images; detected from the content when absent); "
                    + "csv: file (plain or gzip), labelColumn, header, delimiter; idx: images and labels (plain "
                    + "or gzip); images: file (ZIP, one folder per class of PNG/JPEG), resize (HxW). The upload "
                    + "is parsed while it is stored; bad content stores nothing.")
    @ApiResponse(responseCode = "201", description = "Stored; Location names the new dataset")
    @ApiResponse(responseCode = "400", description = "A part is missing or an option is invalid",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "The tenant's dataset storage quota would be exceeded",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "413", description = "The upload exceeds trainyard.datasets.max-upload-size",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422",
            description = "The content is not a valid dataset; the problem names part, row, column or entry",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "429", description = "The API key's upload rate limit; see Retry-After",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<DatasetView> upload(
            @Parameter(description = "Name of the dataset; defaults to the file name") @RequestParam(
                    required = false) String name,
            @Parameter(description = "csv, idx or images; detected from the content when absent") @RequestParam(
                    required = false) String format,
            @Parameter(description = "CSV file or ZIP of images") @RequestPart(required = false) MultipartFile file,
            @Parameter(description = "IDX images (magic 0x00000803)") @RequestPart(
                    required = false) MultipartFile images,
            @Parameter(description = "IDX labels (magic 0x00000801)") @RequestPart(
                    required = false) MultipartFile labels,
            @Parameter(
                    description = "CSV: label column name or 0-based index; default 'label', else the last") @RequestParam(
                            required = false) String labelColumn,
            @Parameter(description = "CSV: whether the first line names the columns (default true)") @RequestParam(
                    required = false) Boolean header,
            @Parameter(description = "CSV: ',' (default), ';' or tab ('\\t' or 'tab')") @RequestParam(
                    required = false) String delimiter,
            @Parameter(description = "images: HxW to resize every image to, e.g. 28x28") @RequestParam(
                    required = false) String resize) {
        DatasetView created = datasets.upload(CurrentTenant.id(), new DatasetUpload(name, format, part(file),
                part(images), part(labels), labelColumn, header, delimiter, resize));
        return ResponseEntity.created(URI.create("/api/v1/datasets/" + created.id())).body(created);
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "listDatasets", summary = "List datasets, newest first")
    @ApiResponse(responseCode = "200", description = "One page of datasets")
    @ApiResponse(responseCode = "400", description = "page below 0 or size outside 1..100",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    DatasetPage list(@Parameter(description = "0-based page") @RequestParam(defaultValue = "0") int page,
            @Parameter(description = "page size, 1 to 100") @RequestParam(defaultValue = "20") int size) {
        return datasets.list(CurrentTenant.id(), page, size);
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getDataset", summary = "Describe a dataset")
    @ApiResponse(responseCode = "200", description = "The dataset")
    @ApiResponse(responseCode = "404", description = "No such dataset",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    DatasetView get(@PathVariable UUID id) {
        return datasets.get(CurrentTenant.id(), id);
    }

    @GetMapping(path = "/{id}/examples", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "A page of a dataset's examples: raw feature values and class names",
            description = "Examples in stored (upload) order, with the values as stored: 0..255 for IDX and images, "
                    + "the parsed numbers for CSV; no preprocessing. An offset at or past the end answers an empty "
                    + "list. Only the storage chunks that hold the examples are read.")
    @ApiResponse(responseCode = "200", description = "The examples")
    @ApiResponse(responseCode = "400", description = "offset below 0 or limit outside 1..100; `parameter` names it",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No such dataset",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    DatasetExamples examples(@PathVariable UUID id,
            @Parameter(description = "index of the first example, from 0") @RequestParam(defaultValue = "0") int offset,
            @Parameter(description = "most examples to return, 1 to 100") @RequestParam(
                    defaultValue = "20") int limit) {
        return datasets.examples(CurrentTenant.id(), id, offset, limit);
    }

    @DeleteMapping("/{id}")
    @Operation(operationId = "deleteDataset", summary = "Delete a dataset and its content")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "No such dataset",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "A queued or running job uses the dataset",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        datasets.delete(CurrentTenant.id(), id);
        return ResponseEntity.noContent().build();
    }

    private static UploadPart part(MultipartFile file) {
        if (file == null) {
            return null;
        }
        return new UploadPart() {
            @Override
            public String name() {
                return file.getName();
            }

            @Override
            public String filename() {
                return file.getOriginalFilename();
            }

            @Override
            public long size() {
                return file.getSize();
            }

            @Override
            public InputStream open() throws IOException {
                return file.getInputStream();
            }
        };
    }

}
