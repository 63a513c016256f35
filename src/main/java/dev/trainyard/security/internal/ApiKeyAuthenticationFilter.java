package dev.trainyard.security.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads {@code X-API-Key}. No header: the request goes on anonymous, and the
 * authorization rules decide. A header that is not a valid key answers 401 at once,
 * whatever the path: a client that sends a key wants to know it does not work. The key
 * itself is never logged nor kept.
 */
class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    static final String HEADER = "X-API-Key";

    private final ApiKeyAuthenticationProvider provider;

    private final AuthenticationEntryPoint entryPoint;

    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    ApiKeyAuthenticationFilter(ApiKeyAuthenticationProvider provider, AuthenticationEntryPoint entryPoint) {
        this.provider = provider;
        this.entryPoint = entryPoint;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HEADER);
        if (header == null) {
            chain.doFilter(request, response);
            return;
        }
        Optional<ApiKeyFormat.ParsedKey> key = ApiKeyFormat.parse(header.strip());
        if (key.isEmpty()) {
            entryPoint.commence(request, response, new MalformedApiKeyException());
            return;
        }
        try {
            SecurityContext context = contexts.createEmptyContext();
            context.setAuthentication(provider.authenticate(ApiKeyAuthentication.unauthenticated(key.get())));
            contexts.setContext(context);
        }
        catch (AuthenticationException rejected) {
            contexts.clearContext();
            entryPoint.commence(request, response, rejected);
            return;
        }
        chain.doFilter(request, response);
    }

    /** A header that does not even look like a Trainyard key. */
    static final class MalformedApiKeyException extends BadCredentialsException {

        MalformedApiKeyException() {
            super("The X-API-Key header does not hold a Trainyard API key (ty_<16 hex digits>_<43 characters>).");
        }

    }

}
