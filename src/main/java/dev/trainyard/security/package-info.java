/**
 * Security: API keys, tenants and request limits.
 *
 * <p>
 * Every {@code /api/v1} request carries an API key in {@code X-API-Key}; without a valid
 * one it answers 401 problem details with a {@code WWW-Authenticate} challenge. A key
 * belongs to a tenant and has the role {@code admin} or {@code user}; admin keys of the
 * default tenant are operators.
 *
 * <p>
 * What other modules use:
 *
 * <ul>
 * <li>{@link dev.trainyard.security.CurrentTenant#id()}: the tenant of the request's key.
 * Store it on every row you create and filter every query by it; a row of another tenant
 * answers 404, exactly like a missing one (never 403). Outside the request thread, pass
 * the id along.
 * <li>{@link dev.trainyard.security.Tenants#DEFAULT_ID}: the tenant that a migration
 * adding {@code tenant_id} gives to existing rows.
 * <li>{@link dev.trainyard.security.QuotaService}: the per-tenant quotas on stored
 * dataset bytes (409 when exceeded) and running training jobs (429 with
 * {@code Retry-After}). Call its checks inside the transaction that stores what they
 * admit: each locks the tenant's row of that quota in {@code quota_locks} until the
 * transaction ends, so that concurrent additions on any instance are checked one after
 * another.
 * <li>{@link dev.trainyard.security.LimitExceededException}: throw it for any other
 * limit; it is rendered with its {@code Retry-After}.
 * </ul>
 *
 * Per-key rate limits apply to request paths from configuration
 * ({@code trainyard.security.rate-limits.*}), so a module gets them without code. Their
 * token buckets (Bucket4j) are rows in the database on PostgreSQL, shared by every
 * instance, and in memory on the single instance of the embedded H2 database.
 *
 * <p>
 * Entry points: the API key filter in front of every {@code /api/v1} request, and
 * {@code /api/v1/tenants} and {@code /api/v1/keys}. Persistence: Spring Data JPA
 * repositories.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Security")
package dev.trainyard.security;
