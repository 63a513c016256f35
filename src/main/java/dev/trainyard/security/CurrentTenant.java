package dev.trainyard.security;

import java.util.Optional;
import java.util.UUID;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The tenant of the API key that sent the request being handled. Controllers and the
 * services they call scope every read, write and delete with {@link #id()}.
 *
 * <p>
 * It reads Spring Security's context, which belongs to the request thread: work handed to
 * other threads (a job worker, an SSE stream, an event listener after commit) must take
 * the tenant id along instead of asking here.
 */
public final class CurrentTenant {

    private CurrentTenant() {
    }

    /**
     * The tenant id of the authenticated API key.
     * @throws IllegalStateException outside a request authenticated by an API key, which
     * is a programming error: every {@code /api/v1} endpoint requires a key before it
     * runs
     */
    public static UUID id() {
        return caller().tenantId();
    }

    /**
     * The authenticated key, its tenant and role; see {@link #id()} for when it fails.
     */
    public static Caller caller() {
        return find().orElseThrow(() -> new IllegalStateException("No API key authenticated this thread's request"));
    }

    /** The authenticated key, or empty on a public endpoint or outside a request. */
    public static Optional<Caller> find() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof Caller caller) {
            return Optional.of(caller);
        }
        return Optional.empty();
    }

}
