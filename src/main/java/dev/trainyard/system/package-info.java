/**
 * The system module: what every other module relies on and nothing else.
 *
 * <ul>
 * <li>Errors: every failure an HTTP client can meet is an RFC 9457 problem document
 * ({@code application/problem+json}); modules raise
 * {@link dev.trainyard.system.ApiException} for the errors they mean, everything
 * unexpected becomes a 500 with an {@code errorId} that is also in the log, except a
 * database that cannot be reached: 503 with {@code Retry-After}
 * ({@link dev.trainyard.system.DatabaseUnavailable}).
 * <li>HTTP hygiene: a size limit for request bodies that are not multipart, and one log
 * line per request (method, path, status, milliseconds; never bodies or query strings).
 * <li>The OpenAPI document's description of the service.
 * </ul>
 *
 * Entry points: {@link dev.trainyard.system.ApiException} for the other modules, and the
 * servlet filters and error handlers every request passes. Persistence: none.
 */
@org.springframework.modulith.ApplicationModule(displayName = "System")
package dev.trainyard.system;
