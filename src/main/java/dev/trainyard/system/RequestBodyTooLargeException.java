package dev.trainyard.system;

import java.io.IOException;
import org.springframework.http.HttpStatus;

/**
 * Thrown while reading a request body that turns out larger than allowed. An
 * {@link IOException}, because it surfaces from {@code InputStream.read} inside whatever
 * parses the body; the exception handler finds it in the cause chain and answers 413.
 */
class RequestBodyTooLargeException extends IOException {

    private final long limitBytes;

    RequestBodyTooLargeException(long limitBytes) {
        super("Request body larger than " + limitBytes + " bytes");
        this.limitBytes = limitBytes;
    }

    ApiException toApiException() {
        return tooLarge(limitBytes);
    }

    static ApiException tooLarge(long limitBytes) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Request body too large",
                "The request body exceeds the limit of " + limitBytes + " bytes.")
            .with("maxBytes", limitBytes);
    }

}
