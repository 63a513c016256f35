package dev.trainyard.security.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.trainyard.security.Caller;
import dev.trainyard.security.Role;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Checks an API key against its stored hash. What it read about a key (or that there is
 * none) is kept for {@code trainyard.security.key-cache-ttl} (2 s by default), so a busy
 * client costs one query per key and period rather than one per request. A revocation on
 * this instance evicts the entry at once; on other instances the entry expires within the
 * TTL, which bounds how long a revoked key keeps working there.
 */
@Component
class ApiKeyAuthenticator {

    /** What a request needs to know about a stored key; the hash, never the key. */
    private record StoredKey(UUID id, UUID tenantId, Role role, String salt, String hash, boolean revoked) {
    }

    private final ApiKeyRepository keys;

    private final ApiKeyHasher hasher;

    private final Cache<String, Optional<StoredKey>> cache;

    public ApiKeyAuthenticator(ApiKeyRepository keys, ApiKeyHasher hasher, SecurityProperties properties) {
        this.keys = keys;
        this.hasher = hasher;
        // bounded, so that a flood of made-up public ids cannot grow it without end
        this.cache = Caffeine.newBuilder().expireAfterWrite(properties.keyCacheTtl()).maximumSize(50_000).build();
    }

    /**
     * The caller the key stands for, or empty if it is unknown, revoked or its secret is
     * wrong.
     */
    public Optional<Caller> authenticate(ApiKeyFormat.ParsedKey key) {
        Optional<StoredKey> stored = cache.get(key.publicId(), this::load);
        return stored.filter(k -> !k.revoked())
            .filter(k -> hasher.matches(key.text(), k.salt(), k.hash()))
            .map(k -> new Caller(k.id(), k.tenantId(), k.role()));
    }

    /** Forgets what this instance knows about a key, after it changed here. */
    public void evict(String publicId) {
        cache.invalidate(publicId);
    }

    private Optional<StoredKey> load(String publicId) {
        return keys.findByPublicId(publicId)
            .map(k -> new StoredKey(k.id(), k.tenantId(), k.role(), k.salt(), k.secretHash(), k.revokedAt() != null));
    }

}
