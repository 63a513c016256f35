package dev.trainyard.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One log line per request: method, path, status and milliseconds. Never bodies, headers
 * or query strings, which may carry data and keys. Actuator requests and the inference
 * protocol's health checks (probes, scrapes) and successful predictions and inferences
 * (the high-volume serving path, counted and timed by the {@code http.server.requests}
 * metric) log at DEBUG; a failed one logs at INFO.
 */
class RequestLoggingFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger("dev.trainyard.http");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long start = System.nanoTime();
        boolean failed = true;
        try {
            chain.doFilter(request, response);
            failed = false;
        }
        finally {
            long millis = (System.nanoTime() - start) / 1_000_000;
            // an exception still on its way to the error page has not set the status yet
            int status = failed ? HttpServletResponse.SC_INTERNAL_SERVER_ERROR : response.getStatus();
            String streaming = request.isAsyncStarted() ? " (streaming)" : "";
            String uri = request.getRequestURI();
            if (uri.startsWith("/actuator") || uri.startsWith("/v2/health/")
                    || (status < 400 && (uri.endsWith("/predictions") || uri.endsWith("/infer")))) {
                log.debug("{} {} {} {}ms{}", request.getMethod(), uri, status, millis, streaming);
            }
            else {
                log.info("{} {} {} {}ms{}", request.getMethod(), uri, status, millis, streaming);
            }
        }
    }

}
