package dev.trainyard.prediction.inference;

import dev.trainyard.system.ApiException;
import dev.trainyard.system.DatabaseUnavailable;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.ErrorResponse;

/**
 * Errors of the {@code /v2} endpoints as the Open Inference Protocol has them: a JSON
 * object {@code {"error": "..."}}, 404 for an unknown model or version, 400 for a request
 * the model cannot take (the protocol's status for a failed inference), 413 and 429 kept
 * as HTTP defines them, 503 with {@code Retry-After} while the database cannot be
 * reached. Problems raised by the shared prediction path (a 422 for a value, say) keep
 * their detail as the message.
 */
@RestControllerAdvice(assignableTypes = InferenceController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class InferenceErrors {

    private static final Logger log = LoggerFactory.getLogger(InferenceErrors.class);

    @ExceptionHandler(InferenceException.class)
    ResponseEntity<InferenceError> handle(InferenceException ex) {
        return error(ex.status(), ex.getMessage());
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<InferenceError> handle(ApiException ex) {
        HttpStatus status = ex.status();
        if (status.is4xxClientError() && status != HttpStatus.NOT_FOUND && status != HttpStatus.CONTENT_TOO_LARGE
                && status != HttpStatus.TOO_MANY_REQUESTS) {
            status = HttpStatus.BAD_REQUEST;
        }
        return error(status, ex.detail());
    }

    /** A body that is missing or not JSON at all. */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<InferenceError> handle(HttpMessageNotReadableException ex) {
        return error(HttpStatus.BAD_REQUEST, "The request body is missing or is not valid JSON.");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<InferenceError> handle(Exception ex) {
        if (ex instanceof ErrorResponse framework && framework.getStatusCode().is4xxClientError()) {
            // the framework's own client errors (415, 405, a missing parameter) keep
            // their status
            return ResponseEntity.status(framework.getStatusCode())
                .contentType(MediaType.APPLICATION_JSON)
                .body(new InferenceError(String.valueOf(framework.getBody().getDetail())));
        }
        if (DatabaseUnavailable.isCauseOf(ex)) {
            log.warn("Database unavailable in the inference protocol: {}", ex.getMessage());
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(DatabaseUnavailable.RETRY_AFTER.toSeconds()))
                .contentType(MediaType.APPLICATION_JSON)
                .body(new InferenceError("The service cannot reach its database at the moment; retry after "
                        + DatabaseUnavailable.RETRY_AFTER.toSeconds() + " seconds."));
        }
        String errorId = UUID.randomUUID().toString();
        log.error("Unexpected failure errorId={} in the inference protocol", errorId, ex);
        return error(HttpStatus.INTERNAL_SERVER_ERROR,
                "The server failed to process the request. Quote errorId " + errorId + " when reporting it.");
    }

    private static ResponseEntity<InferenceError> error(HttpStatus status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(new InferenceError(message));
    }

}
