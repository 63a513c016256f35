package dev.trainyard.security.internal;

import dev.trainyard.security.CurrentTenant;
import dev.trainyard.security.Role;
import dev.trainyard.security.QuotaService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/tenants}: tenants and the keys issued for them. */
@Tag(name = "Tenants and keys", description = "Tenants, and API keys with the role admin or user")
@RestController
@RequestMapping(path = "/api/v1/tenants", produces = "application/json")
class TenantController {

    private final KeyManagement management;

    private final QuotaService quotas;

    TenantController(KeyManagement management, QuotaService quotas) {
        this.management = management;
        this.quotas = quotas;
    }

    @Schema(description = "A new tenant; quotas left out take the configured defaults")
    record CreateTenantRequest(
            @Schema(example = "acme", description = "Unique; letters, digits, '.', '_' and '-'") @NotBlank @Size(
                    max = 100) @Pattern(regexp = "[A-Za-z0-9._-]+",
                            message = "may hold letters, digits, '.', '_' and '-' only") String name,

            @Schema(description = "Stored dataset bytes allowed",
                    example = "1073741824") @Positive Long datasetBytesQuota,

            @Schema(description = "Training jobs running at once",
                    example = "2") @PositiveOrZero Integer runningJobsQuota) {
    }

    @Schema(description = "A tenant with its effective quotas")
    record TenantResponse(UUID id, String name, long datasetBytesQuota, int runningJobsQuota, Instant createdAt) {
    }

    @Schema(description = "A new API key")
    record CreateKeyRequest(
            @Schema(example = "ci pipeline",
                    description = "What the key is for, to tell keys apart") @NotBlank @Size(max = 100) String name,

            @Schema(example = "user", allowableValues = {
                    "admin", "user" }) @NotNull Role role){
    }

    @Operation(operationId = "createTenant", summary = "Create a tenant",
            description = "Operators only: admin keys of the default tenant. Give it a key next.")
    @ApiResponse(responseCode = "201", description = "Created")
    @ApiResponse(responseCode = "409", description = "A tenant of that name exists")
    @PostMapping(consumes = "application/json")
    ResponseEntity<TenantResponse> create(@Valid @RequestBody CreateTenantRequest request) {
        TenantEntity tenant = management.createTenant(CurrentTenant.caller(), request.name(),
                request.datasetBytesQuota(), request.runningJobsQuota());
        return ResponseEntity.created(URI.create("/api/v1/tenants/" + tenant.id()))
            .body(new TenantResponse(tenant.id(), tenant.name(), quotas.datasetBytes(tenant.id()),
                    quotas.runningJobs(tenant.id()), tenant.createdAt()));
    }

    @Operation(summary = "Issue an API key for a tenant",
            description = "The key is in the response once and never again: only its hash is stored."
                    + " Admins issue keys for their own tenant, operators for any.")
    @ApiResponse(responseCode = "201", description = "Created; `key` holds the key")
    @ApiResponse(responseCode = "404", description = "No such tenant (or not the caller's)")
    @PostMapping(path = "/{id}/keys", consumes = "application/json")
    ResponseEntity<ApiKeyController.IssuedKeyResponse> issueKey(@PathVariable UUID id,
            @Valid @RequestBody CreateKeyRequest request) {
        KeyManagement.IssuedKey issued = management.issueKey(CurrentTenant.caller(), id, request.name(),
                request.role());
        return ResponseEntity.created(URI.create("/api/v1/keys/" + issued.stored().id()))
            .body(ApiKeyController.IssuedKeyResponse.of(issued));
    }

}
