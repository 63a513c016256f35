package dev.trainyard.security.internal;

import dev.trainyard.security.Role;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * An API key as stored: its public id and a salted HMAC of the whole key, never the key
 * itself.
 */
@Entity
@Table(name = "api_keys")
class ApiKeyEntity {

    @Id
    private UUID id;

    @Column(name = "public_id")
    private String publicId;

    @Column(name = "tenant_id")
    private UUID tenantId;

    private String name;

    @Enumerated(EnumType.STRING)
    private Role role;

    private String salt;

    @Column(name = "secret_hash")
    private String secretHash;

    /** TRUE on the key made at first start, null on the others (a unique column). */
    private Boolean bootstrap;

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected ApiKeyEntity() {
    }

    ApiKeyEntity(UUID id, String publicId, UUID tenantId, String name, Role role, ApiKeyHasher.Hashed hashed,
            boolean bootstrap, Instant createdAt) {
        this.id = id;
        this.publicId = publicId;
        this.tenantId = tenantId;
        this.name = name;
        this.role = role;
        this.salt = hashed.salt();
        this.secretHash = hashed.hash();
        this.bootstrap = bootstrap ? Boolean.TRUE : null;
        this.createdAt = createdAt;
    }

    public UUID id() {
        return id;
    }

    public String publicId() {
        return publicId;
    }

    public UUID tenantId() {
        return tenantId;
    }

    public String name() {
        return name;
    }

    public Role role() {
        return role;
    }

    public String salt() {
        return salt;
    }

    public String secretHash() {
        return secretHash;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant revokedAt() {
        return revokedAt;
    }

    void revoke(Instant at) {
        if (revokedAt == null) {
            revokedAt = at;
        }
    }

}
