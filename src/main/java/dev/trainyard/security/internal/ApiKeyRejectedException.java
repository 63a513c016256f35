package dev.trainyard.security.internal;

import dev.trainyard.system.ApiException;
import org.springframework.http.HttpStatus;

/**
 * 401: no API key, or one that does not work. Rendered with a {@code WWW-Authenticate}
 * challenge.
 */
class ApiKeyRejectedException extends ApiException {

    static final String CHALLENGE = "ApiKey realm=\"trainyard\", header=\"X-API-Key\"";

    ApiKeyRejectedException(String detail) {
        super(HttpStatus.UNAUTHORIZED, "Unauthorized", detail);
    }

}
