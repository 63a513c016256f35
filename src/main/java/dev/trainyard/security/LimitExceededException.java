package dev.trainyard.security;

import dev.trainyard.system.ApiException;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.HttpStatus;

/**
 * A rate limit or a quota stands in the way. Rendered as problem details with its status
 * (429 when waiting helps, then with a {@code Retry-After} header in whole seconds; 409
 * when the client must free something first) and the members {@code limit} and, where
 * known, {@code used}.
 */
public class LimitExceededException extends ApiException {

    private final Duration retryAfter;

    private LimitExceededException(HttpStatus status, String title, String detail, Duration retryAfter) {
        super(status, title, detail);
        this.retryAfter = retryAfter;
    }

    /** 429: try again after {@code retryAfter}. */
    public static LimitExceededException tooManyRequests(String title, String detail, Duration retryAfter) {
        return new LimitExceededException(HttpStatus.TOO_MANY_REQUESTS, title, detail, retryAfter);
    }

    /** 409: waiting does not help, the client has to delete something first. */
    public static LimitExceededException conflict(String title, String detail) {
        return new LimitExceededException(HttpStatus.CONFLICT, title, detail, null);
    }

    @Override
    public LimitExceededException with(String name, Object value) {
        super.with(name, value);
        return this;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * {@code Retry-After} in whole seconds, rounded up so that a client never retries too
     * early.
     */
    public Optional<Long> retryAfterSeconds() {
        return retryAfter().map(d -> Math.max(1, (d.toMillis() + 999) / 1000));
    }

}
