package dev.trainyard.system;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;

/**
 * Turns every exception that reaches a controller into an RFC 9457 problem document.
 * Spring's {@link ResponseEntityExceptionHandler} covers the framework's own errors (404,
 * 405, 415, 413 for multipart, ...); this class adds the details clients need (the
 * invalid fields), our {@link ApiException}, and a catch-all 500 that hides the cause
 * behind an {@code errorId}.
 */
@RestControllerAdvice
class ProblemDetailsHandler extends ResponseEntityExceptionHandler {

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> handleApiException(ApiException ex, HttpServletRequest request) {
        return Problems.response(Problems.of(ex, request.getMethod(), request.getRequestURI()));
    }

    /** Bean validation of service method arguments ({@code @Validated} beans). */
    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> handleConstraintViolation(ConstraintViolationException ex) {
        List<Map<String, String>> errors = ex.getConstraintViolations()
            .stream()
            .map(violation -> Map.of("field", String.valueOf(violation.getPropertyPath()), "detail",
                    violation.getMessage()))
            .toList();
        return Problems.response(invalid(errors));
    }

    /**
     * A multipart body that cannot be parsed (a boundary that never comes, a truncated
     * part): the client's fault. Too large a body is answered 413 by the base class.
     */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> handleMalformedMultipart(MultipartException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The multipart/form-data body could not be read: its boundary or parts are malformed or cut short.");
        problem.setTitle("Malformed multipart body");
        return Problems.response(problem);
    }

    /**
     * Anything else is a 500 with an {@code errorId}, unless the database could not be
     * reached: then a 503 with {@code Retry-After}, since the same request will work once
     * it is back.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> handleUnexpected(Exception ex, HttpServletRequest request) {
        if (DatabaseUnavailable.isCauseOf(ex)) {
            return DatabaseUnavailable.response(ex, request.getMethod(), request.getRequestURI());
        }
        return Problems.response(Problems.unexpected(HttpStatus.INTERNAL_SERVER_ERROR, ex, request.getMethod(),
                request.getRequestURI()));
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        for (FieldError error : ex.getBindingResult().getFieldErrors()) {
            errors.add(Map.of("pointer", JsonPointers.fromPropertyPath(error.getField()), "detail", message(error)));
        }
        ex.getBindingResult()
            .getGlobalErrors()
            .forEach(error -> errors.add(Map.of("pointer", "#", "detail", message(error))));
        return handleExceptionInternal(ex, invalid(errors), headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        ex.getParameterValidationResults().forEach(result -> {
            String parameter = result.getMethodParameter().getParameterName();
            result.getResolvableErrors()
                .forEach(error -> errors.add(Map.of("parameter", String.valueOf(parameter), "detail", message(error))));
        });
        return handleExceptionInternal(ex, invalid(errors), headers, HttpStatus.BAD_REQUEST, request);
    }

    /**
     * A body that cannot be read: too large (413), not JSON at all, or JSON of the wrong
     * shape (400 with a pointer to the offending member). Jackson's own message names our
     * classes, so it never reaches the client.
     */
    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        RequestBodyTooLargeException tooLarge = findCause(ex, RequestBodyTooLargeException.class);
        if (tooLarge != null) {
            return handleExceptionInternal(ex, Problems.of(tooLarge.toApiException(), null, null), headers,
                    HttpStatus.CONTENT_TOO_LARGE, request);
        }
        ProblemDetail problem = ProblemDetail.forStatus(HttpStatus.BAD_REQUEST);
        JacksonException jackson = findCause(ex, JacksonException.class);
        if (jackson == null || jackson instanceof StreamReadException) {
            problem.setTitle("Malformed request body");
            problem.setDetail("The request body is missing or is not valid JSON.");
        }
        else {
            problem.setTitle("Invalid request body");
            problem.setDetail(NulCharacters.MESSAGE.equals(jackson.getOriginalMessage()) ? NulCharacters.MESSAGE
                    : "A member of the request body has the wrong type or an unexpected value.");
            problem.setProperty("pointer", JsonPointers.fromJacksonPath(jackson.getPath()));
        }
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "No endpoint " + ex.getHttpMethod() + " /" + ex.getResourcePath() + ".");
        return handleExceptionInternal(ex, problem, headers, HttpStatus.NOT_FOUND, request);
    }

    /**
     * Server-side failures of the framework (500, 503, ...) get an errorId like our own.
     */
    @Override
    protected @Nullable ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body,
            HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        Object problem = body;
        if (statusCode.is5xxServerError() && request instanceof ServletWebRequest servletRequest) {
            HttpServletRequest http = servletRequest.getRequest();
            problem = Problems.unexpected(statusCode, ex, http.getMethod(), http.getRequestURI());
        }
        return super.handleExceptionInternal(ex, problem, headers, statusCode, request);
    }

    /**
     * Every response of this class leaves as {@code application/problem+json}, whatever
     * was asked.
     */
    @Override
    protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        HttpHeaders problemHeaders = new HttpHeaders(headers);
        problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(body, problemHeaders, statusCode);
    }

    private static ProblemDetail invalid(List<Map<String, String>> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The request has invalid values.");
        problem.setTitle("Invalid request");
        problem.setProperty("errors", errors);
        return problem;
    }

    private static String message(org.springframework.context.MessageSourceResolvable error) {
        return String.valueOf(error.getDefaultMessage());
    }

    private static <T extends Throwable> @Nullable T findCause(Throwable ex, Class<T> type) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

}
