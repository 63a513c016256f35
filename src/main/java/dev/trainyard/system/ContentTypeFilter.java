package dev.trainyard.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Answers 415 to a request whose {@code Content-Type} is a wildcard ({@code *}{@code /*},
 * {@code application/*}): a body must say what it is, and Spring refuses to hold such a
 * type at all, so without this the request would fail as a server error wherever a body
 * is read. Rendered by the same exception handler as every other error.
 */
class ContentTypeFilter extends OncePerRequestFilter {

    private final HandlerExceptionResolver exceptionResolver;

    ContentTypeFilter(HandlerExceptionResolver exceptionResolver) {
        this.exceptionResolver = exceptionResolver;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String contentType = request.getContentType();
        if (contentType != null && !contentType.isBlank() && isWildcard(contentType)) {
            this.exceptionResolver.resolveException(request, response, null, new HttpMediaTypeNotSupportedException(
                    "A request body's Content-Type may not be a wildcard: " + contentType, List.of()));
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isWildcard(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.isWildcardType() || type.isWildcardSubtype();
        }
        catch (InvalidMediaTypeException ex) {
            // an unparseable type is refused where the body is read, with its own 415
            return false;
        }
    }

}
