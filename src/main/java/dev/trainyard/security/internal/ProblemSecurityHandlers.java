package dev.trainyard.security.internal;

import dev.trainyard.system.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * The 401 and 403 answers of the filter chain, rendered by the application's exception
 * handling like every other error: problem details, and for 401 the
 * {@code WWW-Authenticate} challenge.
 */
class ProblemSecurityHandlers implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final HandlerExceptionResolver resolver;

    ProblemSecurityHandlers(HandlerExceptionResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex) {
        // our own messages say what was wrong with a key that was sent; anything else
        // means none was
        String detail = ex instanceof BadCredentialsException ? ex.getMessage()
                : "This endpoint needs an API key in the " + ApiKeyAuthenticationFilter.HEADER + " header.";
        resolver.resolveException(request, response, null, new ApiKeyRejectedException(detail));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex) {
        String detail = request.getRequestURI().startsWith("/api/v1/")
                ? "The API key's role does not allow this request; it needs an admin key."
                : "This endpoint needs an admin key of the default tenant.";
        resolver.resolveException(request, response, null, new ApiException(HttpStatus.FORBIDDEN, "Forbidden", detail));
    }

}
