package dev.trainyard.security.internal;

import dev.trainyard.security.Caller;
import dev.trainyard.security.Role;
import dev.trainyard.security.Tenants;
import dev.trainyard.system.ApiException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tenants and their keys. Admins act on their own tenant; operators (admins of the
 * default tenant) on every tenant. Whatever a caller may not see answers 404, as if it
 * did not exist.
 */
@Service
class KeyManagement {

    private static final Logger log = LoggerFactory.getLogger(KeyManagement.class);

    private final TenantRepository tenants;

    private final ApiKeyRepository keys;

    private final ApiKeyHasher hasher;

    private final ApiKeyAuthenticator authenticator;

    public KeyManagement(TenantRepository tenants, ApiKeyRepository keys, ApiKeyHasher hasher,
            ApiKeyAuthenticator authenticator) {
        this.tenants = tenants;
        this.keys = keys;
        this.hasher = hasher;
        this.authenticator = authenticator;
    }

    /** A key as created: the only moment its text exists outside the client. */
    public record IssuedKey(ApiKeyEntity stored, String key) {
    }

    @Transactional
    public TenantEntity createTenant(Caller caller, String name, Long datasetBytesQuota, Integer runningJobsQuota) {
        if (!caller.isOperator()) {
            throw new ApiException(HttpStatus.FORBIDDEN, "Forbidden",
                    "Only admin keys of the default tenant create tenants.");
        }
        if (tenants.existsByName(name)) {
            throw tenantExists(name);
        }
        TenantEntity tenant = new TenantEntity(UUID.randomUUID(), name, datasetBytesQuota, runningJobsQuota,
                Instant.now());
        try {
            tenants.saveAndFlush(tenant);
        }
        catch (DataIntegrityViolationException createdMeanwhile) {
            // the same name, created by a concurrent request since the check above
            throw tenantExists(name);
        }
        log.info("Tenant {} ({}) created by key {}", tenant.id(), name, caller.keyId());
        return tenant;
    }

    @Transactional
    public IssuedKey issueKey(Caller caller, UUID tenantId, String name, Role role) {
        TenantEntity tenant = tenants.findById(tenantId)
            .filter(t -> caller.isOperator() || t.id().equals(caller.tenantId()))
            .orElseThrow(() -> notFound("tenant", tenantId));
        IssuedKey issued = issue(tenant.id(), name, role, false);
        log.info("Key {} ({}, {}) issued for tenant {} by key {}", issued.stored().id(), issued.stored().publicId(),
                role.json(), tenant.id(), caller.keyId());
        return issued;
    }

    /**
     * A new key for a tenant, stored as its hash. {@code bootstrap} marks the one made at
     * first start.
     */
    IssuedKey issue(UUID tenantId, String name, Role role, boolean bootstrap) {
        return issue(ApiKeyFormat.generate(), tenantId, name, role, bootstrap);
    }

    IssuedKey issue(ApiKeyFormat.ParsedKey key, UUID tenantId, String name, Role role, boolean bootstrap) {
        ApiKeyEntity stored = new ApiKeyEntity(UUID.randomUUID(), key.publicId(), tenantId, name, role,
                hasher.hash(key.text()), bootstrap, Instant.now());
        keys.saveAndFlush(stored);
        authenticator.evict(key.publicId());
        return new IssuedKey(stored, key.text());
    }

    /** The caller's tenant's keys; an operator's list holds every tenant's. */
    @Transactional(readOnly = true)
    public List<ApiKeyEntity> listKeys(Caller caller) {
        return caller.isOperator() ? keys.findAllByOrderByCreatedAtAscIdAsc()
                : keys.findByTenantIdOrderByCreatedAtAscIdAsc(caller.tenantId());
    }

    /**
     * Revokes a key at once on this instance (and within the cache TTL on the others).
     * Revoking a revoked key changes nothing. The last operator key cannot be revoked:
     * nobody could manage the installation any more.
     */
    @Transactional
    public void revoke(Caller caller, UUID keyId) {
        ApiKeyEntity key = keys.findById(keyId)
            .filter(k -> caller.isOperator() || k.tenantId().equals(caller.tenantId()))
            .orElseThrow(() -> notFound("key", keyId));
        if (key.revokedAt() == null && isLastOperatorKey(key)) {
            throw new ApiException(HttpStatus.CONFLICT, "Last operator key",
                    "Key " + keyId + " is the last admin key of the default tenant; issue another one first.");
        }
        key.revoke(Instant.now());
        keys.saveAndFlush(key);
        authenticator.evict(key.publicId());
        log.info("Key {} ({}) revoked by key {}", key.id(), key.publicId(), caller.keyId());
    }

    private boolean isLastOperatorKey(ApiKeyEntity key) {
        if (!key.tenantId().equals(Tenants.DEFAULT_ID) || key.role() != Role.ADMIN) {
            return false;
        }
        return keys.findByTenantIdOrderByCreatedAtAscIdAsc(Tenants.DEFAULT_ID)
            .stream()
            .noneMatch(k -> !k.id().equals(key.id()) && k.role() == Role.ADMIN && k.revokedAt() == null);
    }

    private static ApiException tenantExists(String name) {
        return new ApiException(HttpStatus.CONFLICT, "Tenant exists", "A tenant named '" + name + "' exists.")
            .with("name", name);
    }

    private static ApiException notFound(String what, UUID id) {
        return new ApiException(HttpStatus.NOT_FOUND, "Not Found", "No " + what + " " + id + ".");
    }

}
