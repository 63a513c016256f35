package dev.trainyard.system;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.ServletWebRequest;

/**
 * Replaces Spring Boot's error controller for the errors that never reach a controller
 * advice: exceptions thrown by servlet filters, {@code sendError} calls and the servlet
 * container's own errors. It answers problem details for every method and every
 * {@code Accept} header, so no client ever sees an HTML error page.
 */
@Hidden
@RestController
@RequestMapping("${server.error.path:${error.path:/error}}")
class ProblemErrorController implements ErrorController {

    private final ErrorAttributes errorAttributes;

    ProblemErrorController(ErrorAttributes errorAttributes) {
        this.errorAttributes = errorAttributes;
    }

    @RequestMapping
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object statusCode = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        String path = (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (!(statusCode instanceof Integer code)) {
            // a client asked for /error itself
            return Problems.response(Problems.withInstance(
                    ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                            "No endpoint " + request.getMethod() + " " + request.getRequestURI() + "."),
                    request.getRequestURI()));
        }
        HttpStatus status = HttpStatus.resolve(code);
        if (status == null) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        Throwable error = errorAttributes.getError(new ServletWebRequest(request));
        if (error != null && DatabaseUnavailable.isCauseOf(error)) {
            return DatabaseUnavailable.response(error, request.getMethod(), path);
        }
        ProblemDetail problem;
        if (error instanceof ApiException api) {
            problem = Problems.of(api, request.getMethod(), path);
        }
        else if (status.is5xxServerError()) {
            problem = Problems.unexpected(status, error, request.getMethod(), path);
        }
        else {
            problem = ProblemDetail.forStatus(status);
        }
        return Problems.response(Problems.withInstance(problem, path));
    }

}
