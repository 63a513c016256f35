package dev.trainyard.security.internal;

import dev.trainyard.security.CurrentTenant;
import dev.trainyard.security.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/keys}: the keys an admin can see, and their revocation. */
@Tag(name = "Tenants and keys")
@RestController
@RequestMapping(path = "/api/v1/keys", produces = "application/json")
class ApiKeyController {

    private final KeyManagement management;

    ApiKeyController(KeyManagement management) {
        this.management = management;
    }

    @Schema(description = "An API key's description; never the key")
    record KeyResponse(UUID id, UUID tenantId, String name, Role role,

            @Schema(description = "The key's first characters, to recognise it",
                    example = "ty_3f9c2a7b10d4e5f6") String prefix,

            Instant createdAt,

            @Schema(description = "When it was revoked; absent while it works") Instant revokedAt) {

        static KeyResponse of(ApiKeyEntity key) {
            return new KeyResponse(key.id(), key.tenantId(), key.name(), key.role(),
                    ApiKeyFormat.PREFIX + key.publicId(), key.createdAt(), key.revokedAt());
        }
    }

    @Schema(description = "A key just issued, with the key itself: shown this once")
    record IssuedKeyResponse(UUID id, UUID tenantId, String name, Role role, String prefix,

            @Schema(description = "Send it as the X-API-Key header; it cannot be shown again") String key,

            Instant createdAt) {

        static IssuedKeyResponse of(KeyManagement.IssuedKey issued) {
            ApiKeyEntity key = issued.stored();
            return new IssuedKeyResponse(key.id(), key.tenantId(), key.name(), key.role(),
                    ApiKeyFormat.PREFIX + key.publicId(), issued.key(), key.createdAt());
        }
    }

    @Operation(operationId = "listKeys", summary = "List API keys",
            description = "The keys of the caller's tenant, revoked ones included; operators (admins of"
                    + " the default tenant) see every tenant's. Never the keys themselves.")
    @GetMapping
    List<KeyResponse> list() {
        return management.listKeys(CurrentTenant.caller()).stream().map(KeyResponse::of).toList();
    }

    @Operation(summary = "Revoke an API key",
            description = "It stops working at once on this instance and within 5 seconds on every other."
                    + " Revoking a revoked key changes nothing.")
    @ApiResponse(responseCode = "204", description = "Revoked")
    @ApiResponse(responseCode = "404", description = "No such key (or not the caller's tenant's)")
    @ApiResponse(responseCode = "409", description = "The last admin key of the default tenant")
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@PathVariable UUID id) {
        management.revoke(CurrentTenant.caller(), id);
    }

}
