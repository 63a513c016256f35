package dev.trainyard.security.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.DefaultCorsProcessor;

/**
 * Spring's CORS checks, with the refusal (403) as problem details instead of plain text.
 */
class ProblemCorsProcessor extends DefaultCorsProcessor {

    private static final byte[] REFUSAL = ("{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,"
            + "\"detail\":\"This origin may not call the API (see trainyard.cors.allowed-origins).\"}")
        .getBytes(StandardCharsets.UTF_8);

    @Override
    protected void rejectRequest(ServerHttpResponse response) throws IOException {
        response.setStatusCode(HttpStatus.FORBIDDEN);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getBody().write(REFUSAL);
        response.flush();
    }

}
