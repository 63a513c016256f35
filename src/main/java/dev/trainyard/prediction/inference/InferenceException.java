package dev.trainyard.prediction.inference;

import org.springframework.http.HttpStatus;

/**
 * A request the protocol refuses, answered {@code {"error": message}} with its status.
 */
class InferenceException extends RuntimeException {

    private final HttpStatus status;

    InferenceException(HttpStatus status, String message) {
        super(message);
        this.status = status;
    }

    static InferenceException badRequest(String message) {
        return new InferenceException(HttpStatus.BAD_REQUEST, message);
    }

    HttpStatus status() {
        return status;
    }

}
