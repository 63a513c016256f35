package dev.trainyard.security;

import java.util.UUID;

/**
 * Who sent the current request: the API key, its tenant and its role. An admin key of the
 * {@link Tenants#DEFAULT_ID default} tenant is an operator: it manages every tenant and
 * reads the actuator endpoints.
 */
public record Caller(UUID keyId, UUID tenantId, Role role) {

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    public boolean isOperator() {
        return isAdmin() && Tenants.DEFAULT_ID.equals(tenantId);
    }
}
