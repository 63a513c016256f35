package dev.trainyard.security.internal;

import dev.trainyard.security.Caller;
import dev.trainyard.security.CurrentTenant;
import dev.trainyard.security.LimitExceededException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Applies the {@link RateLimiter} after authentication and authorization, so that only
 * requests that would otherwise run use up tokens, and before the body is read: a refused
 * upload costs neither its transfer nor any storage. Answers 429 problem details with
 * {@code Retry-After}.
 */
class RateLimitFilter extends OncePerRequestFilter {

    private final RateLimiter limiter;

    private final HandlerExceptionResolver resolver;

    RateLimitFilter(RateLimiter limiter, HandlerExceptionResolver resolver) {
        this.limiter = limiter;
        this.resolver = resolver;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Caller> caller = CurrentTenant.find();
        if (caller.isPresent()) {
            String path = request.getRequestURI().substring(request.getContextPath().length());
            Optional<RateLimiter.Refusal> refusal = limiter.tryAcquire(caller.get().keyId(), request.getMethod(), path);
            if (refusal.isPresent()) {
                RateLimiter.Rule rule = refusal.get().rule();
                LimitExceededException ex = LimitExceededException
                    .tooManyRequests("Rate limit exceeded",
                            "This API key may make " + rule.permits() + " " + rule.name() + " per "
                                    + (rule.period().toSeconds() == 1 ? "second"
                                            : rule.period().toSeconds() + " seconds")
                                    + ".",
                            refusal.get().retryAfter())
                    .with("limit", rule.permits())
                    .with("periodSeconds", rule.period().toSeconds());
                resolver.resolveException(request, response, null, ex);
                return;
            }
        }
        chain.doFilter(request, response);
    }

}
