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

    static ProblemDetail of(ApiException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(ex.status(), ex.detail());
        problem.setTitle(ex.title());
        ex.properties().forEach(problem::setProperty);
        return problem;
    }

    /**
     * A failure the client cannot act on: the response carries only an id, the log
     * carries the same id with the exception and its stack trace.
     */
    static ProblemDetail unexpected(HttpStatusCode status, Throwable ex, String method, String path) {
        String errorId = UUID.randomUUID().toString();
        log.error("Unexpected failure errorId={} on {} {}", errorId, method, path, ex);
        return withErrorId(ProblemDetail.forStatus(status), errorId);
    }

    /**
     * Replaces the detail of a server-side problem by a pointer to the log entry
     * {@code errorId}.
     */
    static ProblemDetail withErrorId(ProblemDetail problem, String errorId) {
        problem.setDetail("The server failed to process the request. Quote errorId " + errorId + " when reporting it.");
        problem.setProperty("errorId", errorId);
        return problem;
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
