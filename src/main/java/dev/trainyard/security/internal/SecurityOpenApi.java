package dev.trainyard.security.internal;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The API key in the OpenAPI document: the {@code X-API-Key} security scheme (Swagger
 * UI's Authorize button), required by every operation, and the 401 and 403 every
 * operation may answer.
 */
@Configuration(proxyBeanMethods = false)
class SecurityOpenApi {

    static final String SCHEME = "ApiKey";
    static final String PROBLEM = "Problem";

    @Bean
    OpenApiCustomizer apiKeySecurity() {
        return openApi -> {
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents()
                .addSecuritySchemes(SCHEME, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                    .in(SecurityScheme.In.HEADER)
                    .name(ApiKeyAuthenticationFilter.HEADER)
                    .description("An API key, ty_<public id>_<secret>. The first admin key is"
                            + " created at first start (TRAINYARD_BOOTSTRAP_API_KEY, or printed"
                            + " once in the log); admins issue more with" + " POST /api/v1/tenants/{id}/keys."));
            openApi.getComponents().addSchemas(PROBLEM, problemSchema());
            openApi.addSecurityItem(new SecurityRequirement().addList(SCHEME));
            if (openApi.getPaths() != null) {
                openApi.getPaths().forEach((path, item) -> {
                    boolean adminOnly = path.startsWith("/api/v1/tenants") || path.startsWith("/api/v1/keys");
                    item.readOperations().forEach(operation -> addProblems(operation, adminOnly));
                });
            }
        };
    }

    private static void addProblems(Operation operation, boolean adminOnly) {
        operation.getResponses()
            .putIfAbsent("401", problem("No API key, or one that is malformed, unknown or revoked"));
        if (adminOnly) {
            operation.getResponses().putIfAbsent("403", problem("The key is not an admin key"));
        }
    }

    private static ApiResponse problem(String description) {
        return new ApiResponse().description(description)
            .content(new Content().addMediaType("application/problem+json",
                    new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
    }

    /** RFC 9457 problem details, as every error of the API reads. */
    @SuppressWarnings({ "rawtypes", "unchecked" })
    private static Schema problemSchema() {
        return new ObjectSchema().description("RFC 9457 problem details")
            .addProperty("type", new StringSchema().example("about:blank"))
            .addProperty("title", new StringSchema().example("Unauthorized"))
            .addProperty("status", new IntegerSchema().example(401))
            .addProperty("detail", new StringSchema())
            .addProperty("instance", new StringSchema().example("/api/v1/keys"));
    }

}
