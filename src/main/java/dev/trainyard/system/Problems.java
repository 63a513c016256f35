package dev.trainyard.system;

import java.net.URI;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * Builds the problem documents shared by the exception handler and the error controller.
 */
final class Problems {

    private static final Logger log = LoggerFactory.getLogger(Problems.class);

    private Problems() {
    }

    /**
     * The problem an {@link ApiException} describes. A server-side one (5xx) keeps its
     * title and detail, since a module raised it on purpose, and is logged with an
     * {@code errorId} like any other failure.
     */
    static ProblemDetail of(ApiException ex, String method, String path) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(ex.status(), ex.detail());
        problem.setTitle(ex.title());
        ex.properties().forEach(problem::setProperty);
        if (ex.status().is5xxServerError()) {
            problem.setProperty("errorId", logFailure(ex, method, path));
        }
        return problem;
    }

    /**
     * A failure the client cannot act on: the response carries only an id, the log
     * carries the same id with the exception and its stack trace.
     */
    static ProblemDetail unexpected(HttpStatusCode status, Throwable ex, String method, String path) {
        String errorId = logFailure(ex, method, path);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status,
                "The server failed to process the request. Quote errorId " + errorId + " when reporting it.");
        problem.setProperty("errorId", errorId);
        return problem;
    }

    private static String logFailure(Throwable ex, String method, String path) {
        String errorId = UUID.randomUUID().toString();
        log.error("Unexpected failure errorId={} on {} {}", errorId, method, path, ex);
        return errorId;
    }

    static ResponseEntity<ProblemDetail> response(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    static ProblemDetail withInstance(ProblemDetail problem, String path) {
        if (problem.getInstance() == null && path != null) {
            try {
                problem.setInstance(URI.create(path));
            }
            catch (IllegalArgumentException notAUri) {
                // the path came from the request line as is; a problem without instance
                // is fine
            }
        }
        return problem;
    }

}
