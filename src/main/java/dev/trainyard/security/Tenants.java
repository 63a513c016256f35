package dev.trainyard.security;

import java.util.UUID;

/** Facts about tenants that other modules and migrations rely on. */
public final class Tenants {

    /**
     * The tenant {@code default}, created by migration {@code V3__security.sql}.
     * Migrations that add a {@code tenant_id} to existing rows give them this tenant.
     */
    public static final UUID DEFAULT_ID = UUID.fromString("00000000-0000-0000-0000-000000000001");

    public static final String DEFAULT_NAME = "default";

    private Tenants() {
    }

}
