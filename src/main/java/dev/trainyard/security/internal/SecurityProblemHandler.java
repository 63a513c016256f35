package dev.trainyard.security.internal;

import dev.trainyard.security.LimitExceededException;
import dev.trainyard.system.ApiException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Problem details for the security module's errors that need a header besides the
 * document: {@code WWW-Authenticate} on 401, {@code Retry-After} on 429. Ordered before
 * the system module's handler, which renders every other {@link ApiException}.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class SecurityProblemHandler {

    @ExceptionHandler(ApiKeyRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(ApiKeyRejectedException ex) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, ApiKeyRejectedException.CHALLENGE);
        return response(ex, headers);
    }

    @ExceptionHandler(LimitExceededException.class)
    ResponseEntity<ProblemDetail> limited(LimitExceededException ex) {
        HttpHeaders headers = new HttpHeaders();
        ex.retryAfterSeconds().ifPresent(seconds -> headers.set(HttpHeaders.RETRY_AFTER, Long.toString(seconds)));
        ResponseEntity<ProblemDetail> response = response(ex, headers);
        ex.retryAfterSeconds().ifPresent(seconds -> response.getBody().setProperty("retryAfterSeconds", seconds));
        return response;
    }

    private static ResponseEntity<ProblemDetail> response(ApiException ex, HttpHeaders headers) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(ex.status(), ex.detail());
        problem.setTitle(ex.title());
        ex.properties().forEach(problem::setProperty);
        return ResponseEntity.status(ex.status())
            .headers(headers)
            .contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .body(problem);
    }

}
